from pbxapi.auth.levels import AccessLevel


def test_lists_own_customer_phones(client, factory):
    customer = factory.customer()
    token = factory.login(customer, AccessLevel.VIEWER)
    phone = factory.phone(customer)
    response = client.get("/pbx/sipphone", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["total"] == 1
    assert response.json()["sipPhones"][0]["_id"] == phone.id
