"""Bearer tokens: random, shown once, stored only as a SHA-256 digest.

A token carries 256 bits of randomness, so a fast digest is enough: nobody can
brute-force it, and lookup stays one indexed equality.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from pbxapi.auth import repository
from pbxapi.db.tables import ApiToken, Employee
from pbxapi.ids import TOKEN_PREFIX, new_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session, employee: Employee, *, kind: str = "API", lifetime: timedelta | None = None
) -> str:
    """Store a new token for the employee and return it; it cannot be recovered later."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    # Every login adds a row: the employee's expired ones go at the same time.
    repository.delete_expired_tokens(session, employee.customer_id, employee.id, now)
    repository.add_token(
        session,
        ApiToken(
            id=new_id(),
            customer_id=employee.customer_id,
            employee_id=employee.id,
            token_hash=hash_token(token),
            kind=kind,
            expires_at=now + lifetime if lifetime is not None else None,
            created_at=now,
        ),
    )
    return token
