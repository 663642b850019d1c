"""Extensions: /pbx/extension (list, get, create, partial update, delete), and how changes
to extensions and employees show in GET /pbx/sipphone at once.

Every test makes its own customers, so lists and totals are exact.
"""

import itertools
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from harness.factory import Factory
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.engine import make_session_factory, transaction
from pbxapi.db.tables import Employee, Extension, SipPhone
from pbxapi.ids import new_id

URL = "/pbx/extension"
KEYS = {"_id", "customer", "number", "name", "direct", "employee", "notes"}
_UNSET = object()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int, code: str, field=_UNSET) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code, body
    if field is not _UNSET:
        assert body.get("field") == field, body
    return body


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def rows_of(engine, table, customer_id: str) -> list[dict]:
    """Every row of a table for one customer, as stored: compared before and after a
    refused request."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.__table__)
            .where(table.__table__.c.customer_id == customer_id)
            .order_by(table.__table__.c.id)
        )
        return [dict(row) for row in rows.mappings()]


def snapshot(engine, customer_id: str) -> tuple[list[dict], list[dict]]:
    """A customer's extensions and phones."""
    return rows_of(engine, Extension, customer_id), rows_of(engine, SipPhone, customer_id)


def rename_employee(engine, employee_id: str, name: str) -> None:
    # The employee API is another resource: change the name straight in the database.
    with transaction(make_session_factory(engine)) as session:
        session.get(Employee, employee_id).name = name


@dataclass
class Org:
    """A customer of a test's own, with logins made on demand."""

    factory: Factory
    customer: str
    _tokens: dict[AccessLevel, str] = field(default_factory=dict)

    def headers(self, level: AccessLevel = AccessLevel.MANAGER) -> dict:
        if level not in self._tokens:
            self._tokens[level] = self.factory.login(self.customer, level)
        return auth(self._tokens[level])

    def extension(self, number: str, **fields) -> str:
        return self.factory.extension(self.customer, number, **fields)

    def employee(self, name: str = "Employee", level=AccessLevel.NO_LOGIN) -> str:
        return self.factory.employee(self.customer, level, name=name)


@pytest.fixture
def org(factory) -> Org:
    return Org(factory, factory.customer(name="Extension tests"))


@pytest.fixture
def other_org(factory) -> Org:
    return Org(factory, factory.customer(name="Another customer"))


def listed(client, headers: dict, **params) -> dict:
    return ok(client.get(URL, params=params, headers=headers))


def listed_ids(client, headers: dict, **params) -> list[str]:
    return [extension["_id"] for extension in listed(client, headers, **params)["extensions"]]


def fetch(client, headers: dict, extension_id: str) -> dict:
    return ok(client.get(f"{URL}/{extension_id}", headers=headers))


def update(client, headers: dict, extension_id: str, body: dict):
    return client.post(f"{URL}/{extension_id}", json=body, headers=headers)


def phones(client, headers: dict, **params) -> dict[str, dict]:
    """GET /pbx/sipphone by phone id."""
    body = ok(client.get("/pbx/sipphone", params={"limit": 1000, **params}, headers=headers))
    return {phone["_id"]: phone for phone in body["sipPhones"]}


# --- list: paging and parameters ---------------------------------------------------------


def test_list_defaults_to_offset_0_limit_50_by_name(client, org):
    made = [org.extension(f"{100 + i}", name=f"Line {i:02d}") for i in range(52)]
    body = listed(client, org.headers(AccessLevel.VIEWER))
    assert set(body) == {"offset", "limit", "total", "extensions"}
    assert (body["offset"], body["limit"], body["total"]) == (0, 50, 52)
    assert [extension["_id"] for extension in body["extensions"]] == made[:50]
    assert all(set(extension) == KEYS for extension in body["extensions"])


