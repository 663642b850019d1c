"""The SIP phone model catalogue: /pbx/sipphonemodels (list, get, create, update, delete).

The catalogue is global: the 38 shipped models are in every test database and other tests
add models too. So no test asserts a global total: every test names its models with a
random tag and looks at them through the filter.
"""

import secrets
from dataclasses import dataclass, field

import pytest
from sqlalchemy import delete

from harness.factory import Factory, random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.engine import make_session_factory, transaction
from pbxapi.db.tables import SipPhone

URL = "/pbx/sipphonemodels"

NORMAL_KEYS = {"_id", "brand", "brandName", "model", "description", "picture", "extensions"}
FULL_KEYS = NORMAL_KEYS | {
    "softkeys", "softkeyLabels", "softkeyCapabilities", "capabilities", "configurationTemplate",
}  # fmt: skip
CAPABILITY_KEYS = {"provision", "macRedirect", "customRingtones", "multipleHandsets"}
CAPABILITY_KEYS |= {"sipConfigReload"}

READERS = [
    AccessLevel.VIEWER, AccessLevel.MANAGER, AccessLevel.OWNER, AccessLevel.RESELLER,
    AccessLevel.RESELLER_ADMIN, AccessLevel.ADMIN,
]  # fmt: skip
NON_READERS = [AccessLevel.NO_LOGIN, AccessLevel.PERSONAL]
NON_WRITERS = [AccessLevel.NO_LOGIN, AccessLevel.PERSONAL, *READERS[:-1]]


@dataclass
class Logins:
    """One login of every level, in a customer of this module's own."""

    factory: Factory
    customer: str
    _tokens: dict[AccessLevel, str] = field(default_factory=dict)

    def token(self, level: AccessLevel) -> str:
        if level not in self._tokens:
            self._tokens[level] = self.factory.login(self.customer, level)
        return self._tokens[level]

    def headers(self, level: AccessLevel) -> dict:
        return {"Authorization": f"Bearer {self.token(level)}"}


@pytest.fixture(scope="module")
def logins(engine) -> Logins:
    factory = Factory(make_session_factory(engine))
    return Logins(factory, factory.customer(name="phone model tests"))


@pytest.fixture
def admin(logins) -> dict:
    return logins.headers(AccessLevel.ADMIN)


@pytest.fixture
def viewer(logins) -> dict:
    return logins.headers(AccessLevel.VIEWER)


def new_tag() -> str:
    """Unique in the catalogue, so a filter on it finds this test's models only."""
    return f"t{secrets.token_hex(5)}"


def model_body(tag: str, **fields) -> dict:
    return {"brand": "GENERIC", "brandName": "Generic", "model": f"Model {tag}", **fields}


def create(client, headers: dict, body: dict) -> dict:
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def listed(client, headers: dict, **params) -> dict:
    response = client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def tagged(client, headers: dict, tag: str) -> list[dict]:
    """Every model carrying the tag, with every field: the catalogue as far as a test is
    concerned, compared before and after refused requests."""
    return listed(client, headers, filter=tag, full="true", limit=500)["sipPhoneModels"]


