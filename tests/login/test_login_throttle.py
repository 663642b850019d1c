"""Password guessing is slowed, then refused for a while (issue 5, "Defences users
expect"): per account and per client address, 429 too_many_requests with Retry-After,
never checking the password meanwhile, the same for unknown e-mail addresses, and never
keeping a user out of their usual address for long.

Time is a clock the tests move (pbxapi.login.throttle.utcnow): no test waits.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pbxapi.app import create_app
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import hash_password
from pbxapi.config import Settings
from pbxapi.db.engine import make_session_factory
from pbxapi.db.tables import LoginThrottle
from pbxapi.login import throttle
from tests.conftest import unique_client_address
from tests.support.accounts import Accounts, assert_error, spy_on_argon2, unique_email

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)
ACCOUNT_FREE, ACCOUNT_CAP = 3, 8
ADDRESS_FREE, ADDRESS_CAP = 6, 64
WINDOW = 100
BURST = 24


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(throttle, "utcnow", clock)
    return clock


@pytest.fixture(scope="module")
def throttled_app(engine, database_url):
    return create_app(
        Settings(
            database_url=database_url,
            login_account_free_failures=ACCOUNT_FREE,
            login_account_max_lock_seconds=ACCOUNT_CAP,
            login_address_free_failures=ADDRESS_FREE,
            login_address_max_lock_seconds=ADDRESS_CAP,
            login_failure_window_seconds=WINDOW,
        ),
        engine=engine,
    )


class Machine:
    """A client machine with an address of its own."""

    def __init__(self, app, address: str | None = None):
        self.address = address or unique_client_address()
        self.client = TestClient(app, raise_server_exceptions=False, client=(self.address, 1))

    def log_in(self, username: str, password: str = PASSWORD):
        return self.client.post("/auth/login", json={"username": username, "password": password})


@pytest.fixture
def machine(throttled_app):
    return lambda address=None: Machine(throttled_app, address)


@pytest.fixture
def person(factory, engine) -> str:
    """An enabled VIEWER's e-mail address; the password is PASSWORD."""
    email = unique_email("throttled")
    Accounts(engine).employee(
        factory.customer(), AccessLevel.VIEWER, email=email, password_hash=PASSWORD_HASH
    )
    return email


@pytest.fixture
def argon2_calls(monkeypatch) -> list[str]:
    return spy_on_argon2(monkeypatch)


def assert_refused(response, seconds: int) -> None:
    body = assert_error(response, 429, "too_many_requests", None)
    assert response.headers["Retry-After"] == str(seconds)
    assert str(seconds) in body["message"]
    assert "token" not in body


def fail(machine: Machine, username: str) -> None:
    assert_error(machine.log_in(username, "wrong password!"), 401, "credentials_invalid")


# -- the account ----------------------------------------------------------------------------


@pytest.mark.parametrize("exists", [True, False], ids=["existing", "unknown"])
def test_an_account_is_refused_for_doubling_times_up_to_its_cap(
    clock, machine, person, exists, argon2_calls
):
    username = person if exists else unique_email("nobody")
    for _ in range(ACCOUNT_FREE):
        fail(machine(), username)
    # each failure from here on refuses the account for 1, 2, 4, 8, 8 seconds (cap 8)
    for lock in (1, 2, 4, 8, 8):
        fail(machine(), username)
        argon2_calls.clear()
        assert_refused(machine().log_in(username), lock)
        assert_refused(machine().log_in(username, "wrong password!"), lock)
        clock.advance(lock - 1)
        assert_refused(machine().log_in(username), 1)
        assert argon2_calls == []  # refused before the password is looked at
        clock.advance(1)


def test_unknown_and_existing_accounts_are_refused_alike(clock, machine, person):
    unknown = unique_email("nobody")
    answers = {}
    for username in (person, unknown):
        for _ in range(ACCOUNT_FREE + 2):
            machine().log_in(username, "wrong password!")
        response = machine().log_in(username)
        answers[username] = (response.status_code, response.json(), response.headers["Retry-After"])
    assert answers[person] == answers[unknown]
    assert answers[person][0] == 429


