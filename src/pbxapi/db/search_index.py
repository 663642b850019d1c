"""The phone list's search index: one row per SIP phone holding its searchable text,
kept in step with every write by database triggers, so that a filter never scans a
customer's phones row by row.

- PostgreSQL: table `sip_phone_search` (phone id, customer id, MAC, document) with
  trigram GIN indexes that start with the customer id (pg_trgm + btree_gin), so one
  index answers "this customer's phones whose text contains ...". The document is
  stored lower case.
- SQLite: FTS5 table `sip_phone_search` with the trigram tokenizer (case-insensitive),
  its rowid the phone's rowid.

The document is the phone's ip.address, handsetAddress, extension number, direct
number, the extension's employee's name and notes, one per line (a filter term never
holds a line break, so no term matches across two fields). The MAC has a column of its
own: a MAC term is matched without separators, and only against the MAC.

Triggers: a phone's row is rewritten when the phone is written; when an extension's
number, direct number or employee changes; when an employee is renamed. Deleting a
phone deletes its row. This module is the one definition of that DDL: the migration
that introduced the index calls `install`; a later change to it comes with a migration
that calls `uninstall` and `install` again.
"""

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text

TABLE = "sip_phone_search"

# For queries only: the DDL below is dialect-specific, so this table is kept out of the
# ORM metadata (and out of Alembic's comparison, see `is_search_object`).
search_table = Table(
    TABLE,
    MetaData(),
    Column("rowid", Integer),  # SQLite only: the customer-ranged key of the FTS5 index
    Column("phone_id", String(24), primary_key=True),
    Column("customer_id", String(24)),
    Column("mac", Text),
    Column("document", Text),
)

# Trigrams need three characters: shorter terms take the slower path (see sipphones.search).
MIN_INDEXED_TERM = 3


def _document(phone: str, extension: str, employee: str) -> str:
    """SQL for the document of a phone (aliases of the phone, extension and employee)."""
    fields = [
        f"{phone}.ip_address",
        f"{phone}.handset_address",
        f"{extension}.number",
        f"{extension}.direct",
        f"{employee}.name",
        f"{phone}.notes",
    ]
    return " || char(10) || ".join(f"coalesce({field}, '')" for field in fields)


def is_search_object(name: str | None) -> bool:
    """Objects of the search index, which the ORM metadata does not describe."""
    return bool(name) and name.startswith(TABLE)


# --- PostgreSQL ------------------------------------------------------------------------

_PG_DOCUMENT = _document("p", "e", "m").replace("char(10)", "E'\\n'")

_PG_ROWS_OF_PHONES = f"""
    SELECT p.id, p.customer_id, p.mac_address, lower({_PG_DOCUMENT})
    FROM sip_phones p
    LEFT JOIN extensions e ON e.customer_id = p.customer_id AND e.id = p.extension_id
    LEFT JOIN employees m ON m.customer_id = e.customer_id AND m.id = e.employee_id
"""

_PG_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    f"""CREATE TABLE {TABLE} (
        phone_id varchar(24) PRIMARY KEY,
        customer_id varchar(24) NOT NULL,
        mac text NOT NULL,
        document text NOT NULL,
        FOREIGN KEY (customer_id, phone_id) REFERENCES sip_phones (customer_id, id)
            ON DELETE CASCADE
    )""",
    f"""CREATE FUNCTION {TABLE}_refresh(p_customer varchar, p_phone varchar)
    RETURNS void LANGUAGE sql AS $$
        INSERT INTO {TABLE} (phone_id, customer_id, mac, document)
        {_PG_ROWS_OF_PHONES} WHERE p.customer_id = p_customer AND p.id = p_phone
        ON CONFLICT (phone_id) DO UPDATE
        SET customer_id = excluded.customer_id, mac = excluded.mac, document = excluded.document
    $$""",
    f"""CREATE FUNCTION {TABLE}_on_phone() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM {TABLE}_refresh(NEW.customer_id, NEW.id);
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_phone AFTER INSERT OR UPDATE OF
        customer_id, mac_address, ip_address, handset_address, extension_id, notes
        ON sip_phones FOR EACH ROW EXECUTE FUNCTION {TABLE}_on_phone()""",
    f"""CREATE FUNCTION {TABLE}_on_extension() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM {TABLE}_refresh(p.customer_id, p.id) FROM sip_phones p
        WHERE p.customer_id = NEW.customer_id AND p.extension_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_extension AFTER UPDATE OF number, direct, employee_id
        ON extensions FOR EACH ROW
        WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.direct IS DISTINCT FROM NEW.direct
              OR OLD.employee_id IS DISTINCT FROM NEW.employee_id)
        EXECUTE FUNCTION {TABLE}_on_extension()""",
    f"""CREATE FUNCTION {TABLE}_on_employee() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM {TABLE}_refresh(p.customer_id, p.id)
        FROM extensions e JOIN sip_phones p
            ON p.customer_id = e.customer_id AND p.extension_id = e.id
        WHERE e.customer_id = NEW.customer_id AND e.employee_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_employee AFTER UPDATE OF name ON employees FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION {TABLE}_on_employee()""",
]

