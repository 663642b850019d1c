"""The audit log: every write, and every display of SIP credentials.

Revision ID: 0011_audit_log
Revises: 0010_login_throttle
Create Date: 2026-11-27 14:50:00
"""

import sqlalchemy as sa
from alembic import op

from pbxapi.db.types import UTCDateTime

revision = "0011_audit_log"
down_revision = "0010_login_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("customer_id", sa.String(24), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor_employee_id", sa.String(24), nullable=True),
        sa.Column("actor_customer_id", sa.String(24), nullable=True),
        sa.Column("actor_access_level", sa.String(16), nullable=True),
        sa.Column("actor_token_kind", sa.String(8), nullable=True),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("resource_type", sa.String(32), nullable=False),
        sa.Column("resource_id", sa.String(24), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("shown_ids", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_customer_id_id", "audit_events", ["customer_id", "id"])
    op.create_index(
        "ix_audit_events_customer_id_resource_type_resource_id_id",
        "audit_events",
        ["customer_id", "resource_type", "resource_id", "id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_audit_events_customer_id_resource_type_resource_id_id", table_name="audit_events"
    )
    op.drop_index("ix_audit_events_customer_id_id", table_name="audit_events")
    op.drop_table("audit_events")
