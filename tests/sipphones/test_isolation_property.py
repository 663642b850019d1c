"""Isolation as a property (issue 5): random reseller trees, callers of every level,
phones, extensions and employees everywhere; every list (with and without `customer`, with
random filters), read, update, credential reset and delete of SIP phones, extensions,
employees and customers reaches exactly what the access rules allow, never one record
more, and what is refused stays untouched."""

import secrets
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbxapi.auth.levels import AccessLevel

LEVELS = [
    AccessLevel.VIEWER, AccessLevel.MANAGER, AccessLevel.OWNER, AccessLevel.RESELLER,
    AccessLevel.RESELLER_ADMIN, AccessLevel.ADMIN,
]  # fmt: skip


@st.composite
def worlds(draw):
    """parents[i] is the index of customer i's parent (None: top level); phones per customer;
    the caller's customer and level."""
    size = draw(st.integers(min_value=2, max_value=7))
    parents = [None]
    for i in range(1, size):
        parents.append(draw(st.one_of(st.none(), st.integers(min_value=0, max_value=i - 1))))
    phones = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size))
    caller = draw(st.integers(0, size - 1))
    level = draw(st.sampled_from(LEVELS))
    return parents, phones, caller, level


def reachable(parents: list, caller: int, level: AccessLevel) -> set[int]:
    if level is AccessLevel.ADMIN:
        return set(range(len(parents)))
    if not level.is_reseller:
        return {caller}
    below = {caller}
    changed = True
    while changed:
        changed = False
        for child, parent in enumerate(parents):
            if parent in below and child not in below:
                below.add(child)
                changed = True
    return below


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(world=worlds())
def test_every_caller_reaches_exactly_what_the_rules_allow(client, factory, world):
    parents, phone_counts, caller, level = world
    ids: list[str] = []
    for parent in parents:
        ids.append(factory.customer(parent=None if parent is None else ids[parent]))
    phones = {i: [factory.phone(ids[i]).id for _ in range(n)] for i, n in enumerate(phone_counts)}
    headers = {"Authorization": f"Bearer {factory.login(ids[caller], level)}"}
    allowed = reachable(parents, caller, level)

    for target, customer in enumerate(ids):
        response = client.get("/pbx/sipphone", params={"customer": customer, "limit": 1000},
                              headers=headers)  # fmt: skip
        if target in allowed:
            assert response.status_code == 200, (world, target)
            assert [p["_id"] for p in response.json()["sipPhones"]] == phones[target]
        else:
            assert response.status_code == 403, (world, target)
            assert response.json()["error"] == "access_denied"
        for phone in phones[target]:
            shown = client.get(f"/pbx/sipphone/{phone}", headers=headers)
            assert shown.status_code == (200 if target in allowed else 404), (world, phone)
    # without `customer`: the caller's own phones, exactly
    own = client.get("/pbx/sipphone", params={"limit": 1000}, headers=headers).json()
    assert [p["_id"] for p in own["sipPhones"]] == phones[caller]

    # writes: VIEWER writes nothing; the others write exactly the phones they reach
    writes = level is not AccessLevel.VIEWER
    for target, customer_phones in phones.items():
        expected = (200 if target in allowed else 404) if writes else 403
        for phone in customer_phones:
            changed = client.post(f"/pbx/sipphone/{phone}", json={"notes": "touched"},
                                  headers=headers)  # fmt: skip
            reset = client.get(f"/pbx/sipphone/{phone}/resetcredentials", headers=headers)
            deleted = client.delete(f"/pbx/sipphone/{phone}", headers=headers)
            assert (changed.status_code, reset.status_code, deleted.status_code) == (
                expected,
                expected,
                expected,
            ), (world, target)
    # what was refused is still there, untouched
    for target, customer_phones in phones.items():
        if writes and target in allowed:
            continue
        admin = {"Authorization": f"Bearer {factory.login(ids[target], AccessLevel.ADMIN)}"}
        for phone in customer_phones:
            kept = client.get(f"/pbx/sipphone/{phone}", headers=admin)
            assert kept.status_code == 200
            assert kept.json()["notes"] == ""


# --- extensions, employees and customers -------------------------------------------------

