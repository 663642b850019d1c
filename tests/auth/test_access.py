"""Which customers a caller reaches on GET /pbx/sipphone (issue 2, "Authentication and access").

The world, built once per module and database (the list is read-only, so tests share it):

    operator                      top-level reseller (parentReseller null)
    ├── reseller_a
    │   ├── cust_a1
    │   └── sub_a                 sub-reseller
    │       ├── cust_a2
    │       └── subsub_a          sub-sub-reseller
    │           └── cust_a3
    └── reseller_b
        ├── cust_b1
        └── sub_b                 sub-reseller
            └── cust_b2

Every customer (resellers too) owns its own phones, so every answer can be checked against
the exact set of phone ids of the customer asked for.
"""

from dataclasses import dataclass, field

import pytest
from sqlalchemy import update

from harness.factory import Factory
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.engine import make_session_factory, transaction
from pbxapi.db.tables import Customer
from pbxapi.ids import new_id

URL = "/pbx/sipphone"

PARENTS = {
    "operator": None,
    "reseller_a": "operator",
    "cust_a1": "reseller_a",
    "sub_a": "reseller_a",
    "cust_a2": "sub_a",
    "subsub_a": "sub_a",
    "cust_a3": "subsub_a",
    "reseller_b": "operator",
    "cust_b1": "reseller_b",
    "sub_b": "reseller_b",
    "cust_b2": "sub_b",
}
ALL = tuple(PARENTS)
TREE_A = ("reseller_a", "cust_a1", "sub_a", "cust_a2", "subsub_a", "cust_a3")
TREE_B = ("reseller_b", "cust_b1", "sub_b", "cust_b2")

CUSTOMER_LEVELS = [AccessLevel.VIEWER, AccessLevel.MANAGER, AccessLevel.OWNER]
RESELLER_LEVELS = [AccessLevel.RESELLER, AccessLevel.RESELLER_ADMIN]


def descendants(key: str) -> set[str]:
    """The customer and every customer below it, from the PARENTS table."""
    found = {key}
    changed = True
    while changed:
        below = {child for child, parent in PARENTS.items() if parent in found}
        changed = not below <= found
        found |= below
    return found


@dataclass
class World:
    factory: Factory
    ids: dict[str, str]
    phones: dict[str, set[str]]
    _tokens: dict[tuple[str, AccessLevel], str] = field(default_factory=dict)

    def token(self, key: str, level: AccessLevel) -> str:
        if (key, level) not in self._tokens:
            self._tokens[key, level] = self.factory.login(self.ids[key], level)
        return self._tokens[key, level]

    def key_of(self, customer_id: str) -> str:
        return next(key for key, value in self.ids.items() if value == customer_id)


@pytest.fixture(scope="module")
def world(engine) -> World:
    factory = Factory(make_session_factory(engine))
    ids: dict[str, str] = {}
    phones: dict[str, set[str]] = {}
    for position, (key, parent) in enumerate(PARENTS.items()):
        ids[key] = factory.customer(parent=ids[parent] if parent else None, name=key)
        # One to three phones each, so sets of different customers never coincide in size.
        phones[key] = {factory.phone(ids[key]).id for _ in range(1 + position % 3)}
    return World(factory, ids, phones)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def get(client, token: str, customer: str | None = None, **params):
    if customer is not None:
        params["customer"] = customer
    return client.get(URL, params=params, headers=auth(token))


def assert_lists(response, expected: set[str], why: str = "") -> None:
    assert response.status_code == 200, f"{why}: {response.text}"
    body = response.json()
    assert {phone["_id"] for phone in body["sipPhones"]} == expected, why
    assert body["total"] == len(expected), why


def assert_denied(response, why: str = "") -> None:
    assert response.status_code == 403, f"{why}: {response.text}"
    body = response.json()
    assert body["error"] == "access_denied", why
    assert body["field"] == "customer", why
    assert "sipPhones" not in body, why


def unknown_id() -> str:
    """Well-formed and never stored."""
    return new_id()


def mixed_case(customer_id: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(customer_id))


