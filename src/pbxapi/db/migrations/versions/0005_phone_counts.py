"""Each customer's phone counts, kept exact by triggers, so that the list's total does
not count a big customer's phones on every request. DDL in pbxapi.db.phone_counts.

Revision ID: 0005_phone_counts
Revises: 0004_webrtc_model
Create Date: 2026-11-27 13:40:00
"""

from alembic import op

from pbxapi.db import phone_counts

revision = "0005_phone_counts"
down_revision = "0004_webrtc_model"
branch_labels = None
depends_on = None


def upgrade() -> None:
    phone_counts.install(op.get_bind())


def downgrade() -> None:
    phone_counts.uninstall(op.get_bind())
