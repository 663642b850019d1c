"""GET /pbx/sipphone?filter=...: which phones a search finds (issue 2).

The rule: `filter` is split on white space into terms; a phone matches when every term is
found, case-insensitively, as a substring of macAddress, ip.address, handsetAddress, extension
number, extension direct number, the extension's employee's name or notes. A term that looks
like a MAC fragment ("4e:e8:a3", "4E-E8-A3") matches MACs without its separators; that rule is
for the MAC field only.

Most tests read one world of phones (built once per database, never changed), each phone
carrying an unlikely value in one field. To keep accidental matches out of the expected sets:
  * every MAC but one is made of the digits 0-4 only, so no term with a letter or a digit
    5-9 can match it;
  * the one searched MAC is 4EE8A3B + five digits 0-4; fragments of it always carry a letter;
  * every digit-only term contains a digit 5-9.
"""

import secrets
from dataclasses import dataclass

import pytest

from harness.factory import Factory
from pbxapi.api.params import MAX_FILTER_LENGTH
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.engine import make_session_factory

ALL = "*"  # expected: every phone of the world


def low_digits(count: int) -> str:
    return "".join(secrets.choice("01234") for _ in range(count))


def filler_mac() -> str:
    return low_digits(12)


def colon(mac: str) -> str:
    return ":".join(mac[i : i + 2] for i in range(0, 12, 2))


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def get(client, token: str, **params):
    return client.get("/pbx/sipphone", params=params, headers=auth(token))


