"""Throwaway test databases: PostgreSQL ones made and dropped on the test server, and
PostgreSQL clusters of a test's own."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresCluster:
    """A PostgreSQL server of the test's own (initdb in a temporary directory, on a free
    port), so that a test may stop and start it: the shared test server is never touched."""

    def __init__(self, directory: str, port: int, run_as: list[str]):
        self.directory = directory
        self.port = port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        self._run_as = run_as

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, arguments of our own
            [*self._run_as, _postgres_program("pg_ctl"), "-D", f"{self.directory}/data", *args],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} -c fsync=off"
        )
        self._pg_ctl("-o", options, "-l", f"{self.directory}/log", "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends the sessions and shuts down cleanly; `immediate` is a crash."""
        self._pg_ctl("-m", mode, "-w", "stop")


def _postgres_program(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_of_path)
    return found[-1] if found else shutil.which(name) or name


def _version_of_path(path: str) -> int:
    version = path.split("/")[-3]
    return int(version) if version.isdigit() else 0


@contextmanager
def own_postgres_cluster() -> Iterator[PostgresCluster]:
    """A new PostgreSQL cluster, started; stopped and removed afterwards whatever happens.
    PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user."""
    run_as: list[str] = []
    if os.geteuid() == 0:
        run_as = ["runuser", "-u", "postgres", "--"]
    directory = tempfile.mkdtemp(prefix="pbxapi_cluster_")
    try:
        if run_as:
            shutil.chown(directory, user="postgres")
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, arguments of our own
            [*run_as, _postgres_program("initdb"), "-D", f"{directory}/data", "-U", "postgres",
             "--auth=trust", "--encoding=UTF8", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    except (OSError, LookupError, subprocess.SubprocessError) as exc:
        shutil.rmtree(directory, ignore_errors=True)
        postgres_unavailable(f"cannot make a cluster of our own: {exc}")
    cluster = PostgresCluster(directory, free_port(), run_as)
    try:
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(directory, ignore_errors=True)
