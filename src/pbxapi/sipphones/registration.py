"""Registration through the SIP server (Kamailio, deploy/kamailio/kamailio.cfg).

Kamailio authenticates a REGISTER against the phone's row itself; it then asks us,
through the internal admission endpoint, whether the phone may register from the
sender's address. The answer is the IP rule's (iprule.admit), the very code that guards
provisioning, so an OPEN phone is LOCKED by its first registration exactly as by its
first configuration fetch.

A phone is judged as the device it belongs to: a DECT base's handsets share its MAC, and
one handset registering from an address speaks for the whole base.
"""

from sqlalchemy.orm import Session

from pbxapi.auth import policy
from pbxapi.sipphones import iprule, repository


def admit_registration(session: Session, sip_username: str, address: str) -> bool:
    """True when the phone with this SIP username may register from `address`; its
    device's OPEN phones are then LOCKED to it (committed). Refusal writes nothing.
    A BLOCKED or DELETED customer's phones may not register, as provisioning serves
    them nothing."""
    phone = repository.phone_by_username(session, sip_username, policy.REGISTRATION_STATES)
    if phone is None:
        return False
    # a desk phone is a device of its own (its MAC is unique): no query for it
    device = (
        [phone]
        if phone.handset_index is None
        else repository.phones_of_device(session, phone.mac_address)
    )
    if iprule.admit(session, device, address):
        session.commit()
        return True
    session.rollback()
    return False
