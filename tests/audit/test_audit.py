"""The audit log (issue 5, "Defences users expect"): every write and every display of SIP
credentials is recorded, in the write's own transaction, with who, when, which record and
what changed, never a secret; readable at GET /audit by OWNER and above for the customers
they reach."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from harness.factory import random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.engine import make_session_factory
from pbxapi.db.tables import AuditEvent, Employee, SipPhone
from pbxapi.errors import Conflict
from pbxapi.extensions import service as extension_service
from pbxapi.provisioning.app import create_app as create_provisioning_app
from pbxapi.sipphones import service as phone_service
from pbxapi.sipphones.registration import admit_registration
from tests.support.accounts import Accounts, assert_error, auth, unique_email

AUDIT = "/audit"
PASSWORD = "a password of the employee"
NEW_PASSWORD = "another password, longer"
LEVELS_BELOW_OWNER = [AccessLevel.PERSONAL, AccessLevel.VIEWER, AccessLevel.MANAGER]


@pytest.fixture
def tenant(factory):
    """A customer and its OWNER's token (a machine token: via API)."""
    customer = factory.customer()
    owner = factory.employee(customer, AccessLevel.OWNER, name="Owner")
    return customer, owner, factory.token(owner)


def audit_log(client, token: str, **params) -> list[dict]:
    response = client.get(AUDIT, params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] >= len(body["events"])
    return body["events"]


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def stored_events(engine) -> list[dict]:
    """Every audit row, every column, as the database holds it."""
    with make_session_factory(engine)() as session:
        return [
            {column.key: getattr(event, column.key) for column in AuditEvent.__table__.columns}
            for event in session.scalars(select(AuditEvent))
        ]


def assert_recent(at: str) -> None:
    moment = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert datetime.now(UTC) - timedelta(minutes=5) < moment <= datetime.now(UTC)


# -- SIP phones ------------------------------------------------------------------------------


def test_every_write_to_a_phone_is_recorded_with_what_changed(client, factory, tenant):
    customer, owner, token = tenant
    model = factory.model_id("SNOM", "D785")
    mac = random_mac()
    body = {"sipPhoneModel": model, "macAddress": mac, "notes": "desk"}
    phone = ok(client.post("/pbx/sipphone", headers=auth(token), json=body))
    change = {"notes": "front desk", "ip": {"mode": "ROAMING", "countries": "dk"}}
    ok(client.post(f"/pbx/sipphone/{phone['_id']}", headers=auth(token), json=change))
    reset = ok(client.get(f"/pbx/sipphone/{phone['_id']}/resetcredentials", headers=auth(token)))
    ok(client.delete(f"/pbx/sipphone/{phone['_id']}", headers=auth(token)))

    deleted, reset_event, updated, created = audit_log(client, token)
    for event in (created, updated, reset_event, deleted):
        assert event["customer"] == customer
        assert event["resourceType"] == "sipphone"
        assert event["resourceId"] == phone["_id"]
        assert event["actor"] == {
            "employee": owner, "customer": customer, "accessLevel": "OWNER", "via": "API",
            "address": None,
        }  # fmt: skip
        assert event["shownIds"] is None
        assert_recent(event["at"])
    assert [e["action"] for e in (created, updated, reset_event, deleted)] == [
        "create", "update", "reset_credentials", "delete",
    ]  # fmt: skip
    assert created["changes"]["macAddress"] == {"new": mac}
    assert created["changes"]["notes"] == {"new": "desk"}
    assert created["changes"]["sipPhoneModel"] == {"new": model}
    assert created["changes"]["username"] == created["changes"]["password"] == {"changed": True}
    assert updated["changes"] == {
        "notes": {"old": "desk", "new": "front desk"},
        "ip.mode": {"old": "OPEN", "new": "ROAMING"},
        "ip.countries": {"old": "", "new": "DK"},
    }
    assert reset_event["changes"] == {"username": {"changed": True}, "password": {"changed": True}}
    assert reset["username"] != phone["username"]
    assert deleted["changes"]["macAddress"] == {"old": mac}
    assert deleted["changes"]["notes"] == {"old": "front desk"}
    assert deleted["changes"]["purchaseInfo.sidePanels"] == {"old": []}
    assert deleted["changes"]["password"] == {"changed": True}  # gone, without its value


