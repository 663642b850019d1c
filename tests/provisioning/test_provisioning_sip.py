"""End to end with real parts: a phone fetches its configuration from provisioning, and
the credentials and registrar in it register with Kamailio (deploy/kamailio), sipp
playing the phone. Needs `kamailio` and `sipp` (skipped without them, a failure with
CI=true) and PostgreSQL."""

from collections.abc import Iterator

import httpx2
import pytest
from fastapi.testclient import TestClient

from harness.factory import Factory, random_mac
from harness.sipstack import Phone, Stack, run_sipp, sip_database, sip_stack, sipp_command
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.provisioning.app import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with sip_database("pbxapi_provisioning_sip") as url:
        yield url


@pytest.fixture(scope="module")
def engine(database_url):
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def stack(database_url, tmp_path_factory) -> Iterator[Stack]:
    with sip_stack(database_url, tmp_path_factory.mktemp("sip")) as stack:
        yield stack


@pytest.fixture(scope="module")
def provisioning(engine, database_url, stack):
    settings = Settings(database_url=database_url, sip_domain="127.0.0.1", sip_port=stack.sip_port)
    return create_app(settings, engine=engine, country_of=lambda address: None)


def key_values(text: str) -> dict[str, str]:
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, _, value in (line.partition("=") for line in lines)}


def test_provisioned_handsets_register_with_what_they_were_served(
    engine, stack, provisioning, tmp_path
):
    factory = Factory(make_session_factory(engine))
    customer = factory.customer()
    mac = random_mac()
    handsets = [factory.phone(customer, ("YEALINK", "W70B"), mac_address=mac, handset_index=i)
                for i in range(3)]  # fmt: skip
    with TestClient(provisioning, client=("127.0.0.1", 40000)) as phone:
        served = phone.get(f"/{mac.lower()}.cfg", headers={"User-Agent": "Yealink W70B"})
    assert served.status_code == 200
    config = key_values(served.text)

    accounts = []
    for n in range(1, 4):
        server = (config[f"account.{n}.sip_server.1.address"],
                  int(config[f"account.{n}.sip_server.1.port"]))  # fmt: skip
        assert server == ("127.0.0.1", stack.sip_port)
        accounts.append(Phone(config[f"account.{n}.user_name"], config[f"account.{n}.password"]))
    result = run_sipp(sipp_command(stack, tmp_path, accounts))
    assert result.returncode == 0, result.stdout + result.stderr

    # Online, and the API shows both the fetch and the lock it made.
    token = factory.login(customer, AccessLevel.MANAGER)
    with httpx2.Client(base_url=stack.api_url, timeout=10) as api:
        for handset in handsets:
            body = api.get(f"/pbx/sipphone/{handset.id}",
                           headers={"Authorization": f"Bearer {token}"}).json()  # fmt: skip
            assert body["status"]["online"] is True
            assert body["status"]["configLoaded"] is not None
            assert body["ip"]["mode"] == "LOCKED" and body["ip"]["address"] == "127.0.0.1"


def test_a_password_not_served_is_refused(engine, stack, provisioning, tmp_path):
    """The control: sipp with a password other than the one served is refused, so the test
    above registered with the served credentials and not by accident."""
    factory = Factory(make_session_factory(engine))
    phone = factory.phone(factory.customer(), ("YEALINK", "T54W"))
    with TestClient(provisioning, client=("127.0.0.1", 40000)) as client:
        config = key_values(client.get(f"/{phone.mac_address}.cfg").text)
    wrong = Phone(config["account.1.user_name"], config["account.1.password"][::-1])
    result = run_sipp(sipp_command(stack, tmp_path, [wrong], final=403))
    assert result.returncode == 0, result.stdout + result.stderr
