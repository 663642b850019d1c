"""Statements of SIP phones: one phone, one device (the phones that share a MAC), and what
the write rules read. The list's statements are in `listing` (and the filter's in
`matching`) beside this module.

A function that acts on a customer's rows takes the customer id and names it in its WHERE.
A few read across every customer on purpose, and say so: a MAC, a side panel serial and a
SIP username each belong to one phone at most in the whole system.
"""

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import Row, Select, delete, select, text, update
from sqlalchemy.orm import Session

from pbxapi.db.tables import Customer, Extension, SipPhone, SipPhoneModel, SipPhoneSidePanel
from pbxapi.extensions.repository import SORT_KEYS as EXTENSION_SORT_KEYS

# --- one phone ---------------------------------------------------------------------------


def add_phone(session: Session, phone: SipPhone) -> None:
    session.add(phone)


def delete_phone(session: Session, phone: SipPhone) -> None:
    session.delete(phone)  # side panels go with it (ON DELETE CASCADE)


def model_by_id(session: Session, model_id: str) -> SipPhoneModel | None:
    """A model of the catalogue (global: no customer owns it)."""
    return session.get(SipPhoneModel, model_id)


def phone_by_instance_id(
    session: Session, customer_id: str, model_id: str, instance_id: str
) -> SipPhone | None:
    """The customer's first phone of the model with this instanceId, by id."""
    return session.scalars(
        select(SipPhone)
        .where(
            SipPhone.customer_id == customer_id,
            SipPhone.sip_phone_model_id == model_id,
            SipPhone.instance_id == instance_id,
        )
        .order_by(SipPhone.id)
    ).first()


def phone_by_username(
    session: Session, sip_username: str, customer_states: Collection[str]
) -> SipPhone | None:
    """The phone with this SIP username (one in the whole system, at most) when its
    customer is in one of `customer_states`."""
    return session.scalars(
        select(SipPhone)
        .join(Customer, Customer.id == SipPhone.customer_id)
        .where(SipPhone.sip_username == sip_username, Customer.state.in_(customer_states))
    ).one_or_none()


# --- extensions a phone names ----------------------------------------------------------


def extension_exists(session: Session, customer_id: str, extension_id: str) -> bool:
    found = session.execute(
        select(Extension.id).where(
            Extension.customer_id == customer_id, Extension.id == extension_id
        )
    ).first()
    return found is not None


def existing_extension_ids(
    session: Session, customer_id: str, extension_ids: Iterable[str]
) -> set[str]:
    """Those of `extension_ids` that are extensions of the customer: one query for all."""
    return set(
        session.scalars(
            select(Extension.id).where(
                Extension.customer_id == customer_id, Extension.id.in_(set(extension_ids))
            )
        )
    )


def first_extension_of_employee(
    session: Session, customer_id: str, employee_id: str
) -> Extension | None:
    """The employee's extension with the lowest number (then id), if any."""
    return session.scalars(
        select(Extension)
        .where(Extension.customer_id == customer_id, Extension.employee_id == employee_id)
        .order_by(*EXTENSION_SORT_KEYS["number"], Extension.id)
    ).first()


# --- a MAC and the phones that share it --------------------------------------------------


def take_turn_on_mac(session: Session, mac: str) -> None:
    """Who may use a MAC is decided by reading the phones that have it, then writing: two
    requests must not both read "free". A desk phone and a handset of a base are held
    apart by no single unique index, so writes to one MAC take turns:
    PostgreSQL by a transaction-scoped advisory lock on the MAC, SQLite by taking its
    (single) write lock before reading."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"mac:{mac}"}
        )
    elif not connection.connection.driver_connection.in_transaction:
        # pysqlite opens transactions only at the first write; open this one as a writer.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def others_with_mac(session: Session, mac: str, phone_id: str | None) -> Sequence[Row]:
    """Every phone with the MAC but `phone_id`, of any customer: its customer_id,
    sip_phone_model_id and handset_index."""
    return session.execute(
        select(SipPhone.customer_id, SipPhone.sip_phone_model_id, SipPhone.handset_index).where(
            SipPhone.mac_address == mac, SipPhone.id != (phone_id or "")
        )
    ).all()


def mac_in_use(session: Session, mac: str) -> bool:
    """Whether a phone of any customer has the MAC."""
    found = session.execute(select(SipPhone.id).where(SipPhone.mac_address == mac)).first()
    return found is not None


def device_phones(mac_address: str) -> Select:
    """The phones of one device, in handset order: a desk phone alone (its MAC is unique),
    or a DECT base's handsets (the write rules keep them in one customer and one model).
    The IP rule judges them together; callers may join what else they need."""
    return (
        select(SipPhone)
        .where(SipPhone.mac_address == mac_address)
        .order_by(SipPhone.handset_index, SipPhone.id)
    )


def phones_of_device(session: Session, mac_address: str) -> list[SipPhone]:
    """The phones of the device with this MAC (device_phones)."""
    return list(session.scalars(device_phones(mac_address)))


# --- the IP rule's writes ----------------------------------------------------------------


def lock_if_open(session: Session, customer_id: str, phone_id: str, address: str) -> bool:
    """LOCK the phone to `address` if it is still OPEN; False when it no longer was (another
    contact, or an admin's change, came first). The ORM object is left as it was."""
    locked = session.execute(
        update(SipPhone)
        .where(
            SipPhone.customer_id == customer_id,
            SipPhone.id == phone_id,
            SipPhone.ip_mode == "OPEN",
        )
        .values(ip_mode="LOCKED", ip_address=address)
        .execution_options(synchronize_session=False)
    ).rowcount
    return locked == 1


def ip_restriction_of(session: Session, customer_id: str, phone_id: str) -> Row:
    """The phone's ip_mode, ip_address and ip_countries as they are in the database now."""
    return session.execute(
        select(SipPhone.ip_mode, SipPhone.ip_address, SipPhone.ip_countries).where(
            SipPhone.customer_id == customer_id, SipPhone.id == phone_id
        )
    ).one()


# --- side panels ---------------------------------------------------------------------------


def serial_of_another_phone(session: Session, serials: Sequence[str], phone_id: str) -> str | None:
    """One of `serials` that a side panel of another phone, of any customer, has."""
    in_use = session.execute(
        select(SipPhoneSidePanel.serial).where(
            SipPhoneSidePanel.serial.in_(serials), SipPhoneSidePanel.sip_phone_id != phone_id
        )
    ).first()
    return None if in_use is None else in_use.serial


def delete_side_panels(session: Session, customer_id: str, phone_id: str) -> None:
    session.execute(
        delete(SipPhoneSidePanel).where(
            SipPhoneSidePanel.customer_id == customer_id,
            SipPhoneSidePanel.sip_phone_id == phone_id,
        )
    )


def add_side_panels(session: Session, panels: Iterable[SipPhoneSidePanel]) -> None:
    session.add_all(panels)