def test_the_right_password_is_refused_too_while_refused_and_works_after(clock, machine, person):
    for _ in range(ACCOUNT_FREE + 1):
        fail(machine(), person)
    assert_refused(machine().log_in(person), 1)
    clock.advance(1)
    response = machine().log_in(person)
    assert response.status_code == 200, response.text
    # the success cleared the account's count: failures are free again
    for _ in range(ACCOUNT_FREE):
        fail(machine(), person)
    assert machine().log_in(person).status_code == 200


def test_failures_are_forgotten_after_a_quiet_window(clock, machine, person, engine):
    address = machine()
    for _ in range(ACCOUNT_FREE + 1):
        fail(address, person)
    assert_refused(address.log_in(person), 1)
    clock.advance(1 + WINDOW)
    # counted from one again: three free failures, then 1 second
    for _ in range(ACCOUNT_FREE):
        fail(address, person)
    fail(address, person)
    assert_refused(address.log_in(person), 1)


def test_expired_rows_are_deleted_as_failures_go_by(clock, machine, engine):
    address = machine()
    fail(address, unique_email("gone"))
    clock.advance(WINDOW + 1)
    expired = (
        select(func.count()).select_from(LoginThrottle).where(LoginThrottle.expires_at <= clock.now)
    )
    with make_session_factory(engine)() as session:
        remaining = session.execute(expired).scalar_one()
        assert remaining >= 2  # this test's account and address at least
        # each failure deletes a bounded batch of expired rows, until none is left
        while remaining:
            fail(address, unique_email("next"))
            session.rollback()
            now_remaining = session.execute(expired).scalar_one()
            assert now_remaining == max(0, remaining - throttle.CLEAN_UP_BATCH)
            remaining = now_remaining


# -- the address ---------------------------------------------------------------------------


def test_an_address_guessing_many_accounts_is_refused_for_every_account(clock, machine, person):
    guesser = machine()
    for _ in range(ADDRESS_FREE):
        fail(guesser, unique_email("sprayed"))
    fail(guesser, unique_email("sprayed"))
    # the address is refused, whichever account it names, the right password too
    assert_refused(guesser.log_in(person), 1)
    assert_refused(guesser.log_in(unique_email("other")), 1)
    # other addresses are not affected
    assert machine().log_in(person).status_code == 200
    # doubling up to the address's cap, longer than an account's
    previous = 1
    for lock in (2, 4, 8, 16, 32, 64, 64):
        clock.advance(previous)
        fail(guesser, unique_email("sprayed"))
        assert_refused(guesser.log_in(person), lock)
        previous = lock
    assert ADDRESS_CAP > ACCOUNT_CAP


def test_a_success_does_not_reset_the_addresss_count(clock, machine, factory, engine):
    """Else one valid account would let a guesser reset its address between guesses."""
    own = unique_email("guesser")
    Accounts(engine).employee(factory.customer(), AccessLevel.VIEWER, email=own,
                              password_hash=PASSWORD_HASH)  # fmt: skip
    guesser = machine()
    for _ in range(ADDRESS_FREE):
        fail(guesser, unique_email("victim"))
        assert guesser.log_in(own).status_code == 200
    fail(guesser, unique_email("victim"))
    assert_refused(guesser.log_in(own), 1)


# -- a real user is not kept out ----------------------------------------------------------------


