"""Builds test records straight in the database (the list is read-only)."""

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.tokens import issue_token
from pbxapi.db.engine import transaction
from pbxapi.db.tables import (
    ApiToken,
    Customer,
    Employee,
    Extension,
    SipPhone,
    SipPhoneModel,
    SipPhoneSidePanel,
    location,
)
from pbxapi.ids import new_id

NOW = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def random_mac() -> str:
    return secrets.token_hex(6).upper()


class Factory:
    def __init__(self, session_factory: sessionmaker[Session]):
        self.session_factory = session_factory

    def _add(self, record):
        with transaction(self.session_factory) as session:
            session.add(record)
        return record

    def customer(self, parent: str | None = None, name: str = "Customer", state="ACTIVE") -> str:
        return self._add(
            Customer(id=new_id(), name=name, parent_reseller_id=parent, state=state, created_at=NOW)
        ).id

    def employee(
        self, customer_id: str, level: AccessLevel = AccessLevel.NO_LOGIN, name: str = "Employee",
        state: str = "ENABLED",
    ) -> str:  # fmt: skip
        return self._add(
            Employee(
                id=new_id(), customer_id=customer_id, name=name, access_level=level.value,
                state=state, language="en", created_at=NOW,
            )
        ).id  # fmt: skip

    def token(self, employee_id: str, lifetime: timedelta | None = None) -> str:
        with transaction(self.session_factory) as session:
            return issue_token(session, session.get(Employee, employee_id), lifetime=lifetime)

    def login(self, customer_id: str, level: AccessLevel) -> str:
        """A new employee of that level in that customer, and a token for it."""
        return self.token(self.employee(customer_id, level, name=f"{level.value} login"))

    def expire_tokens_of(self, employee_id: str) -> None:
        with transaction(self.session_factory) as session:
            for token in session.scalars(
                select(ApiToken).where(ApiToken.employee_id == employee_id)
            ):
                token.expires_at = datetime.now(UTC) - timedelta(seconds=1)

    def set_state(self, table, record_id: str, state: str) -> None:
        with transaction(self.session_factory) as session:
            session.get(table, record_id).state = state

    def model_id(self, brand: str, model: str) -> str:
        with self.session_factory() as session:
            return session.scalars(
                select(SipPhoneModel.id).where(
                    SipPhoneModel.brand == brand, SipPhoneModel.model == model
                )
            ).one()

    def extension(
        self, customer_id: str, number: str, direct: str | None = None,
        employee_id: str | None = None, name: str = "",
    ) -> str:  # fmt: skip
        return self._add(
            Extension(
                id=new_id(), customer_id=customer_id, number=number, name=name, direct=direct,
                employee_id=employee_id, notes="",
            )
        ).id  # fmt: skip

    def phone(
        self, customer_id: str, model: tuple[str, str] = ("SNOM", "D785"), **fields
    ) -> SipPhone:
        values = {
            "id": new_id(),
            "customer_id": customer_id,
            "sip_phone_model_id": self.model_id(*model),
            "mac_address": random_mac(),
            "sip_username": secrets.token_hex(16),
            "sip_password": secrets.token_hex(16),
            "softkeys": [],
            "notes": "",
            "config_saved_at": NOW,
            "created_at": NOW,
        }
        values.update(fields)
        return self._add(SipPhone(**values))

    def side_panel(self, phone: SipPhone, position: int, serial: str, **fields) -> None:
        self._add(
            SipPhoneSidePanel(
                id=new_id(), customer_id=phone.customer_id, sip_phone_id=phone.id,
                position=position, serial=serial, **fields,
            )
        )  # fmt: skip

    def register(
        self, phone: SipPhone, *, contact: str, received: str | None = None,
        expires_in: int = 3600, user_agent: str = "",
    ) -> None:  # fmt: skip
        """A registration as Kamailio records it (naive UTC timestamps)."""
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        with transaction(self.session_factory) as session:
            session.execute(
                insert(location).values(
                    ruid=new_id(), username=phone.sip_username, contact=contact,
                    received=received, expires=now + timedelta(seconds=expires_in),
                    last_modified=now, user_agent=user_agent,
                )
            )  # fmt: skip
