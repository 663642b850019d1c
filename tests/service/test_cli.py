"""The command line, run in-process through pbxapi.cli.main, each test on databases of its
own (a temporary SQLite file, or a throwaway PostgreSQL database): migrate, demo,
bootstrap-admin, token create, and the serve parser."""

import os
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from harness.factory import Factory
from pbxapi import cli
from pbxapi.auth.tokens import hash_token
from pbxapi.db.engine import create_db_engine, make_session_factory
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
from tests.support.cli_runner import Run, api

LEVELS = ["PERSONAL", "VIEWER", "MANAGER", "OWNER", "RESELLER", "RESELLER_ADMIN", "ADMIN"]
TOKEN_LINE = re.compile(r"([A-Z_]+) ([0-9a-f]{24}) (\S+)")
UNKNOWN_ID = "0123456789abcdef01234567"


@dataclass(frozen=True)
class Login:
    level: str
    customer_id: str
    token: str


def demo_logins(result: Run) -> dict[str, Login]:
    """The demo's stdout: exactly one `<LEVEL> <customer id> <token>` line per level."""
    assert result.code == 0, result.err
    matches = [TOKEN_LINE.fullmatch(line) for line in result.lines]
    assert all(matches), result.out
    logins = [Login(*m.groups()) for m in matches]
    assert sorted(login.level for login in logins) == sorted(LEVELS)
    return {login.level: login for login in logins}


@pytest.fixture
def demo_url(run, sqlite_url) -> str:
    assert run(sqlite_url, "migrate").code == 0
    demo_logins(run(sqlite_url, "demo"))
    return sqlite_url


def phones(client: TestClient, token: str, **params):
    return client.get(
        "/pbx/sipphone",
        params={"limit": 1000, **params},
        headers={"Authorization": f"Bearer {token}"},
    )


