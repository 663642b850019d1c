"""The SIP phone list's statements, and the registrations and side panels a phone is shown
with. Every function takes a customer id that the caller's CustomerScope has already
resolved: nothing here decides who may see what."""

import functools
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Result, Select, any_, bindparam, func, select
from sqlalchemy.orm import Session

from pbxapi.db.engine import PLAN_PER_CALL
from pbxapi.db.expressions import one_of, text_array
from pbxapi.db.paging import total_of
from pbxapi.db.phone_counts import counts_table
from pbxapi.db.tables import (
    Employee,
    Extension,
    SipPhone,
    SipPhoneModel,
    SipPhoneSidePanel,
    location,
)
from pbxapi.sipphones.repository import matching

# The list is built from the tables' own columns, not the ORM classes' attributes: a
# statement naming mapped attributes is compiled and executed through the ORM, which
# cost 150 us of Python for the token lookup alone where the same Core statement takes
# 20 (measured on SQLite).
phones_table = SipPhone.__table__
models_table = SipPhoneModel.__table__
extensions_table = Extension.__table__
employees_table = Employee.__table__
phone, model, extension, employee = (
    phones_table.c, models_table.c, extensions_table.c, employees_table.c
)


@dataclass(frozen=True, slots=True)
class Registration:
    """A phone's live registration, as the SIP server recorded it."""

    expires: datetime
    contact: str
    received: str | None
    user_agent: str

    @classmethod
    def from_location(
        cls, expires: datetime, contact: str, received: str | None, user_agent: str
    ) -> "Registration":
        # Kamailio writes naive UTC timestamps (it runs with TZ=UTC)
        return cls(expires.replace(tzinfo=UTC), contact, received, user_agent)


# What the normal object shows: a few columns of the phone, its model, extension, employee.
NORMAL_COLUMNS = (
    phone.id,
    phone.mac_address,
    phone.handset_index,
    phone.handset_address,
    phone.ip_mode,
    phone.ip_countries,
    phone.ip_address,
    phone.notes,
    phone.sip_username,
    phone.extension_id,
    model.id.label("model_id"),
    model.brand.label("model_brand"),
    model.brand_name.label("model_brand_name"),
    model.model.label("model_name"),
    model.picture.label("model_picture"),
    extension.number.label("extension_number"),
    extension.direct.label("extension_direct"),
    employee.id.label("employee_id"),
    employee.name.label("employee_name"),
)


def _with_assignment(statement):
    """Join the extension and its employee (both within the phone's customer)."""
    return statement.outerjoin(
        extensions_table,
        (extension.customer_id == phone.customer_id) & (extension.id == phone.extension_id),
    ).outerjoin(
        employees_table,
        (employee.customer_id == extension.customer_id) & (employee.id == extension.employee_id),
    )


def _conditions(customer_id, available: bool) -> list:
    """The phones a page is drawn from (`customer_id` a value, or a bound parameter)."""
    conditions = [phone.customer_id == customer_id]
    if available:
        conditions.append(phone.extension_id.is_(None))
    return conditions


# The live registration rides along with the page: a phone registered twice (two
# contacts) comes twice, ordered by expiry, and the freshest is kept.
_REGISTRATION_COLUMNS = (
    location.c.expires.label("registration_expires"),
    location.c.contact.label("registration_contact"),
    location.c.received.label("registration_received"),
    location.c.user_agent.label("registration_user_agent"),
)


def _page(full: bool, which: ColumnElement[bool], *extra_columns) -> Select:
    """The rows of the phones `which` selects, with their live registrations (bind `now`
    when executing)."""
    if full:
        # every column of the phone; the full object names its model and extension by id
        page = select(phones_table)
    else:
        page = _with_assignment(
            select(*NORMAL_COLUMNS).join(models_table, model.id == phone.sip_phone_model_id)
        )
    return (
        page.add_columns(*_REGISTRATION_COLUMNS, *extra_columns)
        .outerjoin(
            location,
            (location.c.username == phone.sip_username) & (location.c.expires > bindparam("now")),
        )
        .where(which)
        .order_by(phone.id, location.c.expires)
    )


