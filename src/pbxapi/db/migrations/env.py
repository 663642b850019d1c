from alembic import context
from sqlalchemy import pool

from pbxapi.db.engine import create_db_engine
from pbxapi.db.phone_counts import is_counts_object
from pbxapi.db.search_index import is_search_object
from pbxapi.db.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_db_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # Derived data has dialect-specific DDL of its own (search_index, phone_counts).
        include_name=lambda name, type_, parents: (
            not (is_search_object(name) or is_counts_object(name))
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: run `pbxapi migrate`")
run_migrations_online()