def fetch(client, headers: dict, model_id: str) -> dict:
    response = client.get(f"{URL}/{model_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code, body
    assert body.get("field") == field, body


def delete_phones_of(engine, model_id: str) -> None:
    with transaction(make_session_factory(engine)) as session:
        session.execute(delete(SipPhone).where(SipPhone.sip_phone_model_id == model_id))


# --- list --------------------------------------------------------------------------------


def test_list_defaults_to_offset_0_limit_50_in_the_normal_representation(client, viewer):
    body = listed(client, viewer)
    assert set(body) == {"offset", "limit", "total", "sipPhoneModels"}
    assert (body["offset"], body["limit"]) == (0, 50)
    assert len(body["sipPhoneModels"]) == min(50, body["total"])
    for model in body["sipPhoneModels"]:
        assert set(model) == NORMAL_KEYS


def test_list_shows_the_shipped_catalogue(client, viewer):
    body = listed(client, viewer, filter="D785")
    d785 = next(model for model in body["sipPhoneModels"] if model["model"] == "D785")
    assert d785 == {
        "_id": "5e0f00000000000000000001",
        "brand": "SNOM",
        "brandName": "Snom",
        "model": "D785",
        "description": d785["description"],
        "picture": None,
        "extensions": 1,
    }
    assert "Executive colour desk phone" in d785["description"]


def test_list_is_ordered_by_brand_then_model_and_pages_without_gaps(client, admin, viewer):
    tag = new_tag()
    made = [
        create(client, admin, model_body(tag, brand=brand, model=f"{name} {tag}"))
        for brand, name in [
            ("YEALINK", "b"), ("CISCO", "c"), ("SNOM", "a"), ("CISCO", "a"), ("GENERIC", "z"),
            ("SNOM", "b"), ("CISCO", "b"),
        ]
    ]  # fmt: skip
    expected = [m["_id"] for m in sorted(made, key=lambda m: (m["brand"], m["model"]))]
    whole = listed(client, viewer, filter=tag)
    assert [m["_id"] for m in whole["sipPhoneModels"]] == expected
    assert whole["total"] == 7
    seen = []
    for offset in range(0, 9, 3):
        page = listed(client, viewer, filter=tag, offset=offset, limit=3)
        assert (page["offset"], page["limit"], page["total"]) == (offset, 3, 7)
        seen += [m["_id"] for m in page["sipPhoneModels"]]
    assert seen == expected
    beyond = listed(client, viewer, filter=tag, offset=7, limit=3)
    assert (beyond["total"], beyond["sipPhoneModels"]) == (7, [])


def test_total_counts_every_match_beyond_the_page(client, admin, viewer):
    tag = new_tag()
    for index in range(4):
        create(client, admin, model_body(tag, model=f"{tag}-{index}"))
    page = listed(client, viewer, filter=tag, limit=1, offset=1)
    assert page["total"] == 4
    assert [m["model"] for m in page["sipPhoneModels"]] == [f"{tag}-1"]


def test_filter_matches_brand_brand_name_model_and_description(client, admin, viewer):
    tag = new_tag()
    by_brand_name = create(client, admin, model_body(tag, brandName=f"Acme{tag}", model="X1"))
    by_model = create(client, admin, model_body(tag, model=f"Desk {tag}"))
    by_description = create(
        client, admin, model_body(tag, model="Y2", description=f"A phone ({tag.upper()})")
    )
    create(client, admin, model_body(new_tag(), brand="GIGASET"))  # does not carry the tag

    def found(text: str) -> set[str]:
        return {m["_id"] for m in listed(client, viewer, filter=text)["sipPhoneModels"]}

    assert found(tag) == {by_brand_name["_id"], by_model["_id"], by_description["_id"]}
    assert found(tag.upper()) == found(tag)  # case-insensitive
    # Every term must match: the brand is one of the fields searched.
    assert found(f"{tag} desk") == {by_model["_id"]}
    assert found(f"generic {tag}") == found(tag)
    assert found(f"gigaset {tag}") == set()
    assert found(f"acme{tag} phone") == set()


def test_full_adds_every_field(client, admin, viewer):
    tag = new_tag()
    made = create(
        client, admin,
        model_body(tag, softkeys=4, softkeyCapabilities=["BLF", "LINE"],
                   configurationTemplate="ext=%Extension%"),
    )  # fmt: skip
    normal = listed(client, viewer, filter=tag)["sipPhoneModels"]
    assert normal == [{key: made[key] for key in NORMAL_KEYS}]
    full = listed(client, viewer, filter=tag, full="TRUE")["sipPhoneModels"]
    assert full == [made]
    assert set(full[0]) == FULL_KEYS
    assert set(full[0]["capabilities"]) == CAPABILITY_KEYS


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"full": "yes"}, "full"),
        ({"filter": "x" * 201}, "filter"),
        ({"filter": "a\x00b"}, "filter"),
    ],
)
def test_invalid_list_parameters_are_400_naming_the_parameter(client, viewer, params, field):
    response = client.get(URL, params=params, headers=viewer)
    assert_error(response, 400, "bad_request", field)


