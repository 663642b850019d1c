"""The phone list at operator scale: each request's latency through the ASGI app
in-process, next to the time of the same SQL statements alone (the floor the framework
cannot beat), and their ratio.

    python -m bench.bench --database-url URL [--iterations 200]

The database must hold bench data (`pbxapi bench-data`). Requests go to the biggest
customer, as an ADMIN. Statements are captured from one run of each request, with
their parameters, and replayed on a raw driver connection for the floor.
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pbxapi.app import create_app
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.tokens import issue_token
from pbxapi.config import Settings
from pbxapi.db.engine import PLAN_PER_CALL, create_db_engine
from pbxapi.db.tables import Customer, Employee, Extension, SipPhone
from pbxapi.ids import new_id


@dataclass
class Request:
    name: str
    params: dict


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float]) -> tuple[float, float, float]:
    return (statistics.median(samples), percentile(samples, 0.9), percentile(samples, 0.99))


def bench_admin_token(session: Session) -> str:
    """An ADMIN at the top-level customer, made once per database, a fresh token per run."""
    admin = session.scalars(
        select(Employee).where(Employee.email_address == "bench-admin@pbxapi.test")
    ).first()
    if admin is None:
        operator = session.scalars(
            select(Customer).where(Customer.parent_reseller_id.is_(None)).order_by(Customer.id)
        ).first()
        admin = Employee(
            id=new_id(),
            customer_id=operator.id,
            name="Bench Admin",
            email_address="bench-admin@pbxapi.test",
            access_level=AccessLevel.ADMIN.value,
            state="ENABLED",
            created_at=operator.created_at,
        )
        session.add(admin)
        session.flush()
    return issue_token(session, admin)


def pick_requests(session: Session, customer_id: str, phone_count: int) -> list[Request]:
    """The eight requests of issue 4, with terms drawn from the customer's own data."""
    sample_phone = session.scalars(
        select(SipPhone)
        .where(SipPhone.customer_id == customer_id)
        .order_by(SipPhone.id)
        .offset(phone_count // 2)
        .limit(1)
    ).one()
    names = session.scalars(
        select(Employee.name)
        .join(
            Extension,
            (Extension.customer_id == Employee.customer_id)
            & (Extension.employee_id == Employee.id),
        )
        .where(Employee.customer_id == customer_id)
        .limit(20_000)
    ).all()
    # The issue's "common first name": one found in about 5% of the customer's phones.
    # The filter matches substrings ("anne" finds Marianne too), so count it that way.
    # (names are of extensions' employees: about 85% of phones have one)
    lowered = [name.lower() for name in names]
    candidates = [first for first, _ in Counter(n.split()[0] for n in names).most_common(40)]
    target = 0.05 / 0.85 * len(names)

    def found_in(first: str) -> int:
        return sum(first.lower() in name for name in lowered)

    common_first = min(candidates, key=lambda first: abs(found_in(first) - target))
    full_name = next(name for name in names if name.split()[0] == common_first)
    mac = sample_phone.mac_address
    deep = max(0, min(99_000, phone_count - 50))
    return [
        Request("1 default page", {}),
        Request(f"2 MAC fragment {mac[4:10]}", {"filter": mac[4:10].lower()}),
        Request(f"3 common first name {common_first}", {"filter": common_first}),
        Request(f"4 first and last name {full_name}", {"filter": full_name}),
        Request("5 limit=1000&full=true", {"limit": 1000, "full": "true"}),
        Request(f"6 offset={deep}", {"offset": deep}),
        Request("7 two-character term 'er'", {"filter": "er"}),
        Request("8 available=true", {"available": "true"}),
    ]


class StatementRecorder:
    def __init__(self, engine):
        self.engine = engine
        self.statements: list[tuple[str, object, bool]] = []
        self.recording = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if self.recording:
            # a search the API runs unprepared is replayed unprepared (db/engine.py)
            planned_per_call = bool(context.execution_options.get(PLAN_PER_CALL))
            self.statements.append((statement, parameters, planned_per_call))


def time_sql(engine, statements, iterations: int) -> list[float]:
    """The captured reads alone, on a raw driver connection, one transaction each run (psycopg
    prepares a statement from its 5th run, as it does for the API). The
    audit event that a page with SIP credentials writes cannot be replayed (its id is
    unique): its cost is in the API time only."""
    statements = [
        (sql, parameters, planned_per_call)
        for sql, parameters, planned_per_call in statements
        if not sql.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS")
    ]
    samples = []
    raw = engine.raw_connection()
    try:
        for _ in range(iterations):
            cursor = raw.cursor()
            started = time.perf_counter()
            for statement, parameters, planned_per_call in statements:
                if planned_per_call:
                    cursor.execute(statement, parameters, prepare=False)
                else:
                    cursor.execute(statement, parameters)
                if cursor.description is not None:  # not the SET of a search
                    cursor.fetchall()
            raw.commit()  # as the API ends a read (a rollback would drop prepared statements)
            samples.append((time.perf_counter() - started) * 1000)
            cursor.close()
    finally:
        raw.close()
    return samples


async def asgi_get(app, path: str, params: dict, headers: dict) -> tuple[int, bytes]:
    """One GET straight into the ASGI app: what the app costs, without an HTTP client's
    own work (httpx2's ASGITransport added about 1 ms per request, measured)."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": urlencode(params).encode(),
        "headers": [(b"host", b"bench")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("bench", 80),
    }  # fmt: skip
    status, body = 0, bytearray()

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


async def time_api(app, token, customer_id, request: Request, iterations: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    params = {"customer": customer_id, **request.params}
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        status, body = await asgi_get(app, "/pbx/sipphone", params, headers)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{request.name}: {status} {body.decode()}")
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", default="1,2,3,4,5,6,7,8", help="which, e.g. 1,2,3")
    args = parser.parse_args()

    engine = create_db_engine(args.database_url)
    with Session(engine) as session, session.begin():
        biggest = session.execute(
            select(SipPhone.customer_id, func.count().label("phones"))
            .group_by(SipPhone.customer_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        total_phones = session.scalar(select(func.count()).select_from(SipPhone))
        token = bench_admin_token(session)
        requests = pick_requests(session, biggest.customer_id, biggest.phones)
    wanted = {int(number) for number in args.requests.split(",")}
    requests = [r for r in requests if int(r.name.split()[0]) in wanted]

    app = create_app(Settings(database_url=args.database_url), engine=engine)
    recorder = StatementRecorder(engine)
    print(
        f"# {engine.dialect.name}: {total_phones:,} phones; biggest customer "
        f"{biggest.customer_id} with {biggest.phones:,}; {args.iterations} runs each (ms)"
    )
    print(
        f"{'request':44} {'api p50':>8} {'p90':>7} {'p99':>7} | {'sql p50':>8} {'p90':>7} "
        f"{'p99':>7} | {'ratio':>5} | total"
    )
    for request in requests:
        asyncio.run(time_api(app, token, biggest.customer_id, request, args.warmup))
        recorder.statements.clear()
        recorder.recording = True
        asyncio.run(time_api(app, token, biggest.customer_id, request, 1))
        recorder.recording = False
        captured = list(recorder.statements)
        api = summary(
            asyncio.run(time_api(app, token, biggest.customer_id, request, args.iterations))
        )
        time_sql(engine, captured, args.warmup)
        sql = summary(time_sql(engine, captured, args.iterations))
        total = _total(app, token, biggest.customer_id, request)
        print(
            f"{request.name[:44]:44} {api[0]:8.2f} {api[1]:7.2f} {api[2]:7.2f} | "
            f"{sql[0]:8.2f} {sql[1]:7.2f} {sql[2]:7.2f} | {api[0] / sql[0]:5.2f} | {total}"
        )
        sys.stdout.flush()
    engine.dispose()
    return 0


def _total(app, token, customer_id, request: Request) -> int:
    _, body = asyncio.run(
        asgi_get(app, "/pbx/sipphone", {"customer": customer_id, **request.params},
                 {"Authorization": f"Bearer {token}"})
    )  # fmt: skip
    return json.loads(body)["total"]


if __name__ == "__main__":
    sys.exit(main())