def test_side_panels_are_recorded_by_serial(client, factory, tenant):
    _, _, token = tenant
    body = {"sipPhoneModel": factory.model_id("SNOM", "D785"), "macAddress": random_mac()}
    phone = ok(client.post("/pbx/sipphone", headers=auth(token), json=body))
    serial = f"SP-{phone['_id']}"
    ok(client.post(f"/pbx/sipphone/{phone['_id']}", headers=auth(token),
                   json={"purchaseInfo": {"sidePanels": [{"serial": serial}]}}))  # fmt: skip
    [updated] = audit_log(client, token, action="update", resourceId=phone["_id"])
    assert updated["changes"] == {"purchaseInfo.sidePanels": {"old": [], "new": [serial]}}


def test_displays_of_sip_credentials_are_recorded(client, factory, tenant):
    customer, _, token = tenant
    phones = [factory.phone(customer) for _ in range(3)]
    viewer = factory.login(customer, AccessLevel.VIEWER)
    ok(client.get(f"/pbx/sipphone/{phones[0].id}", headers=auth(viewer)))
    ok(client.get("/pbx/sipphone", params={"full": "true", "limit": 2}, headers=auth(token)))
    # without full=true no credentials are shown, and nothing is recorded
    ok(client.get("/pbx/sipphone", headers=auth(token)))
    # an empty page shows nothing either
    ok(client.get("/pbx/sipphone", params={"full": "true", "offset": 10}, headers=auth(token)))

    page, one = audit_log(client, token)
    assert one["action"] == page["action"] == "show_credentials"
    assert one["resourceId"] == phones[0].id and one["shownIds"] is None
    assert one["actor"]["accessLevel"] == "VIEWER"
    # one event for the page, naming the phones it showed
    assert page["resourceId"] is None
    assert page["shownIds"] == [phones[0].id, phones[1].id]
    assert one["changes"] is page["changes"] is None


def test_the_webrtc_phone_is_recorded(client, factory, engine):
    customer = factory.customer()
    person = factory.employee(customer, AccessLevel.PERSONAL)
    factory.extension(customer, "200", employee_id=person)
    token = factory.token(person)
    phone = ok(client.post("/pbx/sipphone/webrtc", json={"instanceId": "browser-1"},
                           headers=auth(token)))  # fmt: skip
    ok(client.post("/pbx/sipphone/webrtc", json={"instanceId": "browser-1"}, headers=auth(token)))
    owner = factory.login(customer, AccessLevel.OWNER)
    again, made = audit_log(client, owner, resourceType="sipphone")
    assert (made["action"], again["action"]) == ("webrtc", "webrtc")
    assert made["resourceId"] == again["resourceId"] == phone["_id"]
    assert made["actor"]["employee"] == person
    assert made["changes"]["instanceId"] == {"new": "browser-1"}
    assert made["changes"]["password"] == {"changed": True}
    assert again["changes"] is None


# -- extensions, employees, customers, phone models ------------------------------------------


def test_every_write_to_an_extension_is_recorded(client, factory, tenant):
    customer, _, token = tenant
    employee = factory.employee(customer)
    extension = ok(client.post("/pbx/extension", headers=auth(token),
                               json={"number": "100", "name": "Reception"}))  # fmt: skip
    url = f"/pbx/extension/{extension['_id']}"
    ok(client.post(url, headers=auth(token), json={"number": "101", "employee": employee}))
    ok(client.delete(url, headers=auth(token)))
    deleted, updated, created = audit_log(client, token, resourceType="extension")
    assert {e["resourceId"] for e in (deleted, updated, created)} == {extension["_id"]}
    assert created["changes"] == {
        "number": {"new": "100"}, "name": {"new": "Reception"}, "notes": {"new": ""},
    }  # fmt: skip
    assert updated["changes"] == {
        "number": {"old": "100", "new": "101"}, "employee": {"new": employee},
    }  # fmt: skip
    assert deleted["action"] == "delete"
    assert deleted["changes"]["number"] == {"old": "101"}


