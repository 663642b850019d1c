"""The file names phones ask for, by vendor. The MAC is 12 hex digits in any case.

- Snom desk phones: `<MAC>.xml`, or, pointed at the server by DHCP option 66 without
  a file name, `snom<model>-<MAC>.htm` (e.g. `snomD785-000413A1B2C3.htm`); the M300/M700
  bases `<MAC>.xml` or `<model>-<MAC>.xml`.
- Yealink: `<mac>.cfg` (the per-device file after the common `y0000000000xx.cfg`).
- Gigaset: `<MAC>.xml` (the `%MACD.xml` of its profile naming).
- Cisco SPA: `spa<mac>.xml` (the usual `Profile_Rule` `spa$MA.xml`); Cisco 3PCC and the
  DBS-110: `<mac>.xml` or `<mac>.cfg` (`$MA.xml`, `$MA.cfg`).
- Mitel 6800i and SIP-DECT, LG-Ericsson: `<MAC>.cfg`.

A name matches a set of brands; the phone that has the MAC must be of one of them
(a Yealink never gets a file under Snom's name). Only the last path segment counts, so
a phone pointed at `http://host:8080/yealink/` is served as well.
"""

import re

_MAC = r"(?P<mac>[0-9A-Fa-f]{12})"

FILE_NAMES: dict[str, tuple[re.Pattern[str], ...]] = {
    "SNOM": (
        re.compile(_MAC + r"\.xml"),
        re.compile(r"snom[A-Za-z0-9]+-" + _MAC + r"\.(?:htm|xml)", re.IGNORECASE),
        re.compile(r"[A-Za-z][A-Za-z0-9]*-" + _MAC + r"\.xml"),
    ),
    "YEALINK": (re.compile(_MAC + r"\.cfg"),),
    "GIGASET": (re.compile(_MAC + r"\.xml"),),
    "CISCO": (
        re.compile(r"spa" + _MAC + r"\.xml", re.IGNORECASE),
        re.compile(_MAC + r"\.(?:xml|cfg)"),
    ),
    "MITEL": (re.compile(_MAC + r"\.cfg"),),
    "LG": (re.compile(_MAC + r"\.cfg"),),
}


def parse(path: str) -> tuple[str, frozenset[str]] | None:
    """(MAC in upper case, the brands whose phones ask for this name), or None."""
    name = path.rsplit("/", 1)[-1]
    mac, brands = None, set()
    for brand, patterns in FILE_NAMES.items():
        for pattern in patterns:
            match = pattern.fullmatch(name)
            if match is not None:
                mac = match.group("mac").upper()
                brands.add(brand)
                break
    return (mac, frozenset(brands)) if mac is not None else None
