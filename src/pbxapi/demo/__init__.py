"""Deterministic demo data: an operator, a reseller with three customers, about
40 phones (a DECT base with four handsets among them, some unassigned), and one
employee for each access level that can log in."""

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.repository import customer_exists, employee_by_id
from pbxapi.auth.tokens import issue_token
from pbxapi.db.tables import Customer, Employee, Extension, SipPhone, SipPhoneSidePanel
from pbxapi.demo import repository

# Fixed ids, so that documentation, scripts and tests can name demo records.
_EPOCH = 0x65000000  # 2023-09-12: demo records sort before anything created later


def demo_id(kind: int, number: int) -> str:
    return f"{_EPOCH + number:08x}{kind:04x}{number:012x}"


OPERATOR_ID = demo_id(1, 1)
RESELLER_ID = demo_id(1, 2)
CUSTOMER_IDS = (demo_id(1, 3), demo_id(1, 4), demo_id(1, 5))

_CUSTOMERS = [
    (OPERATOR_ID, "Demo Telecom", None),
    (RESELLER_ID, "Nordic Voice Reseller", OPERATOR_ID),
    (CUSTOMER_IDS[0], "Andersen & Co ApS", RESELLER_ID),
    (CUSTOMER_IDS[1], "Bager Hansen", RESELLER_ID),
    (CUSTOMER_IDS[2], "Copenhagen Dental Clinic", RESELLER_ID),
]

# (customer, access level, name, e-mail): one employee per level that can log in
_LOGINS = [
    (OPERATOR_ID, AccessLevel.ADMIN, "Ada Admin", "admin@demo.pbxapi.test"),
    (RESELLER_ID, AccessLevel.RESELLER_ADMIN, "Rikke Reseller-Admin", "rikke@nordicvoice.test"),
    (RESELLER_ID, AccessLevel.RESELLER, "Rasmus Reseller", "rasmus@nordicvoice.test"),
    (CUSTOMER_IDS[0], AccessLevel.OWNER, "Ole Owner", "ole@andersen.test"),
    (CUSTOMER_IDS[0], AccessLevel.MANAGER, "Mette Manager", "mette@andersen.test"),
    (CUSTOMER_IDS[0], AccessLevel.VIEWER, "Viggo Viewer", "viggo@andersen.test"),
    (CUSTOMER_IDS[0], AccessLevel.PERSONAL, "Donald Duck", "donald@andersen.test"),
]

_FIRST = ["Anders", "Birgitte", "Christian", "Dorthe", "Erik", "Frederikke", "Gustav", "Hanne",
          "Ib", "Jens", "Karen", "Lars", "Mads", "Nanna", "Søren", "Ærling", "Øjvind", "Åse"]  # fmt: skip
_LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
         "Sørensen", "Rasmussen", "Jørgensen", "Møller", "Kjær"]  # fmt: skip

# (brand, model) of the catalogue, by role in the demo
_DESK_MODELS = [("SNOM", "D785"), ("YEALINK", "T54W"), ("MITEL", "6867i"), ("SNOM", "D735"),
                ("YEALINK", "T46U"), ("CISCO", "SPA504G"), ("LG", "IP8840E")]  # fmt: skip
_DECT_MODEL = ("YEALINK", "W70B")

# phones per customer: (desk phones, of which unassigned)
_PHONES = {CUSTOMER_IDS[0]: (20, 3), CUSTOMER_IDS[1]: (8, 2), CUSTOMER_IDS[2]: (7, 1)}


@dataclass(frozen=True)
class DemoLogin:
    access_level: AccessLevel
    customer_id: str
    token: str


def is_loaded(session: Session) -> bool:
    return customer_exists(session, OPERATOR_ID)


def database_is_empty(session: Session) -> bool:
    return not repository.holds_customers(session)