def test_every_write_to_an_employee_and_its_tokens_is_recorded(client, tenant):
    _, _, token = tenant
    email = unique_email("audited")
    employee = ok(client.post("/employee", headers=auth(token), json={
        "name": "Anna", "emailAddress": email, "accessLevel": "VIEWER", "password": PASSWORD,
    }))["_id"]  # fmt: skip
    url = f"/employee/{employee}"
    ok(client.post(url, headers=auth(token), json={"name": "Anna B", "password": NEW_PASSWORD}))
    machine_token = ok(client.post(f"{url}/token", headers=auth(token)))["token"]
    ok(client.delete(f"{url}/token/{machine_token}", headers=auth(token)))
    ok(client.delete(url, headers=auth(token)))

    events = audit_log(client, token, resourceType="employee", resourceId=employee)
    assert [e["action"] for e in events] == [
        "delete", "delete_token", "create_token", "update", "create",
    ]  # fmt: skip
    deleted, token_deleted, token_created, updated, created = events
    assert created["changes"]["emailAddress"] == {"new": email}
    assert created["changes"]["accessLevel"] == {"new": "VIEWER"}
    assert created["changes"]["password"] == {"changed": True}
    assert updated["changes"] == {
        "name": {"old": "Anna", "new": "Anna B"}, "password": {"changed": True},
    }  # fmt: skip
    assert token_created["changes"] is token_deleted["changes"] is None
    assert deleted["changes"]["name"] == {"old": "Anna B"}


def test_every_write_to_a_customer_is_recorded_for_the_reseller_above_it(client, factory):
    reseller = factory.customer(name="Reseller")
    token = factory.login(reseller, AccessLevel.RESELLER)
    child = ok(client.post("/customer", headers=auth(token), json={"name": "Child"}))["_id"]
    ok(client.post(f"/customer/{child}", headers=auth(token), json={"name": "Child Ltd"}))
    ok(client.delete(f"/customer/{child}", headers=auth(token)))
    deleted, updated, created = audit_log(client, token, resourceType="customer")
    assert {e["customer"] for e in (deleted, updated, created)} == {reseller}
    assert {e["resourceId"] for e in (deleted, updated, created)} == {child}
    assert created["changes"] == {
        "name": {"new": "Child"}, "parentReseller": {"new": reseller}, "state": {"new": "ACTIVE"},
    }  # fmt: skip
    assert updated["changes"] == {"name": {"old": "Child", "new": "Child Ltd"}}
    assert deleted["changes"]["name"] == {"old": "Child Ltd"}


def test_every_write_to_a_phone_model_is_recorded_for_the_admins_customer(client, factory):
    operator = factory.customer(name="Operator")
    admin = factory.login(operator, AccessLevel.ADMIN)
    body = {"brand": "GENERIC", "brandName": "Generic", "model": f"Audited {random_mac()}"}
    model = ok(client.post("/pbx/sipphonemodels", headers=auth(admin), json=body))["_id"]
    ok(client.post(f"/pbx/sipphonemodels/{model}", headers=auth(admin), json={"softkeys": 4}))
    ok(client.delete(f"/pbx/sipphonemodels/{model}", headers=auth(admin)))
    deleted, updated, created = audit_log(client, admin, resourceType="sipphonemodel")
    assert {e["customer"] for e in (deleted, updated, created)} == {operator}
    assert created["changes"]["model"] == {"new": body["model"]}
    assert updated["changes"] == {"softkeys": {"old": 0, "new": 4}}
    assert deleted["changes"]["capabilities.multipleHandsets"] == {"old": False}


# -- records changed by a write to another record ----------------------------------------------


def blf(index: int, value: str, label: str | None = None) -> dict:
    return {"index": index, "function": "BLF", "value": value, "label": label}