NAMES = ["Anna Berg", "Bo Dahl", "Cai Bergholt", "Dorte Ahl"]
# terms that match some of NAMES, in other case, and one that matches none
TERMS = ["berg", "AHL", "bo", "an", "zq"]
EVERY_LEVEL = [AccessLevel.PERSONAL, *LEVELS]


@dataclass
class Staffed:
    """A random world of customers with employees and extensions, built in the database,
    and logins of two random levels in one customer of it: both read, the first writes."""

    parents: list
    caller: int  # the customer of the logins
    level: AccessLevel  # the level that writes
    customers: list[str]  # ids
    # per customer: (id, name, level) of each employee; the logins included
    employees: dict[int, list[tuple[str, str, AccessLevel]]]
    # per customer: (id, number, name, employee id or None) of each extension
    extensions: dict[int, list[tuple[str, str, str, str | None]]]
    logins: dict[AccessLevel, tuple[str, dict]]  # level: (employee id, headers)
    admin: dict  # an ADMIN of a customer outside the world, to look at what is left
    tag: str  # in every customer's name: finds the world's customers among all

    def allowed(self, level: AccessLevel) -> set[int]:
        return reachable(self.parents, self.caller, level)


@st.composite
def staffed_worlds(draw):
    parents, _, caller, _ = draw(worlds())
    size = len(parents)
    employee = st.tuples(st.sampled_from(NAMES), st.sampled_from(list(AccessLevel)))
    employees = draw(st.lists(st.lists(employee, max_size=2), min_size=size, max_size=size))
    # an extension: its name, and whose it is (None: nobody's; -1: the PERSONAL login's if any;
    # n: the customer's n-th employee, when there is one)
    extension = st.tuples(st.sampled_from(NAMES), st.one_of(st.none(), st.integers(-1, 1)))
    extensions = draw(st.lists(st.lists(extension, max_size=3), min_size=size, max_size=size))
    levels = draw(st.lists(st.sampled_from(EVERY_LEVEL), min_size=2, max_size=2, unique=True))
    login_name = draw(st.sampled_from(NAMES))
    filters = draw(st.lists(st.one_of(st.none(), st.sampled_from(TERMS)), min_size=3, max_size=3))
    return parents, caller, levels, login_name, employees, extensions, filters


def build(factory, drawn) -> tuple[Staffed, list]:
    parents, caller, levels, login_name, employees, extensions, filters = drawn
    tag = f"iso{secrets.token_hex(5)}"
    customers: list[str] = []
    for n, parent in enumerate(parents):
        parent_id = None if parent is None else customers[parent]
        customers.append(factory.customer(parent=parent_id, name=f"{tag} {NAMES[n % 4]}"))
    staff = {
        n: [(factory.employee(customers[n], lvl, name=name), name, lvl) for name, lvl in people]
        for n, people in enumerate(employees)
    }
    logins = {}
    for login_level in levels:
        employee = factory.employee(customers[caller], login_level, name=login_name)
        staff[caller].append((employee, login_name, login_level))
        logins[login_level] = (employee, {"Authorization": f"Bearer {factory.token(employee)}"})
    lines: dict[int, list] = {}
    for n, wanted in enumerate(extensions):
        lines[n] = []
        for number, (name, whose) in enumerate(wanted, start=100):
            if whose == -1 and n == caller and AccessLevel.PERSONAL in logins:
                owner = logins[AccessLevel.PERSONAL][0]
            elif whose is not None and 0 <= whose < len(employees[n]):
                owner = staff[n][whose][0]
            else:
                owner = None
            extension = factory.extension(customers[n], str(number), name=name, employee_id=owner)
            lines[n].append((extension, str(number), name, owner))
    operator = factory.customer(name="Isolation operator")
    world = Staffed(
        parents=parents, caller=caller, level=levels[0], customers=customers, employees=staff,
        extensions=lines, logins=logins,
        admin={"Authorization": f"Bearer {factory.login(operator, AccessLevel.ADMIN)}"},
        tag=tag,
    )  # fmt: skip
    return world, filters


def matches(term: str | None, *texts: str | None) -> bool:
    """The filter rule for one term: a case-insensitive substring of some field."""
    return term is None or any(term.lower() in text.lower() for text in texts if text)


