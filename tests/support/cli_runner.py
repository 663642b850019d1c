"""Fixtures that run the command line in-process against databases of their own (a
temporary SQLite file, or a throwaway PostgreSQL database), and an API client for them.
Registered for every test module through conftest.py."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from harness.databases import throwaway_postgres_database
from pbxapi import cli
from pbxapi.app import create_app
from pbxapi.config import Settings, get_settings
from pbxapi.db.engine import create_db_engine

# --- databases and the CLI runner ------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def other_sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'other.db'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    with throwaway_postgres_database("pbxapi_cli") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@dataclass
class Run:
    code: int
    out: str
    err: str
    # connections the command's engines still held open when it returned
    open_connections: int = 0

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def run(monkeypatch, capsys) -> Iterator[Callable[..., Run]]:
    """run(url, *argv): pbxapi <argv> against that database, with its exit code and output.

    The engines the command creates are recorded, their open connections counted (the
    CLI must close them: test_commands_close_their_connections), then disposed, so that a
    leak fails that test rather than whichever test runs when it is collected."""
    engines = []

    def recording_create_db_engine(*args, **kwargs):
        engine = create_db_engine(*args, **kwargs)
        engines.append(engine)
        return engine

    monkeypatch.setattr(cli, "create_db_engine", recording_create_db_engine)
    get_settings.cache_clear()

    def _run(url: str, *argv: str) -> Run:
        monkeypatch.setenv("PBXAPI_DATABASE_URL", url)
        get_settings.cache_clear()
        capsys.readouterr()
        engines.clear()
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse errors
            code = exc.code
        out, err = capsys.readouterr()
        open_connections = sum(engine.pool.checkedin() for engine in engines)
        for engine in engines:
            engine.dispose()
        return Run(code, out, err, open_connections)

    yield _run
    get_settings.cache_clear()


@contextmanager
def api(url: str) -> Iterator[TestClient]:
    engine = create_db_engine(url)
    try:
        app = create_app(Settings(database_url=url), engine=engine)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
    finally:
        engine.dispose()