def test_phones_changed_by_an_extension_delete_are_recorded(client, factory, tenant):
    """Its phones are unassigned and BLF keys watching it removed: an UPDATE event for each
    phone changed, by the same actor, with the changed fields; none for phones unchanged."""
    customer, owner, token = tenant
    extension = factory.extension(customer, "200")
    other = factory.extension(customer, "201")
    speeddial = {"index": 1, "function": "SPEEDDIAL", "value": "112", "label": None}
    assigned = factory.phone(customer, extension_id=extension)
    # a BLF value is stored as it was sent, here in upper case
    watching = factory.phone(customer, extension_id=other,
                             softkeys=[blf(0, extension.upper(), "Anna"), speeddial])  # fmt: skip
    both = factory.phone(customer, extension_id=extension, softkeys=[blf(2, extension)])
    # the id in a label and in a key of another function: no BLF key watches it
    mentioning = factory.phone(customer, softkeys=[
        blf(0, other, f"see {extension}"), {**speeddial, "value": extension},
    ])  # fmt: skip
    elsewhere = factory.phone(factory.customer(), softkeys=[blf(0, extension)])
    ok(client.delete(f"/pbx/extension/{extension}", headers=auth(token)))

    events = audit_log(client, token)
    assert [(e["resourceType"], e["action"]) for e in events].count(("extension", "delete")) == 1
    updates = {e["resourceId"]: e for e in events if e["action"] == "update"}
    assert set(updates) == {assigned.id, watching.id, both.id}
    assert updates[assigned.id]["changes"] == {"extension": {"old": extension}}
    assert updates[watching.id]["changes"] == {
        "softkeys": {"old": [blf(0, extension.upper(), "Anna"), speeddial], "new": [speeddial]},
    }
    assert updates[both.id]["changes"] == {
        "extension": {"old": extension}, "softkeys": {"old": [blf(2, extension)], "new": []},
    }  # fmt: skip
    for event in updates.values():
        assert event["customer"] == customer and event["resourceType"] == "sipphone"
        assert event["actor"] == {
            "employee": owner, "customer": customer, "accessLevel": "OWNER", "via": "API",
            "address": None,
        }  # fmt: skip
        assert_recent(event["at"])
    # the phones say the same, and that their configuration changed
    shown = {
        phone.id: ok(client.get(f"/pbx/sipphone/{phone.id}", headers=auth(token)))
        for phone in (assigned, watching, both, mentioning)
    }
    assert [shown[p.id]["extension"] for p in (assigned, watching, both)] == [None, other, None]
    assert shown[watching.id]["softkeys"] == [speeddial]
    assert shown[both.id]["softkeys"] == []
    assert len(shown[mentioning.id]["softkeys"]) == 2
    for phone in (assigned, watching, both):
        assert_recent(shown[phone.id]["status"]["configSaved"])
    assert shown[mentioning.id]["status"]["configSaved"] == "2025-03-04T05:06:07Z"
    # another customer's phone cannot watch it, and is neither touched nor recorded
    other_owner = factory.login(elsewhere.customer_id, AccessLevel.OWNER)
    assert audit_log(client, other_owner) == []


def test_an_extension_watched_by_many_phones_is_deleted_in_the_same_statements(
    client, factory, tenant, count_statements
):
    """The phones are read in one statement, written in a batch for those unassigned and
    one for those only watching, recorded in one INSERT: the statements do not grow with
    the number of phones."""
    customer, _, token = tenant

    def statements_for(phones: int) -> int:
        extension = factory.extension(customer, f"3{phones:03d}")
        for index in range(phones):
            factory.phone(customer, extension_id=extension if index % 2 else None,
                          softkeys=[blf(0, extension)])  # fmt: skip
        with count_statements() as counter:
            ok(client.delete(f"/pbx/extension/{extension}", headers=auth(token)))
        events = audit_log(client, token, resourceType="sipphone", action="update", limit=500)
        assert len([e for e in events if e["changes"]["softkeys"]["old"][0]["value"] == extension
                    ]) == phones  # fmt: skip
        return len(counter.statements)

    assert statements_for(2) == statements_for(3) == statements_for(40)


