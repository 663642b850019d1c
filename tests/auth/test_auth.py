"""Authentication on GET /pbx/sipphone: bearer tokens, expiry, employee and customer state,
and the minimum access level (VIEWER) of the list."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pbxapi.auth.levels import AccessLevel
from pbxapi.db.tables import ApiToken, Customer, Employee

URL = "/pbx/sipphone"


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def assert_unauthorized(response, code: str = "credentials_invalid") -> None:
    assert_error(response, 401, code)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def change_one_character(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.fixture
def setup(factory):
    """A customer with one phone and an enabled VIEWER employee with a valid token."""
    customer = factory.customer(name="Auth customer")
    phone = factory.phone(customer)
    employee = factory.employee(customer, AccessLevel.VIEWER, name="Auth viewer")
    token = factory.token(employee)
    return customer, phone, employee, token


def phone_ids(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {phone["_id"] for phone in response.json()["sipPhones"]}


# -- missing, malformed and unknown credentials -----------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-header"),
        pytest.param({"Authorization": ""}, id="empty-header"),
        pytest.param({"Authorization": "Bearer"}, id="scheme-only"),
        pytest.param({"Authorization": "Bearer "}, id="empty-bearer"),
        pytest.param({"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}, id="basic-scheme"),
        pytest.param({"Authorization": "Token pbx_abcdef"}, id="other-scheme"),
        pytest.param({"Authorization": "Bearer pbx_unknown_token_value"}, id="unknown-token"),
        pytest.param({"Authorization": "Bearer " + "0" * 64}, id="hash-shaped-token"),
    ],
)
def test_missing_or_unknown_credentials_are_401(client, setup, headers):
    response = client.get(URL, headers=headers)
    assert_unauthorized(response)
    assert "sipPhones" not in response.json()


def test_basic_scheme_carrying_a_valid_token_is_rejected(client, setup):
    _, _, _, token = setup
    response = client.get(URL, headers={"Authorization": f"Basic {token}"})
    assert_unauthorized(response)


def test_token_with_one_character_changed_is_401(client, setup):
    _, phone, _, token = setup
    assert phone_ids(client.get(URL, headers=auth(token))) == {phone.id}
    response = client.get(URL, headers=auth(change_one_character(token)))
    assert_unauthorized(response)


def test_token_truncated_or_extended_is_401(client, setup):
    _, _, _, token = setup
    assert_unauthorized(client.get(URL, headers=auth(token[:-1])))
    assert_unauthorized(client.get(URL, headers=auth(token + "x")))


def test_token_in_query_string_does_not_authenticate(client, setup):
    _, _, _, token = setup
    for name in ("token", "access_token"):
        assert_unauthorized(client.get(URL, params={name: token}))


def test_bearer_scheme_is_case_insensitive(client, setup):
    _, phone, _, token = setup
    response = client.get(URL, headers={"Authorization": f"bearer {token}"})
    assert phone_ids(response) == {phone.id}


def test_authentication_is_checked_before_parameters(client, setup):
    """An anonymous caller learns nothing about parameter validation."""
    response = client.get(URL, params={"limit": "0", "customer": "nope"})
    assert_unauthorized(response)


def test_valid_token_lists_own_phones(client, setup):
    _, phone, _, token = setup
    response = client.get(URL, headers=auth(token))
    assert phone_ids(response) == {phone.id}
    assert response.json()["total"] == 1
    assert "WWW-Authenticate" not in response.headers


# -- expiry -----------------------------------------------------------------------------


def test_token_with_past_expiry_is_401_expired(client, factory):
    customer = factory.customer()
    factory.phone(customer)
    employee = factory.employee(customer, AccessLevel.VIEWER)
    token = factory.token(employee, lifetime=timedelta(seconds=-1))
    response = client.get(URL, headers=auth(token))
    assert_unauthorized(response, "expired")
    assert "sipPhones" not in response.json()


def test_token_expired_after_issue_is_401_expired(client, factory):
    customer = factory.customer()
    phone = factory.phone(customer)
    employee = factory.employee(customer, AccessLevel.MANAGER)
    token = factory.token(employee, lifetime=timedelta(hours=1))
    assert phone_ids(client.get(URL, headers=auth(token))) == {phone.id}
    factory.expire_tokens_of(employee)
    assert_unauthorized(client.get(URL, headers=auth(token)), "expired")


def test_token_with_zero_lifetime_is_expired(client, factory):
    """A lifetime of zero means "expires now", not "never expires"."""
    customer = factory.customer()
    employee = factory.employee(customer, AccessLevel.VIEWER)
    token = factory.token(employee, lifetime=timedelta(0))
    assert_unauthorized(client.get(URL, headers=auth(token)), "expired")


@pytest.mark.parametrize(
    "lifetime",
    [timedelta(minutes=15), timedelta(days=365), None],
    ids=["15-minutes", "one-year", "no-expiry"],
)
def test_token_with_future_or_no_expiry_works(client, factory, lifetime):
    customer = factory.customer()
    phone = factory.phone(customer)
    employee = factory.employee(customer, AccessLevel.VIEWER)
    token = factory.token(employee, lifetime=lifetime)
    assert phone_ids(client.get(URL, headers=auth(token))) == {phone.id}


def test_expiring_one_employees_tokens_leaves_others_working(client, factory):
    customer = factory.customer()
    phone = factory.phone(customer)
    first = factory.employee(customer, AccessLevel.VIEWER)
    second = factory.employee(customer, AccessLevel.VIEWER)
    first_token, second_token = factory.token(first), factory.token(second)
    factory.expire_tokens_of(first)
    assert_unauthorized(client.get(URL, headers=auth(first_token)), "expired")
    assert phone_ids(client.get(URL, headers=auth(second_token))) == {phone.id}


def test_expired_token_of_disabled_employee_is_credentials_invalid(client, factory):
    """A disabled employee's token is simply invalid, whatever its expiry."""
    customer = factory.customer()
    employee = factory.employee(customer, AccessLevel.VIEWER, state="DISABLED")
    token = factory.token(employee, lifetime=timedelta(seconds=-1))
    assert_unauthorized(client.get(URL, headers=auth(token)))


