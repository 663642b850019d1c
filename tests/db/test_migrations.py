"""The migration history: it runs up and down on SQLite and PostgreSQL, it builds exactly
the schema of pbxapi.db.tables, and it loads the phone model catalogue and Kamailio's
table versions.

These tests need databases of their own (they drop everything): a temporary SQLite file,
or a throwaway PostgreSQL database created and dropped here through the admin URL.
"""

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy import table as table_
from sqlalchemy.orm import Session

from harness.databases import throwaway_postgres_database
from pbxapi.db import phone_counts, search_index
from pbxapi.db.engine import create_db_engine
from pbxapi.db.migrate import alembic_config, downgrade, upgrade
from pbxapi.db.tables import Base, SipPhoneModel, kamailio_version

OUR_TABLES = set(Base.metadata.tables) | {search_index.TABLE, phone_counts.TABLE}
BRANDS = {"SNOM", "MITEL", "GIGASET", "LG", "CISCO", "YEALINK", "GENERIC"}
DECT_BASES = [("SNOM", "M700"), ("YEALINK", "W70B"), ("GIGASET", "N870 IP PRO")]
SOFTKEY_FUNCTIONS = {
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "REDIAL", "VOICEMAIL",
    "TRANSFER", "URL", "HOLD", "RECORD", "MENU", "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
    "PRESENCE",
}  # fmt: skip
# Kamailio 5.x usrloc `location` table, version 9
KAMAILIO_LOCATION_COLUMNS = {
    "id", "ruid", "username", "domain", "contact", "received", "path", "expires", "q",
    "callid", "cseq", "last_modified", "flags", "cflags", "user_agent", "socket", "methods",
    "instance", "reg_id", "server_id", "connection_id", "keepalive", "partition",
}  # fmt: skip


@contextmanager
def empty_database(backend: str, tmp_path_factory) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'pbxapi.db'}"
    else:
        with throwaway_postgres_database("pbxapi_migrations") as url:
            yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path_factory) -> Iterator[str]:
    """A new, empty database for one test."""
    with empty_database(request.param, tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def migrated_engine(request, tmp_path_factory) -> Iterator[Engine]:
    """A database of this module's own, migrated to head, shared by the read-only tests."""
    with empty_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        engine = create_db_engine(url)
        yield engine
        engine.dispose()


@contextmanager
def connected(url: str) -> Iterator:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def head_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(url: str) -> str | None:
    with connected(url) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def table_names(url: str) -> set[str]:
    """Tables, counting SQLite's FTS5 shadow tables as the index they belong to."""
    with connected(url) as connection:
        names = set(inspect(connection).get_table_names())
    return {search_index.TABLE if search_index.is_search_object(n) else n for n in names}


def row_count(url: str, table: str) -> int:
    with connected(url) as connection:
        return connection.execute(select(func.count()).select_from(table_(table))).scalar_one()


def _compare_server_default(
    context, inspected_column, metadata_column, inspected_default, metadata_default, rendered
):
    """Alembic's SQLite comparator strips the quotes of a default with the regex
    `'(.+)'`, which needs a character between them: an empty-string default ('') then
    always looks changed, although the database holds exactly ''. Only that case is
    decided here; everything else goes to Alembic's own comparison (None)."""
    if context.dialect.name == "sqlite" and rendered == "" and inspected_default in ("''", "('')"):
        return False
    return None


def schema_differences(connection) -> list:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": _compare_server_default,
            "include_name": lambda name, type_, parents: (
                not (search_index.is_search_object(name) or phone_counts.is_counts_object(name))
            ),
        },
    )
    return compare_metadata(context, Base.metadata)


# --- the revision history ------------------------------------------------------------


def test_history_is_one_linear_chain():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    revisions = list(script.walk_revisions())  # head first
    assert revisions[-1].revision == "0001_initial"
    assert [r.revision for r in reversed(revisions)][:6] == [
        "0001_initial", "0002_phone_model_catalogue", "0003_search_index",
        "0004_webrtc_model", "0005_phone_counts", "0006_available_in_id_order",
    ]  # fmt: skip
    for newer, older in itertools.pairwise(revisions):
        assert newer.down_revision == older.revision
    assert revisions[-1].down_revision is None


# --- up, down, up ----------------------------------------------------------------------


def test_upgrade_downgrade_upgrade(empty_url):
    head = head_revision(empty_url)

    upgrade(empty_url)
    assert current_revision(empty_url) == head
    assert table_names(empty_url) == OUR_TABLES | {"alembic_version"}
    models_first = row_count(empty_url, "sip_phone_models")
    assert models_first >= 20
    assert row_count(empty_url, "version") == 1

    downgrade(empty_url, "base")
    assert current_revision(empty_url) is None
    # Alembic keeps its own (now empty) bookkeeping table; nothing of ours remains.
    assert table_names(empty_url) <= {"alembic_version"}
    assert row_count(empty_url, "alembic_version") == 0
    with connected(empty_url) as connection:
        inspector = inspect(connection)
        if connection.dialect.name == "postgresql":
            assert inspector.get_sequence_names() == []  # location.id's serial is gone too

    upgrade(empty_url)
    assert current_revision(empty_url) == head
    assert table_names(empty_url) == OUR_TABLES | {"alembic_version"}
    assert row_count(empty_url, "sip_phone_models") == models_first
    assert row_count(empty_url, "version") == 1
    with connected(empty_url) as connection:
        assert schema_differences(connection) == []