def test_limit_500_is_the_maximum(client, viewer):
    body = listed(client, viewer, limit=500)
    assert body["limit"] == 500
    assert len(body["sipPhoneModels"]) == min(500, body["total"])


# --- get ---------------------------------------------------------------------------------


def test_get_answers_the_full_object(client, admin, viewer):
    tag = new_tag()
    made = create(client, admin, model_body(tag, description="Desk phone", softkeys=2))
    assert fetch(client, viewer, made["_id"]) == made
    assert fetch(client, viewer, made["_id"].upper()) == made  # ids in any case


def test_get_a_shipped_model(client, viewer):
    w70b = fetch(client, viewer, "5e0f00000000000000000014")
    assert (w70b["brand"], w70b["model"], w70b["extensions"]) == ("YEALINK", "W70B", 10)
    assert w70b["capabilities"]["multipleHandsets"] is True
    assert w70b["softkeys"] == 0


def test_get_unknown_is_404_and_malformed_is_400(client, viewer):
    assert_error(client.get(f"{URL}/{'0' * 24}", headers=viewer), 404, "not_found")
    assert_error(client.get(f"{URL}/12345", headers=viewer), 400, "bad_request", "id")


# --- create ------------------------------------------------------------------------------


def test_create_stores_every_field(client, admin, viewer):
    tag = new_tag()
    body = {
        "brand": "SNOM",
        "brandName": "Snom",
        "model": f"D999 {tag}",
        "description": "Prototype desk phone",
        "picture": "5E0F0000000000000000AAAA",
        "extensions": 1,
        "softkeys": 12,
        "softkeyLabels": True,
        "softkeyCapabilities": ["SPEEDDIAL", "BLF", "PRESENCE"],
        "capabilities": {
            "provision": True,
            "macRedirect": False,
            "customRingtones": True,
            "multipleHandsets": False,
            "sipConfigReload": True,
        },
        "configurationTemplate": "user_name1: %Username%\nuser_pass1: %Password%\n",
    }
    made = create(client, admin, body)
    model_id = made.pop("_id")
    assert made == {**body, "picture": "5e0f0000000000000000aaaa"}  # ids stored lower case
    stored = {"_id": model_id, **made}
    assert fetch(client, viewer, model_id) == stored
    assert tagged(client, viewer, tag) == [stored]


def test_create_defaults(client, admin):
    tag = new_tag()
    made = create(client, admin, {"brand": "LG", "brandName": "LG", "model": f"  {tag}  "})
    assert made == {
        "_id": made["_id"],
        "brand": "LG",
        "brandName": "LG",
        "model": tag,  # surrounding white space is not part of a name
        "description": "",
        "picture": None,
        "extensions": 1,
        "softkeys": 0,
        "softkeyLabels": False,
        "softkeyCapabilities": [],
        "capabilities": dict.fromkeys(CAPABILITY_KEYS, False),
        "configurationTemplate": None,
    }


def test_multiple_handsets_follows_the_capacity_when_not_sent(client, admin):
    tag = new_tag()
    base = create(client, admin, model_body(tag, extensions=6, capabilities={"provision": True}))
    assert base["capabilities"] == {**dict.fromkeys(CAPABILITY_KEYS, False),
                                    "provision": True, "multipleHandsets": True}  # fmt: skip
    explicit = create(
        client, admin, model_body(tag, model=f"B {tag}", capabilities={"multipleHandsets": True},
                                  extensions=2),
    )  # fmt: skip
    assert explicit["capabilities"]["multipleHandsets"] is True


