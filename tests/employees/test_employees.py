"""The employee resource (issue 3): list, get, create, partial update and delete, their
validation, conflicts, the access matrix and the rules about access levels.

The access world, built once per module and database:

    operator                      top-level (parentReseller null)
    ├── reseller_a                HOME: every caller of the matrix lives here
    │   ├── cust_a1               child
    │   └── sub_a                 child reseller
    │       └── cust_a2           grandchild
    └── reseller_b                sibling
        └── cust_b1               foreign
"""

from dataclasses import dataclass, field

import pytest

from harness.factory import Factory
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import verify_password
from pbxapi.db.engine import make_session_factory
from pbxapi.db.tables import Employee
from pbxapi.employees import service
from pbxapi.ids import new_id
from tests.support.accounts import Accounts, assert_error, auth, unique_email

URL = "/employee"
LEVELS = list(AccessLevel)
LOGIN_LEVELS = [level for level in AccessLevel if level is not AccessLevel.NO_LOGIN]
NORMAL_FIELDS = {"_id", "customer", "name", "emailAddress", "accessLevel", "state"}
FULL_FIELDS = NORMAL_FIELDS | {"title", "department", "language"}
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(engine) -> Accounts:
    return Accounts(engine)


def employee_url(employee_id: str) -> str:
    return f"{URL}/{employee_id}"


def manager_of(factory, customer_id: str, level: AccessLevel = AccessLevel.MANAGER) -> str:
    return factory.login(customer_id, level)


# -- create -----------------------------------------------------------------------------


def test_create_with_every_field_answers_the_full_object(client, factory, accounts):
    customer = factory.customer()
    token = manager_of(factory, customer)
    email = unique_email("Create")
    body = {
        "name": "  Anders And  ",
        "emailAddress": f"  {email.upper()} ",
        "accessLevel": "VIEWER",
        "state": "DISABLED",
        "title": "Bookkeeper",
        "department": "Finance",
        "language": "da",
        "password": PASSWORD,
    }
    response = client.post(URL, json=body, headers=auth(token))
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == FULL_FIELDS
    assert len(created["_id"]) == 24 and created["_id"] == created["_id"].lower()
    assert created == {
        "_id": created["_id"],
        "customer": customer,
        "name": "Anders And",
        "emailAddress": email.lower(),
        "accessLevel": "VIEWER",
        "state": "DISABLED",
        "title": "Bookkeeper",
        "department": "Finance",
        "language": "da",
    }
    row = accounts.row(created["_id"])
    assert row["email_address"] == email.lower()
    assert row["customer_id"] == customer
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    assert verify_password(row["password_hash"], PASSWORD)
    assert not verify_password(row["password_hash"], PASSWORD + "!")
    # GET answers the same object, without the password
    fetched = client.get(employee_url(created["_id"]), headers=auth(token))
    assert fetched.status_code == 200
    assert fetched.json() == created


def test_create_with_only_a_name_uses_the_documented_defaults(client, factory, accounts):
    customer = factory.customer()
    token = manager_of(factory, customer)
    response = client.post(URL, json={"name": "Minimal"}, headers=auth(token))
    assert response.status_code == 200, response.text
    created = response.json()
    assert created == {
        "_id": created["_id"],
        "customer": customer,
        "name": "Minimal",
        "emailAddress": None,
        "accessLevel": "PERSONAL",
        "state": "ENABLED",
        "title": None,
        "department": None,
        "language": "en",
    }
    assert accounts.row(created["_id"])["password_hash"] is None


