"""The template language of provisioning (provisioning/render.py), on its own."""

import pytest

from pbxapi.auth.levels import AccessLevel
from pbxapi.phonemodels.templates import TemplateError, parse
from pbxapi.provisioning.render import Account, Device, Softkey, render


def account(index: int, **fields) -> Account:
    values = {
        "handset_index": index, "username": f"user{index}", "password": f"pass{index}",
        "extension": f"10{index}", "name": f"Name {index}", "language": "en",
        "call_waiting": True, "custom_config": "",
    }  # fmt: skip
    return Account(**{**values, **fields})


def device(brand: str = "YEALINK", accounts=None) -> Device:
    return Device(brand, "000413A1B2C3", "sip.example.net", 5060, accounts or [account(0)])


def test_placeholders_are_case_insensitive():
    assert render("%Username% %USERNAME% %username% %uSeRnAmE%", device()) == (
        "user0 user0 user0 user0"
    )


def test_unknown_placeholders_and_other_percent_signs_stay_as_written():
    template = "a=%Unknown% b=%20 c=%NULL% d=100%% e=%Username%% f=%a%Username%"
    assert render(template, device()) == "a=%Unknown% b=%20 c=%NULL% d=100%% e=user0% f=%auser0"


def test_a_longer_keyword_is_not_read_as_a_shorter_one():
    network = {"vlanid": 20, "vlanpriority": 5, "dhcp": True}
    rendered = render("%NetworkVlan% %NetworkVlanId% %NetworkVlanPriority%",
                      device(accounts=[account(0, network=network)]))  # fmt: skip
    assert rendered == "1 20 5"


def test_booleans_are_on_off_for_snom_and_1_0_for_the_others():
    off = [account(0, call_waiting=False)]
    assert render("%CallWaiting%", device("SNOM", off)) == "off"
    assert render("%CallWaiting%", device("SNOM")) == "on"
    for brand in ("YEALINK", "MITEL", "GIGASET", "CISCO", "LG"):
        assert render("%CallWaiting%", device(brand, off)) == "0"
        assert render("%CallWaiting%", device(brand)) == "1"


def test_handset_loop_with_a_softkey_loop_inside():
    keys = [Softkey(1, "SPEEDDIAL", "555", "B"), Softkey(0, "BLF", "102", "A")]
    accounts = [account(0, softkeys=keys), account(1)]
    template = (
        "[%Username%]%HandsetStart%<%HandsetNumber%:%Name%"
        "%SoftkeyStart%(%SoftkeyNumber%=%SoftkeyType%,%SoftkeyValue%,%SoftkeyLabel%)%SoftkeyEnd%"
        ">%HandsetEnd%"
    )
    assert render(template, device(accounts=accounts)) == (
        "[user0]<1:Name 0(1=16,102,A)(2=13,555,B)><2:Name 1>"
    )


def test_softkey_placeholders_outside_their_loop_are_empty():
    assert render("x%SoftkeyValue%y", device()) == "xy"


def test_escaping_follows_the_template():
    name = [account(0, name="a<b>&\"'\nc\x01")]
    assert render("<x>%Name%</x>", device(accounts=name)) == "<x>a&lt;b&gt;&amp;&quot;&apos;\nc</x>"
    assert render("name = %Name%", device(accounts=name)) == "name = a<b>&\"' c "


def test_custom_config_is_inserted_verbatim():
    raw = [account(0, custom_config="<a>&raw\nline=1</a>")]
    assert render("<x>%CustomConfig%</x>", device(accounts=raw)) == "<x><a>&raw\nline=1</a></x>"
    assert render("k=v\n%CustomConfig%", device(accounts=raw)) == "k=v\n<a>&raw\nline=1</a>"


@pytest.mark.parametrize(
    "template",
    [
        "%SoftkeyStart%",
        "%SoftkeyEnd%",
        "%HandsetStart%%SoftkeyEnd%%HandsetEnd%",
        "%HandsetStart%%HandsetStart%%HandsetEnd%%HandsetEnd%",
        "%SoftkeyStart%%HandsetStart%%HandsetEnd%%SoftkeyEnd%",
        "%HandsetStart%%SoftkeyStart%%HandsetEnd%%SoftkeyEnd%",
    ],
)
def test_malformed_loops_are_refused(template):
    with pytest.raises(TemplateError):
        parse(template)


def test_the_api_refuses_a_template_with_malformed_loops(client, factory):
    admin = factory.login(factory.customer(), AccessLevel.ADMIN)
    response = client.post(
        "/pbx/sipphonemodels",
        headers={"Authorization": f"Bearer {admin}"},
        json={"brand": "SNOM", "brandName": "Snom", "model": "Broken template test",
              "configurationTemplate": "%SoftkeyStart%<fkey/>"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["field"] == "configurationTemplate"
    assert "without its end" in response.json()["message"]
