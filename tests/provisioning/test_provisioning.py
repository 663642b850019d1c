"""Provisioning: phones fetch their configuration by MAC, in their vendor's format, through
the IP rule. What is served is parsed as the phone would: XML with a real XML parser,
the line formats with the vendor's key/value grammar."""

import importlib.util
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from harness.factory import random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.tables import Employee, Extension, SipPhone, SipPhoneModel
from pbxapi.ids import new_id
from pbxapi.provisioning.app import create_app

SIP_DOMAIN = "sip.example.net"
SIP_PORT = 5062
DANISH = "80.62.116.1"  # placed in DK by the injected lookup
AMERICAN = "8.8.8.8"  # US
COUNTRIES = {DANISH: "DK", "80.62.116.2": "DK", AMERICAN: "US"}
USER_AGENT = "Yealink SIP-T54W 96.86.0.100 00:15:65:aa:bb:cc"
NOT_FOUND = {"error": "not_found", "message": "not found"}
LEFTOVER = re.compile(r"%[A-Za-z][A-Za-z0-9]*%")


def _migration(name: str):
    path = Path(__file__).parents[2] / "src/pbxapi/db/migrations/versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEMPLATED_MODELS = _migration("0009_configuration_templates").TEMPLATE_OF_MODEL
CATALOGUE = {m["id"]: m for m in _migration("0002_phone_model_catalogue").MODELS}


@pytest.fixture(scope="module")
def provisioning(engine, database_url):
    settings = Settings(database_url=database_url, sip_domain=SIP_DOMAIN, sip_port=SIP_PORT)
    return create_app(settings, engine=engine, country_of=lambda a: COUNTRIES.get(str(a)))


def fetch(app, path: str, address: str = DANISH, user_agent: str = USER_AGENT):
    with TestClient(app, client=(address, 5060), raise_server_exceptions=False) as phone:
        return phone.get(path, headers={"User-Agent": user_agent})


def served(app, path: str, address: str = DANISH) -> str:
    response = fetch(app, path, address)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.text


def key_values(text: str, separator: str = "=") -> dict[str, str]:
    """Yealink / LG (`key = value`) and Mitel (`key: value`): one setting a line, split at
    the first separator, `#` starts a comment line."""
    values = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, found, value = line.partition(separator)
        assert found, f"not a setting: {line!r}"
        assert key.strip() not in values, f"set twice: {key.strip()}"
        values[key.strip()] = value.strip()
    return values


def snom_settings(text: str) -> tuple[dict[tuple[str, str | None], str], dict[int, ET.Element]]:
    root = ET.fromstring(text)
    settings = {(e.tag, e.get("idx")): e.text or "" for e in root.find("phone-settings")}
    keys = {int(e.get("idx")): e for e in root.iter("fkey")}
    return settings, keys


def loaded(factory, phone_id: str) -> tuple:
    with factory.session_factory() as session:
        return tuple(
            session.execute(
                select(
                    SipPhone.config_loaded_at, SipPhone.last_user_agent, SipPhone.ip_mode,
                    SipPhone.ip_address,
                ).where(SipPhone.id == phone_id)
            ).one()
        )  # fmt: skip


@pytest.fixture
def customer(factory) -> str:
    return factory.customer()


def employee(factory, customer: str, name: str, language: str = "en") -> str:
    employee_id = factory.employee(customer, name=name)
    with factory.session_factory.begin() as session:
        session.get(Employee, employee_id).language = language
    return employee_id


STATIC_NETWORK = {
    "network_dhcp": False, "network_ip_address": "10.20.30.40",
    "network_subnet": "255.255.255.0", "network_gateway": "10.20.30.1",
    "network_dns1": "9.9.9.9", "network_dns2": "1.1.1.1", "network_vlan_id": 20,
    "network_vlan_priority": 5,
}  # fmt: skip


def desk_phone(factory, customer, model, **fields) -> SipPhone:
    """A phone on extension 101 (Anna Hansen, Danish) with a BLF key on 102 at index 0
    and a speed dial at index 2."""
    anna = employee(factory, customer, "Anna Hansen", "da")
    own = factory.extension(customer, "101", employee_id=anna)
    watched = factory.extension(customer, "102", name="Reception")
    softkeys = [
        {"index": 2, "function": "SPEEDDIAL", "value": "555", "label": "Voicemail box"},
        {"index": 0, "function": "BLF", "value": watched, "label": "Reception"},
    ]
    values = {"extension_id": own, "softkeys": softkeys, **fields}
    return factory.phone(customer, model, **values)