def test_paging_walks_every_extension_once(client, org):
    made = [org.extension(f"{i}", name="same") for i in range(7)]  # the id breaks the tie
    headers = org.headers(AccessLevel.VIEWER)
    seen = []
    for offset in range(0, 9, 3):
        body = listed(client, headers, offset=offset, limit=3)
        assert (body["offset"], body["limit"], body["total"]) == (offset, 3, 7)
        seen += [extension["_id"] for extension in body["extensions"]]
    assert seen == made
    assert listed(client, headers, offset=7)["total"] == 7


def test_limit_1000_is_the_maximum(client, org):
    org.extension("1")
    body = listed(client, org.headers(AccessLevel.VIEWER), limit=1000)
    assert (body["limit"], body["total"]) == (1000, 1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "1e3"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"sort": "created"}, "sort"),
        ({"sort": "NUMBER"}, "sort"),
        ({"employee": "nobody"}, "employee"),
        ({"customer": "12345"}, "customer"),
        ({"filter": "x" * 201}, "filter"),
        ({"filter": "a\x00"}, "filter"),
    ],
)
def test_invalid_list_parameters_are_400_naming_the_parameter(client, org, params, field):
    response = client.get(URL, params=params, headers=org.headers(AccessLevel.VIEWER))
    assert_error(response, 400, "bad_request", field)


def test_an_unknown_customer_is_403_below_admin_and_404_for_admin(client, org):
    unknown = new_id()
    response = client.get(URL, params={"customer": unknown}, headers=org.headers())
    assert_error(response, 403, "access_denied", "customer")
    response = client.get(URL, params={"customer": unknown}, headers=org.headers(AccessLevel.ADMIN))
    assert_error(response, 404, "not_found", "customer")


# --- list: sorting -----------------------------------------------------------------------


def test_sort_by_number_is_numeric_with_the_id_breaking_ties(client, org):
    numbers = ["100", "20", "3", "1000", "21", "007", "7", "0", "00", "99", "010"]
    made = {number: org.extension(number) for number in numbers}
    expected = sorted(numbers, key=lambda number: (int(number), number))
    assert expected[:6] == ["0", "00", "3", "007", "7", "010"]
    ids = listed_ids(client, org.headers(AccessLevel.VIEWER), sort="number")
    assert ids == [made[number] for number in expected]


def test_sort_by_name_breaks_ties_by_id(client, org):
    first_b = org.extension("1", name="b")
    a = org.extension("2", name="a")
    second_b = org.extension("3", name="b")
    c = org.extension("4", name="c")
    headers = org.headers(AccessLevel.VIEWER)
    assert listed_ids(client, headers, sort="name") == [a, first_b, second_b, c]
    assert listed_ids(client, headers) == [a, first_b, second_b, c]  # the default


def test_sort_by_direct_puts_extensions_without_one_last(client, org):
    none_1 = org.extension("1")
    high = org.extension("2", direct="+4570000002")
    none_2 = org.extension("3")
    low = org.extension("4", direct="+4570000001")
    ids = listed_ids(client, org.headers(AccessLevel.VIEWER), sort="direct")
    assert ids == [low, high, none_1, none_2]


def test_sort_by_employee_name_puts_unassigned_last(client, org):
    zoe, adam = org.employee("Zoe"), org.employee("Adam")
    unassigned = org.extension("1")
    of_zoe = org.extension("2", employee_id=zoe)
    of_adam = org.extension("3", employee_id=adam)
    also_of_adam = org.extension("4", employee_id=adam)
    ids = listed_ids(client, org.headers(AccessLevel.VIEWER), sort="employee")
    assert ids == [of_adam, also_of_adam, of_zoe, unassigned]


# --- list: filter, employee, customer ----------------------------------------------------


def test_filter_matches_number_name_direct_and_employee_name(client, org):
    søren = org.employee("Ærling Søren")
    by_number = org.extension("73419")
    by_name = org.extension("2", name="Zanzibar line")
    by_direct = org.extension("3", direct="+4589898989")
    by_employee = org.extension("4", employee_id=søren)
    org.extension("5", name="nothing to see")
    headers = org.headers(AccessLevel.VIEWER)

    def found(text: str) -> set[str]:
        body = listed(client, headers, filter=text)
        assert body["total"] == len(body["extensions"])
        return {extension["_id"] for extension in body["extensions"]}

    assert found("7341") == {by_number}
    assert found("ZANZIBAR") == {by_name}
    assert found("8989898") == {by_direct}
    assert found("ærling") == {by_employee}  # Unicode case folding
    assert found("søren ærling") == {by_employee}
    assert found("zanzibar 7341") == set()  # every term must match
    assert found("%") == set()  # LIKE characters are literal
    assert len(found("   ")) == 5  # no terms: everything


