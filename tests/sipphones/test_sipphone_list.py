"""GET /pbx/sipphone: parameters, paging, both representations, the password rule."""

from datetime import UTC, datetime

import pytest

from harness.factory import random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.tables import Extension

NORMAL_KEYS = {
    "_id", "macAddress", "handsetIndex", "handsetAddress", "sipPhoneModel", "extension",
    "employee", "ip", "notes", "online",
}  # fmt: skip
FULL_KEYS = {
    "_id", "pbxCluster", "sipPhoneModel", "extension", "customer", "macAddress", "serial",
    "handsetIndex", "handsetAddress", "callWaiting", "sidePanel", "sidePanelCount",
    "softkeyConfigurationOnDevice", "softkeyBlfBlindTransfer", "headsetButton", "dhsg",
    "displayBrightness", "displayBrightnessIdle", "displayBackground", "displayFontColor",
    "customConfig", "notes", "ip", "username", "password", "instanceId", "ringer", "volume",
    "softkeys", "codec", "network", "purchaseInfo", "status",
}  # fmt: skip


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def viewer(factory):
    customer = factory.customer()
    return customer, factory.login(customer, AccessLevel.VIEWER)


def list_phones(client, token, **params):
    response = client.get("/pbx/sipphone", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()


def ids(body) -> list[str]:
    return [phone["_id"] for phone in body["sipPhones"]]


# --- paging ------------------------------------------------------------------------------


def test_defaults_are_offset_0_and_limit_50(client, factory, viewer):
    customer, token = viewer
    phones = [factory.phone(customer) for _ in range(52)]
    body = list_phones(client, token)
    assert (body["offset"], body["limit"], body["total"]) == (0, 50, 52)
    assert ids(body) == [phone.id for phone in phones[:50]]


def test_paging_walks_every_phone_once_in_id_order(client, factory, viewer):
    customer, token = viewer
    expected = sorted(factory.phone(customer).id for _ in range(7))
    seen = []
    for offset in range(0, 9, 3):
        body = list_phones(client, token, offset=offset, limit=3)
        assert (body["offset"], body["limit"], body["total"]) == (offset, 3, 7)
        seen += ids(body)
    assert seen == expected


def test_offset_past_the_end_is_empty_with_the_true_total(client, factory, viewer):
    customer, token = viewer
    for _ in range(3):
        factory.phone(customer)
    body = list_phones(client, token, offset=10, limit=5)
    assert body == {"offset": 10, "limit": 5, "total": 3, "sipPhones": []}


def test_total_counts_when_the_page_is_full(client, factory, viewer):
    customer, token = viewer
    for _ in range(5):
        factory.phone(customer)
    body = list_phones(client, token, offset=1, limit=2)
    assert body["total"] == 5
    assert len(body["sipPhones"]) == 2


def test_limit_1000_is_accepted(client, viewer):
    _, token = viewer
    assert list_phones(client, token, limit=1000)["limit"] == 1000


def test_an_empty_customer_lists_nothing(client, viewer):
    _, token = viewer
    assert list_phones(client, token) == {"offset": 0, "limit": 50, "total": 0, "sipPhones": []}


def test_available_lists_only_phones_without_extension(client, factory, viewer):
    customer, token = viewer
    extension = factory.extension(customer, "200")
    assigned = factory.phone(customer, extension_id=extension)
    free = [factory.phone(customer).id for _ in range(2)]
    assert ids(list_phones(client, token, available="true")) == free
    assert list_phones(client, token, available="true")["total"] == 2
    assert ids(list_phones(client, token, available="false")) == [assigned.id, *free]


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "1"])
def test_boolean_parameters_accept_true_spellings(client, factory, viewer, value):
    customer, token = viewer
    factory.phone(customer)
    assert set(list_phones(client, token, full=value)["sipPhones"][0]) == FULL_KEYS
    assert list_phones(client, token, available=value)["total"] == 1


