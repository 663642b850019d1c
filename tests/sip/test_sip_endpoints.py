"""The API side of registration, on SQLite and PostgreSQL without a SIP server: the
internal admission endpoint (shared secret, the IP rule) and the error paths of reboot
and configreload. The SIP side itself: tests/test_sip.py."""

import urllib.request

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from harness.factory import random_mac
from harness.sipstack import free_port
from pbxapi.app import create_app
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.tables import SipPhone

SECRET = "s3cret-for-the-sip-server"
ADMISSION = "/internal/sip/admission"


@pytest.fixture
def client_with(engine, database_url):
    """A client of an app with these settings, on the session's database."""
    clients: list[TestClient] = []

    def make(**settings) -> TestClient:
        app = create_app(Settings(database_url=database_url, **settings), engine=engine)
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def internal(client_with) -> TestClient:
    return client_with(internal_secret=SECRET)


def ip_of(factory, phone_id: str) -> tuple:
    with factory.session_factory() as session:
        return tuple(
            session.execute(
                select(SipPhone.ip_mode, SipPhone.ip_address).where(SipPhone.id == phone_id)
            ).one()
        )


def admission(client: TestClient, username: str, address: str, secret: str | None = SECRET):
    headers = {"X-Pbxapi-Internal-Secret": secret} if secret is not None else {}
    return client.post(ADMISSION, json={"username": username, "address": address}, headers=headers)


# --- the admission endpoint ---------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_admission_refuses_without_the_right_secret_and_locks_nothing(internal, factory, secret):
    phone = factory.phone(factory.customer())
    answer = admission(internal, phone.sip_username, "80.62.116.1", secret)
    assert answer.status_code == 401
    assert answer.json()["error"] == "credentials_invalid"
    assert ip_of(factory, phone.id) == ("OPEN", None)


def test_without_a_configured_secret_admission_refuses_everyone(client_with, factory):
    client = client_with(internal_secret="")
    phone = factory.phone(factory.customer())
    for secret in ("", SECRET):
        assert admission(client, phone.sip_username, "80.62.116.1", secret).status_code == 401
    assert ip_of(factory, phone.id) == ("OPEN", None)


def test_admission_locks_an_open_phone_and_then_holds_it(internal, factory):
    phone = factory.phone(factory.customer())
    assert admission(internal, phone.sip_username, "::ffff:80.62.116.1").json() == {"success": True}
    assert ip_of(factory, phone.id) == ("LOCKED", "80.62.116.1")
    assert admission(internal, phone.sip_username, "80.62.116.1").status_code == 200
    refused = admission(internal, phone.sip_username, "80.62.116.2")
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "access_denied",
        "message": "the phone may not register from this address",
        "field": "address",
    }
    assert ip_of(factory, phone.id) == ("LOCKED", "80.62.116.1")


def test_admission_refuses_unknown_usernames_and_bad_addresses(internal, factory):
    assert admission(internal, "0" * 32, "80.62.116.1").status_code == 403
    phone = factory.phone(factory.customer())
    assert admission(internal, phone.sip_username, "not-an-address").status_code == 403
    assert ip_of(factory, phone.id) == ("OPEN", None)
    bad = internal.post(ADMISSION, json={"username": phone.sip_username},
                        headers={"X-Pbxapi-Internal-Secret": SECRET})  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["field"] == "address"


@pytest.mark.parametrize("state", ["BLOCKED", "DELETED"])
def test_a_customer_that_is_not_active_has_no_registrations(internal, factory, state):
    from pbxapi.db.tables import Customer

    customer = factory.customer()
    phone = factory.phone(customer)
    factory.set_state(Customer, customer, state)
    assert admission(internal, phone.sip_username, "80.62.116.1").status_code == 403
    assert ip_of(factory, phone.id) == ("OPEN", None)
    factory.set_state(Customer, customer, "ACTIVE")
    assert admission(internal, phone.sip_username, "80.62.116.1").status_code == 200


def test_a_dect_handset_registering_speaks_for_its_base(internal, factory):
    """Handsets share their base's MAC: one registration locks the whole device, and a
    handset LOCKED elsewhere refuses for all of them."""
    customer, mac, model = factory.customer(), random_mac(), ("YEALINK", "W70B")
    first = factory.phone(customer, model, mac_address=mac, handset_index=0)
    second = factory.phone(customer, model, mac_address=mac, handset_index=1)
    assert admission(internal, second.sip_username, "80.62.116.1").status_code == 200
    assert ip_of(factory, first.id) == ("LOCKED", "80.62.116.1")
    assert ip_of(factory, second.id) == ("LOCKED", "80.62.116.1")

    other_mac = random_mac()
    locked = factory.phone(customer, model, mac_address=other_mac, handset_index=0,
                           ip_mode="LOCKED", ip_address="80.62.116.9")  # fmt: skip
    fresh = factory.phone(customer, model, mac_address=other_mac, handset_index=1)
    assert admission(internal, fresh.sip_username, "80.62.116.1").status_code == 403
    assert ip_of(factory, fresh.id) == ("OPEN", None)
    assert ip_of(factory, locked.id) == ("LOCKED", "80.62.116.9")