def search(client, token: str, **params) -> dict:
    response = get(client, token, **params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(body: dict) -> list[str]:
    return [phone["_id"] for phone in body["sipPhones"]]


@dataclass
class World:
    customer: str
    token: str
    phone: dict[str, str]  # name -> phone id
    extension: dict[str, str]  # phone name -> extension id
    mac: str  # the searchable MAC of phone "mac"
    sip_username: str  # of phone "hidden"
    sip_password: str  # of phone "hidden"

    def ids_of(self, names) -> set[str]:
        if names == ALL:
            return set(self.phone.values())
        return {self.phone[name] for name in names}

    def name_of(self, phone_id: str) -> str:
        """The phone's name in the world; a stranger's id (a leak) stays visible as it is."""
        return next((name for name, value in self.phone.items() if value == phone_id), phone_id)


@pytest.fixture(scope="module")
def world(engine) -> World:
    """One customer's phones; read-only, so every test of the module can share it."""
    factory = Factory(make_session_factory(engine))
    customer = factory.customer(name="Customer Quuxfilter")
    token = factory.login(customer, AccessLevel.VIEWER)
    phone: dict[str, str] = {}
    extension: dict[str, str] = {}

    def add(name: str, ext: dict | None = None, **fields):
        if ext is not None:
            employee_name = ext.pop("employee", None)
            employee_id = factory.employee(customer, name=employee_name) if employee_name else None
            extension[name] = factory.extension(customer, employee_id=employee_id, **ext)
            fields["extension_id"] = extension[name]
        fields.setdefault("mac_address", filler_mac())
        record = factory.phone(customer, **fields)
        phone[name] = record.id
        return record

    mac = "4EE8A3B" + low_digits(5)
    # one field each
    add("mac", mac_address=mac)
    add("ip", ip_mode="LOCKED", ip_address="203.0.113.77", notes="kiwi")
    add("ip6", ip_mode="LOCKED", ip_address="2001:db8::c0ff:ee17")
    add("handset", model=("SNOM", "M700"), handset_index=0, handset_address="0A1BDEADBEEF")
    add("ext", ext={"number": "7341", "name": "Zanzibarline"})
    add("direct", ext={"number": "612", "direct": "+4589898989"}, notes="kiwi")
    add("emp", ext={"number": "555", "employee": "Ærling Søren"})
    add("emp2", ext={"number": "556", "employee": "Ærling Holm"})
    add("notes", notes="Reception desk near the zebra crossing")
    add("kael", notes="Kælderen ved Ødegård")
    add("plain")
    # separators in notes: the MAC rule must not apply to them
    add("macnote", notes="swapped from 4e:e8:a3")
    add("n_colon", notes="uplink port ab:cd")
    add("n_plain", notes="uplink port abcd")
    add("n_dash", notes="uplink port ab-cd")
    # LIKE metacharacters and quotes
    add("pct", notes="50% off")
    add("nopct", notes="50 off")
    add("under", notes="a_b")
    add("nounder", notes="axb")
    add("bslash", notes="C:\\temp\\x")
    add("noslash", notes="C:/temp/x")
    add("quote", notes="O'Brien's desk")
    add("dquote", notes='the "red" one')
    add("nodquote", notes="the red one")
    # values in fields the filter must NOT look at
    hidden = add(
        "hidden",
        serial="SERIALQX93",
        custom_config="kazooconfig",
        network_ip_address="198.51.100.99",
        ip_mode="ROAMING",
        ip_countries="DK,SE",
        purchase_order_id="ORDERZQ77",
        instance_id="instzq",
    )
    # an employee with an extension but no phone on it
    factory.extension(
        customer, number="9777", employee_id=factory.employee(customer, name="Ulrikke Loose")
    )
    # paging: five phones share a word, two of them assigned
    for i, word in enumerate(["one", "two", "three", "four", "five"], start=1):
        ext = {"number": f"990{i}"} if i in (2, 4) else None
        add(f"pg{i}", ext=ext, notes=f"pageme {word}")
    return World(
        customer=customer,
        token=token,
        phone=phone,
        extension=extension,
        mac=mac,
        sip_username=hidden.sip_username,
        sip_password=hidden.sip_password,
    )


def assert_finds(client, world: World, filter_text: str, expected, **params) -> dict:
    body = search(client, world.token, filter=filter_text, limit=1000, **params)
    found = {world.name_of(phone_id) for phone_id in ids(body)}
    wanted = set(world.phone) if expected == ALL else set(expected)
    assert found == wanted, f"filter {filter_text!r}"
    assert body["total"] == len(wanted), f"filter {filter_text!r}"
    assert ids(body) == sorted(ids(body)), "pages are in id order"
    return body


# --- each field on its own ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        # macAddress
        ("4EE8A3B", ["mac"]),
        # ip.address (IPv4 and IPv6, whole and part)
        ("203.0.113.77", ["ip"]),
        ("113.77", ["ip"]),
        ("2001:db8::c0ff:ee17", ["ip6"]),
        ("db8::c0", ["ip6"]),
        # handsetAddress
        ("0A1BDEADBEEF", ["handset"]),
        ("deadbeef", ["handset"]),
        # extension number
        ("7341", ["ext"]),
        ("734", ["ext"]),
        ("612", ["direct"]),
        # extension direct number
        ("+4589898989", ["direct"]),
        ("8989898", ["direct"]),
        # employee name (of the phone's extension)
        ("Søren", ["emp"]),
        ("Holm", ["emp2"]),
        ("Ærling", ["emp", "emp2"]),
        # notes
        ("zebra", ["notes"]),
        ("near the zebra", ["notes"]),
        ("kiwi", ["ip", "direct"]),
    ],
)
def test_each_searchable_field_finds_its_phone_only(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


def test_the_found_phone_carries_the_matched_values(client, world):
    body = assert_finds(client, world, "søren", ["emp"])
    (phone,) = body["sipPhones"]
    assert phone["extension"] == {"_id": world.extension["emp"], "number": "555", "direct": None}
    assert phone["employee"]["name"] == "Ærling Søren"


@pytest.mark.parametrize(
    "filter_text",
    [
        "serialqx93",  # serial
        "kazooconfig",  # customConfig
        "198.51.100.99",  # network.ipAddress
        "dk,se",  # ip.countries
        "orderzq77",  # purchaseInfo.orderId
        "instzq",  # instanceId
        "zanzibarline",  # extension name
        "ulrikke",  # an employee whose extension has no phone
        "login",  # the caller's own name ("VIEWER login"), not on any extension
        "quuxfilter",  # customer name
        "m700",  # model name
        "gigaset",  # brand of no phone here; brand is not searched anyway
        "snom",  # brand of every phone here
        "LOCKED",  # ip.mode
    ],
)
def test_other_fields_are_not_searched(client, world, filter_text):
    assert_finds(client, world, filter_text, [])


def test_sip_credentials_are_not_searchable(client, world):
    """A VIEWER must not be able to probe SIP passwords (or usernames) through the filter."""
    assert_finds(client, world, world.sip_username, [])
    assert_finds(client, world, world.sip_password, [])
    assert_finds(client, world, world.sip_password[:12], [])


def test_ids_are_not_searchable(client, world):
    assert_finds(client, world, world.phone["notes"], [])
    assert_finds(client, world, world.extension["emp"], [])


# --- case ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("ærling", ["emp", "emp2"]),
        ("ÆRLING", ["emp", "emp2"]),
        ("SØREN", ["emp"]),
        ("søren", ["emp"]),
        ("sØrEn", ["emp"]),
        ("ærling søren", ["emp"]),
        ("ÆRLING SØREN", ["emp"]),
        ("KÆLDEREN", ["kael"]),
        ("kælderen", ["kael"]),
        ("ØDEGÅRD", ["kael"]),
        ("ødegård", ["kael"]),
        ("ZEBRA", ["notes"]),
        ("ZeBrA", ["notes"]),
        ("DeadBeef", ["handset"]),
        ("0a1bdeadbeef", ["handset"]),
        ("C0FF:EE17", ["ip6"]),
        ("DB8", ["ip6"]),
        ("4ee8a3b", ["mac"]),
        ("4Ee8A3b", ["mac"]),
    ],
)
def test_matching_ignores_case_including_non_ascii_letters(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


def test_non_ascii_letters_do_not_match_their_ascii_look_alikes(client, world):
    assert_finds(client, world, "aerling", [])
    assert_finds(client, world, "soren", [])
    assert_finds(client, world, "odegard", [])


# --- several terms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("ærling 555", ["emp"]),  # employee name + extension number
        ("555 ærling", ["emp"]),  # order does not matter
        ("ærling 556", ["emp2"]),
        ("ærling holm", ["emp2"]),
        ("ærling 7341", []),  # 7341's extension has no employee
        ("holm søren", []),  # two names of two different phones
        ("kiwi 113.77", ["ip"]),  # notes + ip.address
        ("kiwi +4589", ["direct"]),  # notes + direct number
        ("kiwi 612", ["direct"]),  # notes + extension number
        ("kiwi zebra", []),
        ("zebra zebra", ["notes"]),  # a repeated term is harmless
        ("uplink", ["n_colon", "n_plain", "n_dash"]),
        ("uplink abcd", ["n_plain"]),
        ("pageme three", ["pg3"]),
        ("pageme nothere", []),
    ],
)
def test_every_term_must_match_each_in_any_field(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


def test_many_terms_up_to_the_maximum_length(client, world):
    text = ("ærling 556 " * 40)[:MAX_FILTER_LENGTH]
    assert len(text) == MAX_FILTER_LENGTH
    assert_finds(client, world, text, ["emp2"])
    # 100 one-letter terms, all found in "Ærling Holm" / 556 and in no other phone together
    letters = [("ærlingholm56" * 9)[i] for i in range(100)]
    assert_finds(client, world, " ".join(letters), ["emp2"])


# --- white space -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("  zebra  ", ["notes"]),
        ("zebra ", ["notes"]),
        (" zebra", ["notes"]),
        ("\tzebra\n", ["notes"]),
        ("ærling    555", ["emp"]),
        ("ærling\t555", ["emp"]),
        ("ærling\n556", ["emp2"]),
        (" \t ærling \r\n 556 ", ["emp2"]),
        ("ærling\u00a0555", ["emp"]),  # no-break space is white space too
        ("", ALL),
        (" ", ALL),
        ("     ", ALL),
        ("\t", ALL),
        (" \t\r\n ", ALL),
    ],
)
def test_white_space_only_separates_terms(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


def test_no_filter_lists_everything(client, world):
    body = search(client, world.token, limit=1000)
    assert set(ids(body)) == world.ids_of(ALL)
    assert body["total"] == len(world.phone)


# --- MAC fragments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("4EE8A3", ["mac"]),
        ("4ee8a3", ["mac"]),
        ("4e:e8:a3", ["mac", "macnote"]),  # the notes hold it with colons, too
        ("4E:E8:A3", ["mac", "macnote"]),
        ("4e-e8-a3", ["mac"]),  # the notes do not hold it with dashes
        ("4E-E8-A3", ["mac"]),
        ("4e-e8:a3", ["mac"]),  # mixed separators
        ("4e:E8-a3", ["mac"]),
        # cut in the middle of an octet, at either end
        ("e:e8:a", ["mac", "macnote"]),
        ("E-E8-A", ["mac"]),
        ("ee8a", ["mac"]),
        ("e8:a3:b", ["mac"]),
        ("E8-A3-B", ["mac"]),
        ("e8a3b", ["mac"]),
        # typed into a search box: a separator may trail or lead
        ("4e:e8:", ["mac", "macnote"]),
        ("4E-E8-", ["mac"]),
        (":e8:a3", ["mac", "macnote"]),
        # fragments that are not in the MAC
        ("4e:e8:a4", []),
        ("4e:e8:a3:ff", []),
        ("a3:4e", []),
        # separate terms: each is looked for on its own
        ("4e e8 a3", ["mac", "macnote"]),
    ],
)
def test_mac_fragments_match_whatever_their_separators(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


@pytest.mark.parametrize(
    "form",
    [
        lambda mac: mac,
        lambda mac: mac.lower(),
        lambda mac: colon(mac),
        lambda mac: colon(mac).lower(),
        lambda mac: colon(mac).replace(":", "-"),
        lambda mac: colon(mac).replace(":", "-").lower(),
        lambda mac: colon(mac)[1:-1],  # cut in the middle of the first and last octet
        lambda mac: colon(mac)[9:].lower(),  # the last three octets: "bd:dd:dd"
        lambda mac: colon(mac)[9:-1].replace(":", "-"),  # "Bd-dd-d": ends mid-octet
    ],
    ids=["plain", "lower", "colon", "colon-lower", "dash", "dash-lower", "cut", "tail", "cut-tail"],
)
def test_every_written_form_of_the_mac_finds_it(client, world, form):
    assert_finds(client, world, form(world.mac), ["mac"])


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        # handsetAddress: plain substring only
        ("deadbeef", ["handset"]),
        ("de:ad:be:ef", []),
        ("DE-AD-BE-EF", []),
        # ip.address: plain substring only, separators kept
        ("ff:ee", ["ip6"]),  # looks like a MAC fragment, still found in the IP with its colon
        ("FF:EE", ["ip6"]),
        ("ffee", []),
        ("c0ffee17", []),
        # notes: separators kept
        ("ab:cd", ["n_colon"]),
        ("AB:CD", ["n_colon"]),
        ("abcd", ["n_plain"]),
        ("ab-cd", ["n_dash"]),
        ("b:c", ["n_colon"]),
        ("b-c", ["n_dash"]),
        ("4e:e8:a3", ["mac", "macnote"]),
        ("swapped 4e-e8-a3", []),  # the notes have colons, and dashes do not reach them
        ("swapped 4e:e8:a3", ["macnote"]),
    ],
)
def test_separator_free_matching_is_for_the_mac_field_only(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


# --- LIKE metacharacters and quotes are literal ------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("%", ["pct"]),
        ("50%", ["pct"]),
        ("50% off", ["pct"]),
        ("%off", []),
        ("50", ["pct", "nopct"]),
        ("_", ["under"]),
        ("a_b", ["under"]),
        ("A_B", ["under"]),
        ("axb", ["nounder"]),
        ("_b", ["under"]),
        ("\\", ["bslash"]),
        ("c:\\temp", ["bslash"]),
        ("\\temp\\", ["bslash"]),
        ("c:/temp", ["noslash"]),
        ("\\%", []),  # a backslash that escaped the % would find "50% off"
        ("\\_", []),  # ... or "a_b"
        ("\\\\", []),  # no notes hold two backslashes in a row
        ("'", ["quote"]),
        ("o'brien", ["quote"]),
        ("O'BRIEN'S", ["quote"]),
        ("''", []),
        ('"', ["dquote"]),
        ('"red"', ["dquote"]),
        ('"RED"', ["dquote"]),
        ("red", ["dquote", "nodquote"]),
        ("x' OR 1=1 --", []),
        ("'; DROP TABLE sip_phones; --", []),
        ("[ab]", []),  # no character classes
        ("*", []),
        ("?", []),
        (".*", []),
    ],
)
def test_like_metacharacters_and_quotes_match_literally(client, world, filter_text, expected):
    assert_finds(client, world, filter_text, expected)


