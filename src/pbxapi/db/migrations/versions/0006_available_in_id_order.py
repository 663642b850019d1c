"""available=true pages in id order from the index: (customer_id, extension_id, id).

Measured at 1,000,000 phones on SQLite: the old (customer_id, extension_id) index made
the biggest customer's 15,000 unassigned phones be sorted for every page (9 ms of SQL).

Revision ID: 0006_available_in_id_order
Revises: 0005_phone_counts
Create Date: 2026-11-27 14:15:00
"""

from alembic import op

revision = "0006_available_in_id_order"
down_revision = "0005_phone_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_sip_phones_customer_id_extension_id", table_name="sip_phones")
    op.create_index(
        "ix_sip_phones_customer_id_extension_id_id",
        "sip_phones",
        ["customer_id", "extension_id", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_sip_phones_customer_id_extension_id_id", table_name="sip_phones")
    op.create_index(
        "ix_sip_phones_customer_id_extension_id", "sip_phones", ["customer_id", "extension_id"]
    )
