"""Committing a unit of work, with constraint violations turned into 409 answers.

Services check the rules first and answer precisely; the database constraints are
the last line against races (two requests creating the same MAC at once). When one
fires, the constraint is named in the answer through `CONFLICT_FIELDS`.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pbxapi.db.tables import Base
from pbxapi.errors import Conflict

# constraint name -> (field, message)
CONFLICT_FIELDS: dict[str, tuple[str, str]] = {
    "uq_extensions_customer_id_number": ("number", "extension number already in use"),
    "uq_sip_phones_mac_desk": ("macAddress", "MAC address already in use"),
    "uq_sip_phones_mac_address_handset_index": ("handsetIndex", "handset index already taken"),
    "uq_sip_phone_side_panels_serial": ("purchaseInfo.sidePanels", "side panel serial in use"),
    "uq_employees_email_address": ("emailAddress", "e-mail address already in use"),
    "uq_sip_phones_sip_username": ("username", "SIP username collision, try again"),
    "uq_sip_phone_models_brand_model": ("model", "model already in the catalogue"),
    # a phone model deleted while a phone is created with it (or the other way round)
    "fk_sip_phones_sip_phone_model_id_sip_phone_models": (
        "sipPhoneModel",
        "the SIP phone model is in use, or no longer exists",
    ),
}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")


def _unique_signatures() -> dict[str, str]:
    """SQLite names the columns, not the constraint: map "t.a, t.b" to the name."""
    signatures = {}
    for table in Base.metadata.tables.values():
        uniques = [c for c in table.constraints if isinstance(c, UniqueConstraint)]
        uniques += [index for index in table.indexes if index.unique]
        for constraint in uniques:
            columns = ", ".join(f"{table.name}.{column.name}" for column in constraint.columns)
            signatures[columns] = constraint.name
    return signatures


_SIGNATURES = _unique_signatures()


def constraint_name(error: IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # psycopg names the constraint
        return diag.constraint_name
    match = _SQLITE_UNIQUE.search(str(error.orig))
    return _SIGNATURES.get(match.group(1)) if match else None


@contextmanager
def conflicts_as_409(session: Session) -> Iterator[None]:
    """A constraint violation inside the block rolls back and becomes a 409."""
    try:
        yield
    except IntegrityError as error:
        session.rollback()
        field, message = CONFLICT_FIELDS.get(
            constraint_name(error) or "", (None, "the change conflicts with the current data")
        )
        raise Conflict(message, field=field, code=field or "conflict") from error


def flush(session: Session) -> None:
    with conflicts_as_409(session):
        session.flush()


def commit(session: Session) -> None:
    with conflicts_as_409(session):
        session.commit()