def test_nothing_was_dropped_by_an_injection_attempt(client, world):
    assert_finds(client, world, "'; DROP TABLE sip_phones; --", [])
    assert_finds(client, world, "", ALL)


def test_a_nul_character_is_no_server_error(client, world):
    response = get(client, world.token, filter="ab\x00cd")
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert response.json()["field"] == "filter"
    else:
        assert (response.json()["total"], response.json()["sipPhones"]) == (0, [])


# --- combined with other parameters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter_text", "available", "expected"),
    [
        ("kiwi", "true", ["ip"]),
        ("kiwi", "false", ["ip", "direct"]),
        ("ærling", "true", []),
        ("ærling", "false", ["emp", "emp2"]),
        ("7341", "1", []),
        ("pageme", "true", ["pg1", "pg3", "pg5"]),
        ("pageme", "0", ["pg1", "pg2", "pg3", "pg4", "pg5"]),
        ("zebra", "TRUE", ["notes"]),
    ],
)
def test_filter_with_available(client, world, filter_text, available, expected):
    assert_finds(client, world, filter_text, expected, available=available)


@pytest.mark.parametrize(
    ("offset", "limit"),
    [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2), (0, 5), (0, 6), (1, 4), (4, 1), (5, 2), (10, 3)],
)
def test_filter_with_paging_keeps_the_full_total(client, world, offset, limit):
    matching = sorted(world.ids_of([f"pg{i}" for i in range(1, 6)]))
    body = search(client, world.token, filter="pageme", offset=offset, limit=limit)
    assert (body["offset"], body["limit"], body["total"]) == (offset, limit, 5)
    assert ids(body) == matching[offset : offset + limit]