@pytest.mark.parametrize("value", ["false", "FALSE", "False", "0"])
def test_boolean_parameters_accept_false_spellings(client, factory, viewer, value):
    customer, token = viewer
    factory.phone(customer, extension_id=factory.extension(customer, "201"))
    assert set(list_phones(client, token, full=value)["sipPhones"][0]) == NORMAL_KEYS
    assert list_phones(client, token, available=value)["total"] == 1


def test_unknown_parameters_are_ignored(client, factory, viewer):
    customer, token = viewer
    phone = factory.phone(customer)
    assert ids(list_phones(client, token, colour="blue", sort="mac")) == [phone.id]


# --- bad input ---------------------------------------------------------------------------

BAD_PARAMETERS = [
    ("offset", "-1"), ("offset", "x"), ("offset", "1.5"), ("offset", ""), ("offset", " 1"),
    ("offset", "+1"), ("offset", "1e3"), ("offset", "0x10"), ("offset", "1_0"),
    ("offset", str(2**31)), ("offset", "9" * 5000),
    ("limit", "0"), ("limit", "1001"), ("limit", "-5"), ("limit", "ten"), ("limit", "5.0"),
    ("limit", ""), ("limit", "99999999999999999999999"),
    ("full", "yes"), ("full", "no"), ("full", "on"), ("full", "2"), ("full", ""),
    ("available", "maybe"), ("available", "t"), ("available", "-1"),
    ("customer", "123"), ("customer", "g" * 24), ("customer", "a" * 23), ("customer", "a" * 25),
    ("customer", ""), ("customer", "12345678901234567890ABC "),
    ("filter", "x" * 201),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
def test_bad_parameters_are_400_naming_the_parameter(client, viewer, name, value):
    _, token = viewer
    response = client.get("/pbx/sipphone", params={name: value}, headers=auth(token))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_request"
    assert body["field"] == name
    assert name in body["message"]
    assert set(body) == {"error", "message", "field"}


def test_an_internal_error_is_500_without_internals(client, viewer, monkeypatch):
    _, token = viewer

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret detail: password=hunter2")

    monkeypatch.setattr("pbxapi.sipphones.queries.list_phones", explode)
    response = client.get("/pbx/sipphone", headers=auth(token))
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "message": "internal error"}
    assert "hunter2" not in response.text


def test_unknown_path_is_404_in_the_error_shape(client, viewer):
    _, token = viewer
    response = client.get("/pbx/nothing", headers=auth(token))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


# --- the normal object --------------------------------------------------------------------


def test_normal_object_has_exactly_the_documented_fields_and_values(client, factory, viewer):
    customer, token = viewer
    employee = factory.employee(customer, name="Donald Duck")
    extension = factory.extension(customer, "592", direct="+4570305050", employee_id=employee)
    mac = random_mac()
    phone = factory.phone(
        customer, model=("SNOM", "D785"), mac_address=mac, extension_id=extension,
        ip_mode="LOCKED", ip_address="213.83.176.134", notes="A note about the phone",
    )  # fmt: skip
    factory.register(phone, contact="sip:x@192.168.1.10:5060", user_agent="snomD785/10.1")
    model_id = factory.model_id("SNOM", "D785")
    [shown] = list_phones(client, token)["sipPhones"]
    assert shown == {
        "_id": phone.id,
        "macAddress": mac,
        "handsetIndex": None,
        "handsetAddress": None,
        "sipPhoneModel": {
            "_id": model_id, "brand": "SNOM", "brandName": "Snom", "model": "D785",
            "picture": None,
        },
        "extension": {"_id": extension, "number": "592", "direct": "+4570305050"},
        "employee": {"_id": employee, "name": "Donald Duck"},
        "ip": {"mode": "LOCKED", "countries": "", "address": "213.83.176.134"},
        "notes": "A note about the phone",
        "online": True,
    }  # fmt: skip