def ids_of(response, key: str) -> list[str]:
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["total"] == len(answer[key])
    return sorted(item["_id"] for item in answer[key])


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(drawn=staffed_worlds())
def test_extensions_reach_exactly_what_the_rules_allow(client, factory, drawn):
    world, filters = build(factory, drawn)
    names = {id: name for people in world.employees.values() for id, name, _ in people}

    for level, (me, headers) in world.logins.items():
        allowed = world.allowed(level)

        def visible(owner: str | None, level=level, me=me) -> bool:
            return level.at_least(AccessLevel.VIEWER) or owner == me

        for target, customer in enumerate(world.customers):
            term = filters[target % len(filters)]
            params = {"customer": customer, "limit": 1000} | ({"filter": term} if term else {})
            response = client.get("/pbx/extension", params=params, headers=headers)
            if target in allowed:
                assert ids_of(response, "extensions") == sorted(
                    id for id, number, name, owner in world.extensions[target]
                    if visible(owner) and matches(term, number, name, names.get(owner))
                ), (drawn, level, target)  # fmt: skip
            else:
                assert response.status_code == 403, (drawn, level, target)
                assert response.json()["error"] == "access_denied"
            for id, _, _, owner in world.extensions[target]:
                shown = client.get(f"/pbx/extension/{id}", headers=headers)
                reached = target in allowed and visible(owner)
                assert shown.status_code == (200 if reached else 404), (drawn, level, id)
        own = client.get("/pbx/extension", params={"limit": 1000}, headers=headers)
        assert ids_of(own, "extensions") == sorted(
            id for id, _, _, owner in world.extensions[world.caller] if visible(owner)
        ), (drawn, level)

    level, headers = world.level, world.logins[world.level][1]
    writes, allowed = level.at_least(AccessLevel.MANAGER), world.allowed(level)
    for target, lines in world.extensions.items():
        expected = (200 if target in allowed else 404) if writes else 403
        for id, _, _, _ in lines:
            changed = client.post(f"/pbx/extension/{id}", json={"name": "touched"},
                                  headers=headers)  # fmt: skip
            deleted = client.delete(f"/pbx/extension/{id}", headers=headers)
            assert (changed.status_code, deleted.status_code) == (expected, expected), (
                drawn, target, changed.text, deleted.text,
            )  # fmt: skip
    for target, lines in world.extensions.items():
        for id, _, name, _ in lines:
            kept = client.get(f"/pbx/extension/{id}", headers=world.admin)
            if writes and target in allowed:
                assert kept.status_code == 404
            else:
                assert kept.status_code == 200
                assert kept.json()["name"] == name


