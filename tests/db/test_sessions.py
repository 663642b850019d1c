"""How a request's session ends, and what that keeps: a successful request commits, a
failed one rolls back; on PostgreSQL the connection's prepared statements survive from
one request to the next (psycopg drops them all on ROLLBACK), so the hot reads are not
planned again on every request."""

import pytest
from sqlalchemy import event, text

from pbxapi.auth.levels import AccessLevel


@pytest.fixture
def endings(engine):
    """The COMMITs and ROLLBACKs the engine's connections run inside a `with` block."""
    seen: list[str] = []

    def commit(_connection) -> None:
        seen.append("commit")

    def rollback(_connection) -> None:
        seen.append("rollback")

    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    yield seen
    event.remove(engine, "commit", commit)
    event.remove(engine, "rollback", rollback)


def test_a_successful_read_ends_with_a_commit(client, factory, endings):
    customer = factory.customer()
    headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.VIEWER)}"}
    endings.clear()
    response = client.get("/pbx/sipphone", headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert endings == ["commit"]


def test_a_failed_request_ends_with_a_rollback_and_writes_nothing(client, factory, endings):
    customer = factory.customer()
    headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.MANAGER)}"}
    assert client.post("/pbx/extension", json={"number": "100"}, headers=headers).json()
    endings.clear()
    # the duplicate number is refused by the database, after the row was flushed
    refused = client.post("/pbx/extension", json={"number": "100", "name": "Second"},
                          headers=headers)  # fmt: skip
    assert refused.status_code == 409
    assert "commit" not in endings
    assert "rollback" in endings
    endings.clear()
    assert client.get("/pbx/sipphone/" + "0" * 24, headers=headers).status_code == 404
    assert endings == ["rollback"]
    listed = client.get("/pbx/extension", headers=headers).json()
    assert [(e["number"], e["name"]) for e in listed["extensions"]] == [("100", "")]


def test_postgresql_keeps_the_list_statement_prepared_between_requests(
    client, factory, engine, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("prepared statements are PostgreSQL's")
    customer = factory.customer()
    factory.phone(customer)
    headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.VIEWER)}"}
    engine.dispose()  # one connection, so that every request below uses the same one
    for _ in range(8):  # psycopg prepares a statement on its 5th execution
        assert client.get("/pbx/sipphone", headers=headers).json()["total"] == 1
    with engine.connect() as connection:  # the pool hands out the last connection used
        prepared = connection.execute(
            text("SELECT statement FROM pg_prepared_statements")
        ).scalars().all()
    assert any("FROM sip_phones" in statement for statement in prepared), prepared
    assert any("FROM api_tokens" in statement for statement in prepared), prepared


def test_postgresql_plans_a_search_for_its_terms_every_time(client, factory, engine, database_url):
    """A prepared statement's generic plan cannot know how common a term is; for a search
    it walks every match of a common name. Searches are never prepared (planned for their
    terms on every call); the page's rows, read by id, are."""
    if not database_url.startswith("postgresql"):
        pytest.skip("plan caching is PostgreSQL's")
    customer = factory.customer()
    for number in range(60):
        factory.phone(customer, notes=f"lobby {number}")
    headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.VIEWER)}"}
    engine.dispose()
    for _ in range(8):  # psycopg prepares a statement on its 5th run
        listed = client.get("/pbx/sipphone", params={"filter": "lobby"}, headers=headers)
        assert listed.json()["total"] == 60  # a full page: counted by a statement of its own
    with engine.connect() as connection:
        prepared = connection.execute(
            text("SELECT statement FROM pg_prepared_statements")
        ).scalars().all()
    assert not [statement for statement in prepared if "sip_phone_search" in statement]
    by_ids = [statement for statement in prepared if "FROM sip_phones" in statement]
    assert any("ANY" in statement for statement in by_ids), prepared


def test_a_column_type_changed_under_prepared_statements_is_one_503_then_answered():
    """A migration that changes a column's type makes PostgreSQL refuse the statements a
    connection prepared before it ("cached plan must not change result type"). The request
    that meets it is a 503 to retry, not a 500, and its rollback drops the stale
    statements: the next request is answered."""
    from fastapi.testclient import TestClient

    from harness.databases import throwaway_postgres_database
    from harness.factory import Factory
    from pbxapi.app import create_app
    from pbxapi.config import Settings
    from pbxapi.db.engine import create_db_engine, make_session_factory
    from pbxapi.db.migrate import upgrade

    with throwaway_postgres_database("pbxapi_plans") as url:
        upgrade(url)
        engine = create_db_engine(url)
        try:
            factory = Factory(make_session_factory(engine))
            customer = factory.customer()
            factory.phone(customer)
            headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.VIEWER)}"}
            engine.dispose()
            app = create_app(Settings(database_url=url), engine=engine)
            with TestClient(app, raise_server_exceptions=False) as client:
                for _ in range(6):  # prepared from the 5th run
                    assert client.get("/pbx/sipphone", headers=headers).status_code == 200
                # as a migration would: from another connection
                migrating = create_db_engine(url)
                with migrating.begin() as connection:
                    connection.execute(text(
                        "ALTER TABLE sip_phones ALTER COLUMN ip_countries TYPE varchar(1024)"
                    ))  # fmt: skip
                migrating.dispose()
                refused = client.get("/pbx/sipphone", headers=headers)
                assert refused.status_code == 503
                assert refused.json()["error"] == "unavailable"
                assert refused.headers["Retry-After"] == "1"
                answered = client.get("/pbx/sipphone", headers=headers)
                assert answered.status_code == 200
                assert answered.json()["total"] == 1
        finally:
            engine.dispose()
