"""Who is calling: resolved from the bearer token in one statement."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pbxapi.auth import policy, repository
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.tokens import hash_token
from pbxapi.errors import CredentialsInvalid, TokenExpired


@dataclass(frozen=True, slots=True)
class Caller:
    employee_id: str
    customer_id: str
    access_level: AccessLevel
    # The token this request came with (logout ends it; a password change keeps it).
    token_id: str | None = None
    # LOGIN or API (a machine-to-machine token): the audit log tells them apart
    token_kind: str | None = None


def caller_for_token(session: Session, token: str | None) -> Caller:
    if not token:
        raise CredentialsInvalid("a bearer token is required")
    row = repository.caller_of_token(session, hash_token(token))
    if row is None:
        raise CredentialsInvalid("unknown token")
    (
        token_id,
        token_kind,
        expires_at,
        employee_id,
        customer_id,
        level,
        employee_state,
        customer_state,
    ) = row
    # A disabled employee or a deleted customer keeps no access through old tokens.
    if employee_state != "ENABLED" or not policy.customer_keeps_api_access(customer_state):
        raise CredentialsInvalid("unknown token")
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise TokenExpired("the token has expired")
    return Caller(
        employee_id=employee_id,
        customer_id=customer_id,
        access_level=AccessLevel(level),
        token_id=token_id,
        token_kind=token_kind,
    )
