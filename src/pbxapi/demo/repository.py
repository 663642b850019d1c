"""Statements of the demo data: whether a database holds any, and its rows inserted."""

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pbxapi.db.tables import Customer, SipPhoneModel, location


def holds_customers(session: Session) -> bool:
    return session.execute(select(Customer.id).limit(1)).first() is not None


def phone_models(session: Session) -> list[SipPhoneModel]:
    """The whole phone model catalogue."""
    return list(session.scalars(select(SipPhoneModel)).all())


def add_record(session: Session, record: object) -> None:
    session.add(record)


def add_records(session: Session, records: Iterable[object]) -> None:
    session.add_all(records)


def add_registrations(session: Session, rows: list[dict]) -> None:
    """Inserts rows of Kamailio's `location` table."""
    session.execute(insert(location), rows)
