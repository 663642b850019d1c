"""The filter's statements: the ids of a customer's phones that match every term, one
SELECT per database. Terms are answered from the search rows (pbxapi.db.search_index),
never from the phone joined to its extension and employee. What a term means (a substring
of a searchable field, a MAC fragment compared without separators) is sipphones.search's.

On SQLite a term too short for trigrams (under three characters, in its text or its MAC
form) is compared on the customer's search rows one by one: correct, only slower.
"""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, literal_column, or_, select, table

from pbxapi.db.search_index import FTS, MIN_INDEXED_TERM, customer_range, search_table
from pbxapi.db.textsearch import contains, contains_folded
from pbxapi.sipphones.search import mac_term


def trigram_phone_ids(customer_id: str, terms: Sequence[str]) -> Select:
    """PostgreSQL: the ids of the customer's matching phones, from the search rows alone
    (a search row exists exactly while its phone does). LIKE on the trigram index, right
    at any length (unindexed when short)."""
    search = search_table.c
    return select(search.phone_id).where(
        search.customer_id == customer_id,
        *(
            or_(contains(search.document, term.lower()), contains(search.mac, mac_term(term)))
            for term in terms
        ),
    )


def fts_phone_ids(customer_id: str, terms: Sequence[str]) -> Select:
    """SQLite: the ids of the customer's matching phones, by the FTS5 trigram index for the
    terms long enough for it and a scan of the customer's search rows for the others."""
    search = search_table.c
    # The customer's rowid range: FTS5 reads only that part of each trigram's list, and
    # a short term scans only the customer's rows.
    low, high = customer_range(customer_id)
    matching = select(search.phone_id).where(
        search.rowid.between(low, high), search.customer_id == customer_id
    )
    indexed = [term for term in terms if _indexable_in_fts(term)]
    if indexed:
        expression = " AND ".join(
            f"(mac : {_fts_phrase(mac_term(term))} OR document : {_fts_phrase(term)})"
            for term in indexed
        )
        fts_rowid = literal_column(f"{FTS}.rowid")
        matching = matching.join(table(FTS), fts_rowid == search.rowid).where(
            literal_column(FTS).op("MATCH")(expression), fts_rowid.between(low, high)
        )
    short = [term for term in terms if not _indexable_in_fts(term)]
    return matching.where(*(_scanned(term) for term in short))


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
