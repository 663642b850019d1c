"""One SIP phone: GET, create, partial update, delete, resetcredentials and the WebRTC phone.

The rules (MAC addresses, DECT handsets, softkeys within the model, IP restriction, side
panels), the access matrix, and that every refused request leaves the database as it was.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest

from harness.factory import NOW, random_mac
from pbxapi.auth.levels import AccessLevel
from tests.support.accounts import assert_error, auth

URL = "/pbx/sipphone"
WEBRTC_URL = f"{URL}/webrtc"
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
NOW_ON_THE_WIRE = "2025-03-04T05:06:07Z"  # the factory's config_saved_at
MISSING_ID = "0123456789abcdef01234567"
DEFAULT_WEBRTC_SERVER = "wss://127.0.0.1:8089/ws"

DESK = ("SNOM", "D785")  # 24 softkeys, every softkey function
SMALL_DESK = ("SNOM", "D717")  # 3 softkeys
YEALINK_DESK = ("YEALINK", "T54W")  # no PRESENCE key
NO_SOFTKEYS = ("GENERIC", "SIP phone")
W70B = ("YEALINK", "W70B")  # DECT base, 10 handsets
N510 = ("GIGASET", "N510 IP PRO")  # DECT base, 6 handsets


# --- helpers -----------------------------------------------------------------------------


@pytest.fixture
def manager(factory) -> tuple[str, str]:
    customer = factory.customer()
    return customer, factory.login(customer, AccessLevel.MANAGER)


def create(client, token: str, body: dict):
    return client.post(URL, json=body, headers=auth(token))


def created(client, token: str, body: dict) -> dict:
    response = create(client, token, body)
    assert response.status_code == 200, response.text
    return response.json()


def update(client, token: str, phone_id: str, body: dict):
    return client.post(f"{URL}/{phone_id}", json=body, headers=auth(token))


def updated(client, token: str, phone_id: str, body: dict) -> dict:
    response = update(client, token, phone_id, body)
    assert response.status_code == 200, response.text
    assert get_phone(client, token, phone_id) == response.json()
    return response.json()


def get_phone(client, token: str, phone_id: str) -> dict:
    response = client.get(f"{URL}/{phone_id}", headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()


def list_phones(client, token: str, customer: str) -> dict:
    response = client.get(URL, params={"customer": customer}, headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()


def total(client, token: str, customer: str) -> int:
    return list_phones(client, token, customer)["total"]


def state(client, token: str, customer: str, phone_id: str | None = None) -> tuple:
    """What a refused request must leave alone: the phone as a MANAGER of its customer
    sees it, and how many phones the customer has."""
    phone = get_phone(client, token, phone_id) if phone_id else None
    return phone, total(client, token, customer)


def model(factory, brand_and_model: tuple[str, str]) -> str:
    return factory.model_id(*brand_and_model)


def new_phone(client, factory, token: str, brand_and_model=DESK, **body) -> dict:
    return created(
        client, token, {"sipPhoneModel": model(factory, brand_and_model),
                        "macAddress": random_mac(), **body},
    )  # fmt: skip


def without_config_saved(phone: dict) -> dict:
    return {**phone, "status": {**phone["status"], "configSaved": None}}


def assert_recent(timestamp: str) -> None:
    assert ISO_UTC.match(timestamp), timestamp
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=1), timestamp


def nested(path: str, value) -> dict:
    """ "ip.mode" -> {"ip": {"mode": value}}"""
    body = value
    for key in reversed(path.split(".")):
        body = {key: body}
    return body


def colons(mac: str) -> str:
    return ":".join(mac[i : i + 2] for i in range(0, 12, 2))


def serial() -> str:
    return f"SP-{random_mac()}"


# --- GET /pbx/sipphone/ID ------------------------------------------------------------------


FULL_KEYS = {
    "_id", "pbxCluster", "sipPhoneModel", "extension", "customer", "macAddress", "serial",
    "handsetIndex", "handsetAddress", "callWaiting", "sidePanel", "sidePanelCount",
    "softkeyConfigurationOnDevice", "softkeyBlfBlindTransfer", "headsetButton", "dhsg",
    "displayBrightness", "displayBrightnessIdle", "displayBackground", "displayFontColor",
    "customConfig", "notes", "ip", "username", "password", "instanceId", "ringer", "volume",
    "softkeys", "codec", "network", "purchaseInfo", "status",
}  # fmt: skip


def test_get_answers_the_full_object_with_the_password_for_managers_only(client, factory):
    customer = factory.customer()
    extension = factory.extension(customer, "210")
    phone = factory.phone(
        customer, extension_id=extension, notes="front desk", ip_mode="LOCKED",
        ip_address="192.0.2.9", ringer_tone="4",
    )  # fmt: skip
    panel_serial = serial()
    factory.side_panel(phone, 0, panel_serial, payment_option="RENTED")

    as_manager = get_phone(client, factory.login(customer, AccessLevel.MANAGER), phone.id)
    assert set(as_manager) == FULL_KEYS
    assert as_manager["_id"] == phone.id
    assert as_manager["customer"] == customer
    assert as_manager["extension"] == extension
    assert as_manager["sipPhoneModel"] == model(factory, DESK)
    assert as_manager["macAddress"] == phone.mac_address
    assert as_manager["notes"] == "front desk"
    assert as_manager["ip"] == {"mode": "LOCKED", "countries": "", "address": "192.0.2.9"}
    assert as_manager["ringer"] == {"volume": None, "tone": "4"}
    assert as_manager["username"] == phone.sip_username
    assert as_manager["password"] == phone.sip_password
    assert as_manager["purchaseInfo"]["sidePanels"] == [
        {"serial": panel_serial, "paymentOption": "RENTED", "orderId": None, "date": None}
    ]
    assert as_manager["status"]["configSaved"] == NOW_ON_THE_WIRE

    as_viewer = get_phone(client, factory.login(customer, AccessLevel.VIEWER), phone.id)
    assert as_viewer == {**as_manager, "password": None}


def test_get_of_a_missing_or_malformed_id(client, manager):
    _, token = manager
    missing = client.get(f"{URL}/{MISSING_ID}", headers=auth(token))
    assert_error(missing, 404, "not_found")
    assert_error(client.get(f"{URL}/not-an-id", headers=auth(token)), 400, "bad_request", "id")


# --- POST /pbx/sipphone: create --------------------------------------------------------------


def test_create_gives_every_documented_default(client, factory, manager):
    customer, token = manager
    mac = random_mac()
    model_id = model(factory, DESK)
    phone = created(client, token, {"sipPhoneModel": model_id, "macAddress": colons(mac).lower()})
    assert re.fullmatch(r"[0-9a-f]{24}", phone["_id"])
    assert phone == {
        "_id": phone["_id"], "pbxCluster": 1, "sipPhoneModel": model_id, "extension": None,
        "customer": customer, "macAddress": mac, "serial": None, "handsetIndex": None,
        "handsetAddress": None, "callWaiting": None, "sidePanel": None, "sidePanelCount": 0,
        "softkeyConfigurationOnDevice": False, "softkeyBlfBlindTransfer": False,
        "headsetButton": None, "dhsg": False, "displayBrightness": None,
        "displayBrightnessIdle": None, "displayBackground": None, "displayFontColor": None,
        "customConfig": None, "notes": "",
        "ip": {"mode": "OPEN", "countries": "", "address": None},
        "username": phone["username"], "password": phone["password"], "instanceId": None,
        "ringer": {"volume": None, "tone": None},
        "volume": {
            "handset": {"mic": None, "speaker": None},
            "headset": {"mic": None, "speaker": None},
            "handsfree": {"mic": None, "speaker": None},
        },
        "softkeys": [],
        "codec": {"hdAudio": True, "video": False},
        "network": {
            "dhcp": True, "ipAddress": None, "subnet": None, "gateway": None, "dns1": None,
            "dns2": None, "vlanId": 0, "vlanPriority": 0,
        },
        "purchaseInfo": {"orderId": None, "date": None, "paymentOption": "NONE", "sidePanels": []},
        "status": {
            "configLoaded": None, "configSaved": phone["status"]["configSaved"], "online": False,
            "expires": -1, "localIpAddress": None, "publicIpAddress": None, "userAgent": None,
        },
    }  # fmt: skip
    assert_recent(phone["status"]["configSaved"])
    assert get_phone(client, token, phone["_id"]) == phone
    assert [listed["_id"] for listed in list_phones(client, token, customer)["sipPhones"]] == [
        phone["_id"]
    ]


def test_create_stores_every_writable_field(client, factory, manager):
    customer, token = manager
    extension = factory.extension(customer, "220")
    panel_serial = serial()
    body = {
        "pbxCluster": 2, "sipPhoneModel": model(factory, DESK), "extension": extension,
        "macAddress": random_mac(), "serial": "S-0042", "handsetAddress": "ipui-1",
        "callWaiting": True, "sidePanel": "D7", "sidePanelCount": 2,
        "softkeyConfigurationOnDevice": True, "softkeyBlfBlindTransfer": True,
        "headsetButton": "headset-speaker", "dhsg": True, "displayBrightness": 15,
        "displayBrightnessIdle": 0, "displayBackground": "https://example.com/bg.png",
        "displayFontColor": "DARK", "customConfig": "<setting/>", "notes": "reception",
        "ip": {"mode": "LOCKED", "countries": "", "address": "192.0.2.7"},
        "instanceId": "desk-1",
        "ringer": {"volume": 4, "tone": "2"},
        "volume": {
            "handset": {"mic": 1, "speaker": 2},
            "headset": {"mic": 3, "speaker": 4},
            "handsfree": {"mic": 0, "speaker": 15},
        },
        "softkeys": [
            {"index": 0, "function": "BLF", "value": extension, "label": "Reception"},
            {"index": 23, "function": "DND", "value": None, "label": None},
        ],
        "codec": {"hdAudio": False, "video": True},
        "network": {
            "dhcp": False, "ipAddress": "192.0.2.10", "subnet": "255.255.255.0",
            "gateway": "192.0.2.1", "dns1": "192.0.2.53", "dns2": "198.51.100.53",
            "vlanId": 4094, "vlanPriority": 7,
        },
        "purchaseInfo": {
            "orderId": "7213", "date": "2020-01-01T00:00:00Z", "paymentOption": "RENTED",
            "sidePanels": [
                {"serial": panel_serial, "paymentOption": "BOUGHT", "orderId": "o-1",
                 "date": "2021-02-03T04:05:06Z"},
            ],
        },
    }  # fmt: skip
    phone = created(client, token, body)
    assert {key: phone[key] for key in body} == body
    assert phone["customer"] == customer
    assert phone["handsetIndex"] is None
    assert get_phone(client, token, phone["_id"]) == phone


@pytest.mark.parametrize(
    "spell",
    [
        lambda mac: colons(mac).lower(),
        lambda mac: colons(mac).replace(":", "-"),
        lambda mac: ".".join(mac[i : i + 4] for i in range(0, 12, 4)).lower(),
        lambda mac: colons(mac).replace(":", " ").swapcase(),
        lambda mac: mac.lower(),
    ],
    ids=["colons", "dashes", "dots", "spaces", "bare"],
)
def test_create_accepts_mac_separators_and_any_case(client, factory, manager, spell):
    _, token = manager
    mac = "4e" + random_mac()[2:].lower()  # letters in it, so that case matters
    phone = created(
        client, token, {"sipPhoneModel": model(factory, DESK), "macAddress": spell(mac)}
    )
    assert phone["macAddress"] == mac.upper()


@pytest.mark.parametrize(
    "mac", ["4EE8A34B56F", "4EE8A34B56F30", "GGE8A34B56F3", "4E_E8_A3_4B_56_F3", "", 123456]
)
def test_create_refuses_a_malformed_mac(client, factory, manager, mac):
    customer, token = manager
    before = state(client, token, customer)
    response = create(client, token, {"sipPhoneModel": model(factory, DESK), "macAddress": mac})
    assert_error(response, 400, "bad_request", "macAddress")
    assert state(client, token, customer) == before


@pytest.mark.parametrize("missing", ["sipPhoneModel", "macAddress"])
def test_create_requires_model_and_mac(client, factory, manager, missing):
    customer, token = manager
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac()}
    del body[missing]
    assert_error(create(client, token, body), 400, "bad_request", missing)
    assert total(client, token, customer) == 0


@pytest.mark.parametrize(
    ("model_id", "status", "code"),
    [(MISSING_ID, 404, "not_found"), ("not-an-id", 400, "bad_request")],
)
def test_create_refuses_an_unknown_model(client, manager, model_id, status, code):
    """A well-formed id of no model is 404 naming the field; a malformed one is 400."""
    customer, token = manager
    response = create(client, token, {"sipPhoneModel": model_id, "macAddress": random_mac()})
    assert_error(response, status, code, "sipPhoneModel")
    assert total(client, token, customer) == 0


def test_create_accepts_an_upper_case_model_id(client, factory, manager):
    _, token = manager
    model_id = model(factory, DESK)
    phone = created(client, token, {"sipPhoneModel": model_id.upper(), "macAddress": random_mac()})
    assert phone["sipPhoneModel"] == model_id


def test_create_assigns_an_extension_of_the_same_customer(client, factory, manager):
    customer, token = manager
    extension = factory.extension(customer, "230")
    phone = new_phone(client, factory, token, extension=extension)
    assert phone["extension"] == extension
    listed = list_phones(client, token, customer)["sipPhones"]
    assert listed[0]["extension"] == {"_id": extension, "number": "230", "direct": None}


@pytest.mark.parametrize("whose", ["other customer", "nobody"])
def test_create_refuses_an_extension_of_another_customer(client, factory, manager, whose):
    customer, token = manager
    extension = factory.extension(factory.customer(), "231") if whose != "nobody" else MISSING_ID
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac(),
            "extension": extension}  # fmt: skip
    assert_error(create(client, token, body), 404, "not_found", "extension")
    assert total(client, token, customer) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "a" * 32),
        ("password", "b" * 32),
        ("handsetIndex", 0),
        ("_id", MISSING_ID),
        ("status", {"online": True}),
        ("colour", "red"),
    ],
)
def test_create_refuses_read_only_and_unknown_fields(client, factory, manager, field, value):
    customer, token = manager
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac(), field: value}
    assert_error(create(client, token, body), 400, "bad_request", field)
    assert total(client, token, customer) == 0


def test_generated_credentials_are_32_characters_and_differ_per_phone(client, factory, manager):
    _, token = manager
    phones = [new_phone(client, factory, token) for _ in range(3)]
    usernames = [phone["username"] for phone in phones]
    passwords = [phone["password"] for phone in phones]
    for secret in usernames + passwords:
        assert isinstance(secret, str) and len(secret) == 32
    assert len(set(usernames)) == 3
    assert len(set(passwords)) == 3
    assert not set(usernames) & set(passwords)


# --- create: which customer --------------------------------------------------------------


def test_a_reseller_creates_phones_in_customers_below_it(client, factory):
    reseller = factory.customer(name="Reseller")
    child = factory.customer(parent=reseller)
    grandchild = factory.customer(parent=child)
    token = factory.login(reseller, AccessLevel.RESELLER)
    for customer in (child, grandchild):
        phone = new_phone(client, factory, token, customer=customer.upper())
        assert phone["customer"] == customer
        assert [p["_id"] for p in list_phones(client, token, customer)["sipPhones"]] == [
            phone["_id"]
        ]
    assert total(client, token, reseller) == 0
    # the extension must be the phone's customer's, not the caller's
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac(), "customer": child,
            "extension": factory.extension(reseller, "100")}  # fmt: skip
    assert_error(create(client, token, body), 404, "not_found", "extension")
    assert total(client, token, child) == 1


@pytest.mark.parametrize(
    ("level", "target"),
    [
        (AccessLevel.MANAGER, "child"),
        (AccessLevel.MANAGER, "sibling"),
        (AccessLevel.MANAGER, "foreign"),
        (AccessLevel.MANAGER, "missing"),
        (AccessLevel.RESELLER, "sibling"),
        (AccessLevel.RESELLER, "foreign"),
    ],
)
def test_create_in_a_customer_out_of_reach_is_403(client, factory, level, target):
    parent = factory.customer()
    mine = factory.customer(parent=parent)
    customers = {
        "child": factory.customer(parent=mine),
        "sibling": factory.customer(parent=parent),
        "foreign": factory.customer(),
        "missing": MISSING_ID,
    }
    token = factory.login(mine, level)
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac(),
            "customer": customers[target]}  # fmt: skip
    admin = factory.login(factory.customer(), AccessLevel.ADMIN)
    before = [total(client, admin, c) for c in (mine, customers["child"], customers["sibling"])]
    assert_error(create(client, token, body), 403, "access_denied", "customer")
    after = [total(client, admin, c) for c in (mine, customers["child"], customers["sibling"])]
    assert after == before == [0, 0, 0]


# --- MAC addresses and DECT handsets -------------------------------------------------------


@pytest.mark.parametrize("existing_model", [DESK, YEALINK_DESK], ids=["same model", "other model"])
def test_a_desk_phone_mac_is_unique_across_customers(client, factory, manager, existing_model):
    customer, token = manager
    mac = random_mac()
    factory.phone(factory.customer(), model=existing_model, mac_address=mac)
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": colons(mac).lower()}
    assert_error(create(client, token, body), 409, "macAddress", "macAddress")
    assert total(client, token, customer) == 0


def test_a_desk_phone_cannot_take_the_mac_of_a_dect_base(client, factory, manager):
    customer, token = manager
    mac = random_mac()
    factory.phone(customer, model=W70B, mac_address=mac, handset_index=0)
    before = state(client, token, customer)
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": mac}
    assert_error(create(client, token, body), 409, "macAddress", "macAddress")
    assert state(client, token, customer) == before


def test_handsets_of_a_base_take_the_lowest_free_index(client, factory, manager):
    customer, token = manager
    mac = random_mac()
    body = {"sipPhoneModel": model(factory, W70B), "macAddress": mac}
    handsets = [created(client, token, body) for _ in range(3)]
    assert [handset["handsetIndex"] for handset in handsets] == [0, 1, 2]
    assert {handset["macAddress"] for handset in handsets} == {mac}

    response = client.delete(f"{URL}/{handsets[1]['_id']}", headers=auth(token))
    assert response.json() == {"success": True}
    refill = created(client, token, {**body, "macAddress": colons(mac).lower()})
    assert refill["handsetIndex"] == 1
    assert created(client, token, body)["handsetIndex"] == 3

    listed = list_phones(client, token, customer)["sipPhones"]
    assert sorted(phone["handsetIndex"] for phone in listed) == [0, 1, 2, 3]
    assert get_phone(client, token, handsets[0]["_id"])["handsetIndex"] == 0


def test_a_base_refuses_handsets_beyond_its_capacity(client, factory, manager):
    customer, token = manager
    mac = random_mac()
    for index in range(5):  # N510 IP PRO carries 6
        factory.phone(customer, model=N510, mac_address=mac, handset_index=index)
    body = {"sipPhoneModel": model(factory, N510), "macAddress": mac}
    assert created(client, token, body)["handsetIndex"] == 5
    before = state(client, token, customer)
    assert_error(create(client, token, body), 409, "macAddress", "macAddress")
    assert state(client, token, customer) == before == (None, 6)


@pytest.mark.parametrize("holder", ["desk phone", "base of another model", "other customer"])
def test_a_handset_cannot_share_a_mac_with_another_device(client, factory, manager, holder):
    customer, token = manager
    mac = random_mac()
    if holder == "desk phone":
        factory.phone(customer, model=DESK, mac_address=mac)
    elif holder == "base of another model":
        factory.phone(customer, model=N510, mac_address=mac, handset_index=0)
    else:
        factory.phone(factory.customer(), model=W70B, mac_address=mac, handset_index=0)
    before = state(client, token, customer)
    body = {"sipPhoneModel": model(factory, W70B), "macAddress": mac}
    assert_error(create(client, token, body), 409, "macAddress", "macAddress")
    assert state(client, token, customer) == before


# --- POST /pbx/sipphone/ID: partial update -----------------------------------------------


def test_update_changes_only_what_is_sent(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, notes="old", display_brightness=7, network_vlan_id=12)
    before = get_phone(client, token, phone.id)
    after = updated(client, token, phone.id, {"notes": "new", "callWaiting": False})
    assert without_config_saved(after) == without_config_saved(
        {**before, "notes": "new", "callWaiting": False}
    )
    assert before["status"]["configSaved"] == NOW_ON_THE_WIRE
    assert_recent(after["status"]["configSaved"])


def test_an_empty_update_still_saves_the_configuration(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer)
    before = get_phone(client, token, phone.id)
    after = updated(client, token, phone.id, {})
    assert without_config_saved(after) == without_config_saved(before)
    assert_recent(after["status"]["configSaved"])


def test_nested_objects_are_merged(client, factory, manager):
    customer, token = manager
    phone = factory.phone(
        customer, ip_mode="LOCKED", ip_address="192.0.2.7", volume_handset_mic=1,
        volume_handset_speaker=9, volume_headset_mic=5, network_dhcp=False,
        network_ip_address="192.0.2.20", network_vlan_id=100, codec_video=True,
    )  # fmt: skip
    before = get_phone(client, token, phone.id)
    after = updated(client, token, phone.id, {
        "ip": {"mode": "ROAMING", "countries": "dk,se"},
        "volume": {"handset": {"mic": 3}},
        "network": {"vlanPriority": 5},
        "codec": {"hdAudio": False},
    })  # fmt: skip
    assert after["ip"] == {"mode": "ROAMING", "countries": "DK,SE", "address": "192.0.2.7"}
    assert after["volume"] == {
        "handset": {"mic": 3, "speaker": 9},
        "headset": {"mic": 5, "speaker": None},
        "handsfree": {"mic": None, "speaker": None},
    }
    assert after["network"] == {**before["network"], "vlanPriority": 5}
    assert after["network"]["vlanId"] == 100
    assert after["codec"] == {"hdAudio": False, "video": True}
    untouched = {key for key in FULL_KEYS if key not in {"ip", "volume", "network", "codec"}}
    assert without_config_saved({key: after[key] for key in untouched}) == without_config_saved(
        {key: before[key] for key in untouched}
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("_id", MISSING_ID),
        ("customer", "other"),
        ("handsetIndex", 1),
        ("username", "a" * 32),
        ("password", "b" * 32),
        ("status", {"online": True}),
    ],
)
def test_update_refuses_read_only_fields(client, factory, manager, field, value):
    customer, token = manager
    phone = factory.phone(customer)
    if value == "other":
        value = factory.customer()
    before = state(client, token, customer, phone.id)
    response = update(client, token, phone.id, {"notes": "changed", field: value})
    assert_error(response, 400, "bad_request", field)
    assert state(client, token, customer, phone.id) == before


@pytest.mark.parametrize(
    "path",
    [
        "notes", "pbxCluster", "sipPhoneModel", "macAddress", "sidePanelCount", "dhsg",
        "softkeyConfigurationOnDevice", "softkeyBlfBlindTransfer", "softkeys", "ip",
        "ip.mode", "ip.countries", "codec.hdAudio", "codec.video", "network.dhcp",
        "network.vlanId", "network.vlanPriority", "volume.handset",
        "purchaseInfo.paymentOption", "purchaseInfo.sidePanels",
    ],
)  # fmt: skip
def test_update_refuses_null_for_fields_that_always_have_a_value(client, factory, manager, path):
    customer, token = manager
    phone = factory.phone(customer)
    before = state(client, token, customer, phone.id)
    assert_error(update(client, token, phone.id, nested(path, None)), 400, "bad_request", path)
    assert state(client, token, customer, phone.id) == before


def test_update_clears_nullable_fields_with_null(client, factory, manager):
    customer, token = manager
    phone = factory.phone(
        customer, extension_id=factory.extension(customer, "240"), serial="S1",
        call_waiting=True, headset_button="speaker", display_brightness=3,
        display_font_color="LIGHT", custom_config="x", ip_address="192.0.2.1",
        ringer_tone="1", volume_handset_mic=2, network_ip_address="192.0.2.2",
        purchase_order_id="o-9", purchase_date=NOW,
    )  # fmt: skip
    paths = [
        "extension", "serial", "callWaiting", "headsetButton", "displayBrightness",
        "displayFontColor", "customConfig", "ip.address", "ringer.tone", "volume.handset.mic",
        "network.ipAddress", "purchaseInfo.orderId", "purchaseInfo.date",
    ]  # fmt: skip
    body: dict = {}
    for path in paths:
        first, _, rest = path.partition(".")
        if rest:
            body.setdefault(first, {}).update(nested(rest, None))
        else:
            body[first] = None
    after = updated(client, token, phone.id, body)
    for path in paths:
        value = after
        for key in path.split("."):
            value = value[key]
        assert value is None, path
    assert after["volume"]["handset"] == {"mic": None, "speaker": None}
    assert list_phones(client, token, customer)["sipPhones"][0]["extension"] is None


INVALID_UPDATES = [
    ({"ip": {"mode": "CLOSED"}}, "ip.mode"),
    ({"headsetButton": "both"}, "headsetButton"),
    ({"displayFontColor": "RED"}, "displayFontColor"),
    ({"purchaseInfo": {"paymentOption": "LEASED"}}, "purchaseInfo.paymentOption"),
    ({"purchaseInfo": {"sidePanels": [{"serial": "X", "paymentOption": "FREE"}]}},
     "purchaseInfo.sidePanels[0].paymentOption"),
    ({"softkeys": [{"index": 0, "function": "FLY"}]}, "softkeys[0].function"),
    ({"softkeys": [{"index": -1, "function": "DND"}]}, "softkeys[0].index"),
    ({"displayBrightness": 16}, "displayBrightness"),
    ({"displayBrightness": -1}, "displayBrightness"),
    ({"displayBrightnessIdle": 16}, "displayBrightnessIdle"),
    ({"network": {"vlanId": 4095}}, "network.vlanId"),
    ({"network": {"vlanId": -1}}, "network.vlanId"),
    ({"network": {"vlanPriority": 8}}, "network.vlanPriority"),
    ({"network": {"vlanPriority": -1}}, "network.vlanPriority"),
    ({"volume": {"headset": {"speaker": 16}}}, "volume.headset.speaker"),
    ({"volume": {"handsfree": {"mic": -1}}}, "volume.handsfree.mic"),
    ({"ringer": {"volume": 16}}, "ringer.volume"),
    ({"ringer": {"tone": True}}, "ringer.tone"),
    ({"ip": {"address": "192.0.2.256"}}, "ip.address"),
    ({"ip": {"address": "phone.example.com"}}, "ip.address"),
    ({"network": {"ipAddress": "2001:db8::1"}}, "network.ipAddress"),
    ({"network": {"subnet": "255.255.255"}}, "network.subnet"),
    ({"network": {"gateway": "gateway"}}, "network.gateway"),
    ({"network": {"dns1": "192.0.2.1.1"}}, "network.dns1"),
    ({"network": {"dns2": "::1"}}, "network.dns2"),
    ({"ip": {"mode": "ROAMING", "countries": "XX"}}, "ip.countries"),
    ({"ip": {"countries": "dk,xx"}}, "ip.countries"),
    ({"ip": {"countries": "DNK"}}, "ip.countries"),
    ({"ip": {"mode": "LOCKED"}}, "ip.address"),
    ({"ip": {"mode": "LOCKED", "address": None}}, "ip.address"),
    ({"ip": {"mode": "ROAMING"}}, "ip.countries"),
    ({"ip": {"mode": "ROAMING", "countries": " , "}}, "ip.countries"),
    ({"pbxCluster": 3}, "pbxCluster"),
    ({"sidePanelCount": 17}, "sidePanelCount"),
    ({"displayBackground": "ftp://example.com/bg.png"}, "displayBackground"),
    ({"macAddress": "4EE8A34B56F"}, "macAddress"),
    ({"colour": "red"}, "colour"),
    ({"ip": {"colour": "red"}}, "ip.colour"),
    ({"notes": "a\x00b"}, "notes"),
    ({"callWaiting": "perhaps"}, "callWaiting"),
    # JSON types as published: no numbers in strings, no numbers for booleans
    ({"callWaiting": 1}, "callWaiting"),
    ({"codec": {"video": "true"}}, "codec.video"),
    ({"network": {"vlanId": "5"}}, "network.vlanId"),
    ({"sidePanelCount": True}, "sidePanelCount"),
    ({"volume": {"handset": {"mic": 2.5}}}, "volume.handset.mic"),
    ({"pbxCluster": "1"}, "pbxCluster"),
    ({"macAddress": "4EE8A34B56F3\t"}, "macAddress"),
    ({"purchaseInfo": {"sidePanels": [{"serial": ""}]}}, "purchaseInfo.sidePanels[0].serial"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "field"), INVALID_UPDATES)
def test_update_validation_names_the_field_and_changes_nothing(
    client, factory, manager, body, field
):
    customer, token = manager
    phone = factory.phone(customer)
    factory.side_panel(phone, 0, serial())
    before = state(client, token, customer, phone.id)
    assert_error(update(client, token, phone.id, body), 400, "bad_request", field)
    assert state(client, token, customer, phone.id) == before


@pytest.mark.parametrize(
    ("body", "field"), [({"sipPhoneModel": MISSING_ID}, "sipPhoneModel"),
                        ({"extension": MISSING_ID}, "extension")],
)  # fmt: skip
def test_update_naming_an_unknown_record_is_404_and_changes_nothing(
    client, factory, manager, body, field
):
    customer, token = manager
    phone = factory.phone(customer)
    before = state(client, token, customer, phone.id)
    assert_error(update(client, token, phone.id, body), 404, "not_found", field)
    assert state(client, token, customer, phone.id) == before


def test_whole_numbers_may_be_written_with_a_fraction_of_zero(client, factory, manager):
    """JSON Schema counts 5.0 as an integer, and so does the API."""
    customer, token = manager
    phone = factory.phone(customer)
    body = {"pbxCluster": 2.0, "network": {"vlanId": 5.0}, "ringer": {"tone": 3.0},
            "volume": {"handset": {"mic": 7.0}}}  # fmt: skip
    changed = updated(client, token, phone.id, body)
    assert (changed["pbxCluster"], changed["network"]["vlanId"], changed["ringer"]["tone"],
            changed["volume"]["handset"]["mic"]) == (2, 5, "3", 7)  # fmt: skip


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("dk, se", "DK,SE"), ("DK", "DK"), ("fo,GL ,is", "FO,GL,IS"), ("se,dk,se", "SE,DK")],
)
def test_countries_are_normalized(client, factory, manager, sent, stored):
    customer, token = manager
    phone = factory.phone(customer)
    after = updated(client, token, phone.id, {"ip": {"mode": "ROAMING", "countries": sent}})
    assert after["ip"] == {"mode": "ROAMING", "countries": stored, "address": None}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("192.0.2.33", "192.0.2.33"), ("2001:DB8:0::1", "2001:db8::1")],
)
def test_locked_takes_an_ipv4_or_ipv6_address(client, factory, manager, sent, stored):
    customer, token = manager
    phone = factory.phone(customer, ip_countries="DK")
    after = updated(client, token, phone.id, {"ip": {"mode": "LOCKED", "address": sent}})
    assert after["ip"] == {"mode": "LOCKED", "countries": "DK", "address": stored}


def test_locked_and_roaming_keep_their_requirement_on_later_updates(client, factory, manager):
    customer, token = manager
    locked = factory.phone(customer, ip_mode="LOCKED", ip_address="192.0.2.7")
    roaming = factory.phone(customer, ip_mode="ROAMING", ip_countries="DK")
    for phone_id, body, field in [
        (locked.id, {"ip": {"address": None}}, "ip.address"),
        (roaming.id, {"ip": {"countries": ""}}, "ip.countries"),
    ]:
        before = state(client, token, customer, phone_id)
        assert_error(update(client, token, phone_id, body), 400, "bad_request", field)
        assert state(client, token, customer, phone_id) == before
    # leaving the mode lifts the requirement
    after = updated(client, token, locked.id, {"ip": {"mode": "OPEN", "address": None}})
    assert after["ip"] == {"mode": "OPEN", "countries": "", "address": None}


def test_ringer_tone_accepts_a_number_and_answers_a_string(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer)
    assert updated(client, token, phone.id, {"ringer": {"tone": 3}})["ringer"] == {
        "volume": None, "tone": "3"
    }  # fmt: skip
    after = updated(client, token, phone.id, {"ringer": {"volume": 15, "tone": "custom-1"}})
    assert after["ringer"] == {"volume": 15, "tone": "custom-1"}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2020-05-06T07:08:09+02:00", "2020-05-06T05:08:09Z"),
        ("2020-05-06T07:08:09.750Z", "2020-05-06T07:08:09Z"),
    ],
)
def test_purchase_dates_are_answered_in_utc(client, factory, manager, sent, stored):
    customer, token = manager
    phone = factory.phone(customer)
    body = {"purchaseInfo": {"date": sent, "sidePanels": [{"serial": serial(), "date": sent}]}}
    after = updated(client, token, phone.id, body)
    assert after["purchaseInfo"]["date"] == stored
    assert after["purchaseInfo"]["sidePanels"][0]["date"] == stored


@pytest.mark.parametrize(
    ("where", "sent"),
    [("phone", "2020-01-01"), ("phone", "2020-01-01T00:00:00"), ("panel", "2020-01-01T00:00:00")],
)
def test_a_purchase_date_without_a_time_zone_is_no_server_error(
    client, factory, manager, where, sent
):
    """The documentation types the field as "Date": a client may well send no zone."""
    customer, token = manager
    phone = factory.phone(customer)
    panel_serial = serial()
    body = (
        {"purchaseInfo": {"date": sent}}
        if where == "phone"
        else {"purchaseInfo": {"sidePanels": [{"serial": panel_serial, "date": sent}]}}
    )
    before = state(client, token, customer, phone.id)
    response = update(client, token, phone.id, body)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:  # refused, naming the field
        assert "date" in response.json()["field"]
        assert state(client, token, customer, phone.id) == before
    else:  # or read as UTC
        purchase = response.json()["purchaseInfo"]
        date = purchase["date"] if where == "phone" else purchase["sidePanels"][0]["date"]
        assert date == "2020-01-01T00:00:00Z"


def test_extension_is_assigned_changed_and_refused_from_another_customer(client, factory, manager):
    customer, token = manager
    first, second = factory.extension(customer, "250"), factory.extension(customer, "251")
    phone = factory.phone(customer, extension_id=first)
    assert updated(client, token, phone.id, {"extension": second.upper()})["extension"] == second
    listed = list_phones(client, token, customer)["sipPhones"][0]
    assert listed["extension"] == {"_id": second, "number": "251", "direct": None}

    foreign = factory.extension(factory.customer(), "252")
    before = state(client, token, customer, phone.id)
    assert_error(update(client, token, phone.id, {"extension": foreign}), 404, "not_found",
                 "extension")  # fmt: skip
    assert state(client, token, customer, phone.id) == before


# --- softkeys ----------------------------------------------------------------------------


def test_softkeys_are_stored_in_the_order_sent_and_replaced_whole(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, model=DESK)
    softkeys = [
        {"index": 23, "function": "SPEEDDIAL", "value": "+4512345678", "label": "Mum"},
        {"index": 0, "function": "DND"},
        {"index": 5, "function": "PRESENCE", "label": "Me"},
    ]
    after = updated(client, token, phone.id, {"softkeys": softkeys})
    assert after["softkeys"] == [
        {"index": 23, "function": "SPEEDDIAL", "value": "+4512345678", "label": "Mum"},
        {"index": 0, "function": "DND", "value": None, "label": None},
        {"index": 5, "function": "PRESENCE", "value": None, "label": "Me"},
    ]
    after = updated(client, token, phone.id, {"softkeys": [{"index": 1, "function": "REDIAL"}]})
    assert after["softkeys"] == [{"index": 1, "function": "REDIAL", "value": None, "label": None}]
    assert updated(client, token, phone.id, {"softkeys": []})["softkeys"] == []


@pytest.mark.parametrize(
    ("brand_and_model", "softkeys", "field"),
    [
        (SMALL_DESK, [{"index": 3, "function": "DND"}], "softkeys[0].index"),
        (SMALL_DESK, [{"index": 2, "function": "DND"}, {"index": 3, "function": "DND"}],
         "softkeys[1].index"),
        (NO_SOFTKEYS, [{"index": 0, "function": "DND"}], "softkeys[0].index"),
        (DESK, [{"index": 4, "function": "DND"}, {"index": 4, "function": "HOLD"}],
         "softkeys[1].index"),
        (YEALINK_DESK, [{"index": 0, "function": "PRESENCE"}], "softkeys[0].function"),
    ],
    ids=["beyond the model", "second beyond", "model without keys", "index twice", "function"],
)  # fmt: skip
def test_softkeys_must_fit_the_model(client, factory, manager, brand_and_model, softkeys, field):
    customer, token = manager
    phone = factory.phone(customer, model=brand_and_model)
    before = state(client, token, customer, phone.id)
    response = update(client, token, phone.id, {"softkeys": softkeys})
    assert_error(response, 400, "bad_request", field)
    assert state(client, token, customer, phone.id) == before


@pytest.mark.parametrize("how", ["create", "update"])
def test_a_softkey_sent_without_value_and_label_leaves_the_phone_readable(
    client, factory, manager, how
):
    """value and label are optional: the phone must stay readable (GET, full list)."""
    customer, token = manager
    softkeys = [{"index": 1, "function": "DND"}]
    if how == "create":
        body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac(),
                "softkeys": softkeys}  # fmt: skip
        response = create(client, token, body)
        phone_id = list_phones(client, token, customer)["sipPhones"][0]["_id"]
    else:
        phone_id = factory.phone(customer).id
        response = update(client, token, phone_id, {"softkeys": softkeys})
    assert response.status_code == 200, response.text
    stored = [{"index": 1, "function": "DND", "value": None, "label": None}]
    assert response.json()["softkeys"] == stored
    assert get_phone(client, token, phone_id)["softkeys"] == stored
    listed = client.get(URL, params={"full": "true"}, headers=auth(token))
    assert listed.status_code == 200, listed.text
    assert listed.json()["sipPhones"][0]["softkeys"] == stored


def test_the_last_softkey_of_the_model_is_accepted(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, model=SMALL_DESK)
    after = updated(client, token, phone.id, {"softkeys": [{"index": 2, "function": "HOLD"}]})
    assert after["softkeys"] == [{"index": 2, "function": "HOLD", "value": None, "label": None}]


@pytest.mark.parametrize(
    "function", ["SPEEDDIAL", "BLF", "URL", "PICKUPGROUP", "QUEUE", "SWITCH", "DNDOTHER"]
)
@pytest.mark.parametrize("value", [None, ""], ids=["missing", "empty"])
def test_softkey_functions_that_act_on_something_need_a_value(
    client, factory, manager, function, value
):
    customer, token = manager
    phone = factory.phone(customer, model=DESK)
    softkey = {"index": 0, "function": function}
    if value is not None:
        softkey["value"] = value
    before = state(client, token, customer, phone.id)
    response = update(client, token, phone.id, {"softkeys": [softkey]})
    assert_error(response, 400, "bad_request", "softkeys[0].value")
    assert state(client, token, customer, phone.id) == before


def test_a_blf_key_watches_an_extension_of_the_same_customer(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, model=DESK)
    own = factory.extension(customer, "260")
    after = updated(client, token, phone.id, {"softkeys": [
        {"index": 0, "function": "BLF", "value": own},
        {"index": 1, "function": "SPEEDDIAL", "value": "260"},
        {"index": 2, "function": "URL", "value": "https://example.com/door"},
    ]})  # fmt: skip
    assert [key["value"] for key in after["softkeys"]] == [
        own, "260", "https://example.com/door"
    ]  # fmt: skip
    foreign = factory.extension(factory.customer(), "261")
    for value in (foreign, "260", MISSING_ID):
        before = state(client, token, customer, phone.id)
        body = {"softkeys": [{"index": 0, "function": "BLF", "value": value}]}
        assert_error(update(client, token, phone.id, body), 400, "bad_request",
                     "softkeys[0].value")  # fmt: skip
        assert state(client, token, customer, phone.id) == before


def test_changing_the_model_checks_the_softkeys_again(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, model=DESK,
                          softkeys=[{"index": 10, "function": "DND", "value": None,
                                     "label": None}])  # fmt: skip
    before = state(client, token, customer, phone.id)
    body = {"sipPhoneModel": model(factory, SMALL_DESK)}
    assert_error(update(client, token, phone.id, body), 400, "bad_request", "softkeys[0].index")
    assert state(client, token, customer, phone.id) == before
    # with the keys moved into range in the same request, the model change goes through
    body["softkeys"] = [{"index": 1, "function": "DND"}]
    after = updated(client, token, phone.id, body)
    assert after["sipPhoneModel"] == model(factory, SMALL_DESK)
    assert after["softkeys"] == [{"index": 1, "function": "DND", "value": None, "label": None}]


# --- side panels -------------------------------------------------------------------------


def test_side_panels_are_replaced_whole(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer)
    first, second, third = serial(), serial(), serial()
    after = updated(client, token, phone.id, {"purchaseInfo": {"sidePanels": [
        {"serial": first, "paymentOption": "RENTED", "orderId": "o-1"},
        {"serial": second},
    ]}})  # fmt: skip
    assert after["purchaseInfo"]["sidePanels"] == [
        {"serial": first, "paymentOption": "RENTED", "orderId": "o-1", "date": None},
        {"serial": second, "paymentOption": "NONE", "orderId": None, "date": None},
    ]
    # other purchase fields leave the panels alone
    after = updated(client, token, phone.id, {"purchaseInfo": {"orderId": "o-7"}})
    assert after["purchaseInfo"]["orderId"] == "o-7"
    assert [panel["serial"] for panel in after["purchaseInfo"]["sidePanels"]] == [first, second]
    # a new list replaces the old one; a serial kept is no conflict with itself
    body = {"purchaseInfo": {"sidePanels": [{"serial": third}, {"serial": first}]}}
    after = updated(client, token, phone.id, body)
    assert [panel["serial"] for panel in after["purchaseInfo"]["sidePanels"]] == [third, first]
    assert after["purchaseInfo"]["sidePanels"][1]["paymentOption"] == "NONE"
    # and the serial dropped is free for another phone
    other = factory.phone(customer)
    body = {"purchaseInfo": {"sidePanels": [{"serial": second}]}}
    assert updated(client, token, other.id, body)["purchaseInfo"]["sidePanels"][0]["serial"] == (
        second
    )
    assert (
        updated(client, token, phone.id, {"purchaseInfo": {"sidePanels": []}})["purchaseInfo"][
            "sidePanels"
        ]
        == []
    )


@pytest.mark.parametrize("owner", ["same customer", "other customer"])
def test_a_side_panel_serial_is_unique_across_all_phones(client, factory, manager, owner):
    customer, token = manager
    holder = factory.phone(customer if owner == "same customer" else factory.customer())
    taken = serial()
    factory.side_panel(holder, 0, taken)
    phone = factory.phone(customer)
    kept = serial()
    factory.side_panel(phone, 0, kept)

    before = state(client, token, customer, phone.id)
    body = {"purchaseInfo": {"sidePanels": [{"serial": serial()}, {"serial": taken}]}}
    response = update(client, token, phone.id, body)
    assert_error(response, 409, "purchaseInfo.sidePanels", "purchaseInfo.sidePanels")
    assert state(client, token, customer, phone.id) == before

    # on create, the phone written before the panels is rolled back with them
    body = {"sipPhoneModel": model(factory, DESK), "macAddress": random_mac(),
            "purchaseInfo": {"sidePanels": [{"serial": taken}]}}  # fmt: skip
    response = create(client, token, body)
    assert_error(response, 409, "purchaseInfo.sidePanels", "purchaseInfo.sidePanels")
    assert state(client, token, customer, phone.id) == before
    # the MAC was not taken by the refused create
    assert created(client, token, {k: v for k, v in body.items() if k != "purchaseInfo"})


def test_a_side_panel_serial_listed_twice_is_400(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer)
    twice = serial()
    before = state(client, token, customer, phone.id)
    body = {"purchaseInfo": {"sidePanels": [{"serial": twice}, {"serial": f" {twice} "}]}}
    assert_error(update(client, token, phone.id, body), 400, "bad_request",
                 "purchaseInfo.sidePanels")  # fmt: skip
    assert state(client, token, customer, phone.id) == before


# --- changing MAC address and model ------------------------------------------------------


def test_a_desk_phone_changes_mac_and_model(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, model=DESK)
    old_mac = phone.mac_address
    new_mac = random_mac()
    after = updated(client, token, phone.id, {"macAddress": colons(new_mac).lower()})
    assert (after["macAddress"], after["handsetIndex"]) == (new_mac, None)
    after = updated(client, token, phone.id, {"sipPhoneModel": model(factory, YEALINK_DESK)})
    assert after["sipPhoneModel"] == model(factory, YEALINK_DESK)
    # the old MAC is free again
    assert new_phone(client, factory, token, macAddress=old_mac)["macAddress"] == old_mac


@pytest.mark.parametrize("holder", ["desk phone", "dect base", "desk phone elsewhere"])
def test_a_desk_phone_cannot_change_to_a_mac_in_use(client, factory, manager, holder):
    customer, token = manager
    mac = random_mac()
    if holder == "desk phone":
        factory.phone(customer, mac_address=mac)
    elif holder == "dect base":
        factory.phone(customer, model=W70B, mac_address=mac, handset_index=0)
    else:
        factory.phone(factory.customer(), mac_address=mac)
    phone = factory.phone(customer)
    before = state(client, token, customer, phone.id)
    response = update(client, token, phone.id, {"macAddress": mac.lower()})
    assert_error(response, 409, "macAddress", "macAddress")
    assert state(client, token, customer, phone.id) == before


def test_a_desk_phone_cannot_become_a_dect_handset(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, model=DESK)
    before = state(client, token, customer, phone.id)
    response = update(client, token, phone.id, {"sipPhoneModel": model(factory, W70B)})
    assert_error(response, 400, "bad_request", "sipPhoneModel")
    assert state(client, token, customer, phone.id) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("free mac", "macAddress"),
        ("other base mac", "macAddress"),
        (W70B, "sipPhoneModel"),
        (DESK, "sipPhoneModel"),
    ],
    ids=["to a free mac", "to another base", "to another base model", "to a desk model"],
)
def test_a_dect_handset_cannot_move_to_another_base(client, factory, manager, change, field):
    customer, token = manager
    mac, other_base = random_mac(), random_mac()
    handset = factory.phone(customer, model=N510, mac_address=mac, handset_index=0)
    factory.phone(customer, model=N510, mac_address=mac, handset_index=1)
    factory.phone(customer, model=N510, mac_address=other_base, handset_index=0)
    body = {
        "free mac": {"macAddress": random_mac()},
        "other base mac": {"macAddress": other_base},
    }.get(change) or {"sipPhoneModel": model(factory, change)}
    before = state(client, token, customer, handset.id)
    assert_error(update(client, token, handset.id, body), 400, "bad_request", field)
    assert state(client, token, customer, handset.id) == before


def test_a_handset_resending_its_own_mac_and_model_is_no_move(client, factory, manager):
    customer, token = manager
    mac = random_mac()
    factory.phone(customer, model=N510, mac_address=mac, handset_index=0)
    handset = factory.phone(customer, model=N510, mac_address=mac, handset_index=1)
    body = {"macAddress": colons(mac).lower(), "sipPhoneModel": model(factory, N510),
            "notes": "kitchen"}  # fmt: skip
    after = updated(client, token, handset.id, body)
    assert (after["macAddress"], after["handsetIndex"], after["notes"]) == (mac, 1, "kitchen")


# --- DELETE /pbx/sipphone/ID ---------------------------------------------------------------


def test_delete_removes_the_phone_and_its_side_panels(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer)
    keep = factory.phone(customer)
    panel_serial = serial()
    factory.side_panel(phone, 0, panel_serial)

    response = client.delete(f"{URL}/{phone.id.upper()}", headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}

    assert_error(client.get(f"{URL}/{phone.id}", headers=auth(token)), 404, "not_found")
    assert_error(client.delete(f"{URL}/{phone.id}", headers=auth(token)), 404, "not_found")
    assert [p["_id"] for p in list_phones(client, token, customer)["sipPhones"]] == [keep.id]
    # the panel went with the phone: its serial is free
    body = {"purchaseInfo": {"sidePanels": [{"serial": panel_serial}]}}
    assert updated(client, token, keep.id, body)["purchaseInfo"]["sidePanels"][0]["serial"] == (
        panel_serial
    )
    # and so is the MAC
    assert new_phone(client, factory, token, macAddress=phone.mac_address)


@pytest.mark.parametrize("method", ["update", "delete", "resetcredentials"])
def test_writes_to_a_missing_or_malformed_id(client, manager, method):
    _, token = manager
    for phone_id, status, code, field in [
        (MISSING_ID, 404, "not_found", None),
        ("xyz", 400, "bad_request", "id"),
    ]:
        body = assert_error(call(client, method, token, phone_id), status, code)
        assert body.get("field") == field


# --- GET /pbx/sipphone/ID/resetcredentials --------------------------------------------------


def test_resetcredentials_gives_new_username_and_password(client, factory, manager):
    customer, token = manager
    phone = factory.phone(customer, notes="keep me")
    before = get_phone(client, token, phone.id)
    response = client.get(f"{URL}/{phone.id}/resetcredentials", headers=auth(token))
    assert response.status_code == 200, response.text
    after = response.json()
    assert len(after["username"]) == len(after["password"]) == 32
    assert after["username"] != before["username"]
    assert after["password"] != before["password"]
    assert get_phone(client, token, phone.id) == after
    unchanged = {**after, "username": before["username"], "password": before["password"]}
    assert without_config_saved(unchanged) == without_config_saved(before)
    assert_recent(after["status"]["configSaved"])
    # a VIEWER sees the new username, still not the password
    as_viewer = get_phone(client, factory.login(customer, AccessLevel.VIEWER), phone.id)
    assert (as_viewer["username"], as_viewer["password"]) == (after["username"], None)


# --- POST /pbx/sipphone/webrtc ---------------------------------------------------------------


@pytest.fixture
def personal(factory) -> tuple[str, str, str]:
    """A PERSONAL employee with its token: (customer, employee, token)."""
    customer = factory.customer()
    employee = factory.employee(customer, AccessLevel.PERSONAL, name="Alice")
    return customer, employee, factory.token(employee)


def webrtc(client, token: str, body: dict):
    return client.post(WEBRTC_URL, json=body, headers=auth(token))


@pytest.mark.parametrize("v2", [True, False, None], ids=["v2", "v1", "v2 not sent"])
def test_webrtc_answers_the_account_of_the_callers_extension(client, factory, personal, v2):
    customer, employee, token = personal
    factory.extension(customer, "300", name="Somebody else")  # no employee: not the caller's
    factory.extension(customer, "301", employee_id=employee, name="Alice desk")
    body = {"instanceId": "desktop-1"} | ({} if v2 is None else {"v2": v2})
    response = webrtc(client, token, body)
    assert response.status_code == 200, response.text
    account = response.json()
    servers = {"server": DEFAULT_WEBRTC_SERVER} if v2 else {"servers": [DEFAULT_WEBRTC_SERVER]}
    assert account == {
        "_id": account["_id"], "username": account["username"], "password": account["password"],
        "extensionNumber": "301", "extensionName": "Alice desk", **servers,
    }  # fmt: skip
    assert len(account["username"]) == len(account["password"]) == 32


def test_webrtc_finds_the_phone_again_by_instance_id(client, factory, personal):
    customer, employee, token = personal
    extension = factory.extension(customer, "302", employee_id=employee)
    first = webrtc(client, token, {"instanceId": "laptop", "v2": True}).json()
    again = webrtc(client, token, {"instanceId": "laptop", "v2": False}).json()
    assert (again["_id"], again["username"], again["password"]) == (
        first["_id"], first["username"], first["password"]
    )  # fmt: skip
    other = webrtc(client, token, {"instanceId": "phone-app", "v2": True}).json()
    assert other["_id"] != first["_id"]
    assert other["username"] != first["username"]

    manager_token = factory.login(customer, AccessLevel.MANAGER)
    listed = list_phones(client, manager_token, customer)
    assert listed["total"] == 2
    assert [phone["_id"] for phone in listed["sipPhones"]] == sorted([first["_id"], other["_id"]])
    for phone in listed["sipPhones"]:
        assert phone["extension"] == {"_id": extension, "number": "302", "direct": None}
        assert phone["employee"] == {"_id": employee, "name": "Alice"}
    full = get_phone(client, manager_token, first["_id"])
    assert (full["instanceId"], full["extension"], full["customer"]) == (
        "laptop", extension, customer
    )  # fmt: skip
    assert (full["username"], full["password"]) == (first["username"], first["password"])


def test_webrtc_instance_ids_are_per_customer(client, factory, personal):
    customer, employee, token = personal
    factory.extension(customer, "303", employee_id=employee)
    elsewhere = factory.customer()
    someone = factory.employee(elsewhere, AccessLevel.PERSONAL)
    factory.extension(elsewhere, "303", employee_id=someone)
    mine = webrtc(client, token, {"instanceId": "shared-name"}).json()
    theirs = webrtc(client, factory.token(someone), {"instanceId": "shared-name"}).json()
    assert mine["_id"] != theirs["_id"]
    assert mine["username"] != theirs["username"]


def test_webrtc_does_not_hand_over_a_colleagues_phone(client, factory, personal):
    customer, employee, token = personal
    factory.extension(customer, "306", employee_id=employee)
    colleague = factory.employee(customer, AccessLevel.PERSONAL)
    factory.extension(customer, "307", employee_id=colleague)
    theirs = webrtc(client, factory.token(colleague), {"instanceId": "laptop"}).json()
    manager_token = factory.login(customer, AccessLevel.MANAGER)
    before = state(client, manager_token, customer, theirs["_id"])
    response = webrtc(client, token, {"instanceId": "laptop"})
    assert_error(response, 409, "instanceId")
    assert theirs["password"] not in response.text
    assert state(client, manager_token, customer, theirs["_id"]) == before


def test_webrtc_does_not_hand_over_an_unassigned_phone(client, factory, personal):
    """A phone on nobody's extension is not the caller's: its SIP credentials must not
    go to whoever names its instanceId."""
    customer, employee, token = personal
    factory.extension(customer, "308", employee_id=employee)
    manager_token = factory.login(customer, AccessLevel.MANAGER)
    spare = new_phone(client, factory, manager_token, NO_SOFTKEYS, instanceId="spare-1")
    response = webrtc(client, token, {"instanceId": "spare-1", "v2": True})
    assert response.status_code in (200, 409), response.text
    assert spare["password"] not in response.text
    assert spare["username"] not in response.text
    after = get_phone(client, manager_token, spare["_id"])
    assert (after["extension"], after["username"]) == (None, spare["username"])


def test_webrtc_without_an_own_extension_is_409(client, factory, personal):
    customer, _, token = personal
    colleague = factory.employee(customer, AccessLevel.PERSONAL)
    factory.extension(customer, "304", employee_id=colleague)
    manager_token = factory.login(customer, AccessLevel.MANAGER)
    before = total(client, manager_token, customer)
    assert_error(webrtc(client, token, {"instanceId": "x", "v2": True}), 409, "extension")
    assert total(client, manager_token, customer) == before == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "instanceId"), ({"instanceId": ""}, "instanceId"), ({"instanceId": 5}, "instanceId"),
     ({"instanceId": "a", "username": "u"}, "username")],
)  # fmt: skip
def test_webrtc_validates_its_body(client, factory, personal, body, field):
    customer, employee, token = personal
    factory.extension(customer, "305", employee_id=employee)
    assert_error(webrtc(client, token, body), 400, "bad_request", field)
    assert total(client, factory.login(customer, AccessLevel.MANAGER), customer) == 0


# --- access ------------------------------------------------------------------------------


def call(client, method: str, token: str, phone_id: str):
    headers = auth(token)
    if method == "get":
        return client.get(f"{URL}/{phone_id}", headers=headers)
    if method == "update":
        return client.post(f"{URL}/{phone_id}", json={"notes": "taken over"}, headers=headers)
    if method == "delete":
        return client.delete(f"{URL}/{phone_id}", headers=headers)
    return client.get(f"{URL}/{phone_id}/resetcredentials", headers=headers)


@pytest.fixture
def tree(factory) -> dict:
    """reseller -> mine -> child; reseller -> sibling; foreign apart. A phone in each, and
    a MANAGER token in each to look at them."""
    reseller = factory.customer(name="Reseller")
    customers = {"reseller": reseller}
    customers["mine"] = factory.customer(parent=reseller)
    customers["child"] = factory.customer(parent=customers["mine"])
    customers["sibling"] = factory.customer(parent=reseller)
    customers["foreign"] = factory.customer()
    return {
        name: {
            "customer": customer,
            "phone": factory.phone(customer).id,
            "manager": factory.login(customer, AccessLevel.MANAGER),
        }
        for name, customer in customers.items()
    }


METHODS = ["get", "update", "delete", "resetcredentials"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("level", "target"),
    [
        (AccessLevel.MANAGER, "reseller"),
        (AccessLevel.MANAGER, "child"),
        (AccessLevel.MANAGER, "sibling"),
        (AccessLevel.MANAGER, "foreign"),
        (AccessLevel.OWNER, "sibling"),
        (AccessLevel.RESELLER, "sibling"),
        (AccessLevel.RESELLER, "foreign"),
    ],
)
def test_a_phone_out_of_reach_is_404_like_a_missing_one(
    client, factory, tree, method, level, target
):
    token = factory.login(tree["mine"]["customer"], level)
    victim = tree[target]
    before = state(client, victim["manager"], victim["customer"], victim["phone"])
    response = call(client, method, token, victim["phone"])
    assert_error(response, 404, "not_found")
    assert response.json() == call(client, method, token, MISSING_ID).json()
    assert state(client, victim["manager"], victim["customer"], victim["phone"]) == before


@pytest.mark.parametrize("target", ["reseller", "child", "sibling", "foreign"])
def test_a_viewer_does_not_see_phones_out_of_reach(client, factory, tree, target):
    token = factory.login(tree["mine"]["customer"], AccessLevel.VIEWER)
    response = call(client, "get", token, tree[target]["phone"])
    assert_error(response, 404, "not_found")
    assert response.json() == call(client, "get", token, MISSING_ID).json()
    assert get_phone(client, token, tree["mine"]["phone"])["password"] is None


@pytest.mark.parametrize("target", ["mine", "child", "sibling"])
def test_a_reseller_reaches_phones_of_customers_below_it(client, factory, tree, target):
    token = factory.login(tree["reseller"]["customer"], AccessLevel.RESELLER)
    victim = tree[target]
    phone = get_phone(client, token, victim["phone"])
    assert phone["password"] is not None
    assert updated(client, token, victim["phone"], {"notes": "by reseller"})["notes"] == (
        "by reseller"
    )
    reset = call(client, "resetcredentials", token, victim["phone"]).json()
    assert reset["username"] != phone["username"]
    assert call(client, "delete", token, victim["phone"]).json() == {"success": True}
    assert total(client, victim["manager"], victim["customer"]) == 0


def test_another_reseller_does_not_reach_them(client, factory, tree):
    other_reseller = factory.customer(name="Other reseller")
    token = factory.login(other_reseller, AccessLevel.RESELLER)
    for method in METHODS:
        assert_error(call(client, method, token, tree["child"]["phone"]), 404, "not_found")
    assert get_phone(client, tree["child"]["manager"], tree["child"]["phone"])["notes"] == ""


def test_an_admin_reaches_every_phone(client, factory, tree):
    token = factory.login(factory.customer(), AccessLevel.ADMIN)
    assert (
        get_phone(client, token, tree["foreign"]["phone"])["customer"]
        == (tree["foreign"]["customer"])
    )
    assert updated(client, token, tree["foreign"]["phone"], {"notes": "admin"})["notes"] == "admin"


@pytest.mark.parametrize("level", [AccessLevel.VIEWER, AccessLevel.PERSONAL])
@pytest.mark.parametrize("method", ["create", "update", "delete", "resetcredentials"])
def test_viewer_and_personal_cannot_write(client, factory, manager, level, method):
    customer, manager_token = manager
    phone = factory.phone(customer)
    token = factory.login(customer, level)
    before = state(client, manager_token, customer, phone.id)
    if method == "create":
        response = create(client, token, {"sipPhoneModel": model(factory, DESK),
                                          "macAddress": random_mac()})  # fmt: skip
    else:
        response = call(client, method, token, phone.id)
    assert_error(response, 403, "access_denied")
    assert state(client, manager_token, customer, phone.id) == before


def test_personal_cannot_read_phones(client, factory, personal):
    customer, employee, token = personal
    factory.extension(customer, "310", employee_id=employee)
    own_webrtc = webrtc(client, token, {"instanceId": "mine"}).json()
    assert_error(call(client, "get", token, own_webrtc["_id"]), 403, "access_denied")
    assert_error(call(client, "get", token, factory.phone(customer).id), 403, "access_denied")


def test_a_viewer_reads_its_own_customers_phone(client, factory, manager):
    customer, manager_token = manager
    phone = factory.phone(customer)
    as_viewer = get_phone(client, factory.login(customer, AccessLevel.VIEWER), phone.id)
    assert as_viewer == {**get_phone(client, manager_token, phone.id), "password": None}
