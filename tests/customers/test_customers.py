"""The customer resource: GET/POST /customer, GET/POST/DELETE /customer/{id} (issue 3).

Every test builds its own tree; the caller's customer is `home`:

    top                 top-level (parentReseller null)
    ├── parent
    │   ├── home        the caller's customer
    │   │   └── child
    │   │       └── grandchild
    │   └── sibling
    └── foreign

Every name carries a tag unique to the test, so `Tree.rows()` reads exactly this test's
customers (those made through the API included) straight from the database: refused
requests are checked to leave them unchanged.
"""

import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, select, text

from harness.factory import Factory
from pbxapi.auth.caller import Caller
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.scope import MAX_RESELLER_DEPTH, CustomerScope
from pbxapi.customers import schemas, service
from pbxapi.customers.repository import TREE_LOCK_KEY
from pbxapi.db.engine import make_session_factory
from pbxapi.db.tables import Customer, SipPhone
from pbxapi.errors import Conflict
from pbxapi.ids import new_id

URL = "/customer"

PARENTS = {
    "top": None,
    "parent": "top",
    "home": "parent",
    "child": "home",
    "grandchild": "child",
    "sibling": "parent",
    "foreign": "top",
}
RELATIONS = ("own", "child", "grandchild", "sibling", "parent", "top", "foreign")

CUSTOMER_LEVELS = [AccessLevel.VIEWER, AccessLevel.MANAGER, AccessLevel.OWNER]
RESELLER_LEVELS = [AccessLevel.RESELLER, AccessLevel.RESELLER_ADMIN]
ALL_LEVELS = [*CUSTOMER_LEVELS, *RESELLER_LEVELS, AccessLevel.ADMIN]
# What a reseller in `home` reaches.
RESELLER_REACH = {"own", "child", "grandchild"}


def key_of(relation: str) -> str:
    return "home" if relation == "own" else relation