# --- each vendor -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["{MAC}.xml", "snomD785-{MAC}.htm", "snomD785-{mac}.htm"])
def test_snom_desk_phone(provisioning, factory, customer, name):
    timezone = '<timezone perm="">DNK+1</timezone>'
    phone = desk_phone(
        factory, customer, ("SNOM", "D785"), call_waiting=False, custom_config=timezone,
        **STATIC_NETWORK,
    )  # fmt: skip
    mac = phone.mac_address
    response = fetch(provisioning, "/" + name.format(MAC=mac, mac=mac.lower()))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    settings, keys = snom_settings(response.text)
    assert settings[("user_name", "1")] == phone.sip_username
    assert settings[("user_pass", "1")] == phone.sip_password
    assert settings[("user_host", "1")] == f"{SIP_DOMAIN}:{SIP_PORT}"
    assert settings[("user_realname", "1")] == "Anna Hansen"  # the extension has no name
    assert settings[("user_idle_text", "1")] == "101"
    assert settings[("language", None)] == "Dansk"
    assert settings[("call_waiting", None)] == "off"  # Snom booleans are on/off
    assert settings[("codec_g722", None)] == "on"
    assert settings[("dhcp", None)] == "off"
    assert (settings[("ip_adr", None)], settings[("netmask", None)], settings[("gateway", None)],
            settings[("dns_server1", None)], settings[("dns_server2", None)]) == (
        "10.20.30.40", "255.255.255.0", "10.20.30.1", "9.9.9.9", "1.1.1.1")  # fmt: skip
    assert (settings[("vlan_id", None)], settings[("vlan_prio", None)]) == ("20", "5")
    assert settings[("timezone", None)] == "DNK+1"  # customConfig, verbatim
    assert sorted(keys) == [0, 2]
    assert keys[0].text == f"blf sip:102@{SIP_DOMAIN}"  # the watched extension's number
    assert keys[0].get("label") == "Reception"
    assert keys[2].text == "speed 555"
    assert keys[2].get("label") == "Voicemail box"