def test_unassigned_phone_has_null_extension_and_employee(client, factory, viewer):
    customer, token = viewer
    factory.phone(customer)
    [shown] = list_phones(client, token)["sipPhones"]
    assert shown["extension"] is None
    assert shown["employee"] is None
    assert shown["online"] is False
    assert shown["ip"] == {"mode": "OPEN", "countries": "", "address": None}


def test_extension_without_employee_shows_null_employee(client, factory, viewer):
    customer, token = viewer
    extension = factory.extension(customer, "300", name="Reception")
    factory.phone(customer, extension_id=extension)
    [shown] = list_phones(client, token)["sipPhones"]
    assert shown["extension"] == {"_id": extension, "number": "300", "direct": None}
    assert shown["employee"] is None


def test_dect_handsets_show_their_index_and_address(client, factory, viewer):
    customer, token = viewer
    mac = random_mac()
    for index in range(3):
        factory.phone(
            customer, model=("YEALINK", "W70B"), mac_address=mac, handset_index=index,
            handset_address=f"HS{index}{mac}",
        )  # fmt: skip
    shown = list_phones(client, token)["sipPhones"]
    assert [(p["macAddress"], p["handsetIndex"], p["handsetAddress"]) for p in shown] == [
        (mac, index, f"HS{index}{mac}") for index in range(3)
    ]
    assert {p["sipPhoneModel"]["model"] for p in shown} == {"W70B"}


def test_expired_registration_is_offline(client, factory, viewer):
    customer, token = viewer
    phone = factory.phone(customer)
    factory.register(phone, contact="sip:x@10.0.0.2:5060", expires_in=-5)
    [shown] = list_phones(client, token)["sipPhones"]
    assert shown["online"] is False


# --- the full object -----------------------------------------------------------------------


