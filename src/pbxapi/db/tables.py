"""Tables. Every tenant-owned table carries customer_id, and references between
tenant-owned rows include it (composite foreign keys), so that a row can never
point into another customer and the schema can be distributed by customer_id."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pbxapi.db.types import IdColumnType, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # null only for top-level resellers (the operator)
    parent_reseller_id: Mapped[str | None] = mapped_column(
        IdColumnType(), ForeignKey("customers.id"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), server_default="ACTIVE")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("state IN ('ACTIVE', 'BLOCKED', 'DELETED')", name="state"),)


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    customer_id: Mapped[str] = mapped_column(IdColumnType(), ForeignKey("customers.id"))
    name: Mapped[str] = mapped_column(String(200))
    # stored lower case: it is the login name, unique across the system
    email_address: Mapped[str | None] = mapped_column(String(254), unique=True)
    access_level: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), server_default="ENABLED")
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), server_default="en")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("customer_id", "id"),
        CheckConstraint(
            "access_level IN ('NO_LOGIN', 'PERSONAL', 'VIEWER', 'MANAGER', 'OWNER', "
            "'RESELLER', 'RESELLER_ADMIN', 'ADMIN')",
            name="access_level",
        ),
        CheckConstraint("state IN ('ENABLED', 'DISABLED', 'DELETED')", name="state"),
    )


class ApiToken(Base):
    """A bearer token. Only its SHA-256 is stored: the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    customer_id: Mapped[str] = mapped_column(IdColumnType())
    employee_id: Mapped[str] = mapped_column(IdColumnType())
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # LOGIN or API
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        ForeignKeyConstraint(
            ["customer_id", "employee_id"],
            ["employees.customer_id", "employees.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("kind IN ('LOGIN', 'API')", name="kind"),
        Index(None, "customer_id", "employee_id"),
    )


class SipPhoneModel(Base):
    """The catalogue of phone models: global, not tenant-owned."""

    __tablename__ = "sip_phone_models"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    brand: Mapped[str] = mapped_column(String(16))
    brand_name: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, server_default="")
    picture: Mapped[str | None] = mapped_column(IdColumnType())
    # handset capacity: how many SIP phones may share one MAC (1 for desk phones)
    extensions: Mapped[int] = mapped_column(Integer, server_default="1")
    softkeys: Mapped[int] = mapped_column(Integer, server_default="0")
    softkey_labels: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    softkey_capabilities: Mapped[list] = mapped_column(JSON)
    cap_provision: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    cap_mac_redirect: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    cap_custom_ringtones: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    cap_multiple_handsets: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    cap_sip_config_reload: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    configuration_template: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("brand", "model"),
        CheckConstraint(
            "brand IN ('SNOM', 'MITEL', 'LG', 'YEALINK', 'CISCO', 'GIGASET', 'GENERIC')",
            name="brand",
        ),
        CheckConstraint("extensions >= 1", name="extensions"),
    )


class Extension(Base):
    __tablename__ = "extensions"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    customer_id: Mapped[str] = mapped_column(IdColumnType(), ForeignKey("customers.id"))
    number: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), server_default="")
    direct: Mapped[str | None] = mapped_column(String(32))  # E.164
    employee_id: Mapped[str | None] = mapped_column(IdColumnType())
    notes: Mapped[str] = mapped_column(Text, server_default="")

    __table_args__ = (
        UniqueConstraint("customer_id", "id"),
        UniqueConstraint("customer_id", "number"),
        ForeignKeyConstraint(
            ["customer_id", "employee_id"], ["employees.customer_id", "employees.id"]
        ),
        Index(None, "customer_id", "employee_id"),
    )