def test_reseller_creates_in_a_customer_below_it(client, factory, accounts):
    reseller = factory.customer(name="Reseller")
    child = factory.customer(parent=reseller, name="Child")
    token = manager_of(factory, reseller, AccessLevel.RESELLER)
    response = client.post(
        URL, json={"name": "In child", "customer": child.upper()}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    assert response.json()["customer"] == child
    assert [row["name"] for row in accounts.rows_of(child)] == ["In child"]


def _valid_body() -> dict:
    return {"name": "Valid", "emailAddress": unique_email(), "password": PASSWORD}


INVALID_CREATE = [
    ({"name": ...}, "name"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": 5}, "name"),
    ({"name": None}, "name"),
    ({"name": "a\x00b"}, "name"),
    ({"emailAddress": "plain"}, "emailAddress"),
    ({"emailAddress": "a@localhost"}, "emailAddress"),
    ({"emailAddress": "a b@example.com"}, "emailAddress"),
    ({"emailAddress": "@example.com"}, "emailAddress"),
    ({"emailAddress": "a@@example.com"}, "emailAddress"),
    ({"emailAddress": "a@example..com"}, "emailAddress"),
    ({"emailAddress": "a@.example.com"}, "emailAddress"),
    ({"emailAddress": "x" * 243 + "@example.com"}, "emailAddress"),
    ({"emailAddress": 7}, "emailAddress"),
    ({"accessLevel": "MANAGE"}, "accessLevel"),
    ({"accessLevel": "viewer"}, "accessLevel"),
    ({"accessLevel": None}, "accessLevel"),
    ({"state": "ACTIVE"}, "state"),
    ({"state": None}, "state"),
    ({"language": "de"}, "language"),
    ({"language": "EN"}, "language"),
    ({"language": None}, "language"),
    ({"password": "123456789"}, "password"),
    ({"password": "x" * 257}, "password"),
    ({"password": 12345678901}, "password"),
    ({"title": "x" * 201}, "title"),
    ({"department": "x" * 201}, "department"),
    ({"customer": "nope"}, "customer"),
    ({"customer": "0" * 23}, "customer"),
    ({"foo": 1}, "foo"),
    ({"_id": new_id()}, "_id"),
    ({"id": new_id()}, "id"),
    ({"passwordHash": "x"}, "passwordHash"),
]


@pytest.mark.parametrize(
    ("change", "field"), INVALID_CREATE, ids=[f"{f}-{i}" for i, (_, f) in enumerate(INVALID_CREATE)]
)
def test_invalid_create_is_400_naming_the_field_and_creates_nothing(
    client, factory, accounts, change, field
):
    customer = factory.customer()
    token = manager_of(factory, customer)
    body = _valid_body() | change
    body = {key: value for key, value in body.items() if value is not ...}
    before = accounts.snapshot(customer)
    response = client.post(URL, json=body, headers=auth(token))
    error = assert_error(response, 400, "bad_request", field)
    assert "correct horse" not in response.text and "123456789" not in error["message"]
    assert accounts.snapshot(customer) == before


def test_password_of_exactly_ten_and_256_characters_is_accepted(client, factory, accounts):
    customer = factory.customer()
    token = manager_of(factory, customer)
    for password in ("0123456789", "p" * 256):
        response = client.post(URL, json={"name": "P", "password": password}, headers=auth(token))
        assert response.status_code == 200, response.text
        assert verify_password(accounts.row(response.json()["_id"])["password_hash"], password)


def test_create_body_that_is_not_an_object_is_400(client, factory, accounts):
    customer = factory.customer()
    token = manager_of(factory, customer)
    before = accounts.snapshot(customer)
    for body in ([], "name", 5):
        assert_error(client.post(URL, json=body, headers=auth(token)), 400, "bad_request")
    assert accounts.snapshot(customer) == before


# -- conflicts --------------------------------------------------------------------------


def test_email_address_is_unique_across_customers_in_any_case(client, factory, accounts):
    first, second = factory.customer(), factory.customer()
    email = unique_email("taken")
    accounts.employee(first, email=email)
    token = manager_of(factory, second)
    before = accounts.snapshot(second)
    response = client.post(
        URL, json={"name": "Copy", "emailAddress": email.upper()}, headers=auth(token)
    )
    assert_error(response, 409, "emailAddress", "emailAddress")
    assert accounts.snapshot(second) == before


def test_update_to_a_taken_email_address_is_409_and_changes_nothing(client, factory, accounts):
    customer = factory.customer()
    taken = unique_email("taken")
    accounts.employee(customer, email=taken)
    victim = accounts.employee(customer, email=unique_email("victim"), name="Victim")
    token = manager_of(factory, customer)
    before = accounts.snapshot(customer)
    response = client.post(
        employee_url(victim), json={"emailAddress": taken, "name": "Renamed"}, headers=auth(token)
    )
    assert_error(response, 409, "emailAddress", "emailAddress")
    assert accounts.snapshot(customer) == before


def test_update_to_its_own_email_address_in_other_case_is_fine(client, factory, accounts):
    customer = factory.customer()
    email = unique_email("own")
    victim = accounts.employee(customer, email=email)
    token = manager_of(factory, customer)
    response = client.post(
        employee_url(victim), json={"emailAddress": email.upper()}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    assert response.json()["emailAddress"] == email


def test_email_conflict_found_only_by_the_database_is_409(client, factory, accounts, monkeypatch):
    """Two requests racing for one address: the unique constraint answers like the check."""
    customer = factory.customer()
    email = unique_email("race")
    accounts.employee(customer, email=email)
    token = manager_of(factory, customer)
    monkeypatch.setattr(service, "_check_email_free", lambda *args, **kwargs: None)
    before = accounts.snapshot(customer)
    response = client.post(URL, json={"name": "Racer", "emailAddress": email}, headers=auth(token))
    assert_error(response, 409, "emailAddress", "emailAddress")
    assert accounts.snapshot(customer) == before


def test_employees_without_email_address_do_not_conflict(client, factory):
    customer = factory.customer()
    token = manager_of(factory, customer)
    for name in ("First", "Second"):
        response = client.post(URL, json={"name": name}, headers=auth(token))
        assert response.status_code == 200, response.text


# -- get --------------------------------------------------------------------------------


def test_get_answers_the_full_object(client, factory, accounts):
    customer = factory.customer()
    email = unique_email()
    employee = accounts.employee(
        customer, AccessLevel.OWNER, email=email, name="Ole", title="CEO", department="Board",
        language="da", password=PASSWORD,
    )  # fmt: skip
    token = factory.login(customer, AccessLevel.VIEWER)
    response = client.get(employee_url(employee.upper()), headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "_id": employee,
        "customer": customer,
        "name": "Ole",
        "emailAddress": email,
        "accessLevel": "OWNER",
        "state": "ENABLED",
        "title": "CEO",
        "department": "Board",
        "language": "da",
    }


def test_get_unknown_or_malformed_id(client, factory):
    token = factory.login(factory.customer(), AccessLevel.ADMIN)
    assert_error(client.get(employee_url(new_id()), headers=auth(token)), 404, "not_found")
    for bad in ("nope", "0" * 23, "g" * 24):
        response = client.get(employee_url(bad), headers=auth(token))
        assert_error(response, 400, "bad_request", "id")


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_employee_endpoints_need_a_token(client, factory, accounts, method):
    customer = factory.customer()
    employee = accounts.employee(customer)
    before = accounts.snapshot(customer)
    kwargs = {"json": {"name": "x"}} if method == "post" else {}
    response = getattr(client, method)(employee_url(employee), **kwargs)
    assert_error(response, 401, "credentials_invalid")
    assert_error(client.get(URL), 401, "credentials_invalid")
    assert accounts.snapshot(customer) == before


# -- list -------------------------------------------------------------------------------


@pytest.fixture
def staff(factory, accounts):
    """A customer with a VIEWER login and four employees with distinct searchable fields."""
    customer = factory.customer()
    viewer = factory.employee(customer, AccessLevel.VIEWER, name="The Viewer")
    token = factory.token(viewer)
    people = {
        "viewer": viewer,
        "anna": accounts.employee(
            customer, name="Anna Ærø", email=unique_email("anna"), title="Sales Lead",
            department="Sales", language="da",
        ),
        "bo": accounts.employee(
            customer, AccessLevel.MANAGER, name="Bo Berg", email=unique_email("bo"),
            title="Engineer", department="R&D 100%",
        ),
        "carl": accounts.employee(
            customer, name="Carl Sales", title=None, department="Support", state="DISABLED"
        ),
        "dora": accounts.employee(customer, AccessLevel.NO_LOGIN, name="Dora"),
    }  # fmt: skip
    return customer, token, people


def list_ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [employee["_id"] for employee in response.json()["employees"]]


def test_list_answers_every_employee_in_id_order(client, staff, accounts):
    customer, token, people = staff
    response = client.get(URL, headers=auth(token))
    body = response.json()
    assert list_ids(response) == sorted(people.values())
    assert body["offset"] == 0 and body["limit"] == 100 and body["total"] == 5
    anna = next(e for e in body["employees"] if e["_id"] == people["anna"])
    assert set(anna) == NORMAL_FIELDS
    assert anna == {
        "_id": people["anna"],
        "customer": customer,
        "name": "Anna Ærø",
        "emailAddress": accounts.row(people["anna"])["email_address"],
        "accessLevel": "PERSONAL",
        "state": "ENABLED",
    }
    carl = next(e for e in body["employees"] if e["_id"] == people["carl"])
    assert carl["state"] == "DISABLED" and carl["emailAddress"] is None


def test_list_full_adds_title_department_and_language(client, staff):
    _, token, people = staff
    response = client.get(URL, params={"full": "TRUE"}, headers=auth(token))
    assert list_ids(response) == sorted(people.values())
    by_id = {e["_id"]: e for e in response.json()["employees"]}
    assert all(set(employee) == FULL_FIELDS for employee in by_id.values())
    assert by_id[people["anna"]]["title"] == "Sales Lead"
    assert by_id[people["anna"]]["department"] == "Sales"
    assert by_id[people["anna"]]["language"] == "da"
    assert by_id[people["carl"]]["title"] is None


def test_list_pages_with_offset_and_limit(client, staff):
    _, token, people = staff
    ordered = sorted(people.values())
    seen = []
    for offset in range(0, 6, 2):
        response = client.get(URL, params={"offset": offset, "limit": 2}, headers=auth(token))
        body = response.json()
        assert body["total"] == 5 and body["offset"] == offset and body["limit"] == 2
        seen += list_ids(response)
    assert seen == ordered
    response = client.get(URL, params={"offset": 10}, headers=auth(token))
    assert list_ids(response) == [] and response.json()["total"] == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anna", ["anna"]),  # name and e-mail
        ("ÆRØ", ["anna"]),  # Unicode case folding
        ("sales", ["anna", "carl"]),  # title, department, and a name
        ("sales lead", ["anna"]),  # every term must match
        ("support", ["carl"]),
        ("100%", ["bo"]),  # % literally
        ("r&d", ["bo"]),
        ("engineer berg", ["bo"]),
        ("example.com", ["anna", "bo"]),
        ("nobody", []),
        ("_", []),  # _ literally: no name holds one
    ],
)
def test_list_filter_searches_name_email_title_department(client, staff, text, expected):
    _, token, people = staff
    response = client.get(URL, params={"filter": text}, headers=auth(token))
    assert list_ids(response) == sorted(people[key] for key in expected)
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"full": "yes"}, "full"),
        ({"filter": "x" * 201}, "filter"),
        ({"filter": "a\x00"}, "filter"),
        ({"customer": "nope"}, "customer"),
    ],
)
def test_list_refuses_bad_parameters(client, staff, params, field):
    _, token, _ = staff
    assert_error(client.get(URL, params=params, headers=auth(token)), 400, "bad_request", field)


