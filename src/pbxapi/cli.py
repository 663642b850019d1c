"""Command line: pbxapi serve | serve-provisioning | migrate | demo | bootstrap-admin |
token create | bench-data."""

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pbxapi.auth import repository
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.tokens import issue_token
from pbxapi.config import get_settings
from pbxapi.db import migrate
from pbxapi.db.engine import create_db_engine, make_session_factory, transaction
from pbxapi.db.tables import Customer, Employee
from pbxapi.ids import is_id, new_id, normalize_id


@contextmanager
def _unit_of_work() -> Iterator[Session]:
    """One transaction on the configured database; the engine is closed afterwards."""
    engine = create_db_engine(get_settings().database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _serve(app_factory: str, args: argparse.Namespace, default_port: int) -> int:
    import uvicorn

    settings = get_settings()
    # Worker processes start with this environment. glibc gives every thread of the pool
    # that runs the routes a malloc arena of its own, and a worker that served large pages
    # kept 214 MB; with two arenas 155 MB, at the same throughput (bench/RESULTS.md). A
    # single worker runs in this process, whose malloc has read its settings already.
    if args.workers > 1:
        os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    uvicorn.run(
        app_factory,
        factory=True,
        host=args.host or settings.host,
        port=args.port or default_port,
        workers=args.workers,
        log_level=settings.log_level,
        access_log=not args.no_access_log,
        # Login throttling and the IP rule judge the client's address: X-Forwarded-For
        # is taken only from the proxies named, never by default (uvicorn's default would
        # let any local process on 127.0.0.1 choose its address).
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or "",
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return _serve("pbxapi.app:create_app", args, get_settings().port)


def cmd_serve_provisioning(args: argparse.Namespace) -> int:
    return _serve("pbxapi.provisioning.app:create_app", args, get_settings().provisioning_port)


def cmd_migrate(_: argparse.Namespace) -> int:
    migrate.upgrade(get_settings().database_url)
    print("database is at the latest schema")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pbxapi import demo

    with _unit_of_work() as session:
        if not demo.is_loaded(session):
            if args.if_empty and not demo.database_is_empty(session):
                print("the database holds other data: demo data not loaded")
                return 0
            demo.load(session, registrations=not args.without_registrations)
            print("demo data loaded", file=sys.stderr)
        logins = demo.issue_login_tokens(session)
    print("# access level, customer id, token (one per demo employee)", file=sys.stderr)
    for login in logins:
        print(f"{login.access_level.value} {login.customer_id} {login.token}")
    return 0


def cmd_bootstrap_admin(args: argparse.Namespace) -> int:
    email = args.email.strip().lower()
    now = datetime.now(UTC)
    with _unit_of_work() as session:
        employee = repository.employee_by_email(session, email)
        if employee is None:
            # The top-level customer (the operator) holds the admins; create it on first use.
            operator = repository.first_top_level_customer(session)
            if operator is None:
                operator = Customer(id=new_id(), name=args.customer_name, created_at=now)
                repository.add_customer(session, operator)
                session.flush()
                print(f"created top-level customer {operator.id} ({operator.name})")
            employee = Employee(
                id=new_id(), customer_id=operator.id, name=args.name, email_address=email,
                access_level=AccessLevel.ADMIN.value, state="ENABLED", created_at=now,
            )  # fmt: skip
            repository.add_employee(session, employee)
            session.flush()
            print(f"created ADMIN employee {employee.id} <{email}>")
        elif employee.access_level != AccessLevel.ADMIN.value or employee.state != "ENABLED":
            print(f"error: {email} exists but is not an enabled ADMIN", file=sys.stderr)
            return 1
        token = issue_token(session, employee)
    print(token)
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    if not is_id(args.employee):
        print("error: --employee takes a 24-hex employee id", file=sys.stderr)
        return 2
    with _unit_of_work() as session:
        employee = repository.employee_by_id(session, normalize_id(args.employee))
        if employee is None:
            print(f"error: no employee {args.employee}", file=sys.stderr)
            return 1
        token = issue_token(session, employee)
    print(token)
    return 0


def cmd_bench_data(args: argparse.Namespace) -> int:
    from pbxapi.db.benchdata import generator as benchdata

    engine = create_db_engine(get_settings().database_url)
    try:
        report = benchdata.load(
            engine, args.phones, args.customers, args.seed,
            progress=lambda message: print(message, file=sys.stderr, flush=True),
        )  # fmt: skip
    except benchdata.BenchDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(report.summary()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbxapi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def server_command(name: str, help: str) -> argparse.ArgumentParser:
        server = commands.add_parser(name, help=help)
        server.add_argument("--host")
        server.add_argument("--port", type=int)
        server.add_argument("--workers", type=int, default=1)
        server.add_argument("--no-access-log", action="store_true", help="log no line per request")
        server.add_argument(
            "--forwarded-allow-ips",
            help="comma-separated addresses of reverse proxies whose X-Forwarded-For is trusted",
        )
        return server

    server_command("serve", "serve the API with uvicorn").set_defaults(func=cmd_serve)

    server_command(
        "serve-provisioning", "serve phone configuration files by MAC with uvicorn"
    ).set_defaults(func=cmd_serve_provisioning)

    commands.add_parser("migrate", help="bring the database to the latest schema").set_defaults(
        func=cmd_migrate
    )

    demo = commands.add_parser("demo", help="load demo data and print a token per demo login")
    demo.add_argument(
        "--if-empty", action="store_true", help="load only into a database with no customers"
    )
    demo.add_argument(
        "--without-registrations",
        action="store_true",
        help="record no made-up registrations (a real SIP server records them)",
    )
    demo.set_defaults(func=cmd_demo)

    admin = commands.add_parser("bootstrap-admin", help="create the top-level admin if absent")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Administrator")
    admin.add_argument("--customer-name", default="Operator")
    admin.set_defaults(func=cmd_bootstrap_admin)

    token = commands.add_parser("token", help="manage API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="print a new token for an employee")
    create.add_argument("--employee", required=True, help="employee id")
    create.set_defaults(func=cmd_token_create)
    bench = commands.add_parser("bench-data", help="fill an empty database with benchmark data")
    bench.add_argument("--phones", type=int, default=1_000_000)
    bench.add_argument("--customers", type=int, default=10_000, help="end customers")
    bench.add_argument("--seed", type=int, default=1)
    bench.set_defaults(func=cmd_bench_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