def _utc_now() -> datetime:
    # Kamailio records naive UTC timestamps.
    return datetime.now(UTC).replace(tzinfo=None)


@functools.cache
def _row_type(fields: tuple[str, ...]) -> type:
    return namedtuple("PhoneRow", fields)  # the columns of a statement, known at run time


def _collapse(result: Result) -> tuple[list, dict[str, Registration]]:
    """One row per phone (the last, freshest registration wins) and its registration.

    Rows become named tuples: reading a field of SQLAlchemy's Row by name is slow enough to
    dominate a full page (measured: 1,000 full phones presented in 18.2 ms from Rows, in
    3.3 ms from named tuples, which cost 0.7 ms to make)."""
    make = _row_type(tuple(result.keys()))._make
    by_id: dict[str, tuple] = {}
    for row in map(make, result):
        by_id[row.id] = row
    registrations = {
        row.id: Registration.from_location(
            row.registration_expires,
            row.registration_contact,
            row.registration_received,
            row.registration_user_agent,
        )
        for row in by_id.values()
        if row.registration_expires is not None
    }
    return list(by_id.values()), registrations


def unfiltered_page(
    session: Session, customer_id: str, *, offset: int, limit: int, available: bool, full: bool
) -> tuple[list, dict[str, Registration]]:
    """A page of the customer's phones in id order, and their live registrations by phone
    id: one statement. Each row carries the customer's total (`customer_total`, from the
    counts that triggers keep: pbxapi.db.phone_counts)."""
    parameters = {"customer_id": customer_id, "offset": offset, "limit": limit,
                  "now": _utc_now()}  # fmt: skip
    return _collapse(session.execute(_unfiltered_page(full, available), parameters))


def phone_count(session: Session, customer_id: str, available: bool) -> int:
    """The customer's phones (unassigned ones only when `available`), from its counts."""
    total = session.execute(
        select(_customer_total_column(available)).where(counts_table.c.customer_id == customer_id)
    ).scalar_one_or_none()
    return total or 0


def search_page(
    session: Session,
    customer_id: str,
    terms: Sequence[str],
    *,
    offset: int,
    limit: int,
    available: bool,
    full: bool,
) -> tuple[int, list, dict[str, Registration]]:
    """The exact total of the customer's phones that match every term, a page of them in id
    order, and their live registrations by phone id.

    The page's ids are found on the search rows (pbxapi.db.search_index) alone; only those
    rows are then joined to their model, extension and employee. The database is chosen
    here, once: each has its own search (FTS5, trigram LIKE) and its own way to count."""
    arguments = (session, customer_id, terms, offset, limit, available, full)
    if session.get_bind().dialect.name == "postgresql":
        return _postgresql_search_page(*arguments)
    return _sqlite_search_page(*arguments)


def _sqlite_search_page(
    session: Session, customer_id: str, terms: Sequence[str],
    offset: int, limit: int, available: bool, full: bool,
) -> tuple[int, list, dict[str, Registration]]:  # fmt: skip
    """Counted by the same statement that finds the page's ids (a window count), so the
    search runs once."""
    matching_ids = select(phone.id).where(
        *_conditions(customer_id, available),
        phone.id.in_(matching.fts_phone_ids(customer_id, terms)),
    )
    found = session.execute(
        matching_ids.add_columns(func.count().over().label("total"))
        .order_by(phone.id)
        .offset(offset)
        .limit(limit)
    ).all()
    if not found:
        return total_of(session, matching_ids, offset, limit, 0), [], {}
    rows, registrations = _collapse(
        session.execute(_page(full, phone.id.in_([row.id for row in found])), {"now": _utc_now()})
    )
    return found[0].total, rows, registrations