class SipPhone(Base):
    __tablename__ = "sip_phones"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    customer_id: Mapped[str] = mapped_column(IdColumnType(), ForeignKey("customers.id"))
    sip_phone_model_id: Mapped[str] = mapped_column(
        IdColumnType(), ForeignKey("sip_phone_models.id"), index=True
    )
    extension_id: Mapped[str | None] = mapped_column(IdColumnType())
    pbx_cluster: Mapped[int] = mapped_column(Integer, server_default="1")
    mac_address: Mapped[str] = mapped_column(String(12))  # 12 upper-case hex characters
    serial: Mapped[str | None] = mapped_column(String(64))
    handset_index: Mapped[int | None] = mapped_column(Integer)
    handset_address: Mapped[str | None] = mapped_column(String(64))
    call_waiting: Mapped[bool | None] = mapped_column(Boolean)
    side_panel: Mapped[str | None] = mapped_column(String(64))
    side_panel_count: Mapped[int] = mapped_column(Integer, server_default="0")
    softkey_configuration_on_device: Mapped[bool] = mapped_column(
        Boolean, server_default=text("false")
    )
    softkey_blf_blind_transfer: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    headset_button: Mapped[str | None] = mapped_column(String(16))
    dhsg: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    display_brightness: Mapped[int | None] = mapped_column(Integer)
    display_brightness_idle: Mapped[int | None] = mapped_column(Integer)
    display_background: Mapped[str | None] = mapped_column(String(2048))
    display_font_color: Mapped[str | None] = mapped_column(String(8))
    custom_config: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, server_default="")
    ip_mode: Mapped[str] = mapped_column(String(8), server_default="OPEN")
    ip_countries: Mapped[str] = mapped_column(String(512), server_default="")
    ip_address: Mapped[str | None] = mapped_column(String(45))
    # SIP credentials: generated, never chosen by a client; the SIP server
    # authenticates against these columns directly.
    sip_username: Mapped[str] = mapped_column(String(32), unique=True)
    sip_password: Mapped[str] = mapped_column(String(32))
    instance_id: Mapped[str | None] = mapped_column(String(128))
    ringer_volume: Mapped[int | None] = mapped_column(Integer)
    ringer_tone: Mapped[str | None] = mapped_column(String(64))
    volume_handset_mic: Mapped[int | None] = mapped_column(Integer)
    volume_handset_speaker: Mapped[int | None] = mapped_column(Integer)
    volume_headset_mic: Mapped[int | None] = mapped_column(Integer)
    volume_headset_speaker: Mapped[int | None] = mapped_column(Integer)
    volume_handsfree_mic: Mapped[int | None] = mapped_column(Integer)
    volume_handsfree_speaker: Mapped[int | None] = mapped_column(Integer)
    # [{index, function, value, label}], read and written whole with the phone
    softkeys: Mapped[list] = mapped_column(JSON)
    codec_hd_audio: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    codec_video: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    network_dhcp: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    network_ip_address: Mapped[str | None] = mapped_column(String(45))
    network_subnet: Mapped[str | None] = mapped_column(String(45))
    network_gateway: Mapped[str | None] = mapped_column(String(45))
    network_dns1: Mapped[str | None] = mapped_column(String(45))
    network_dns2: Mapped[str | None] = mapped_column(String(45))
    network_vlan_id: Mapped[int] = mapped_column(Integer, server_default="0")
    network_vlan_priority: Mapped[int] = mapped_column(Integer, server_default="0")
    purchase_order_id: Mapped[str | None] = mapped_column(String(64))
    purchase_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    purchase_payment_option: Mapped[str] = mapped_column(String(16), server_default="NONE")
    config_loaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    config_saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # user agent of the last configuration fetch; a live registration's wins
    last_user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # also the index the list pages one customer's phones by, in id order
        UniqueConstraint("customer_id", "id"),
        ForeignKeyConstraint(
            ["customer_id", "extension_id"], ["extensions.customer_id", "extensions.id"]
        ),
        # the extension join; SQLite also pages available=true in id order from it
        Index(None, "customer_id", "extension_id", "id"),
        # available=true in id order: PostgreSQL's planner does not take IS NULL for an
        # equality that orders the index above by id
        Index(
            "ix_sip_phones_unassigned",
            "customer_id",
            "id",
            sqlite_where=text("extension_id IS NULL"),
            postgresql_where=text("extension_id IS NULL"),
        ),
        # a desk phone's MAC is unique; handsets of one base share it, one per index
        Index(
            "uq_sip_phones_mac_desk",
            "mac_address",
            unique=True,
            sqlite_where=text("handset_index IS NULL"),
            postgresql_where=text("handset_index IS NULL"),
        ),
        UniqueConstraint("mac_address", "handset_index"),
        CheckConstraint("ip_mode IN ('OPEN', 'LOCKED', 'ROAMING')", name="ip_mode"),
        CheckConstraint("pbx_cluster IN (1, 2)", name="pbx_cluster"),
        CheckConstraint(
            "purchase_payment_option IN ('NONE', 'BOUGHT', 'RENTED', 'SELF_OWNED')",
            name="payment_option",
        ),
        CheckConstraint("network_vlan_id BETWEEN 0 AND 4094", name="vlan_id"),
        CheckConstraint("network_vlan_priority BETWEEN 0 AND 7", name="vlan_priority"),
    )