@dataclass
class Tree:
    factory: Factory
    engine: Engine
    tag: str
    ids: dict[str, str]
    _tokens: dict[tuple[str, AccessLevel], str] = field(default_factory=dict)

    def id(self, relation: str) -> str:
        return self.ids[key_of(relation)]

    def token(self, level: AccessLevel, relation: str = "own") -> str:
        if (relation, level) not in self._tokens:
            self._tokens[relation, level] = self.factory.login(self.id(relation), level)
        return self._tokens[relation, level]

    def name(self, text: str) -> str:
        return f"{self.tag} {text}"

    def rows(self) -> dict[str, tuple[str, str | None, str]]:
        """This test's customers, straight from the database: id -> (name, parent, state)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    Customer.id, Customer.name, Customer.parent_reseller_id, Customer.state
                ).where(Customer.name.like(f"{self.tag}%"))
            ).all()
        return {row.id: (row.name, row.parent_reseller_id, row.state) for row in rows}

    def wire(self, relation: str) -> dict:
        name, parent, state = self.rows()[self.id(relation)]
        return {"_id": self.id(relation), "name": name, "parentReseller": parent, "state": state}


@pytest.fixture
def tree(factory, engine) -> Tree:
    tag = f"t{secrets.token_hex(5)}"
    ids: dict[str, str] = {}
    for key, parent in PARENTS.items():
        ids[key] = factory.customer(parent=ids[parent] if parent else None, name=f"{tag} {key}")
    return Tree(factory, engine, tag, ids)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def get_one(client, token: str, customer_id: str):
    return client.get(f"{URL}/{customer_id}", headers=auth(token))


def get_list(client, token: str, **params):
    return client.get(URL, params=params, headers=auth(token))


def create(client, token: str, body: dict):
    return client.post(URL, json=body, headers=auth(token))


def update(client, token: str, customer_id: str, body: dict):
    return client.post(f"{URL}/{customer_id}", json=body, headers=auth(token))


def delete(client, token: str, customer_id: str):
    return client.delete(f"{URL}/{customer_id}", headers=auth(token))


def assert_error(response, status: int, code: str, field: str | None = None, why: str = ""):
    assert response.status_code == status, f"{why}: {response.status_code} {response.text}"
    body = response.json()
    assert body["error"] == code, why
    assert body.get("field") == field, why
    return body


def assert_not_found(response, why: str = "") -> None:
    assert response.status_code == 404, f"{why}: {response.text}"
    # Exactly the answer for an id that was never stored: existence is not revealed.
    assert response.json() == {"error": "not_found", "message": "customer not found"}, why


# -- success paths ---------------------------------------------------------------------------


def test_get_answers_the_customer(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    response = get_one(client, token, tree.ids["child"])
    assert response.status_code == 200, response.text
    assert response.json() == {
        "_id": tree.ids["child"],
        "name": tree.name("child"),
        "parentReseller": tree.ids["home"],
        "state": "ACTIVE",
    }


def test_get_accepts_the_id_in_any_case(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    response = get_one(client, token, tree.ids["grandchild"].upper())
    assert response.status_code == 200, response.text
    assert response.json()["_id"] == tree.ids["grandchild"]


def test_get_top_level_customer_has_null_parent(client, tree):
    response = get_one(client, tree.token(AccessLevel.ADMIN), tree.ids["top"])
    assert response.status_code == 200, response.text
    assert response.json() == {
        "_id": tree.ids["top"],
        "name": tree.name("top"),
        "parentReseller": None,
        "state": "ACTIVE",
    }


def test_get_shows_blocked_and_deleted_states(client, tree):
    tree.factory.set_state(Customer, tree.ids["child"], "BLOCKED")
    tree.factory.set_state(Customer, tree.ids["grandchild"], "DELETED")
    token = tree.token(AccessLevel.RESELLER)
    assert get_one(client, token, tree.ids["child"]).json()["state"] == "BLOCKED"
    assert get_one(client, token, tree.ids["grandchild"]).json()["state"] == "DELETED"


def test_list_of_a_reseller_is_its_subtree_in_id_order(client, tree):
    response = get_list(client, tree.token(AccessLevel.RESELLER))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "offset": 0,
        "limit": 100,
        "total": 3,
        "customers": [tree.wire("own"), tree.wire("child"), tree.wire("grandchild")],
    }


def test_list_pages_with_offset_and_limit(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    extra = [
        create(client, token, {"name": tree.name(f"extra {n}")}).json()["_id"] for n in range(4)
    ]
    everything = [tree.ids["home"], tree.ids["child"], tree.ids["grandchild"], *extra]
    assert everything == sorted(everything)  # ids are time-ordered: creation order
    seen = []
    for offset in range(0, 7, 2):
        body = get_list(client, token, offset=offset, limit=2).json()
        assert (body["offset"], body["limit"], body["total"]) == (offset, 2, 7)
        seen += [customer["_id"] for customer in body["customers"]]
    assert seen == everything
    past_the_end = get_list(client, token, offset=50, limit=2).json()
    assert (past_the_end["total"], past_the_end["customers"]) == (7, [])


def test_list_accepts_limit_bounds(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    assert get_list(client, token, limit=1).json()["customers"] == [tree.wire("own")]
    assert get_list(client, token, limit=500).json()["total"] == 3


def test_list_filter_matches_name_terms_case_insensitively(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    rename = {"child": "Ærø Telefoni A/S", "grandchild": "Ærø Bageri 100%"}
    for key, name in rename.items():
        assert update(client, token, tree.ids[key], {"name": name}).status_code == 200

    def ids(filter_text: str) -> list[str]:
        body = get_list(client, token, filter=filter_text).json()
        assert body["total"] == len(body["customers"])
        return [customer["_id"] for customer in body["customers"]]

    assert ids("ærø") == [tree.ids["child"], tree.ids["grandchild"]]
    assert ids("ÆRØ telefoni") == [tree.ids["child"]]
    assert ids("100%") == [tree.ids["grandchild"]]
    assert ids("0%") == [tree.ids["grandchild"]]
    assert ids("1_0") == []  # `_` is literal, not a wildcard
    assert ids(tree.tag) == [tree.ids["home"]]  # renamed ones lost the tag
    assert ids("Ærø nowhere") == []
    # Out of reach stays out of reach, however well it matches.
    assert ids("sibling") == []


def test_admin_list_holds_every_customer(client, tree):
    response = get_list(client, tree.token(AccessLevel.ADMIN), filter=tree.tag)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = sorted(tree.ids.values())
    assert [customer["_id"] for customer in body["customers"]] == expected
    assert body["total"] == len(PARENTS)


def test_create_defaults_to_below_the_callers_customer(client, tree):
    response = create(client, tree.token(AccessLevel.RESELLER), {"name": tree.name("new")})
    assert response.status_code == 200, response.text
    created = response.json()
    assert created == {
        "_id": created["_id"],
        "name": tree.name("new"),
        "parentReseller": tree.ids["home"],
        "state": "ACTIVE",
    }
    assert len(created["_id"]) == 24
    assert tree.rows()[created["_id"]] == (tree.name("new"), tree.ids["home"], "ACTIVE")
    assert get_one(client, tree.token(AccessLevel.RESELLER), created["_id"]).json() == created


def test_create_with_every_field(client, tree):
    token = tree.token(AccessLevel.RESELLER_ADMIN)
    body = {
        "name": f"  {tree.name('blocked new')}\t",
        "parentReseller": tree.ids["grandchild"].upper(),
        "state": "BLOCKED",
    }
    response = create(client, token, body)
    assert response.status_code == 200, response.text
    created = response.json()
    # The name is stored trimmed; the id in lower case.
    assert created["name"] == tree.name("blocked new")
    assert created["parentReseller"] == tree.ids["grandchild"]
    assert created["state"] == "BLOCKED"
    assert tree.rows()[created["_id"]] == (
        tree.name("blocked new"),
        tree.ids["grandchild"],
        "BLOCKED",
    )


def test_created_customer_is_reached_by_the_reseller_above(client, tree):
    """A customer made below `child` shows in the lists of `home` and `child` resellers."""
    home_token = tree.token(AccessLevel.RESELLER)
    created = create(
        client, home_token, {"name": tree.name("deep"), "parentReseller": tree.ids["child"]}
    ).json()
    child_token = tree.token(AccessLevel.RESELLER, "child")
    listed = get_list(client, child_token).json()
    assert [c["_id"] for c in listed["customers"]] == [
        tree.ids["child"],
        tree.ids["grandchild"],
        created["_id"],
    ]
    assert get_list(client, home_token).json()["total"] == 4


def test_admin_creates_a_top_level_customer(client, tree):
    response = create(
        client, tree.token(AccessLevel.ADMIN), {"name": tree.name("root"), "parentReseller": None}
    )
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["parentReseller"] is None
    assert tree.rows()[created["_id"]] == (tree.name("root"), None, "ACTIVE")


def test_admin_creates_anywhere(client, tree):
    token = tree.token(AccessLevel.ADMIN)
    for key in ("foreign", "sibling", "top"):
        response = create(
            client, token, {"name": tree.name(f"under {key}"), "parentReseller": tree.ids[key]}
        )
        assert response.status_code == 200, response.text
        assert response.json()["parentReseller"] == tree.ids[key]


def test_update_changes_only_the_sent_fields(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    response = update(client, token, tree.ids["child"], {"name": f" {tree.name('renamed')} "})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "_id": tree.ids["child"],
        "name": tree.name("renamed"),
        "parentReseller": tree.ids["home"],
        "state": "ACTIVE",
    }
    response = update(client, token, tree.ids["child"], {"state": "BLOCKED"})
    assert response.json()["state"] == "BLOCKED"
    assert response.json()["name"] == tree.name("renamed")
    assert tree.rows()[tree.ids["child"]] == (tree.name("renamed"), tree.ids["home"], "BLOCKED")


def test_update_with_empty_body_changes_nothing(client, tree):
    before = tree.rows()
    response = update(client, tree.token(AccessLevel.RESELLER), tree.ids["child"], {})
    assert response.status_code == 200, response.text
    assert response.json() == tree.wire("child")
    assert tree.rows() == before


def test_update_sets_every_state(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    for state in ("BLOCKED", "DELETED", "ACTIVE", "DELETED"):
        response = update(client, token, tree.ids["grandchild"], {"state": state})
        assert response.status_code == 200, response.text
        assert response.json()["state"] == state
        assert tree.rows()[tree.ids["grandchild"]][2] == state
    # DELETED by update is a state only: the customer is still there and still reached.
    assert get_one(client, token, tree.ids["grandchild"]).json()["state"] == "DELETED"


def test_deleted_state_ends_the_customers_tokens(client, tree):
    """Tokens of a DELETED customer's employees stop working; ACTIVE again restores them."""
    reseller = tree.token(AccessLevel.RESELLER)
    child_viewer = tree.token(AccessLevel.VIEWER, "child")
    assert get_list(client, child_viewer).status_code == 200
    assert update(client, reseller, tree.ids["child"], {"state": "DELETED"}).status_code == 200
    assert_error(get_list(client, child_viewer), 401, "credentials_invalid")
    assert update(client, reseller, tree.ids["child"], {"state": "ACTIVE"}).status_code == 200
    assert get_list(client, child_viewer).status_code == 200


