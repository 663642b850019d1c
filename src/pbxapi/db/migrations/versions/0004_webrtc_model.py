"""A built-in model for WebRTC clients (Communicator and the like), so that the WebRTC
endpoint only ever finds and hands out phones that it made itself.

Revision ID: 0004_webrtc_model
Revises: 0003_search_index
Create Date: 2026-11-27 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_webrtc_model"
down_revision = "0003_search_index"
branch_labels = None
depends_on = None

WEBRTC_MODEL_ID = "5e0f00000000000000000100"

sip_phone_models = sa.table(
    "sip_phone_models",
    sa.column("id", sa.String(24)),
    sa.column("brand", sa.String(16)),
    sa.column("brand_name", sa.String(64)),
    sa.column("model", sa.String(64)),
    sa.column("description", sa.Text()),
    sa.column("extensions", sa.Integer()),
    sa.column("softkeys", sa.Integer()),
    sa.column("softkey_labels", sa.Boolean()),
    sa.column("softkey_capabilities", sa.JSON()),
    sa.column("cap_provision", sa.Boolean()),
    sa.column("cap_mac_redirect", sa.Boolean()),
    sa.column("cap_custom_ringtones", sa.Boolean()),
    sa.column("cap_multiple_handsets", sa.Boolean()),
    sa.column("cap_sip_config_reload", sa.Boolean()),
)


def upgrade() -> None:
    op.bulk_insert(
        sip_phone_models,
        [
            {
                "id": WEBRTC_MODEL_ID,
                "brand": "GENERIC",
                "brand_name": "Generic",
                "model": "WebRTC",
                "description": "A WebRTC client registering over secure WebSocket (built in)",
                "extensions": 1,
                "softkeys": 0,
                "softkey_labels": False,
                "softkey_capabilities": [],
                "cap_provision": False,
                "cap_mac_redirect": False,
                "cap_custom_ringtones": False,
                "cap_multiple_handsets": False,
                "cap_sip_config_reload": False,
            }
        ],
    )


def downgrade() -> None:
    op.execute(sip_phone_models.delete().where(sip_phone_models.c.id == WEBRTC_MODEL_ID))
