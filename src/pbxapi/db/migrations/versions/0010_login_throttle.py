"""Failed logins counted per account and per address, shared by every worker.

Revision ID: 0010_login_throttle
Revises: 0009_configuration_templates
Create Date: 2026-11-27 14:45:00
"""

import sqlalchemy as sa
from alembic import op

from pbxapi.db.types import UTCDateTime

revision = "0010_login_throttle"
# after main's 0009, which landed first (the coordinator re-chains branches as they merge)
down_revision = "0009_configuration_templates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(72), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )
    op.create_index("ix_login_throttle_expires_at", "login_throttle", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_login_throttle_expires_at", table_name="login_throttle")
    op.drop_table("login_throttle")
