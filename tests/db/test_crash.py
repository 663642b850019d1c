"""A server killed with SIGKILL in the middle of a stream of writes (issue 5), on SQLite and
PostgreSQL: the real server (`pbxapi serve`, its own process) takes creates of desk phones
with side panels and of DECT handsets, updates and deletes from a few clients at once, and
is killed at a random moment, usually with requests in flight. After a restart on the same
database every acknowledged write is there with its values, a write whose answer never
came is there whole or not at all, the derived tables (search index, phone counts) agree
with the phones, and the first request is answered."""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx2
from sqlalchemy import func, select

from harness.databases import free_port
from harness.factory import Factory, random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.db.migrate import upgrade
from pbxapi.db.phone_counts import counts_table
from pbxapi.db.search_index import search_table
from pbxapi.db.tables import SipPhone

CLIENTS = 3


@contextmanager
def server(database_url: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`pbxapi serve` in a process of its own (one worker: the process is the worker)."""
    port = free_port()
    env = {**os.environ, "PBXAPI_DATABASE_URL": database_url, "PBXAPI_LOG_LEVEL": "warning"}
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "pbxapi.cli", "serve", "--port", str(port), "--no-access-log"],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "the server exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.05)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


@dataclass
class Phone:
    """One phone as its stream knows it: the states it may be in now. One while every
    write to it was answered; a write whose answer never came adds the state it would
    have left (None: deleted)."""

    id: str
    mac: str
    outcomes: list


@dataclass
class Stream:
    """One client's writes; each phone is written by one client only, so the order of
    its writes is known."""

    number: int
    base_mac: str
    phones: list[Phone] = field(default_factory=list)
    # the body of a create whose answer never came
    unacknowledged_create: dict | None = None
    writes: int = 0


def state(notes: str, panels: list[str]) -> tuple:
    return notes, tuple(panels)


def stream_writes(url: str, token: str, models: dict, stream: Stream, rng: random.Random):
    """Writes until the server is gone. 200s and refusals (409: a full base) are known
    outcomes; a request that gets no answer is the stream's last."""
    counter = 0

    def tag() -> str:
        nonlocal counter
        counter += 1
        return f"s{stream.number}w{counter}x{rng.randrange(10**6)}"

    def panels() -> list[str]:
        return [f"{tag()}p" for _ in range(rng.randint(0, 2))]

    with httpx2.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                       timeout=30) as client:  # fmt: skip
        while True:
            live = [phone for phone in stream.phones if phone.outcomes[-1] is not None]
            kind = rng.choice(["desk", "handset", "update", "delete"] if live else ["desk"])
            target = rng.choice(live) if kind in ("update", "delete") else None
            notes, serials = tag(), panels()
            body = {
                "notes": notes,
                "purchaseInfo": {"sidePanels": [{"serial": serial} for serial in serials]},
            }
            if kind == "desk":
                body |= {"macAddress": random_mac(), "sipPhoneModel": models["desk"]}
            elif kind == "handset":
                body |= {"macAddress": stream.base_mac, "sipPhoneModel": models["base"]}
            try:
                if kind == "delete":
                    response = client.delete(f"/pbx/sipphone/{target.id}")
                elif kind == "update":
                    response = client.post(f"/pbx/sipphone/{target.id}", json=body)
                else:
                    response = client.post("/pbx/sipphone", json=body)
            except httpx2.TransportError:
                # killed: this write may or may not have happened
                if target is not None:
                    target.outcomes.append(None if kind == "delete" else state(notes, serials))
                else:
                    stream.unacknowledged_create = body
                return
            if response.status_code == 409 and kind == "handset":
                continue  # the base is full: refused, nothing written
            assert response.status_code == 200, response.text
            stream.writes += 1
            if kind == "delete":
                target.outcomes = [None]
            elif kind == "update":
                target.outcomes = [state(notes, serials)]
            else:
                answer = response.json()
                stream.phones.append(
                    Phone(answer["_id"], answer["macAddress"], [state(notes, serials)])
                )