def test_full_object_has_every_documented_field_and_value(client, factory):
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.MANAGER)
    extension = factory.extension(customer, "592")
    purchased = datetime(2020, 1, 1, tzinfo=UTC)
    phone = factory.phone(
        customer,
        model=("SNOM", "D785"),
        extension_id=extension,
        pbx_cluster=2,
        serial="SN-123",
        call_waiting=True,
        side_panel="D7C",
        side_panel_count=1,
        softkey_configuration_on_device=True,
        softkey_blf_blind_transfer=True,
        headset_button="speaker-headset",
        dhsg=True,
        display_brightness=12,
        display_brightness_idle=3,
        display_background="https://example.test/bg.png",
        display_font_color="DARK",
        custom_config="setting=1",
        notes="Front desk",
        ip_mode="ROAMING",
        ip_countries="DK,SE",
        instance_id="desktop-1",
        ringer_volume=4,
        ringer_tone="2",
        volume_handset_mic=5,
        volume_handset_speaker=7,
        volume_headset_mic=6,
        volume_headset_speaker=8,
        volume_handsfree_mic=3,
        volume_handsfree_speaker=4,
        softkeys=[
            {"index": 0, "function": "SPEEDDIAL", "value": "112", "label": "Emergency"},
            {"index": 1, "function": "BLF", "value": extension, "label": "Reception"},
        ],
        codec_hd_audio=True,
        codec_video=True,
        network_dhcp=False,
        network_ip_address="192.168.1.10",
        network_subnet="255.255.255.0",
        network_gateway="192.168.1.1",
        network_dns1="192.168.1.1",
        network_dns2="8.8.8.8",
        network_vlan_id=12,
        network_vlan_priority=5,
        purchase_order_id="7213",
        purchase_date=purchased,
        purchase_payment_option="RENTED",
        config_loaded_at=datetime(2015, 1, 1, tzinfo=UTC),
        config_saved_at=datetime(2014, 1, 1, 12, 30, 5, tzinfo=UTC),
        last_user_agent="snomD785/10.1.54.13",
    )
    factory.side_panel(phone, 0, f"SP-{phone.id}", payment_option="BOUGHT", order_id="9",
                       date=purchased)  # fmt: skip
    factory.register(
        phone, contact=f"sip:{phone.sip_username}@192.168.1.10:5060;transport=udp",
        received="sip:213.83.176.134:41234", expires_in=600, user_agent="snomD785/10.1.60.1",
    )  # fmt: skip
    [shown] = list_phones(client, token, full="true")["sipPhones"]
    assert set(shown) == FULL_KEYS
    expires = shown["status"].pop("expires")
    assert 590 <= expires <= 600
    assert shown == {
        "_id": phone.id,
        "pbxCluster": 2,
        "sipPhoneModel": factory.model_id("SNOM", "D785"),
        "extension": extension,
        "customer": customer,
        "macAddress": phone.mac_address,
        "serial": "SN-123",
        "handsetIndex": None,
        "handsetAddress": None,
        "callWaiting": True,
        "sidePanel": "D7C",
        "sidePanelCount": 1,
        "softkeyConfigurationOnDevice": True,
        "softkeyBlfBlindTransfer": True,
        "headsetButton": "speaker-headset",
        "dhsg": True,
        "displayBrightness": 12,
        "displayBrightnessIdle": 3,
        "displayBackground": "https://example.test/bg.png",
        "displayFontColor": "DARK",
        "customConfig": "setting=1",
        "notes": "Front desk",
        "ip": {"mode": "ROAMING", "countries": "DK,SE", "address": None},
        "username": phone.sip_username,
        "password": phone.sip_password,
        "instanceId": "desktop-1",
        "ringer": {"volume": 4, "tone": "2"},
        "volume": {
            "handset": {"mic": 5, "speaker": 7},
            "headset": {"mic": 6, "speaker": 8},
            "handsfree": {"mic": 3, "speaker": 4},
        },
        "softkeys": [
            {"index": 0, "function": "SPEEDDIAL", "value": "112", "label": "Emergency"},
            {"index": 1, "function": "BLF", "value": extension, "label": "Reception"},
        ],
        "codec": {"hdAudio": True, "video": True},
        "network": {
            "dhcp": False, "ipAddress": "192.168.1.10", "subnet": "255.255.255.0",
            "gateway": "192.168.1.1", "dns1": "192.168.1.1", "dns2": "8.8.8.8",
            "vlanId": 12, "vlanPriority": 5,
        },
        "purchaseInfo": {
            "orderId": "7213", "date": "2020-01-01T00:00:00Z", "paymentOption": "RENTED",
            "sidePanels": [
                {"serial": f"SP-{phone.id}", "paymentOption": "BOUGHT", "orderId": "9",
                 "date": "2020-01-01T00:00:00Z"},
            ],
        },
        "status": {
            "configLoaded": "2015-01-01T00:00:00Z",
            "configSaved": "2014-01-01T12:30:05Z",
            "online": True,
            "localIpAddress": "192.168.1.10",
            "publicIpAddress": "213.83.176.134",
            "userAgent": "snomD785/10.1.60.1",
        },
    }  # fmt: skip


def test_full_object_defaults_of_a_bare_phone(client, factory):
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.OWNER)
    phone = factory.phone(customer)
    [shown] = list_phones(client, token, full="1")["sipPhones"]
    assert shown["pbxCluster"] == 1
    assert shown["extension"] is None
    assert shown["softkeys"] == []
    assert shown["codec"] == {"hdAudio": True, "video": False}
    assert shown["network"]["dhcp"] is True
    assert (shown["network"]["vlanId"], shown["network"]["vlanPriority"]) == (0, 0)
    assert shown["purchaseInfo"] == {
        "orderId": None, "date": None, "paymentOption": "NONE", "sidePanels": [],
    }  # fmt: skip
    assert shown["status"] == {
        "configLoaded": None, "configSaved": "2025-03-04T05:06:07Z", "online": False,
        "expires": -1, "localIpAddress": None, "publicIpAddress": None, "userAgent": None,
    }  # fmt: skip
    assert shown["password"] == phone.sip_password