@pytest.mark.parametrize("spell", [str.lower, str.upper])
def test_yealink_desk_phone(provisioning, factory, customer, spell):
    phone = desk_phone(factory, customer, ("YEALINK", "T54W"),
                       custom_config="local_time.time_zone = +1\n")  # fmt: skip
    response = fetch(provisioning, f"/{spell(phone.mac_address)}.cfg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    config = key_values(response.text)
    assert config["account.1.user_name"] == config["account.1.auth_name"] == phone.sip_username
    assert config["account.1.password"] == phone.sip_password
    assert config["account.1.sip_server.1.address"] == SIP_DOMAIN
    assert config["account.1.sip_server.1.port"] == str(SIP_PORT)
    assert config["account.1.label"] == "101"
    assert config["account.1.display_name"] == "Anna Hansen"
    assert config["lang.gui"] == "Danish"
    assert config["call_waiting.enable"] == "1"  # unset means on; 1/0 beyond Snom
    assert config["static.network.internet_port.type"] == "0"  # DHCP
    assert config["static.network.vlan.internet_port_enable"] == "0"
    assert config["linekey.1.type"] == "16"  # BLF
    assert config["linekey.1.value"] == "102"
    assert config["linekey.1.label"] == "Reception"
    assert (config["linekey.3.type"], config["linekey.3.value"]) == ("13", "555")
    assert "linekey.2.type" not in config
    assert config["local_time.time_zone"] == "+1"


def test_yealink_static_network(provisioning, factory, customer):
    phone = desk_phone(factory, customer, ("YEALINK", "T46U"), **STATIC_NETWORK)
    config = key_values(served(provisioning, f"/{phone.mac_address}.cfg"))
    assert config["static.network.internet_port.type"] == "2"  # static
    assert config["static.network.internet_port.ip"] == "10.20.30.40"
    assert config["static.network.internet_port.mask"] == "255.255.255.0"
    assert config["static.network.internet_port.gateway"] == "10.20.30.1"
    assert (config["static.network.primary_dns"], config["static.network.secondary_dns"]) == (
        "9.9.9.9", "1.1.1.1")  # fmt: skip
    assert config["static.network.vlan.internet_port_enable"] == "1"
    assert config["static.network.vlan.internet_port_vid"] == "20"
    assert config["static.network.vlan.internet_port_priority"] == "5"


@pytest.mark.parametrize(("model", "key"), [("6869i", "softkey"), ("6865i", "prgkey")])
def test_mitel_desk_phone(provisioning, factory, customer, model, key):
    phone = desk_phone(factory, customer, ("MITEL", model), call_waiting=False, **STATIC_NETWORK)
    config = key_values(served(provisioning, f"/{phone.mac_address}.cfg"), separator=":")
    assert config["sip line1 user name"] == config["sip line1 auth name"] == phone.sip_username
    assert config["sip line1 password"] == phone.sip_password
    assert config["sip line1 screen name 2"] == "101"
    assert config["sip line1 proxy ip"] == SIP_DOMAIN
    assert config["call waiting"] == "0"
    assert (config["dhcp"], config["ip"], config["vlan id"], config["sip priority"]) == (
        "0", "10.20.30.40", "20", "5")  # fmt: skip
    assert (config[f"{key}1 type"], config[f"{key}1 value"], config[f"{key}1 label"]) == (
        "blf", "102", "Reception")  # fmt: skip
    assert (config[f"{key}3 type"], config[f"{key}3 value"]) == ("speeddial", "555")


@pytest.mark.parametrize(("model", "name"), [("SPA504G", "spa{mac}.xml"),
                                             ("CP-8841-3PCC", "{mac}.xml"),
                                             ("CP-7841-3PCC", "{MAC}.cfg")])  # fmt: skip
def test_cisco_desk_phone(provisioning, factory, customer, model, name):
    phone = desk_phone(factory, customer, ("CISCO", model), **STATIC_NETWORK)
    text = served(provisioning, "/" + name.format(mac=phone.mac_address.lower(),
                                                  MAC=phone.mac_address))  # fmt: skip
    profile = {e.tag: (e.text or "").strip() for e in ET.fromstring(text)}
    assert profile["User_ID_1_"] == phone.sip_username
    assert profile["Password_1_"] == phone.sip_password
    assert profile["Proxy_1_"] == f"{SIP_DOMAIN}:{SIP_PORT}"
    assert profile["Short_Name_1_"] == "101"
    assert profile["CW_Setting"] == "1"
    assert profile["Connection_Type"] == "Static IP"
    assert (profile["Static_IP"], profile["VLAN_ID"], profile["Enable_VLAN"]) == (
        "10.20.30.40", "20", "1")  # fmt: skip
    assert profile["Extended_Function_1_"] == (
        f"fnc=blf+sd+cp;sub=102@{SIP_DOMAIN};ext=102@{SIP_DOMAIN};nme=Reception"
    )
    assert profile["Extended_Function_3_"].startswith("fnc=sd;sub=555@")


def test_gigaset_desk_phone(provisioning, factory, customer):
    phone = desk_phone(factory, customer, ("GIGASET", "Maxwell 3"), call_waiting=False)
    settings, keys = snom_settings(served(provisioning, f"/{phone.mac_address.lower()}.xml"))
    assert settings[("user_name", "1")] == phone.sip_username
    assert settings[("user_pass", "1")] == phone.sip_password
    assert settings[("call_waiting", None)] == "0"  # Gigaset booleans are 1/0
    assert settings[("dhcp", None)] == "1"
    assert keys[0].text == f"blf sip:102@{SIP_DOMAIN}"


def test_lg_desk_phone(provisioning, factory, customer):
    phone = desk_phone(factory, customer, ("LG", "IP8840E"), **STATIC_NETWORK)
    config = key_values(served(provisioning, f"/{phone.mac_address}.cfg"))
    assert config["line1_username"] == phone.sip_username
    assert config["line1_password"] == phone.sip_password
    assert config["line1_extension"] == "101"
    assert (config["dhcp_enable"], config["ip_address"], config["vlan_priority"]) == (
        "0", "10.20.30.40", "5")  # fmt: skip
    assert (config["flex1_type"], config["flex1_value"]) == ("blf", "102")


# --- DECT bases: one file, every handset ---------------------------------------------------


def dect_base(factory, customer, model, handsets: int = 3) -> list[SipPhone]:
    mac = random_mac()
    phones = []
    for index in range(handsets):
        extension = factory.extension(customer, f"2{index:02d}", name=f"Handset {index}")
        phones.append(factory.phone(customer, model, mac_address=mac, handset_index=index,
                                    extension_id=extension,
                                    custom_config=f"# custom of handset {index}"))  # fmt: skip
    return phones


def test_yealink_dect_base_carries_every_handset(provisioning, factory, customer):
    handsets = dect_base(factory, customer, ("YEALINK", "W70B"))
    response = fetch(provisioning, f"/{handsets[0].mac_address.lower()}.cfg")
    assert response.status_code == 200
    config = key_values(response.text)
    for handset in handsets:
        n = handset.handset_index + 1
        assert config[f"account.{n}.user_name"] == handset.sip_username
        assert config[f"account.{n}.password"] == handset.sip_password
        assert config[f"account.{n}.label"] == f"2{handset.handset_index:02d}"
        assert config[f"handset.{n}.name"] == f"Handset {handset.handset_index}"
        assert config[f"handset.{n}.incoming_lines"] == str(n)
    assert "account.4.user_name" not in config
    for index in range(3):  # every handset's customConfig
        assert f"# custom of handset {index}" in response.text
    for handset in handsets:
        config_loaded, user_agent, mode, address = loaded(factory, handset.id)
        assert config_loaded is not None and user_agent == USER_AGENT
        assert (mode, address) == ("LOCKED", DANISH)


def test_snom_dect_base(provisioning, factory, customer):
    handsets = dect_base(factory, customer, ("SNOM", "M700"), handsets=2)
    settings, _ = snom_settings(served(provisioning, f"/{handsets[0].mac_address}.xml"))
    for handset in handsets:
        n = str(handset.handset_index + 1)
        assert settings[("user_name", n)] == handset.sip_username
        assert settings[("user_pass", n)] == handset.sip_password
        assert settings[("user_realname", n)] == f"Handset {handset.handset_index}"
        assert settings[("subscr_sip_hs_idx", n)] == n
        assert settings[("call_waiting", n)] == "on"


def test_gigaset_n870_base(provisioning, factory, customer):
    handsets = dect_base(factory, customer, ("GIGASET", "N870 IP PRO"))
    root = ET.fromstring(served(provisioning, f"/{handsets[0].mac_address}.xml"))
    params = {p.get("name"): p.get("value") for p in root.iter("param")}
    assert params["SipProvider.0.Domain"] == SIP_DOMAIN
    for handset in handsets:
        i = handset.handset_index
        assert params[f"SipAccount.{i}.AuthName"] == handset.sip_username
        assert params[f"SipAccount.{i}.AuthPassword"] == handset.sip_password
        assert params[f"SipAccount.{i}.DisplayName"] == f"Handset {i}"


def test_mitel_sip_dect_base(provisioning, factory, customer):
    handsets = dect_base(factory, customer, ("MITEL", "RFP 45"))
    text = served(provisioning, f"/{handsets[0].mac_address}.cfg")
    # The OMM's CreatePPUser lines are not one XML document; each <user/> element is XML.
    users = {
        u.get("uid"): u for u in (ET.fromstring(m) for m in re.findall(r"<user [^>]*/>", text))
    }
    assert sorted(users) == ["1", "2", "3"]
    for handset in handsets:
        user = users[str(handset.handset_index + 1)]
        assert (user.get("sipAuthId"), user.get("sipPw")) == (
            handset.sip_username, handset.sip_password)  # fmt: skip
        assert user.get("addId") == f"2{handset.handset_index:02d}"


def test_cisco_dect_base(provisioning, factory, customer):
    handsets = dect_base(factory, customer, ("CISCO", "DBS-110"), handsets=2)
    root = ET.fromstring(served(provisioning, f"/{handsets[0].mac_address.lower()}.xml"))
    profile = {e.tag: e.text or "" for e in root}
    for handset in handsets:
        n = handset.handset_index + 1
        assert profile[f"User_ID_{n}_"] == handset.sip_username
        assert profile[f"Password_{n}_"] == handset.sip_password
        assert profile[f"Handset_Index_{n}_"] == str(handset.handset_index)


# --- every shipped model -------------------------------------------------------------------


def vendor_file_name(brand: str, mac: str) -> str:
    return f"/spa{mac.lower()}.xml" if brand == "CISCO" else {
        "SNOM": f"/{mac}.xml", "GIGASET": f"/{mac}.xml",
    }.get(brand, f"/{mac.lower()}.cfg")  # fmt: skip


def test_every_provisionable_model_has_a_template(engine):
    with engine.connect() as connection:
        rows = connection.execute(
            select(SipPhoneModel.id, SipPhoneModel.cap_provision,
                   SipPhoneModel.configuration_template).where(SipPhoneModel.id.in_(CATALOGUE))
        ).all()  # fmt: skip
    for model_id, provision, template in rows:
        assert (template is not None) == provision, model_id
    assert {row.id for row in rows if row.cap_provision} == set(TEMPLATED_MODELS)


@pytest.mark.parametrize("model_id", sorted(TEMPLATED_MODELS))
def test_every_shipped_model_renders(provisioning, factory, customer, model_id):
    model = CATALOGUE[model_id]
    brand_and_model = (model["brand"], model["model"])
    if model["extensions"] > 1:
        phones = dect_base(factory, customer, brand_and_model, handsets=2)
    else:
        phones = [desk_phone(factory, customer, brand_and_model, **STATIC_NETWORK)]
    text = served(provisioning, vendor_file_name(model["brand"], phones[0].mac_address))
    assert LEFTOVER.findall(text) == []
    if text.startswith("<?xml"):
        root = ET.fromstring(text)
        values = {e.text for e in root.iter()}
        values |= {value for e in root.iter() for value in e.attrib.values()}
    elif text.startswith("<"):  # Mitel SIP-DECT: CreatePPUser lines
        users = [ET.fromstring(m) for m in re.findall(r"<(?:user|SetSIP) [^>]*/>", text)]
        values = {v for user in users for v in user.attrib.values()}
    else:
        values = set(key_values(text, ":" if model["brand"] == "MITEL" else "=").values())
    for phone in phones:
        assert phone.sip_username in values and phone.sip_password in values
    assert values & {SIP_DOMAIN, f"{SIP_DOMAIN}:{SIP_PORT}"}


# --- the door --------------------------------------------------------------------------------


def test_unknown_mac_and_unknown_names_are_the_same_404(provisioning):
    answers = [
        fetch(provisioning, path)
        for path in (f"/{random_mac()}.cfg", f"/{random_mac()}.xml", "/y000000000069.cfg",
                     "/phone.cfg", "/", "/a/b/c")
    ]  # fmt: skip
    assert {(a.status_code, a.content) for a in answers} == {(404, answers[0].content)}
    assert answers[0].json() == NOT_FOUND


def test_a_locked_phone_refuses_other_addresses_with_the_same_404(provisioning, factory, customer):
    phone = desk_phone(factory, customer, ("YEALINK", "T54W"),
                       ip_mode="LOCKED", ip_address="80.62.116.2")  # fmt: skip
    unknown = fetch(provisioning, f"/{random_mac()}.cfg")
    refused = fetch(provisioning, f"/{phone.mac_address}.cfg", address=DANISH)
    assert (refused.status_code, refused.content) == (404, unknown.content)
    assert phone.sip_password not in refused.text
    assert loaded(factory, phone.id) == (None, None, "LOCKED", "80.62.116.2")  # nothing recorded
    assert served(provisioning, f"/{phone.mac_address}.cfg", address="::ffff:80.62.116.2")


def test_an_open_phone_is_locked_by_its_first_fetch(provisioning, factory, customer, client):
    manager = factory.login(customer, AccessLevel.MANAGER)
    phone = desk_phone(factory, customer, ("SNOM", "D735"))
    path = f"/{phone.mac_address}.xml"
    before = client.get(f"/pbx/sipphone/{phone.id}", headers={"Authorization": f"Bearer {manager}"})
    assert before.json()["status"]["configLoaded"] is None
    assert before.json()["status"]["userAgent"] is None
    assert before.json()["ip"] == {"mode": "OPEN", "countries": "", "address": None}

    assert served(provisioning, path, address=DANISH)

    after = client.get(f"/pbx/sipphone/{phone.id}", headers={"Authorization": f"Bearer {manager}"})
    body = after.json()
    assert body["ip"] == {"mode": "LOCKED", "countries": "", "address": DANISH}
    assert body["status"]["userAgent"] == USER_AGENT
    config_loaded = datetime.fromisoformat(body["status"]["configLoaded"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - config_loaded).total_seconds()) < 300
    # From now on the phone is LOCKED to that address.
    refused = fetch(provisioning, path, address=AMERICAN, user_agent="intruder")
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    assert loaded(factory, phone.id)[1] == USER_AGENT  # the refused fetch recorded nothing


def test_a_roaming_phone_is_served_in_its_countries_only(provisioning, factory, customer):
    phone = desk_phone(factory, customer, ("YEALINK", "T33G"),
                       ip_mode="ROAMING", ip_countries="DK,SE")  # fmt: skip
    path = f"/{phone.mac_address}.cfg"
    refused = fetch(provisioning, path, address=AMERICAN)
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    assert loaded(factory, phone.id) == (None, None, "ROAMING", None)
    assert served(provisioning, path, address=DANISH)
    assert served(provisioning, path, address="80.62.116.2")
    config_loaded, user_agent, mode, address = loaded(factory, phone.id)
    assert (config_loaded is not None, user_agent, mode, address) == (
        True, USER_AGENT, "ROAMING", None)  # fmt: skip


def test_a_dect_base_is_refused_whole(provisioning, factory, customer):
    """One handset LOCKED elsewhere refuses the base's file, and the OPEN handsets stay open."""
    handsets = dect_base(factory, customer, ("YEALINK", "W60B"), handsets=2)
    with factory.session_factory.begin() as session:
        locked = session.get(SipPhone, handsets[1].id)
        locked.ip_mode, locked.ip_address = "LOCKED", "80.62.116.2"
    refused = fetch(provisioning, f"/{handsets[0].mac_address}.cfg", address=DANISH)
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    assert loaded(factory, handsets[0].id) == (None, None, "OPEN", None)


@pytest.mark.parametrize("path", ["/{MAC}.xml", "/snomD785-{MAC}.htm", "/spa{MAC}.xml"])
def test_a_phone_is_served_only_under_its_vendors_names(provisioning, factory, customer, path):
    phone = desk_phone(factory, customer, ("YEALINK", "T54W"))
    answer = fetch(provisioning, path.format(MAC=phone.mac_address))
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert loaded(factory, phone.id) == (None, None, "OPEN", None)  # and nothing locked


@pytest.mark.parametrize("model", [("GENERIC", "SIP phone"), ("GENERIC", "WebRTC")])
def test_models_we_do_not_provision_are_never_served(provisioning, factory, customer, model):
    phone = factory.phone(customer, model)
    for path in (f"/{phone.mac_address}.cfg", f"/{phone.mac_address}.xml"):
        answer = fetch(provisioning, path)
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert loaded(factory, phone.id) == (None, None, "OPEN", None)


@pytest.mark.parametrize("state", ["BLOCKED", "DELETED"])
def test_a_customer_that_is_not_active_gets_nothing(provisioning, factory, state):
    customer = factory.customer(state=state)
    phone = desk_phone(factory, customer, ("YEALINK", "T54W"))
    answer = fetch(provisioning, f"/{phone.mac_address}.cfg")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert loaded(factory, phone.id) == (None, None, "OPEN", None)


def custom_model(factory, provision: bool, template: str | None) -> str:
    name = f"Custom {random_mac()}"
    with factory.session_factory.begin() as session:
        session.add(SipPhoneModel(
            id=new_id(), brand="YEALINK", brand_name="Yealink", model=name, description="",
            extensions=1, softkeys=0, softkey_capabilities=[], cap_provision=provision,
            configuration_template=template,
        ))  # fmt: skip
    return name


@pytest.mark.parametrize(
    ("provision", "template"),
    [(True, None), (True, ""), (False, "account.1.password = %Password%\n")],
)
def test_a_model_without_a_template_or_provisioning_is_not_served(
    provisioning, factory, customer, provision, template
):
    phone = factory.phone(customer, ("YEALINK", custom_model(factory, provision, template)))
    answer = fetch(provisioning, f"/{phone.mac_address}.cfg")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert loaded(factory, phone.id) == (None, None, "OPEN", None)


def test_an_administrators_template_is_served(provisioning, factory, customer):
    template = "# mine\nuser=%USERNAME%\npass=%password%\nunknown=%Nope%\n"
    phone = factory.phone(customer, ("YEALINK", custom_model(factory, True, template)))
    config = key_values(served(provisioning, f"/{phone.mac_address}.cfg"))
    assert config == {"user": phone.sip_username, "pass": phone.sip_password,
                      "unknown": "%Nope%"}  # fmt: skip


# --- escaping -----------------------------------------------------------------------------


def named_phone(factory, customer, model, name: str) -> SipPhone:
    extension = factory.extension(customer, "300", name=name)
    return factory.phone(customer, model, extension_id=extension)


def test_a_name_cannot_inject_a_line(provisioning, factory, customer):
    phone = named_phone(factory, customer, ("YEALINK", "T54W"),
                        "x\nsip_password=evil\r\naccount.1.password = evil\u2028z")  # fmt: skip
    config = key_values(served(provisioning, f"/{phone.mac_address}.cfg"))
    assert config["account.1.display_name"] == ("x sip_password=evil  account.1.password = evil z")
    assert config["account.1.password"] == phone.sip_password
    assert "sip_password" not in config


def test_a_name_cannot_inject_a_mitel_setting(provisioning, factory, customer):
    phone = named_phone(factory, customer, ("MITEL", "6869i"), "x\nsip line1 password: evil")
    config = key_values(served(provisioning, f"/{phone.mac_address}.cfg"), separator=":")
    assert config["sip line1 password"] == phone.sip_password
    assert config["sip line1 display name"] == "x sip line1 password: evil"


def test_a_name_cannot_inject_xml(provisioning, factory, customer):
    name = '</user_realname><user_pass idx="1">evil</user_pass>&amp; "\'\x01<!--'
    phone = named_phone(factory, customer, ("SNOM", "D717"), name)
    settings, _ = snom_settings(served(provisioning, f"/{phone.mac_address}.xml"))
    assert settings[("user_realname", "1")] == name.replace("\x01", "")  # dropped: not XML
    assert settings[("user_pass", "1")] == phone.sip_password


def test_a_name_cannot_inject_an_xml_attribute(provisioning, factory, customer):
    handsets = dect_base(factory, customer, ("MITEL", "RFP 45"), handsets=1)
    with factory.session_factory.begin() as session:
        session.get(Extension, handsets[0].extension_id).name = 'a" sipPw="evil'
    text = served(provisioning, f"/{handsets[0].mac_address}.cfg")
    [user] = [ET.fromstring(m) for m in re.findall(r"<user [^>]*/>", text)]
    assert user.get("name") == 'a" sipPw="evil'
    assert user.get("sipPw") == handsets[0].sip_password


def test_a_value_that_looks_like_a_placeholder_is_not_expanded(provisioning, factory, customer):
    phone = named_phone(factory, customer, ("YEALINK", "T54W"), "%Password% %USERNAME%")
    text = served(provisioning, f"/{phone.mac_address}.cfg")
    assert key_values(text)["account.1.display_name"] == "%Password% %USERNAME%"
    assert text.count(phone.sip_password) == 1


def test_the_user_agent_is_kept_printable_and_bounded(provisioning, factory, customer):
    phone = desk_phone(factory, customer, ("YEALINK", "T54W"))
    long_agent = "Yealink\tT54W " + "x" * 400
    response = fetch(provisioning, f"/{phone.mac_address}.cfg", user_agent=long_agent)
    assert response.status_code == 200
    user_agent = loaded(factory, phone.id)[1]
    assert user_agent.startswith("Yealink T54W x") and len(user_agent) == 255
