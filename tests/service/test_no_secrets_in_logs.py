"""No token, password or SIP credential ever reaches a log or an error answer (issue 5,
"Defences users expect").

A real uvicorn server (in a thread of this process, so that its access and error logs are
captured) serves the app while a walkthrough logs in, uses tokens in the header and in the
one path that takes one, creates phones, reads full objects and pages, resets credentials,
makes and removes machine tokens, and triggers 4xx answers and a 500 whose database error
carries a SIP username. Every logger runs at DEBUG (SQLAlchemy's statement, parameter and
row logging included); then every log record (message, arguments, traceback) and every
error answer is searched for every secret of the walkthrough.
"""

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx2 as httpx
import pytest
import uvicorn
from fastapi import Request
from sqlalchemy import insert, select

from harness.factory import random_mac
from pbxapi.app import create_app
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.engine import make_session_factory
from pbxapi.db.tables import Employee, SipPhone
from pbxapi.ids import new_id
from tests.support.accounts import Accounts, unique_email

PASSWORD = "walkthrough password one"
WRONG_PASSWORD = "walkthrough wrong password"
EMPLOYEE_PASSWORD = "walkthrough password two"
NEW_EMPLOYEE_PASSWORD = "walkthrough password three"
INTERNAL_SECRET = "walkthrough internal secret"
# Loggers whose records come from the test's own HTTP client, not from the service.
CLIENT_LOGGERS = ("httpx", "httpx2", "httpcore", "httpcore2")
SERVICE_LOGGERS = (
    "", "pbxapi", "uvicorn", "uvicorn.access", "uvicorn.error", "sqlalchemy",
    "sqlalchemy.engine", "sqlalchemy.engine.Engine", "sqlalchemy.pool", "psycopg", "asyncio",
    "fastapi", "starlette",
)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(engine, database_url) -> Iterator[str]:
    """The app, plus one route that fails inside the database with a SIP username among
    the statement's parameters (a 500), served by uvicorn; yields its base URL."""
    app = create_app(Settings(database_url=database_url, internal_secret=INTERNAL_SECRET),
                     engine=engine)  # fmt: skip
    session_factory = make_session_factory(engine)

    @app.post("/test/explode/{phone_id}")
    def explode(phone_id: str, request: Request) -> dict:
        with session_factory() as session:
            phone = session.get(SipPhone, phone_id)
            # a second phone with the same SIP username: a unique violation whose message
            # names the value on PostgreSQL, and whose parameters hold it on both databases
            session.execute(
                insert(SipPhone).values(
                    id=new_id(), customer_id=phone.customer_id,
                    sip_phone_model_id=phone.sip_phone_model_id, mac_address=random_mac(),
                    sip_username=phone.sip_username, sip_password=phone.sip_password,
                    softkeys=[], notes="", config_saved_at=phone.config_saved_at,
                    created_at=phone.created_at,
                )
            )  # fmt: skip
        return {}

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_no_secret_reaches_a_log_or_an_error_answer(served, factory, engine, caplog):
    for name in SERVICE_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    accounts = Accounts(engine)
    customer = factory.customer()
    email = unique_email("walker")
    manager = accounts.employee(customer, AccessLevel.OWNER, email=email, password=PASSWORD)
    model = factory.model_id("SNOM", "D785")
    secrets = {PASSWORD, WRONG_PASSWORD, EMPLOYEE_PASSWORD, NEW_EMPLOYEE_PASSWORD, INTERNAL_SECRET}
    error_answers: list[str] = []

    with httpx.Client(base_url=served, timeout=30) as http:

        def call(method: str, url: str, token: str | None = None, **kwargs) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = http.request(method, url, headers=headers, **kwargs)
            if response.status_code >= 400:
                error_answers.append(f"{response.status_code} {response.headers} {response.text}")
            return response

        def ok(response: httpx.Response) -> dict:
            assert response.status_code == 200, response.text
            return response.json()

        # logging in, right and wrong, and with a password typed into the name field
        login = ok(call("POST", "/auth/login", json={"username": email, "password": PASSWORD}))
        token = login["token"]
        secrets.add(token)
        assert call("POST", "/auth/login", json={"username": email, "password": WRONG_PASSWORD}
                    ).status_code == 401  # fmt: skip
        assert call("POST", "/auth/login", json={"username": PASSWORD, "password": PASSWORD}
                    ).status_code == 401  # fmt: skip
        assert call("POST", "/auth/login", json={"username": email, "password": PASSWORD * 20}
                    ).status_code == 400  # fmt: skip

        # phones: created, read whole, listed in full, credentials reset
        phone = ok(call("POST", "/pbx/sipphone", token,
                        json={"sipPhoneModel": model, "macAddress": random_mac()}))  # fmt: skip
        secrets |= {phone["username"], phone["password"]}
        ok(call("GET", f"/pbx/sipphone/{phone['_id']}", token))
        ok(call("GET", "/pbx/sipphone", token, params={"full": "true"}))
        reset = ok(call("GET", f"/pbx/sipphone/{phone['_id']}/resetcredentials", token))
        secrets |= {reset["username"], reset["password"]}
        # a conflict and a bad body on a phone
        taken = {"sipPhoneModel": model, "macAddress": phone["macAddress"]}
        assert call("POST", "/pbx/sipphone", token, json=taken).status_code == 409
        # secrets sent where they do not belong are not echoed
        misplaced = {"sipPhoneModel": model, "macAddress": reset["password"]}
        assert call("POST", "/pbx/sipphone", token, json=misplaced).status_code == 400
        assert call("POST", f"/pbx/sipphone/{phone['_id']}", token,
                    json={"password": "x", "username": "y"}).status_code == 400  # fmt: skip

        # employees: made with a password, password changed, a too short one refused
        employee = ok(call("POST", "/employee", token, json={
            "name": "Walker", "emailAddress": unique_email(), "accessLevel": "VIEWER",
            "password": EMPLOYEE_PASSWORD,
        }))["_id"]  # fmt: skip
        ok(call("POST", f"/employee/{employee}", token, json={"password": NEW_EMPLOYEE_PASSWORD}))
        assert call("POST", f"/employee/{employee}", token,
                    json={"password": "short"}).status_code == 400  # fmt: skip

        # machine tokens: made, used, removed through the path that carries one, refused
        machine = ok(call("POST", f"/employee/{manager}/token", token))["token"]
        secrets.add(machine)
        ok(call("GET", "/audit", machine))
        ok(call("DELETE", f"/employee/{manager}/token/{machine}", token))
        assert call("GET", "/pbx/sipphone", machine).status_code == 401
        assert call("DELETE", f"/employee/{manager}/token/{machine}", token).status_code == 404
        assert call("GET", "/pbx/sipphone", "pbx_" + "unknown" * 6).status_code == 401

        # the SIP server's admission request, with the shared secret and with a wrong one
        admission = {"username": reset["username"], "address": "192.0.2.10"}
        for secret, status in ((INTERNAL_SECRET, 200), (WRONG_PASSWORD, 401)):
            response = http.post("/internal/sip/admission", json=admission,
                                 headers={"X-Pbxapi-Internal-Secret": secret})  # fmt: skip
            assert response.status_code == status, response.text
            if status >= 400:
                error_answers.append(response.text)

        # a 500 from the database, with a SIP username among its parameters
        assert call("POST", f"/test/explode/{phone['_id']}").status_code == 500

        ok(call("GET", "/auth/logout", token))
        assert call("GET", "/pbx/sipphone", token).status_code == 401

    with make_session_factory(engine)() as session:
        secrets |= set(session.scalars(select(Employee.password_hash).where(
            Employee.customer_id == customer, Employee.password_hash.is_not(None))))  # fmt: skip
    assert len(secrets) >= 12

    formatter = logging.Formatter()
    logged = []
    for record in caplog.records:
        if record.name.split(".")[0] in CLIENT_LOGGERS:
            continue
        logged.append(f"{record.name} {record.getMessage()}")
        if record.exc_info:
            logged.append(formatter.formatException(record.exc_info))
        if record.stack_info:
            logged.append(record.stack_info)
    text = "\n".join(logged)
    # the walkthrough was logged (so the scan is not vacuous): SQL, access log and the 500
    assert "INSERT INTO sip_phones" in text
    assert "/pbx/sipphone/" in text and " 200" in text
    assert "unhandled error on POST /test/explode/{phone_id}" in text
    assert len(error_answers) >= 9
    answers = "\n".join(error_answers)
    leaks = {secret: where for secret in secrets for where, haystack in
             (("logs", text), ("error answers", answers)) if secret in haystack}  # fmt: skip
    assert leaks == {}
