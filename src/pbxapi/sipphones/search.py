"""The list filter: white-space separated terms, every one of which must match.

A term matches a phone when it is found, case-insensitively, as a substring of
one of the searchable fields. A term that looks like a MAC fragment with
separators ("4e:e8:a3", "4E-E8-A3") is compared to the MAC without them.
"""

import re

from sqlalchemy import ColumnElement, and_, func, or_

from pbxapi.db.tables import Employee, Extension, SipPhone

# Hex pairs joined by ':' or '-'; the first and last pair may be cut in half.
_MAC_FRAGMENT = re.compile(r"^[0-9a-f]{1,2}([:-][0-9a-f]{2})*([:-][0-9a-f]{1,2})$", re.IGNORECASE)

# Fields a term is looked for in (besides the MAC, which has its own rule).
TEXT_FIELDS = (
    SipPhone.ip_address,
    SipPhone.handset_address,
    Extension.number,
    Extension.direct,
    Employee.name,
    SipPhone.notes,
)


def split_terms(filter_text: str | None) -> list[str]:
    return filter_text.split() if filter_text else []


def mac_term(term: str) -> str:
    """The form of a term compared against MACs (stored as 12 upper-case hex characters)."""
    if _MAC_FRAGMENT.match(term):
        term = term.replace(":", "").replace("-", "")
    return term.upper()


def escape_like(text: str) -> str:
    """Make %, _ and the escape character itself match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column, needle: str) -> ColumnElement[bool]:
    return column.like(f"%{escape_like(needle)}%", escape="\\")


def term_condition(term: str) -> ColumnElement[bool]:
    lowered = term.lower()
    return or_(
        _contains(SipPhone.mac_address, mac_term(term)),
        *(_contains(func.lower(column), lowered) for column in TEXT_FIELDS),
    )


def filter_condition(terms: list[str]) -> ColumnElement[bool]:
    return and_(*(term_condition(term) for term in terms))
