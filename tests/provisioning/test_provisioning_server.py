"""`pbxapi serve-provisioning` for real: uvicorn on a loopback port, phones as HTTP clients
from two loopback addresses. The client address the IP rule judges is the TCP peer;
an X-Forwarded-For header from a client that is not a configured proxy changes nothing."""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from harness.factory import Factory
from pbxapi import cli
from pbxapi.config import get_settings
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.db.tables import SipPhone


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    port: int
    log: str = ""  # everything it printed, once it has stopped


@contextmanager
def provisioning_server(url: str, *argv: str) -> Iterator[Server]:
    running = Server()
    running.port = port = free_port()
    env = {**os.environ, "PBXAPI_DATABASE_URL": url, "PBXAPI_SIP_DOMAIN": "sip.example.net"}
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "pbxapi.cli", "serve-provisioning", "--port", str(port), *argv],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"no server:\n{server.stdout.read()}") from None
                time.sleep(0.1)
        yield running
    finally:
        server.terminate()
        running.log, _ = server.communicate(timeout=30)


def get(port: int, path: str, source: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"User-Agent": "snomD785/10.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def database(run, any_url) -> Iterator[tuple[str, Factory]]:
    assert run(any_url, "migrate").code == 0
    engine = create_db_engine(any_url)
    yield any_url, Factory(make_session_factory(engine))
    engine.dispose()


def test_serve_provisioning_locks_a_phone_to_the_tcp_peer(database):
    url, factory = database
    phone = factory.phone(factory.customer(), ("SNOM", "D785"))
    with provisioning_server(url) as server:
        port = server.port
        # Claiming to be forwarded for another address changes nothing: no proxy is trusted.
        status, body = get(port, f"/{phone.mac_address}.xml", "127.0.0.1",
                           {"X-Forwarded-For": "127.0.0.9"})  # fmt: skip
        assert status == 200
        assert phone.sip_password.encode() in body
        assert b"sip.example.net" in body
        refused = get(port, f"/{phone.mac_address}.xml", "127.0.0.2")
        unknown = get(port, "/000000000000.xml", "127.0.0.1")
        assert refused == unknown
        assert refused[0] == 404
    with factory.session_factory() as session:
        stored = session.get(SipPhone, phone.id)
        assert (stored.ip_mode, stored.ip_address) == ("LOCKED", "127.0.0.1")
        assert stored.last_user_agent == "snomD785/10.1"
        assert stored.config_loaded_at is not None


def test_serve_provisioning_trusts_the_named_proxy_only(database):
    url, factory = database
    phone = factory.phone(factory.customer(), ("YEALINK", "T54W"))
    with provisioning_server(url, "--forwarded-allow-ips", "127.0.0.1") as server:
        port = server.port
        status, _ = get(port, f"/{phone.mac_address}.cfg", "127.0.0.1",
                        {"X-Forwarded-For": "127.0.0.7"})  # fmt: skip
        assert status == 200
    with factory.session_factory() as session:
        locked_to = session.scalars(
            select(SipPhone.ip_address).where(SipPhone.id == phone.id)
        ).one()
    assert locked_to == "127.0.0.7"


def test_the_provisioning_server_logs_no_credentials(database):
    url, factory = database
    phone = factory.phone(factory.customer(), ("YEALINK", "T54W"))
    with provisioning_server(url) as server:
        assert get(server.port, f"/{phone.mac_address}.cfg", "127.0.0.1")[0] == 200
    server_log = server.log
    assert f"GET /{phone.mac_address}.cfg" in server_log  # the access log has the path
    assert phone.sip_password not in server_log
    assert phone.sip_username not in server_log


def test_serve_provisioning_parser_defaults():
    args = cli.build_parser().parse_args(["serve-provisioning"])
    assert (args.host, args.port, args.forwarded_allow_ips) == (None, None, None)
    assert args.func is cli.cmd_serve_provisioning


def test_serve_provisioning_listens_on_its_own_port_and_trusts_no_proxy(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setenv("PBXAPI_HOST", "127.0.0.3")
    get_settings.cache_clear()
    try:
        assert cli.main(["serve-provisioning"]) == 0
        assert cli.main(["serve-provisioning", "--port", "9090",
                         "--forwarded-allow-ips", "10.0.0.1"]) == 0  # fmt: skip
    finally:
        get_settings.cache_clear()
    (app,), default = calls[0]
    assert app == "pbxapi.provisioning.app:create_app" and default["factory"] is True
    assert (default["host"], default["port"], default["proxy_headers"]) == (
        "127.0.0.3",
        8080,
        False,
    )
    _, proxied = calls[1]
    assert (proxied["port"], proxied["proxy_headers"], proxied["forwarded_allow_ips"]) == (
        9090, True, "10.0.0.1")  # fmt: skip


def test_the_api_server_trusts_no_proxy_unless_named(monkeypatch):
    """Login throttling counts failures by client address: by default no X-Forwarded-For
    is believed (uvicorn's own default believes 127.0.0.1, i.e. any local process)."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    get_settings.cache_clear()
    try:
        assert cli.main(["serve"]) == 0
        assert cli.main(["serve", "--forwarded-allow-ips", "10.0.0.1"]) == 0
    finally:
        get_settings.cache_clear()
    (app,), default = calls[0]
    assert app == "pbxapi.app:create_app"
    assert (default["proxy_headers"], default["forwarded_allow_ips"]) == (False, "")
    _, proxied = calls[1]
    assert (proxied["proxy_headers"], proxied["forwarded_allow_ips"]) == (True, "10.0.0.1")
