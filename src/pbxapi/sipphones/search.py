"""The SIP phone list filter: white-space separated terms, every one of which must match.

A term matches a phone when it is found, case-insensitively, as a substring of one of
the searchable fields. A term that looks like a MAC fragment with separators
("4e:e8:a3", "4E-E8-A3") is compared to the MAC without them.

Terms are answered from the search index (pbxapi.search_index). On SQLite a term too
short for trigrams (under three characters, in its text or its MAC form) is answered
by comparing the customer's rows directly: correct, only slower.
"""

import re

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select, table

from pbxapi.db.tables import Employee, Extension, SipPhone
from pbxapi.db.textsearch import contains, contains_folded
from pbxapi.search_index import FTS, MIN_INDEXED_TERM, customer_range, search_table

# Hex pairs joined by ':' or '-', or Cisco's groups of four joined by '.'. The first and
# last group may be cut short, and a separator may lead or trail, as when a MAC is typed
# into a search box ("4e:e8:").
_MAC_FRAGMENT = re.compile(
    r"^([:-]?[0-9a-f]{1,2}([:-][0-9a-f]{2})*([:-][0-9a-f]{0,2})"
    r"|\.?[0-9a-f]{1,4}(\.[0-9a-f]{4})*(\.[0-9a-f]{0,4}))$",
    re.IGNORECASE,
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
        term = term.replace(":", "").replace("-", "").replace(".", "")
    return term.upper()


def _row_condition(term: str) -> ColumnElement[bool]:
    """The term against the phone's own rows (needs the extension and employee joined)."""
    return or_(
        contains(SipPhone.mac_address, mac_term(term)),
        *(contains_folded(column, term) for column in TEXT_FIELDS),
    )


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _indexable_in_fts(term: str) -> bool:
    return len(term) >= MIN_INDEXED_TERM and len(mac_term(term)) >= MIN_INDEXED_TERM


class PhoneFilter:
    """The conditions a filter adds to the list's query, for one customer and database."""

    def __init__(self, terms: list[str], customer_id: str, dialect: str):
        self.customer_id = customer_id
        self.dialect = dialect
        if dialect == "sqlite":
            self.indexed = [term for term in terms if _indexable_in_fts(term)]
            self.direct = [term for term in terms if not _indexable_in_fts(term)]
        else:  # a LIKE on the trigram index is right for any length, if unindexed when short
            self.indexed, self.direct = list(terms), []

    @property
    def needs_assignment_join(self) -> bool:
        """Direct comparison looks at the extension and the employee."""
        return bool(self.direct)

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions = [_row_condition(term) for term in self.direct]
        if self.indexed:
            conditions.append(self._index_condition())
        return conditions

    def _index_condition(self) -> ColumnElement[bool]:
        search = search_table.c
        if self.dialect == "sqlite":
            expression = " AND ".join(
                f"(mac : {_fts_phrase(mac_term(term))} OR document : {_fts_phrase(term)})"
                for term in self.indexed
            )
            # The customer's rowid range: FTS5 reads only that part of each trigram's list.
            low, high = customer_range(self.customer_id)
            fts_rowid = literal_column(f"{FTS}.rowid")
            matching: Select = (
                select(search.phone_id)
                .select_from(search_table.join(table(FTS), fts_rowid == search.rowid))
                .where(
                    literal_column(FTS).op("MATCH")(expression),
                    fts_rowid.between(low, high),
                    search.customer_id == self.customer_id,
                )
            )
            return SipPhone.id.in_(matching)
        matching = select(search.phone_id).where(
            search.customer_id == self.customer_id,
            and_(
                *(
                    or_(
                        contains(search.document, term.lower()),
                        contains(search.mac, mac_term(term)),
                    )
                    for term in self.indexed
                )
            ),
        )
        return SipPhone.id.in_(matching)