_PG_INDEXES = [
    f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (customer_id, document gin_trgm_ops)",
    f"CREATE INDEX {TABLE}_mac ON {TABLE} USING gin (customer_id, mac gin_trgm_ops)",
]

_PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_employee ON employees",
    f"DROP TRIGGER IF EXISTS {TABLE}_extension ON extensions",
    f"DROP TRIGGER IF EXISTS {TABLE}_phone ON sip_phones",
    f"DROP FUNCTION IF EXISTS {TABLE}_on_employee()",
    f"DROP FUNCTION IF EXISTS {TABLE}_on_extension()",
    f"DROP FUNCTION IF EXISTS {TABLE}_on_phone()",
    f"DROP FUNCTION IF EXISTS {TABLE}_refresh(varchar, varchar)",
    f"DROP TABLE IF EXISTS {TABLE}",
]


# --- SQLite ----------------------------------------------------------------------------
#
# FTS5 cannot index the customer id, and a filter must not read every customer's matches.
# So each row's integer key puts a customer key in its high 32 bits: one customer's rows
# are one rowid range, and FTS5 reads only that range of every trigram's list
# (MATCH ... AND rowid BETWEEN). The customer key is 28 bits of the customer id (its last
# seven hex digits, a counter in ObjectIds); two customers that share a key share a range,
# which costs speed, never correctness (the customer id is compared as well). The rows
# live in a plain table with an explicit INTEGER PRIMARY KEY, which VACUUM keeps, and the
# FTS5 table indexes it as external content.

FTS = f"{TABLE}_fts"
RANGE = 1 << 32
_HEX = "0123456789abcdef"


def customer_key(customer_id: str) -> int:
    """The Python twin of _sqlite_customer_key (the two must agree)."""
    return sum(_HEX.find(digit) * 16 ** (6 - i) for i, digit in enumerate(customer_id[17:24]))


def customer_range(customer_id: str) -> tuple[int, int]:
    base = customer_key(customer_id) * RANGE
    return base, base + RANGE - 1


def _sqlite_customer_key(column: str) -> str:
    return " + ".join(
        f"(instr('{_HEX}', substr({column}, {18 + i}, 1)) - 1) * {16 ** (6 - i)}" for i in range(7)
    )


def _sqlite_next_rowid(customer_column: str) -> str:
    base = f"(({_sqlite_customer_key(customer_column)}) * {RANGE})"
    return (
        f"{base} + coalesce((SELECT max(rowid) FROM {TABLE} "
        f"WHERE rowid BETWEEN {base} AND {base} + {RANGE - 1}) - {base}, 0) + 1"
    )


_SQLITE_JOINS = """
    FROM sip_phones p
    LEFT JOIN extensions e ON e.customer_id = p.customer_id AND e.id = p.extension_id
    LEFT JOIN employees m ON m.customer_id = e.customer_id AND m.id = e.employee_id
"""
_SQLITE_DOCUMENT = _document("p", "e", "m")
# the phone's current text, for an UPDATE of the row of `TABLE.phone_id`
_SQLITE_FRESH = (
    f"(SELECT p.mac_address, {_SQLITE_DOCUMENT} {_SQLITE_JOINS} WHERE p.id = {TABLE}.phone_id)"
)