@contextmanager
def db_session(url: str):
    engine = create_db_engine(url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


COUNTED = [Customer, Employee, Extension, SipPhone, SipPhoneSidePanel, ApiToken]


def counts(url: str) -> dict[str, int]:
    with db_session(url) as session:
        result = {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in COUNTED
        }
        result["location"] = session.scalar(select(func.count()).select_from(location))
    return result


def token_owner(url: str, token: str) -> str | None:
    with db_session(url) as session:
        return session.scalar(
            select(ApiToken.employee_id).where(ApiToken.token_hash == hash_token(token))
        )


def employee_by_email(url: str, email: str) -> Employee:
    with db_session(url) as session:
        return session.scalars(select(Employee).where(Employee.email_address == email)).one()


# --- migrate + demo --------------------------------------------------------------------


def test_migrate_then_demo(run, any_url):
    migrated = run(any_url, "migrate")
    assert migrated.code == 0, migrated.err
    assert "latest schema" in migrated.out
    logins = demo_logins(run(any_url, "demo"))

    with db_session(any_url) as session:
        parents = dict(session.execute(select(Customer.id, Customer.parent_reseller_id)).all())
        dect_models = {
            m.id: m for m in session.scalars(select(SipPhoneModel)) if m.cap_multiple_handsets
        }
    operator = logins["ADMIN"].customer_id
    reseller = logins["RESELLER"].customer_id
    customer = logins["OWNER"].customer_id
    assert parents[operator] is None
    assert logins["RESELLER_ADMIN"].customer_id == reseller
    assert parents[reseller] == operator
    for level in ["PERSONAL", "VIEWER", "MANAGER", "OWNER"]:
        assert logins[level].customer_id == customer
    children = sorted(c for c, parent in parents.items() if parent == reseller)
    assert len(children) == 3
    assert customer in children

    with api(any_url) as client:
        reseller_token = logins["RESELLER"].token
        listed = {}
        for child in children:
            response = phones(client, reseller_token, customer=child)
            assert response.status_code == 200, response.json()
            page = response.json()
            assert page["total"] == len(page["sipPhones"])
            listed[child] = page["sipPhones"]
            available = phones(client, reseller_token, customer=child, available="true").json()
            assert {p["_id"] for p in available["sipPhones"]} == {
                p["_id"] for p in page["sipPhones"] if p["extension"] is None
            }
            numbers = [p["extension"]["number"] for p in page["sipPhones"] if p["extension"]]
            assert len(numbers) == len(set(numbers))
        everything = [p for page in listed.values() for p in page]

        # about 40 phones, a few of them with no extension
        assert 35 <= len(everything) <= 45
        assert len({p["_id"] for p in everything}) == len(everything)
        unassigned = [p for p in everything if p["extension"] is None]
        assert 1 <= len(unassigned) < len(everything) // 2
        assert all(p["employee"] is None for p in unassigned)

        # one DECT base: four handsets sharing one MAC, handsetIndex 0..3
        by_mac = defaultdict(list)
        for p in everything:
            by_mac[p["macAddress"]].append(p)
        shared = {mac: group for mac, group in by_mac.items() if len(group) > 1}
        assert len(shared) == 1
        [handsets] = shared.values()
        assert sorted(p["handsetIndex"] for p in handsets) == [0, 1, 2, 3]
        [model_id] = {p["sipPhoneModel"]["_id"] for p in handsets}
        assert model_id in dect_models
        assert dect_models[model_id].extensions >= 4
        assert len({p["handsetAddress"] for p in handsets}) == 4

        # every printed token works, at its level
        for level, login in logins.items():
            response = phones(client, login.token, customer=customer)
            body = response.json()
            if level == "PERSONAL":  # authenticated, but the list needs VIEWER
                assert (response.status_code, body["error"]) == (403, "access_denied")
            else:
                assert response.status_code == 200, (level, body)
                assert body["total"] == len(listed[customer])
        own = phones(client, logins["VIEWER"].token).json()
        assert {p["_id"] for p in own["sipPhones"]} == {p["_id"] for p in listed[customer]}
        other_child = next(c for c in children if c != customer)
        denied = phones(client, logins["OWNER"].token, customer=other_child)
        assert (denied.status_code, denied.json()["error"]) == (403, "access_denied")
        assert phones(client, "pbx_not-a-token").json()["error"] == "credentials_invalid"


SNAPSHOT = {
    "customers": (Customer.id, Customer.name, Customer.parent_reseller_id, Customer.state),
    "employees": (
        Employee.id, Employee.customer_id, Employee.name, Employee.email_address,
        Employee.access_level, Employee.state,
    ),
    "extensions": (
        Extension.id, Extension.customer_id, Extension.number, Extension.name,
        Extension.direct, Extension.employee_id,
    ),
    "phones": (
        SipPhone.id, SipPhone.customer_id, SipPhone.sip_phone_model_id, SipPhone.extension_id,
        SipPhone.mac_address, SipPhone.handset_index, SipPhone.handset_address, SipPhone.notes,
        SipPhone.ip_mode, SipPhone.ip_address, SipPhone.softkeys,
        SipPhone.purchase_payment_option, SipPhone.purchase_order_id,
    ),
    "side panels": (SipPhoneSidePanel.id, SipPhoneSidePanel.sip_phone_id, SipPhoneSidePanel.serial),
    "registrations": (location.c.ruid, location.c.received, location.c.user_agent),
}  # fmt: skip


def snapshot(url: str) -> dict[str, list]:
    """What the demo made, without SIP credentials, tokens or times relative to now."""
    with db_session(url) as session:
        return {
            key: [tuple(r) for r in session.execute(select(*columns).order_by(columns[0]))]
            for key, columns in SNAPSHOT.items()
        }


@pytest.mark.parametrize("second", ["sqlite", "postgresql"])
def test_demo_is_deterministic(run, request, sqlite_url, other_sqlite_url, second):
    second_url = (
        other_sqlite_url if second == "sqlite" else request.getfixturevalue("postgresql_url")
    )
    for url in (sqlite_url, second_url):
        assert run(url, "migrate").code == 0
        demo_logins(run(url, "demo"))
    first, again = snapshot(sqlite_url), snapshot(second_url)
    assert len(first["customers"]) == 5
    assert len(first["phones"]) >= 35
    assert first["registrations"]
    for key in first:
        assert again[key] == first[key], key


def test_demo_without_registrations_leaves_location_to_the_sip_server(
    run, sqlite_url, other_sqlite_url
):
    """The same demo, minus the made-up registrations (make stack: Kamailio records them)."""
    for url, extra in ((sqlite_url, ()), (other_sqlite_url, ("--without-registrations",))):
        assert run(url, "migrate").code == 0
        demo_logins(run(url, "demo", *extra))
    full, bare = snapshot(sqlite_url), snapshot(other_sqlite_url)
    assert full["registrations"]
    assert bare["registrations"] == []
    for key in full.keys() - {"registrations"}:
        assert bare[key] == full[key], key


def test_demo_twice_loads_once_and_prints_fresh_tokens(run, sqlite_url):
    assert run(sqlite_url, "migrate").code == 0
    first = demo_logins(run(sqlite_url, "demo"))
    loaded = counts(sqlite_url)
    before = snapshot(sqlite_url)

    second = demo_logins(run(sqlite_url, "demo"))
    assert run(sqlite_url, "migrate").code == 0  # migrating again changes nothing either

    after = counts(sqlite_url)
    assert after["api_tokens"] == loaded["api_tokens"] + len(LEVELS)
    assert {k: v for k, v in after.items() if k != "api_tokens"} == {
        k: v for k, v in loaded.items() if k != "api_tokens"
    }
    assert snapshot(sqlite_url) == before
    assert {login.token for login in second.values()}.isdisjoint(
        login.token for login in first.values()
    )
    assert {level: login.customer_id for level, login in second.items()} == {
        level: login.customer_id for level, login in first.items()
    }
    customer = second["VIEWER"].customer_id
    with api(sqlite_url) as client:
        expected = phones(client, second["VIEWER"].token).json()["total"]
        assert expected > 0
        for level in ["VIEWER", "MANAGER", "OWNER", "RESELLER", "RESELLER_ADMIN", "ADMIN"]:
            body = phones(client, second[level].token, customer=customer).json()
            assert body["total"] == expected, level
        personal = phones(client, second["PERSONAL"].token)
        assert personal.json()["error"] == "access_denied"


def test_demo_if_empty_skips_a_database_with_other_customers(run, sqlite_url):
    assert run(sqlite_url, "migrate").code == 0
    assert run(sqlite_url, "bootstrap-admin", "--email", "root@example.test").code == 0
    before = counts(sqlite_url)

    result = run(sqlite_url, "demo", "--if-empty")

    assert result.code == 0
    assert not any(TOKEN_LINE.fullmatch(line) for line in result.lines), result.out
    assert "not loaded" in result.out + result.err
    assert counts(sqlite_url) == before
    assert before["customers"] == 1 and before["sip_phones"] == 0


def test_demo_if_empty_loads_an_empty_database_and_then_reprints_tokens(run, sqlite_url):
    assert run(sqlite_url, "migrate").code == 0
    first = demo_logins(run(sqlite_url, "demo", "--if-empty"))
    loaded = counts(sqlite_url)
    assert loaded["sip_phones"] >= 35

    # `make run` a second time: the demo data is there, its logins get new tokens
    second = demo_logins(run(sqlite_url, "demo", "--if-empty"))
    assert counts(sqlite_url)["sip_phones"] == loaded["sip_phones"]
    assert counts(sqlite_url)["customers"] == loaded["customers"]
    assert second["ADMIN"].token != first["ADMIN"].token
    with api(sqlite_url) as client:
        assert phones(client, second["ADMIN"].token).status_code == 200


# --- bootstrap-admin -------------------------------------------------------------------


def test_bootstrap_admin_on_an_empty_database(run, any_url):
    assert run(any_url, "migrate").code == 0

    created = run(any_url, "bootstrap-admin", "--email", "Boss@Example.TEST")

    assert created.code == 0, created.err
    token = created.lines[-1]
    admin = employee_by_email(any_url, "boss@example.test")
    assert admin.access_level == "ADMIN"
    assert admin.state == "ENABLED"
    assert token_owner(any_url, token) == admin.id
    assert counts(any_url)["employees"] == 1
    assert counts(any_url)["customers"] == 1
    with db_session(any_url) as session:
        assert session.get(Customer, admin.customer_id).parent_reseller_id is None

    # an unrelated reseller tree, made afterwards
    engine = create_db_engine(any_url)
    try:
        factory = Factory(make_session_factory(engine))
        reseller = factory.customer(parent=admin.customer_id, name="Some Reseller")
        child = factory.customer(parent=reseller, name="Some Customer")
        phone = factory.phone(child)
    finally:
        engine.dispose()

    again = run(any_url, "bootstrap-admin", "--email", "boss@EXAMPLE.test")

    assert again.code == 0, again.err
    new_token = again.lines[-1]
    assert new_token != token
    assert token_owner(any_url, new_token) == admin.id
    assert counts(any_url)["employees"] == 1
    assert counts(any_url)["customers"] == 3
    with api(any_url) as client:
        for bearer in (token, new_token):
            body = phones(client, bearer, customer=child).json()
            assert [p["_id"] for p in body["sipPhones"]] == [phone.id]
            assert phones(client, bearer, customer=reseller).json()["total"] == 0


def test_bootstrap_admin_for_the_demo_admin_reuses_it(run, demo_url):
    demo_admin = employee_by_email(demo_url, "admin@demo.pbxapi.test")
    before = counts(demo_url)

    result = run(demo_url, "bootstrap-admin", "--email", "ADMIN@Demo.PbxApi.test")

    assert result.code == 0, result.err
    token = result.lines[-1]
    assert token_owner(demo_url, token) == demo_admin.id
    after = counts(demo_url)
    assert after["employees"] == before["employees"]
    assert after["customers"] == before["customers"]
    with db_session(demo_url) as session:
        children = session.scalars(
            select(Customer.id).where(Customer.parent_reseller_id.is_not(None))
        ).all()
        phone_count = {
            c: session.scalar(select(func.count()).where(SipPhone.customer_id == c))
            for c in children
        }
    with api(demo_url) as client:
        for customer_id, count in phone_count.items():
            assert phones(client, token, customer=customer_id).json()["total"] == count


@pytest.mark.parametrize(
    ("email", "level"),
    [
        ("ole@andersen.test", "OWNER"),
        ("OLE@Andersen.Test", "OWNER"),
        ("rikke@nordicvoice.test", "RESELLER_ADMIN"),
        ("Donald@andersen.test", "PERSONAL"),
    ],
)
def test_bootstrap_admin_refuses_a_non_admin_email(run, demo_url, email, level):
    before = counts(demo_url)

    result = run(demo_url, "bootstrap-admin", "--email", email)

    assert result.code != 0
    assert email.lower() in result.err
    assert not result.out.strip()
    assert counts(demo_url) == before  # no token, no employee
    assert employee_by_email(demo_url, email.lower()).access_level == level


# --- token create ----------------------------------------------------------------------


@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_token_create_prints_a_working_token(run, demo_url, case):
    viewer = employee_by_email(demo_url, "viggo@andersen.test")
    before = counts(demo_url)

    result = run(demo_url, "token", "create", "--employee", case(viewer.id))

    assert result.code == 0, result.err
    [token] = result.lines
    assert token_owner(demo_url, token) == viewer.id
    assert counts(demo_url)["api_tokens"] == before["api_tokens"] + 1
    with db_session(demo_url) as session:
        own = set(
            session.scalars(select(SipPhone.id).where(SipPhone.customer_id == viewer.customer_id))
        )
    with api(demo_url) as client:
        body = phones(client, token).json()
    assert {p["_id"] for p in body["sipPhones"]} == own
    assert body["total"] == len(own) > 0


@pytest.mark.parametrize(
    "employee",
    [
        UNKNOWN_ID,
        "not-an-id",
        "0123456789abcdef0123456",  # 23
        "0123456789abcdef012345678",  # 25
        "0123456789abcdef0123456g",
        "",
    ],
)
def test_token_create_rejects_unknown_and_malformed_ids(run, demo_url, employee):
    before = counts(demo_url)

    result = run(demo_url, "token", "create", "--employee", employee)

    assert result.code != 0
    assert result.err.strip()
    assert "error" in result.err
    assert not result.out.strip()
    assert counts(demo_url) == before


def test_commands_close_their_connections(run, any_url):
    """A command used in-process (tests, scripts) must not leave pooled connections open:
    psycopg reports each one as a ResourceWarning when it is garbage-collected."""
    left_open = {}
    for argv in [
        ["migrate"],
        ["demo"],
        ["bootstrap-admin", "--email", "admin@demo.pbxapi.test"],
        ["token", "create", "--employee", UNKNOWN_ID],
    ]:
        result = run(any_url, *argv)
        assert result.code in (0, 1), result.err
        left_open[argv[0]] = result.open_connections
    assert left_open == {"migrate": 0, "demo": 0, "bootstrap-admin": 0, "token": 0}


# --- serve and the parser ----------------------------------------------------------------


def test_serve_parser_accepts_a_port():
    args = cli.build_parser().parse_args(["serve", "--port", "8123"])
    assert args.port == 8123
    assert args.host is None
    assert args.func is cli.cmd_serve


@pytest.mark.parametrize(("workers", "preset", "expected"),
                         [(2, None, "2"), (2, "8", "8"), (1, None, None)])  # fmt: skip
def test_serve_starts_workers_with_two_malloc_arenas_unless_told_otherwise(
    monkeypatch, workers, preset, expected
):
    """Worker processes inherit the environment uvicorn.run is called with; a single
    worker runs in the calling process, where the setting would come too late."""
    import uvicorn

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    if preset:
        monkeypatch.setenv("MALLOC_ARENA_MAX", preset)
    seen = {}

    def run(*_args, **options) -> None:
        seen.update(arenas=os.environ.get("MALLOC_ARENA_MAX"), **options)

    monkeypatch.setattr(uvicorn, "run", run)
    args = cli.build_parser().parse_args(["serve", "--workers", str(workers)])
    assert args.func(args) == 0
    assert seen["workers"] == workers
    assert seen["arenas"] == expected


@pytest.mark.parametrize(
    "argv",
    [[], ["serve", "--port", "eighty"], ["token"], ["bootstrap-admin"], ["token", "create"]],
)
def test_parser_rejects_incomplete_commands(run, sqlite_url, argv):
    result = run(sqlite_url, *argv)
    assert result.code == 2
    assert "usage: pbxapi" in result.err
    assert not result.out
