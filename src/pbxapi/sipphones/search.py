"""The SIP phone list filter: white-space separated terms, every one of which must match.

A term matches a phone when it is found, case-insensitively, as a substring of
one of the searchable fields. A term that looks like a MAC fragment with
separators ("4e:e8:a3", "4E-E8-A3") is compared to the MAC without them.
"""

import re

from sqlalchemy import ColumnElement, and_, or_

from pbxapi.db.tables import Employee, Extension, SipPhone
from pbxapi.db.textsearch import contains, contains_folded

# Hex pairs joined by ':' or '-'. The first and last pair may be cut in half, and a
# separator may lead or trail, as when a MAC is typed into a search box ("4e:e8:").
_MAC_FRAGMENT = re.compile(
    r"^[:-]?[0-9a-f]{1,2}([:-][0-9a-f]{2})*([:-][0-9a-f]{0,2})$", re.IGNORECASE
)

# Fields a term is looked for in (besides the MAC, which has its own rule).
TEXT_FIELDS = (
    SipPhone.ip_address,
    SipPhone.handset_address,
    Extension.number,
    Extension.direct,
    Employee.name,
    SipPhone.notes,
)


def mac_term(term: str) -> str:
    """The form of a term compared against MACs (stored as 12 upper-case hex characters)."""
    if _MAC_FRAGMENT.match(term):
        term = term.replace(":", "").replace("-", "")
    return term.upper()


def term_condition(term: str) -> ColumnElement[bool]:
    return or_(
        contains(SipPhone.mac_address, mac_term(term)),
        *(contains_folded(column, term) for column in TEXT_FIELDS),
    )


def filter_condition(terms: list[str]) -> ColumnElement[bool]:
    return and_(*(term_condition(term) for term in terms))