def test_the_phones_changes_are_rolled_back_with_the_extension_delete(
    client, factory, tenant, engine, monkeypatch
):
    customer, _, token = tenant
    extension = factory.extension(customer, "200")
    phone = factory.phone(customer, extension_id=extension, softkeys=[blf(0, extension)])

    def failing_commit(session):
        session.flush()
        session.rollback()
        raise Conflict("simulated failure at commit", field="extension", code="extension")

    monkeypatch.setattr(extension_service, "commit", failing_commit)
    before = stored_events(engine)
    response = client.delete(f"/pbx/extension/{extension}", headers=auth(token))
    assert_error(response, 409, "extension")
    assert stored_events(engine) == before
    shown = ok(client.get(f"/pbx/sipphone/{phone.id}", headers=auth(token)))
    assert (shown["extension"], shown["softkeys"]) == (extension, [blf(0, extension)])


def test_extensions_released_by_an_employee_delete_are_recorded(client, factory, tenant):
    customer, owner, token = tenant
    leaving = factory.employee(customer, AccessLevel.VIEWER)
    staying = factory.employee(customer, AccessLevel.VIEWER)
    released = [factory.extension(customer, number, employee_id=leaving) for number in "12"]
    kept = factory.extension(customer, "3", employee_id=staying)
    ok(client.delete(f"/employee/{leaving}", headers=auth(token)))

    updates = audit_log(client, token, resourceType="extension", action="update")
    assert sorted(e["resourceId"] for e in updates) == sorted(released)
    for event in updates:
        assert event["changes"] == {"employee": {"old": leaving}}
        assert event["customer"] == customer
        assert event["actor"]["employee"] == owner and event["actor"]["via"] == "API"
    [deleted] = audit_log(client, token, resourceType="employee")
    assert (deleted["action"], deleted["resourceId"]) == ("delete", leaving)
    for extension in released:
        shown = ok(client.get(f"/pbx/extension/{extension}", headers=auth(token)))
        assert shown["employee"] is None
    assert ok(client.get(f"/pbx/extension/{kept}", headers=auth(token)))["employee"] == staying


def test_a_customer_move_is_recorded_for_the_reseller_it_leaves_too(client, factory):
    top = factory.customer(name="Operator")
    leaving, joining = (factory.customer(parent=top, name=name) for name in ("From", "To"))
    moved = factory.customer(parent=leaving, name="Moved")
    admin = factory.login(top, AccessLevel.ADMIN)
    ok(client.post(f"/customer/{moved}", headers=auth(admin), json={"parentReseller": joining}))
    expected = {"parentReseller": {"old": leaving, "new": joining}}
    for reseller in (leaving, joining):
        [event] = audit_log(client, admin, customer=reseller, resourceType="customer")
        assert (event["resourceId"], event["action"]) == (moved, "update")
        assert event["customer"] == reseller and event["changes"] == expected
    # a rename is recorded once, for the reseller above it
    ok(client.post(f"/customer/{moved}", headers=auth(admin), json={"name": "Moved Ltd"}))
    assert len(audit_log(client, admin, customer=joining, resourceType="customer")) == 2
    assert len(audit_log(client, admin, customer=leaving, resourceType="customer")) == 1


def test_custom_config_is_recorded_only_as_changed(client, factory, tenant, engine):
    """customConfig is raw vendor configuration, where device passwords end up."""
    _, _, token = tenant
    secret = "admin_password=s3cret-device-pw"
    body = {"sipPhoneModel": factory.model_id("SNOM", "D785"), "macAddress": random_mac()}
    plain = ok(client.post("/pbx/sipphone", headers=auth(token), json=body))
    phone = ok(
        client.post(
            "/pbx/sipphone",
            headers=auth(token),
            json={**body, "macAddress": random_mac(), "customConfig": secret},
        )
    )
    url = f"/pbx/sipphone/{phone['_id']}"
    ok(client.post(url, headers=auth(token), json={"customConfig": f"{secret}\nx=1"}))
    ok(client.post(url, headers=auth(token), json={"customConfig": f"{secret}\nx=1",
                                                   "notes": "same config"}))  # fmt: skip
    ok(client.post(url, headers=auth(token), json={"customConfig": None}))
    ok(client.post(url, headers=auth(token), json={"customConfig": secret}))
    ok(client.delete(url, headers=auth(token)))

    [made_plain] = audit_log(client, token, resourceId=plain["_id"])
    assert "customConfig" not in made_plain["changes"]  # none set: nothing changed
    events = audit_log(client, token, resourceId=phone["_id"])
    assert [e["changes"].get("customConfig") for e in reversed(events)] == [
        {"changed": True}, {"changed": True}, None, {"changed": True}, {"changed": True},
        {"changed": True},
    ]  # fmt: skip
    assert events[-3]["changes"] == {"notes": {"old": "", "new": "same config"}}
    assert "s3cret-device-pw" not in json.dumps(stored_events(engine), default=str)


