"""Helpers for the employee and login tests: employees with e-mail addresses and passwords
straight in the database, and snapshots of employee and token rows to compare."""

import uuid
from datetime import UTC, datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import hash_password
from pbxapi.auth.tokens import issue_token
from pbxapi.db.engine import make_session_factory, transaction
from pbxapi.db.tables import ApiToken, Employee, Extension
from pbxapi.ids import new_id

_UNSET = object()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def unique_email(prefix: str = "person") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:12]}@example.com"


def assert_error(response, status: int, code: str, field=_UNSET) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    if field is not _UNSET:
        assert body.get("field") == field, body
    return body


def spy_on_argon2(monkeypatch) -> list[str]:
    """The hashes every argon2 verification is made against, from now on in the test."""
    verified: list[str] = []
    original = PasswordHasher.verify

    def spy(self, password_hash, password):
        verified.append(password_hash)
        return original(self, password_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return verified


def _as_dict(record) -> dict:
    return {column.key: getattr(record, column.key) for column in record.__table__.columns}


class Accounts:
    def __init__(self, engine: Engine):
        self.session_factory = make_session_factory(engine)

    def employee(
        self,
        customer_id: str,
        level: AccessLevel = AccessLevel.PERSONAL,
        *,
        email: str | None = None,
        password: str | None = None,
        password_hash: str | None = None,
        state: str = "ENABLED",
        name: str = "Employee",
        title: str | None = None,
        department: str | None = None,
        language: str = "en",
    ) -> str:
        with transaction(self.session_factory) as session:
            employee = Employee(
                id=new_id(), customer_id=customer_id, name=name,
                email_address=email.lower() if email else None,
                access_level=level.value, state=state, title=title, department=department,
                language=language, created_at=datetime.now(UTC),
                password_hash=hash_password(password) if password else password_hash,
            )  # fmt: skip
            session.add(employee)
        return employee.id

    def _session(self) -> Session:
        return self.session_factory()

    def row(self, employee_id: str) -> dict | None:
        with self._session() as session:
            employee = session.get(Employee, employee_id)
            return _as_dict(employee) if employee is not None else None

    def rows_of(self, customer_id: str) -> list[dict]:
        with self._session() as session:
            employees = session.scalars(
                select(Employee).where(Employee.customer_id == customer_id).order_by(Employee.id)
            )
            return [_as_dict(employee) for employee in employees]

    def tokens_of(self, employee_id: str) -> list[dict]:
        with self._session() as session:
            tokens = session.scalars(
                select(ApiToken).where(ApiToken.employee_id == employee_id).order_by(ApiToken.id)
            )
            return [_as_dict(token) for token in tokens]

    def extension(self, extension_id: str) -> dict:
        with self._session() as session:
            return _as_dict(session.get(Extension, extension_id))

    def snapshot(self, customer_id: str) -> tuple:
        """Every employee of the customer and every token of those employees."""
        employees = self.rows_of(customer_id)
        return employees, [self.tokens_of(employee["id"]) for employee in employees]

    def token(self, employee_id: str, kind: str = "API", lifetime=None) -> str:
        with transaction(self.session_factory) as session:
            return issue_token(
                session, session.get(Employee, employee_id), kind=kind, lifetime=lifetime
            )
