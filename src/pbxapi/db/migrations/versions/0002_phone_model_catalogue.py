"""Phone model catalogue: the SIP desk phones and DECT bases the system knows.

Data only. The table is declared here as it was when this revision was written, so
later changes to the models in pbxapi.db.tables cannot change what this migration does.

extensions is the handset capacity of one device (one MAC address): 1 for a desk phone,
for a DECT base (or DECT manager) the number of handsets the vendor documents for it.
softkeys counts the programmable function keys a configuration can fill, pages of
self-labelling keys included; DECT bases have none.

Revision ID: 0002_phone_model_catalogue
Revises: 0001_initial
Create Date: 2026-11-27 12:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_phone_model_catalogue"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


sip_phone_models = sa.table(
    "sip_phone_models",
    sa.column("id", sa.String(24)),
    sa.column("brand", sa.String(16)),
    sa.column("brand_name", sa.String(64)),
    sa.column("model", sa.String(64)),
    sa.column("description", sa.Text()),
    sa.column("picture", sa.String(24)),
    sa.column("extensions", sa.Integer()),
    sa.column("softkeys", sa.Integer()),
    sa.column("softkey_labels", sa.Boolean()),
    sa.column("softkey_capabilities", sa.JSON()),
    sa.column("cap_provision", sa.Boolean()),
    sa.column("cap_mac_redirect", sa.Boolean()),
    sa.column("cap_custom_ringtones", sa.Boolean()),
    sa.column("cap_multiple_handsets", sa.Boolean()),
    sa.column("cap_sip_config_reload", sa.Boolean()),
    sa.column("configuration_template", sa.Text()),
)


# Key functions per firmware family. PBX services (DNDOTHER, PICKUP, PICKUPGROUP, QUEUE,
# SWITCH, VOICEMAIL) ride on BLF/speed-dial keys; the rest need a key type of the phone.
SNOM_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "REDIAL", "VOICEMAIL",
    "TRANSFER", "URL", "HOLD", "RECORD", "MENU", "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
    "PRESENCE",
]  # fmt: skip
YEALINK_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "REDIAL", "VOICEMAIL",
    "TRANSFER", "URL", "HOLD", "RECORD", "MENU", "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
]  # fmt: skip
YEALINK_ENTRY_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "REDIAL", "VOICEMAIL",
    "TRANSFER", "URL", "HOLD", "MENU", "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
]  # fmt: skip
MITEL_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "VOICEMAIL", "TRANSFER",
    "URL", "MENU", "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
]  # fmt: skip
GIGASET_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "VOICEMAIL", "PICKUP",
    "PICKUPGROUP", "QUEUE", "SWITCH",
]  # fmt: skip
LG_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "REDIAL", "VOICEMAIL", "PICKUP",
    "PICKUPGROUP", "QUEUE", "SWITCH",
]  # fmt: skip
CISCO_SPA_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DNDOTHER", "VOICEMAIL", "PICKUP", "PICKUPGROUP", "QUEUE",
    "SWITCH",
]  # fmt: skip
CISCO_MPP_KEYS = [
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "VOICEMAIL", "URL", "MENU",
    "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
]  # fmt: skip


MODELS = [
    # --- Snom ----------------------------------------------------------------------------
    {
        "id": "5e0f00000000000000000001",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "D785",
        "description": (
            "Executive colour desk phone with a 4.3-inch display, 12 self-labelling LED keys "
            "(24 with paging), Bluetooth and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 24,
        "softkey_labels": True,
        "softkey_capabilities": SNOM_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000002",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "D735",
        "description": (
            "Colour desk phone with a 2.7-inch display, 8 self-labelling LED keys "
            "(32 with paging), USB and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 32,
        "softkey_labels": True,
        "softkey_capabilities": SNOM_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000003",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "D717",
        "description": (
            "Mid-range desk phone with a 3.5-inch colour display, 3 self-labelling LED keys, "
            "USB and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 3,
        "softkey_labels": True,
        "softkey_capabilities": SNOM_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000004",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "D385",
        "description": (
            "Desk phone with a colour display, 12 self-labelling LED keys (48 with paging), "
            "USB and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 48,
        "softkey_labels": True,
        "softkey_capabilities": SNOM_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000005",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "D150",
        "description": (
            "Entry-level desk phone with a backlit monochrome display, 2 SIP identities "
            "and 2 LED line keys"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 2,
        "softkey_labels": False,
        "softkey_capabilities": SNOM_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000006",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "D120",
        "description": (
            "Basic desk phone with a monochrome display, 2 SIP identities, 2 LED line keys "
            "and a two-port 10/100 switch"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 2,
        "softkey_labels": False,
        "softkey_capabilities": SNOM_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000007",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "M700",
        "description": (
            "Multicell DECT base station with up to 30 handsets and 30 SIP accounts per base"
        ),
        "picture": None,
        "extensions": 30,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000008",
        "brand": "SNOM",
        "brand_name": "Snom",
        "model": "M300",
        "description": "Single-cell DECT base station for up to 20 handsets and 20 SIP accounts",
        "picture": None,
        "extensions": 20,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    # --- Yealink -------------------------------------------------------------------------
    {
        "id": "5e0f00000000000000000009",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "T54W",
        "description": (
            "Desk phone with a 4.3-inch colour display, 10 line keys programmable with up to "
            "27 functions, Bluetooth, Wi-Fi and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 27,
        "softkey_labels": True,
        "softkey_capabilities": YEALINK_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000010",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "T46U",
        "description": (
            "Desk phone with a 4.3-inch colour display, 10 line keys programmable with up to "
            "27 functions, two USB ports and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 27,
        "softkey_labels": True,
        "softkey_capabilities": YEALINK_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000011",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "T48U",
        "description": (
            "Desk phone with a 7-inch colour touch screen, up to 29 on-screen DSS keys, "
            "two USB ports and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 29,
        "softkey_labels": True,
        "softkey_capabilities": YEALINK_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000012",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "T33G",
        "description": (
            "Entry-level desk phone with a 2.4-inch colour display, 4 SIP accounts "
            "and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 12,
        "softkey_labels": True,
        "softkey_capabilities": YEALINK_ENTRY_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000013",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "T31P",
        "description": (
            "Entry-level desk phone with a graphical monochrome LCD, 2 SIP accounts, "
            "2 LED line keys and PoE"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 2,
        "softkey_labels": True,
        "softkey_capabilities": YEALINK_ENTRY_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000014",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "W70B",
        "description": (
            "DECT base station for up to 10 handsets and 10 SIP accounts with 10 concurrent calls"
        ),
        "picture": None,
        "extensions": 10,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000015",
        "brand": "YEALINK",
        "brand_name": "Yealink",
        "model": "W60B",
        "description": (
            "DECT base station for up to 8 handsets and 8 SIP accounts with 8 concurrent calls"
        ),
        "picture": None,
        "extensions": 8,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    # --- Mitel (formerly Aastra) ---------------------------------------------------------
    {
        "id": "5e0f00000000000000000016",
        "brand": "MITEL",
        "brand_name": "Mitel",
        "model": "6863i",
        "description": (
            "Entry-level 2-line desk phone with a monochrome display and 3 programmable keys"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 3,
        "softkey_labels": False,
        "softkey_capabilities": MITEL_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000017",
        "brand": "MITEL",
        "brand_name": "Mitel",
        "model": "6865i",
        "description": (
            "Desk phone with a backlit monochrome display and 8 programmable LED keys "
            "with paper labels"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 8,
        "softkey_labels": False,
        "softkey_capabilities": MITEL_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000018",
        "brand": "MITEL",
        "brand_name": "Mitel",
        "model": "6867i",
        "description": (
            "Desk phone with a 3.5-inch colour display, self-labelling top and bottom softkeys "
            "(38 functions with paging) and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 38,
        "softkey_labels": True,
        "softkey_capabilities": MITEL_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000019",
        "brand": "MITEL",
        "brand_name": "Mitel",
        "model": "6869i",
        "description": (
            "Desk phone with a 4.3-inch colour display, self-labelling top and bottom softkeys "
            "(68 functions with paging), Bluetooth and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 68,
        "softkey_labels": True,
        "softkey_capabilities": MITEL_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000020",
        "brand": "MITEL",
        "brand_name": "Mitel",
        "model": "6873i",
        "description": (
            "Executive desk phone with a 7-inch colour touch screen, up to 72 programmable "
            "softkey functions, Bluetooth and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 72,
        "softkey_labels": True,
        "softkey_capabilities": MITEL_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000021",
        "brand": "MITEL",
        "brand_name": "Mitel",
        "model": "RFP 45",
        "description": (
            "SIP-DECT indoor base station (RFP) that can host the OpenMobility Manager "
            "for a small single-site DECT system"
        ),
        "picture": None,
        "extensions": 512,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": False,
        "configuration_template": None,
    },
    # --- Gigaset -------------------------------------------------------------------------
    {
        "id": "5e0f00000000000000000022",
        "brand": "GIGASET",
        "brand_name": "Gigaset",
        "model": "Maxwell 3",
        "description": (
            "Desk phone with a 4.3-inch colour display, 8 programmable function keys "
            "and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 8,
        "softkey_labels": True,
        "softkey_capabilities": GIGASET_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000023",
        "brand": "GIGASET",
        "brand_name": "Gigaset",
        "model": "Maxwell Basic",
        "description": (
            "Entry-level desk phone with a backlit monochrome graphic display and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000024",
        "brand": "GIGASET",
        "brand_name": "Gigaset",
        "model": "N870 IP PRO",
        "description": (
            "Professional DECT base station for single-cell or multicell systems, "
            "rated for up to 20 handsets per base"
        ),
        "picture": None,
        "extensions": 20,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000025",
        "brand": "GIGASET",
        "brand_name": "Gigaset",
        "model": "N510 IP PRO",
        "description": (
            "Single-cell DECT base station for up to 6 handsets and 6 SIP accounts "
            "with 4 simultaneous calls"
        ),
        "picture": None,
        "extensions": 6,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000026",
        "brand": "GIGASET",
        "brand_name": "Gigaset",
        "model": "N720 DM PRO",
        "description": (
            "DECT manager of the N720 multicell system, managing up to 30 base stations "
            "and 100 handsets"
        ),
        "picture": None,
        "extensions": 100,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": True,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    # --- LG-Ericsson ---------------------------------------------------------------------
    {
        "id": "5e0f00000000000000000027",
        "brand": "LG",
        "brand_name": "LG-Ericsson",
        "model": "IP8820",
        "description": (
            "SIP desk phone with a 3-line LCD and 12 flexible buttons with LEDs and paper labels"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 12,
        "softkey_labels": False,
        "softkey_capabilities": LG_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000028",
        "brand": "LG",
        "brand_name": "LG-Ericsson",
        "model": "IP8840E",
        "description": (
            "Top model of the IP8800E SIP series with a large backlit LCD and 24 flexible "
            "buttons with LEDs"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 24,
        "softkey_labels": False,
        "softkey_capabilities": LG_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000029",
        "brand": "LG",
        "brand_name": "LG-Ericsson",
        "model": "LIP-8012D",
        "description": (
            "iPECS desk phone with a 3-line LCD and 12 flexible buttons with LEDs and paper labels"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 12,
        "softkey_labels": False,
        "softkey_capabilities": LG_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000030",
        "brand": "LG",
        "brand_name": "LG-Ericsson",
        "model": "LIP-8024D",
        "description": (
            "iPECS desk phone with a 3-line LCD and 24 flexible buttons with LEDs and paper labels"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 24,
        "softkey_labels": False,
        "softkey_capabilities": LG_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    # --- Cisco ---------------------------------------------------------------------------
    {
        "id": "5e0f00000000000000000031",
        "brand": "CISCO",
        "brand_name": "Cisco",
        "model": "SPA504G",
        "description": (
            "4-line desk phone with a 128x64 monochrome display, two-port switch and PoE"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 4,
        "softkey_labels": True,
        "softkey_capabilities": CISCO_SPA_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000032",
        "brand": "CISCO",
        "brand_name": "Cisco",
        "model": "SPA303",
        "description": (
            "3-line desk phone with a 128x64 monochrome display and a two-port 10/100 switch"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 3,
        "softkey_labels": True,
        "softkey_capabilities": CISCO_SPA_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000033",
        "brand": "CISCO",
        "brand_name": "Cisco",
        "model": "SPA525G2",
        "description": (
            "5-line executive desk phone with a 3.2-inch colour display, Wi-Fi and Bluetooth"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 5,
        "softkey_labels": True,
        "softkey_capabilities": CISCO_SPA_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": True,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000034",
        "brand": "CISCO",
        "brand_name": "Cisco",
        "model": "CP-8841-3PCC",
        "description": (
            "Multiplatform (3PCC) desk phone with a 5-inch colour display, 5 line keys "
            "and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 5,
        "softkey_labels": True,
        "softkey_capabilities": CISCO_MPP_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000035",
        "brand": "CISCO",
        "brand_name": "Cisco",
        "model": "CP-7841-3PCC",
        "description": (
            "Multiplatform (3PCC) desk phone with a 3.5-inch greyscale display, 4 line keys "
            "and Gigabit Ethernet"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 4,
        "softkey_labels": True,
        "softkey_capabilities": CISCO_MPP_KEYS,
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": True,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000036",
        "brand": "CISCO",
        "brand_name": "Cisco",
        "model": "DBS-110",
        "description": (
            "IP DECT 110 single-cell base station (6800 series, multiplatform firmware) "
            "for up to 30 handsets"
        ),
        "picture": None,
        "extensions": 30,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": True,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": False,
        "configuration_template": None,
    },
    # --- Generic: devices the system cannot provision, configured by hand ----------------
    {
        "id": "5e0f00000000000000000037",
        "brand": "GENERIC",
        "brand_name": "Generic",
        "model": "SIP phone",
        "description": (
            "Any standards-based SIP desk phone or softphone, configured by hand "
            "with the SIP credentials"
        ),
        "picture": None,
        "extensions": 1,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": False,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": False,
        "cap_sip_config_reload": False,
        "configuration_template": None,
    },
    {
        "id": "5e0f00000000000000000038",
        "brand": "GENERIC",
        "brand_name": "Generic",
        "model": "SIP DECT base",
        "description": (
            "Any SIP DECT base station, each handset configured by hand "
            "with its own SIP credentials"
        ),
        "picture": None,
        "extensions": 8,
        "softkeys": 0,
        "softkey_labels": False,
        "softkey_capabilities": [],
        "cap_provision": False,
        "cap_mac_redirect": False,
        "cap_custom_ringtones": False,
        "cap_multiple_handsets": True,
        "cap_sip_config_reload": False,
        "configuration_template": None,
    },
]


def upgrade() -> None:
    op.bulk_insert(sip_phone_models, MODELS)


def downgrade() -> None:
    ids = [model["id"] for model in MODELS]
    op.execute(sip_phone_models.delete().where(sip_phone_models.c.id.in_(ids)))