@pytest.mark.parametrize(("offset", "limit"), [(0, 1), (1, 1), (2, 1), (0, 2), (1, 5), (3, 1)])
def test_filter_with_available_and_paging(client, world, offset, limit):
    matching = sorted(world.ids_of(["pg1", "pg3", "pg5"]))
    body = search(
        client, world.token, filter="pageme", available="true", offset=offset, limit=limit
    )
    assert body["total"] == 3
    assert ids(body) == matching[offset : offset + limit]


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_total_counts_matches_through_the_employee_when_the_page_is_full(client, world, limit):
    """A full page makes the service count separately: that count must search names too."""
    body = search(client, world.token, filter="ærling", limit=limit)
    assert body["total"] == 2
    assert ids(body) == sorted(world.ids_of(["emp", "emp2"]))[:limit]
    body = search(client, world.token, filter="ærling 555", limit=1)
    assert (body["total"], ids(body)) == (1, [world.phone["emp"]])
    body = search(client, world.token, filter="kiwi 612", limit=1, offset=1)
    assert (body["total"], ids(body)) == (1, [])


def test_filter_with_full(client, world):
    body = assert_finds(client, world, "ærling", ["emp", "emp2"], full="true")
    by_id = {phone["_id"]: phone for phone in body["sipPhones"]}
    for name in ("emp", "emp2"):
        phone = by_id[world.phone[name]]
        assert phone["extension"] == world.extension[name]  # a plain id in the full object
        assert phone["customer"] == world.customer
        assert "employee" not in phone
        assert "username" in phone


