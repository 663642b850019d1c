"""The SIP phone list filter's terms: white-space separated, every one of which must match.

A term matches a phone when it is found, case-insensitively, as a substring of one of
the searchable fields. A term that looks like a MAC fragment with separators
("4e:e8:a3", "4E-E8-A3") is compared to the MAC without them. The statements that find
the matching phones, on each database, are sipphones.repository.matching's.
"""

import re

# Hex pairs joined by ':' or '-', or Cisco's groups of four joined by '.'. The first and
# last group may be cut short, and a separator may lead or trail, as when a MAC is typed
# into a search box ("4e:e8:").
_MAC_FRAGMENT = re.compile(
    r"^([:-]?[0-9a-f]{1,2}([:-][0-9a-f]{2})*([:-][0-9a-f]{0,2})"
    r"|\.?[0-9a-f]{1,4}(\.[0-9a-f]{4})*(\.[0-9a-f]{0,4}))$",
    re.IGNORECASE,
)


def mac_term(term: str) -> str:
    """The form of a term compared against MACs (stored as 12 upper-case hex characters)."""
    if _MAC_FRAGMENT.match(term):
        term = term.replace(":", "").replace("-", "").replace(".", "")
    return term.upper()