def test_list_limit_bounds_are_inclusive(client, staff):
    _, token, people = staff
    assert len(list_ids(client.get(URL, params={"limit": 500}, headers=auth(token)))) == 5
    response = client.get(URL, params={"limit": 1}, headers=auth(token))
    assert list_ids(response) == [min(people.values())] and response.json()["total"] == 5


def test_personal_cannot_list(client, staff, factory):
    customer, _, _ = staff
    token = factory.login(customer, AccessLevel.PERSONAL)
    assert_error(client.get(URL, headers=auth(token)), 403, "access_denied")


# -- update -----------------------------------------------------------------------------


def test_update_changes_only_the_fields_sent(client, factory, accounts):
    customer = factory.customer()
    victim = accounts.employee(
        customer, email=unique_email(), name="Before", title="Old title", department="Dept",
    )  # fmt: skip
    token = manager_of(factory, customer)
    before = accounts.row(victim)
    response = client.post(employee_url(victim), json={"name": "After"}, headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "After"
    assert accounts.row(victim) == before | {"name": "After"}


def test_update_every_writable_field(client, factory, accounts):
    customer = factory.customer()
    victim = accounts.employee(customer, title="T", department="D", email=unique_email())
    token = manager_of(factory, customer)
    email = unique_email("New")
    body = {
        "name": "New name",
        "emailAddress": email,
        "accessLevel": "MANAGER",
        "state": "DISABLED",
        "title": None,
        "department": "New dept",
        "language": "da",
        "password": PASSWORD,
    }
    response = client.post(employee_url(victim), json=body, headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "_id": victim,
        "customer": customer,
        "name": "New name",
        "emailAddress": email.lower(),
        "accessLevel": "MANAGER",
        "state": "DISABLED",
        "title": None,
        "department": "New dept",
        "language": "da",
    }
    row = accounts.row(victim)
    assert verify_password(row["password_hash"], PASSWORD)
    # the e-mail address can be removed again
    response = client.post(employee_url(victim), json={"emailAddress": None}, headers=auth(token))
    assert response.json()["emailAddress"] is None and accounts.row(victim)["email_address"] is None


def test_empty_update_changes_nothing(client, factory, accounts):
    customer = factory.customer()
    victim = accounts.employee(customer, name="Same")
    token = manager_of(factory, customer)
    before = accounts.snapshot(customer)
    response = client.post(employee_url(victim), json={}, headers=auth(token))
    assert response.status_code == 200 and response.json()["name"] == "Same"
    assert accounts.snapshot(customer) == before


INVALID_UPDATE = [
    ({"name": None}, "name"),
    ({"name": ""}, "name"),
    ({"accessLevel": None}, "accessLevel"),
    ({"accessLevel": "ROOT"}, "accessLevel"),
    ({"state": None}, "state"),
    ({"state": "enabled"}, "state"),
    ({"language": None}, "language"),
    ({"password": None}, "password"),
    ({"password": "short"}, "password"),
    ({"emailAddress": "not an address"}, "emailAddress"),
    ({"title": "t" * 201}, "title"),
    ({"customer": new_id()}, "customer"),
    ({"_id": new_id()}, "_id"),
    ({"createdAt": "2020-01-01T00:00:00Z"}, "createdAt"),
    ({"name": "fine", "department": "a\x00"}, "department"),
]


@pytest.mark.parametrize(
    ("body", "field"), INVALID_UPDATE, ids=[f"{f}-{i}" for i, (_, f) in enumerate(INVALID_UPDATE)]
)
def test_invalid_update_is_400_naming_the_field_and_changes_nothing(
    client, factory, accounts, body, field
):
    customer = factory.customer()
    victim = accounts.employee(customer, name="Victim", password=None)
    token = manager_of(factory, customer)
    before = accounts.snapshot(customer)
    response = client.post(employee_url(victim), json=body, headers=auth(token))
    assert_error(response, 400, "bad_request", field)
    assert accounts.snapshot(customer) == before


def test_update_unknown_or_malformed_id(client, factory):
    token = factory.login(factory.customer(), AccessLevel.ADMIN)
    response = client.post(employee_url(new_id()), json={"name": "x"}, headers=auth(token))
    assert_error(response, 404, "not_found")
    response = client.post(employee_url("xyz"), json={"name": "x"}, headers=auth(token))
    assert_error(response, 400, "bad_request", "id")


def test_new_password_ends_the_employees_logins_but_not_its_machine_tokens(
    client, factory, accounts
):
    customer = factory.customer()
    victim = accounts.employee(customer, AccessLevel.VIEWER, password="old password 1")
    login_token = accounts.token(victim, kind="LOGIN")
    machine_token = accounts.token(victim, kind="API")
    token = manager_of(factory, customer)
    response = client.post(employee_url(victim), json={"password": PASSWORD}, headers=auth(token))
    assert response.status_code == 200, response.text
    assert_error(
        client.get(employee_url(victim), headers=auth(login_token)), 401, "credentials_invalid"
    )
    assert client.get(employee_url(victim), headers=auth(machine_token)).status_code == 200
    assert [t["kind"] for t in accounts.tokens_of(victim)] == ["API"]
    assert verify_password(accounts.row(victim)["password_hash"], PASSWORD)


def test_own_new_password_keeps_the_token_used_and_ends_other_logins(client, factory, accounts):
    customer = factory.customer()
    me = accounts.employee(customer, AccessLevel.PERSONAL, password="old password 1")
    used = accounts.token(me, kind="LOGIN")
    other_login = accounts.token(me, kind="LOGIN")
    response = client.post(employee_url(me), json={"password": PASSWORD}, headers=auth(used))
    assert response.status_code == 200, response.text
    assert client.get(employee_url(me), headers=auth(used)).status_code == 200
    assert_error(
        client.get(employee_url(me), headers=auth(other_login)), 401, "credentials_invalid"
    )
    assert len(accounts.tokens_of(me)) == 1


@pytest.mark.parametrize("state", ["DISABLED", "DELETED"])
def test_disabling_an_employee_ends_its_tokens_at_once_for_good(client, factory, accounts, state):
    customer = factory.customer()
    victim = accounts.employee(customer, AccessLevel.MANAGER)
    tokens = [accounts.token(victim, kind="LOGIN"), accounts.token(victim, kind="API")]
    for victim_token in tokens:
        assert client.get(URL, headers=auth(victim_token)).status_code == 200
    token = manager_of(factory, customer)
    response = client.post(employee_url(victim), json={"state": state}, headers=auth(token))
    assert response.status_code == 200 and response.json()["state"] == state
    for victim_token in tokens:
        assert_error(client.get(URL, headers=auth(victim_token)), 401, "credentials_invalid")
    assert accounts.tokens_of(victim) == []
    # enabled again, the old tokens stay dead
    response = client.post(employee_url(victim), json={"state": "ENABLED"}, headers=auth(token))
    assert response.status_code == 200
    for victim_token in tokens:
        assert_error(client.get(URL, headers=auth(victim_token)), 401, "credentials_invalid")


@pytest.mark.parametrize("state", ["DISABLED", "DELETED"])
def test_tokens_of_an_employee_set_inactive_in_the_database_stop(client, factory, accounts, state):
    """caller.py checks the state on every request, whoever changed it."""
    customer = factory.customer()
    victim = accounts.employee(customer, AccessLevel.VIEWER)
    victim_token = accounts.token(victim)
    assert client.get(URL, headers=auth(victim_token)).status_code == 200
    factory.set_state(Employee, victim, state)
    assert_error(client.get(URL, headers=auth(victim_token)), 401, "credentials_invalid")


def test_lowering_an_employees_level_takes_effect_on_its_tokens(client, factory, accounts):
    customer = factory.customer()
    victim = accounts.employee(customer, AccessLevel.VIEWER)
    victim_token = accounts.token(victim)
    assert client.get(URL, headers=auth(victim_token)).status_code == 200
    token = manager_of(factory, customer)
    response = client.post(
        employee_url(victim), json={"accessLevel": "PERSONAL"}, headers=auth(token)
    )
    assert response.status_code == 200
    assert_error(client.get(URL, headers=auth(victim_token)), 403, "access_denied")


# -- own record (self-service) ----------------------------------------------------------


@pytest.mark.parametrize("level", [AccessLevel.PERSONAL, AccessLevel.VIEWER])
def test_employee_changes_own_name_language_and_password(client, factory, accounts, level):
    customer = factory.customer()
    me = accounts.employee(customer, level, name="Me", password="old password 1")
    token = accounts.token(me, kind="LOGIN")
    body = {"name": "New me", "language": "da", "password": PASSWORD}
    response = client.post(employee_url(me), json=body, headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "New me" and response.json()["language"] == "da"
    assert verify_password(accounts.row(me)["password_hash"], PASSWORD)


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Boss"},
        {"department": "Board"},
        {"emailAddress": "me@example.com"},
        {"accessLevel": "PERSONAL"},
        {"accessLevel": "ADMIN"},
        {"state": "ENABLED"},
        {"name": "Fine", "title": "Not fine"},
    ],
)
@pytest.mark.parametrize("level", [AccessLevel.PERSONAL, AccessLevel.VIEWER])
def test_employee_below_manager_changes_nothing_else_of_its_own(
    client, factory, accounts, level, body
):
    customer = factory.customer()
    me = accounts.employee(customer, level, name="Me")
    token = accounts.token(me)
    before = accounts.snapshot(customer)
    response = client.post(employee_url(me), json=body, headers=auth(token))
    forbidden = next(field for field in body if field not in {"name", "language", "password"})
    assert_error(response, 403, "access_denied", forbidden)
    assert accounts.snapshot(customer) == before