def _postgresql_search_page(
    session: Session, customer_id: str, terms: Sequence[str],
    offset: int, limit: int, available: bool, full: bool,
) -> tuple[int, list, dict[str, Registration]]:  # fmt: skip
    """Paged, then counted by a statement of its own."""
    # Unless only unassigned phones are asked for, counted and paged on the search rows
    # alone: joining each match back to its phone cost 5,466 index probes for a common
    # name (count 24.7 ms -> 16.1).
    matching_ids = matching.trigram_phone_ids(customer_id, terms)
    if available:
        matching_ids = select(phone.id).where(
            *_conditions(customer_id, available), phone.id.in_(matching_ids)
        )
    # The plan of a search depends on its terms: the generic plan PostgreSQL settles
    # on for a prepared statement walks every match of a common name (measured: 31.8
    # ms where a plan for the term takes 3.6). The search is planned per call; the
    # page's rows are then read by id, a statement whose prepared plan suits any page.
    matching_ids = matching_ids.execution_options(**{PLAN_PER_CALL: True})
    # A window count here makes PostgreSQL's planner walk the search table in id
    # order for the LIMIT (324 ms at 100,000 phones): page and count apart are 21 ms.
    (matching_id,) = matching_ids.selected_columns
    page_ids = session.scalars(matching_ids.order_by(matching_id).offset(offset).limit(limit)).all()
    rows, registrations = _collapse(session.execute(_page_by_ids(full), {
        "customer_id": customer_id, "ids": page_ids, "now": _utc_now()}))  # fmt: skip
    return total_of(session, matching_ids, offset, limit, len(rows)), rows, registrations


def _customer_total_column(available: bool):
    return counts_table.c.unassigned if available else counts_table.c.phones


@functools.cache
def _page_by_ids(full: bool) -> Select:
    """PostgreSQL: a page's rows by their ids, one array parameter (`ids`): the same
    statement for every page, so it is prepared once and not planned again. The ids come
    from the customer's search rows; the customer is required here all the same."""
    return _page(
        full,
        (phone.customer_id == bindparam("customer_id")) & (phone.id == any_(text_array("ids"))),
    )


@functools.cache
def _unfiltered_page(full: bool, available: bool) -> Select:
    """An unfiltered page with the customer's total, built once per shape: every value is
    bound per call (customer_id, offset, limit, now). Building it per request cost more
    Python than SQLite takes to run it (measured: 514 us per page, 223 us prebuilt)."""
    page_ids = (
        select(phone.id)
        .where(*_conditions(bindparam("customer_id"), available))
        .order_by(phone.id)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    customer_total = (
        select(_customer_total_column(available))
        .where(counts_table.c.customer_id == bindparam("customer_id"))
        .scalar_subquery()
        .label("customer_total")
    )
    return _page(full, phone.id.in_(page_ids.scalar_subquery()), customer_total)


def registrations_of(session: Session, usernames: Sequence[str]) -> dict[str, Registration]:
    """Live registrations by SIP username (Kamailio's location table, times in UTC)."""
    if not usernames:
        return {}
    now = _utc_now()
    rows = session.execute(
        select(
            location.c.username,
            location.c.expires,
            location.c.contact,
            location.c.received,
            location.c.user_agent,
        )
        .where(location.c.username.in_(usernames), location.c.expires > now)
        .order_by(location.c.expires)
    ).all()
    # Ordered by expiry, so the freshest contact of a phone wins.
    return {
        row.username: Registration.from_location(
            row.expires, row.contact, row.received, row.user_agent
        )
        for row in rows
    }


def side_panels_of(
    session: Session, customer_id: str, phone_ids: Sequence[str]
) -> dict[str, list[SipPhoneSidePanel]]:
    """The side panels of each of the customer's `phone_ids`, in position order."""
    panels: dict[str, list[SipPhoneSidePanel]] = {phone_id: [] for phone_id in phone_ids}
    if not phone_ids:
        return panels
    for panel in session.scalars(
        select(SipPhoneSidePanel)
        .where(
            SipPhoneSidePanel.customer_id == customer_id,
            one_of(session, SipPhoneSidePanel.sip_phone_id, phone_ids),
        )
        .order_by(SipPhoneSidePanel.sip_phone_id, SipPhoneSidePanel.position)
    ):
        panels[panel.sip_phone_id].append(panel)
    return panels