def test_employee_parameter_lists_that_employees_extensions(client, org):
    one, two = org.employee("One"), org.employee("Two")
    of_one = [org.extension("1", employee_id=one), org.extension("2", employee_id=one)]
    org.extension("3", employee_id=two)
    org.extension("4")
    headers = org.headers(AccessLevel.VIEWER)
    assert listed_ids(client, headers, employee=one.upper(), sort="number") == of_one
    assert listed(client, headers, employee=new_id())["total"] == 0


def test_customer_parameter_lists_another_reachable_customer(client, factory):
    reseller = Org(factory, factory.customer(name="Reseller"))
    child = Org(factory, factory.customer(parent=reseller.customer, name="Child"))
    in_child = child.extension("100")
    reseller.extension("100")
    headers = reseller.headers(AccessLevel.RESELLER)
    assert listed_ids(client, headers, customer=child.customer) == [in_child]
    body = listed(client, headers, customer=child.customer.upper())
    assert body["extensions"][0]["customer"] == child.customer


# --- PERSONAL: own extensions only -------------------------------------------------------


def test_personal_sees_only_its_own_extensions(client, org):
    me = org.employee("Me", AccessLevel.PERSONAL)
    someone = org.employee("Someone")
    mine = [org.extension("20", employee_id=me), org.extension("100", employee_id=me)]
    theirs = org.extension("30", employee_id=someone)
    unassigned = org.extension("40")
    headers = auth(org.factory.token(me))
    body = listed(client, headers, sort="number")
    assert ([e["_id"] for e in body["extensions"]], body["total"]) == (mine, 2)
    assert listed_ids(client, headers, employee=me, sort="number") == mine
    assert listed_ids(client, headers, customer=org.customer, sort="number") == mine
    assert listed_ids(client, headers, filter="100") == [mine[1]]
    response = client.get(URL, params={"employee": someone}, headers=headers)
    assert_error(response, 403, "access_denied", "employee")
    assert fetch(client, headers, mine[0])["_id"] == mine[0]
    for hidden in (theirs, unassigned):
        assert_error(client.get(f"{URL}/{hidden}", headers=headers), 404, "not_found")


# --- get ---------------------------------------------------------------------------------


def test_get_answers_every_field(client, org):
    employee = org.employee("Anna")
    extension_id = org.extension("4711", name="Anna", direct="+4570305050", employee_id=employee)
    expected = {
        "_id": extension_id,
        "customer": org.customer,
        "number": "4711",
        "name": "Anna",
        "direct": "+4570305050",
        "employee": employee,
        "notes": "",
    }
    headers = org.headers(AccessLevel.VIEWER)
    assert fetch(client, headers, extension_id) == expected
    assert fetch(client, headers, extension_id.upper()) == expected
    assert listed(client, headers)["extensions"] == [expected]


def test_get_unknown_is_404_and_malformed_is_400(client, org):
    headers = org.headers(AccessLevel.VIEWER)
    assert_error(client.get(f"{URL}/{new_id()}", headers=headers), 404, "not_found")
    assert_error(client.get(f"{URL}/4711", headers=headers), 400, "bad_request", "id")


# --- create ------------------------------------------------------------------------------


def test_create_with_every_field(client, org):
    employee = org.employee("Bo")
    body = {
        "number": "200",
        "name": "Bo's line",
        "direct": "+4570305050",
        "employee": employee.upper(),
        "notes": "Reception",
    }
    made = ok(client.post(URL, json=body, headers=org.headers()))
    assert set(made) == KEYS
    assert made == {
        **body,
        "_id": made["_id"],
        "customer": org.customer,
        "employee": employee,  # ids are stored lower case
    }
    assert fetch(client, org.headers(), made["_id"]) == made