INVALID_CREATE_BODIES = [
    ({"brand": "NOKIA"}, "brand"),
    ({"brand": "snom"}, "brand"),
    ({"brand": None}, "brand"),
    ({"brandName": ""}, "brandName"),
    ({"brandName": "   "}, "brandName"),
    ({"brandName": "x" * 65}, "brandName"),
    ({"model": ""}, "model"),
    ({"model": "m" * 65}, "model"),
    ({"model": 785}, "model"),
    ({"description": None}, "description"),
    ({"description": "d" * 2001}, "description"),
    ({"description": "nul\x00here"}, "description"),
    ({"picture": "not-an-id"}, "picture"),
    ({"extensions": 0}, "extensions"),
    ({"extensions": 1001}, "extensions"),
    ({"extensions": "2"}, "extensions"),
    ({"extensions": 1.5}, "extensions"),
    ({"softkeys": -1}, "softkeys"),
    ({"softkeys": "4"}, "softkeys"),
    ({"softkeyLabels": "true"}, "softkeyLabels"),
    ({"softkeyLabels": 1}, "softkeyLabels"),
    ({"extensions": True}, "extensions"),
    ({"softkeyLabels": None}, "softkeyLabels"),
    ({"softkeyCapabilities": ["BLF", "FAX"]}, "softkeyCapabilities[1]"),
    ({"softkeyCapabilities": ["BLF", "LINE", "BLF"]}, "softkeyCapabilities"),
    ({"softkeyCapabilities": "BLF"}, "softkeyCapabilities"),
    ({"capabilities": {"provision": "yes"}}, "capabilities.provision"),
    ({"capabilities": {"telepathy": True}}, "capabilities.telepathy"),
    ({"capabilities": None}, "capabilities"),
    ({"configurationTemplate": "t" * 200_001}, "configurationTemplate"),
    ({"_id": "5e0f00000000000000000099"}, "_id"),
    ({"status": "new"}, "status"),
    # the handset capacity and multipleHandsets must agree
    ({"extensions": 1, "capabilities": {"multipleHandsets": True}},
     "capabilities.multipleHandsets"),
    ({"extensions": 8, "capabilities": {"multipleHandsets": False}},
     "capabilities.multipleHandsets"),
]  # fmt: skip


def test_whole_numbers_may_be_written_with_a_fraction_of_zero(client, admin):
    """JSON Schema counts 494.0 as an integer, and so does the API (issue 5)."""
    body = model_body(new_tag(), extensions=494.0, softkeys=12.0,
                      capabilities={"multipleHandsets": True})  # fmt: skip
    made = create(client, admin, body)
    assert (made["extensions"], made["softkeys"]) == (494, 12)
    assert type(made["extensions"]) is int


@pytest.mark.parametrize(("change", "field"), INVALID_CREATE_BODIES)
def test_create_refuses_invalid_fields_and_writes_nothing(client, admin, viewer, change, field):
    tag = new_tag()
    body = {**model_body(tag, description=f"about {tag}"), **change}
    response = client.post(URL, json=body, headers=admin)
    assert_error(response, 400, "bad_request", field)
    assert tagged(client, viewer, tag) == []


@pytest.mark.parametrize("missing", ["brand", "brandName", "model"])
def test_create_requires_brand_brand_name_and_model(client, admin, viewer, missing):
    tag = new_tag()
    body = model_body(tag, description=tag)
    del body[missing]
    assert_error(client.post(URL, json=body, headers=admin), 400, "bad_request", missing)
    assert tagged(client, viewer, tag) == []


def test_brand_and_model_are_unique_ignoring_case(client, admin, viewer):
    tag = new_tag()
    original = create(client, admin, model_body(tag, brand="YEALINK", model=f"T{tag}"))
    for model in (f"T{tag}", f"t{tag.upper()}", f" T{tag} "):
        response = client.post(
            URL, json=model_body(tag, brand="YEALINK", model=model), headers=admin
        )
        assert_error(response, 409, "model", "model")
    assert tagged(client, viewer, tag) == [original]
    # the same model name under another brand is another model
    other = create(client, admin, model_body(tag, brand="CISCO", model=f"T{tag}"))
    assert {m["_id"] for m in tagged(client, viewer, tag)} == {original["_id"], other["_id"]}