SPELLINGS = {"lower": str.lower, "upper": str.upper, "mixed": mixed_case}


def reaches(client, world: World, home: str, level: AccessLevel, targets) -> None:
    token = world.token(home, level)
    for target in targets:
        response = get(client, token, world.ids[target])
        assert_lists(response, world.phones[target], f"{level} of {home} -> {target}")


def denied(client, world: World, home: str, level: AccessLevel, targets) -> None:
    token = world.token(home, level)
    for target in targets:
        for spell in (str.lower, str.upper):
            response = get(client, token, spell(world.ids[target]))
            assert_denied(response, f"{level} of {home} -> {target}")


# -- VIEWER, MANAGER, OWNER: their own customer only ------------------------------------

# A customer-level employee of sub_a, which has a parent, a sibling and children.
CUSTOMER_HOME = "sub_a"
OUTSIDE_CUSTOMER_HOME = {
    "sibling": "cust_a1",
    "parent-reseller": "reseller_a",
    "top-level": "operator",
    "child": "cust_a2",
    "grandchild": "cust_a3",
    "foreign-reseller": "reseller_b",
    "foreign-customer": "cust_b2",
}


@pytest.mark.parametrize("level", CUSTOMER_LEVELS)
def test_customer_levels_default_to_own_customer(client, world, level):
    token = world.token(CUSTOMER_HOME, level)
    assert_lists(get(client, token), world.phones[CUSTOMER_HOME])


@pytest.mark.parametrize("level", CUSTOMER_LEVELS)
def test_customer_levels_reach_own_customer_explicitly_in_any_case(client, world, level):
    token = world.token(CUSTOMER_HOME, level)
    for name, spell in SPELLINGS.items():
        response = get(client, token, spell(world.ids[CUSTOMER_HOME]))
        assert_lists(response, world.phones[CUSTOMER_HOME], name)


@pytest.mark.parametrize("level", CUSTOMER_LEVELS)
@pytest.mark.parametrize("relation", list(OUTSIDE_CUSTOMER_HOME))
def test_customer_levels_are_denied_other_customers(client, world, level, relation):
    denied(client, world, CUSTOMER_HOME, level, [OUTSIDE_CUSTOMER_HOME[relation]])


@pytest.mark.parametrize("level", CUSTOMER_LEVELS)
def test_customer_levels_are_denied_unknown_customer(client, world, level):
    """403, not 404: the existence of a customer is not revealed."""
    token = world.token(CUSTOMER_HOME, level)
    unknown = get(client, token, unknown_id())
    existing = get(client, token, world.ids["cust_b1"])
    assert_denied(unknown)
    assert_denied(existing)
    assert unknown.json() == existing.json()


@pytest.mark.parametrize("level", CUSTOMER_LEVELS)
def test_customer_level_at_a_leaf_customer(client, world, level):
    assert_lists(get(client, world.token("cust_a3", level)), world.phones["cust_a3"])
    reaches(client, world, "cust_a3", level, ["cust_a3"])
    others = ["subsub_a", "sub_a", "reseller_a", "operator", "cust_a2", "cust_b2"]
    denied(client, world, "cust_a3", level, others)


# -- RESELLER, RESELLER_ADMIN: own customer and everything below --------------------------

RESELLER_HOMES = ["reseller_a", "sub_a", "subsub_a", "reseller_b", "sub_b"]


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_resellers_default_to_own_customer_only(client, world, level):
    """Without `customer` a reseller sees its own phones, not those of customers below."""
    for home in RESELLER_HOMES:
        assert_lists(get(client, world.token(home, level)), world.phones[home], home)


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_reseller_a_reaches_every_customer_below_at_any_depth(client, world, level):
    reaches(client, world, "reseller_a", level, TREE_A)


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_reseller_b_reaches_every_customer_below(client, world, level):
    reaches(client, world, "reseller_b", level, TREE_B)


