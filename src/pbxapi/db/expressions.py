"""SQL expressions whose best form differs between SQLite and PostgreSQL."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def one_of(session: Session, column, values: Sequence[str]) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL as `= ANY(array)`: one parameter instead of one per
    value, which PostgreSQL parses and plans far faster (1,000 ids: 3.9 ms -> 0.8)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
    return column.in_(values)
