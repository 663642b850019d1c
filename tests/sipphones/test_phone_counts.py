"""The per-customer phone counts behind the unfiltered list's total stay exact."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from harness.factory import random_mac
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.phone_counts import counts_table
from pbxapi.db.tables import SipPhone


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def stored_and_actual(engine, customer: str) -> tuple[tuple, tuple]:
    with Session(engine) as session:
        stored = session.execute(
            select(counts_table.c.phones, counts_table.c.unassigned).where(
                counts_table.c.customer_id == customer
            )
        ).one()
        phones = session.scalar(
            select(func.count()).select_from(SipPhone).where(SipPhone.customer_id == customer)
        )
        unassigned = session.scalar(
            select(func.count())
            .select_from(SipPhone)
            .where(SipPhone.customer_id == customer, SipPhone.extension_id.is_(None))
        )
    return tuple(stored), (phones, unassigned)


def test_counts_follow_every_kind_of_write(client, factory, engine):
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.MANAGER)
    model = factory.model_id("SNOM", "D785")
    extension = factory.extension(customer, "100")
    ids = []
    for n in range(5):
        body = {"macAddress": random_mac(), "sipPhoneModel": model}
        if n < 2:
            body["extension"] = extension
        response = client.post("/pbx/sipphone", json=body, headers=auth(token))
        assert response.status_code == 200, response.text
        ids.append(response.json()["_id"])
    stored, actual = stored_and_actual(engine, customer)
    assert stored == actual == (5, 3)

    assert client.delete(f"/pbx/sipphone/{ids[4]}", headers=auth(token)).status_code == 200
    client.post(f"/pbx/sipphone/{ids[3]}", json={"extension": extension}, headers=auth(token))
    stored, actual = stored_and_actual(engine, customer)
    assert stored == actual == (4, 1)

    assert client.delete(f"/pbx/extension/{extension}", headers=auth(token)).status_code == 200
    stored, actual = stored_and_actual(engine, customer)
    assert stored == actual == (4, 4)


def test_the_unfiltered_total_comes_from_the_counts(client, factory, count_statements):
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.VIEWER)
    extension = factory.extension(customer, "100")
    for n in range(6):
        factory.phone(customer, extension_id=extension if n < 2 else None)
    for params, total in (({}, 6), ({"available": "true"}, 4)):
        with count_statements() as counter:
            body = client.get("/pbx/sipphone", params={**params, "limit": 1},
                              headers=auth(token)).json()  # fmt: skip
        assert body["total"] == total
        assert len(body["sipPhones"]) == 1
        assert any("customer_phone_counts" in s for s in counter.statements)
        assert not any("count(*)" in s.lower() for s in counter.statements)
