"""A database that does not answer is a 503 with Retry-After, never a 500, and the
service answers again once the database is back."""

import time

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event

from pbxapi.app import create_app
from pbxapi.config import Settings
from pbxapi.db.engine import IDLE_BEFORE_PING, create_db_engine


def test_an_unreachable_postgresql_is_503(tmp_path):
    # Nothing listens on port 1: every connection attempt fails at once.
    url = "postgresql://postgres@127.0.0.1:1/nothing"
    engine = create_db_engine(url, connect_args={"connect_timeout": 2})
    with TestClient(create_app(Settings(database_url=url), engine=engine)) as client:
        response = client.get("/pbx/sipphone", headers={"Authorization": "Bearer pbx_x"})
    engine.dispose()
    assert response.status_code == 503
    assert response.json() == {
        "error": "unavailable", "message": "the database is unavailable, try again shortly",
    }  # fmt: skip
    assert response.headers["Retry-After"] == "1"


def test_the_service_answers_again_when_the_database_is_back(engine, factory, app):
    """The pool drops dead connections (pre-ping) and makes new ones: simulated by
    invalidating every pooled connection, as a database restart does."""
    from pbxapi.auth.levels import AccessLevel

    customer = factory.customer()
    token = factory.login(customer, AccessLevel.VIEWER)
    with TestClient(app) as client:
        assert (
            client.get("/pbx/sipphone", headers={"Authorization": f"Bearer {token}"}).status_code
            == 200
        )
        engine.pool.dispose()  # every connection gone, as after a restart
        response = client.get("/pbx/sipphone", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_a_sqlite_database_locked_by_another_writer_is_503(tmp_path):
    from harness.factory import Factory
    from pbxapi.auth.levels import AccessLevel
    from pbxapi.db.engine import make_session_factory
    from pbxapi.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'locked.db'}"
    upgrade(url)
    engine = create_db_engine(url)
    # after the service's own settings (5 s busy timeout): give up after 0.1 s here
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout = 100"))
    factory = Factory(make_session_factory(engine))
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.MANAGER)
    blocker = create_engine(url)
    with blocker.connect() as holding:
        holding.exec_driver_sql("BEGIN IMMEDIATE")  # another writer holds the write lock
        with TestClient(create_app(Settings(database_url=url), engine=engine)) as client:
            response = client.post("/pbx/extension", json={"number": "100"},
                                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            holding.exec_driver_sql("ROLLBACK")
            again = client.post("/pbx/extension", json={"number": "100"},
                                headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    blocker.dispose()
    engine.dispose()
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
    assert again.status_code == 200


def test_postgresql_stopped_and_started_again_mid_run():
    """A real outage, on a PostgreSQL cluster of the test's own: stopped cleanly (fast) and
    crashed (immediate), each time requests are 503 while it is down, writes made then are
    not kept, and the same app answers again, writes included, once it is back."""
    from harness.databases import own_postgres_cluster
    from harness.factory import Factory
    from pbxapi.auth.levels import AccessLevel
    from pbxapi.db.engine import make_session_factory
    from pbxapi.db.migrate import upgrade

    with own_postgres_cluster() as cluster:
        upgrade(cluster.url)
        engine = create_db_engine(cluster.url, connect_args={"connect_timeout": 2})
        factory = Factory(make_session_factory(engine))
        customer = factory.customer()
        headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.MANAGER)}"}
        try:
            with TestClient(create_app(Settings(database_url=cluster.url), engine=engine),
                            raise_server_exceptions=False) as client:  # fmt: skip

                def numbers() -> list[str]:
                    response = client.get("/pbx/extension", headers=headers)
                    assert response.status_code == 200, response.text
                    return [extension["number"] for extension in response.json()["extensions"]]

                assert client.post("/pbx/extension", json={"number": "100"},
                                   headers=headers).status_code == 200  # fmt: skip
                for mode, number in (("fast", "200"), ("immediate", "300")):
                    cluster.stop(mode)
                    refused = [
                        client.get("/pbx/extension", headers=headers),
                        client.post("/pbx/extension", json={"number": "999"}, headers=headers),
                        client.get("/pbx/sipphone", headers=headers),
                    ]
                    for response in refused:
                        assert response.status_code == 503, (mode, response.text)
                        assert response.json() == {
                            "error": "unavailable",
                            "message": "the database is unavailable, try again shortly",
                        }
                        assert response.headers["Retry-After"] == "1"
                    cluster.start()
                    # the first request after the restart is answered: no app restart
                    assert client.get("/pbx/sipphone", headers=headers).status_code == 200
                    written = client.post("/pbx/extension", json={"number": number},
                                          headers=headers)  # fmt: skip
                    assert written.status_code == 200, written.text
                    assert written.json()["customer"] == customer
                assert numbers() == ["100", "200", "300"]  # and not the 999 sent while down
                # A restart nobody noticed: the pooled connection is dead, but it has been
                # idle, so it is pinged and replaced before the request uses it.
                cluster.stop("fast")
                cluster.start()
                time.sleep(IDLE_BEFORE_PING + 0.1)
                assert client.get("/pbx/sipphone", headers=headers).status_code == 200
                # The same within the second: the server's goodbye (or the closed socket of
                # a crash) waits unread on the connection, so it is pinged all the same.
                for mode in ("fast", "immediate"):
                    assert client.get("/pbx/sipphone", headers=headers).status_code == 200
                    cluster.stop(mode)
                    cluster.start()
                    statuses = [client.get("/pbx/sipphone", headers=headers).status_code
                                for _ in range(3)]  # fmt: skip
                    assert statuses == [200, 200, 200], mode
        finally:
            engine.dispose()
