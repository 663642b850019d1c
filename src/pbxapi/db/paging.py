"""Offset paging with an exact total that is counted only when it must be."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from pbxapi.db.textsearch import every_term_in_some_column


def paginate(
    session: Session, page: Select, count: Select, offset: int, limit: int
) -> tuple[int, Sequence[Row]]:
    """Run `page` (already ordered) at offset/limit; `count` is a SELECT of the matching
    rows' ids, counted only when the page does not tell the total by itself."""
    rows = session.execute(page.offset(offset).limit(limit)).all()
    return total_of(session, count, offset, limit, len(rows)), rows


def total_from_page(offset: int, limit: int, page_size: int) -> int | None:
    """The total when the page itself tells it (it ends the list), else None."""
    if page_size < limit and (page_size or offset == 0):
        return offset + page_size
    return None


def total_of(session: Session, count: Select, offset: int, limit: int, page_size: int) -> int:
    """The exact total, from the page itself when it ends the list."""
    total = total_from_page(offset, limit, page_size)
    if total is not None:
        return total
    # counted with the execution options of the statement it counts
    counting = select(func.count()).select_from(count.subquery())
    return session.execute(
        counting.execution_options(**count.get_execution_options())
    ).scalar_one()


def search_page(
    session: Session,
    rows: Select,
    key,
    *,
    where: Sequence = (),
    terms: Sequence[str] = (),
    searched: Sequence = (),
    order_by: Sequence = (),
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Row]]:
    """The one shape of every plain list: `rows` (a SELECT of what a page shows, joins
    included) narrowed by `where` and by the free-text `terms` (each found, folded, in some
    column of `searched`: pbxapi.db.textsearch), ordered by `order_by` then `key` (the
    unique id, so that paging by offset never repeats or skips a row), with its exact total
    counted on `key` alone."""
    conditions = list(where)
    if terms:
        conditions.append(every_term_in_some_column(terms, searched))
    page = rows.where(*conditions).order_by(*order_by, key)
    count = rows.with_only_columns(key).where(*conditions)
    return paginate(session, page, count, offset, limit)
