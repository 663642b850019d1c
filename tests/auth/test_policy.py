"""The access rules walked against the live API: every route × every access level × the
record's relation to the caller, on SQLite and PostgreSQL.

The callers are employees of customer `home`. A record is the caller's own (relation `self`,
PERSONAL's own extension or the caller itself), another employee's of `home` (`own`), of
`child`, a customer below `home` (`below`), or of `stranger`, a top-level customer of
another tree (`outside`). What each case must answer is computed from the rules as the
README documents them, written out below on purpose (not read from auth/policy.py, which
a test compares with them): changing who may do what fails here until both are changed.
What is allowed must really succeed, with the record asked for.

    operator ── home ── child            (home is a reseller's customer: resellers at home
    stranger                              reach child; only ADMIN reaches stranger)
"""

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from harness.factory import Factory, random_mac
from pbxapi.app import ROUTERS
from pbxapi.auth import policy
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.policy import Operation, Reach, Resource
from pbxapi.db.engine import make_session_factory

LEVELS = list(AccessLevel)
RELATIONS = ("self", "own", "below", "outside")


@dataclass
class World:
    factory: Factory
    home: str
    child: str
    stranger: str
    admin: str  # an ADMIN's token, for set-up through the API
    api: TestClient
    callers: dict[AccessLevel, tuple[str, str]] = field(default_factory=dict)

    def caller(self, level: AccessLevel, *, fresh: bool = False) -> tuple[str, str]:
        """(employee id, token) of a caller at `level` in `home`; one per level, unless
        `fresh` (logging out ends the caller's tokens)."""
        if fresh or level not in self.callers:
            employee = self.factory.employee(self.home, level, name="Caller")
            self.callers[level] = (employee, self.factory.token(employee))
        return self.callers[level]

    def customer_of(self, relation: str) -> str:
        return {"self": self.home, "own": self.home, "below": self.child,
                "outside": self.stranger}[relation]  # fmt: skip


@dataclass
class Case:
    """One request: `path`, query `params`, `json` body; `target` is the record's id (or
    the customer it is made in) that a success must name."""

    method: str
    path: str
    params: dict = field(default_factory=dict)
    json: dict | None = None
    target: str | None = None


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    resource: Resource
    operation: Operation
    build: Callable[[World, str, str], Case]  # (world, relation, caller id) -> the request
    # How a record out of the caller's reach answers: 404 for a record named by id in the
    # path (its existence is not revealed), 403 naming the field that names the customer.
    out_of_reach: tuple[int, str | None] = (404, None)
    # Relations that make sense for the route (the catalogue has no customer).
    relations: tuple[str, ...] = ("own", "below", "outside")
    # Employee routes that change someone: the policy's may_manage applies to others.
    manages_employee: bool = False
    # Whose READ rule guards the record a route names by id (a machine token's employee).
    record: Resource | None = None
    # What an allowed request answers (reboot of an unregistered phone: 409 online).
    success: int = 200


def _number() -> str:
    return str(secrets.randbelow(10**12))


def _phone(world: World, relation: str, _caller: str) -> str:
    return world.factory.phone(world.customer_of(relation)).id


def _extension(world: World, relation: str, caller: str) -> str:
    employee = caller if relation == "self" else None
    return world.factory.extension(
        world.customer_of(relation), _number(), employee_id=employee
    )


def _employee(world: World, relation: str, caller: str) -> str:
    if relation == "self":
        return caller
    return world.factory.employee(world.customer_of(relation), AccessLevel.PERSONAL)


def _new_customer(world: World, relation: str, _caller: str) -> str:
    """A customer below the relation's customer (a reseller manages the customers below)."""
    return world.factory.customer(parent=world.customer_of(relation), name="Managed")


def _model(world: World, *_: str) -> str:
    return world.factory.model_id("SNOM", "D785")


