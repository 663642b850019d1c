"""Password guessing is slowed, then refused for a while: 429 with Retry-After.

Failed logins are counted per account (the e-mail address as sent, whether or not it
exists) and per client address, in the database, so that every worker sees the same
counts. The policy follows OWASP's Authentication Cheat Sheet (throttle per account and
per source; lock with exponential back-off and a bound, so that lockout cannot be used
to keep a user out for long):

- Each key has some free failures; from then on every failure refuses the key for
  1, 2, 4, ... seconds, up to a cap: a few minutes for an account, an hour for an address.
- A refused attempt is answered before anything else is looked at (no account lookup,
  no password check), the same whether the account exists or not, and does not count.
- Counts are forgotten after a quiet window (no failure since the refusal ended).
- A successful login clears the account's count and trusts its (account, address) pair
  for some days: from a trusted address the account's refusal does not apply (the
  address's still does), so an attacker failing on purpose from elsewhere cannot lock
  the user out of their usual address. A success does not clear the address's count:
  otherwise one valid account would let a guesser reset it between guesses.
- Keys are SHA-256 digests: no e-mail address, nor a password typed into the name
  field, is stored.

Cost: one indexed SELECT per login; a failure adds an upsert and a bounded clean-up of
expired rows; a success writes only when there is something to clear or to trust anew.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pbxapi.config import Settings
from pbxapi.db.tables import LoginThrottle
from pbxapi.errors import TooManyRequests

ACCOUNT, ADDRESS, TRUSTED = "account", "address", "trusted"
FIRST_DELAY = timedelta(seconds=1)
# expired rows deleted per failed login: enough to keep up, bounded in cost
CLEAN_UP_BATCH = 100


@dataclass(frozen=True, slots=True)
class Limit:
    free_failures: int
    max_lock: timedelta

    def lock(self, failures: int) -> timedelta | None:
        """How long a key with this many failures is refused (None: not at all)."""
        over = failures - self.free_failures
        if over <= 0:
            return None
        # the exponent bounded first: 2**over could be astronomically large
        seconds = FIRST_DELAY.total_seconds() * 2 ** min(over - 1, 40)
        return min(timedelta(seconds=seconds), self.max_lock)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _key(kind: str, *parts: str) -> str:
    return f"{kind}:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def client_address(client) -> str:
    """request.client's host: the peer, or the address a trusted proxy forwarded when
    uvicorn runs with --proxy-headers --forwarded-allow-ips. It is None for some
    transports (a Unix socket): one shared key for those."""
    return client.host if client is not None and client.host else "unknown"


class Throttle:
    """One login attempt's view of its keys, read once; `check` before anything else."""

    def __init__(self, session: Session, settings: Settings, username: str, address: str):
        self.session = session
        self.now = utcnow().replace(microsecond=0)
        self.window = timedelta(seconds=settings.login_failure_window_seconds)
        self.trust_for = timedelta(days=settings.login_trusted_address_days)
        self.limits = {
            ACCOUNT: Limit(
                settings.login_account_free_failures,
                timedelta(seconds=settings.login_account_max_lock_seconds),
            ),
            ADDRESS: Limit(
                settings.login_address_free_failures,
                timedelta(seconds=settings.login_address_max_lock_seconds),
            ),
        }
        self.keys = {
            ACCOUNT: _key(ACCOUNT, username),
            ADDRESS: _key(ADDRESS, address),
            TRUSTED: _key(TRUSTED, username, address),
        }
        rows = session.execute(
            select(LoginThrottle).where(
                LoginThrottle.key.in_(self.keys.values()), LoginThrottle.expires_at > self.now
            )
        ).scalars()
        by_key = {row.key: row for row in rows}
        self.rows = {kind: by_key.get(key) for kind, key in self.keys.items()}

    def check(self) -> None:
        """429 while the address, or the account from an untrusted address, is refused."""
        applying = [ADDRESS] if self.rows[TRUSTED] is not None else [ADDRESS, ACCOUNT]
        until = max(
            (
                row.locked_until
                for kind in applying
                if (row := self.rows[kind]) is not None and row.locked_until is not None
            ),
            default=None,
        )
        if until is not None and until > self.now:
            seconds = max(1, math.ceil((until - self.now).total_seconds()))
            raise TooManyRequests(
                f"too many failed logins; try again in {seconds} seconds", retry_after=seconds
            )

    def failed(self) -> None:
        """Count the failure on the account and the address (the caller commits)."""
        self._clean_up()
        values = []
        for kind in (ACCOUNT, ADDRESS):  # one order, so that concurrent upserts cannot deadlock
            row = self.rows[kind]
            lock = self.limits[kind].lock((row.failures if row is not None else 0) + 1)
            locked_until = self.now + lock if lock is not None else None
            values.append({
                "key": self.keys[kind],
                "failures": 1,
                "locked_until": locked_until,
                "expires_at": max(self.now, locked_until or self.now) + self.window,
            })  # fmt: skip
        table = LoginThrottle.__table__
        statement = _insert(self.session)(table).values(values)
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    # a row expired but not yet deleted starts again
                    "failures": case(
                        (table.c.expires_at <= self.now, 1), else_=table.c.failures + 1
                    ),
                    "locked_until": statement.excluded.locked_until,
                    "expires_at": statement.excluded.expires_at,
                },
            )
        )

    def succeeded(self) -> None:
        """Clear the account's count and trust this address for it (the caller commits)."""
        if self.rows[ACCOUNT] is not None:
            self.session.execute(
                delete(LoginThrottle).where(LoginThrottle.key == self.keys[ACCOUNT])
            )
        trusted = self.rows[TRUSTED]
        # refreshed only when half used up: a user's every login need not write
        if self.trust_for and (
            trusted is None or trusted.expires_at - self.now < self.trust_for / 2
        ):
            table = LoginThrottle.__table__
            statement = _insert(self.session)(table).values(
                key=self.keys[TRUSTED], failures=0, expires_at=self.now + self.trust_for
            )
            self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.key],
                    set_={"expires_at": statement.excluded.expires_at},
                )
            )

    def _clean_up(self) -> None:
        # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): rows another login is
        # updating are left to a later clean-up instead of waited for (no deadlock).
        expired = (
            select(LoginThrottle.key)
            .where(LoginThrottle.expires_at <= self.now)
            .limit(CLEAN_UP_BATCH)
            .with_for_update(skip_locked=True)
        )
        self.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(expired)))


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