def test_catalogue_revision_steps_down_and_up_alone(empty_url):
    upgrade(empty_url)
    models = row_count(empty_url, "sip_phone_models")

    downgrade(empty_url, "0001_initial")
    assert current_revision(empty_url) == "0001_initial"
    # the tables of later revisions go too (search index, counts, throttle, audit log);
    # the tables of 0001 stay
    later = {search_index.TABLE, phone_counts.TABLE, "login_throttle", "audit_events"}
    assert table_names(empty_url) == OUR_TABLES - later | {"alembic_version"}
    assert row_count(empty_url, "sip_phone_models") == 0
    assert row_count(empty_url, "version") == 1  # Kamailio's row belongs to the schema

    upgrade(empty_url)
    assert row_count(empty_url, "sip_phone_models") == models


# --- migrations and metadata agree -----------------------------------------------------


def test_migrations_match_the_metadata(migrated_engine):
    with migrated_engine.connect() as connection:
        assert schema_differences(connection) == []


def test_comparison_notices_drift(empty_url):
    """The comparison above is not vacuous: a column the metadata lacks is reported."""
    upgrade(empty_url)
    engine = create_db_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE customers ADD COLUMN stray INTEGER"))
        with engine.connect() as connection:
            differences = schema_differences(connection)
    finally:
        engine.dispose()
    assert [(d[0], d[2], d[3].name) for d in differences] == [
        ("remove_column", "customers", "stray")
    ]


# --- the phone model catalogue ---------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue(migrated_engine) -> list[SipPhoneModel]:
    with Session(migrated_engine) as session:
        return list(session.scalars(select(SipPhoneModel).order_by(SipPhoneModel.id)))


def test_catalogue_size_and_brands(catalogue):
    assert len(catalogue) >= 20
    assert {m.brand for m in catalogue} == BRANDS
    for brand in BRANDS - {"GENERIC"}:
        assert sum(m.brand == brand for m in catalogue) >= 2, brand


def test_catalogue_ids(catalogue):
    ids = [m.id for m in catalogue]
    assert all(re.fullmatch(r"[0-9a-f]{24}", id_) for id_ in ids), ids
    assert len(set(ids)) == len(ids)
    keys = [(m.brand, m.model) for m in catalogue]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(("brand", "model"), DECT_BASES)
def test_dect_bases_hold_several_handsets(catalogue, brand, model):
    [base] = [m for m in catalogue if (m.brand, m.model) == (brand, model)]
    assert base.extensions > 1
    assert base.cap_multiple_handsets is True
    assert base.softkeys == 0


def test_capacity_above_one_iff_multiple_handsets(catalogue):
    for m in catalogue:
        assert m.extensions >= 1, (m.brand, m.model)
        assert (m.extensions > 1) == m.cap_multiple_handsets, (m.brand, m.model, m.extensions)
    desk = [m for m in catalogue if not m.cap_multiple_handsets]
    assert len(desk) >= 14
    assert {m.extensions for m in desk} == {1}


def test_catalogue_fields_are_well_formed(catalogue):
    for m in catalogue:
        where = (m.brand, m.model)
        assert m.brand_name.strip() and m.model.strip() and m.description.strip(), where
        assert m.brand_name.upper().startswith(m.brand), where  # "LG-Ericsson" for LG
        assert isinstance(m.softkey_capabilities, list), where
        assert set(m.softkey_capabilities) <= SOFTKEY_FUNCTIONS, where
        assert len(set(m.softkey_capabilities)) == len(m.softkey_capabilities), where
        assert m.softkeys >= 0, where
        if m.softkeys > 0:
            assert m.softkey_capabilities, where
        assert m.picture is None or re.fullmatch(r"[0-9a-f]{24}", m.picture), where
    # one display name per brand
    assert len({(m.brand, m.brand_name) for m in catalogue}) == len(BRANDS)


# --- Kamailio --------------------------------------------------------------------------


def test_kamailio_version_table(migrated_engine):
    with migrated_engine.connect() as connection:
        rows = connection.execute(
            select(kamailio_version.c.table_name, kamailio_version.c.table_version)
        ).all()
        columns = {c["name"] for c in inspect(connection).get_columns("location")}
    assert [tuple(r) for r in rows] == [("location", 9)]
    assert columns == KAMAILIO_LOCATION_COLUMNS