@pytest.mark.parametrize("level", RESELLER_LEVELS)
@pytest.mark.parametrize(
    ("home", "others"),
    [("reseller_a", (*TREE_B, "operator")), ("reseller_b", (*TREE_A, "operator"))],
    ids=["reseller_a", "reseller_b"],
)
def test_resellers_are_denied_the_other_tree_and_their_parent(client, world, level, home, others):
    denied(client, world, home, level, others)


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_resellers_are_denied_unknown_customer(client, world, level):
    for home in RESELLER_HOMES:
        response = get(client, world.token(home, level), unknown_id())
        assert_denied(response, home)


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_sub_reseller_reaches_its_own_subtree(client, world, level):
    reaches(client, world, "sub_a", level, ["sub_a", "cust_a2", "subsub_a", "cust_a3"])
    reaches(client, world, "sub_b", level, ["sub_b", "cust_b2"])


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_sub_reseller_cannot_reach_its_parents_other_customers(client, world, level):
    denied(client, world, "sub_a", level, ["cust_a1", "reseller_a", "operator"])
    denied(client, world, "sub_b", level, ["cust_b1", "reseller_b", "operator"])
    denied(client, world, "sub_a", level, ["reseller_b", "cust_b1", "sub_b", "cust_b2"])


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_sub_sub_reseller_cannot_reach_upwards_or_sideways(client, world, level):
    reaches(client, world, "subsub_a", level, ["subsub_a", "cust_a3"])
    denied(client, world, "subsub_a", level, ["sub_a", "reseller_a", "cust_a2", "cust_a1"])


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_reseller_level_at_a_leaf_customer_reaches_only_itself(client, world, level):
    reaches(client, world, "cust_b1", level, ["cust_b1"])
    denied(client, world, "cust_b1", level, ["reseller_b", "sub_b", "cust_b2", "cust_a1"])


def test_reach_matches_the_tree_for_every_pair(client, world):
    """Every (caller home, target) pair of the world, against the PARENTS table."""
    level = AccessLevel.RESELLER_ADMIN
    for home in ALL:
        token = world.token(home, level)
        reach = descendants(home)
        for target in ALL:
            response = get(client, token, world.ids[target])
            why = f"{level} of {home} -> {target}"
            if target in reach:
                assert_lists(response, world.phones[target], why)
            else:
                assert_denied(response, why)


# -- ADMIN: everything ------------------------------------------------------------------


@pytest.mark.parametrize("home", ["operator", "cust_b2"], ids=["top-level", "leaf"])
def test_admin_reaches_every_customer(client, world, home):
    assert_lists(get(client, world.token(home, AccessLevel.ADMIN)), world.phones[home])
    reaches(client, world, home, AccessLevel.ADMIN, ALL)


def test_admin_unknown_customer_is_404(client, world):
    token = world.token("operator", AccessLevel.ADMIN)
    for name, spell in SPELLINGS.items():
        response = get(client, token, spell(unknown_id()))
        assert response.status_code == 404, f"{name}: {response.text}"
        body = response.json()
        assert body["error"] == "not_found"
        assert body["field"] == "customer"
        assert "sipPhones" not in body


# -- ids in any case; malformed ids -----------------------------------------------------


@pytest.mark.parametrize(
    ("home", "level", "target"),
    [
        ("sub_a", AccessLevel.VIEWER, "sub_a"),
        ("reseller_a", AccessLevel.RESELLER, "cust_a3"),
        ("reseller_b", AccessLevel.RESELLER_ADMIN, "sub_b"),
        ("operator", AccessLevel.ADMIN, "cust_b2"),
    ],
)
def test_customer_id_in_any_case(client, world, home, level, target):
    token = world.token(home, level)
    for name, spell in SPELLINGS.items():
        requested = spell(world.ids[target])
        assert_lists(get(client, token, requested), world.phones[target], name)
        # full=true names the customer in its canonical lower-case form.
        full = get(client, token, requested, full="true")
        customers = {phone["customer"] for phone in full.json()["sipPhones"]}
        assert customers == {world.ids[target]}, name