# -- employee and customer state --------------------------------------------------------


@pytest.mark.parametrize("state", ["DISABLED", "DELETED"])
def test_token_of_employee_created_in_inactive_state_is_401(client, factory, state):
    customer = factory.customer()
    factory.phone(customer)
    employee = factory.employee(customer, AccessLevel.OWNER, state=state)
    token = factory.token(employee)
    assert_unauthorized(client.get(URL, headers=auth(token)))


@pytest.mark.parametrize("state", ["DISABLED", "DELETED"])
def test_token_stops_working_when_employee_becomes_inactive(client, factory, state):
    customer = factory.customer()
    phone = factory.phone(customer)
    employee = factory.employee(customer, AccessLevel.ADMIN)
    token = factory.token(employee)
    assert phone_ids(client.get(URL, headers=auth(token))) == {phone.id}
    factory.set_state(Employee, employee, state)
    assert_unauthorized(client.get(URL, headers=auth(token)))
    factory.set_state(Employee, employee, "ENABLED")
    assert phone_ids(client.get(URL, headers=auth(token))) == {phone.id}


@pytest.mark.parametrize("level", [AccessLevel.VIEWER, AccessLevel.RESELLER, AccessLevel.ADMIN])
def test_token_of_employee_of_deleted_customer_is_401(client, factory, level):
    customer = factory.customer()
    phone = factory.phone(customer)
    token = factory.login(customer, level)
    assert phone_ids(client.get(URL, headers=auth(token))) == {phone.id}
    factory.set_state(Customer, customer, "DELETED")
    assert_unauthorized(client.get(URL, headers=auth(token)))