@pytest.mark.parametrize("level", [AccessLevel.MANAGER, AccessLevel.OWNER, AccessLevel.ADMIN])
def test_nobody_changes_own_state(client, factory, accounts, level):
    customer = factory.customer()
    me = accounts.employee(customer, level)
    token = accounts.token(me)
    before = accounts.snapshot(customer)
    for state in ("DISABLED", "DELETED"):
        response = client.post(employee_url(me), json={"state": state}, headers=auth(token))
        assert_error(response, 403, "access_denied", "state")
    assert accounts.snapshot(customer) == before
    # sending the current state is no change
    response = client.post(employee_url(me), json={"state": "ENABLED"}, headers=auth(token))
    assert response.status_code == 200


def test_manager_cannot_raise_own_level_but_may_lower_it(client, factory, accounts):
    customer = factory.customer()
    me = accounts.employee(customer, AccessLevel.MANAGER)
    token = accounts.token(me)
    before = accounts.snapshot(customer)
    response = client.post(employee_url(me), json={"accessLevel": "OWNER"}, headers=auth(token))
    assert_error(response, 403, "access_denied", "accessLevel")
    assert accounts.snapshot(customer) == before
    response = client.post(employee_url(me), json={"accessLevel": "VIEWER"}, headers=auth(token))
    assert response.status_code == 200 and response.json()["accessLevel"] == "VIEWER"