def test_update_moves_a_customer_within_reach(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    # grandchild up to home, then back below child
    for new_parent in ("home", "child"):
        body = {"parentReseller": tree.ids[new_parent]}
        response = update(client, token, tree.ids["grandchild"], body)
        assert response.status_code == 200, response.text
        assert response.json()["parentReseller"] == tree.ids[new_parent]
        assert tree.rows()[tree.ids["grandchild"]][1] == tree.ids[new_parent]


def test_moved_subtree_goes_with_its_customer(client, tree):
    """ADMIN moves `child` (with `grandchild`) below `foreign`: the home reseller loses both,
    a reseller of `foreign` gains both."""
    admin = tree.token(AccessLevel.ADMIN)
    body = {"parentReseller": tree.ids["foreign"]}
    assert update(client, admin, tree.ids["child"], body).status_code == 200
    home_list = get_list(client, tree.token(AccessLevel.RESELLER)).json()
    assert [c["_id"] for c in home_list["customers"]] == [tree.ids["home"]]
    assert_not_found(get_one(client, tree.token(AccessLevel.RESELLER), tree.ids["grandchild"]))
    foreign_list = get_list(client, tree.token(AccessLevel.RESELLER, "foreign")).json()
    assert [c["_id"] for c in foreign_list["customers"]] == [
        tree.ids["child"],
        tree.ids["grandchild"],
        tree.ids["foreign"],
    ]


def test_admin_moves_a_customer_to_the_top_and_back(client, tree):
    admin = tree.token(AccessLevel.ADMIN)
    response = update(client, admin, tree.ids["foreign"], {"parentReseller": None})
    assert response.status_code == 200, response.text
    assert response.json()["parentReseller"] is None
    assert tree.rows()[tree.ids["foreign"]][1] is None
    response = update(client, admin, tree.ids["foreign"], {"parentReseller": tree.ids["top"]})
    assert response.json()["parentReseller"] == tree.ids["top"]


def test_update_of_own_customer_changes_the_name(client, tree):
    for level in [*RESELLER_LEVELS, AccessLevel.ADMIN]:
        name = tree.name(f"home renamed by {level}")
        response = update(client, tree.token(level), tree.ids["home"], {"name": name})
        assert response.status_code == 200, f"{level}: {response.text}"
        assert tree.rows()[tree.ids["home"]] == (name, tree.ids["parent"], "ACTIVE")


def test_update_of_own_customer_accepts_unchanged_parent_and_state(client, tree):
    """A client may send back what it read: unchanged values are no change."""
    token = tree.token(AccessLevel.RESELLER)
    read_back = get_one(client, token, tree.ids["home"]).json()
    body = {key: value for key, value in read_back.items() if key != "_id"}
    body["name"] = tree.name("home again")
    response = update(client, token, tree.ids["home"], body)
    assert response.status_code == 200, response.text
    assert response.json() == {**read_back, "name": tree.name("home again")}


def test_delete_removes_the_customer(client, tree):
    token = tree.token(AccessLevel.RESELLER)
    response = delete(client, token, tree.ids["grandchild"])
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert tree.ids["grandchild"] not in tree.rows()
    assert_not_found(get_one(client, token, tree.ids["grandchild"]))
    assert_not_found(delete(client, token, tree.ids["grandchild"]))
    # its parent has no children left now, so it can go too
    assert delete(client, token, tree.ids["child"].upper()).json() == {"success": True}
    assert get_list(client, token).json()["customers"] == [tree.wire("own")]


# -- validation: 400 naming the field --------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   \t "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": 123}, "name"),
        ({"name": None}, "name"),
        ({"name": "nul\x00inside"}, "name"),
        ({"name": "ok", "parentReseller": "not-an-id"}, "parentReseller"),
        ({"name": "ok", "parentReseller": "0" * 23}, "parentReseller"),
        ({"name": "ok", "parentReseller": 5}, "parentReseller"),
        ({"name": "ok", "state": "GONE"}, "state"),
        ({"name": "ok", "state": "active"}, "state"),
        ({"name": "ok", "state": "DELETED"}, "state"),
        ({"name": "ok", "state": None}, "state"),
        ({"name": "ok", "_id": "0" * 24}, "_id"),
        ({"name": "ok", "customer": "0" * 24}, "customer"),
        ({"name": "ok", "parent_reseller": "0" * 24}, "parent_reseller"),
    ],
)
def test_create_validation(client, tree, body, field):
    before = tree.rows()
    if field != "name":
        body = {**body, "name": tree.name(body["name"])}  # a leaked row would show up
    response = create(client, tree.token(AccessLevel.RESELLER), body)
    assert_error(response, 400, "bad_request", field)
    assert tree.rows() == before