def _new_model(world: World, *_: str) -> str:
    answer = world.api.post(
        "/pbx/sipphonemodels",
        json={"brand": "GENERIC", "brandName": "Generic", "model": secrets.token_hex(6)},
        headers={"Authorization": f"Bearer {world.admin}"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["_id"]


SP, EX, PM, EM, TK, CU, AU, WR, LO = (
    Resource.SIP_PHONE, Resource.EXTENSION, Resource.PHONE_MODEL, Resource.EMPLOYEE,
    Resource.MACHINE_TOKEN, Resource.CUSTOMER, Resource.AUDIT_LOG, Resource.WEBRTC_PHONE,
    Resource.LOGIN,
)  # fmt: skip
L, R, C, U, D, A = (Operation.LIST, Operation.READ, Operation.CREATE, Operation.UPDATE,
                    Operation.DELETE, Operation.ACT)  # fmt: skip
IN_BODY = (403, "customer")
CATALOGUE = ("own",)


def by_id(prefix: str, make, suffix: str = "", method: str = "GET", json=None):
    def build(world: World, relation: str, caller: str) -> Case:
        record = make(world, relation, caller)
        return Case(method, f"{prefix}/{record}{suffix}", json=json, target=record)

    return build


def listed(path: str, **params):
    def build(world: World, relation: str, _caller: str) -> Case:
        customer = world.customer_of(relation)
        return Case("GET", path, params={"customer": customer, **params}, target=customer)

    return build


def created(path: str, body: Callable[[World], dict], customer_field: str = "customer"):
    def build(world: World, relation: str, _caller: str) -> Case:
        customer = world.customer_of(relation)
        return Case("POST", path, json={customer_field: customer, **body(world)}, target=customer)

    return build


def _machine_token(world: World, relation: str, caller: str) -> Case:
    employee = _employee(world, relation, caller)
    token = world.factory.token(employee)
    return Case("DELETE", f"/employee/{employee}/token/{token}", target=employee)


def _webrtc(world: World, _relation: str, caller: str) -> Case:
    world.factory.extension(world.home, _number(), employee_id=caller)
    return Case("POST", "/pbx/sipphone/webrtc", json={"instanceId": secrets.token_hex(8)})


def _log_out(_world: World, _relation: str, _caller: str) -> Case:
    return Case("GET", "/auth/logout")


ROUTES = [
    Route("GET", "/pbx/sipphone", SP, L, listed("/pbx/sipphone"), IN_BODY),
    Route("GET", "/pbx/sipphone/{id}", SP, R, by_id("/pbx/sipphone", _phone)),
    Route("POST", "/pbx/sipphone", SP, C, created(
        "/pbx/sipphone", lambda w: {"sipPhoneModel": _model(w), "macAddress": random_mac()}
    ), IN_BODY),
    Route("POST", "/pbx/sipphone/{id}", SP, U,
          by_id("/pbx/sipphone", _phone, method="POST", json={"notes": "policy"})),
    Route("DELETE", "/pbx/sipphone/{id}", SP, D, by_id("/pbx/sipphone", _phone, method="DELETE")),
    Route("GET", "/pbx/sipphone/{id}/resetcredentials", SP, A,
          by_id("/pbx/sipphone", _phone, "/resetcredentials")),
    Route("GET", "/pbx/sipphone/{id}/reboot", SP, A, by_id("/pbx/sipphone", _phone, "/reboot"),
          success=409),
    Route("GET", "/pbx/sipphone/{id}/configreload", SP, A,
          by_id("/pbx/sipphone", _phone, "/configreload"), success=409),
    Route("POST", "/pbx/sipphone/webrtc", WR, U, _webrtc, relations=("self",)),
    Route("GET", "/pbx/extension", EX, L, listed("/pbx/extension"), IN_BODY),
    Route("GET", "/pbx/extension/{id}", EX, R, by_id("/pbx/extension", _extension),
          relations=RELATIONS),
    Route("POST", "/pbx/extension", EX, C,
          created("/pbx/extension", lambda _w: {"number": _number()}), IN_BODY),
    Route("POST", "/pbx/extension/{id}", EX, U,
          by_id("/pbx/extension", _extension, method="POST", json={"name": "policy"})),
    Route("DELETE", "/pbx/extension/{id}", EX, D,
          by_id("/pbx/extension", _extension, method="DELETE")),
    Route("GET", "/pbx/sipphonemodels", PM, L,
          lambda w, r, c: Case("GET", "/pbx/sipphonemodels"), relations=CATALOGUE),
    Route("GET", "/pbx/sipphonemodels/{id}", PM, R, by_id("/pbx/sipphonemodels", _model),
          relations=CATALOGUE),
    Route("POST", "/pbx/sipphonemodels", PM, C, lambda w, r, c: Case(
        "POST", "/pbx/sipphonemodels",
        json={"brand": "GENERIC", "brandName": "Generic", "model": secrets.token_hex(6)},
    ), relations=CATALOGUE),
    Route("POST", "/pbx/sipphonemodels/{id}", PM, U, by_id(
        "/pbx/sipphonemodels", _new_model, method="POST", json={"description": "policy"}
    ), relations=CATALOGUE),
    Route("DELETE", "/pbx/sipphonemodels/{id}", PM, D,
          by_id("/pbx/sipphonemodels", _new_model, method="DELETE"), relations=CATALOGUE),
    Route("GET", "/employee", EM, L, listed("/employee"), IN_BODY),
    Route("GET", "/employee/{id}", EM, R, by_id("/employee", _employee), relations=RELATIONS),
    Route("POST", "/employee", EM, C,
          created("/employee", lambda _w: {"name": "Policy"}), IN_BODY),
    Route("POST", "/employee/{id}", EM, U,
          by_id("/employee", _employee, method="POST", json={"name": "Policy"}),
          relations=RELATIONS, manages_employee=True),
    Route("DELETE", "/employee/{id}", EM, D, by_id("/employee", _employee, method="DELETE"),
          manages_employee=True),
    Route("POST", "/employee/{id}/token", TK, C,
          by_id("/employee", _employee, "/token", method="POST"), manages_employee=True,
          record=EM),
    Route("DELETE", "/employee/{id}/token/{token}", TK, D, _machine_token,
          manages_employee=True, record=EM),
    Route("GET", "/customer", CU, L, lambda w, r, c: Case("GET", "/customer"),
          relations=CATALOGUE),
    Route("GET", "/customer/{id}", CU, R,
          by_id("/customer", lambda w, r, c: w.customer_of(r))),
    Route("POST", "/customer", CU, C,
          created("/customer", lambda _w: {"name": "Policy"}, "parentReseller"),
          (403, "parentReseller")),
    Route("POST", "/customer/{id}", CU, U,
          by_id("/customer", _new_customer, method="POST", json={"name": "Policy"})),
    Route("DELETE", "/customer/{id}", CU, D, by_id("/customer", _new_customer, method="DELETE")),
    Route("GET", "/audit", AU, L, listed("/audit"), IN_BODY),
    Route("GET", "/auth/logout", LO, D, _log_out, relations=("self",)),
]
NO_LOGIN, PERSONAL, VIEWER, MANAGER, OWNER, RESELLER, RESELLER_ADMIN, ADMIN = AccessLevel
# The lowest level for each (resource, operation), as the README documents it.
DOCUMENTED_MINIMUM = {
    (SP, L): VIEWER, (SP, R): VIEWER, (SP, C): MANAGER, (SP, U): MANAGER, (SP, D): MANAGER,
    (SP, A): MANAGER, (WR, U): PERSONAL,
    (EX, L): PERSONAL, (EX, R): PERSONAL, (EX, C): MANAGER, (EX, U): MANAGER, (EX, D): MANAGER,
    (PM, L): VIEWER, (PM, R): VIEWER, (PM, C): ADMIN, (PM, U): ADMIN, (PM, D): ADMIN,
    (EM, L): VIEWER, (EM, R): PERSONAL, (EM, C): MANAGER, (EM, U): PERSONAL, (EM, D): MANAGER,
    (TK, C): MANAGER, (TK, D): MANAGER,
    (CU, L): VIEWER, (CU, R): VIEWER, (CU, C): RESELLER, (CU, U): RESELLER, (CU, D): RESELLER,
    (AU, L): OWNER,
    (LO, D): NO_LOGIN,
}  # fmt: skip
# Below VIEWER a caller reaches only its own extensions and itself.
DOCUMENTED_OWN_RECORDS_BELOW = {(EX, L): VIEWER, (EX, R): VIEWER, (EM, R): VIEWER}
DOCUMENTED_REACH = {
    **dict.fromkeys([NO_LOGIN, PERSONAL, VIEWER, MANAGER, OWNER], Reach.OWN_CUSTOMER),
    RESELLER: Reach.SUBTREE, RESELLER_ADMIN: Reach.SUBTREE, ADMIN: Reach.EVERY_CUSTOMER,
}  # fmt: skip
DOCUMENTED_MANAGES_EMPLOYEES = MANAGER


def test_the_policy_says_what_is_documented():
    assert {key: rule.minimum for key, rule in policy.RULES.items()} == DOCUMENTED_MINIMUM
    assert {
        key: rule.own_records_below
        for key, rule in policy.RULES.items()
        if rule.own_records_below is not None
    } == DOCUMENTED_OWN_RECORDS_BELOW
    assert policy.REACH == DOCUMENTED_REACH
    assert policy.MANAGES_EMPLOYEES == DOCUMENTED_MANAGES_EMPLOYEES


# The one published route without the policy: logging in (no token yet). The SIP server's
# internal endpoint is not published and takes a shared secret, not an employee's token
# (tests/sip).
UNGUARDED = {("POST", "/auth/login")}

@pytest.fixture(scope="module")
def world(engine, app) -> Iterator[World]:
    factory = Factory(make_session_factory(engine))
    operator = factory.customer(name="Operator")
    home = factory.customer(parent=operator, name="Home")
    child = factory.customer(parent=home, name="Child")
    stranger = factory.customer(name="Stranger")
    admin = factory.login(operator, AccessLevel.ADMIN)
    with TestClient(app) as api:
        yield World(factory, home, child, stranger, admin, api)


def expected(route: Route, level: AccessLevel, relation: str) -> tuple[int, str | None, str]:
    """(status, error field, error message or "") that the documented rules give this case."""
    minimum = DOCUMENTED_MINIMUM[route.resource, route.operation]
    if not level.at_least(minimum):
        return 403, None, f"requires access level {minimum} or higher"
    reach = DOCUMENTED_REACH[level]
    if (relation == "below" and reach is Reach.OWN_CUSTOMER) or (
        relation == "outside" and reach is not Reach.EVERY_CUSTOMER
    ):
        status, field_name = route.out_of_reach
        return status, field_name, ""
    # A record the caller may not read (PERSONAL: someone else's) is not found, whatever
    # the route would do with it.
    own_below = DOCUMENTED_OWN_RECORDS_BELOW.get((route.record or route.resource, Operation.READ))
    if relation != "self" and "{id}" in route.template and own_below is not None:
        if not level.at_least(own_below):
            return 404, None, ""
    # The employees changed here are PERSONAL: managing them takes MANAGES_EMPLOYEES.
    if relation != "self" and route.manages_employee:
        if not level.at_least(DOCUMENTED_MANAGES_EMPLOYEES):
            return 403, None, f"requires access level {DOCUMENTED_MANAGES_EMPLOYEES} or higher"
    return route.success, None, ""


CASES = [
    pytest.param(route, level, relation, id=f"{route.method} {route.template} {level} {relation}")
    for route in ROUTES
    for level in LEVELS
    for relation in route.relations
]


@pytest.mark.parametrize(("route", "level", "relation"), CASES)
def test_the_api_answers_as_the_policy_says(client, world, route, level, relation):
    caller, token = world.caller(level, fresh=route.resource is Resource.LOGIN)
    case = route.build(world, relation, caller)
    answer = client.request(
        case.method, case.path, params=case.params, json=case.json,
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    status, field_name, message = expected(route, level, relation)
    assert answer.status_code == status, answer.text
    body = answer.json()
    if status == 403:
        assert body["error"] == "access_denied"
        assert body.get("field") == field_name
        if message:
            assert body["message"] == message
    elif status == 404:
        assert body["error"] == "not_found"
    elif status == 409:  # reboot/configreload of a phone that is not registered
        assert body["field"] == "online"
    else:
        _assert_success(route, case, body)


def _assert_success(route: Route, case: Case, body: dict) -> None:
    """An allowed request did what it was asked, on the record (or customer) asked for."""
    if route.operation is Operation.DELETE or route.template == "/auth/logout":
        assert body == {"success": True}
    elif route.operation is Operation.LIST:
        items = next(value for key, value in body.items() if isinstance(value, list))
        customer = case.params.get("customer")
        if customer is not None and route.resource is not Resource.AUDIT_LOG:
            assert all(item.get("customer", customer) == customer for item in items), body
        assert body["total"] >= len(items)
    elif route.resource is Resource.MACHINE_TOKEN:
        assert body["token"].startswith("pbx_")
    elif route.resource is Resource.WEBRTC_PHONE:
        assert body["username"] and body["password"]
    elif route.operation is Operation.CREATE:
        made_in = body.get("customer", body.get("parentReseller"))
        assert case.target is None or made_in == case.target, body
    else:
        assert body.get("_id", body.get("id")) == case.target, body


def test_every_route_is_in_the_matrix_and_declares_its_policy(app):
    """A new route without a row here, or without `allowed_for` in its signature, fails."""
    declared = {
        (method, route.path): _policy_of(route.dependant)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods
    }
    published = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert set(declared) == published
    in_matrix = {(route.method, route.template): (route.resource, route.operation)
                 for route in ROUTES}  # fmt: skip
    assert {key: declared[key] for key in UNGUARDED} == dict.fromkeys(UNGUARDED)
    assert {key: value for key, value in declared.items() if key not in UNGUARDED} == in_matrix


def _policy_of(dependant) -> tuple[Resource, Operation] | None:
    for dependency in dependant.dependencies:
        found = getattr(dependency.call, "policy", None) or _policy_of(dependency)
        if found is not None:
            return found
    return None


def test_every_rule_of_the_policy_is_used_by_a_route():
    assert {(route.resource, route.operation) for route in ROUTES} == set(policy.RULES)
