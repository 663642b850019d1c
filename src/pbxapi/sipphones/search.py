"""The SIP phone list filter: white-space separated terms, every one of which must match.

A term matches a phone when it is found, case-insensitively, as a substring of one of
the searchable fields. A term that looks like a MAC fragment with separators
("4e:e8:a3", "4E-E8-A3") is compared to the MAC without them.

Terms are answered from the search index (pbxapi.db.search_index). On SQLite a term too
short for trigrams (under three characters, in its text or its MAC form) is compared
on the customer's search rows one by one: correct, only slower.
"""

import re

from sqlalchemy import ColumnElement, Select, literal_column, or_, select, table

from pbxapi.db.search_index import FTS, MIN_INDEXED_TERM, customer_range, search_table
from pbxapi.db.tables import SipPhone
from pbxapi.db.textsearch import contains, contains_folded

# a Core column: the list runs Core statements (see sipphones.queries)
_phone_id = SipPhone.__table__.c.id

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


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _indexable_in_fts(term: str) -> bool:
    return len(term) >= MIN_INDEXED_TERM and len(mac_term(term)) >= MIN_INDEXED_TERM


def _scanned(term: str) -> ColumnElement[bool]:
    """A term compared on the search rows themselves (SQLite, too short for trigrams).
    SQLite's LIKE folds ASCII letters itself; other letters need the Unicode lower()."""
    search = search_table.c
    document = (
        contains(search.document, term)
        if term.isascii()
        else contains_folded(search.document, term)
    )
    return or_(document, contains(search.mac, mac_term(term)))


class PhoneFilter:
    """The condition a filter adds to the list's query, for one customer and database.

    Every term is answered from the search rows (pbxapi.db.search_index), never from the
    phone joined to its extension and employee."""

    def __init__(self, terms: list[str], customer_id: str, dialect: str):
        self.terms = list(terms)
        self.customer_id = customer_id
        self.dialect = dialect

    def conditions(self) -> list[ColumnElement[bool]]:
        if not self.terms:
            return []
        if self.dialect == "sqlite":
            return [_phone_id.in_(self._sqlite_matching())]
        return [_phone_id.in_(self.matching_phone_ids())]

    def matching_phone_ids(self) -> Select:
        """PostgreSQL: the ids of the customer's matching phones, from the search rows alone
        (a search row exists exactly while its phone does). LIKE on the trigram index, right
        at any length (unindexed when short)."""
        search = search_table.c
        return select(search.phone_id).where(
            search.customer_id == self.customer_id,
            *(
                or_(contains(search.document, term.lower()), contains(search.mac, mac_term(term)))
                for term in self.terms
            ),
        )

    def _sqlite_matching(self) -> Select:
        search = search_table.c
        # The customer's rowid range: FTS5 reads only that part of each trigram's list, and
        # a short term scans only the customer's rows.
        low, high = customer_range(self.customer_id)
        matching = select(search.phone_id).where(
            search.rowid.between(low, high), search.customer_id == self.customer_id
        )
        indexed = [term for term in self.terms if _indexable_in_fts(term)]
        if indexed:
            expression = " AND ".join(
                f"(mac : {_fts_phrase(mac_term(term))} OR document : {_fts_phrase(term)})"
                for term in indexed
            )
            fts_rowid = literal_column(f"{FTS}.rowid")
            matching = matching.join(table(FTS), fts_rowid == search.rowid).where(
                literal_column(FTS).op("MATCH")(expression), fts_rowid.between(low, high)
            )
        short = [term for term in self.terms if not _indexable_in_fts(term)]
        return matching.where(*(_scanned(term) for term in short))