def test_a_shipped_model_cannot_be_added_twice(client, admin):
    response = client.post(
        URL, json={"brand": "SNOM", "brandName": "Snom", "model": "D785"}, headers=admin
    )
    assert_error(response, 409, "model", "model")
    assert listed(client, admin, filter="snom d785")["total"] == 1


# --- update ------------------------------------------------------------------------------


def update(client, headers: dict, model_id: str, body: dict):
    return client.post(f"{URL}/{model_id}", json=body, headers=headers)


def test_update_changes_only_what_is_sent(client, admin, viewer):
    tag = new_tag()
    made = create(
        client, admin,
        model_body(tag, softkeys=3, softkeyCapabilities=["BLF"],
                   capabilities={"provision": True, "macRedirect": True}),
    )  # fmt: skip
    response = update(
        client, admin, made["_id"],
        {"description": "Renamed", "picture": "5e0f0000000000000000bbbb",
         "capabilities": {"macRedirect": False, "sipConfigReload": True}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    expected = {
        **made,
        "description": "Renamed",
        "picture": "5e0f0000000000000000bbbb",
        "capabilities": {**made["capabilities"], "macRedirect": False, "sipConfigReload": True},
    }
    assert response.json() == expected
    assert expected["capabilities"]["provision"] is True  # merged, not replaced
    assert fetch(client, viewer, made["_id"]) == expected


def test_update_every_field(client, admin, viewer):
    tag = new_tag()
    made = create(client, admin, model_body(tag, configurationTemplate="old"))
    change = {
        "brand": "MITEL",
        "brandName": "Mitel",
        "model": f"6999i {tag}",
        "description": "Changed",
        "picture": None,
        "extensions": 4,
        "softkeys": 9,
        "softkeyLabels": True,
        "softkeyCapabilities": ["MENU", "URL"],
        "capabilities": {
            "provision": True,
            "macRedirect": True,
            "customRingtones": True,
            "multipleHandsets": True,
            "sipConfigReload": True,
        },
        "configurationTemplate": None,
    }
    response = update(client, admin, made["_id"], change)
    assert response.status_code == 200, response.text
    assert response.json() == {"_id": made["_id"], **change}
    assert fetch(client, viewer, made["_id"]) == {"_id": made["_id"], **change}


def test_empty_update_changes_nothing(client, admin, viewer):
    made = create(client, admin, model_body(new_tag()))
    response = update(client, admin, made["_id"], {})
    assert response.status_code == 200, response.text
    assert response.json() == made == fetch(client, viewer, made["_id"])


def test_changing_the_capacity_brings_multiple_handsets_along(client, admin):
    made = create(client, admin, model_body(new_tag()))
    as_base = update(client, admin, made["_id"], {"extensions": 5}).json()
    assert (as_base["extensions"], as_base["capabilities"]["multipleHandsets"]) == (5, True)
    as_desk = update(client, admin, made["_id"], {"extensions": 1}).json()
    assert (as_desk["extensions"], as_desk["capabilities"]["multipleHandsets"]) == (1, False)


INVALID_UPDATES = [
    *((change, field) for change, field in INVALID_CREATE_BODIES if "extensions" not in change),
    ({"brandName": None}, "brandName"),
    ({"model": None}, "model"),
    ({"extensions": None}, "extensions"),
    ({"softkeys": None}, "softkeys"),
    ({"softkeyCapabilities": None}, "softkeyCapabilities"),
    ({"capabilities": {"multipleHandsets": None}}, "capabilities.multipleHandsets"),
    ({"customer": "5e0f00000000000000000001"}, "customer"),
    ({"capabilities": {"multipleHandsets": True}}, "capabilities.multipleHandsets"),
    ({"extensions": 3, "capabilities": {"multipleHandsets": False}},
     "capabilities.multipleHandsets"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field"), INVALID_UPDATES)
def test_update_refuses_invalid_fields_and_writes_nothing(client, admin, viewer, change, field):
    tag = new_tag()
    before = create(client, admin, model_body(tag))
    response = update(client, admin, before["_id"], change)
    assert_error(response, 400, "bad_request", field)
    assert tagged(client, viewer, tag) == [before]


def test_update_to_an_existing_brand_and_model_is_409(client, admin, viewer):
    tag = new_tag()
    first = create(client, admin, model_body(tag, brand="SNOM", model=f"A {tag}"))
    second = create(client, admin, model_body(tag, brand="CISCO", model=f"A {tag}"))
    assert_error(update(client, admin, second["_id"], {"brand": "SNOM"}), 409, "model", "model")
    assert_error(
        update(client, admin, first["_id"], {"brand": "CISCO", "model": f"a {tag.upper()}"}),
        409, "model", "model",
    )  # fmt: skip
    assert_error(
        update(client, admin, first["_id"], {"brand": "SNOM", "model": "D785"}),
        409, "model", "model",
    )  # fmt: skip
    assert sorted(tagged(client, viewer, tag), key=lambda m: m["brand"]) == [second, first]
    # a model may change the case of its own name
    renamed = update(client, admin, first["_id"], {"model": f"a {tag.upper()}"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["model"] == f"a {tag.upper()}"


def test_update_unknown_is_404(client, admin):
    assert_error(update(client, admin, "0" * 24, {"description": "x"}), 404, "not_found")


def test_a_model_in_use_keeps_its_kind_of_device(client, admin, viewer, logins):
    tag = new_tag()
    desk = create(client, admin, model_body(tag, model=f"Desk {tag}"))
    logins.factory.phone(logins.customer, model=("GENERIC", desk["model"]))
    assert_error(update(client, admin, desk["_id"], {"extensions": 2}), 409, "extensions",
                 "extensions")  # fmt: skip
    base = create(client, admin, model_body(tag, model=f"Base {tag}", extensions=8))
    mac = random_mac()
    for index in (0, 1, 3):
        logins.factory.phone(
            logins.customer, model=("GENERIC", base["model"]), mac_address=mac, handset_index=index
        )
    assert_error(update(client, admin, base["_id"], {"extensions": 1}), 409, "extensions",
                 "extensions")  # fmt: skip
    # the handset at index 3 needs a capacity of at least 4
    assert_error(update(client, admin, base["_id"], {"extensions": 3}), 409, "extensions",
                 "extensions")  # fmt: skip
    assert sorted(tagged(client, viewer, tag), key=lambda m: m["model"]) == [base, desk]
    assert update(client, admin, base["_id"], {"extensions": 4}).json()["extensions"] == 4
    assert update(client, admin, base["_id"], {"extensions": 30}).json()["extensions"] == 30
    assert update(client, admin, desk["_id"], {"description": "x"}).status_code == 200


def test_a_model_in_use_keeps_the_softkeys_its_phones_use(client, admin, viewer, logins):
    tag = new_tag()
    made = create(
        client, admin,
        model_body(tag, softkeys=10, softkeyCapabilities=["SPEEDDIAL", "BLF", "LINE", "URL"]),
    )  # fmt: skip
    softkeys = [
        {"index": 0, "function": "LINE", "value": None, "label": None},
        {"index": 6, "function": "BLF", "value": "x", "label": "Hans"},
    ]
    logins.factory.phone(logins.customer, model=("GENERIC", made["model"]), softkeys=softkeys)
    logins.factory.phone(logins.customer, model=("GENERIC", made["model"]))  # no softkeys
    refused = [
        ({"softkeys": 6}, "softkeys"),
        ({"softkeys": 0}, "softkeys"),
        ({"softkeyCapabilities": ["SPEEDDIAL", "LINE"]}, "softkeyCapabilities"),
        ({"softkeyCapabilities": []}, "softkeyCapabilities"),
    ]
    for change, refused_field in refused:
        response = update(client, admin, made["_id"], change)
        assert_error(response, 409, refused_field, refused_field)
    assert tagged(client, viewer, tag) == [made]
    changed = update(
        client, admin, made["_id"], {"softkeys": 7, "softkeyCapabilities": ["BLF", "LINE"]}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["softkeys"], changed.json()["softkeyCapabilities"]) == (
        7,
        ["BLF", "LINE"],
    )


# --- delete ------------------------------------------------------------------------------


def test_delete_removes_the_model(client, admin, viewer):
    tag = new_tag()
    made = create(client, admin, model_body(tag))
    kept = create(client, admin, model_body(tag, model=f"Kept {tag}"))
    response = client.delete(f"{URL}/{made['_id'].upper()}", headers=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert_error(client.get(f"{URL}/{made['_id']}", headers=viewer), 404, "not_found")
    assert tagged(client, viewer, tag) == [kept]
    assert_error(client.delete(f"{URL}/{made['_id']}", headers=admin), 404, "not_found")


def test_delete_malformed_id_is_400(client, admin):
    assert_error(client.delete(f"{URL}/xyz", headers=admin), 400, "bad_request", "id")


def test_a_model_in_use_cannot_be_deleted(client, admin, viewer, logins, engine):
    tag = new_tag()
    made = create(client, admin, model_body(tag, brand="GIGASET", model=f"N {tag}"))
    logins.factory.phone(logins.customer, model=("GIGASET", made["model"]))
    response = client.delete(f"{URL}/{made['_id']}", headers=admin)
    assert_error(response, 409, "sipPhoneModel", "sipPhoneModel")
    assert tagged(client, viewer, tag) == [made]
    # once no phone uses it, it goes
    delete_phones_of(engine, made["_id"])
    assert client.delete(f"{URL}/{made['_id']}", headers=admin).json() == {"success": True}
    assert tagged(client, viewer, tag) == []


def test_a_shipped_model_in_use_cannot_be_deleted(client, admin, viewer, logins):
    logins.factory.phone(logins.customer, model=("SNOM", "D785"))
    response = client.delete(f"{URL}/5e0f00000000000000000001", headers=admin)
    assert_error(response, 409, "sipPhoneModel", "sipPhoneModel")
    assert fetch(client, viewer, "5e0f00000000000000000001")["model"] == "D785"


# --- access ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", READERS)
def test_viewer_and_above_read(client, admin, logins, level):
    tag = new_tag()
    made = create(client, admin, model_body(tag))
    headers = logins.headers(level)
    assert [m["_id"] for m in listed(client, headers, filter=tag)["sipPhoneModels"]] == [
        made["_id"]
    ]
    assert fetch(client, headers, made["_id"]) == made


@pytest.mark.parametrize("level", NON_READERS)
def test_below_viewer_reads_nothing(client, admin, logins, level):
    made = create(client, admin, model_body(new_tag()))
    headers = logins.headers(level)
    assert_error(client.get(URL, headers=headers), 403, "access_denied")
    assert_error(client.get(f"{URL}/{made['_id']}", headers=headers), 403, "access_denied")


def test_no_token_is_401(client):
    assert_error(client.get(URL), 401, "credentials_invalid")
    assert_error(client.get(f"{URL}/5e0f00000000000000000001"), 401, "credentials_invalid")
    assert_error(client.post(URL, json={}), 401, "credentials_invalid")


@pytest.mark.parametrize("level", NON_WRITERS)
def test_only_admin_writes(client, admin, viewer, logins, level):
    tag = new_tag()
    made = create(client, admin, model_body(tag))
    headers = logins.headers(level)
    responses = [
        client.post(URL, json=model_body(tag, model=f"New {tag}"), headers=headers),
        update(client, headers, made["_id"], {"description": "changed"}),
        client.delete(f"{URL}/{made['_id']}", headers=headers),
    ]
    for response in responses:
        assert_error(response, 403, "access_denied")
    assert tagged(client, viewer, tag) == [made]
