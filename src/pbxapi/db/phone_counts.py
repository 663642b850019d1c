"""Each customer's number of SIP phones, and of those without an extension, kept exact
by database triggers: the unfiltered list (and available=true) then answers `total`
from one row instead of counting a big customer's 100,000 phones on every request
(measured at 1,000,000 phones on PostgreSQL: 5 ms of the default page's 7 ms of SQL).

Like pbxapi.db.search_index, this module is the one definition of the DDL; migration 0005
calls `install`.
"""

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table

TABLE = "customer_phone_counts"

counts_table = Table(
    TABLE,
    MetaData(),
    Column("customer_id", String(24), primary_key=True),
    Column("phones", Integer),
    Column("unassigned", Integer),
)

_CREATE = f"""CREATE TABLE {TABLE} (
    customer_id VARCHAR(24) PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    phones INTEGER NOT NULL,
    unassigned INTEGER NOT NULL
)"""

_FILL = f"""INSERT INTO {TABLE} (customer_id, phones, unassigned)
    SELECT customer_id, count(*), sum(CASE WHEN extension_id IS NULL THEN 1 ELSE 0 END)
    FROM sip_phones GROUP BY customer_id"""

_PG_TRIGGERS = [
    f"""CREATE FUNCTION {TABLE}_on_phone() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO {TABLE} AS c (customer_id, phones, unassigned)
            VALUES (NEW.customer_id, 1, (NEW.extension_id IS NULL)::int)
            ON CONFLICT (customer_id) DO UPDATE
            SET phones = c.phones + 1,
                unassigned = c.unassigned + (NEW.extension_id IS NULL)::int;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE {TABLE} SET phones = phones - 1,
                unassigned = unassigned - (OLD.extension_id IS NULL)::int
            WHERE customer_id = OLD.customer_id;
        ELSE
            UPDATE {TABLE} SET unassigned = unassigned
                + (NEW.extension_id IS NULL)::int - (OLD.extension_id IS NULL)::int
            WHERE customer_id = NEW.customer_id;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_phone AFTER INSERT OR DELETE OR UPDATE OF extension_id
        ON sip_phones FOR EACH ROW EXECUTE FUNCTION {TABLE}_on_phone()""",
]

_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {TABLE}_phone_insert AFTER INSERT ON sip_phones BEGIN
        INSERT INTO {TABLE} (customer_id, phones, unassigned)
        VALUES (NEW.customer_id, 1, NEW.extension_id IS NULL)
        ON CONFLICT (customer_id) DO UPDATE
        SET phones = phones + 1, unassigned = unassigned + (NEW.extension_id IS NULL);
    END""",
    f"""CREATE TRIGGER {TABLE}_phone_delete AFTER DELETE ON sip_phones BEGIN
        UPDATE {TABLE} SET phones = phones - 1,
            unassigned = unassigned - (OLD.extension_id IS NULL)
        WHERE customer_id = OLD.customer_id;
    END""",
    f"""CREATE TRIGGER {TABLE}_phone_update AFTER UPDATE OF extension_id ON sip_phones BEGIN
        UPDATE {TABLE} SET unassigned = unassigned
            + (NEW.extension_id IS NULL) - (OLD.extension_id IS NULL)
        WHERE customer_id = NEW.customer_id;
    END""",
]

_UNINSTALL_PG = [
    f"DROP TRIGGER IF EXISTS {TABLE}_phone ON sip_phones",
    f"DROP FUNCTION IF EXISTS {TABLE}_on_phone()",
    f"DROP TABLE IF EXISTS {TABLE}",
]
_UNINSTALL_SQLITE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_phone_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_phone_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_phone_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def is_counts_object(name: str | None) -> bool:
    return bool(name) and name.startswith(TABLE)


def install(connection: Connection) -> None:
    postgres = connection.dialect.name == "postgresql"
    for statement in [_CREATE, _FILL, *(_PG_TRIGGERS if postgres else _SQLITE_TRIGGERS)]:
        connection.exec_driver_sql(statement)


def uninstall(connection: Connection) -> None:
    postgres = connection.dialect.name == "postgresql"
    for statement in _UNINSTALL_PG if postgres else _UNINSTALL_SQLITE:
        connection.exec_driver_sql(statement)


def rebuild(connection: Connection) -> None:
    uninstall(connection)
    install(connection)