def test_status_without_nat_takes_the_public_address_from_the_contact(client, factory, viewer):
    customer, token = viewer
    phone = factory.phone(customer, last_user_agent="old-agent")
    factory.register(phone, contact="sip:u@[2001:db8::7]:5060", user_agent="")
    [shown] = list_phones(client, token, full="true")["sipPhones"]
    assert shown["status"]["localIpAddress"] == "2001:db8::7"
    assert shown["status"]["publicIpAddress"] == "2001:db8::7"
    assert shown["status"]["userAgent"] == "old-agent"


@pytest.mark.parametrize(
    ("level", "sees_password"),
    [
        (AccessLevel.VIEWER, False),
        (AccessLevel.MANAGER, True),
        (AccessLevel.OWNER, True),
        (AccessLevel.RESELLER, True),
        (AccessLevel.RESELLER_ADMIN, True),
        (AccessLevel.ADMIN, True),
    ],
)
def test_sip_password_is_shown_to_manager_and_above_only(client, factory, level, sees_password):
    customer = factory.customer()
    token = factory.login(customer, level)
    phone = factory.phone(customer)
    [shown] = list_phones(client, token, full="true")["sipPhones"]
    assert shown["username"] == phone.sip_username
    assert shown["password"] == (phone.sip_password if sees_password else None)


def test_a_viewer_never_receives_any_password(client, factory, viewer):
    customer, token = viewer
    phones = [factory.phone(customer) for _ in range(3)]
    for params in ({}, {"full": "true"}, {"full": "true", "filter": phones[0].mac_address}):
        response = client.get("/pbx/sipphone", params=params, headers=auth(token))
        assert all(phone.sip_password not in response.text for phone in phones)


# --- a fixed number of statements ------------------------------------------------------------


@pytest.mark.parametrize("full", ["false", "true"])
def test_a_page_costs_the_same_statements_for_1_or_40_phones(
    client, factory, count_statements, full
):
    def statements_for(phone_count: int) -> int:
        customer = factory.customer()
        token = factory.login(customer, AccessLevel.MANAGER)
        for n in range(phone_count):
            employee = factory.employee(customer, name=f"Person {n}")
            extension = factory.extension(customer, str(100 + n), employee_id=employee)
            phone = factory.phone(customer, extension_id=extension, notes="counted")
            factory.register(phone, contact="sip:u@10.0.0.1:5060")
            factory.side_panel(phone, 0, f"CNT-{phone.id}")
        with count_statements() as counter:
            body = list_phones(client, token, full=full, limit=phone_count + 1, filter="counted")
        assert body["total"] == phone_count
        return len(counter.statements)

    one, many = statements_for(1), statements_for(40)
    assert one == many
    # token, page with its registrations (+ side panels and the one audit event of the
    # credentials shown when full); SQLite finds the filtered ids and their count first; a
    # last page needs no count
    assert many <= (5 if full == "true" else 3)


@pytest.mark.parametrize("full", ["false", "true"])
def test_a_full_default_page_is_one_statement_after_the_token(
    client, factory, count_statements, full
):
    """Unfiltered, the page carries its registrations and the customer's total."""
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.MANAGER)
    phones = [factory.phone(customer) for _ in range(5)]
    for phone in phones:
        factory.register(phone, contact="sip:u@10.0.0.1:5060", user_agent=f"ua-{phone.id}")
    with count_statements() as counter:
        body = list_phones(client, token, full=full, limit=3)
    assert body["total"] == 5
    assert [shown["_id"] for shown in body["sipPhones"]] == [phone.id for phone in phones[:3]]
    # token, page (+ panels and the audit event of the credentials shown)
    assert len(counter.statements) == (4 if full == "true" else 2)