def load(session: Session, registrations: bool = True) -> None:
    """Insert the demo records (the caller commits). `registrations=False` leaves the
    `location` table to a real SIP server: its made-up contacts would otherwise be
    loaded by Kamailio as if phones had registered."""
    rng = random.Random(2026)
    now = datetime.now(UTC).replace(microsecond=0)
    created = datetime(2024, 1, 1, tzinfo=UTC)
    repository.add_records(
        session,
        (
            Customer(
                id=id_, name=name, parent_reseller_id=parent, state="ACTIVE", created_at=created
            )
            for id_, name, parent in _CUSTOMERS
        ),
    )
    session.flush()
    for number, (customer_id, level, name, email) in enumerate(_LOGINS, start=1):
        repository.add_record(
            session,
            Employee(
                id=demo_id(2, number), customer_id=customer_id, name=name, email_address=email,
                access_level=level.value, state="ENABLED", language="da", created_at=created,
            ),
        )  # fmt: skip
    session.flush()

    models = {(m.brand, m.model): m for m in repository.phone_models(session)}
    missing = [key for key in [*_DESK_MODELS, _DECT_MODEL] if key not in models]
    if missing:
        raise RuntimeError(f"phone model catalogue lacks {missing}: run `pbxapi migrate`")

    serial = iter(range(1, 10_000))
    employees_made = len(_LOGINS)
    for customer_index, customer_id in enumerate(CUSTOMER_IDS):
        desk_count, unassigned = _PHONES[customer_id]
        assigned = desk_count - unassigned + (4 if customer_index == 0 else 0)
        extensions = []
        for n in range(assigned):
            # The first customer's extensions 100..103 belong to the demo logins.
            employee_id = None
            if customer_index == 0 and n < 4:
                employee_id = demo_id(2, 4 + n)
            elif n % 5 != 4:  # every fifth extension is a shared one, with no employee
                employees_made += 1
                employee_id = demo_id(2, employees_made)
                repository.add_record(
                    session,
                    Employee(
                        id=employee_id, customer_id=customer_id,
                        name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                        email_address=None, access_level=AccessLevel.NO_LOGIN.value,
                        state="ENABLED", language="da", created_at=created,
                    ),
                )  # fmt: skip
            number = str(100 + n)
            extension = Extension(
                id=demo_id(3, next(serial)), customer_id=customer_id, number=number,
                name=f"Extension {number}" if employee_id is None else "",
                direct=f"+4570{rng.randrange(100000, 999999)}" if n % 2 == 0 else None,
                employee_id=employee_id, notes="",
            )  # fmt: skip
            extensions.append(extension)
        session.flush()
        repository.add_records(session, extensions)
        session.flush()

        phones = []
        for n in range(desk_count):
            model = models[_DESK_MODELS[(n + customer_index) % len(_DESK_MODELS)]]
            phones.append(
                _phone(rng, customer_id, model, extensions[n] if n < desk_count - unassigned
                       else None, demo_id(4, next(serial)), created, now)
            )  # fmt: skip
        if customer_index == 0:
            # A DECT base with four handsets on the last four extensions.
            base = models[_DECT_MODEL]
            mac = "805EC0" + f"{rng.randrange(16**6):06X}"
            for handset in range(4):
                phone = _phone(
                    rng, customer_id, base, extensions[desk_count - unassigned + handset],
                    demo_id(4, next(serial)), created, now,
                )  # fmt: skip
                phone.mac_address = mac
                phone.handset_index = handset
                phone.handset_address = f"0{handset + 1}2A3B4C5D"
                phone.notes = f"Reception DECT, handset {handset + 1}"
                phones.append(phone)
        repository.add_records(session, phones)
        session.flush()
        _register_some(session, rng, phones, now, registrations)
        if customer_index == 0:
            repository.add_record(
                session,
                SipPhoneSidePanel(
                    id=demo_id(5, 1), customer_id=customer_id, sip_phone_id=phones[0].id,
                    position=0, serial="D7C-2024-000173", payment_option="RENTED",
                    order_id="7214", date=created,
                ),
            )  # fmt: skip
            phones[0].side_panel = "D7C"
            phones[0].side_panel_count = 1


def _phone(rng, customer_id, model, extension, id_, created, now) -> SipPhone:
    locked = rng.random() < 0.7
    softkeys = []
    if model.softkeys >= 2:
        softkeys = [
            {"index": 0, "function": "SPEEDDIAL", "value": "112", "label": "Emergency"},
            {"index": 1, "function": "DND", "value": None, "label": "Do not disturb"},
        ]
    return SipPhone(
        id=id_,
        customer_id=customer_id,
        sip_phone_model_id=model.id,
        extension_id=extension.id if extension else None,
        pbx_cluster=1,
        mac_address=_mac_prefix(model.brand) + f"{rng.randrange(16**6):06X}",
        serial=None,
        handset_index=None,
        call_waiting=True,
        side_panel_count=0,
        softkey_configuration_on_device=False,
        softkey_blf_blind_transfer=False,
        dhsg=False,
        notes=rng.choice(["", "", "Meeting room", "Front desk", "Warehouse, by the gate"]),
        ip_mode="LOCKED" if locked else "OPEN",
        ip_countries="",
        ip_address=f"213.83.{rng.randrange(256)}.{rng.randrange(1, 255)}" if locked else None,
        sip_username=secrets.token_hex(16),
        sip_password=secrets.token_hex(16),
        ringer_volume=5,
        ringer_tone="2",
        softkeys=softkeys,
        codec_hd_audio=True,
        codec_video=False,
        network_dhcp=True,
        network_vlan_id=0,
        network_vlan_priority=0,
        purchase_payment_option=rng.choice(["BOUGHT", "RENTED", "SELF_OWNED"]),
        purchase_order_id=str(7000 + rng.randrange(1000)),
        purchase_date=created,
        config_saved_at=created,
        config_loaded_at=now - timedelta(hours=rng.randrange(1, 48)) if locked else None,
        created_at=created,
    )


def _mac_prefix(brand: str) -> str:
    return {"SNOM": "000413", "YEALINK": "805EC0", "MITEL": "00085D", "CISCO": "E05FB9",
            "LG": "0040C5", "GIGASET": "7C2F80"}.get(brand, "020000")  # fmt: skip


def _register_some(
    session: Session, rng: random.Random, phones: list[SipPhone], now, insert_rows: bool
) -> None:
    """Live registrations for the locked phones, as Kamailio would record them. Drawn
    even when not inserted, so the rest of the demo data stays the same either way."""
    rows = []
    for phone in phones:
        if phone.ip_mode != "LOCKED" or rng.random() < 0.2:
            continue
        model_ua = phone.mac_address[:6]
        rows.append(
            {
                "ruid": f"demo-{phone.id}",
                "username": phone.sip_username,
                "contact": f"sip:{phone.sip_username}@192.168.1.{rng.randrange(2, 250)}:5060",
                "received": f"sip:{phone.ip_address}:5060",
                "expires": (now + timedelta(hours=1)).replace(tzinfo=None),
                "last_modified": now.replace(tzinfo=None),
                "user_agent": f"demo-phone/{model_ua}",
                "callid": f"demo-{phone.id}",
            }
        )
    if rows and insert_rows:
        repository.add_registrations(session, rows)


def issue_login_tokens(session: Session) -> list[DemoLogin]:
    """A fresh token for every demo login (tokens are stored hashed: old ones can't be shown)."""
    logins = []
    for number, (customer_id, level, _name, _email) in enumerate(_LOGINS, start=1):
        employee = employee_by_id(session, demo_id(2, number))
        if employee is None:
            continue
        logins.append(DemoLogin(level, customer_id, issue_token(session, employee)))
    return logins
