"""The real parts of registration, as subprocesses on free loopback ports: pbxapi served
by uvicorn (the admission endpoint), Kamailio started by deploy/kamailio/run, and sipp
playing the phones. Used by tests/test_sip.py and bench/sip.py."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from harness.databases import throwaway_postgres_database
from pbxapi.db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
KAMAILIO_RUN = ROOT / "deploy" / "kamailio" / "run"
USER_AGENT = "pbxapi-test-phone/1.0"


def sip_tools_missing() -> str | None:
    """Why the SIP tests cannot run here, or None."""
    missing = [tool for tool in ("kamailio", "sipp") if shutil.which(tool) is None]
    if missing:
        return (
            f"{' and '.join(missing)} not installed (apt-get install kamailio "
            "kamailio-postgres-modules kamailio-utils-modules sip-tester; .ci/run does it)"
        )
    return None


def require_sip_tools() -> None:
    """Skip with the reason shown; in CI missing SIP tools fail the run instead."""
    reason = sip_tools_missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Kamailio and sipp are required in CI: {reason}")
    pytest.skip(reason)


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until(ready, what: str, process: subprocess.Popen, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not come up within {deadline} s")


def _answers(url: str, data: bytes | None = None) -> bool:
    """Anything served over HTTP counts, a refusal included (Kamailio's control port
    refuses callers without the secret)."""
    try:
        with urllib.request.urlopen(url, data=data, timeout=1):  # noqa: S310 - loopback
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Stack:
    api_url: str  # pbxapi, e.g. http://127.0.0.1:PORT
    sip_port: int  # Kamailio's UDP port on 127.0.0.1
    control_url: str  # Kamailio's JSON-RPC
    secret: str


@contextmanager
def sip_database(prefix: str) -> Iterator[str]:
    """A migrated throwaway PostgreSQL database for a module of SIP tests (which need
    kamailio and sipp: skipped without them, a failure with CI=true)."""
    require_sip_tools()
    with throwaway_postgres_database(prefix) as url:
        upgrade(url)
        yield url


@contextmanager
def sip_stack(
    database_url: str, log_dir: Path, children: int = 4, api_workers: int = 1
) -> Iterator[Stack]:
    """pbxapi and Kamailio on free loopback ports against a migrated PostgreSQL database.

    A port found free can be taken by another process before our server binds it (the
    suite runs on several workers): a start that fails is retried on new ports."""
    with kamailio_role(database_url) as kamailio_url:
        for attempt in range(1, 4):
            try:
                stack, processes = _start_stack(database_url, kamailio_url,
                                                log_dir / f"start{attempt}", children,
                                                api_workers)  # fmt: skip
                break
            except RuntimeError:
                if attempt == 3:
                    raise
        try:
            yield stack
        finally:
            _stop_all(processes)


@contextmanager
def kamailio_role(database_url: str) -> Iterator[str]:
    """A database role made for this Kamailio with deploy/kamailio/role.sql, so the
    tests prove the registrar works with no more rights than it is given in production;
    the URL Kamailio connects with."""
    url = make_url(database_url)
    role = f"pbxapi_kamailio_{secrets.token_hex(6)}"
    psql = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.database,
    ]
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}

    def run(*arguments: str) -> None:
        subprocess.run([*psql, *arguments], env=environment, check=True)  # noqa: S603

    run("-c", f'CREATE ROLE "{role}" LOGIN')
    try:
        run("-v", f"role={role}", "-f", str(KAMAILIO_RUN.parent / "role.sql"))
        yield url.set(username=role, password=None).render_as_string(hide_password=False)
    finally:
        run("-c", f'DROP OWNED BY "{role}"', "-c", f'DROP ROLE "{role}"')


def _stop_all(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        _stop(process)


def _start_stack(
    database_url: str, kamailio_url: str, log_dir: Path, children: int, api_workers: int
) -> tuple[Stack, list[subprocess.Popen]]:
    log_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(24)
    api_port, control_port = free_port(), free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    control_url = f"http://127.0.0.1:{control_port}/RPC"
    env = {
        **os.environ,
        "PBXAPI_DATABASE_URL": database_url,
        "PBXAPI_INTERNAL_SECRET": secret,
        "PBXAPI_SIP_CONTROL_URL": control_url,
        "PBXAPI_LOG_LEVEL": "warning",
    }
    pbxapi = Path(sys.executable).parent / "pbxapi"
    processes: list[subprocess.Popen] = []
    try:
        with (log_dir / "pbxapi.log").open("wb") as api_log:
            api = subprocess.Popen(  # noqa: S603 - our own command
                [str(pbxapi), "serve", "--host", "127.0.0.1", "--port", str(api_port),
                 "--workers", str(api_workers), "--no-access-log"],
                env=env, stdout=api_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        processes.append(api)
        api_url = f"http://127.0.0.1:{api_port}"
        _wait_until(lambda: _answers(f"{api_url}/openapi.json"), "pbxapi", api)
        with (log_dir / "kamailio.log").open("wb") as kamailio_log:
            kamailio = subprocess.Popen(  # noqa: S603 - our own script
                [str(KAMAILIO_RUN)],
                env={
                    **env,
                    "KAMAILIO_DATABASE_URL": kamailio_url,
                    "KAMAILIO_SIP_LISTEN": f"udp:127.0.0.1:{sip_port}",
                    "KAMAILIO_CONTROL_PORT": str(control_port),
                    "PBXAPI_ADMISSION_URL": f"{api_url}/internal/sip/admission",
                    "KAMAILIO_RUN_DIR": str(log_dir / "kamailio-run"),
                    "KAMAILIO_CHILDREN": str(children),
                },
                stdout=kamailio_log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        processes.append(kamailio)
        rpc = b'{"jsonrpc": "2.0", "method": "core.version", "id": 1}'
        _wait_until(lambda: _answers(control_url, rpc), "kamailio", kamailio)
    except BaseException:
        _stop_all(processes)
        raise
    return Stack(api_url, sip_port, control_url, secret), processes


# --- sipp as the phones ----------------------------------------------------------------

_REGISTER = """REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[field0]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: {cseq} REGISTER
      Contact: <sip:[field0]@{contact_host}>
      Max-Forwards: 70
      User-Agent: {user_agent}
      Expires: [field2]{authorization}
      Content-Length: 0