def test_a_phone_registered_twice_is_listed_once_with_its_freshest_contact(client, factory, viewer):
    customer, token = viewer
    first, second = factory.phone(customer), factory.phone(customer)
    factory.register(first, contact="sip:u@10.0.0.1:5060", expires_in=60, user_agent="old")
    factory.register(first, contact="sip:u@10.0.0.2:5060", expires_in=600, user_agent="new")
    factory.register(first, contact="sip:u@10.0.0.3:5060", expires_in=-5, user_agent="gone")
    body = list_phones(client, token, full="true")
    assert body["total"] == 2
    assert [shown["_id"] for shown in body["sipPhones"]] == [first.id, second.id]
    shown_first, shown_second = body["sipPhones"]
    assert shown_first["status"]["online"] is True
    assert shown_first["status"]["userAgent"] == "new"
    assert shown_first["status"]["localIpAddress"] == "10.0.0.2"
    assert shown_second["status"]["online"] is False


def test_the_extension_join_stays_within_the_customer(client, factory, engine):
    """Composite keys: a phone cannot point at another customer's extension."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    first, second = factory.customer(), factory.customer()
    other_extension = factory.extension(second, "100")
    with pytest.raises(IntegrityError):
        factory.phone(first, extension_id=other_extension)
    with Session(engine) as session:
        assert session.get(Extension, other_extension).customer_id == second


def test_openapi_publishes_the_parameters_and_their_limits(client):
    operation = client.get("/openapi.json").json()["paths"]["/pbx/sipphone"]["get"]
    schemas = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    assert set(schemas) == {"offset", "limit", "filter", "full", "available", "customer"}
    assert (schemas["offset"]["minimum"], schemas["offset"]["default"]) == (0, 0)
    assert (schemas["limit"]["minimum"], schemas["limit"]["maximum"]) == (1, 1000)
    assert schemas["limit"]["default"] == 50
    assert schemas["full"]["type"] == schemas["available"]["type"] == "boolean"
    assert {"type": "string", "pattern": "^[0-9a-fA-F]{24}$"} in schemas["customer"]["anyOf"]
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "404", "500"}


def test_answers_match_the_documented_models(client, factory):
    """The list is serialised from plain dicts: the OpenAPI models must still describe it."""
    from pbxapi.sipphones.schemas import SipPhone, SipPhoneFull

    customer = factory.customer()
    token = factory.login(customer, AccessLevel.MANAGER)
    employee = factory.employee(customer, name="Typed Person")
    extension = factory.extension(customer, "100", direct="+4511223344", employee_id=employee)
    phone = factory.phone(customer, extension_id=extension, softkeys=[
        {"index": 0, "function": "SPEEDDIAL", "value": "112", "label": "SOS"}])  # fmt: skip
    factory.side_panel(phone, 0, f"T-{phone.id}")
    factory.register(phone, contact="sip:u@10.1.2.3:5060", user_agent="ua/1")
    for full, model in (("false", SipPhone), ("true", SipPhoneFull)):
        body = list_phones(client, token, full=full)
        [shown] = body["sipPhones"]
        checked = model.model_validate(shown)
        assert set(checked.model_dump(by_alias=True)) == set(shown)
        assert checked.model_dump(by_alias=True, mode="json") == shown


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/pbx/sipphone", "GET, POST"),
        ("/pbx/sipphone/0123456789abcdef01234567", "DELETE, GET, POST"),
    ],
)
def test_an_unsupported_method_is_405_naming_every_method_of_the_path(client, path, allowed):
    response = client.put(path, json={})
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert response.headers["Allow"] == allowed


def test_a_literal_path_is_not_confused_with_an_id_in_allow(client):
    response = client.get("/pbx/sipphone/webrtc/x")
    assert response.status_code == 404
    for method in ("PUT", "GET", "DELETE"):
        # GET and DELETE would reach /{id} with "webrtc" as a (malformed) id: 405, not 400
        response = client.request(method, "/pbx/sipphone/webrtc")
        assert response.status_code == 405, (method, response.text)
        assert response.headers["Allow"] == "POST"
        assert response.json()["error"] == "method_not_allowed"


def test_creates_that_name_a_customer_document_404(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/pbx/sipphone", "/pbx/extension", "/employee"):
        assert "404" in paths[path]["post"]["responses"], path
