"""The search index follows every write: phones, extensions and employees, through the
API and straight in the database; and a rebuild gives what the triggers gave."""

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pbxapi.auth.levels import AccessLevel
from pbxapi.db import search_index
from pbxapi.db.search_index import search_table
from pbxapi.db.tables import Employee


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def office(client, factory):
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.MANAGER)
    employee = factory.employee(customer, name="Gertrud Quistgaard")
    extension = factory.extension(customer, "4711", direct="+4533445566", employee_id=employee)
    phone = factory.phone(customer, extension_id=extension, notes="Kantinen")
    return customer, token, employee, extension, phone


def found(client, token, text: str) -> list[str]:
    response = client.get("/pbx/sipphone", params={"filter": text}, headers=auth(token))
    assert response.status_code == 200, response.text
    return [phone["_id"] for phone in response.json()["sipPhones"]]


def test_a_renamed_employee_is_found_under_the_new_name_only(client, engine, office):
    _, token, employee, _, phone = office
    assert found(client, token, "quistgaard") == [phone.id]
    with Session(engine) as session, session.begin():
        session.execute(update(Employee).where(Employee.id == employee).values(name="Gerda Ravn"))
    assert found(client, token, "quistgaard") == []
    assert found(client, token, "ravn") == [phone.id]


def test_a_renamed_employee_through_the_api(client, office):
    _, token, employee, _, phone = office
    response = client.post(f"/employee/{employee}", json={"name": "Harald Blåtand"},
                           headers=auth(token))  # fmt: skip
    assert response.status_code == 200, response.text
    assert found(client, token, "blåtand") == [phone.id]
    assert found(client, token, "gertrud") == []


def test_extension_number_direct_and_employee_changes_follow(client, factory, office):
    customer, token, _, extension, phone = office
    other = factory.employee(customer, name="Ingeborg Zeuthen")
    response = client.post(
        f"/pbx/extension/{extension}",
        json={"number": "8123", "direct": "+4599887766", "employee": other},
        headers=auth(token),
    )
    assert response.status_code == 200, response.text
    assert found(client, token, "4711") == []
    assert found(client, token, "8123") == [phone.id]
    assert found(client, token, "33445566") == []
    assert found(client, token, "99887766") == [phone.id]
    assert found(client, token, "quistgaard") == []
    assert found(client, token, "zeuthen") == [phone.id]


def test_deleting_the_extension_unassigns_and_unindexes_its_words(client, office):
    _, token, _, extension, phone = office
    assert client.delete(f"/pbx/extension/{extension}", headers=auth(token)).status_code == 200
    assert found(client, token, "quistgaard") == []
    assert found(client, token, "4711") == []
    assert found(client, token, "kantinen") == [phone.id]


def test_phone_writes_follow(client, engine, office):
    _, token, _, _, phone = office
    response = client.post(
        f"/pbx/sipphone/{phone.id}",
        json={"notes": "Lager", "ip": {"mode": "LOCKED", "address": "198.51.100.77"}},
        headers=auth(token),
    )
    assert response.status_code == 200, response.text
    assert found(client, token, "kantinen") == []
    assert found(client, token, "lager") == [phone.id]
    assert found(client, token, "51.100.77") == [phone.id]
    assert client.delete(f"/pbx/sipphone/{phone.id}", headers=auth(token)).status_code == 200
    with Session(engine) as session:
        left = session.scalar(
            select(func.count())
            .select_from(search_table)
            .where(search_table.c.phone_id == phone.id)
        )
    assert left == 0


def test_every_phone_has_exactly_one_index_row(client, factory, engine):
    customer = factory.customer()
    phones = [factory.phone(customer, notes=f"n{n}") for n in range(5)]
    with Session(engine) as session:
        rows = (
            session.execute(
                select(search_table.c.phone_id).where(search_table.c.customer_id == customer)
            )
            .scalars()
            .all()
        )
    assert sorted(rows) == sorted(phone.id for phone in phones)


