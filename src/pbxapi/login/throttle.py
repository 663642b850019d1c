"""Password guessing is slowed, then refused for a while: 429 with Retry-After.

Failed logins are counted per account (the e-mail address as sent, whether or not it
exists) and per client address (an IPv6 client by its /64), in the database, so that every
worker sees the same counts. The policy follows OWASP's Authentication Cheat Sheet
(throttle per account and per source; lock with exponential back-off and a bound, so that
lockout cannot be used to keep a user out for long):

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

Parallel guesses: every attempt is counted as a failure BEFORE its password is checked,
in one atomic upsert committed at once (`claim`), which refuses it instead if a key that
applies is locked. The database serialises the upserts of one key (row lock, SQLite's
single writer) and each computes the lock in SQL from the count it just made, so a burst
of N attempts gets exactly `free failures` + 1 password checks, as the same N one after
the other would; a lock is never lowered by a later commit. No row lock is held while
argon2 runs, so logins of one account do not queue behind each other's password checks.
A success then takes its provisional failure back (`succeeded`). The price: while a
password that would be the locking failure is being checked (tens of milliseconds), other
attempts on its keys are refused as if it had failed.

Cost: two statements per login (login/repository.py): the claim, then on failure a bounded
clean-up of expired rows, on success one upsert that settles the counts and trusts the
address; a refused attempt reads the locks for Retry-After instead.
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from pbxapi.config import Settings
from pbxapi.errors import TooManyRequests
from pbxapi.login import repository

ACCOUNT, ADDRESS, TRUSTED = "account", "address", "trusted"
FIRST_DELAY = timedelta(seconds=1)
# expired rows deleted per failed login: enough to keep up, bounded in cost
CLEAN_UP_BATCH = 100
# an IPv6 host is usually given a whole /64 (SLAAC, privacy addresses): one key for it
IPV6_HOST_PREFIX = 64


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

    def steps(self) -> dict[int, timedelta]:
        """The lock for each failure count from the first locked one up to the first
        capped one; every count above that is capped too."""
        steps, failures = {}, self.free_failures + 1
        while (lock := self.lock(failures)) < self.max_lock:
            steps[failures] = lock
            failures += 1
        steps[failures] = lock
        return steps


def utcnow() -> datetime:
    return datetime.now(UTC)


def _key(kind: str, *parts: str) -> str:
    return f"{kind}:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def client_address(client) -> str:
    """request.client's host: the peer, or the address a proxy forwarded when the
    server trusts it (`pbxapi serve --forwarded-allow-ips`). It is None for some
    transports (a Unix socket): one shared key for those."""
    return client.host if client is not None and client.host else "unknown"


def address_identity(address: str) -> str:
    """What a client address is counted and trusted as: an IPv4 address (also written as
    IPv4-mapped IPv6) itself, an IPv6 address its /64, since one host can use any address
    in it; anything else (no address) as it is."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_HOST_PREFIX), strict=False))
    return str(parsed)


class Throttle:
    """One login attempt: `claim` before anything else, then `failed` or `succeeded`."""

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
        identity = address_identity(address)
        self.keys = {
            ACCOUNT: _key(ACCOUNT, username),
            ADDRESS: _key(ADDRESS, identity),
            TRUSTED: _key(TRUSTED, username, identity),
        }
        # key -> the locked_until this attempt's claim left (None: no lock)
        self.claimed: dict[str, datetime | None] = {}

    def claim(self) -> TooManyRequests | None:
        """Count this attempt as a failure on the account and the address, or give the
        429 to answer if one of them that applies is locked. The caller commits at once,
        before the password is checked, and raises the 429 after committing."""
        self.claimed = repository.count_failure(
            self.session,
            self.now,
            self._ladder(ACCOUNT),
            self._ladder(ADDRESS),
            self.keys[TRUSTED],
        )
        if len(self.claimed) == 2:
            return None
        # Refused. A key locked by a concurrent attempt between this statement's snapshot
        # and its row may have let the other key count: take that back.
        if self.claimed:
            self._settle(dict.fromkeys(self.claimed, "uncount"))
        self.claimed = {}
        return self._refusal()

    def failed(self) -> None:
        """The claim counted the failure already; delete some expired rows."""
        repository.delete_expired_counts(self.session, self.now, CLEAN_UP_BATCH)

    def succeeded(self) -> None:
        """Clear the account's count, take the claimed failure back from the address, and
        trust this address for the account (the caller commits)."""
        actions = {self.keys[ACCOUNT]: "clear", self.keys[ADDRESS]: "uncount"}
        if self.trust_for:
            actions[self.keys[TRUSTED]] = "trust"
        self._settle(actions)

    def _settle(self, actions: dict[str, str]) -> None:
        """One upsert: "clear" a key's count and lock, "uncount" this attempt's claimed
        failure (and the lock it set, if no later failure replaced it), or "trust"."""
        repository.settle_counts(
            self.session,
            actions,
            self.claimed,
            expires_at=self.now + self.window,
            trusted_until=self.now + self.trust_for,
        )

    def _refusal(self) -> TooManyRequests:
        """429 with the time until the latest lock that applies ends."""
        found = repository.locks(self.session, self.keys.values(), self.now)
        applying = [ADDRESS] if self.keys[TRUSTED] in found else [ADDRESS, ACCOUNT]
        until = max(
            (lock for kind in applying if (lock := found.get(self.keys[kind])) is not None),
            default=self.now,
        )
        # at least 1: the lock may have been taken back by a success meanwhile
        seconds = max(1, math.ceil((until - self.now).total_seconds()))
        return TooManyRequests(
            f"too many failed logins; try again in {seconds} seconds", retry_after=seconds
        )

    def _ladder(self, kind: str) -> repository.Ladder:
        """The key of this kind and the moments its row takes at each failure count: the
        claim computes the lock in the statement, from the count it makes."""
        limit = self.limits[kind]
        return repository.Ladder(
            key=self.keys[kind],
            first=self._moments(kind, 1),
            steps={n: self._moments(kind, n) for n in limit.steps()},
            below=self._moments(kind, limit.free_failures),
        )

    def _moments(self, kind: str, failures: int) -> repository.Moments:
        """Until when a key of this kind with this many failures is refused, and kept."""
        lock = self.limits[kind].lock(failures)
        locked_until = self.now + lock if lock is not None else None
        return repository.Moments(locked_until, (locked_until or self.now) + self.window)
