"""Initial schema: customers, employees, tokens, phone models, extensions, SIP phones,
and Kamailio's location table (usrloc version 9) where registrations are recorded.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27 12:03:18.578683
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_reseller_id", sa.String(length=24), nullable=True),
        sa.Column("state", sa.String(length=16), server_default="ACTIVE", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('ACTIVE', 'BLOCKED', 'DELETED')", name=op.f("ck_customers_state")
        ),
        sa.ForeignKeyConstraint(
            ["parent_reseller_id"],
            ["customers.id"],
            name=op.f("fk_customers_parent_reseller_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    op.create_index(
        op.f("ix_customers_parent_reseller_id"), "customers", ["parent_reseller_id"], unique=False
    )

    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ruid", sa.String(length=64), server_default="", nullable=False),
        sa.Column("username", sa.String(length=64), server_default="", nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=True),
        sa.Column("contact", sa.String(length=512), server_default="", nullable=False),
        sa.Column("received", sa.String(length=128), nullable=True),
        sa.Column("path", sa.String(length=512), nullable=True),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("q", sa.Float(), server_default="1.0", nullable=False),
        sa.Column(
            "callid", sa.String(length=255), server_default="Default-Call-ID", nullable=False
        ),
        sa.Column("cseq", sa.Integer(), server_default="1", nullable=False),
        sa.Column("last_modified", sa.DateTime(), nullable=False),
        sa.Column("flags", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cflags", sa.Integer(), server_default="0", nullable=False),
        sa.Column("user_agent", sa.String(length=255), server_default="", nullable=False),
        sa.Column("socket", sa.String(length=64), nullable=True),
        sa.Column("methods", sa.Integer(), nullable=True),
        sa.Column("instance", sa.String(length=255), nullable=True),
        sa.Column("reg_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("server_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("connection_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("keepalive", sa.Integer(), server_default="0", nullable=False),
        sa.Column("partition", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("ruid", name=op.f("uq_location_ruid")),
    )
    op.create_index(
        "location_account_contact_idx", "location", ["username", "domain", "contact"], unique=False
    )
    op.create_index(
        "location_connection_idx", "location", ["server_id", "connection_id"], unique=False
    )
    op.create_index("location_expires_idx", "location", ["expires"], unique=False)

    op.create_table(
        "sip_phone_models",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("brand", sa.String(length=16), nullable=False),
        sa.Column("brand_name", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("picture", sa.String(length=24), nullable=True),
        sa.Column("extensions", sa.Integer(), server_default="1", nullable=False),
        sa.Column("softkeys", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "softkey_labels", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("softkey_capabilities", sa.JSON(), nullable=False),
        sa.Column("cap_provision", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column(
            "cap_mac_redirect", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "cap_custom_ringtones", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "cap_multiple_handsets", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "cap_sip_config_reload", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("configuration_template", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "brand IN ('SNOM', 'MITEL', 'LG', 'YEALINK', 'CISCO', 'GIGASET', 'GENERIC')",
            name=op.f("ck_sip_phone_models_brand"),
        ),
        sa.CheckConstraint("extensions >= 1", name=op.f("ck_sip_phone_models_extensions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sip_phone_models")),
        sa.UniqueConstraint("brand", "model", name=op.f("uq_sip_phone_models_brand_model")),
    )
    op.create_table(
        "version",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("table_version", sa.Integer(), server_default="0", nullable=False),
        sa.UniqueConstraint("table_name", name=op.f("uq_version_table_name")),
    )
    op.create_table(
        "employees",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email_address", sa.String(length=254), nullable=True),
        sa.Column("access_level", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="ENABLED", nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=2), server_default="en", nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "access_level IN ('NO_LOGIN', 'PERSONAL', 'VIEWER', 'MANAGER', 'OWNER', 'RESELLER', 'RESELLER_ADMIN', 'ADMIN')",
            name=op.f("ck_employees_access_level"),
        ),
        sa.CheckConstraint(
            "state IN ('ENABLED', 'DISABLED', 'DELETED')", name=op.f("ck_employees_state")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_employees_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
        sa.UniqueConstraint("customer_id", "id", name=op.f("uq_employees_customer_id_id")),
        sa.UniqueConstraint("email_address", name=op.f("uq_employees_email_address")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=24), nullable=False),
        sa.Column("employee_id", sa.String(length=24), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('LOGIN', 'API')", name=op.f("ck_api_tokens_kind")),
        sa.ForeignKeyConstraint(
            ["customer_id", "employee_id"],
            ["employees.customer_id", "employees.id"],
            name=op.f("fk_api_tokens_customer_id_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_api_tokens_customer_id_employee_id"),
        "api_tokens",
        ["customer_id", "employee_id"],
        unique=False,
    )

    op.create_table(
        "extensions",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=24), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("direct", sa.String(length=32), nullable=True),
        sa.Column("employee_id", sa.String(length=24), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id", "employee_id"],
            ["employees.customer_id", "employees.id"],
            name=op.f("fk_extensions_customer_id_employee_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_extensions_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extensions")),
        sa.UniqueConstraint("customer_id", "id", name=op.f("uq_extensions_customer_id_id")),
        sa.UniqueConstraint("customer_id", "number", name=op.f("uq_extensions_customer_id_number")),
    )
    op.create_index(
        op.f("ix_extensions_customer_id_employee_id"),
        "extensions",
        ["customer_id", "employee_id"],
        unique=False,
    )

    op.create_table(
        "sip_phones",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=24), nullable=False),
        sa.Column("sip_phone_model_id", sa.String(length=24), nullable=False),
        sa.Column("extension_id", sa.String(length=24), nullable=True),
        sa.Column("pbx_cluster", sa.Integer(), server_default="1", nullable=False),
        sa.Column("mac_address", sa.String(length=12), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=True),
        sa.Column("handset_index", sa.Integer(), nullable=True),
        sa.Column("handset_address", sa.String(length=64), nullable=True),
        sa.Column("call_waiting", sa.Boolean(), nullable=True),
        sa.Column("side_panel", sa.String(length=64), nullable=True),
        sa.Column("side_panel_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "softkey_configuration_on_device",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "softkey_blf_blind_transfer",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column("headset_button", sa.String(length=16), nullable=True),
        sa.Column("dhsg", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("display_brightness", sa.Integer(), nullable=True),
        sa.Column("display_brightness_idle", sa.Integer(), nullable=True),
        sa.Column("display_background", sa.String(length=2048), nullable=True),
        sa.Column("display_font_color", sa.String(length=8), nullable=True),
        sa.Column("custom_config", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("ip_mode", sa.String(length=8), server_default="OPEN", nullable=False),
        sa.Column("ip_countries", sa.String(length=512), server_default="", nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("sip_username", sa.String(length=32), nullable=False),
        sa.Column("sip_password", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.String(length=128), nullable=True),
        sa.Column("ringer_volume", sa.Integer(), nullable=True),
        sa.Column("ringer_tone", sa.String(length=64), nullable=True),
        sa.Column("volume_handset_mic", sa.Integer(), nullable=True),
        sa.Column("volume_handset_speaker", sa.Integer(), nullable=True),
        sa.Column("volume_headset_mic", sa.Integer(), nullable=True),
        sa.Column("volume_headset_speaker", sa.Integer(), nullable=True),
        sa.Column("volume_handsfree_mic", sa.Integer(), nullable=True),
        sa.Column("volume_handsfree_speaker", sa.Integer(), nullable=True),
        sa.Column("softkeys", sa.JSON(), nullable=False),
        sa.Column("codec_hd_audio", sa.Boolean(), server_default=sa.text("(true)"), nullable=False),
        sa.Column("codec_video", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("network_dhcp", sa.Boolean(), server_default=sa.text("(true)"), nullable=False),
        sa.Column("network_ip_address", sa.String(length=45), nullable=True),
        sa.Column("network_subnet", sa.String(length=45), nullable=True),
        sa.Column("network_gateway", sa.String(length=45), nullable=True),
        sa.Column("network_dns1", sa.String(length=45), nullable=True),
        sa.Column("network_dns2", sa.String(length=45), nullable=True),
        sa.Column("network_vlan_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("network_vlan_priority", sa.Integer(), server_default="0", nullable=False),
        sa.Column("purchase_order_id", sa.String(length=64), nullable=True),
        sa.Column("purchase_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "purchase_payment_option", sa.String(length=16), server_default="NONE", nullable=False
        ),
        sa.Column("config_loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("config_saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_user_agent", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ip_mode IN ('OPEN', 'LOCKED', 'ROAMING')", name=op.f("ck_sip_phones_ip_mode")
        ),
        sa.CheckConstraint(
            "purchase_payment_option IN ('NONE', 'BOUGHT', 'RENTED', 'SELF_OWNED')",
            name=op.f("ck_sip_phones_payment_option"),
        ),
        sa.CheckConstraint(
            "network_vlan_id BETWEEN 0 AND 4094", name=op.f("ck_sip_phones_vlan_id")
        ),
        sa.CheckConstraint(
            "network_vlan_priority BETWEEN 0 AND 7", name=op.f("ck_sip_phones_vlan_priority")
        ),
        sa.CheckConstraint("pbx_cluster IN (1, 2)", name=op.f("ck_sip_phones_pbx_cluster")),
        sa.ForeignKeyConstraint(
            ["customer_id", "extension_id"],
            ["extensions.customer_id", "extensions.id"],
            name=op.f("fk_sip_phones_customer_id_extension_id_extensions"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sip_phones_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["sip_phone_model_id"],
            ["sip_phone_models.id"],
            name=op.f("fk_sip_phones_sip_phone_model_id_sip_phone_models"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sip_phones")),
        sa.UniqueConstraint("customer_id", "id", name=op.f("uq_sip_phones_customer_id_id")),
        sa.UniqueConstraint(
            "mac_address", "handset_index", name=op.f("uq_sip_phones_mac_address_handset_index")
        ),
        sa.UniqueConstraint("sip_username", name=op.f("uq_sip_phones_sip_username")),
    )
    op.create_index(
        op.f("ix_sip_phones_customer_id_extension_id"),
        "sip_phones",
        ["customer_id", "extension_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sip_phones_sip_phone_model_id"), "sip_phones", ["sip_phone_model_id"], unique=False
    )
    op.create_index(
        "uq_sip_phones_mac_desk",
        "sip_phones",
        ["mac_address"],
        unique=True,
        sqlite_where=sa.text("handset_index IS NULL"),
        postgresql_where=sa.text("handset_index IS NULL"),
    )

    op.create_table(
        "sip_phone_side_panels",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=24), nullable=False),
        sa.Column("sip_phone_id", sa.String(length=24), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("payment_option", sa.String(length=16), server_default="NONE", nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("date", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "payment_option IN ('NONE', 'BOUGHT', 'RENTED', 'SELF_OWNED')",
            name=op.f("ck_sip_phone_side_panels_payment_option"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id", "sip_phone_id"],
            ["sip_phones.customer_id", "sip_phones.id"],
            name=op.f("fk_sip_phone_side_panels_customer_id_sip_phone_id_sip_phones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sip_phone_side_panels")),
        sa.UniqueConstraint(
            "customer_id",
            "sip_phone_id",
            "position",
            name=op.f("uq_sip_phone_side_panels_customer_id_sip_phone_id_position"),
        ),
        sa.UniqueConstraint("serial", name=op.f("uq_sip_phone_side_panels_serial")),
    )
    op.bulk_insert(
        sa.table("version", sa.column("table_name"), sa.column("table_version")),
        [{"table_name": "location", "table_version": 9}],
    )


def downgrade() -> None:
    op.drop_table("sip_phone_side_panels")
    op.drop_table("sip_phones")
    op.drop_table("extensions")
    op.drop_table("api_tokens")
    op.drop_table("employees")
    op.drop_table("version")
    op.drop_table("sip_phone_models")
    op.drop_table("location")
    op.drop_table("customers")