def test_create_accepts_200_characters_of_name(client, tree):
    name = tree.name("x" * (200 - len(tree.name(""))))
    assert len(name) == 200
    response = create(client, tree.token(AccessLevel.RESELLER), {"name": name})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == name


def test_create_body_must_be_an_object(client, tree):
    before = tree.rows()
    token = tree.token(AccessLevel.RESELLER)
    for body in ([], "name", None):
        response = client.post(URL, json=body, headers=auth(token))
        assert response.status_code == 400, response.text
    response = client.post(URL, content=b"{not json", headers=auth(token))
    assert response.status_code == 400, response.text
    assert tree.rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": None}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"state": None}, "state"),
        ({"state": "PAUSED"}, "state"),
        ({"parentReseller": "xyz"}, "parentReseller"),
        ({"parentReseller": ["0" * 24]}, "parentReseller"),
        ({"_id": "0" * 24}, "_id"),
        ({"createdAt": "2020-01-01T00:00:00Z"}, "createdAt"),
        ({"name": "fine", "unknown": 1}, "unknown"),
    ],
)
def test_update_validation(client, tree, body, field):
    before = tree.rows()
    response = update(client, tree.token(AccessLevel.RESELLER), tree.ids["child"], body)
    assert_error(response, 400, "bad_request", field)
    assert tree.rows() == before