_SQLITE_INSTALL = [
    f"""CREATE TABLE {TABLE} (
        rowid INTEGER PRIMARY KEY,
        phone_id VARCHAR(24) NOT NULL UNIQUE,
        customer_id VARCHAR(24) NOT NULL,
        mac TEXT NOT NULL,
        document TEXT NOT NULL
    )""",
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        mac, document, content = '{TABLE}', content_rowid = 'rowid',
        tokenize = 'trigram case_sensitive 0'
    )""",
    # the rows table feeds the FTS5 index (the external-content pattern)
    f"""CREATE TRIGGER {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS} (rowid, mac, document) VALUES (NEW.rowid, NEW.mac, NEW.document);
    END""",
    f"""CREATE TRIGGER {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS} ({FTS}, rowid, mac, document)
        VALUES ('delete', OLD.rowid, OLD.mac, OLD.document);
    END""",
    f"""CREATE TRIGGER {TABLE}_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS} ({FTS}, rowid, mac, document)
        VALUES ('delete', OLD.rowid, OLD.mac, OLD.document);
        INSERT INTO {FTS} (rowid, mac, document) VALUES (NEW.rowid, NEW.mac, NEW.document);
    END""",
    # phones, extensions and employees feed the rows table
    f"""CREATE TRIGGER {TABLE}_phone_insert AFTER INSERT ON sip_phones BEGIN
        INSERT INTO {TABLE} (rowid, phone_id, customer_id, mac, document)
        SELECT {_sqlite_next_rowid("NEW.customer_id")}, p.id, p.customer_id, p.mac_address,
               {_SQLITE_DOCUMENT}
        {_SQLITE_JOINS} WHERE p.rowid = NEW.rowid;
    END""",
    f"""CREATE TRIGGER {TABLE}_phone_update AFTER UPDATE OF
        mac_address, ip_address, handset_address, extension_id, notes
        ON sip_phones BEGIN
        UPDATE {TABLE} SET (mac, document) = {_SQLITE_FRESH} WHERE phone_id = NEW.id;
    END""",
    f"""CREATE TRIGGER {TABLE}_phone_delete AFTER DELETE ON sip_phones BEGIN
        DELETE FROM {TABLE} WHERE phone_id = OLD.id;
    END""",
    f"""CREATE TRIGGER {TABLE}_extension AFTER UPDATE OF number, direct, employee_id
        ON extensions
        WHEN OLD.number IS NOT NEW.number OR OLD.direct IS NOT NEW.direct
             OR OLD.employee_id IS NOT NEW.employee_id
        BEGIN
        UPDATE {TABLE} SET (mac, document) = {_SQLITE_FRESH} WHERE phone_id IN (
            SELECT id FROM sip_phones
            WHERE customer_id = NEW.customer_id AND extension_id = NEW.id);
    END""",
    f"""CREATE TRIGGER {TABLE}_employee AFTER UPDATE OF name ON employees
        WHEN OLD.name IS NOT NEW.name BEGIN
        UPDATE {TABLE} SET (mac, document) = {_SQLITE_FRESH} WHERE phone_id IN (
            SELECT p.id FROM extensions e JOIN sip_phones p
                ON p.customer_id = e.customer_id AND p.extension_id = e.id
            WHERE e.customer_id = NEW.customer_id AND e.employee_id = NEW.id);
    END""",
]

# All phones at once (install, rebuild): rowids numbered per customer range.
_SQLITE_FILL = f"""
    INSERT INTO {TABLE} (rowid, phone_id, customer_id, mac, document)
    SELECT ({_sqlite_customer_key("p.customer_id")}) * {RANGE}
           + row_number() OVER (PARTITION BY ({_sqlite_customer_key("p.customer_id")})
                                ORDER BY p.id),
           p.id, p.customer_id, p.mac_address, {_SQLITE_DOCUMENT}
    {_SQLITE_JOINS}
"""

_SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_employee",
    f"DROP TRIGGER IF EXISTS {TABLE}_extension",
    f"DROP TRIGGER IF EXISTS {TABLE}_phone_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_phone_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_phone_insert",
    f"DROP TABLE IF EXISTS {FTS}",
    f"DROP TABLE IF EXISTS {TABLE}",
]


# --- operations ------------------------------------------------------------------------


def _run(connection: Connection, statements: list[str]) -> None:
    for statement in statements:
        connection.exec_driver_sql(statement)


def install(connection: Connection) -> None:
    """Create the index, its triggers, and fill it from the phones already there."""
    if connection.dialect.name == "postgresql":
        _run(connection, _PG_INSTALL)
        connection.exec_driver_sql(f"INSERT INTO {TABLE} {_PG_ROWS_OF_PHONES}")
        _run(connection, _PG_INDEXES)
    else:
        # Fill the rows before the row-to-FTS triggers exist, then index them in one pass.
        statements = list(_SQLITE_INSTALL)
        connection.exec_driver_sql(statements[0])
        connection.exec_driver_sql(statements[1])
        connection.exec_driver_sql(_SQLITE_FILL)
        connection.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')")
        _run(connection, statements[2:])


def uninstall(connection: Connection) -> None:
    postgres = connection.dialect.name == "postgresql"
    _run(connection, _PG_UNINSTALL if postgres else _SQLITE_UNINSTALL)


def rebuild(connection: Connection) -> None:
    """Refill the index from scratch, e.g. after a bulk load made without the triggers."""
    uninstall(connection)
    install(connection)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