class SipPhoneSidePanel(Base):
    __tablename__ = "sip_phone_side_panels"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    customer_id: Mapped[str] = mapped_column(IdColumnType())
    sip_phone_id: Mapped[str] = mapped_column(IdColumnType())
    position: Mapped[int] = mapped_column(Integer)
    # a side panel's serial is unique across all SIP phones
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    payment_option: Mapped[str] = mapped_column(String(16), server_default="NONE")
    order_id: Mapped[str | None] = mapped_column(String(64))
    date: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        ForeignKeyConstraint(
            ["customer_id", "sip_phone_id"],
            ["sip_phones.customer_id", "sip_phones.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("customer_id", "sip_phone_id", "position"),
        CheckConstraint(
            "payment_option IN ('NONE', 'BOUGHT', 'RENTED', 'SELF_OWNED')",
            name="payment_option",
        ),
    )


# Kamailio's own tables, in the shape of Kamailio 5.6's usrloc schema (location
# version 9), so that the SIP server records registrations where we read them.
# `expires` and `last_modified` are timestamps without zone: Kamailio runs in UTC.
kamailio_version = Table(
    "version",
    Base.metadata,
    Column("table_name", String(32), nullable=False, unique=True),
    Column("table_version", Integer, nullable=False, server_default="0"),
)

location = Table(
    "location",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ruid", String(64), nullable=False, server_default="", unique=True),
    Column("username", String(64), nullable=False, server_default=""),
    Column("domain", String(64)),
    Column("contact", String(512), nullable=False, server_default=""),
    Column("received", String(128)),
    Column("path", String(512)),
    Column("expires", DateTime(), nullable=False),
    Column("q", Float, nullable=False, server_default="1.0"),
    Column("callid", String(255), nullable=False, server_default="Default-Call-ID"),
    Column("cseq", Integer, nullable=False, server_default="1"),
    Column("last_modified", DateTime(), nullable=False),
    Column("flags", Integer, nullable=False, server_default="0"),
    Column("cflags", Integer, nullable=False, server_default="0"),
    Column("user_agent", String(255), nullable=False, server_default=""),
    Column("socket", String(64)),
    Column("methods", Integer),
    Column("instance", String(255)),
    Column("reg_id", Integer, nullable=False, server_default="0"),
    Column("server_id", Integer, nullable=False, server_default="0"),
    Column("connection_id", Integer, nullable=False, server_default="0"),
    Column("keepalive", Integer, nullable=False, server_default="0"),
    Column("partition", Integer, nullable=False, server_default="0"),
    Index("location_account_contact_idx", "username", "domain", "contact"),
    Index("location_expires_idx", "expires"),
    Index("location_connection_idx", "server_id", "connection_id"),
)


class LoginThrottle(Base):
    """Failed logins counted per account and per client address, and the (account, address)
    pairs that logged in: shared by every worker. `key` is "<kind>:<SHA-256>", so no
    e-mail address (or password typed into the name field) is stored. Not tenant-owned."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(72), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the row is forgotten from then on (and deleted as failures go by)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class AuditEvent(Base):
    """Who did what to which record, and who was shown SIP credentials. Never a secret:
    for SIP credentials, passwords and tokens only the fact that they changed is kept.
    Tenant-owned; read newest first per customer (ids are time-ordered)."""

    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    customer_id: Mapped[str] = mapped_column(IdColumnType())
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_employee_id: Mapped[str | None] = mapped_column(IdColumnType())
    actor_customer_id: Mapped[str | None] = mapped_column(IdColumnType())
    actor_access_level: Mapped[str | None] = mapped_column(String(16))
    # LOGIN or API: the kind of token the request came with
    actor_token_kind: Mapped[str | None] = mapped_column(String(8))
    # where the system's own events came from (a phone fetching its configuration)
    client_address: Mapped[str | None] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str | None] = mapped_column(IdColumnType())
    action: Mapped[str] = mapped_column(String(32))
    # {wire field: {"old": v, "new": v}} or {field: {"changed": true}} for secrets
    changes: Mapped[dict | None] = mapped_column(JSON)
    # records shown by one request (a list page with SIP credentials)
    shown_ids: Mapped[list | None] = mapped_column(JSON)

    __table_args__ = (
        # a customer's events newest first, and filtered by record
        Index(None, "customer_id", "id"),
        Index(None, "customer_id", "resource_type", "resource_id", "id"),
    )
