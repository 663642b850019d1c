"""pbxapi bench-data: the benchmark data generator (pbxapi.db.benchdata), at a small scale,
loaded into throwaway databases of both kinds: its shape, its determinism, the rules of
the schema, and that the API serves what it made."""

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, inspect, select, text

from harness.databases import throwaway_postgres_database
from pbxapi import cli
from pbxapi.app import create_app
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.tokens import issue_token
from pbxapi.config import Settings, get_settings
from pbxapi.db.benchdata import generator as benchdata
from pbxapi.db.benchdata import names
from pbxapi.db.engine import create_db_engine, make_session_factory, transaction
from pbxapi.db.migrate import upgrade
from pbxapi.db.tables import Customer, Employee, Extension, SipPhone, SipPhoneModel
from pbxapi.ids import is_id, new_id

PHONES, CUSTOMERS, SEED = 2_000, 20, 7

try:
    from pbxapi.db import search_index
except ImportError:
    search_index = None


# --- databases ---------------------------------------------------------------------------


@dataclass
class Loaded:
    url: str
    engine: Engine
    report: benchdata.LoadReport


def _load(url: str, phones: int = PHONES, customers: int = CUSTOMERS, seed: int = SEED):
    upgrade(url)
    engine = create_db_engine(url)
    return Loaded(url, engine, benchdata.load(engine, phones, customers, seed))


@pytest.fixture(scope="module")
def sqlite_loaded(tmp_path_factory) -> Iterator[Loaded]:
    loaded = _load(f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.db'}")
    yield loaded
    loaded.engine.dispose()


@pytest.fixture(scope="module")
def postgresql_loaded() -> Iterator[Loaded]:
    with throwaway_postgres_database("pbxapi_bench") as url:
        loaded = _load(url)
        yield loaded
        loaded.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request) -> Loaded:
    return request.getfixturevalue(f"{request.param}_loaded")


@pytest.fixture
def empty_sqlite_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    return url


def rows(engine: Engine, sql: str, **params) -> list:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).all()


