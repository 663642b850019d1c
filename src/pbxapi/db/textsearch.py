"""Case-insensitive substring search shared by the list filters.

Every term must match at least one column. `lower()` is Unicode-aware on both
databases (on SQLite through the function registered in db/engine.py).
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, false, func, or_


def split_terms(filter_text: str | None) -> list[str]:
    return filter_text.split() if filter_text else []


def escape_like(text: str) -> str:
    """Make %, _ and the escape character itself match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, needle: str) -> ColumnElement[bool]:
    return column.like(f"%{escape_like(needle)}%", escape="\\")


def contains_folded(column, term: str) -> ColumnElement[bool]:
    return contains(func.lower(column), term.lower())


def every_term_in_some_column(terms: Iterable[str], columns) -> ColumnElement[bool]:
    return and_(*(or_(false(), *(contains_folded(c, term) for c in columns)) for term in terms))
