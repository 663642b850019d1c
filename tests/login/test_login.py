"""Logging in and out, and machine-to-machine tokens (issue 3, "Logging in")."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from pbxapi.api.errors import install_error_handlers
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import hash_password, verify_password
from pbxapi.auth.tokens import hash_token
from pbxapi.db.tables import Customer, Employee
from pbxapi.ids import new_id
from tests.support.accounts import Accounts, assert_error, auth, spy_on_argon2, unique_email

LOGIN = "/auth/login"
LOGOUT = "/auth/logout"
PASSWORD = "correct horse battery"
# Hashed once: argon2 is slow on purpose, and most tests need the same password.
PASSWORD_HASH = hash_password(PASSWORD)


@pytest.fixture
def accounts(engine) -> Accounts:
    return Accounts(engine)


@pytest.fixture
def person(factory, accounts):
    """An enabled MANAGER with an e-mail address and a password."""
    customer = factory.customer()
    email = unique_email("Login")
    employee = accounts.employee(
        customer, AccessLevel.MANAGER, email=email, password_hash=PASSWORD_HASH
    )
    return customer, employee, email


def log_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, json={"username": username, "password": password, **extra})


def me(client, employee_id: str, token: str):
    return client.get(f"/employee/{employee_id}", headers=auth(token))


# -- logging in -------------------------------------------------------------------------


def test_login_answers_a_working_15_minute_token(client, person, accounts):
    customer, employee, email = person
    before = datetime.now(UTC)
    response = log_in(client, email)
    after = datetime.now(UTC)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"token", "expiresInMinutes", "employee", "customer", "accessLevel"}
    assert body["expiresInMinutes"] == 15
    assert body["employee"] == employee
    assert body["customer"] == customer
    assert body["accessLevel"] == "MANAGER"
    assert me(client, employee, body["token"]).json()["_id"] == employee
    [stored] = accounts.tokens_of(employee)
    assert stored["kind"] == "LOGIN"
    assert stored["token_hash"] == hash_token(body["token"]) != body["token"]
    # stored to the second
    lifetime = timedelta(minutes=15)
    assert before + lifetime - timedelta(seconds=1) <= stored["expires_at"] <= after + lifetime


def test_login_token_expires_after_its_minutes(client, person, factory):
    _, employee, email = person
    token = log_in(client, email).json()["token"]
    assert me(client, employee, token).status_code == 200
    factory.expire_tokens_of(employee)
    assert_error(me(client, employee, token), 401, "expired")


def test_persist_gives_a_token_that_never_expires(client, person, accounts):
    _, employee, email = person
    response = log_in(client, email, persist=True)
    assert response.status_code == 200, response.text
    assert response.json()["expiresInMinutes"] == -1
    [stored] = accounts.tokens_of(employee)
    assert stored["expires_at"] is None and stored["kind"] == "LOGIN"
    assert me(client, employee, response.json()["token"]).status_code == 200


def test_persist_false_is_the_default(client, person):
    _, _, email = person
    assert log_in(client, email, persist=False).json()["expiresInMinutes"] == 15


def test_username_is_matched_in_any_case_and_without_surrounding_space(client, person):
    _, employee, email = person
    response = log_in(client, f"  {email.upper()}\t")
    assert response.status_code == 200, response.text
    assert response.json()["employee"] == employee


def test_every_login_makes_a_new_token(client, person, accounts):
    _, employee, email = person
    first, second = log_in(client, email).json()["token"], log_in(client, email).json()["token"]
    assert first != second
    assert len(accounts.tokens_of(employee)) == 2
    assert (
        me(client, employee, first).status_code == me(client, employee, second).status_code == 200
    )


def test_login_needs_no_token_and_ignores_a_bad_one(client, person):
    _, _, email = person
    response = client.post(
        LOGIN,
        json={"username": email, "password": PASSWORD},
        headers={"Authorization": "Bearer pbx_not_a_token"},
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("level", [level for level in AccessLevel if level.rank > 0])
def test_every_level_above_no_login_logs_in(client, factory, accounts, level):
    customer = factory.customer()
    email = unique_email()
    accounts.employee(customer, level, email=email, password=PASSWORD)
    response = log_in(client, email)
    assert response.status_code == 200, response.text
    assert response.json()["accessLevel"] == level.value


# -- failed logins: one answer, one amount of work --------------------------------------


def _failure(response) -> tuple:
    assert_error(response, 401, "credentials_invalid")
    assert "field" not in response.json()
    return response.status_code, response.json(), dict(response.headers)


def _failure_cases(factory, accounts) -> dict[str, tuple[str, str]]:
    """name -> (username, password): every way a login can fail."""

    def employee(level=AccessLevel.VIEWER, state="ENABLED", password=PASSWORD, customer=None):
        email = unique_email()
        accounts.employee(
            customer or factory.customer(), level, email=email, state=state,
            password_hash=PASSWORD_HASH if password else None,
        )  # fmt: skip
        return email

    deleted_customer = factory.customer()
    cases = {
        "unknown-email": (unique_email("nobody"), PASSWORD),
        "wrong-password": (employee(), PASSWORD + "x"),
        "password-case": (employee(), PASSWORD.upper()),
        "empty-password": (employee(), ""),
        "no-password-set": (employee(password=None), PASSWORD),
        "no-password-set-empty": (employee(password=None), ""),
        "disabled": (employee(state="DISABLED"), PASSWORD),
        "deleted": (employee(state="DELETED"), PASSWORD),
        "no-login-level": (employee(AccessLevel.NO_LOGIN), PASSWORD),
        "customer-deleted": (employee(customer=deleted_customer), PASSWORD),
        "empty-username": ("", PASSWORD),
    }
    factory.set_state(Customer, deleted_customer, "DELETED")
    return cases


def test_every_failed_login_gives_the_same_answer(client, factory, accounts):
    cases = _failure_cases(factory, accounts)
    answers = {name: _failure(log_in(client, *credentials)) for name, credentials in cases.items()}
    reference = answers["unknown-email"]
    assert reference[2]["www-authenticate"] == "Bearer"
    for name, answer in answers.items():
        assert answer == reference, name


def test_every_failed_login_does_one_argon2_verification_of_the_same_cost(
    client, factory, accounts, monkeypatch
):
    """An unknown e-mail address is verified against a dummy hash made with the same
    parameters as real ones, so the time taken does not reveal which addresses exist."""
    verified = spy_on_argon2(monkeypatch)
    cases = _failure_cases(factory, accounts)
    for name, credentials in cases.items():
        verified.clear()
        _failure(log_in(client, *credentials))
        assert len(verified) == 1, name
        parameters = verified[0].split("$")[:4]
        assert parameters == ["", "argon2id", "v=19", "m=65536,t=3,p=4"], name


def _state_of(accounts: Accounts, emails: list[str]) -> list:
    """The employees with these e-mail addresses and their tokens."""
    with accounts.session_factory() as session:
        employees = session.scalars(
            select(Employee.id).where(Employee.email_address.in_([e.lower() for e in emails]))
        ).all()
    return [(accounts.row(id_), accounts.tokens_of(id_)) for id_ in sorted(employees)]


def test_failed_logins_write_nothing(client, factory, accounts):
    cases = _failure_cases(factory, accounts)
    emails = [username for username, _ in cases.values()]
    before = _state_of(accounts, emails)
    assert len(before) == len(cases) - 2  # all but the unknown and the empty username
    for credentials in cases.values():
        _failure(log_in(client, *credentials))
    assert _state_of(accounts, emails) == before
    assert all(tokens == [] for _, tokens in before)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "a@example.com"}, "password"),
        ({"username": "a@example.com", "password": PASSWORD, "extra": 1}, "extra"),
        ({"username": "x" * 255, "password": PASSWORD}, "username"),
        ({"username": "a@example.com", "password": "p" * 257}, "password"),
        ({"username": "a@example.com", "password": PASSWORD, "persist": "maybe"}, "persist"),
        ({"username": 5, "password": PASSWORD}, "username"),
        ({"username": "a@example.com\x00", "password": PASSWORD}, "username"),
    ],
)
def test_malformed_login_is_400(client, body, field):
    response = client.post(LOGIN, json=body)
    assert_error(response, 400, "bad_request", field)
    assert PASSWORD not in response.text


def test_login_upgrades_a_hash_with_old_parameters(client, factory, accounts):
    customer = factory.customer()
    email = unique_email()
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    employee = accounts.employee(customer, AccessLevel.VIEWER, email=email, password_hash=weak)
    assert log_in(client, email).status_code == 200
    upgraded = accounts.row(employee)["password_hash"]
    assert upgraded != weak and upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(upgraded, PASSWORD)
    assert log_in(client, email).status_code == 200


# -- from an ADMIN's first token to an employee's login, through the API ----------------


def test_manager_sets_a_password_and_the_employee_logs_in_with_it(client, factory, accounts):
    customer = factory.customer()
    manager = factory.login(customer, AccessLevel.MANAGER)
    email = unique_email("Fresh")
    response = client.post(
        "/employee",
        json={
            "name": "Fresh",
            "emailAddress": email,
            "accessLevel": "VIEWER",
            "password": PASSWORD,
        },
        headers=auth(manager),
    )
    assert response.status_code == 200, response.text
    employee = response.json()["_id"]
    login = log_in(client, email)
    assert login.status_code == 200, login.text
    assert login.json()["accessLevel"] == "VIEWER" and login.json()["employee"] == employee
    # the employee changes the password; the old one stops working, the new one works
    token = login.json()["token"]
    new_password = "another good password"
    response = client.post(
        f"/employee/{employee}", json={"password": new_password}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    assert me(client, employee, token).status_code == 200  # the token used stays
    assert_error(log_in(client, email), 401, "credentials_invalid")
    assert log_in(client, email, new_password).status_code == 200


def test_disabled_employee_cannot_log_in_and_its_login_stops(client, person, factory, accounts):
    customer, employee, email = person
    token = log_in(client, email).json()["token"]
    owner = factory.login(customer, AccessLevel.OWNER)
    response = client.post(f"/employee/{employee}", json={"state": "DISABLED"}, headers=auth(owner))
    assert response.status_code == 200
    assert_error(me(client, employee, token), 401, "credentials_invalid")
    assert_error(log_in(client, email), 401, "credentials_invalid")


# -- logging out ------------------------------------------------------------------------


def test_logout_ends_all_of_the_callers_tokens(client, person, accounts):
    _, employee, email = person
    logins = [log_in(client, email).json()["token"] for _ in range(2)]
    persistent = log_in(client, email, persist=True).json()["token"]
    machine = accounts.token(employee, kind="API")
    response = client.get(LOGOUT, headers=auth(logins[0]))
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    for token in [*logins, persistent, machine]:
        assert_error(me(client, employee, token), 401, "credentials_invalid")
    assert accounts.tokens_of(employee) == []


def test_logout_with_a_machine_token_ends_the_logins_too(client, person, accounts):
    _, employee, email = person
    login = log_in(client, email).json()["token"]
    used, other = accounts.token(employee, kind="API"), accounts.token(employee, kind="API")
    assert client.get(LOGOUT, headers=auth(used)).json() == {"success": True}
    for token in (used, other, login):
        assert_error(me(client, employee, token), 401, "credentials_invalid")


def test_logout_leaves_other_employees_alone(client, person, accounts):
    customer, _, email = person
    colleague_email = unique_email()
    colleague = accounts.employee(
        customer, AccessLevel.VIEWER, email=colleague_email, password=PASSWORD
    )
    colleague_token = log_in(client, colleague_email).json()["token"]
    token = log_in(client, email).json()["token"]
    assert client.get(LOGOUT, headers=auth(token)).status_code == 200
    assert me(client, colleague, colleague_token).status_code == 200
    assert len(accounts.tokens_of(colleague)) == 1


def test_logout_needs_a_valid_token(client, person, accounts):
    _, employee, email = person
    token = log_in(client, email).json()["token"]
    assert_error(client.get(LOGOUT), 401, "credentials_invalid")
    assert_error(client.get(LOGOUT, headers=auth("pbx_unknown")), 401, "credentials_invalid")
    assert len(accounts.tokens_of(employee)) == 1
    assert client.get(LOGOUT, headers=auth(token)).status_code == 200
    # a second logout with the same token: it is gone
    assert_error(client.get(LOGOUT, headers=auth(token)), 401, "credentials_invalid")


# -- machine-to-machine tokens ----------------------------------------------------------


def token_url(employee_id: str, token: str | None = None) -> str:
    return f"/employee/{employee_id}/token" + (f"/{token}" if token is not None else "")


def test_machine_token_acts_with_the_employees_access_and_never_expires(client, factory, accounts):
    customer = factory.customer()
    employee = accounts.employee(customer, AccessLevel.VIEWER)
    manager = factory.login(customer, AccessLevel.MANAGER)
    response = client.post(token_url(employee), headers=auth(manager))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"success", "token"} and body["success"] is True
    token = body["token"]
    assert token.startswith("pbx_") and len(token) >= 40
    [stored] = accounts.tokens_of(employee)
    assert stored["kind"] == "API" and stored["expires_at"] is None
    assert stored["token_hash"] == hash_token(token)
    # it acts as the VIEWER: reads, but may not write
    assert client.get("/employee", headers=auth(token)).status_code == 200
    response = client.post("/employee", json={"name": "x"}, headers=auth(token))
    assert_error(response, 403, "access_denied")


def test_delete_machine_token_stops_it(client, factory, accounts):
    customer = factory.customer()
    employee = accounts.employee(customer, AccessLevel.VIEWER)
    manager = factory.login(customer, AccessLevel.MANAGER)
    first = client.post(token_url(employee), headers=auth(manager)).json()["token"]
    second = client.post(token_url(employee), headers=auth(manager)).json()["token"]
    response = client.delete(token_url(employee, first), headers=auth(manager))
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert_error(client.get("/employee", headers=auth(first)), 401, "credentials_invalid")
    assert client.get("/employee", headers=auth(second)).status_code == 200
    assert [t["token_hash"] for t in accounts.tokens_of(employee)] == [hash_token(second)]
    # gone: a second delete is 404
    response = client.delete(token_url(employee, first), headers=auth(manager))
    assert_error(response, 404, "not_found", "token")


def test_delete_removes_a_login_token_of_the_employee_too(client, person, factory, accounts):
    customer, employee, email = person
    login = log_in(client, email).json()["token"]
    owner = factory.login(customer, AccessLevel.OWNER)
    assert client.delete(token_url(employee, login), headers=auth(owner)).status_code == 200
    assert_error(me(client, employee, login), 401, "credentials_invalid")


def test_token_of_another_employee_or_unknown_token_is_404(client, factory, accounts):
    customer = factory.customer()
    owner_of_token = accounts.employee(customer, AccessLevel.VIEWER)
    other = accounts.employee(customer, AccessLevel.VIEWER)
    manager = factory.login(customer, AccessLevel.MANAGER)
    token = client.post(token_url(owner_of_token), headers=auth(manager)).json()["token"]
    before = accounts.snapshot(customer)
    for url in (token_url(other, token), token_url(owner_of_token, "pbx_unknown")):
        response = client.delete(url, headers=auth(manager))
        body = assert_error(response, 404, "not_found", "token")
        assert token not in body["message"]
    assert accounts.snapshot(customer) == before
    assert client.get("/employee", headers=auth(token)).status_code == 200


def test_token_path_parameter_is_bounded(client, factory, accounts):
    customer = factory.customer()
    employee = accounts.employee(customer, AccessLevel.VIEWER)
    manager = factory.login(customer, AccessLevel.MANAGER)
    response = client.delete(token_url(employee, "x" * 513), headers=auth(manager))
    body = assert_error(response, 400, "bad_request", "token")
    assert "xxxx" not in body["message"]
    response = client.delete(token_url("nope", "pbx_x"), headers=auth(manager))
    assert_error(response, 400, "bad_request", "id")
    assert_error(client.post(token_url(new_id()), headers=auth(manager)), 404, "not_found")


@pytest.mark.parametrize("target_level", list(AccessLevel))
@pytest.mark.parametrize(
    "caller_level", [AccessLevel.MANAGER, AccessLevel.OWNER, AccessLevel.RESELLER]
)
def test_machine_tokens_only_for_employees_up_to_the_callers_level(
    client, factory, accounts, caller_level, target_level
):
    customer = factory.customer()
    caller = factory.login(customer, caller_level)
    target = accounts.employee(customer, target_level)
    existing = accounts.token(target)
    before = accounts.snapshot(customer)
    create = client.post(token_url(target), headers=auth(caller))
    delete = client.delete(token_url(target, existing), headers=auth(caller))
    if not caller_level.at_least(target_level):
        assert_error(create, 403, "access_denied")
        assert_error(delete, 403, "access_denied")
        assert accounts.snapshot(customer) == before
        return
    if target_level is AccessLevel.NO_LOGIN:
        assert_error(create, 409, "accessLevel", "accessLevel")
    else:
        assert create.status_code == 200, create.text
    assert delete.status_code == 200, delete.text


@pytest.mark.parametrize("level", [AccessLevel.PERSONAL, AccessLevel.VIEWER])
def test_below_manager_makes_and_removes_no_machine_tokens(client, factory, accounts, level):
    customer = factory.customer()
    me_id = accounts.employee(customer, level)
    my_token = accounts.token(me_id)
    before = accounts.snapshot(customer)
    assert_error(client.post(token_url(me_id), headers=auth(my_token)), 403, "access_denied")
    response = client.delete(token_url(me_id, my_token), headers=auth(my_token))
    assert_error(response, 403, "access_denied")
    assert accounts.snapshot(customer) == before


@pytest.mark.parametrize("state", ["DISABLED", "DELETED"])
def test_no_machine_token_for_an_employee_that_is_not_enabled(client, factory, accounts, state):
    customer = factory.customer()
    target = accounts.employee(customer, AccessLevel.VIEWER, state=state)
    manager = factory.login(customer, AccessLevel.MANAGER)
    before = accounts.snapshot(customer)
    assert_error(client.post(token_url(target), headers=auth(manager)), 409, "state", "state")
    assert accounts.snapshot(customer) == before


def test_machine_token_of_a_child_customers_employee(client, factory, accounts):
    reseller = factory.customer()
    child = factory.customer(parent=reseller)
    sibling = factory.customer()
    caller = factory.login(reseller, AccessLevel.RESELLER)
    in_child = accounts.employee(child, AccessLevel.MANAGER)
    in_sibling = accounts.employee(sibling, AccessLevel.MANAGER)
    response = client.post(token_url(in_child), headers=auth(caller))
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    # the token acts in the child customer, as its MANAGER
    listed = client.get("/employee", headers=auth(token))
    assert {e["customer"] for e in listed.json()["employees"]} == {child}
    sibling_token = accounts.token(in_sibling)
    before = accounts.snapshot(sibling)
    assert_error(client.post(token_url(in_sibling), headers=auth(caller)), 404, "not_found")
    response = client.delete(token_url(in_sibling, sibling_token), headers=auth(caller))
    assert_error(response, 404, "not_found")
    assert accounts.snapshot(sibling) == before


# -- tokens in URLs stay out of our logs ------------------------------------------------


def test_unexpected_error_logs_the_route_template_not_the_path(caplog):
    app = FastAPI()
    install_error_handlers(app)

    @app.delete("/employee/{id}/token/{token}")
    def explode(id: str, token: str):
        raise RuntimeError("boom")

    secret = "pbx_secret_value_that_must_not_be_logged"
    with TestClient(app, raise_server_exceptions=False) as test_client:
        with caplog.at_level(logging.ERROR, logger="pbxapi"):
            response = test_client.delete(f"/employee/{new_id()}/token/{secret}")
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "message": "internal error"}
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "DELETE /employee/{id}/token/{token}" in logged
    assert secret not in caplog.text
