"""Throwaway test databases: PostgreSQL ones made and dropped on the test server."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pbxapi.db.engine import normalize_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get("PBXAPI_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_unavailable(reason: str) -> None:
    """Skip with the reason shown; in CI an unreachable PostgreSQL fails the run instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not reachable at {postgres_admin_url()}: {reason}")


@contextmanager
def throwaway_postgres_database(prefix: str = "pbxapi_test") -> Iterator[str]:
    """A new, empty UTF-8 database on the test server, dropped afterwards."""
    admin_url = normalize_url(postgres_admin_url())
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(
                text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            )
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "not available"
        admin.dispose()
        postgres_unavailable(str(exc).splitlines()[0])
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
