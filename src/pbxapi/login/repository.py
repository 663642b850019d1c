"""Statements of logging in and out: the employee an e-mail address names, the end of an
employee's tokens, and the login throttle's counts (what they mean, and the values they are
given, is login/throttle.py's)."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple

from sqlalchemy import Row, and_, case, delete, exists, literal, or_, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from pbxapi.db.tables import ApiToken, Customer, Employee, LoginThrottle
from pbxapi.db.types import UTCDateTime

# -- logging in and out --------------------------------------------------------------------


def employee_and_customer_state(
    session: Session, email_address: str
) -> Row[tuple[Employee, str]] | None:
    """(employee, its customer's state) of the employee with this e-mail address, or None."""
    return session.execute(
        select(Employee, Customer.state)
        .join(Customer, Customer.id == Employee.customer_id)
        .where(Employee.email_address == email_address)
    ).one_or_none()


def delete_tokens_of(session: Session, customer_id: str, employee_id: str) -> None:
    """Deletes every token of the employee, of any kind."""
    session.execute(
        delete(ApiToken).where(
            ApiToken.customer_id == customer_id,
            ApiToken.employee_id == employee_id,
        )
    )


# -- the throttle's counts -----------------------------------------------------------------


class Moments(NamedTuple):
    """What a key's row holds after a failure: refused until (None: not), kept until."""

    locked_until: datetime | None
    expires_at: datetime


_locked_until, _expires_at = attrgetter("locked_until"), attrgetter("expires_at")


@dataclass(frozen=True, slots=True)
class Ladder:
    """One key of a claim, and the moments its row takes at each failure count: `first`
    for a new row (count 1), `steps[n]` for count n, the highest step's also for every
    count above it, `below` for any count below the lowest step."""

    key: str
    first: Moments
    steps: dict[int, Moments]
    below: Moments


def count_failure(
    session: Session, now: datetime, account: Ladder, address: Ladder, trusted_key: str
) -> dict[str, datetime | None]:
    """Counts a failure on the account's and the address's key in one atomic upsert, unless
    a key that applies is locked: the address's, or the account's when `trusted_key` (the
    pair's) is not trusted. The lock and expiry are computed in the statement, from the count
    it makes. Returns key -> locked_until of the keys counted: both, or fewer when refused."""
    table = LoginThrottle.__table__
    other = aliased(LoginThrottle)
    trusted = exists().where(other.key == trusted_key, other.expires_at > now)
    locked = aliased(LoginThrottle)
    # Rows another attempt locked after this statement's snapshot are caught by the
    # ON CONFLICT ... WHERE below, which sees the latest row.
    refused = exists().where(
        locked.locked_until > now,
        locked.expires_at > now,
        or_(
            locked.key == address.key,
            and_(locked.key == account.key, ~trusted),
        ),
    )
    first = [  # one order, so that concurrent claims cannot deadlock
        select(
            literal(ladder.key).label("key"),
            literal(1).label("failures"),
            _at(ladder.first.locked_until).label("locked_until"),
            _at(ladder.first.expires_at).label("expires_at"),
        ).where(~refused)
        for ladder in (account, address)
    ]
    statement = _insert(session)(table).from_select(
        ["key", "failures", "locked_until", "expires_at"], union_all(*first)
    )
    # a row expired but not yet deleted starts again
    failures = case((table.c.expires_at <= now, 1), else_=table.c.failures + 1)
    lock = case(
        (table.c.key == account.key, _ladder(account, failures, _locked_until)),
        else_=_ladder(address, failures, _locked_until),
    )
    expiry = case(
        (table.c.key == account.key, _ladder(account, failures, _expires_at)),
        else_=_ladder(address, failures, _expires_at),
    )
    still_locked = table.c.locked_until > now
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": failures,
            # never lowered: a trusted pair's failure counts on a locked account
            "locked_until": case(
                (
                    and_(still_locked, or_(lock.is_(None), table.c.locked_until > lock)),
                    table.c.locked_until,
                ),
                else_=lock,
            ),
            "expires_at": case((table.c.expires_at > expiry, table.c.expires_at), else_=expiry),
        },
        where=or_(
            ~still_locked,
            table.c.locked_until.is_(None),
            table.c.expires_at <= now,
            and_(table.c.key == account.key, trusted),
        ),
    ).returning(table.c.key, table.c.locked_until)
    return dict(session.execute(statement).all())


def settle_counts(
    session: Session,
    actions: dict[str, str],
    claimed: dict[str, datetime | None],
    *,
    expires_at: datetime,
    trusted_until: datetime,
) -> None:
    """One upsert: "clear" a key's count and lock, "uncount" the failure a claim counted
    (and the lock it set, `claimed[key]`, if no later failure replaced it), or "trust".
    A new row expires at `expires_at`, a trusted one at `trusted_until`."""
    table = LoginThrottle.__table__
    keys = {action: [k for k, a in actions.items() if a == action] for action in actions.values()}
    statement = _insert(session)(table).values([
        {"key": key, "failures": 0, "locked_until": None,
         "expires_at": trusted_until if action == "trust" else expires_at}
        # sorted: the claim's order (account, address, trusted), against deadlocks
        for key, action in sorted(actions.items())
    ])  # fmt: skip
    ours = [
        and_(table.c.key == key, table.c.locked_until == _at(lock))
        for key, lock in claimed.items()
        if lock is not None and actions.get(key) == "uncount"
    ]
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case(
                    (
                        table.c.key.in_(keys.get("uncount", [])),
                        case((table.c.failures > 0, table.c.failures - 1), else_=0),
                    ),
                    else_=0,
                ),
                "locked_until": case(
                    (or_(table.c.key.in_(keys.get("clear", [])), *ours), None),
                    else_=table.c.locked_until,
                ),
                "expires_at": case(
                    (table.c.key.in_(keys.get("trust", [])), statement.excluded.expires_at),
                    else_=table.c.expires_at,
                ),
            },
        )
    )


def delete_expired_counts(session: Session, now: datetime, batch: int) -> None:
    """Deletes at most `batch` rows expired at `now`."""
    # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): rows another login is
    # updating are left to a later clean-up instead of waited for (no deadlock).
    expired = (
        select(LoginThrottle.key)
        .where(LoginThrottle.expires_at <= now)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(expired)))


def locks(session: Session, keys: Collection[str], now: datetime) -> dict[str, datetime | None]:
    """key -> locked_until of those keys' rows not expired at `now`."""
    rows = session.execute(
        select(LoginThrottle.key, LoginThrottle.locked_until).where(
            LoginThrottle.key.in_(keys), LoginThrottle.expires_at > now
        )
    )
    return dict(rows.all())


def _at(moment: datetime | None):
    return literal(moment, UTCDateTime())


def _ladder(ladder: Ladder, failures, pick: Callable[[Moments], datetime | None]):
    """pick(the moments) for the count n that `failures` (an SQL expression) holds."""
    capped = max(ladder.steps)
    return case(
        *((failures == n, _at(pick(ladder.steps[n]))) for n in ladder.steps if n < capped),
        (failures >= capped, _at(pick(ladder.steps[capped]))),
        else_=_at(pick(ladder.below)),
    )


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
