"""Every API test runs on SQLite and on PostgreSQL.

Each backend's database is migrated once per session. Tests do not clean up:
the list is per customer, so each test makes its own customers and sees only
its own data.
"""

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from pbxapi.app import create_app
from pbxapi.config import Settings
from pbxapi.db.engine import create_db_engine, make_session_factory, normalize_url
from pbxapi.db.migrate import upgrade
from tests.factory import Factory

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get("PBXAPI_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not reachable at {postgres_admin_url()}: {reason}")


@pytest.fixture(scope="session")
def postgresql_database_url() -> Iterator[str]:
    """A fresh database on the test server, dropped at the end of the session."""
    admin_url = normalize_url(postgres_admin_url())
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"pbxapi_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(
                text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            )
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "not available"
        admin.dispose()
        _postgres_unavailable(str(exc).splitlines()[0])
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
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