def test_filter_with_full_finds_every_field(client, world):
    for filter_text, expected in [
        ("ee8a", ["mac"]),
        ("113.77", ["ip"]),
        ("deadbeef", ["handset"]),
        ("7341", ["ext"]),
        ("8989898", ["direct"]),
        ("SØREN", ["emp"]),
        ("zebra", ["notes"]),
        ("50%", ["pct"]),
        ("e:e8:a", ["mac", "macnote"]),
    ]:
        body = assert_finds(client, world, filter_text, expected, full="true")
        assert all("pbxCluster" in phone for phone in body["sipPhones"])


def test_filter_with_full_and_paging(client, world):
    matching = sorted(world.ids_of([f"pg{i}" for i in range(1, 6)]))
    body = search(client, world.token, filter="pageme", full="true", offset=3, limit=1)
    assert (body["total"], ids(body)) == (5, matching[3:4])
    assert body["sipPhones"][0]["notes"] == "pageme four"
    assert body["sipPhones"][0]["extension"] == world.extension["pg4"]
    body = search(
        client, world.token, filter="pageme", full="true", available="true", offset=1, limit=1
    )
    assert (body["total"], ids(body)) == (3, [world.phone["pg3"]])


# --- other customers ---------------------------------------------------------------------------


def _twin(factory, customer: str, mac: str) -> str:
    """A phone in `customer` that every search of the isolation test would find."""
    employee = factory.employee(customer, name="Ærling Søren")
    extension = factory.extension(customer, "555", direct="+4589898989", employee_id=employee)
    return factory.phone(
        customer,
        mac_address=mac,
        extension_id=extension,
        ip_mode="LOCKED",
        ip_address="203.0.113.77",
        handset_address="0A1BDEADBEEF",
        notes="zebra 50% a_b",
    ).id