def scalar(engine: Engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def end_customers(engine: Engine) -> list[str]:
    """Customers that are nobody's parent: the ones that hold the phones."""
    return [
        row.id
        for row in rows(
            engine,
            "SELECT id FROM customers c WHERE NOT EXISTS "
            "(SELECT 1 FROM customers k WHERE k.parent_reseller_id = c.id) ORDER BY id",
        )
    ]


# --- sizes and the plan, without a database ----------------------------------------------


def test_sizes_at_operator_scale():
    sizes = benchdata.customer_sizes(1_000_000, 10_000)
    assert len(sizes) == 10_000 and sum(sizes) == 1_000_000
    assert sizes[:11] == [100_000] + [10_000] * 10
    assert max(sizes[11:]) < 10_000 and min(sizes) >= 1
    # skewed: most customers are small, a few are large
    assert sorted(sizes)[5_000] < 100


def test_sizes_scale_with_phones_and_customers():
    sizes = benchdata.customer_sizes(10_000, 100)
    assert sum(sizes) == 10_000 and len(sizes) == 100
    assert sizes[:11] == [1_000] + [100] * 10
    assert max(sizes[11:]) < 100 and min(sizes) >= 1


def test_sizes_with_few_customers_keep_the_biggest_biggest():
    sizes = benchdata.customer_sizes(PHONES, CUSTOMERS)
    assert sum(sizes) == PHONES and len(sizes) == CUSTOMERS
    assert sizes[0] > max(sizes[1:])
    assert sizes[1:11] == [sizes[1]] * 10 and min(sizes) >= 1


@pytest.mark.parametrize(
    ("phones", "customers", "expected"),
    [(5, 5, [1] * 5), (100, 1, [100]), (12, 3, None), (2_000, 20, None)],
)
def test_sizes_add_up_at_the_edges(phones, customers, expected):
    sizes = benchdata.customer_sizes(phones, customers)
    assert sum(sizes) == phones and len(sizes) == customers and min(sizes) >= 1
    if expected is not None:
        assert sizes == expected


@pytest.mark.parametrize(("phones", "customers"), [(3, 4), (10, 0)])
def test_impossible_sizes_are_refused(phones, customers):
    with pytest.raises(benchdata.BenchDataError):
        benchdata.customer_sizes(phones, customers)


def test_the_plan_is_deterministic():
    first = benchdata.make_plan(PHONES, CUSTOMERS, SEED)
    again = benchdata.make_plan(PHONES, CUSTOMERS, SEED)
    other = benchdata.make_plan(PHONES, CUSTOMERS, SEED + 1)
    assert first.biggest_customer_id == again.biggest_customer_id
    assert [first.customer_id(i) for i in range(CUSTOMERS)] == [
        again.customer_id(i) for i in range(CUSTOMERS)
    ]
    assert first.biggest_customer_id != other.biggest_customer_id
    assert is_id(first.biggest_customer_id)
    assert first.sizes[first.biggest] == max(first.sizes)
    assert first.sizes.count(max(first.sizes)) == 1


def test_ids_are_time_ordered_and_unique():
    sequence = benchdata.IdSequence(SEED, 5000)
    made = [sequence.next()[0] for _ in range(5000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{24}", value) for value in made)
    # before anything the service makes now, so a new record sorts after the bench data
    assert made[-1] < new_id()


def test_usernames_are_unique_and_credentials_32_characters():
    credentials = benchdata.Credentials(SEED)
    pairs = [credentials.of(number) for number in range(20_000)]
    assert len({username for username, _ in pairs}) == len(pairs)
    assert all(len(username) == 32 and len(password) == 32 for username, password in pairs)
    assert benchdata.Credentials(SEED + 1).of(0) != pairs[0]


def test_mac_suffixes_never_repeat():
    suffixes = {benchdata._mix24(number, 0x5A5A5A) for number in range(1 << 16)}
    assert len(suffixes) == 1 << 16


def test_rows_are_made_in_bounded_batches(monkeypatch):
    """Streaming: a batch is flushed once it holds BATCH_PHONES phones, so no more than
    that plus one customer burst is ever held, whatever the number of phones."""
    monkeypatch.setattr(benchdata, "BATCH_PHONES", 100)
    plan = benchdata.make_plan(20_000, 200, SEED)
    desk = [benchdata.PhoneModel("5e0f00000000000000000001", "SNOM", "Snom", "D785", 1)]
    base = [benchdata.PhoneModel("5e0f00000000000000000014", "YEALINK", "Yealink", "W70B", 10)]
    generator = benchdata.Generator(plan, desk, base, benchdata._text_sqlite)
    generator.customer_rows()
    largest_burst = max(
        -(-size // bursts) for size, bursts in zip(plan.sizes, generator.bursts, strict=True)
    )
    sizes = [len(batch.phones) for batch in generator.batches()]
    assert sum(sizes) == 20_000
    assert max(sizes) < 100 + largest_burst
    assert len(sizes) > 20_000 // (100 + largest_burst)


def test_every_not_null_column_is_written():
    written = {
        "customers": benchdata.CUSTOMER_COLUMNS,
        "employees": benchdata.EMPLOYEE_COLUMNS,
        "extensions": benchdata.EXTENSION_COLUMNS,
        "sip_phones": benchdata.PHONE_COLUMNS,
    }
    for model in (Customer, Employee, Extension, SipPhone):
        table = model.__table__
        required = {column.name for column in table.columns if not column.nullable}
        assert required <= set(written[table.name]), required - set(written[table.name])


def test_name_lists_are_large_and_real():
    assert len(names.ALL_FIRST) >= 800 and len(names.ALL_LAST) >= 900
    assert {"Anne", "Søren", "Jürgen", "Björn", "Jessica"} <= set(names.ALL_FIRST)
    assert {"Nielsen", "Müller", "Smith", "Johansson", "de Jong"} <= set(names.ALL_LAST)


# --- the loaded database -----------------------------------------------------------------


def test_the_reseller_tree_has_two_levels(loaded):
    tree = rows(loaded.engine, "SELECT id, parent_reseller_id AS parent FROM customers")
    parent = {row.id: row.parent for row in tree}
    tops = [id_ for id_, up in parent.items() if up is None]
    assert len(tops) == 1
    children = defaultdict(list)
    for id_, up in parent.items():
        children[up].append(id_)
    resellers = children[tops[0]]
    subs = [sub for reseller in resellers for sub in children[reseller] if children[sub]]
    assert resellers and subs
    customers = end_customers(loaded.engine)
    assert len(customers) == CUSTOMERS
    depths = Counter(2 if parent[c] in resellers else 3 for c in customers)
    assert set(depths) == {2, 3}  # under resellers and under sub-resellers
    assert all(parent[parent[c]] in (tops[0], *resellers) for c in customers)


def test_phones_per_customer_follow_the_planned_skew(loaded):
    counts = dict(rows(loaded.engine, "SELECT customer_id, count(*) FROM sip_phones GROUP BY 1"))
    assert sorted(counts.values(), reverse=True) == benchdata.customer_sizes(PHONES, CUSTOMERS)
    assert set(counts) == set(end_customers(loaded.engine))
    report = loaded.report
    assert (
        report.biggest_customer_id
        == benchdata.make_plan(PHONES, CUSTOMERS, SEED).biggest_customer_id
    )
    assert (
        counts[report.biggest_customer_id] == max(counts.values()) == report.biggest_customer_phones
    )
    assert report.phones == PHONES


def test_about_85_percent_of_phones_have_an_extension_with_an_employee(loaded):
    engine = loaded.engine
    assigned = scalar(engine, "SELECT count(*) FROM sip_phones WHERE extension_id IS NOT NULL")
    assert 0.80 < assigned / PHONES < 0.90
    # one extension per assigned phone, each with its own employee
    assert scalar(engine, "SELECT count(*) FROM extensions") == assigned
    assert scalar(engine, "SELECT count(DISTINCT employee_id) FROM extensions") == assigned
    no_login = rows(
        engine,
        "SELECT m.access_level, m.email_address FROM extensions e "
        "JOIN employees m ON m.customer_id = e.customer_id AND m.id = e.employee_id",
    )
    assert {(row.access_level, row.email_address) for row in no_login} == {("NO_LOGIN", None)}
    numbers = [int(row.number) for row in rows(engine, "SELECT number FROM extensions")]
    assert min(numbers) >= 100


def test_one_owner_per_customer(loaded):
    owners = rows(
        loaded.engine,
        "SELECT customer_id, email_address FROM employees WHERE access_level = 'OWNER'",
    )
    assert sorted(row.customer_id for row in owners) == end_customers(loaded.engine)
    assert all(
        row.email_address and row.email_address == row.email_address.lower() for row in owners
    )


def test_half_the_extensions_have_a_unique_direct_number(loaded):
    directs = [row.direct for row in rows(loaded.engine, "SELECT direct FROM extensions")]
    given = [direct for direct in directs if direct is not None]
    assert 0.44 < len(given) / len(directs) < 0.56
    assert len(set(given)) == len(given)
    assert all(re.fullmatch(r"\+45\d{8}", direct) for direct in given)


def test_a_third_of_the_phones_have_notes(loaded):
    notes = scalar(loaded.engine, "SELECT count(*) FROM sip_phones WHERE notes <> ''")
    assert 0.28 < notes / PHONES < 0.39


def test_most_phones_are_locked_to_an_address(loaded):
    modes = rows(loaded.engine, "SELECT ip_mode, ip_address, ip_countries FROM sip_phones")
    by_mode = Counter(row.ip_mode for row in modes)
    assert 0.75 < by_mode["LOCKED"] / PHONES < 0.85
    assert by_mode["ROAMING"] > 0 and by_mode["OPEN"] > 0
    for row in modes:
        if row.ip_mode == "LOCKED":
            assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", row.ip_address) and row.ip_countries == ""
        elif row.ip_mode == "ROAMING":
            assert row.ip_address is None and re.fullmatch(
                r"[A-Z]{2}(,[A-Z]{2})*", row.ip_countries
            )
        else:
            assert row.ip_address is None and row.ip_countries == ""


def test_dect_handsets_share_their_base_mac(loaded):
    engine = loaded.engine
    capacity = dict(rows(engine, "SELECT id, extensions FROM sip_phone_models"))
    phones = rows(
        engine,
        "SELECT customer_id, sip_phone_model_id AS model, mac_address AS mac, handset_index, "
        "handset_address FROM sip_phones",
    )
    bases = defaultdict(list)
    desk_macs = []
    for phone in phones:
        if phone.handset_index is None:
            assert capacity[phone.model] == 1
            desk_macs.append(phone.mac)
        else:
            assert capacity[phone.model] > 1 and phone.handset_address
            bases[phone.mac].append(phone)
    assert len(set(desk_macs)) == len(desk_macs)
    assert not set(desk_macs) & set(bases)
    handsets = sum(len(members) for members in bases.values())
    assert 0.015 < handsets / PHONES < 0.05
    for members in bases.values():
        assert len({(m.customer_id, m.model) for m in members}) == 1
        assert sorted(m.handset_index for m in members) == list(range(len(members)))
        assert 2 <= len(members) <= capacity[members[0].model]
    assert all(re.fullmatch(r"[0-9A-F]{12}", phone.mac) for phone in phones)


def test_credentials_are_unique(loaded):
    credentials = rows(loaded.engine, "SELECT sip_username, sip_password FROM sip_phones")
    assert len({row.sip_username for row in credentials}) == PHONES
    assert all(len(row.sip_username) == len(row.sip_password) == 32 for row in credentials)


def test_names_are_real_and_skewed(loaded):
    engine = loaded.engine
    first_names, last_names = set(names.ALL_FIRST), set(names.ALL_LAST)
    employees = [row.name for row in rows(engine, "SELECT name FROM employees")]
    for name in employees:  # either part may hold a space ("Ida Marie", "van Dijk")
        splits = [index for index, char in enumerate(name) if char == " "]
        assert any(
            name[:index] in first_names and name[index + 1 :] in last_names for index in splits
        ), name
    biggest = [
        row.name.split(" ")[0]
        for row in rows(
            engine,
            "SELECT m.name FROM employees m WHERE m.customer_id = :customer",
            customer=loaded.report.biggest_customer_id,
        )
    ]
    top_name, top_count = Counter(biggest).most_common(1)[0]
    assert 0.03 < top_count / len(biggest) < 0.12, (top_name, top_count, len(biggest))
    assert len(set(biggest)) > 80  # and a long tail


def test_timestamps_read_back_as_the_id_time(loaded):
    with make_session_factory(loaded.engine)() as session:
        phones = session.scalars(select(SipPhone).order_by(SipPhone.id).limit(50)).all()
        for phone in phones:
            made = datetime.fromtimestamp(int(phone.id[:8], 16), UTC)
            assert phone.created_at == made == phone.config_saved_at
            assert phone.softkeys == []
        owners = session.scalars(select(Employee).where(Employee.access_level == "OWNER")).all()
        assert all(owner.created_at.tzinfo is not None for owner in owners)


def test_no_constraint_is_broken(loaded):
    engine = loaded.engine
    if engine.dialect.name == "sqlite":
        assert rows(engine, "PRAGMA foreign_key_check") == []
        assert rows(engine, "PRAGMA integrity_check") == [("ok",)]
    else:  # PostgreSQL checked every row on the way in; its indexes are all valid
        assert scalar(engine, "SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0
    orphans = scalar(
        engine,
        "SELECT count(*) FROM sip_phones p LEFT JOIN extensions e "
        "ON e.customer_id = p.customer_id AND e.id = p.extension_id "
        "WHERE p.extension_id IS NOT NULL AND e.id IS NULL",
    )
    assert orphans == 0


@pytest.mark.skipif(search_index is None, reason="no search index in this build")
def test_the_search_index_is_rebuilt_with_its_triggers(loaded):
    engine = loaded.engine
    assert scalar(engine, f"SELECT count(*) FROM {search_index.TABLE}") == PHONES  # noqa: S608
    if engine.dialect.name == "sqlite":
        triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        triggers = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    names_now = {row[0] for row in rows(engine, triggers)}
    assert {name for name in names_now if name.startswith(search_index.TABLE)}


def test_loading_twice_gives_the_same_rows_on_either_database(sqlite_loaded, postgresql_loaded):
    """Same seed, same rows: ids, MACs, names, numbers, credentials (times aside)."""
    queries = [
        "SELECT id, name, parent_reseller_id FROM customers ORDER BY id",
        # (the API test adds an ADMIN of its own)
        "SELECT id, customer_id, name, email_address FROM employees "
        "WHERE access_level <> 'ADMIN' ORDER BY id",
        "SELECT id, number, direct, employee_id FROM extensions ORDER BY id",
        "SELECT id, mac_address, handset_index, extension_id, notes, ip_address, sip_username, "
        "sip_password FROM sip_phones ORDER BY id",
    ]
    for query in queries:
        assert rows(sqlite_loaded.engine, query) == rows(postgresql_loaded.engine, query), query


def test_another_seed_gives_other_rows(sqlite_loaded, tmp_path):
    other = _load(f"sqlite:///{tmp_path / 'other.db'}", seed=SEED + 1)
    try:
        query = "SELECT id, mac_address, sip_username FROM sip_phones ORDER BY id"
        mine, theirs = rows(sqlite_loaded.engine, query), rows(other.engine, query)
        assert not {row.id for row in mine} & {row.id for row in theirs}
        assert not {row.mac_address for row in mine} & {row.mac_address for row in theirs}
        assert not {row.sip_username for row in mine} & {row.sip_username for row in theirs}
        names_query = "SELECT name FROM employees ORDER BY id"
        assert rows(sqlite_loaded.engine, names_query) != rows(other.engine, names_query)
        assert other.report.biggest_customer_id != sqlite_loaded.report.biggest_customer_id
    finally:
        other.engine.dispose()


# --- the API on the loaded data -------------------------------------------------------


def test_the_api_lists_the_biggest_customers_phones(loaded):
    with transaction(make_session_factory(loaded.engine)) as session:
        operator = session.scalars(
            select(Customer).where(Customer.parent_reseller_id.is_(None))
        ).one()
        admin = Employee(
            id=new_id(), customer_id=operator.id, name="Bench Admin",
            access_level=AccessLevel.ADMIN.value, state="ENABLED", language="en",
            created_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(admin)
        session.flush()
        token = issue_token(session, admin)
    biggest = loaded.report.biggest_customer_id
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(Settings(database_url=loaded.url), engine=loaded.engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/pbx/sipphone", params={"customer": biggest}, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["total"] == loaded.report.biggest_customer_phones
        expected = [
            row.id
            for row in rows(
                loaded.engine,
                "SELECT id FROM sip_phones WHERE customer_id = :customer ORDER BY id LIMIT 50",
                customer=biggest,
            )
        ]
        assert [phone["_id"] for phone in body["sipPhones"]] == expected

        full = client.get(
            "/pbx/sipphone", params={"customer": biggest, "limit": 200, "full": "true"},
            headers=headers,
        )  # fmt: skip
        assert full.status_code == 200, full.text
        assert len(full.json()["sipPhones"]) == 200

        # the filter finds a phone by a fragment of its MAC (the index was rebuilt)
        phone = body["sipPhones"][7]
        mac = phone["macAddress"].replace(":", "").replace("-", "").upper()
        found = client.get(
            "/pbx/sipphone", params={"customer": biggest, "filter": mac[-6:]}, headers=headers
        )
        assert found.status_code == 200, found.text
        assert phone["_id"] in [hit["_id"] for hit in found.json()["sipPhones"]]

        available = client.get(
            "/pbx/sipphone", params={"customer": biggest, "available": "true"}, headers=headers
        )
        unassigned = scalar(
            loaded.engine,
            "SELECT count(*) FROM sip_phones WHERE customer_id = :customer "
            "AND extension_id IS NULL",
            customer=biggest,
        )
        assert available.json()["total"] == unassigned


# --- the command ----------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, capsys):
    def _run(url: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("PBXAPI_DATABASE_URL", url)
        get_settings.cache_clear()
        capsys.readouterr()
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    yield _run
    get_settings.cache_clear()


def test_the_command_loads_and_names_the_biggest_customer(run, empty_sqlite_url):
    code, out, err = run(
        empty_sqlite_url, "bench-data", "--phones", "500", "--customers", "12", "--seed", "3"
    )
    assert code == 0, err
    last = out.splitlines()[-1]
    biggest = benchdata.make_plan(500, 12, 3).biggest_customer_id
    assert last == f"biggest customer {biggest} with {benchdata.customer_sizes(500, 12)[0]} phones"
    assert re.search(r"^phones \(500, .*\): \d+\.\d s$", out, re.MULTILINE)
    engine = create_db_engine(empty_sqlite_url)
    try:
        assert (
            scalar(engine, "SELECT count(*) FROM sip_phones WHERE customer_id = :c", c=biggest)
            == benchdata.customer_sizes(500, 12)[0]
        )
    finally:
        engine.dispose()


def test_the_command_refuses_a_database_with_customers(run, empty_sqlite_url):
    assert run(empty_sqlite_url, "bench-data", "--phones", "40", "--customers", "4")[0] == 0
    engine = create_db_engine(empty_sqlite_url)
    try:
        before = scalar(engine, "SELECT count(*) FROM sip_phones")
        code, out, err = run(empty_sqlite_url, "bench-data", "--phones", "40", "--customers", "4")
        assert code == 1 and "already holds customers" in err and out == ""
        assert scalar(engine, "SELECT count(*) FROM sip_phones") == before == 40
    finally:
        engine.dispose()


def test_the_command_refuses_impossible_sizes(run, empty_sqlite_url):
    code, _, err = run(empty_sqlite_url, "bench-data", "--phones", "3", "--customers", "4")
    assert code == 1 and "--phones" in err


def test_the_command_refuses_a_database_without_schema(run, tmp_path):
    code, _, err = run(f"sqlite:///{tmp_path / 'bare.db'}", "bench-data", "--phones", "10",
                       "--customers", "2")  # fmt: skip
    assert code == 1 and "pbxapi migrate" in err


def test_a_failed_load_leaves_the_database_as_it_was(monkeypatch, empty_sqlite_url):
    def failing_batches(self):
        yield from []
        raise RuntimeError("disk full")

    monkeypatch.setattr(benchdata.Generator, "batches", failing_batches)
    engine = create_db_engine(empty_sqlite_url)
    try:
        tables_before = set(inspect(engine).get_table_names())
        with pytest.raises(RuntimeError, match="disk full"):
            benchdata.load(engine, 100, 5, SEED)
        assert scalar(engine, "SELECT count(*) FROM customers") == 0
        assert set(inspect(engine).get_table_names()) == tables_before
    finally:
        engine.dispose()


def test_models_come_from_the_catalogue(sqlite_loaded):
    with make_session_factory(sqlite_loaded.engine)() as session:
        used = set(session.scalars(select(SipPhone.sip_phone_model_id).distinct()))
        models = {m.id: m for m in session.scalars(select(SipPhoneModel))}
        assert used <= set(models)
        assert all(models[model_id].brand != "GENERIC" for model_id in used)
        assert session.scalar(select(func.count()).select_from(Extension)) > 0
