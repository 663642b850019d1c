"""Statements of the audit log."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pbxapi.db.paging import paginate
from pbxapi.db.tables import AuditEvent


def add_event(session: Session, event: AuditEvent) -> None:
    """Add a new event to the session (inserted by its commit, with the write it records)."""
    session.add(event)


def insert_events(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert the events (rows of column values) now, in one statement; none: no statement."""
    if rows:
        session.execute(insert(AuditEvent), rows)


def events_page(
    session: Session,
    customer_id: str,
    *,
    resource_type: str | None,
    resource_id: str | None,
    action: str | None,
    offset: int,
    limit: int,
) -> tuple[int, list[AuditEvent]]:
    """(total, the page's events) of the customer's events, narrowed to those of the
    resource type, resource and action given, newest first (ids are time-ordered)."""
    conditions = [AuditEvent.customer_id == customer_id]
    if resource_type is not None:
        conditions.append(AuditEvent.resource_type == resource_type)
    if resource_id is not None:
        conditions.append(AuditEvent.resource_id == resource_id)
    if action is not None:
        conditions.append(AuditEvent.action == action)
    # paginate, not search_page: that orders by its key ascending last, and newest first is
    # the key descending.
    page = select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc())
    count = select(AuditEvent.id).where(*conditions)
    total, rows = paginate(session, page, count, offset, limit)
    return total, [row.AuditEvent for row in rows]
