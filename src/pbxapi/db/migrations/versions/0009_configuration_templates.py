"""Configuration templates for every provisionable model of the catalogue.

Data only. The templates are the files in the folder of the same name beside this
file, read as they are; a later change to a template is a new revision with its own
folder, so this one always loads the same text. A model an administrator has already
given a template keeps it; downgrading removes only the templates this revision set.
The GENERIC models (capabilities.provision false, the built-in WebRTC model among them)
are never provisioned and get none.

Revision ID: 0009_configuration_templates
Revises: 0006_available_in_id_order
Create Date: 2026-11-27 14:45:00
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0009_configuration_templates"
down_revision = "0006_available_in_id_order"
branch_labels = None
depends_on = None

TEMPLATES = Path(__file__).with_suffix("")

# model id (0002_phone_model_catalogue) -> template file
TEMPLATE_OF_MODEL = {
    # Snom D785, D735, D717, D385, D150, D120; M700, M300
    **dict.fromkeys([f"5e0f0000000000000000000{n}" for n in range(1, 7)], "snom_desk.xml"),
    "5e0f00000000000000000007": "snom_dect.xml",
    "5e0f00000000000000000008": "snom_dect.xml",
    # Yealink T54W, T46U, T48U, T33G, T31P; W70B, W60B
    "5e0f00000000000000000009": "yealink_desk.cfg",
    "5e0f00000000000000000010": "yealink_desk.cfg",
    "5e0f00000000000000000011": "yealink_desk.cfg",
    "5e0f00000000000000000012": "yealink_desk.cfg",
    "5e0f00000000000000000013": "yealink_desk.cfg",
    "5e0f00000000000000000014": "yealink_dect.cfg",
    "5e0f00000000000000000015": "yealink_dect.cfg",
    # Mitel 6863i and 6865i have programmable keys, 6867i, 6869i, 6873i softkeys; RFP 45
    "5e0f00000000000000000016": "mitel_desk_prgkey.cfg",
    "5e0f00000000000000000017": "mitel_desk_prgkey.cfg",
    "5e0f00000000000000000018": "mitel_desk_softkey.cfg",
    "5e0f00000000000000000019": "mitel_desk_softkey.cfg",
    "5e0f00000000000000000020": "mitel_desk_softkey.cfg",
    "5e0f00000000000000000021": "mitel_sipdect.cfg",
    # Gigaset Maxwell 3, Maxwell Basic; N870 IP PRO, N510 IP PRO, N720 DM PRO
    "5e0f00000000000000000022": "gigaset_desk.xml",
    "5e0f00000000000000000023": "gigaset_desk.xml",
    "5e0f00000000000000000024": "gigaset_dect_n870.xml",
    "5e0f00000000000000000025": "gigaset_dect_n510.xml",
    "5e0f00000000000000000026": "gigaset_dect_n870.xml",
    # LG-Ericsson IP8820, IP8840E, LIP-8012D, LIP-8024D
    "5e0f00000000000000000027": "lg_desk.cfg",
    "5e0f00000000000000000028": "lg_desk.cfg",
    "5e0f00000000000000000029": "lg_desk.cfg",
    "5e0f00000000000000000030": "lg_desk.cfg",
    # Cisco SPA504G, SPA303, SPA525G2, CP-8841-3PCC, CP-7841-3PCC; DBS-110
    "5e0f00000000000000000031": "cisco_desk.xml",
    "5e0f00000000000000000032": "cisco_desk.xml",
    "5e0f00000000000000000033": "cisco_desk.xml",
    "5e0f00000000000000000034": "cisco_desk.xml",
    "5e0f00000000000000000035": "cisco_desk.xml",
    "5e0f00000000000000000036": "cisco_dect.xml",
}

sip_phone_models = sa.table(
    "sip_phone_models",
    sa.column("id", sa.String(24)),
    sa.column("configuration_template", sa.Text()),
)


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def upgrade() -> None:
    for model_id, name in TEMPLATE_OF_MODEL.items():
        op.execute(
            sip_phone_models.update()
            .where(
                sip_phone_models.c.id == model_id,
                sip_phone_models.c.configuration_template.is_(None),
            )
            .values(configuration_template=template(name))
        )


def downgrade() -> None:
    for model_id, name in TEMPLATE_OF_MODEL.items():
        op.execute(
            sip_phone_models.update()
            .where(
                sip_phone_models.c.id == model_id,
                sip_phone_models.c.configuration_template == template(name),
            )
            .values(configuration_template=None)
        )
