"""The phone list's search index (pg_trgm on PostgreSQL, FTS5 trigram on SQLite), kept
in step by triggers. The DDL lives in pbxapi.db.search_index, its one definition.

Revision ID: 0003_search_index
Revises: 0002_phone_model_catalogue
Create Date: 2026-11-27 12:50:00
"""

from alembic import op

from pbxapi.db import search_index

revision = "0003_search_index"
down_revision = "0002_phone_model_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.install(op.get_bind())


def downgrade() -> None:
    search_index.uninstall(op.get_bind())