def stored_phones(url: str, token: str) -> dict[str, tuple]:
    with httpx2.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        first = client.get("/pbx/sipphone", params={"full": "true", "limit": 1000})
    # the first request after the restart is answered, not refused or failed
    assert first.status_code == 200, first.text
    return {
        phone["_id"]: (
            phone["macAddress"],
            state(phone["notes"], [p["serial"] for p in phone["purchaseInfo"]["sidePanels"]]),
        )
        for phone in first.json()["sipPhones"]
    }


def derived_tables_agree(database_url: str, customer: str) -> None:
    """Every phone has its search row (same customer, MAC and notes) and no row is left
    without a phone; the customer's phone counts are the phones' counts."""
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            phones = {
                row.id: row
                for row in connection.execute(
                    select(SipPhone.id, SipPhone.customer_id, SipPhone.mac_address, SipPhone.notes)
                )
            }
            rows = connection.execute(
                select(
                    search_table.c.phone_id,
                    search_table.c.customer_id,
                    search_table.c.mac,
                    search_table.c.document,
                )
            ).all()
            counts = connection.execute(
                select(counts_table.c.phones, counts_table.c.unassigned).where(
                    counts_table.c.customer_id == customer
                )
            ).one_or_none()
            actual = connection.execute(
                select(func.count(), func.count(SipPhone.extension_id)).where(
                    SipPhone.customer_id == customer
                )
            ).one()
    finally:
        engine.dispose()
    assert sorted(row.phone_id for row in rows) == sorted(phones)
    for row in rows:
        phone = phones[row.phone_id]
        assert (row.customer_id, row.mac) == (phone.customer_id, phone.mac_address)
        assert phone.notes.lower() in row.document.lower()
    phone_count, assigned = actual
    assert tuple(counts or (0, 0)) == (phone_count, phone_count - assigned)


def test_a_killed_server_loses_no_acknowledged_write_and_keeps_no_half(any_url):
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    upgrade(any_url)
    engine = create_db_engine(any_url)
    try:
        factory = Factory(make_session_factory(engine))
        customer = factory.customer()
        token = factory.login(customer, AccessLevel.MANAGER)
        models = {"desk": factory.model_id("SNOM", "D785"),
                  "base": factory.model_id("YEALINK", "W70B")}  # fmt: skip
    finally:
        engine.dispose()
    streams = [Stream(number, random_mac()) for number in range(CLIENTS)]

    with server(any_url) as (process, url):
        clients = [
            threading.Thread(
                target=stream_writes, args=(url, token, models, stream, random.Random(rng.random()))
            )
            for stream in streams
        ]
        for client in clients:
            client.start()
        time.sleep(rng.uniform(0.3, 2.0))
        os.kill(process.pid, signal.SIGKILL)  # `serve` with one worker: this is the worker
        for client in clients:
            client.join(30)
        assert process.wait(10) == -signal.SIGKILL
    assert not any(client.is_alive() for client in clients)
    assert sum(stream.writes for stream in streams) > 0, "the stream wrote nothing"

    with server(any_url) as (_, url):
        stored = stored_phones(url, token)
    derived_tables_agree(any_url, customer)

    context = f"seed {seed}"
    expected = set()
    for stream in streams:
        for phone in stream.phones:
            now = stored.get(phone.id)
            assert (None if now is None else now[1]) in phone.outcomes, (context, phone, now)
            if now is not None:
                assert now[0] == phone.mac, context
                expected.add(phone.id)
        body = stream.unacknowledged_create
        if body is not None:
            # there whole (its notes and side panels) or not at all
            made = [id for id, (_, now) in stored.items() if now[0] == body["notes"]]
            assert len(made) <= 1, context
            if made:
                serials = tuple(p["serial"] for p in body["purchaseInfo"]["sidePanels"])
                assert stored[made[0]] == (body["macAddress"], (body["notes"], serials)), context
                expected.add(made[0])
    # and nothing else
    assert set(stored) == expected, context