# -- never a secret ------------------------------------------------------------------------------


def test_no_secret_is_ever_in_an_audit_row(client, factory, tenant, engine):
    """Every kind of write that touches a secret, then every audit row of the database is
    searched for the secrets themselves."""
    customer, _, token = tenant
    body = {"sipPhoneModel": factory.model_id("SNOM", "D785"), "macAddress": random_mac()}
    phone = ok(client.post("/pbx/sipphone", headers=auth(token), json=body))
    shown = [phone, ok(client.get(f"/pbx/sipphone/{phone['_id']}", headers=auth(token)))]
    shown.append(ok(client.get(f"/pbx/sipphone/{phone['_id']}/resetcredentials",
                               headers=auth(token))))  # fmt: skip
    shown += ok(client.get("/pbx/sipphone", params={"full": "true"}, headers=auth(token)))[
        "sipPhones"
    ]
    person = factory.employee(customer, AccessLevel.PERSONAL)
    factory.extension(customer, "300", employee_id=person)
    shown.append(ok(client.post("/pbx/sipphone/webrtc", json={"instanceId": "x"},
                                headers=auth(factory.token(person)))))  # fmt: skip
    employee = ok(client.post("/employee", headers=auth(token), json={
        "name": "Bo", "emailAddress": unique_email(), "accessLevel": "VIEWER", "password": PASSWORD,
    }))["_id"]  # fmt: skip
    ok(client.post(f"/employee/{employee}", headers=auth(token), json={"password": NEW_PASSWORD}))
    machine_token = ok(client.post(f"/employee/{employee}/token", headers=auth(token)))["token"]
    ok(client.delete(f"/employee/{employee}/token/{machine_token}", headers=auth(token)))

    with make_session_factory(engine)() as session:
        hashes = session.scalars(select(Employee.password_hash).where(Employee.id == employee))
        credentials = session.execute(select(SipPhone.sip_username, SipPhone.sip_password)).all()
    secrets = {PASSWORD, NEW_PASSWORD, machine_token, token, *hashes}
    secrets |= {value for phone in shown for value in (phone["username"], phone["password"])}
    secrets |= {value for row in credentials for value in row}  # every phone's, current
    assert len(secrets) > 10
    rows = json.dumps(stored_events(engine), default=str)
    assert '"changed": true' in rows  # the secrets' changes are there, their values are not
    assert [secret for secret in secrets if secret and secret in rows] == []


# -- refused and rolled-back writes leave no row ----------------------------------------------


def test_refused_writes_leave_no_audit_row(client, factory, tenant, engine):
    customer, _, token = tenant
    taken = factory.phone(customer).mac_address
    model = factory.model_id("SNOM", "D785")
    before = stored_events(engine)
    body = {"sipPhoneModel": model, "macAddress": taken}
    assert_error(client.post("/pbx/sipphone", headers=auth(token), json=body), 409, "macAddress")
    phone = factory.phone(customer)
    # refused after the fields were applied to the phone in memory
    assert_error(client.post(f"/pbx/sipphone/{phone.id}", headers=auth(token),
                             json={"ip": {"mode": "LOCKED"}}), 400, "bad_request")  # fmt: skip
    viewer = factory.login(customer, AccessLevel.VIEWER)
    assert_error(client.delete(f"/pbx/sipphone/{phone.id}", headers=auth(viewer)), 403,
                 "access_denied")  # fmt: skip
    other = factory.customer()
    assert_error(client.get(f"/pbx/sipphone/{factory.phone(other).id}", headers=auth(token)),
                 404, "not_found")  # fmt: skip
    assert stored_events(engine) == before


