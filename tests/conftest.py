"""Every API test runs on SQLite and on PostgreSQL.

Each backend's database is migrated once per session. Tests do not clean up:
the list is per customer, so each test makes its own customers and sees only
its own data.
"""

import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from harness.databases import throwaway_postgres_database
from harness.factory import Factory
from pbxapi.app import create_app
from pbxapi.config import Settings
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.db.migrate import upgrade

# CLI fixtures (run, api, sqlite_url, postgresql_url, any_url) for every module.
pytest_plugins = ["tests.support.cli_runner"]


@pytest.fixture(scope="session")
def postgresql_database_url() -> Iterator[str]:
    """A fresh database on the test server, dropped at the end of the session."""
    with throwaway_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_database_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'pbxapi.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_database_url")


@pytest.fixture(scope="session")
def engine(database_url) -> Iterator[Engine]:
    upgrade(database_url)
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(engine, database_url):
    return create_app(Settings(database_url=database_url), engine=engine)


def unique_client_address() -> str:
    """A documentation IPv6 address in a /64 of its own: failed logins are throttled per
    address (an IPv6 client by its /64), and each test is a client machine of its own."""
    return f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::{secrets.token_hex(2)}"


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    address = (unique_client_address(), 50000)
    with TestClient(app, raise_server_exceptions=False, client=address) as client:
        yield client


@pytest.fixture
def factory(engine) -> Factory:
    return Factory(make_session_factory(engine))


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)


@pytest.fixture
def count_statements(engine):
    """Counts the SQL statements the engine runs inside a `with` block."""

    class _Counting:
        def __enter__(self):
            self.counter = StatementCounter()
            event.listen(engine, "before_cursor_execute", self.counter)
            return self.counter

        def __exit__(self, *exc):
            event.remove(engine, "before_cursor_execute", self.counter)

    return _Counting