def test_create_defaults(client, org):
    made = ok(client.post(URL, json={"number": "1"}, headers=org.headers()))
    assert made == {
        "_id": made["_id"],
        "customer": org.customer,
        "number": "1",
        "name": "",
        "direct": None,
        "employee": None,
        "notes": "",
    }


def test_create_in_a_reachable_customer(client, factory):
    reseller = Org(factory, factory.customer(name="Reseller"))
    child = Org(factory, factory.customer(parent=reseller.customer, name="Child"))
    body = {"number": "300", "customer": child.customer.upper()}
    made = ok(client.post(URL, json=body, headers=reseller.headers(AccessLevel.RESELLER)))
    assert made["customer"] == child.customer
    assert listed_ids(client, child.headers()) == [made["_id"]]
    assert listed(client, reseller.headers())["total"] == 0


def test_number_is_unique_within_a_customer_only(client, engine, org, other_org):
    org.extension("500", name="first")
    before = rows_of(engine, Extension, org.customer)
    response = client.post(URL, json={"number": "500", "name": "second"}, headers=org.headers())
    assert_error(response, 409, "number", "number")
    assert rows_of(engine, Extension, org.customer) == before
    # the same number in another customer is another extension
    made = ok(client.post(URL, json={"number": "500"}, headers=other_org.headers()))
    assert made["customer"] == other_org.customer
    # "0500" is another number than "500"
    ok(client.post(URL, json={"number": "0500"}, headers=org.headers()))


def test_employee_must_belong_to_the_same_customer(client, engine, org, other_org):
    stranger = other_org.employee("Stranger")
    for employee in (stranger, new_id()):
        response = client.post(
            URL, json={"number": "1", "employee": employee}, headers=org.headers()
        )
        assert_error(response, 404, "not_found", "employee")
    assert rows_of(engine, Extension, org.customer) == []
    assert rows_of(engine, Extension, other_org.customer) == []


INVALID_BODIES = [
    ({"number": ""}, "number"),
    ({"number": "12a"}, "number"),
    ({"number": "+4512"}, "number"),
    ({"number": " 12"}, "number"),
    ({"number": "1" * 17}, "number"),
    ({"number": "12\n"}, "number"),
    ({"number": "١٢"}, "number"),  # digits, but not ASCII ones
    ({"number": 12}, "number"),
    ({"number": None}, "number"),
    ({"name": None}, "name"),
    ({"name": "n" * 201}, "name"),
    ({"name": 5}, "name"),
    ({"notes": None}, "notes"),
    ({"notes": "x" * 10_001}, "notes"),
    ({"notes": "nul\x00"}, "notes"),
    ({"direct": "4570305050"}, "direct"),
    ({"direct": "+04570305050"}, "direct"),
    ({"direct": "+45 70 30 50 50"}, "direct"),
    ({"direct": "+45123"}, "direct"),
    ({"direct": "+4512345678901234"}, "direct"),
    ({"direct": ""}, "direct"),
    ({"direct": "+4570305050\n"}, "direct"),
    ({"employee": "someone"}, "employee"),
    ({"_id": "5e0f00000000000000000001"}, "_id"),
    ({"online": True}, "online"),
]


@pytest.mark.parametrize(("change", "field"), INVALID_BODIES)
def test_create_refuses_invalid_fields_and_writes_nothing(client, engine, org, change, field):
    response = client.post(URL, json={"number": "10", **change}, headers=org.headers())
    assert_error(response, 400, "bad_request", field)
    assert rows_of(engine, Extension, org.customer) == []


def test_create_requires_a_number(client, engine, org):
    response = client.post(URL, json={"name": "No number"}, headers=org.headers())
    assert_error(response, 400, "bad_request", "number")
    assert rows_of(engine, Extension, org.customer) == []


# --- partial update ----------------------------------------------------------------------


