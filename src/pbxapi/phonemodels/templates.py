"""The language of a phone model's `configurationTemplate`: which `%Keyword%` placeholders
and loops a template may hold, and whether it is well formed. A model is checked with it
when stored (so that provisioning can always render what is stored); provisioning
(pbxapi.provisioning.render) fills it for one device.

Placeholders are `%Keyword%`, matched without regard to case. Only the keywords below
are placeholders: any other `%text%` (a URL's `%20`, a vendor's own `%NULL%`) is text.

Two loops repeat the text between their markers: `%HandsetStart%` ... `%HandsetEnd%` and
`%SoftkeyStart%` ... `%SoftkeyEnd%`; the softkey loop may sit inside the handset loop, not
the other way round.
"""

import re
from dataclasses import dataclass


class TemplateError(ValueError):
    """The template's loops are not well formed."""


DEVICE_KEYWORDS = ("macaddress", "sipdomain", "sipport")
ACCOUNT_KEYWORDS = (
    "username", "password", "extension", "name", "language", "languagename", "callwaiting",
    "customconfig", "handsetindex", "handsetnumber", "codechdaudio", "codecvideo",
    "networkdhcp", "networkmode", "networkipaddress", "networksubnet", "networkgateway",
    "networkdns1", "networkdns2", "networkvlan", "networkvlanid", "networkvlanpriority",
)  # fmt: skip
SOFTKEY_KEYWORDS = (
    "softkeyindex", "softkeynumber", "softkeyfunction", "softkeytype", "softkeyvalue",
    "softkeylabel",
)  # fmt: skip
LOOPS = {"handsetstart": "handsetend", "softkeystart": "softkeyend"}
KEYWORDS = (
    DEVICE_KEYWORDS + ACCOUNT_KEYWORDS + SOFTKEY_KEYWORDS + tuple(LOOPS) + tuple(LOOPS.values())
)
# Longest first, so that %NetworkVlanId% is not read as %NetworkVlan% followed by text.
_PLACEHOLDER = re.compile(
    "%(" + "|".join(sorted(KEYWORDS, key=len, reverse=True)) + ")%", re.IGNORECASE
)


@dataclass(slots=True)
class Loop:
    kind: str  # handsetstart or softkeystart
    body: list


def parse(template: str) -> list:
    """The template as a tree: text (str), placeholders (a one-element tuple of the
    lower-case keyword) and loops. Raises TemplateError for unbalanced or misnested loops."""
    root: list = []
    stack: list[tuple[str, list]] = [("", root)]
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            stack[-1][1].append(template[position : match.start()])
        position = match.end()
        keyword = match.group(1).lower()
        if keyword in LOOPS:
            if any(open_kind == keyword for open_kind, _ in stack):
                raise TemplateError(f"%{match.group(1)}% inside the same loop")
            if keyword == "handsetstart" and len(stack) > 1:
                raise TemplateError("the handset loop cannot sit inside the softkey loop")
            loop = Loop(keyword, [])
            stack[-1][1].append(loop)
            stack.append((keyword, loop.body))
        elif keyword in LOOPS.values():
            if LOOPS.get(stack[-1][0]) != keyword:
                raise TemplateError(f"%{match.group(1)}% without its start")
            stack.pop()
        else:
            stack[-1][1].append((keyword,))
    if len(stack) > 1:
        raise TemplateError(f"%{stack[-1][0]}% without its end")
    root.append(template[position:])
    return root


def check(template: str) -> str:
    """For validators: the template, or ValueError saying what is wrong with it."""
    parse(template)
    return template
