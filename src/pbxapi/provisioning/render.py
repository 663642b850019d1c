"""Rendering a phone model's `configurationTemplate` for one device.

Placeholders are `%Keyword%`, matched without regard to case. Only the keywords below
are placeholders: any other `%text%` (a URL's `%20`, a vendor's own `%NULL%`) is left
exactly as written. Substitution is one pass over the template, so a value that itself
contains `%Password%` is never expanded.

Two loops repeat the text between their markers:
- `%HandsetStart%` ... `%HandsetEnd%`: once per SIP account of the device, in handset
  order (a desk phone has one account, a DECT base one per handset). Inside, the account
  placeholders describe that handset; outside, the first account.
- `%SoftkeyStart%` ... `%SoftkeyEnd%`: once per softkey of the current account, in index
  order. May sit inside a handset loop, not the other way round.

Every value is escaped for the template's format: a template whose first non-blank
character is `<` is XML (`& < > " '` escaped, characters XML cannot carry dropped);
anything else is a line-based key/value format, where control characters (line breaks
included) become spaces, so no value can start a line of its own. `%CustomConfig%` is the
administrator's raw configuration and is inserted verbatim.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pbxapi.phonemodels.templates import (
    ACCOUNT_KEYWORDS,
    SOFTKEY_KEYWORDS,
    Loop,
    parse,
)

# --- the values ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Softkey:
    index: int  # 0-based, as stored
    function: str  # SoftkeyFunction, e.g. BLF
    value: str  # as stored; for BLF the watched extension's number
    label: str


@dataclass(frozen=True, slots=True)
class Account:
    """One SIP account of the device: a desk phone, or one handset of a DECT base."""

    handset_index: int  # 0 for a desk phone
    username: str
    password: str
    extension: str  # the extension's number; "" while unassigned
    name: str
    language: str  # ISO 639-1: en, da
    call_waiting: bool
    custom_config: str
    softkeys: Sequence[Softkey] = ()
    network: Mapping[str, object] = field(default_factory=dict)
    codec_hd_audio: bool = True
    codec_video: bool = False


@dataclass(frozen=True, slots=True)
class Device:
    brand: str  # SNOM, YEALINK, ...
    mac_address: str  # 12 upper-case hex digits
    sip_domain: str
    sip_port: int
    accounts: Sequence[Account]


# --- what each vendor calls things -------------------------------------------------------

LANGUAGE_NAMES = {"en": "English", "da": "Danish"}
# Snom names languages in their own language.
SNOM_LANGUAGE_NAMES = {"en": "English", "da": "Dansk"}

# Softkey function -> (the vendor's key type, value). The value is a callable of the
# stored value and the device, for vendors that want a SIP URI. PBX services (DNDOTHER,
# PICKUPGROUP, QUEUE, SWITCH) are feature codes dialled by a speed-dial key.
KeyMapping = Mapping[str, tuple[str, Callable[[str, Device], str] | str | None]]


def _sip_uri(value: str, device: Device) -> str:
    return f"sip:{value}@{device.sip_domain}" if value else ""


SNOM_KEYS: KeyMapping = {
    "SPEEDDIAL": ("speed", None), "BLF": ("blf", _sip_uri), "LINE": ("line", ""),
    "DND": ("keyevent", "F_DND"), "DNDOTHER": ("speed", None),
    "ADDRESSBOOK": ("keyevent", "F_ADR_BOOK"),
    "REDIAL": ("keyevent", "F_REDIAL"), "VOICEMAIL": ("keyevent", "F_RETRIEVE"),
    "TRANSFER": ("keyevent", "F_TRANSFER"), "URL": ("url", None), "HOLD": ("keyevent", "F_HOLD"),
    "RECORD": ("keyevent", "F_REC"), "MENU": ("keyevent", "F_SETTINGS"),
    "PICKUP": ("keyevent", "F_DIRECTED_PICKUP"), "PICKUPGROUP": ("speed", None),
    "QUEUE": ("speed", None), "SWITCH": ("speed", None), "PRESENCE": ("keyevent", "F_PRESENCE"),
}  # fmt: skip
# Yealink linekey.N.type codes.
YEALINK_KEYS: KeyMapping = {
    "SPEEDDIAL": ("13", None), "BLF": ("16", None), "LINE": ("15", ""), "DND": ("5", ""),
    "DNDOTHER": ("13", None), "ADDRESSBOOK": ("61", ""), "REDIAL": ("13", None),
    "VOICEMAIL": ("12", ""), "TRANSFER": ("3", ""), "URL": ("17", None), "HOLD": ("4", ""),
    "RECORD": ("25", ""), "MENU": ("27", None), "PICKUP": ("9", None), "PICKUPGROUP": ("23", None),
    "QUEUE": ("13", None), "SWITCH": ("13", None), "PRESENCE": ("16", None),
}  # fmt: skip
# Mitel (Aastra) softkey / prgkey types.
MITEL_KEYS: KeyMapping = {
    "SPEEDDIAL": ("speeddial", None), "BLF": ("blf", None), "LINE": ("line", ""),
    "DND": ("dnd", ""), "DNDOTHER": ("speeddial", None), "ADDRESSBOOK": ("directory", ""),
    "REDIAL": ("redial", ""), "VOICEMAIL": ("speeddial", None), "TRANSFER": ("xfer", ""),
    "URL": ("xml", None), "HOLD": ("speeddial", None), "RECORD": ("speeddial", None),
    "MENU": ("services", ""), "PICKUP": ("speeddial", None), "PICKUPGROUP": ("speeddial", None),
    "QUEUE": ("speeddial", None), "SWITCH": ("speeddial", None), "PRESENCE": ("blf", None),
}  # fmt: skip
# Cisco SPA / 3PCC Extended_Function `fnc=` values.
CISCO_KEYS: KeyMapping = {
    "SPEEDDIAL": ("sd", None), "BLF": ("blf+sd+cp", None), "LINE": ("line", None),
    "DND": ("dnd", None), "DNDOTHER": ("sd", None), "ADDRESSBOOK": ("shortcut", ""),
    "REDIAL": ("sd", None), "VOICEMAIL": ("sd", None), "TRANSFER": ("sd", None),
    "URL": ("xml", None), "HOLD": ("sd", None), "RECORD": ("sd", None), "MENU": ("sd", None),
    "PICKUP": ("sd", None), "PICKUPGROUP": ("sd", None), "QUEUE": ("sd", None),
    "SWITCH": ("sd", None), "PRESENCE": ("blf+sd+cp", None),
}  # fmt: skip
# LG-Ericsson flexible buttons; Gigaset desk phones take Snom's settings format.
LG_KEYS: KeyMapping = {
    "SPEEDDIAL": ("speeddial", None), "BLF": ("blf", None), "LINE": ("line", ""),
    "DND": ("dnd", ""), "DNDOTHER": ("speeddial", None), "REDIAL": ("redial", ""),
    "VOICEMAIL": ("voicemail", ""), "PICKUP": ("pickup", None), "PICKUPGROUP": ("speeddial", None),
    "QUEUE": ("speeddial", None), "SWITCH": ("speeddial", None),
}  # fmt: skip
KEYS_BY_BRAND: Mapping[str, KeyMapping] = {
    "SNOM": SNOM_KEYS, "GIGASET": SNOM_KEYS, "YEALINK": YEALINK_KEYS, "MITEL": MITEL_KEYS,
    "CISCO": CISCO_KEYS, "LG": LG_KEYS,
}  # fmt: skip


def _boolean(brand: str, value: bool) -> str:
    if brand == "SNOM":
        return "on" if value else "off"
    return "1" if value else "0"


def _network_mode(brand: str, dhcp: bool) -> str:
    """How the vendor spells "address by DHCP" versus "static address"."""
    if brand == "YEALINK":
        return "0" if dhcp else "2"
    if brand == "CISCO":
        return "DHCP" if dhcp else "Static IP"
    return _boolean(brand, dhcp)


def vendor_softkey(brand: str, softkey: Softkey, device: Device) -> tuple[str, str]:
    """The vendor's key type and value for one softkey."""
    kind, value = KEYS_BY_BRAND.get(brand, {}).get(softkey.function, (softkey.function, None))
    if value is None:
        return kind, softkey.value
    if callable(value):
        return kind, value(softkey.value, device)
    return kind, value