def test_update_changes_only_what_is_sent(client, org):
    employee = org.employee("Cai")
    extension_id = org.extension("10", name="Old", direct="+4570000001", employee_id=employee)
    before = fetch(client, org.headers(), extension_id)
    after = ok(update(client, org.headers(), extension_id, {"name": "New"}))
    assert after == {**before, "name": "New"}
    assert fetch(client, org.headers(), extension_id) == after


def test_update_every_field(client, org):
    old_employee, new_employee = org.employee("Old"), org.employee("New")
    extension_id = org.extension("10", direct="+4570000001", employee_id=old_employee)
    change = {
        "number": "11",
        "name": "Renamed",
        "direct": "+4570000002",
        "employee": new_employee,
        "notes": "moved",
    }
    after = ok(update(client, org.headers(), extension_id, change))
    assert after == {"_id": extension_id, "customer": org.customer, **change}
    assert fetch(client, org.headers(), extension_id) == after


def test_direct_and_employee_can_be_cleared_with_null(client, org):
    extension_id = org.extension("10", direct="+4570000001", employee_id=org.employee())
    after = ok(update(client, org.headers(), extension_id, {"direct": None, "employee": None}))
    assert (after["direct"], after["employee"]) == (None, None)


def test_empty_update_changes_nothing(client, engine, org):
    extension_id = org.extension("10", name="Same")
    before = rows_of(engine, Extension, org.customer)
    assert ok(update(client, org.headers(), extension_id, {}))["name"] == "Same"
    assert rows_of(engine, Extension, org.customer) == before


def test_update_to_a_number_in_use_is_409(client, engine, org, other_org):
    org.extension("10")
    extension_id = org.extension("11")
    other_org.extension("12")
    before = rows_of(engine, Extension, org.customer)
    assert_error(update(client, org.headers(), extension_id, {"number": "10"}), 409, "number")
    assert rows_of(engine, Extension, org.customer) == before
    # its own number, and a number used in another customer only, are fine
    assert ok(update(client, org.headers(), extension_id, {"number": "11"}))["number"] == "11"
    assert ok(update(client, org.headers(), extension_id, {"number": "12"}))["number"] == "12"


def test_update_to_another_customers_employee_is_404(client, engine, org, other_org):
    extension_id = org.extension("10")
    before = rows_of(engine, Extension, org.customer)
    response = update(client, org.headers(), extension_id, {"employee": other_org.employee()})
    assert_error(response, 404, "not_found", "employee")
    assert rows_of(engine, Extension, org.customer) == before


INVALID_UPDATES = [
    *INVALID_BODIES,
    ({"customer": "5e0f00000000000000000001"}, "customer"),
    ({"_id": None}, "_id"),
    ({"number": "20", "customer": "5e0f00000000000000000001"}, "customer"),
]


@pytest.mark.parametrize(("change", "field"), INVALID_UPDATES)
def test_update_refuses_invalid_fields_and_writes_nothing(client, engine, org, change, field):
    extension_id = org.extension("10", name="Kept", employee_id=org.employee())
    before = rows_of(engine, Extension, org.customer)
    assert_error(update(client, org.headers(), extension_id, change), 400, "bad_request", field)
    assert rows_of(engine, Extension, org.customer) == before


def test_update_unknown_is_404(client, org):
    assert_error(update(client, org.headers(), new_id(), {"name": "x"}), 404, "not_found")


# --- delete ------------------------------------------------------------------------------


def test_delete_leaves_the_phones_unassigned(client, engine, org):
    extension_id = org.extension("10")
    kept_extension = org.extension("11")
    on_it = [org.factory.phone(org.customer, extension_id=extension_id) for _ in range(2)]
    on_kept = org.factory.phone(org.customer, extension_id=kept_extension)
    headers = org.headers()
    assert set(phones(client, headers, available="true")) == set()
    response = client.delete(f"{URL}/{extension_id.upper()}", headers=headers)
    assert ok(response) == {"success": True}
    assert_error(client.get(f"{URL}/{extension_id}", headers=headers), 404, "not_found")
    assert listed_ids(client, headers) == [kept_extension]
    available = phones(client, headers, available="true")
    assert set(available) == {phone.id for phone in on_it}
    assert all(phone["extension"] is None for phone in available.values())
    assert phones(client, headers)[on_kept.id]["extension"]["_id"] == kept_extension
    # the phones themselves are still there, unchanged apart from the assignment
    assert len(rows_of(engine, SipPhone, org.customer)) == 3
    assert_error(client.delete(f"{URL}/{extension_id}", headers=headers), 404, "not_found")