def test_short_and_long_terms_agree(client, factory):
    """Under three characters SQLite compares rows directly: same answers as the index."""
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.VIEWER)
    a = factory.phone(customer, notes="xq7 zz")
    b = factory.phone(customer, notes="q7x")
    assert found(client, token, "q7") == [a.id, b.id]
    assert found(client, token, "xq7") == [a.id]
    assert found(client, token, "q7 zz") == [a.id]
    assert found(client, token, "Q7X") == [b.id]


def test_rebuild_gives_what_the_triggers_gave(tmp_path):
    """On a database of its own: fill through the triggers, rebuild, compare the rows."""
    from harness.factory import Factory
    from pbxapi.db.engine import create_db_engine, make_session_factory
    from pbxapi.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'rebuild.db'}"
    upgrade(url)
    engine = create_db_engine(url)
    try:
        factory = Factory(make_session_factory(engine))
        customer = factory.customer()
        employee = factory.employee(customer, name="Åge Ølgaard")
        extension = factory.extension(customer, "200", employee_id=employee)
        for n in range(3):
            factory.phone(customer, extension_id=extension if n == 0 else None, notes=f"r{n}")

        def rows():
            with engine.connect() as connection:
                return sorted(connection.execute(select(search_table)).all())

        before = rows()
        assert len(before) == 3
        with engine.begin() as connection:
            search_index.rebuild(connection)
        assert rows() == before
    finally:
        engine.dispose()


def test_the_filter_reads_the_index_not_the_joined_rows(client, factory, count_statements):
    """A long term is answered by the index: the page is built without scanning names."""
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.VIEWER)
    factory.phone(customer, notes="indexed words")
    with count_statements() as counter:
        assert len(found(client, token, "indexed")) == 1
    filtering = [s for s in counter.statements if "sip_phone_search" in s]
    assert filtering, counter.statements
    # the direct comparison (the path for short terms) folds the joined name with lower()
    assert not any("lower(employees.name)" in s for s in counter.statements)


def test_sqlite_rows_sit_in_their_customers_rowid_range(factory, engine):
    """The Python and SQL twins of the customer key agree (SQLite's FTS5 ranges)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("the rowid ranges are SQLite's")
    customers = [factory.customer() for _ in range(3)]
    for customer in customers:
        for _ in range(2):
            factory.phone(customer)
    with Session(engine) as session:
        rows = session.execute(
            select(search_table.c.rowid, search_table.c.customer_id).where(
                search_table.c.customer_id.in_(customers)
            )
        ).all()
    assert len(rows) == 6
    for rowid, customer in rows:
        low, high = search_index.customer_range(customer)
        assert low <= rowid <= high


def test_sqlite_index_survives_vacuum(tmp_path):
    """VACUUM may renumber implicit rowids: the index keys are explicit, so it holds."""
    from fastapi.testclient import TestClient

    from harness.factory import Factory
    from pbxapi.app import create_app
    from pbxapi.config import Settings
    from pbxapi.db.engine import create_db_engine, make_session_factory
    from pbxapi.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'vacuum.db'}"
    upgrade(url)
    engine = create_db_engine(url)
    try:
        factory = Factory(make_session_factory(engine))
        customer = factory.customer()
        token = factory.login(customer, AccessLevel.MANAGER)
        phones = [factory.phone(customer, notes=f"vac{n}") for n in range(4)]
        with TestClient(create_app(Settings(database_url=url), engine=engine)) as client:
            assert (
                client.delete(f"/pbx/sipphone/{phones[0].id}", headers=auth(token)).status_code
                == 200
            )
            with engine.connect() as connection:
                connection.exec_driver_sql("VACUUM")
            late = factory.phone(customer, notes="vac-late")
            assert (
                client.delete(f"/pbx/sipphone/{phones[1].id}", headers=auth(token)).status_code
                == 200
            )
            assert found(client, token, "vac") == sorted([phones[2].id, phones[3].id, late.id])
            assert found(client, token, "vac-late") == [late.id]
    finally:
        engine.dispose()