# --- escaping ------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all (even escaped).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
# Anything a line-based parser could take as the end of a line.
_LINE_BREAKERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_xml(value: str) -> str:
    return _NOT_XML.sub("", value).translate(_XML_ESCAPES)


def escape_line(value: str) -> str:
    return _LINE_BREAKERS.sub(" ", value)


def is_xml(template: str) -> bool:
    return template.lstrip().startswith("<")


def device_values(device: Device) -> dict[str, str]:
    return {
        "macaddress": device.mac_address,
        "sipdomain": device.sip_domain,
        "sipport": str(device.sip_port),
    }


def account_values(brand: str, account: Account) -> dict[str, str]:
    """Every account placeholder's raw (unescaped) value, but %CustomConfig%."""
    network = account.network
    dhcp = bool(network.get("dhcp", True))
    names = SNOM_LANGUAGE_NAMES if brand == "SNOM" else LANGUAGE_NAMES
    values = {
        f"network{key}": "" if network.get(key) is None else str(network[key])
        for key in ("ipaddress", "subnet", "gateway", "dns1", "dns2", "vlanid", "vlanpriority")
    }
    values.update(
        networkdhcp=_boolean(brand, dhcp),
        networkmode=_network_mode(brand, dhcp),
        networkvlan=_boolean(brand, int(network.get("vlanid") or 0) > 0),
        username=account.username,
        password=account.password,
        extension=account.extension,
        name=account.name,
        language=account.language,
        languagename=names.get(account.language, "English"),
        callwaiting=_boolean(brand, account.call_waiting),
        handsetindex=str(account.handset_index),
        handsetnumber=str(account.handset_index + 1),
        codechdaudio=_boolean(brand, account.codec_hd_audio),
        codecvideo=_boolean(brand, account.codec_video),
    )
    return values