def test_the_internal_endpoint_is_not_in_the_public_description(internal):
    assert not [
        path for path in internal.get("/openapi.json").json()["paths"] if "internal" in path
    ]


# --- reboot and configreload without a reachable SIP server --------------------------------


ACTIONS = ["reboot", "configreload"]


@pytest.fixture
def control(client_with) -> TestClient:
    """The SIP server's control endpoint is configured but nothing listens there."""
    return client_with(sip_control_url=f"http://127.0.0.1:{free_port()}/RPC")


def bearer(factory, customer: str, level: AccessLevel = AccessLevel.MANAGER) -> dict:
    return {"Authorization": f"Bearer {factory.login(customer, level)}"}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_phone_that_is_not_registered_is_409(control, factory, action):
    customer = factory.customer()
    phone = factory.phone(customer)
    answer = control.get(f"/pbx/sipphone/{phone.id}/{action}", headers=bearer(factory, customer))
    assert answer.status_code == 409
    assert answer.json() == {
        "error": "online",
        "message": "the phone is not registered",
        "field": "online",
    }


@pytest.mark.parametrize("action", ACTIONS)
def test_an_expired_registration_is_not_registered(control, factory, action):
    customer = factory.customer()
    phone = factory.phone(customer)
    factory.register(phone, contact="sip:a@192.168.1.10:5060", expires_in=-5)
    answer = control.get(f"/pbx/sipphone/{phone.id}/{action}", headers=bearer(factory, customer))
    assert answer.status_code == 409


@pytest.mark.parametrize("action", ACTIONS)
def test_an_unreachable_sip_server_is_503(control, client_with, factory, action):
    customer = factory.customer()
    phone = factory.phone(customer)
    factory.register(phone, contact="sip:a@192.168.1.10:5060", received="sip:80.62.116.1:5060")
    headers = bearer(factory, customer)
    unconfigured = client_with(sip_control_url="")
    for client in (control, unconfigured):
        answer = client.get(f"/pbx/sipphone/{phone.id}/{action}", headers=headers)
        assert answer.status_code == 503
        assert answer.json()["error"] == "unavailable"
        assert answer.headers["Retry-After"] == "1"


@pytest.mark.parametrize("action", ACTIONS)
def test_out_of_reach_is_404_and_below_manager_is_403(control, factory, action):
    customer, stranger = factory.customer(), factory.customer()
    phone = factory.phone(customer)
    factory.register(phone, contact="sip:a@192.168.1.10:5060")
    path = f"/pbx/sipphone/{phone.id}/{action}"
    answer = control.get(path, headers=bearer(factory, stranger))
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
    answer = control.get(path, headers=bearer(factory, customer, AccessLevel.VIEWER))
    assert answer.status_code == 403
    assert answer.json()["error"] == "access_denied"
    assert control.get(path).status_code == 401
    assert (
        control.get("/pbx/sipphone/nothex/reboot", headers=bearer(factory, customer)).json()[
            "field"
        ]
        == "id"
    )


def test_no_database_connection_is_held_while_waiting_for_the_phone(
    control, factory, engine, monkeypatch
):
    """A phone that does not answer keeps the request waiting for seconds: it must not
    keep a pooled connection (in a transaction) from everyone else meanwhile."""
    customer = factory.customer()
    phone = factory.phone(customer)
    factory.register(phone, contact="sip:a@192.168.1.10:5060", received="sip:80.62.116.1:5060")
    checked_out_during_wait = []

    def sip_server_that_times_out(*args, **kwargs):
        checked_out_during_wait.append(engine.pool.checkedout())
        raise OSError("timed out")

    monkeypatch.setattr(urllib.request, "urlopen", sip_server_that_times_out)
    before = engine.pool.checkedout()
    answer = control.get(f"/pbx/sipphone/{phone.id}/reboot", headers=bearer(factory, customer))
    assert answer.status_code == 503
    assert checked_out_during_wait == [before]


def test_beyond_the_in_flight_limit_requests_to_phones_are_503(control, factory, monkeypatch):
    """Slow phones take at most MAX_REQUESTS_IN_FLIGHT threads; the next request is a
    503 at once, and the limit frees up again when they finish."""
    from pbxapi.sipphones import sipcontrol

    customer = factory.customer()
    phone = factory.phone(customer)
    factory.register(phone, contact="sip:a@192.168.1.10:5060", received="sip:80.62.116.1:5060")
    held = [sipcontrol._in_flight.acquire(blocking=False)
            for _ in range(sipcontrol.MAX_REQUESTS_IN_FLIGHT)]  # fmt: skip
    try:
        assert all(held)
        answer = control.get(f"/pbx/sipphone/{phone.id}/reboot", headers=bearer(factory, customer))
        assert answer.status_code == 503
        assert answer.json()["message"] == "too many requests to phones at once, try again shortly"
        assert answer.headers["Retry-After"] == "1"
    finally:
        for _ in held:
            sipcontrol._in_flight.release()
    monkeypatch.setattr(
        urllib.request, "urlopen", lambda *a, **k: (_ for _ in ()).throw(OSError("refused"))
    )
    answer = control.get(f"/pbx/sipphone/{phone.id}/reboot", headers=bearer(factory, customer))
    assert answer.json()["message"] == "the SIP server does not answer, try again shortly"