ISOLATION_FILTERS = [
    "zebra",
    "ærling",
    "SØREN",
    "555",
    "8989898",
    "113.77",
    "deadbeef",
    "4e:e8:a3",
    "4EE8A3",
    "50%",
    "a_b",
    "%",
    "_",
    "",
]


def test_phones_of_other_customers_are_never_found(client, factory):
    reseller = factory.customer(name="Reseller")
    mine = factory.customer(parent=reseller)
    other = factory.customer(parent=reseller)
    stranger = factory.customer()
    mine_phone = _twin(factory, mine, "4EE8A3C" + low_digits(5))
    reseller_phone = _twin(factory, reseller, "4EE8A3D" + low_digits(5))
    for customer in (other, stranger):
        _twin(factory, customer, "4EE8A3" + secrets.choice("EF") + low_digits(5))
    viewer = factory.login(mine, AccessLevel.VIEWER)
    reseller_token = factory.login(reseller, AccessLevel.RESELLER)
    for filter_text in ISOLATION_FILTERS:
        body = search(client, viewer, filter=filter_text)
        assert (body["total"], ids(body)) == (1, [mine_phone]), filter_text
        body = search(client, reseller_token, filter=filter_text, customer=mine)
        assert (body["total"], ids(body)) == (1, [mine_phone]), filter_text
        body = search(client, reseller_token, filter=filter_text)
        assert (body["total"], ids(body)) == (1, [reseller_phone]), filter_text


def test_filter_does_not_widen_access(client, factory):
    mine = factory.customer()
    other = factory.customer()
    _twin(factory, other, "4EE8A3" + secrets.choice("EF") + low_digits(5))
    viewer = factory.login(mine, AccessLevel.VIEWER)
    response = get(client, viewer, filter="zebra", customer=other)
    assert response.status_code == 403
    assert response.json()["error"] == "access_denied"
    body = search(client, viewer, filter="zebra")
    assert (body["total"], body["sipPhones"]) == (0, [])


# --- length ------------------------------------------------------------------------------------


@pytest.mark.parametrize("letter", ["x", "ø", " "])
def test_a_filter_of_the_maximum_length_is_accepted(client, world, letter):
    text = letter * MAX_FILTER_LENGTH
    expected = ALL if letter == " " else []
    assert_finds(client, world, text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "x" * (MAX_FILTER_LENGTH + 1),
        "ø" * (MAX_FILTER_LENGTH + 1),
        "zebra " + "y" * MAX_FILTER_LENGTH,
        "x" * 5000,
    ],
)
def test_a_longer_filter_is_a_bad_request(client, world, text):
    response = get(client, world.token, filter=text)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_request"
    assert body["field"] == "filter"
    assert set(body) == {"error", "message", "field"}
    assert "x" * 50 not in body["message"]  # the message does not echo the input
