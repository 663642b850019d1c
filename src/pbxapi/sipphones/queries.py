"""Reading SIP phones: what the list is asked, what it answers, and how a page is found.
The statements are the repository's (repository.listing); the customer id is one that
the caller's CustomerScope has already resolved: nothing here decides who may see what."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pbxapi.db.paging import total_from_page
from pbxapi.db.tables import SipPhoneSidePanel
from pbxapi.sipphones.repository import listing
from pbxapi.sipphones.repository.listing import Registration


@dataclass(frozen=True, slots=True)
class PhoneListQuery:
    customer_id: str
    offset: int
    limit: int
    terms: tuple[str, ...] = ()
    available: bool = False
    full: bool = False


@dataclass(frozen=True, slots=True)
class PhonePage:
    total: int
    rows: Sequence[tuple]  # named tuples of the page statement's columns
    registrations: dict[str, Registration]  # by phone id, live ones only
    # by phone id, for a full page only (the full object lists them)
    side_panels: dict[str, list[SipPhoneSidePanel]] = field(default_factory=dict)


def list_phones(session: Session, query: PhoneListQuery) -> PhonePage:
    """One page in id order (creation order): stable, so paging never repeats a phone.

    The page's ids are found first, on the (customer_id, id) index and the search index
    alone; only those rows are then joined to their model, extension and employee, so
    a deep offset skips index entries, not joined rows. The total is exact:
    - unfiltered, from the customer's counts, which triggers keep (pbxapi.db.phone_counts);
    - filtered, on SQLite counted by the same statement that finds the page's ids (a
      window count), so the search runs once; on PostgreSQL by a count of its own.
    Each phone's live registration comes with its row (`online`, `status`), and the
    unfiltered total too: one statement answers a default page. A full page's side panels
    are read after it, in one statement.
    """
    shape = {"offset": query.offset, "limit": query.limit, "available": query.available,
             "full": query.full}  # fmt: skip
    if query.terms:
        total, rows, registrations = listing.search_page(
            session, query.customer_id, query.terms, **shape
        )
    else:
        rows, registrations = listing.unfiltered_page(session, query.customer_id, **shape)
        total = total_from_page(query.offset, query.limit, len(rows))
        if total is None:
            # An empty page past the end still answers the total.
            total = (
                rows[0].customer_total
                if rows
                else listing.phone_count(session, query.customer_id, query.available)
            )
    if not query.full:
        return PhonePage(total, rows, registrations)
    panels = listing.side_panels_of(session, query.customer_id, [row.id for row in rows])
    return PhonePage(total, rows, registrations, panels)