def test_a_write_rolled_back_at_commit_leaves_no_audit_row(
    client, factory, tenant, engine, monkeypatch
):
    """The event is written in the write's transaction: when the commit fails after both
    were flushed, neither stays."""
    customer, _, token = tenant

    def failing_commit(session):
        session.flush()  # the phone and its audit event reach the database ...
        session.rollback()  # ... and the transaction fails
        raise Conflict("simulated failure at commit", field="macAddress", code="macAddress")

    monkeypatch.setattr(phone_service, "commit", failing_commit)
    before = stored_events(engine)
    body = {"sipPhoneModel": factory.model_id("SNOM", "D785"), "macAddress": random_mac()}
    assert_error(client.post("/pbx/sipphone", headers=auth(token), json=body), 409, "macAddress")
    phone = factory.phone(customer)
    response = client.get(f"/pbx/sipphone/{phone.id}/resetcredentials", headers=auth(token))
    assert_error(response, 409, "macAddress")
    assert stored_events(engine) == before
    monkeypatch.undo()
    assert ok(client.get(f"/pbx/sipphone/{phone.id}", headers=auth(token)))["username"] == (
        phone.sip_username
    )


# -- who reads it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS_BELOW_OWNER)
def test_below_owner_may_not_read_the_audit_log(client, factory, level):
    token = factory.login(factory.customer(), level)
    assert_error(client.get(AUDIT, headers=auth(token)), 403, "access_denied")


def test_no_token_is_401(client):
    assert_error(client.get(AUDIT), 401, "credentials_invalid")


def test_an_owner_reads_its_own_customer_only(client, factory, tenant):
    _, _, token = tenant
    other = factory.customer()
    factory_phone = factory.phone(other)
    other_owner = factory.login(other, AccessLevel.OWNER)
    ok(client.get(f"/pbx/sipphone/{factory_phone.id}", headers=auth(other_owner)))
    assert audit_log(client, token) == []
    assert_error(client.get(AUDIT, params={"customer": other}, headers=auth(token)), 403,
                 "access_denied", "customer")  # fmt: skip
    assert [e["customer"] for e in audit_log(client, other_owner)] == [other]


def test_a_reseller_reads_the_customers_below_it_and_no_others(client, factory):
    top = factory.customer(name="Operator")
    reseller = factory.customer(parent=top, name="Reseller")
    child = factory.customer(parent=reseller, name="Child")
    sibling = factory.customer(parent=top, name="Sibling")
    for customer in (top, reseller, child, sibling):
        owner = factory.login(customer, AccessLevel.OWNER)
        ok(client.get(f"/pbx/sipphone/{factory.phone(customer).id}", headers=auth(owner)))
    token = factory.login(reseller, AccessLevel.RESELLER)
    assert [e["customer"] for e in audit_log(client, token, customer=child)] == [child]
    assert [e["customer"] for e in audit_log(client, token)] == [reseller]
    for out_of_reach in (top, sibling, "0123456789abcdef01234567"):
        response = client.get(AUDIT, params={"customer": out_of_reach}, headers=auth(token))
        assert_error(response, 403, "access_denied", "customer")
    admin = factory.login(top, AccessLevel.ADMIN)
    assert [e["customer"] for e in audit_log(client, admin, customer=sibling)] == [sibling]
    response = client.get(AUDIT, params={"customer": "0123456789abcdef01234567"},
                          headers=auth(admin))  # fmt: skip
    assert_error(response, 404, "not_found", "customer")


def test_login_tokens_are_told_from_machine_tokens(client, factory, engine):
    customer = factory.customer()
    owner = factory.employee(customer, AccessLevel.OWNER)
    login = Accounts(engine).token(owner, kind="LOGIN")
    ok(client.get(f"/pbx/sipphone/{factory.phone(customer).id}", headers=auth(login)))
    [event] = audit_log(client, login)
    assert event["actor"]["via"] == "LOGIN"


