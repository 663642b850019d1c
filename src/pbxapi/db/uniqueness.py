"""Whether a value that must be unique is already held by another row."""

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session


def value_taken(
    session: Session, key: Any, *where: ColumnElement[bool], except_id: str | None = None
) -> bool:
    """True if some row matches every condition of `where`, other than the row whose `key`
    (its id column) is `except_id` (the row being changed, if any)."""
    statement = select(key).where(*where)
    if except_id is not None:
        statement = statement.where(key != except_id)
    return session.execute(statement).first() is not None
