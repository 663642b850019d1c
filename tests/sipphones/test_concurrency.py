"""Writes that race: many clients creating the same MAC, or handsets on one DECT base,
at the same moment, on both databases. Exactly the allowed ones succeed, the others get
a 409, and nothing half-written remains."""

import threading
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from harness.factory import random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.phone_counts import counts_table
from pbxapi.db.search_index import search_table
from pbxapi.db.tables import SipPhone

CLIENTS = 12


def race(app, token: str, body: dict) -> list:
    """CLIENTS requests released together; their (status, handsetIndex or error code)."""
    results = []
    barrier = threading.Barrier(CLIENTS)
    with TestClient(app, raise_server_exceptions=False) as client:

        def create():
            barrier.wait()
            response = client.post("/pbx/sipphone", json=body,
                                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            answer = response.json()
            results.append((response.status_code,
                            answer.get("handsetIndex", answer.get("error"))))  # fmt: skip

        threads = [threading.Thread(target=create) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


def stored(engine, customer: str, mac: str) -> tuple[list, int, int]:
    with Session(engine) as session:
        indexes = session.scalars(
            select(SipPhone.handset_index).where(SipPhone.mac_address == mac)
        ).all()
        indexed = session.scalar(
            select(func.count())
            .select_from(search_table)
            .where(search_table.c.customer_id == customer, search_table.c.mac == mac)
        )
        counted = session.scalar(
            select(counts_table.c.phones).where(counts_table.c.customer_id == customer)
        )
    return sorted(indexes, key=lambda i: -1 if i is None else i), indexed, counted


@pytest.fixture
def office(factory):
    customer = factory.customer()
    return customer, factory.login(customer, AccessLevel.MANAGER)


def test_one_desk_phone_per_mac_however_many_race(app, engine, factory, office):
    customer, token = office
    mac = random_mac()
    results = race(
        app, token, {"macAddress": mac, "sipPhoneModel": factory.model_id("SNOM", "D785")}
    )
    assert Counter(results) == {(200, None): 1, (409, "macAddress"): CLIENTS - 1}
    assert stored(engine, customer, mac) == ([None], 1, 1)


def test_racing_handsets_get_distinct_indexes_within_capacity(app, engine, factory, office):
    customer, token = office
    mac = random_mac()
    capacity = 10  # Yealink W70B
    model = factory.model_id("YEALINK", "W70B")
    results = race(app, token, {"macAddress": mac, "sipPhoneModel": model})
    created = sorted(index for status, index in results if status == 200)
    assert created == list(range(capacity))
    assert Counter(results)[(409, "macAddress")] == CLIENTS - capacity
    assert stored(engine, customer, mac) == (list(range(capacity)), capacity, capacity)


def test_a_desk_phone_and_handsets_racing_for_one_mac_never_both_win(app, engine, factory, office):
    customer, token = office
    mac = random_mac()
    desk = {"macAddress": mac, "sipPhoneModel": factory.model_id("SNOM", "D785")}
    base = {"macAddress": mac, "sipPhoneModel": factory.model_id("YEALINK", "W70B")}
    results = []
    barrier = threading.Barrier(CLIENTS)
    with TestClient(app, raise_server_exceptions=False) as client:

        def create(body):
            barrier.wait()
            response = client.post("/pbx/sipphone", json=body,
                                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            results.append((body is desk, response.status_code))

        threads = [
            threading.Thread(target=create, args=(desk if n % 2 else base,)) for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    desks_won = sum(1 for is_desk, status in results if is_desk and status == 200)
    handsets_won = sum(1 for is_desk, status in results if not is_desk and status == 200)
    assert {status for _, status in results} <= {200, 409}
    assert (desks_won, handsets_won) in {(1, 0), (0, CLIENTS // 2)}
    indexes, indexed, counted = stored(engine, customer, mac)
    assert indexed == counted == desks_won + handsets_won
    assert indexes == ([None] if desks_won else list(range(handsets_won)))
