"""Issue 3's "done": from `pbxapi bootstrap-admin`, a reseller, its customer, their
employees, an extension and phones are built through HTTP calls alone, and show in
the list — on a fresh database of each kind."""

from tests.support.cli_runner import api


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def login(client, email: str, password: str) -> str:
    body = ok(client.post("/auth/login", json={"username": email, "password": password}))
    assert body["expiresInMinutes"] == 15
    return body["token"]


def test_build_everything_through_http_from_bootstrap_admin(run, any_url):
    assert run(any_url, "migrate").code == 0
    bootstrap = run(any_url, "bootstrap-admin", "--email", "root@operator.test")
    assert bootstrap.code == 0, bootstrap.err
    admin = bearer(bootstrap.lines[-1])

    with api(any_url) as client:
        # The admin makes a reseller and its first login.
        reseller = ok(client.post("/customer", json={"name": "Nordic Voice"}, headers=admin))
        ok(client.post("/employee", headers=admin, json={
            "customer": reseller["_id"], "name": "Rasmus", "emailAddress": "rasmus@nv.test",
            "accessLevel": "RESELLER", "password": "reseller-secret-1",
        }))  # fmt: skip
        as_reseller = bearer(login(client, "RASMUS@nv.test", "reseller-secret-1"))

        # The reseller makes a customer below itself, with a manager.
        acme = ok(client.post("/customer", json={"name": "Acme ApS"}, headers=as_reseller))
        assert acme["parentReseller"] == reseller["_id"]
        manager = ok(client.post("/employee", headers=as_reseller, json={
            "customer": acme["_id"], "name": "Donald Duck", "emailAddress": "donald@acme.test",
            "accessLevel": "MANAGER", "password": "manager-secret-1",
        }))  # fmt: skip
        as_manager = bearer(login(client, "donald@acme.test", "manager-secret-1"))

        # The manager numbers the office and plugs in a desk phone and a DECT base.
        extension = ok(client.post("/pbx/extension", headers=as_manager, json={
            "number": "592", "direct": "+4570305050", "employee": manager["_id"],
        }))  # fmt: skip
        models = ok(client.get("/pbx/sipphonemodels", params={"filter": "snom d785"},
                               headers=as_manager))["sipPhoneModels"]  # fmt: skip
        dect = ok(client.get("/pbx/sipphonemodels", params={"filter": "w70b"},
                             headers=as_manager))["sipPhoneModels"]  # fmt: skip
        desk = ok(client.post("/pbx/sipphone", headers=as_manager, json={
            "macAddress": "4e:e8:a3:4b:56:f3", "sipPhoneModel": models[0]["_id"],
            "extension": extension["_id"], "notes": "A note about the phone",
        }))  # fmt: skip
        handsets = [
            ok(
                client.post(
                    "/pbx/sipphone",
                    headers=as_manager,
                    json={
                        "macAddress": "0015650000AA",
                        "sipPhoneModel": dect[0]["_id"],
                    },
                )
            )
            for _ in range(2)
        ]
        assert [h["handsetIndex"] for h in handsets] == [0, 1]

        # Everybody sees them where the access rules say.
        listed = ok(client.get("/pbx/sipphone", params={"filter": "donald"}, headers=as_manager))
        assert listed["total"] == 1
        [phone] = listed["sipPhones"]
        assert phone["_id"] == desk["_id"]
        assert phone["macAddress"] == "4EE8A34B56F3"
        assert phone["extension"] == {
            "_id": extension["_id"], "number": "592", "direct": "+4570305050",
        }  # fmt: skip
        assert phone["employee"] == {"_id": manager["_id"], "name": "Donald Duck"}
        from_above = ok(client.get("/pbx/sipphone", params={"customer": acme["_id"]},
                                   headers=as_reseller))  # fmt: skip
        assert [p["_id"] for p in from_above["sipPhones"]] == [
            desk["_id"],
            *(h["_id"] for h in handsets),
        ]
        free = ok(client.get("/pbx/sipphone", params={"available": "true"}, headers=as_manager))
        assert [p["_id"] for p in free["sipPhones"]] == [h["_id"] for h in handsets]
        # The reseller's own customer has no phones, and Acme's manager cannot look up.
        assert ok(client.get("/pbx/sipphone", headers=as_reseller))["total"] == 0
        refused = client.get("/pbx/sipphone", params={"customer": reseller["_id"]},
                             headers=as_manager)  # fmt: skip
        assert refused.status_code == 403
        assert refused.json()["error"] == "access_denied"
