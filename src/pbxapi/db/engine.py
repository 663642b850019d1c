"""Engine and sessions for the configured database (SQLite or PostgreSQL)."""

import select
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker


def normalize_url(url: str) -> str:
    """postgresql:// selects psycopg 3; sqlite:// stays as it is."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record) -> None:
    # SQLite's own lower() folds ASCII only: the filter must fold "Æ" like PostgreSQL does.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def create_db_engine(url: str, **kwargs) -> Engine:
    url = normalize_url(url)
    # Parameters hold SIP credentials and token digests: never in logs or error messages.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, **kwargs.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if "poolclass" not in kwargs:
        # LIFO: a few hot connections serve a steady load (their prepared statements
        # warm), the rest stay idle and are pinged, or timed out by the server, alone.
        kwargs = {"pool_size": 10, "max_overflow": 10, "pool_use_lifo": True, **kwargs}
    engine = create_engine(url, **kwargs)
    _ping_connections_that_may_be_dead(engine)
    event.listen(engine, "do_execute", _plan_per_call_when_asked, retval=True)
    return engine


# Execution option: PostgreSQL plans the statement for its values on every call, instead of
# the generic plan it settles on for a statement psycopg has prepared (from its 5th run on a
# connection). For statements whose best plan depends on the values: a search's plan on how
# common its terms are (sipphones.queries).
PLAN_PER_CALL = "pbxapi_plan_per_call"


def _plan_per_call_when_asked(cursor, statement, parameters, context) -> bool | None:
    if not context.execution_options.get(PLAN_PER_CALL):
        return None  # the dialect executes it, prepared once it has run often enough
    cursor.execute(statement, parameters, prepare=False)
    return True


# A connection that has served within this many seconds is handed out without a ping.
IDLE_BEFORE_PING = 1.0


def _ping_connections_that_may_be_dead(engine: Engine) -> None:
    """Ping a pooled connection before use only when it may be dead: when it has been idle
    a while (a timeout, or a server gone without a word), or when the server has sent it
    something unasked, which an idle connection receives when the server terminates it
    (a restart; a crash closes the socket, which reads likewise). Pinging every connection
    would add a round trip to every request. A connection that dies while in use fails its
    request with a 503, and SQLAlchemy then replaces every pooled connection made before."""

    @event.listens_for(engine, "checkin")
    def remember_last_use(_dbapi_connection, record) -> None:
        record.info["last_use"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_maybe_dead(dbapi_connection, record, _proxy) -> None:
        last_use = record.info.get("last_use")
        if last_use is None:
            return  # fresh from connect
        idle = time.monotonic() - last_use >= IDLE_BEFORE_PING
        if not idle and not _has_unread_input(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # the pool discards this connection and checks out another
            raise DisconnectionError("a pooled connection is gone") from error


def _has_unread_input(dbapi_connection) -> bool:
    """Whether the server sent an idle psycopg connection anything (a poll, no I/O)."""
    try:
        readable, _, _ = select.select([dbapi_connection.pgconn.socket], [], [], 0)
    except (OSError, ValueError, dbapi_connection.OperationalError):
        return True  # no usable socket: the ping decides
    return bool(readable)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back on any error."""
    with factory() as session, session.begin():
        yield session