def test_deleting_a_customer_leaves_other_customers_tokens_working(client, factory):
    deleted, kept = factory.customer(), factory.customer()
    kept_phone = factory.phone(kept)
    deleted_token = factory.login(deleted, AccessLevel.VIEWER)
    kept_token = factory.login(kept, AccessLevel.VIEWER)
    factory.set_state(Customer, deleted, "DELETED")
    assert_unauthorized(client.get(URL, headers=auth(deleted_token)))
    assert phone_ids(client.get(URL, headers=auth(kept_token))) == {kept_phone.id}


def test_disabling_one_employee_leaves_colleagues_working(client, factory):
    customer = factory.customer()
    phone = factory.phone(customer)
    disabled = factory.employee(customer, AccessLevel.VIEWER)
    colleague = factory.employee(customer, AccessLevel.VIEWER)
    disabled_token, colleague_token = factory.token(disabled), factory.token(colleague)
    factory.set_state(Employee, disabled, "DISABLED")
    assert_unauthorized(client.get(URL, headers=auth(disabled_token)))
    assert phone_ids(client.get(URL, headers=auth(colleague_token))) == {phone.id}


# -- storage ----------------------------------------------------------------------------


def test_tokens_are_stored_hashed(client, factory, engine):
    customer = factory.customer()
    employee = factory.employee(customer, AccessLevel.VIEWER)
    tokens = [factory.token(employee), factory.token(employee, lifetime=timedelta(hours=1))]
    # Both work, and they differ.
    assert tokens[0] != tokens[1]
    for token in tokens:
        assert client.get(URL, headers=auth(token)).status_code == 200

    with engine.connect() as connection:
        own_rows = connection.execute(
            select(ApiToken.__table__).where(ApiToken.employee_id == employee)
        ).all()
        all_rows = connection.execute(select(ApiToken.__table__)).all()
    assert len(own_rows) == 2
    assert {row.customer_id for row in own_rows} == {customer}
    stored = [str(value) for row in all_rows for value in row]
    for token in tokens:
        # Neither the whole token nor its random part (without any prefix) is stored.
        secret = token.removeprefix("pbx_")
        assert len(secret) >= 32
        assert not any(token in value or secret in value for value in stored)
        assert not any(token.lower() in value.lower() for value in stored)
    # The stored digests are distinct, one per token.
    assert len({row.token_hash for row in own_rows}) == 2


# -- access level -----------------------------------------------------------------------


@pytest.mark.parametrize("level", [AccessLevel.NO_LOGIN, AccessLevel.PERSONAL])
def test_levels_below_viewer_are_403(client, factory, level):
    customer = factory.customer()
    factory.phone(customer)
    token = factory.login(customer, level)
    response = client.get(URL, headers=auth(token))
    body = assert_error(response, 403, "access_denied")
    assert "sipPhones" not in body
    assert "WWW-Authenticate" not in response.headers


@pytest.mark.parametrize("level", [AccessLevel.NO_LOGIN, AccessLevel.PERSONAL])
def test_levels_below_viewer_are_403_even_for_own_customer_or_bad_parameters(
    client, factory, level
):
    customer = factory.customer()
    token = factory.login(customer, level)
    for params in ({"customer": customer}, {"customer": customer.upper()}, {"limit": "0"}):
        response = client.get(URL, params=params, headers=auth(token))
        assert_error(response, 403, "access_denied")


@pytest.mark.parametrize(
    "level",
    [
        AccessLevel.VIEWER,
        AccessLevel.MANAGER,
        AccessLevel.OWNER,
        AccessLevel.RESELLER,
        AccessLevel.RESELLER_ADMIN,
        AccessLevel.ADMIN,
    ],
)
def test_viewer_and_above_list_own_customer(client, factory, level):
    customer = factory.customer()
    phones = [factory.phone(customer), factory.phone(customer)]
    token = factory.login(customer, level)
    response = client.get(URL, headers=auth(token))
    assert phone_ids(response) == {phone.id for phone in phones}
    body = response.json()
    assert (body["offset"], body["limit"], body["total"]) == (0, 50, 2)