def test_update_with_own_id_in_body_is_refused(client, tree):
    """`_id` is read-only even when it repeats the path's id."""
    before = tree.rows()
    body = {"_id": tree.ids["child"], "name": tree.name("x")}
    response = update(client, tree.token(AccessLevel.RESELLER), tree.ids["child"], body)
    assert_error(response, 400, "bad_request", "_id")
    assert tree.rows() == before


@pytest.mark.parametrize("bad_id", ["123", "g" * 24, "0" * 25, "0" * 23])
def test_malformed_path_id_is_400(client, tree, bad_id):
    before = tree.rows()
    token = tree.token(AccessLevel.ADMIN)
    assert_error(get_one(client, token, bad_id), 400, "bad_request", "id")
    assert_error(update(client, token, bad_id, {"name": "x"}), 400, "bad_request", "id")
    assert_error(delete(client, token, bad_id), 400, "bad_request", "id")
    assert tree.rows() == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "1e3"}, "offset"),
        ({"filter": "x" * 201}, "filter"),
        ({"filter": "a\x00b"}, "filter"),
    ],
)
def test_list_parameter_validation(client, tree, params, field):
    assert_error(
        get_list(client, tree.token(AccessLevel.VIEWER), **params), 400, "bad_request", field
    )


def test_admin_naming_an_unknown_parent_is_404(client, tree):
    """Only an ADMIN can learn that a customer does not exist."""
    before = tree.rows()
    token = tree.token(AccessLevel.ADMIN)
    body = {"name": tree.name("orphan"), "parentReseller": new_id()}
    assert_error(create(client, token, body), 404, "not_found", "parentReseller")
    body = {"parentReseller": new_id()}
    assert_error(
        update(client, token, tree.ids["child"], body), 404, "not_found", "parentReseller"
    )
    assert tree.rows() == before


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_reseller_naming_an_unknown_parent_is_403_like_a_foreign_one(client, tree, level):
    before = tree.rows()
    token = tree.token(level)
    unknown = create(client, token, {"name": tree.name("x"), "parentReseller": new_id()})
    foreign = create(client, token, {"name": tree.name("x"), "parentReseller": tree.ids["foreign"]})
    assert_error(unknown, 403, "access_denied", "parentReseller")
    assert unknown.json() == foreign.json()
    moved = update(client, token, tree.ids["child"], {"parentReseller": new_id()})
    assert_error(moved, 403, "access_denied", "parentReseller")
    assert tree.rows() == before


# -- conflicts: 409 ----------------------------------------------------------------------------


@pytest.mark.parametrize("level", [*RESELLER_LEVELS, AccessLevel.ADMIN])
@pytest.mark.parametrize(
    ("moved", "new_parent"),
    [
        ("child", "child"),  # itself
        ("child", "grandchild"),  # A -> B -> A
        ("parent", "grandchild"),  # three levels down (ADMIN only reaches `parent`)
        ("top", "grandchild"),  # four levels down
        ("top", "foreign"),
    ],
)
def test_cycles_are_refused(client, tree, level, moved, new_parent):
    before = tree.rows()
    token = tree.token(level)
    response = update(client, token, tree.ids[moved], {"parentReseller": tree.ids[new_parent]})
    if level is not AccessLevel.ADMIN and moved in ("parent", "top"):
        assert_not_found(response)  # a reseller does not reach what is above it
    else:
        body = assert_error(response, 409, "parentReseller", "parentReseller")
        assert "itself or a customer below it" in body["message"]
    assert tree.rows() == before