def test_delete_malformed_id_is_400(client, org):
    assert_error(client.delete(f"{URL}/x", headers=org.headers()), 400, "bad_request", "id")


# --- the phone list follows at once ------------------------------------------------------


def test_phone_list_follows_a_changed_number_and_direct_number(client, org):
    extension_id = org.extension("4100", direct="+4570004100")
    phone = org.factory.phone(org.customer, extension_id=extension_id)
    headers = org.headers()
    ok(update(client, headers, extension_id, {"number": "4199", "direct": "+4570004199"}))
    shown = phones(client, headers)[phone.id]["extension"]
    assert shown == {"_id": extension_id, "number": "4199", "direct": "+4570004199"}
    assert set(phones(client, headers, filter="4199")) == {phone.id}
    assert set(phones(client, headers, filter="+4570004199")) == {phone.id}
    assert set(phones(client, headers, filter="4100")) == set()
    ok(update(client, headers, extension_id, {"direct": None}))
    assert phones(client, headers)[phone.id]["extension"]["direct"] is None


def test_phone_list_follows_a_changed_employee(client, engine, org):
    quill, ravn = org.employee("Quill Hansen"), org.employee("Ravn Olsen")
    extension_id = org.extension("10", employee_id=quill)
    phone = org.factory.phone(org.customer, extension_id=extension_id)
    headers = org.headers()
    assert phones(client, headers)[phone.id]["employee"] == {"_id": quill, "name": "Quill Hansen"}
    ok(update(client, headers, extension_id, {"employee": ravn}))
    assert phones(client, headers)[phone.id]["employee"] == {"_id": ravn, "name": "Ravn Olsen"}
    assert set(phones(client, headers, filter="ravn")) == {phone.id}
    assert set(phones(client, headers, filter="quill")) == set()
    # the employee's own name
    rename_employee(engine, ravn, "Ravn Sørensen")
    assert phones(client, headers)[phone.id]["employee"]["name"] == "Ravn Sørensen"
    assert set(phones(client, headers, filter="sørensen")) == {phone.id}
    assert set(phones(client, headers, filter="olsen")) == set()
    assert listed_ids(client, headers, filter="sørensen") == [extension_id]
    ok(update(client, headers, extension_id, {"employee": None}))
    assert phones(client, headers)[phone.id]["employee"] is None
    assert set(phones(client, headers, filter="sørensen")) == set()


# --- access ------------------------------------------------------------------------------

# operator ─┬─ reseller_a ─┬─ cust_a1
#           │              └─ sub_a ── cust_a2
#           └─ reseller_b ── cust_b1
PARENTS = {
    "operator": None,
    "reseller_a": "operator",
    "cust_a1": "reseller_a",
    "sub_a": "reseller_a",
    "cust_a2": "sub_a",
    "reseller_b": "operator",
    "cust_b1": "reseller_b",
}
ALL_LEVELS = list(AccessLevel)


def descendants(key: str) -> set[str]:
    found = {key}
    while below := {child for child, parent in PARENTS.items() if parent in found} - found:
        found |= below
    return found


def reaches(level: AccessLevel, actor: str, target: str) -> bool:
    if level is AccessLevel.ADMIN:
        return True
    if level.is_reseller:
        return target in descendants(actor)
    return target == actor