def test_an_attacker_elsewhere_cannot_lock_a_user_out_of_their_usual_address(
    clock, machine, person
):
    office = machine()
    assert office.log_in(person).status_code == 200
    attacker = machine()
    for _ in range(ACCOUNT_FREE):
        fail(attacker, person)
    for lock in (1, 2):
        fail(attacker, person)
        clock.advance(lock)
    fail(attacker, person)
    assert_refused(attacker.log_in(person), 4)
    assert_refused(machine().log_in(person), 4)
    # however long the attack goes on (each guess from a new address), the account is
    # refused for at most its cap
    for _ in range(10):
        clock.advance(ACCOUNT_CAP)
        fail(machine(), person)
        assert_refused(machine().log_in(person), ACCOUNT_CAP)
    # and never from the address it logged in from
    assert office.log_in(person).status_code == 200


def test_the_default_policy(engine, database_url):
    """Defaults: an account gets 5 free failures and is refused at most 5 minutes; an
    address 20 and at most an hour; counts are kept 15 minutes; trust lasts 30 days."""
    settings = Settings(database_url=database_url)
    assert (settings.login_account_free_failures, settings.login_account_max_lock_seconds) == (
        5, 300,
    )  # fmt: skip
    assert (settings.login_address_free_failures, settings.login_address_max_lock_seconds) == (
        20, 3600,
    )  # fmt: skip
    limit = throttle.Limit(5, timedelta(seconds=300))
    assert [limit.lock(n) for n in (1, 5)] == [None, None]
    assert [limit.lock(n).total_seconds() for n in (6, 7, 8, 14, 15, 10**6)] == [
        1, 2, 4, 256, 300, 300,
    ]  # fmt: skip


# -- what is stored, and what it costs ------------------------------------------------------------


def test_no_e_mail_address_or_client_address_is_stored(clock, machine, engine):
    email = unique_email("private")
    address = machine()
    fail(address, email)
    assert address.log_in(email, email).status_code == 401  # a password in the name field too
    with make_session_factory(engine)() as session:
        keys = session.scalars(select(LoginThrottle.key)).all()
    stored = "\n".join(keys)
    assert email not in stored and address.address not in stored
    assert all(key.split(":")[0] in ("account", "address", "trusted") for key in keys)


def test_a_login_costs_two_throttle_statements(clock, machine, person, count_statements):
    office = machine()
    assert office.log_in(person).status_code == 200  # trusts the address

    def throttle_statements(answer) -> list[str]:
        with count_statements() as counter:
            answer()
        return [s.split()[0] for s in counter.statements if "login_throttle" in s]

    # claim, then settle
    assert throttle_statements(lambda: office.log_in(person).status_code == 200) == [
        "INSERT", "INSERT",
    ]  # fmt: skip
    # claim, then clean up
    assert throttle_statements(lambda: fail(office, person)) == ["INSERT", "DELETE"]
    guesser = machine()
    for _ in range(ACCOUNT_FREE):
        fail(guesser, person)
    # claim refused, then the locks read for Retry-After
    assert throttle_statements(lambda: assert_refused(guesser.log_in(person), 1)) == [
        "INSERT", "SELECT",
    ]  # fmt: skip


