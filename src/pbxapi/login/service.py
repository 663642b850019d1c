"""Logging in with e-mail address and password, and logging out.

A failed login answers the same, and costs the same work (one SELECT, one argon2
verification), whether the e-mail address is unknown, the password is wrong, or the
employee may not log in (not ENABLED, NO_LOGIN, no password, customer DELETED): the answer
does not tell which e-mail addresses exist. Repeated failures are throttled (login/throttle.py):
every attempt is counted before any of that work, and a refused one is answered then.
"""

from datetime import timedelta

from sqlalchemy.orm import Session

from pbxapi.auth import policy
from pbxapi.auth.caller import Caller
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import hash_password, needs_rehash, verify_password
from pbxapi.auth.tokens import issue_token
from pbxapi.config import Settings
from pbxapi.db.integrity import commit
from pbxapi.errors import CredentialsInvalid
from pbxapi.login import repository
from pbxapi.login.schemas import LoginAnswer, LoginRequest
from pbxapi.login.throttle import Throttle

# A login token lives this long from the login on; use does not extend it.
LOGIN_LIFETIME = timedelta(minutes=15)
NEVER_EXPIRES = -1


def log_in(
    session: Session, settings: Settings, request: LoginRequest, address: str
) -> LoginAnswer:
    username = request.username.strip().lower()
    throttle = Throttle(session, settings, username, address)
    refusal = throttle.claim()
    # committed before the password is checked: parallel guesses see this one counted,
    # and no row lock is held while argon2 runs
    commit(session)
    if refusal is not None:
        raise refusal
    row = repository.employee_and_customer_state(session, username)
    employee, customer_state = row if row is not None else (None, None)
    # Verified first and always, so that every failure below costs the same work.
    password_matches = verify_password(
        employee.password_hash if employee is not None else None, request.password
    )
    if (
        employee is None
        or not password_matches
        or employee.state != "ENABLED"
        or not policy.has_api_access(AccessLevel(employee.access_level))
        or not policy.customer_keeps_api_access(customer_state)
    ):
        throttle.failed()
        commit(session)
        raise CredentialsInvalid("wrong e-mail address or password")
    if needs_rehash(employee.password_hash):
        employee.password_hash = hash_password(request.password)
    lifetime = None if request.persist else LOGIN_LIFETIME
    token = issue_token(session, employee, kind="LOGIN", lifetime=lifetime)
    # last: its row locks are held only until the commit just below
    throttle.succeeded()
    commit(session)
    return LoginAnswer(
        token=token,
        expiresInMinutes=NEVER_EXPIRES if lifetime is None else lifetime // timedelta(minutes=1),
        employee=employee.id,
        customer=employee.customer_id,
        accessLevel=AccessLevel(employee.access_level),
    )


def log_out(session: Session, caller: Caller) -> None:
    """Ends all of the caller's tokens, as the API documents: its logins and its
    machine-to-machine tokens alike."""
    repository.delete_tokens_of(session, caller.customer_id, caller.employee_id)
    commit(session)