# -- paging and filters ----------------------------------------------------------------------------


def test_newest_first_paged_and_filtered(client, factory, tenant):
    customer, _, token = tenant
    phones = [factory.phone(customer) for _ in range(4)]
    for phone in phones:
        ok(client.get(f"/pbx/sipphone/{phone.id}", headers=auth(token)))
    ok(client.post(f"/pbx/sipphone/{phones[0].id}", headers=auth(token), json={"notes": "n"}))
    every = audit_log(client, token)
    assert [e["resourceId"] for e in every] == [phones[0].id, *[p.id for p in reversed(phones)]]
    assert [e["_id"] for e in every] == sorted((e["_id"] for e in every), reverse=True)
    response = client.get(AUDIT, params={"offset": 1, "limit": 2}, headers=auth(token))
    assert ok(response) == {
        "offset": 1, "limit": 2, "total": 5, "events": every[1:3],
    }  # fmt: skip
    assert audit_log(client, token, action="update") == every[:1]
    assert audit_log(client, token, resourceId=phones[1].id.upper()) == [every[3]]
    assert audit_log(client, token, resourceType="employee") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"resourceType": "phone"}, "resourceType"),
        ({"action": "read"}, "action"),
        ({"resourceId": "xyz"}, "resourceId"),
        ({"customer": "nope"}, "customer"),
    ],
)
def test_bad_parameters_are_400(client, tenant, params, field):
    _, _, token = tenant
    response = client.get(AUDIT, params=params, headers=auth(token))
    assert_error(response, 400, "bad_request", field)


def test_limit_defaults_to_100_and_reaches_500(client, tenant):
    _, _, token = tenant
    assert ok(client.get(AUDIT, headers=auth(token)))["limit"] == 100
    assert ok(client.get(AUDIT, params={"limit": 500}, headers=auth(token)))["limit"] == 500


# -- the system's own writes ---------------------------------------------------------------------


def test_a_phone_locked_by_its_first_registration_is_recorded_as_the_systems(
    client, factory, tenant, engine
):
    customer, _, token = tenant
    phone = factory.phone(customer, ip_mode="OPEN")
    with make_session_factory(engine)() as session:
        assert admit_registration(session, phone.sip_username, "192.0.2.7")
        # refused (another address now): nothing written, nothing recorded
        assert not admit_registration(session, phone.sip_username, "192.0.2.8")
    [event] = audit_log(client, token)
    assert event["resourceId"] == phone.id and event["action"] == "update"
    assert event["actor"] == {
        "employee": None, "customer": None, "accessLevel": None, "via": None, "address": None,
    }  # fmt: skip
    assert event["changes"] == {
        "ip.mode": {"old": "OPEN", "new": "LOCKED"}, "ip.address": {"new": "192.0.2.7"},
    }  # fmt: skip


def test_a_configuration_fetch_is_recorded_as_a_display_of_credentials(
    client, factory, tenant, engine, database_url
):
    customer, _, token = tenant
    provisioning = create_provisioning_app(
        Settings(database_url=database_url), engine=engine, country_of=lambda address: None
    )
    phone = factory.phone(customer, ("YEALINK", "T54W"), ip_mode="OPEN")
    with TestClient(provisioning, client=("192.0.2.20", 5060)) as device:
        response = device.get(f"/{phone.mac_address}.cfg")
    assert response.status_code == 200 and phone.sip_password in response.text
    shown, locked = audit_log(client, token)
    assert shown["action"] == "show_credentials" and shown["resourceId"] == phone.id
    assert shown["actor"] == {
        "employee": None, "customer": None, "accessLevel": None, "via": None,
        "address": "192.0.2.20",
    }  # fmt: skip
    assert shown["changes"] is None
    # the phone was OPEN: its first fetch locked it to the address, in the same transaction
    assert locked["changes"] == {
        "ip.mode": {"old": "OPEN", "new": "LOCKED"}, "ip.address": {"new": "192.0.2.20"},
    }  # fmt: skip
    assert phone.sip_password not in json.dumps(stored_events(engine), default=str)
