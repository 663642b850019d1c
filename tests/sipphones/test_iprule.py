"""The IP rule (sipphones/iprule.py): OPEN locks once, LOCKED and ROAMING refuse strangers."""

import threading

import pytest
from sqlalchemy import select

from harness.factory import Factory, random_mac
from pbxapi.db.engine import make_session_factory
from pbxapi.db.tables import SipPhone
from pbxapi.sipphones.iprule import (
    IpPolicy,
    Verdict,
    admit,
    country_of_address,
    judge,
    parse_address,
)

COUNTRIES = {"80.62.116.1": "DK", "8.8.8.8": "US", "2a00:1450:4001:80b::200e": "DE"}


def fixed_countries(address):
    return COUNTRIES.get(str(address))


@pytest.mark.parametrize(
    ("policy", "address", "verdict"),
    [
        (IpPolicy("OPEN", None, ""), "80.62.116.1", Verdict.LOCK),
        (IpPolicy("OPEN", None, ""), "not an address", Verdict.REFUSE),
        (IpPolicy("LOCKED", "80.62.116.1", ""), "80.62.116.1", Verdict.ADMIT),
        (IpPolicy("LOCKED", "80.62.116.1", ""), "::ffff:80.62.116.1", Verdict.ADMIT),
        (IpPolicy("LOCKED", "80.62.116.1", ""), "80.62.116.2", Verdict.REFUSE),
        (IpPolicy("LOCKED", None, ""), "80.62.116.1", Verdict.REFUSE),
        (IpPolicy("LOCKED", "2a00:1450:4001:80b::200e", ""), "[2A00:1450:4001:80B::200E]",
         Verdict.ADMIT),
        (IpPolicy("ROAMING", None, "DK,SE"), "80.62.116.1", Verdict.ADMIT),
        (IpPolicy("ROAMING", None, "SE"), "80.62.116.1", Verdict.REFUSE),
        (IpPolicy("ROAMING", None, "DE"), "2a00:1450:4001:80b::200e", Verdict.ADMIT),
        (IpPolicy("ROAMING", None, "DK"), "10.0.0.1", Verdict.REFUSE),  # nowhere
        (IpPolicy("BOGUS", None, "DK"), "80.62.116.1", Verdict.REFUSE),
    ],
)  # fmt: skip
def test_judge(policy, address, verdict):
    assert judge(policy, address, fixed_countries) is verdict


def test_parse_address_unwraps_ipv4_mapped_and_brackets():
    assert str(parse_address("::ffff:10.1.2.3")) == "10.1.2.3"
    assert str(parse_address("[::1]")) == "::1"
    assert parse_address("10.1.2") is None


def test_country_database_places_public_addresses_and_not_private_ones():
    # The shipped GeoLite2 country data: stable allocations only.
    assert country_of_address(parse_address("80.62.116.1")) == "DK"  # TDC, Denmark
    assert country_of_address(parse_address("2a00:1450:4001:80b::200e")) == "DE"
    assert country_of_address(parse_address("127.0.0.1")) is None
    assert country_of_address(parse_address("192.168.1.10")) is None


def read_ip(factory, phone_id):
    with factory.session_factory() as session:
        return tuple(
            session.execute(
                select(SipPhone.ip_mode, SipPhone.ip_address).where(SipPhone.id == phone_id)
            ).one()
        )


def contact(factory, phone_ids, address):
    """One contact as provisioning makes it: admit, then commit or roll back."""
    with factory.session_factory() as session:
        phones = list(session.scalars(select(SipPhone).where(SipPhone.id.in_(phone_ids))))
        admitted = admit(session, phones, address, fixed_countries)
        if admitted:
            session.commit()
        else:
            session.rollback()
        return admitted


def test_open_phone_is_locked_by_its_first_contact(factory):
    phone = factory.phone(factory.customer())
    assert read_ip(factory, phone.id) == ("OPEN", None)
    assert contact(factory, [phone.id], "::ffff:80.62.116.1")
    assert read_ip(factory, phone.id) == ("LOCKED", "80.62.116.1")
    assert contact(factory, [phone.id], "80.62.116.1")
    assert not contact(factory, [phone.id], "8.8.8.8")
    assert read_ip(factory, phone.id) == ("LOCKED", "80.62.116.1")


def test_roaming_phone_stays_roaming(factory):
    phone = factory.phone(factory.customer(), ip_mode="ROAMING", ip_countries="DK")
    assert contact(factory, [phone.id], "80.62.116.1")
    assert not contact(factory, [phone.id], "8.8.8.8")
    assert read_ip(factory, phone.id) == ("ROAMING", None)


def test_a_device_is_refused_whole_and_nothing_is_locked(factory):
    """A DECT base and its handsets are one device: one refusing handset refuses the
    contact, and the OPEN handsets beside it are not locked to the stranger."""
    customer = factory.customer()
    mac = random_mac()
    model = ("GIGASET", "N870 IP PRO")
    locked = factory.phone(customer, model, mac_address=mac, handset_index=0,
                           ip_mode="LOCKED", ip_address="80.62.116.1")  # fmt: skip
    fresh = factory.phone(customer, model, mac_address=mac, handset_index=1)
    assert not contact(factory, [locked.id, fresh.id], "8.8.8.8")
    assert read_ip(factory, fresh.id) == ("OPEN", None)
    assert contact(factory, [locked.id, fresh.id], "80.62.116.1")
    assert read_ip(factory, fresh.id) == ("LOCKED", "80.62.116.1")


def test_no_phones_no_admission(factory):
    with factory.session_factory() as session:
        assert not admit(session, [], "80.62.116.1", fixed_countries)


def test_racing_first_contacts_lock_exactly_once(engine):
    """Eight contacts from eight addresses race on one OPEN phone: exactly one address
    wins the lock, and every contact from another address is refused."""
    factory = Factory(make_session_factory(engine))
    phone = factory.phone(factory.customer())
    addresses = [f"80.62.116.{n}" for n in range(1, 9)]
    results: dict[str, bool] = {}
    barrier = threading.Barrier(len(addresses))

    def attempt(address):
        barrier.wait()
        results[address] = contact(factory, [phone.id], address)

    threads = [threading.Thread(target=attempt, args=(a,)) for a in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mode, winner = read_ip(factory, phone.id)
    assert mode == "LOCKED"
    assert winner in addresses
    assert results == {address: address == winner for address in addresses}
