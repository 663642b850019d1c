"""Defects a review found, each pinned by a test: WebRTC never hands over a phone it did
not make, hostile dates and e-mails are 400s, dangling BLF keys, dotted MACs in the
filter, one query for all BLF keys, logins that do not pile up."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from harness.factory import random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.tables import ApiToken
from pbxapi.phonemodels.service import WEBRTC_MODEL_ID


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def office(factory):
    """A customer with a manager, and a PERSONAL employee on extension 301."""
    customer = factory.customer()
    employee = factory.employee(customer, AccessLevel.PERSONAL, name="Alice")
    extension = factory.extension(customer, "301", employee_id=employee)
    return {
        "customer": customer,
        "extension": extension,
        "personal": factory.token(employee),
        "manager": factory.login(customer, AccessLevel.MANAGER),
    }


def test_webrtc_never_hands_over_a_desk_phone_with_the_same_instance_id(client, factory, office):
    desk = factory.phone(office["customer"], extension_id=office["extension"], instance_id="x1")
    response = client.post("/pbx/sipphone/webrtc", json={"instanceId": "x1", "v2": True},
                           headers=auth(office["personal"]))  # fmt: skip
    assert response.status_code == 200, response.text
    account = response.json()
    assert account["_id"] != desk.id
    assert desk.sip_password not in response.text
    created = client.get(f"/pbx/sipphone/{account['_id']}", headers=auth(office["manager"]))
    assert created.json()["sipPhoneModel"] == WEBRTC_MODEL_ID


def test_webrtc_refuses_an_instance_id_on_another_extension(client, factory, office):
    other = factory.employee(office["customer"], AccessLevel.PERSONAL, name="Bob")
    factory.extension(office["customer"], "302", employee_id=other)
    first = client.post("/pbx/sipphone/webrtc", json={"instanceId": "shared"},
                        headers=auth(factory.token(other)))  # fmt: skip
    assert first.status_code == 200
    second = client.post("/pbx/sipphone/webrtc", json={"instanceId": "shared"},
                         headers=auth(office["personal"]))  # fmt: skip
    assert second.status_code == 409
    assert second.json()["error"] == "instanceId"
    assert first.json()["password"] not in second.text


def test_the_webrtc_model_is_built_in(client, factory, office):
    admin = factory.login(factory.customer(), AccessLevel.ADMIN)
    url = f"/pbx/sipphonemodels/{WEBRTC_MODEL_ID}"
    for response in (
        client.post(url, json={"description": "mine now"}, headers=auth(admin)),
        client.delete(url, headers=auth(admin)),
    ):
        assert response.status_code == 409
        assert response.json()["error"] == "sipPhoneModel"
    assert client.get(url, headers=auth(admin)).json()["model"] == "WebRTC"
    # ...and phones are not made with it through the general endpoint.
    response = client.post(
        "/pbx/sipphone",
        headers=auth(office["manager"]),
        json={"macAddress": random_mac(), "sipPhoneModel": WEBRTC_MODEL_ID},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "sipPhoneModel"


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_out_of_range_dates_are_400(client, factory, office, date):
    body = {"macAddress": random_mac(), "sipPhoneModel": factory.model_id("SNOM", "D785"),
            "purchaseInfo": {"date": date}}  # fmt: skip
    response = client.post("/pbx/sipphone", json=body, headers=auth(office["manager"]))
    assert response.status_code == 400
    assert response.json()["field"] == "purchaseInfo.date"
    listed = client.get("/pbx/sipphone", headers=auth(office["manager"])).json()
    assert listed["total"] == 0


def test_an_email_that_grows_when_lowered_is_400(client, office):
    response = client.post(
        "/employee",
        headers=auth(office["manager"]),
        json={"name": "n", "emailAddress": "İ" * 200 + "@x.dk"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "emailAddress"


def test_deleting_an_extension_removes_blf_keys_watching_it(client, factory, office):
    watched = factory.extension(office["customer"], "777")
    softkeys = [
        {"index": 0, "function": "BLF", "value": watched, "label": "Reception"},
        {"index": 1, "function": "SPEEDDIAL", "value": "112", "label": None},
    ]
    phone = factory.phone(office["customer"], softkeys=softkeys)
    manager = auth(office["manager"])
    assert client.delete(f"/pbx/extension/{watched}", headers=manager).status_code == 200
    shown = client.get(f"/pbx/sipphone/{phone.id}", headers=manager).json()
    assert shown["softkeys"] == [softkeys[1]]
    # what was read can be written back
    again = client.post(f"/pbx/sipphone/{phone.id}", json={"softkeys": shown["softkeys"]},
                        headers=manager)  # fmt: skip
    assert again.status_code == 200, again.text


@pytest.mark.parametrize("form", ["whole", "two groups", "cut short"])
def test_the_filter_takes_mac_fragments_with_dots(client, factory, office, form):
    phone = factory.phone(office["customer"])
    mac = phone.mac_address
    spelled = {
        "whole": f"{mac[:4]}.{mac[4:8]}.{mac[8:]}".lower(),  # Cisco's 4ee8.a34b.56f3
        "two groups": f"{mac[:4]}.{mac[4:8]}".lower(),
        "cut short": f"{mac[4:8]}.{mac[8:10]}",
    }[form]
    found = client.get("/pbx/sipphone", params={"filter": spelled},
                       headers=auth(office["manager"])).json()  # fmt: skip
    assert [p["_id"] for p in found["sipPhones"]] == [phone.id]


def test_blf_keys_are_checked_in_one_query(client, factory, office, count_statements):
    model = factory.model_id("SNOM", "D785")

    def statements_for(keys: int) -> int:
        extensions = [factory.extension(office["customer"], str(500 + n + keys * 10))
                      for n in range(keys)]  # fmt: skip
        softkeys = [{"index": n, "function": "BLF", "value": e} for n, e in enumerate(extensions)]
        with count_statements() as counter:
            response = client.post(
                "/pbx/sipphone",
                headers=auth(office["manager"]),
                json={"macAddress": random_mac(), "sipPhoneModel": model, "softkeys": softkeys},
            )
        assert response.status_code == 200, response.text
        return len(counter.statements)

    assert statements_for(1) == statements_for(12)


def test_a_new_login_clears_the_employees_expired_tokens(factory, engine):
    customer = factory.customer()
    employee = factory.employee(customer, AccessLevel.VIEWER)
    factory.token(employee, lifetime=timedelta(seconds=-1))
    factory.token(employee, lifetime=timedelta(seconds=-1))
    fresh = factory.token(employee)
    with Session(engine) as session:
        rows = session.execute(
            select(ApiToken.expires_at).where(ApiToken.employee_id == employee)
        ).all()
    assert rows == [(None,)]
    assert fresh.startswith("pbx_")