def test_openapi_documents_429_with_retry_after(client):
    responses = client.get("/openapi.json").json()["paths"]["/auth/login"]["post"]["responses"]
    assert responses["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"


# -- parallel guesses ---------------------------------------------------------------------------


def burst(machines: list[Machine], usernames: list[str]) -> list[int]:
    """Wrong passwords sent all at once, one per machine and username."""
    with ThreadPoolExecutor(len(machines)) as pool:
        answers = pool.map(
            lambda pair: pair[0].log_in(pair[1], "wrong password!").status_code,
            zip(machines, usernames, strict=True),
        )
        return sorted(answers)


def stored(engine, kind: str, *parts: str) -> tuple[int, datetime | None]:
    with make_session_factory(engine)() as session:
        row = session.scalars(
            select(LoginThrottle).where(LoginThrottle.key == throttle._key(kind, *parts))
        ).one()
        return row.failures, row.locked_until


def test_a_burst_on_one_account_checks_as_many_passwords_as_a_sequence(
    clock, machine, person, engine, argon2_calls
):
    """Counted before the password is checked, atomically: the attempts past the free
    failures find the lock their predecessors set, however many run at once."""
    answers = burst([machine() for _ in range(BURST)], [person] * BURST)
    assert answers == [401] * (ACCOUNT_FREE + 1) + [429] * (BURST - ACCOUNT_FREE - 1)
    assert len(argon2_calls) == ACCOUNT_FREE + 1
    # refused attempts did not count; the lock is the one of the last counted failure
    assert stored(engine, "account", person) == (ACCOUNT_FREE + 1, clock.now + timedelta(seconds=1))
    assert_refused(machine().log_in(person), 1)


def test_a_burst_from_one_address_checks_as_many_passwords_as_a_sequence(
    clock, machine, engine, argon2_calls
):
    guesser = machine()
    usernames = [unique_email("sprayed") for _ in range(BURST)]
    answers = burst([guesser] * BURST, usernames)
    assert answers == [401] * (ADDRESS_FREE + 1) + [429] * (BURST - ADDRESS_FREE - 1)
    assert len(argon2_calls) == ADDRESS_FREE + 1
    address = throttle.address_identity(guesser.address)
    assert stored(engine, "address", address) == (
        ADDRESS_FREE + 1,
        clock.now + timedelta(seconds=1),
    )


def test_a_lock_is_never_lowered_by_a_slower_attempt(clock, person, engine, database_url):
    """A success takes back only the lock its own claim set: a failure counted after it,
    while its password was being checked, keeps its longer lock."""
    address = unique_client_address()
    throttled = Settings(
        database_url=database_url,
        login_account_free_failures=ACCOUNT_FREE,
        login_account_max_lock_seconds=ACCOUNT_CAP,
        login_address_free_failures=0,  # every attempt from `address` locks it
        login_address_max_lock_seconds=ADDRESS_CAP,
        login_failure_window_seconds=WINDOW,
    )
    factory = make_session_factory(engine)
    with factory() as slow, factory() as fast:
        first = throttle.Throttle(slow, throttled, person, address)
        assert first.claim() is None
        slow.commit()  # address: 1 failure, locked 1 second
        clock.advance(1)
        second = throttle.Throttle(fast, throttled, person, address)
        assert second.claim() is None
        fast.commit()  # address: 2 failures, locked 2 seconds from now
        first.succeeded()
        slow.commit()
    key = throttle.address_identity(address)
    assert stored(engine, "address", key) == (1, clock.now + timedelta(seconds=2))


# -- IPv6 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "identity"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::1", "::/64"),
        ("unknown", "unknown"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64(address, identity):
    assert throttle.address_identity(address) == identity


def test_one_ipv6_host_is_one_address_whichever_address_of_its_64_it_uses(clock, machine, person):
    network = unique_client_address().rsplit("::", 1)[0]  # a /64 of its own
    for n in range(ADDRESS_FREE + 1):
        fail(machine(f"{network}:{n:x}:0:0:{n + 1:x}"), unique_email("spray"))
    assert_refused(machine(f"{network}::ffff").log_in(person), 1)
    # the next /64 is another client
    assert machine().log_in(person).status_code == 200


def test_an_ipv4_address_and_its_ipv6_mapped_form_are_one_client(clock, machine, person):
    octets = unique_client_address().split(":")[2]
    ipv4 = f"198.51.{int(octets[:2], 16)}.{int(octets[2:], 16)}"
    for n in range(ADDRESS_FREE + 1):
        fail(machine(ipv4 if n % 2 else f"::ffff:{ipv4}"), unique_email("spray"))
    assert_refused(machine(f"::ffff:{ipv4}").log_in(person), 1)
    assert_refused(machine(ipv4).log_in(person), 1)
    # its neighbour is another client
    neighbour = ipv4.rsplit(".", 1)[0] + f".{(int(ipv4.rsplit('.', 1)[1]) + 1) % 256}"
    assert machine(neighbour).log_in(person).status_code == 200