"""


def register_scenario(final: int, contact_host: str = "") -> str:
    """REGISTER, answer the challenge with the CSV's credentials, expect `final`.
    `contact_host` (say a LAN address) plays a phone behind NAT: its Contact is not where
    its packets come from."""
    common = {"user_agent": USER_AGENT, "contact_host": contact_host or "[local_ip]:[local_port]"}
    first = _REGISTER.format(cseq=1, authorization="", **common)
    second = _REGISTER.format(cseq=2, authorization="\n      [field1]", **common)
    return f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
  <send retrans="500"><![CDATA[
{first}  ]]></send>
  <recv response="401" auth="true" timeout="5000"/>
  <send retrans="500"><![CDATA[
{second}  ]]></send>
  <recv response="{final}" timeout="5000"/>
</scenario>
"""


# A registered phone waiting for a NOTIFY: a server scenario of its own, because sipp
# maps incoming requests to calls by Call-ID and the NOTIFY starts a new one.
NOTIFY_SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="await NOTIFY">
  <recv request="NOTIFY"/>
  <send><![CDATA[
SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpNotify
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

  ]]></send>
</scenario>
"""


@dataclass(frozen=True)
class Phone:
    username: str
    password: str


def injection_csv(phones: list[Phone], expires: int) -> str:
    # sipp cannot take [fieldN] inside [authentication ...] (SIPp issue 640): the whole
    # keyword is a field of its own.
    lines = ["SEQUENTIAL"] + [
        f"{p.username};[authentication username={p.username} password={p.password}];{expires};"
        for p in phones
    ]
    return "\n".join(lines) + "\n"


def sipp_command(
    stack: Stack, work: Path, phones: list[Phone], *, final: int = 200, expires: int = 120,
    address: str = "127.0.0.1", port: int = 0, contact_host: str = "",
    calls: int = 0, trace: bool = True, extra: tuple[str, ...] = (),
) -> list[str]:  # fmt: skip
    """Each call registers the next phone of `phones` (cycling); `calls` default one each."""
    name = f"sipp-{secrets.token_hex(4)}"
    scenario, csv = work / f"{name}.xml", work / f"{name}.csv"
    scenario.write_text(register_scenario(final, contact_host))
    csv.write_text(injection_csv(phones, expires))
    return [
        "sipp", f"127.0.0.1:{stack.sip_port}", "-sf", str(scenario), "-inf", str(csv),
        "-m", str(calls or len(phones)), *_sipp_common(work, name, address, port, trace),
        *extra,
    ]  # fmt: skip


def notify_listener_command(work: Path, port: int, address: str = "127.0.0.1") -> list[str]:
    """sipp answering one NOTIFY on the port a phone registered from."""
    name = f"notify-{secrets.token_hex(4)}"
    scenario = work / f"{name}.xml"
    scenario.write_text(NOTIFY_SCENARIO)
    return ["sipp", "-sf", str(scenario), "-m", "1", *_sipp_common(work, name, address, port)]


def _sipp_common(work: Path, name: str, address: str, port: int, trace: bool = True) -> list[str]:
    tracing = ["-trace_msg", "-message_file", str(work / f"{name}.log")] if trace else []
    return [
        "-i", address, "-p", str(port or free_port(socket.SOCK_DGRAM)), "-nostdin",
        *tracing, "-timeout", "60s", "-timeout_error",
    ]  # fmt: skip


def udp_port_taken(port: int, address: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return True
        return False


def run_sipp(command: list[str], timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - sipp with our own arguments
        command, capture_output=True, text=True, timeout=timeout, check=False
    )


def message_log(command: list[str]) -> str:
    return Path(command[command.index("-message_file") + 1]).read_text()