@dataclass
class World:
    factory: Factory
    ids: dict[str, str]
    _tokens: dict[tuple[str, AccessLevel], tuple[str, str]] = field(default_factory=dict)

    def login(self, key: str, level: AccessLevel) -> tuple[str, dict]:
        """(employee id, headers) of a login of that level in that customer."""
        if (key, level) not in self._tokens:
            employee = self.factory.employee(self.ids[key], level, name=f"{level} of {key}")
            self._tokens[key, level] = (employee, self.factory.token(employee))
        employee, token = self._tokens[key, level]
        return employee, auth(token)


@pytest.fixture(scope="module")
def world(engine) -> World:
    factory = Factory(make_session_factory(engine))
    ids: dict[str, str] = {}
    for key, parent in PARENTS.items():
        ids[key] = factory.customer(parent=ids[parent] if parent else None, name=key)
    return World(factory, ids)


ACTORS = ["reseller_a", "cust_a1"]
_numbers = itertools.count(1000)


def next_number() -> str:
    """Extension numbers never used before in this run (the world's customers are shared)."""
    return str(next(_numbers))


TARGETS = list(PARENTS)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("level", ALL_LEVELS)
@pytest.mark.parametrize("actor", ACTORS)
def test_access_matrix(client, engine, world, actor, level, target):
    """Each level, in a reseller and in a plain customer, against its own, a child, a
    grandchild, a parent, a sibling and a foreign customer: read and write."""
    employee, headers = world.login(actor, level)
    customer = world.ids[target]
    reach = reaches(level, actor, target)
    own_extension = world.factory.extension(customer, next_number())
    phone = world.factory.phone(customer, extension_id=own_extension)
    # A PERSONAL caller sees the extensions of its own employee only.
    mine = (
        world.factory.extension(customer, next_number(), employee_id=employee)
        if target == actor
        else None
    )

    # -- read: the list
    response = client.get(URL, params={"customer": customer, "limit": 1000}, headers=headers)
    if not level.at_least(AccessLevel.PERSONAL):
        assert_error(response, 403, "access_denied", None)
    elif not reach:
        assert_error(response, 403, "access_denied", "customer")
    else:
        ids = {extension["_id"] for extension in ok(response)["extensions"]}
        if level is AccessLevel.PERSONAL:
            assert ids == {mine}
        else:
            assert {own_extension} <= ids
    # -- read: one record
    response = client.get(f"{URL}/{own_extension}", headers=headers)
    if not level.at_least(AccessLevel.PERSONAL):
        assert_error(response, 403, "access_denied", None)
    elif reach and level.at_least(AccessLevel.VIEWER):
        assert ok(response)["_id"] == own_extension
    else:
        assert_error(response, 404, "not_found", None)

    # -- write: create, update, delete
    before = snapshot(engine, customer)
    number = next_number()
    created = client.post(URL, json={"number": number, "customer": customer}, headers=headers)
    updated = update(client, headers, own_extension, {"name": "changed"})
    deleted = client.delete(f"{URL}/{own_extension}", headers=headers)
    if not level.at_least(AccessLevel.MANAGER):
        for response in (created, updated, deleted):
            assert_error(response, 403, "access_denied", None)
        assert snapshot(engine, customer) == before
    elif not reach:
        assert_error(created, 403, "access_denied", "customer")
        assert_error(updated, 404, "not_found", None)
        assert_error(deleted, 404, "not_found", None)
        assert snapshot(engine, customer) == before
    else:
        assert ok(created)["customer"] == customer
        assert ok(updated)["name"] == "changed"
        assert ok(deleted) == {"success": True}
        after = {row["id"]: row["number"] for row in rows_of(engine, Extension, customer)}
        assert own_extension not in after
        assert number in after.values()
        [unassigned] = [row for row in rows_of(engine, SipPhone, customer) if row["id"] == phone.id]
        assert unassigned["extension_id"] is None


def test_no_token_is_401(client, org):
    extension_id = org.extension("1")
    assert_error(client.get(URL), 401, "credentials_invalid")
    assert_error(client.get(f"{URL}/{extension_id}"), 401, "credentials_invalid")
    assert_error(client.post(URL, json={"number": "2"}), 401, "credentials_invalid")
    assert_error(client.delete(f"{URL}/{extension_id}"), 401, "credentials_invalid")