def softkey_values(softkey: Softkey, device: Device) -> dict[str, str]:
    kind, value = vendor_softkey(device.brand, softkey, device)
    return {
        "softkeyindex": str(softkey.index),
        "softkeynumber": str(softkey.index + 1),
        "softkeyfunction": softkey.function,
        "softkeytype": kind,
        "softkeyvalue": value,
        "softkeylabel": softkey.label,
    }


class _Renderer:
    def __init__(self, template: str, device: Device):
        self.device = device
        self.escape = escape_xml if is_xml(template) else escape_line
        self.tree = parse(template)
        self.device_values = self._escaped(device_values(device))
        self.accounts: dict[int, dict[str, str]] = {}  # by id(account), computed once

    def _escaped(self, values: dict[str, str]) -> dict[str, str]:
        return {keyword: self.escape(value) for keyword, value in values.items()}

    def render(self) -> str:
        out: list[str] = []
        first = self.device.accounts[0] if self.device.accounts else None
        self._nodes(self.tree, first, {}, out)
        return "".join(out)

    def _values(self, account: Account | None) -> dict[str, str]:
        if account is None:
            return dict.fromkeys(ACCOUNT_KEYWORDS, "")
        if id(account) not in self.accounts:
            values = self._escaped(account_values(self.device.brand, account))
            # The administrator's raw configuration: verbatim, never escaped.
            values["customconfig"] = account.custom_config
            self.accounts[id(account)] = values
        return self.accounts[id(account)]

    def _nodes(self, nodes, account: Account | None, softkey: dict[str, str], out) -> None:
        values = self._values(account)
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, Loop):
                if node.kind == "handsetstart":
                    for each in self.device.accounts:
                        self._nodes(node.body, each, {}, out)
                elif account is not None:
                    for key in sorted(account.softkeys, key=lambda key: key.index):
                        escaped = self._escaped(softkey_values(key, self.device))
                        self._nodes(node.body, account, escaped, out)
            else:
                keyword = node[0]
                if keyword in SOFTKEY_KEYWORDS:  # empty outside the softkey loop
                    out.append(softkey.get(keyword, ""))
                elif keyword in values:
                    out.append(values[keyword])
                else:
                    out.append(self.device_values[keyword])


def render(template: str, device: Device) -> str:
    return _Renderer(template, device).render()