def test_cycle_through_a_customer_made_by_the_api(client, tree):
    """A -> B -> C built through the API; C cannot take A below it, nor B."""
    token = tree.token(AccessLevel.RESELLER)
    a = create(client, token, {"name": tree.name("A")}).json()["_id"]
    b = create(client, token, {"name": tree.name("B"), "parentReseller": a}).json()["_id"]
    c = create(client, token, {"name": tree.name("C"), "parentReseller": b}).json()["_id"]
    before = tree.rows()
    for moved, new_parent in ((a, b), (a, c), (b, c), (a, a)):
        response = update(client, token, moved, {"parentReseller": new_parent})
        assert_error(response, 409, "parentReseller", "parentReseller")
    assert tree.rows() == before
    # Sideways is fine: C up below A, then B below C.
    assert update(client, token, c, {"parentReseller": a}).status_code == 200
    assert update(client, token, b, {"parentReseller": c}).status_code == 200
    assert tree.rows()[b][1] == c
    assert tree.rows()[c][1] == a


def _chain(tree: Tree, below: str, length: int) -> list[str]:
    """`length` customers, each below the one before, starting below `below`."""
    ids = []
    for depth in range(length):
        ids.append(
            tree.factory.customer(parent=ids[-1] if ids else below, name=tree.name(f"d{depth}"))
        )
    return ids


def test_customers_nest_at_most_max_depth_levels(client, tree):
    """CustomerScope walks the tree at most MAX_RESELLER_DEPTH levels: nothing deeper."""
    admin = tree.token(AccessLevel.ADMIN)
    # top is at depth 0: the chain reaches depth MAX_RESELLER_DEPTH exactly
    chain = _chain(tree, tree.ids["top"], MAX_RESELLER_DEPTH)
    before = tree.rows()
    response = create(client, admin, {"name": tree.name("too deep"), "parentReseller": chain[-1]})
    body = assert_error(response, 409, "parentReseller", "parentReseller")
    assert str(MAX_RESELLER_DEPTH) in body["message"]
    # `child` has one level below it: below chain[-2] grandchild would land too deep
    moved = update(client, admin, tree.ids["child"], {"parentReseller": chain[-2]})
    assert_error(moved, 409, "parentReseller", "parentReseller")
    assert tree.rows() == before
    # one level less fits
    moved = update(client, admin, tree.ids["child"], {"parentReseller": chain[-3]})
    assert moved.status_code == 200, moved.text
    response = create(client, admin, {"name": tree.name("deepest"), "parentReseller": chain[-2]})
    assert response.status_code == 200, response.text
    # and the deepest customer is still reached from the top
    top_reseller = tree.token(AccessLevel.RESELLER, "top")
    assert get_one(client, top_reseller, response.json()["_id"]).status_code == 200


def _delete_refused(client, tree: Tree, customer_id: str, remaining: str) -> None:
    before = tree.rows()
    response = delete(client, tree.token(AccessLevel.RESELLER), customer_id)
    body = assert_error(response, 409, "customer")
    assert remaining in body["message"]
    assert tree.rows() == before


def test_delete_refused_while_phones_remain(client, tree):
    phone = tree.factory.phone(tree.ids["grandchild"])
    _delete_refused(client, tree, tree.ids["grandchild"], "SIP phones (1)")
    with tree.engine.connect() as connection:
        assert connection.execute(select(SipPhone.id).where(SipPhone.id == phone.id)).first()


def test_delete_refused_while_extensions_remain(client, tree):
    tree.factory.extension(tree.ids["grandchild"], "100")
    tree.factory.extension(tree.ids["grandchild"], "101")
    _delete_refused(client, tree, tree.ids["grandchild"], "extensions (2)")


def test_delete_refused_while_employees_remain(client, tree):
    tree.factory.employee(tree.ids["grandchild"])
    _delete_refused(client, tree, tree.ids["grandchild"], "employees (1)")


def test_delete_refused_while_disabled_or_deleted_employees_remain(client, tree):
    tree.factory.employee(tree.ids["grandchild"], state="DELETED")
    tree.factory.employee(tree.ids["grandchild"], state="DISABLED")
    _delete_refused(client, tree, tree.ids["grandchild"], "employees (2)")


def test_delete_refused_while_customers_remain_below(client, tree):
    _delete_refused(client, tree, tree.ids["child"], "customers below it (1)")


def test_delete_conflict_names_everything_that_remains(client, tree):
    tree.factory.phone(tree.ids["child"])
    tree.factory.extension(tree.ids["child"], "200")
    tree.factory.employee(tree.ids["child"])
    before = tree.rows()
    response = delete(client, tree.token(AccessLevel.RESELLER), tree.ids["child"])
    body = assert_error(response, 409, "customer")
    assert body["message"] == (
        "customer still has SIP phones (1), extensions (1), employees (1), customers below it (1); "
        "remove them first"
    )
    assert tree.rows() == before