@SETTINGS
@given(drawn=staffed_worlds())
def test_employees_reach_exactly_what_the_rules_allow(client, factory, drawn):
    world, filters = build(factory, drawn)

    def visible(level: AccessLevel, me: str, target: int, id: str) -> bool:
        return target in world.allowed(level) and (level.at_least(AccessLevel.VIEWER) or id == me)

    for level, (me, headers) in world.logins.items():
        lists, allowed = level.at_least(AccessLevel.VIEWER), world.allowed(level)
        for target, customer in enumerate(world.customers):
            term = filters[target % len(filters)]
            params = {"customer": customer, "limit": 500} | ({"filter": term} if term else {})
            response = client.get("/employee", params=params, headers=headers)
            if lists and target in allowed:
                assert ids_of(response, "employees") == sorted(
                    id for id, name, _ in world.employees[target] if matches(term, name)
                ), (drawn, level, target)
            else:
                assert response.status_code == 403, (drawn, level, target)
                assert response.json()["error"] == "access_denied"
            for id, _, _ in world.employees[target]:
                shown = client.get(f"/employee/{id}", headers=headers)
                expected = 200 if visible(level, me, target, id) else 404
                assert shown.status_code == expected, (drawn, level, id)
        own = client.get("/employee", params={"limit": 500}, headers=headers)
        if lists:
            assert ids_of(own, "employees") == sorted(
                id for id, _, _ in world.employees[world.caller]
            )  # fmt: skip
        else:
            assert own.status_code == 403

    level, (me, headers) = world.level, world.logins[world.level]

    def expected_write(target: int, id: str, their_level: AccessLevel, delete: bool) -> int:
        if delete and not level.at_least(AccessLevel.MANAGER):
            return 403  # the route needs MANAGER
        if not visible(level, me, target, id):
            return 404
        if id == me:
            return 409 if delete else 200  # one's own name: anyone; deleting oneself: nobody
        if not level.at_least(AccessLevel.MANAGER) or not level.at_least(their_level):
            return 403
        return 200

    outcomes = {}
    for target, people in world.employees.items():
        for id, _, their_level in people:
            changed = client.post(f"/employee/{id}", json={"name": "Touched"}, headers=headers)
            want = expected_write(target, id, their_level, delete=False)
            assert changed.status_code == want, (drawn, target, their_level, changed.text)
            outcomes[id] = "Touched" if want == 200 else None
    for target, people in world.employees.items():
        for id, _, their_level in people:
            if id == me:
                continue  # deleting oneself is tried last: the token would go with it
            deleted = client.delete(f"/employee/{id}", headers=headers)
            want = expected_write(target, id, their_level, delete=True)
            assert deleted.status_code == want, (drawn, target, their_level, deleted.text)
            if want == 200:
                outcomes[id] = "gone"
    myself = client.delete(f"/employee/{me}", headers=headers)
    assert myself.status_code == expected_write(world.caller, me, level, delete=True)
    for people in world.employees.values():
        for id, name, _ in people:
            kept = client.get(f"/employee/{id}", headers=world.admin)
            if outcomes[id] == "gone":
                assert kept.status_code == 404
            else:
                assert kept.status_code == 200
                assert kept.json()["name"] == (outcomes[id] or name)


@SETTINGS
@given(drawn=staffed_worlds())
def test_customers_reach_exactly_what_the_rules_allow(client, factory, drawn):
    world, filters = build(factory, drawn)
    tag = world.tag
    names = {n: f"{tag} {NAMES[n % 4]}" for n in range(len(world.customers))}

    for level, (_, headers) in world.logins.items():
        reads, allowed = level.at_least(AccessLevel.VIEWER), world.allowed(level)
        for term in filters:
            params = {"filter": f"{tag} {term or ''}", "limit": 500}
            response = client.get("/customer", params=params, headers=headers)
            if reads:
                assert ids_of(response, "customers") == sorted(
                    world.customers[n] for n in allowed if matches(term, names[n])
                ), (drawn, level, term)
            else:
                assert response.status_code == 403
        for target, customer in enumerate(world.customers):
            shown = client.get(f"/customer/{customer}", headers=headers)
            expected = (200 if target in allowed else 404) if reads else 403
            assert shown.status_code == expected, (drawn, level, target)
            if expected == 200:
                assert shown.json()["name"] == names[target]

    level, headers = world.level, world.logins[world.level][1]
    writes, allowed = level.at_least(AccessLevel.RESELLER), world.allowed(level)
    renamed = set()
    for target, customer in enumerate(world.customers):
        changed = client.post(f"/customer/{customer}", json={"name": f"{tag} touched"},
                              headers=headers)  # fmt: skip
        expected = (200 if target in allowed else 404) if writes else 403
        assert changed.status_code == expected, (drawn, target, changed.text)
        if expected == 200:
            renamed.add(target)
    deleted = set()
    for target in reversed(range(len(world.customers))):  # children before their parents
        answer = client.delete(f"/customer/{world.customers[target]}", headers=headers)
        holds = world.employees[target] or world.extensions[target] or any(
            parent == target and child not in deleted for child, parent in enumerate(world.parents)
        )
        if not writes:
            expected = 403
        elif target not in allowed:
            expected = 404
        elif target == world.caller:
            expected = 403  # nobody deletes their own customer
        else:
            expected = 409 if holds else 200
        assert answer.status_code == expected, (drawn, target, answer.text)
        if expected == 200:
            deleted.add(target)
    for target, customer in enumerate(world.customers):
        kept = client.get(f"/customer/{customer}", headers=world.admin)
        if target in deleted:
            assert kept.status_code == 404
        else:
            assert kept.status_code == 200
            assert kept.json()["name"] == (f"{tag} touched" if target in renamed else names[target])