def test_personal_gets_itself_but_no_other_employee(client, factory, accounts):
    customer = factory.customer()
    me = accounts.employee(customer, AccessLevel.PERSONAL, name="Me")
    colleague = accounts.employee(customer, AccessLevel.PERSONAL, name="Colleague")
    token = accounts.token(me)
    response = client.get(employee_url(me), headers=auth(token))
    assert response.status_code == 200 and response.json()["name"] == "Me"
    assert_error(client.get(employee_url(colleague), headers=auth(token)), 404, "not_found")
    before = accounts.snapshot(customer)
    response = client.post(employee_url(colleague), json={"name": "x"}, headers=auth(token))
    assert_error(response, 404, "not_found")
    assert accounts.snapshot(customer) == before


def test_no_login_employee_with_a_token_reaches_nothing(client, factory, accounts):
    customer = factory.customer()
    me = accounts.employee(customer, AccessLevel.NO_LOGIN)
    token = accounts.token(me)
    before = accounts.snapshot(customer)
    assert_error(client.get(employee_url(me), headers=auth(token)), 403, "access_denied")
    response = client.post(employee_url(me), json={"name": "x"}, headers=auth(token))
    assert_error(response, 403, "access_denied")
    assert accounts.snapshot(customer) == before


# -- delete -----------------------------------------------------------------------------