def malformed_ids(valid: str) -> dict[str, str]:
    return {
        "23-chars": valid[:23],
        "25-chars": valid + "a",
        "non-hex": "g" + valid[1:],
        "non-hex-upper": valid[:-1].upper() + "Z",
        "empty": "",
        "spaces": f" {valid} ",
        "trailing-newline": valid + "\n",
        "dashed": f"{valid[:8]}-{valid[8:]}",
        "non-ascii-digit": "\u0663" + valid[1:],
        "fullwidth-digit": "\uff10" + valid[1:],
    }


@pytest.mark.parametrize("kind", list(malformed_ids("0" * 24)))
def test_malformed_customer_id_is_400(client, world, kind):
    # Malformed versions of an id the caller can reach, so the 400 is about the shape alone.
    callers = [
        ("sub_a", AccessLevel.VIEWER),
        ("sub_a", AccessLevel.OWNER),
        ("reseller_a", AccessLevel.RESELLER),
        ("operator", AccessLevel.ADMIN),
    ]
    for home, level in callers:
        requested = malformed_ids(world.ids[home])[kind]
        response = get(client, world.token(home, level), requested)
        assert response.status_code == 400, f"{level}: {response.text}"
        body = response.json()
        assert body["error"] == "bad_request"
        assert body["field"] == "customer"
        assert "sipPhones" not in body


# -- isolation --------------------------------------------------------------------------


def test_no_answer_ever_mixes_customers(client, world):
    """Across resellers and ADMIN and every target, the phones returned all belong to the
    customer asked for, in both representations and when paging."""
    callers = [(home, AccessLevel.RESELLER) for home in ("reseller_a", "reseller_b")]
    callers.append(("operator", AccessLevel.ADMIN))
    for home, level in callers:
        token = world.token(home, level)
        for target in ALL:
            for params in ({"full": "true"}, {"limit": "1", "offset": "1"}):
                response = get(client, token, world.ids[target], **params)
                if response.status_code == 403:
                    assert target not in descendants(home)
                    continue
                assert response.status_code == 200, response.text
                returned = {phone["_id"] for phone in response.json()["sipPhones"]}
                assert returned <= world.phones[target]
                assert response.json()["total"] == len(world.phones[target])
                if "full" in params:
                    assert returned == world.phones[target]
                    customers = {p["customer"] for p in response.json()["sipPhones"]}
                    assert customers == {world.ids[target]}


# -- robustness of the reseller walk ------------------------------------------------------


def test_deep_reseller_chain_is_reached(client, factory):
    """Ten levels of sub-resellers: the top reseller reaches the bottom customer."""
    top = factory.customer(name="deep top")
    parent = top
    chain = []
    for depth in range(10):
        parent = factory.customer(parent=parent, name=f"deep {depth}")
        chain.append(parent)
    bottom_phone = factory.phone(chain[-1])
    middle_phone = factory.phone(chain[4])
    token = factory.login(top, AccessLevel.RESELLER)
    assert_lists(get(client, token, chain[-1]), {bottom_phone.id})
    assert_lists(get(client, token, chain[4]), {middle_phone.id})
    # The bottom customer's reseller-level employee reaches nothing above it.
    bottom_token = factory.login(chain[-1], AccessLevel.RESELLER_ADMIN)
    for above in (top, chain[0], chain[4], chain[-2]):
        assert_denied(get(client, bottom_token, above))


def test_parent_cycle_is_denied_not_an_error(client, factory, engine):
    """Corrupt data (a parentReseller cycle) must not hang or crash the walk."""
    first = factory.customer(name="cycle 1")
    second = factory.customer(parent=first, name="cycle 2")
    with transaction(make_session_factory(engine)) as session:
        session.execute(
            update(Customer).where(Customer.id == first).values(parent_reseller_id=second)
        )
    phone = factory.phone(second)
    outsider = factory.login(factory.customer(name="outsider"), AccessLevel.RESELLER)
    assert_denied(get(client, outsider, second))
    # Inside the cycle each reaches the other.
    assert_lists(get(client, factory.login(first, AccessLevel.RESELLER), second), {phone.id})