# -- access ----------------------------------------------------------------------------------


def test_personal_level_cannot_read_customers(client, tree):
    token = tree.token(AccessLevel.PERSONAL)
    assert_error(get_list(client, token), 403, "access_denied")
    assert_error(get_one(client, token, tree.ids["home"]), 403, "access_denied")


def test_no_token_is_401(client, tree):
    before = tree.rows()
    assert_error(client.get(URL), 401, "credentials_invalid")
    assert_error(client.get(f"{URL}/{tree.ids['home']}"), 401, "credentials_invalid")
    assert_error(client.post(URL, json={"name": tree.name("x")}), 401, "credentials_invalid")
    assert_error(
        client.post(f"{URL}/{tree.ids['child']}", json={"name": "x"}), 401, "credentials_invalid"
    )
    assert_error(client.delete(f"{URL}/{tree.ids['child']}"), 401, "credentials_invalid")
    assert tree.rows() == before


def reaches(level: AccessLevel, relation: str) -> bool:
    if level is AccessLevel.ADMIN:
        return True
    if level.is_reseller:
        return relation in RESELLER_REACH
    return relation == "own"


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_read_matrix(client, tree, level):
    token = tree.token(level)
    unknown = get_one(client, token, new_id())
    assert_not_found(unknown)
    for relation in RELATIONS:
        response = get_one(client, token, tree.id(relation))
        if reaches(level, relation):
            assert response.status_code == 200, f"{level} -> {relation}: {response.text}"
            assert response.json() == tree.wire(relation)
        else:
            assert_not_found(response, f"{level} -> {relation}")


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_list_matrix(client, tree, level):
    params = {"filter": tree.tag} if level is AccessLevel.ADMIN else {}
    body = get_list(client, tree.token(level), **params).json()
    expected = sorted(
        tree.id(r) for r in {key_of(r): r for r in RELATIONS}.values() if reaches(level, r)
    )
    assert [customer["_id"] for customer in body["customers"]] == expected, level
    assert body["total"] == len(expected)


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_update_matrix(client, tree, level):
    token = tree.token(level)
    for relation in RELATIONS:
        before = tree.rows()
        name = tree.name(f"{relation} renamed")
        response = update(client, token, tree.id(relation), {"name": name})
        why = f"{level} -> {relation}"
        if not level.at_least(AccessLevel.RESELLER):
            assert_error(response, 403, "access_denied", None, why)
        elif reaches(level, relation):
            assert response.status_code == 200, f"{why}: {response.text}"
            assert tree.rows()[tree.id(relation)][0] == name, why
            continue
        else:
            assert_not_found(response, why)
        assert tree.rows() == before, why


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_create_matrix(client, tree, level):
    token = tree.token(level)
    for relation in RELATIONS:
        before = tree.rows()
        body = {"name": tree.name(f"new below {relation}"), "parentReseller": tree.id(relation)}
        response = create(client, token, body)
        why = f"{level} -> {relation}"
        if not level.at_least(AccessLevel.RESELLER):
            assert_error(response, 403, "access_denied", None, why)
        elif reaches(level, relation):
            assert response.status_code == 200, f"{why}: {response.text}"
            created = response.json()
            assert tree.rows()[created["_id"]] == (body["name"], tree.id(relation), "ACTIVE")
            continue
        else:
            assert_error(response, 403, "access_denied", "parentReseller", why)
        assert tree.rows() == before, why


@pytest.mark.parametrize("level", CUSTOMER_LEVELS)
def test_customer_levels_cannot_create_even_below_themselves(client, tree, level):
    before = tree.rows()
    response = create(client, tree.token(level), {"name": tree.name("mine")})
    assert_error(response, 403, "access_denied")
    assert tree.rows() == before


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_only_admin_creates_or_moves_to_the_top(client, tree, level):
    before = tree.rows()
    token = tree.token(level)
    response = create(client, token, {"name": tree.name("root"), "parentReseller": None})
    assert_error(response, 403, "access_denied", "parentReseller")
    response = update(client, token, tree.ids["child"], {"parentReseller": None})
    assert_error(response, 403, "access_denied", "parentReseller")
    assert tree.rows() == before


@pytest.mark.parametrize("level", RESELLER_LEVELS)
@pytest.mark.parametrize("target", ["sibling", "parent", "top", "foreign"])
def test_reseller_cannot_move_its_customers_out_of_reach(client, tree, level, target):
    before = tree.rows()
    response = update(
        client, tree.token(level), tree.ids["child"], {"parentReseller": tree.ids[target]}
    )
    assert_error(response, 403, "access_denied", "parentReseller")
    assert tree.rows() == before