def test_delete_unassigns_its_extensions_and_ends_its_tokens(client, factory, accounts):
    customer = factory.customer()
    victim = accounts.employee(customer, AccessLevel.VIEWER, email=unique_email())
    other = accounts.employee(customer, AccessLevel.VIEWER)
    own_extensions = [factory.extension(customer, n, employee_id=victim) for n in ("10", "11")]
    other_extension = factory.extension(customer, "12", employee_id=other)
    victim_tokens = [accounts.token(victim, kind="LOGIN"), accounts.token(victim)]
    token = manager_of(factory, customer)
    response = client.delete(employee_url(victim), headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert accounts.row(victim) is None
    assert accounts.tokens_of(victim) == []
    assert [accounts.extension(e)["employee_id"] for e in own_extensions] == [None, None]
    assert accounts.extension(other_extension)["employee_id"] == other
    for victim_token in victim_tokens:
        assert_error(client.get(URL, headers=auth(victim_token)), 401, "credentials_invalid")
    assert_error(client.get(employee_url(victim), headers=auth(token)), 404, "not_found")
    assert_error(client.delete(employee_url(victim), headers=auth(token)), 404, "not_found")


def test_deleted_employees_email_address_can_be_used_again(client, factory, accounts):
    customer = factory.customer()
    email = unique_email()
    victim = accounts.employee(customer, email=email)
    token = manager_of(factory, customer)
    assert client.delete(employee_url(victim), headers=auth(token)).status_code == 200
    response = client.post(URL, json={"name": "Again", "emailAddress": email}, headers=auth(token))
    assert response.status_code == 200, response.text


def test_nobody_deletes_themself(client, factory, accounts):
    customer = factory.customer()
    me = accounts.employee(customer, AccessLevel.ADMIN)
    token = accounts.token(me)
    before = accounts.snapshot(customer)
    assert_error(client.delete(employee_url(me), headers=auth(token)), 409, "conflict")
    assert accounts.snapshot(customer) == before


def test_delete_unknown_or_malformed_id(client, factory):
    token = factory.login(factory.customer(), AccessLevel.ADMIN)
    assert_error(client.delete(employee_url(new_id()), headers=auth(token)), 404, "not_found")
    assert_error(client.delete(employee_url("1"), headers=auth(token)), 400, "bad_request", "id")


# -- access levels: granting and acting on higher levels --------------------------------

MANAGING_LEVELS = [level for level in AccessLevel if level.at_least(AccessLevel.MANAGER)]


@pytest.mark.parametrize("granted", LEVELS)
@pytest.mark.parametrize("caller_level", MANAGING_LEVELS)
def test_nobody_grants_a_level_above_their_own(client, factory, accounts, caller_level, granted):
    customer = factory.customer()
    token = factory.login(customer, caller_level)
    victim = accounts.employee(customer, AccessLevel.NO_LOGIN)
    before = accounts.snapshot(customer)
    create = client.post(
        URL, json={"name": "New", "accessLevel": granted.value}, headers=auth(token)
    )
    update = client.post(
        employee_url(victim), json={"accessLevel": granted.value}, headers=auth(token)
    )
    if caller_level.at_least(granted):
        assert create.status_code == 200, create.text
        assert create.json()["accessLevel"] == granted.value
        assert update.status_code == 200, update.text
        assert accounts.row(victim)["access_level"] == granted.value
    else:
        assert_error(create, 403, "access_denied", "accessLevel")
        assert_error(update, 403, "access_denied", "accessLevel")
        assert accounts.snapshot(customer) == before


@pytest.mark.parametrize("target_level", LEVELS)
@pytest.mark.parametrize("caller_level", MANAGING_LEVELS)
def test_nobody_changes_or_deletes_an_employee_above_their_own_level(
    client, factory, accounts, caller_level, target_level
):
    customer = factory.customer()
    token = factory.login(customer, caller_level)
    victim = accounts.employee(customer, target_level, name="Victim")
    before = accounts.snapshot(customer)
    update = client.post(employee_url(victim), json={"name": "Changed"}, headers=auth(token))
    if caller_level.at_least(target_level):
        assert update.status_code == 200, update.text
        assert accounts.row(victim)["name"] == "Changed"
        assert client.delete(employee_url(victim), headers=auth(token)).status_code == 200
        assert accounts.row(victim) is None
    else:
        assert_error(update, 403, "access_denied")
        assert_error(client.delete(employee_url(victim), headers=auth(token)), 403, "access_denied")
        assert accounts.snapshot(customer) == before


# -- the access matrix: each level against own / child / sibling / foreign customers ------

HOME = "reseller_a"
PARENTS = {
    "operator": None,
    "reseller_a": "operator",
    "cust_a1": "reseller_a",
    "sub_a": "reseller_a",
    "cust_a2": "sub_a",
    "reseller_b": "operator",
    "cust_b1": "reseller_b",
}
# target customer (relative to HOME) -> key
TARGETS = {
    "own": "reseller_a",
    "child": "cust_a1",
    "grandchild": "cust_a2",
    "sibling": "reseller_b",
    "parent": "operator",
    "foreign": "cust_b1",
}
REACH = {
    AccessLevel.PERSONAL: {"own"},
    AccessLevel.VIEWER: {"own"},
    AccessLevel.MANAGER: {"own"},
    AccessLevel.OWNER: {"own"},
    AccessLevel.RESELLER: {"own", "child", "grandchild"},
    AccessLevel.RESELLER_ADMIN: {"own", "child", "grandchild"},
    AccessLevel.ADMIN: set(TARGETS),
}


@dataclass
class World:
    factory: Factory
    accounts: Accounts
    ids: dict[str, str]
    residents: dict[str, str]  # one PERSONAL employee per customer, never changed
    _tokens: dict[AccessLevel, str] = field(default_factory=dict)

    def token(self, level: AccessLevel) -> str:
        if level not in self._tokens:
            self._tokens[level] = self.factory.login(self.ids[HOME], level)
        return self._tokens[level]


@pytest.fixture(scope="module")
def world(engine) -> World:
    factory = Factory(make_session_factory(engine))
    accounts = Accounts(engine)
    ids: dict[str, str] = {}
    residents: dict[str, str] = {}
    for key, parent in PARENTS.items():
        ids[key] = factory.customer(parent=ids[parent] if parent else None, name=key)
        residents[key] = accounts.employee(ids[key], name=f"Resident of {key}")
    return World(factory, accounts, ids, residents)


MATRIX = [(level, target) for level in LOGIN_LEVELS for target in TARGETS]
MATRIX_IDS = [f"{level.value}-{target}" for level, target in MATRIX]


@pytest.mark.parametrize(("level", "target"), MATRIX, ids=MATRIX_IDS)
def test_read_matrix(client, world, level, target):
    token = world.token(level)
    customer = world.ids[TARGETS[target]]
    resident = world.residents[TARGETS[target]]
    got = client.get(employee_url(resident), headers=auth(token))
    listed = client.get(URL, params={"customer": customer}, headers=auth(token))
    sees_others = level.at_least(AccessLevel.VIEWER) and target in REACH[level]
    if sees_others:
        assert got.status_code == 200, got.text
        assert got.json()["_id"] == resident and got.json()["customer"] == customer
        expected = [row["id"] for row in world.accounts.rows_of(customer)]
        assert list_ids(listed) == expected
    else:
        assert_error(got, 404, "not_found")
    if level is AccessLevel.PERSONAL:
        assert_error(listed, 403, "access_denied")
    elif not sees_others:
        assert_error(listed, 403, "access_denied", "customer")


@pytest.mark.parametrize(("level", "target"), MATRIX, ids=MATRIX_IDS)
def test_write_matrix(client, world, level, target):
    token = world.token(level)
    customer = world.ids[TARGETS[target]]
    victim = world.accounts.employee(customer, name="Victim")
    before = world.accounts.snapshot(customer)
    create = client.post(URL, json={"name": "New", "customer": customer}, headers=auth(token))
    update = client.post(employee_url(victim), json={"name": "Changed"}, headers=auth(token))
    make_token = client.post(f"{employee_url(victim)}/token", headers=auth(token))
    delete = client.delete(employee_url(victim), headers=auth(token))
    in_reach = target in REACH[level]
    if level.at_least(AccessLevel.MANAGER) and in_reach:
        assert create.status_code == 200 and create.json()["customer"] == customer, create.text
        assert update.status_code == 200 and update.json()["name"] == "Changed", update.text
        assert make_token.status_code == 200, make_token.text
        assert delete.status_code == 200, delete.text
        assert world.accounts.row(victim) is None
        assert world.accounts.row(create.json()["_id"])["customer_id"] == customer
        return
    # refused: nothing changed, and records out of reach are not revealed
    assert world.accounts.snapshot(customer) == before
    if level.at_least(AccessLevel.MANAGER):
        assert_error(create, 403, "access_denied", "customer")
    else:
        assert_error(create, 403, "access_denied")
    if not in_reach or level is AccessLevel.PERSONAL:
        assert_error(update, 404, "not_found")
    else:
        assert_error(update, 403, "access_denied")  # a VIEWER sees its colleagues
    if level.at_least(AccessLevel.MANAGER):
        assert_error(make_token, 404, "not_found")
        assert_error(delete, 404, "not_found")
    else:
        assert_error(make_token, 403, "access_denied")
        assert_error(delete, 403, "access_denied")


def test_admin_gets_404_for_an_unknown_customer(client, world):
    token = world.token(AccessLevel.ADMIN)
    response = client.get(URL, params={"customer": new_id()}, headers=auth(token))
    assert_error(response, 404, "not_found", "customer")
    response = client.post(URL, json={"name": "x", "customer": new_id()}, headers=auth(token))
    assert_error(response, 404, "not_found", "customer")