@pytest.mark.parametrize("level", [*RESELLER_LEVELS, AccessLevel.ADMIN])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"parentReseller": "<sibling>"}, "parentReseller"),
        ({"parentReseller": "<child>"}, "parentReseller"),
        ({"parentReseller": None}, "parentReseller"),
        ({"state": "BLOCKED"}, "state"),
        ({"state": "DELETED"}, "state"),
        ({"name": "<renamed>", "state": "BLOCKED"}, "state"),
    ],
)
def test_nobody_moves_or_blocks_their_own_customer(client, tree, level, body, field):
    before = tree.rows()
    placeholders = {
        "<sibling>": tree.ids["sibling"],
        "<child>": tree.ids["child"],
        "<renamed>": tree.name("renamed"),
    }
    body = {key: placeholders.get(value, value) for key, value in body.items()}
    response = update(client, tree.token(level), tree.ids["home"], body)
    assert_error(response, 403, "access_denied", field)
    assert tree.rows() == before


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_delete_matrix(client, tree, level):
    token = tree.token(level)
    # Leaves first, so that what may be deleted can be; `parent` and `top` keep children.
    order = ("grandchild", "child", "sibling", "foreign", "parent", "top", "own")
    for relation in order:
        before = tree.rows()
        response = delete(client, token, tree.id(relation))
        why = f"{level} -> {relation}"
        if not level.at_least(AccessLevel.RESELLER):
            assert_error(response, 403, "access_denied", None, why)
        elif not reaches(level, relation):
            assert_not_found(response, why)
        elif relation == "own":
            assert_error(response, 403, "access_denied", None, why)
        elif relation in ("parent", "top"):
            assert_error(response, 409, "customer", None, why)
        else:
            assert response.json() == {"success": True}, why
            assert tree.rows() == {k: v for k, v in before.items() if k != tree.id(relation)}
            continue
        assert tree.rows() == before, why


@pytest.mark.parametrize("level", [*RESELLER_LEVELS, AccessLevel.ADMIN])
def test_nobody_deletes_their_own_customer_even_when_empty(client, tree, level):
    """The caller's own customer always holds the caller; it is refused before counting."""
    before = tree.rows()
    response = delete(client, tree.token(level), tree.ids["home"])
    body = assert_error(response, 403, "access_denied")
    assert "own customer" in body["message"]
    assert tree.rows() == before


@pytest.mark.parametrize("level", RESELLER_LEVELS)
def test_reseller_below_cannot_touch_the_reseller_above(client, tree, level):
    """A reseller of `child` against `home`, its parent: not found for every method."""
    before = tree.rows()
    token = tree.token(level, "child")
    assert_not_found(get_one(client, token, tree.ids["home"]))
    assert_not_found(update(client, token, tree.ids["home"], {"name": "mine now"}))
    assert_not_found(update(client, token, tree.ids["home"], {"parentReseller": tree.ids["child"]}))
    assert_not_found(delete(client, token, tree.ids["home"]))
    assert tree.rows() == before


def test_concurrent_moves_cannot_form_a_cycle_on_postgresql(engine, tree):
    """Two moves that are each fine alone but form a cycle together (`sibling` below
    `foreign`, `foreign` below `sibling`): tree changes take one advisory lock, so the
    second one checks the tree as the first one left it."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    session_factory = make_session_factory(engine)
    admin = Caller(
        employee_id=new_id(), customer_id=tree.ids["top"], access_level=AccessLevel.ADMIN
    )

    def move(customer: str, new_parent: str) -> str:
        with session_factory() as session:
            body = schemas.CustomerUpdate(parentReseller=tree.ids[new_parent])
            try:
                service.update_customer(
                    session, CustomerScope(session, admin), tree.ids[customer], body
                )
            except Conflict as error:
                return error.code
            return "moved"

    before = tree.rows()
    with engine.connect() as holder, ThreadPoolExecutor(2) as pool:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TREE_LOCK_KEY})
        moves = [pool.submit(move, "sibling", "foreign"), pool.submit(move, "foreign", "sibling")]
        time.sleep(0.5)
        assert not any(future.done() for future in moves), "the moves did not wait for the lock"
        assert tree.rows() == before
        holder.rollback()  # releases the lock
        results = sorted(future.result(timeout=30) for future in moves)
    assert results == ["moved", "parentReseller"]
    rows = tree.rows()
    # exactly one of the two moved, and the tree still reaches the top from both
    moved = {
        key for key in ("sibling", "foreign") if rows[tree.ids[key]][1] != before[tree.ids[key]][1]
    }
    assert len(moved) == 1
