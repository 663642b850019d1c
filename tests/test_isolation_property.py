"""Isolation as a property (issue 5): random reseller trees, callers of every level,
phones everywhere; every list, phone read, update, credential reset and delete reaches
exactly what the access rules allow, never one phone more, and what is refused stays
untouched."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbxapi.auth.levels import AccessLevel

LEVELS = [
    AccessLevel.VIEWER, AccessLevel.MANAGER, AccessLevel.OWNER, AccessLevel.RESELLER,
    AccessLevel.RESELLER_ADMIN, AccessLevel.ADMIN,
]  # fmt: skip


@st.composite
def worlds(draw):
    """parents[i] is the index of customer i's parent (None: top level); phones per customer;
    the caller's customer and level."""
    size = draw(st.integers(min_value=2, max_value=7))
    parents = [None]
    for i in range(1, size):
        parents.append(draw(st.one_of(st.none(), st.integers(min_value=0, max_value=i - 1))))
    phones = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size))
    caller = draw(st.integers(0, size - 1))
    level = draw(st.sampled_from(LEVELS))
    return parents, phones, caller, level


def reachable(parents: list, caller: int, level: AccessLevel) -> set[int]:
    if level is AccessLevel.ADMIN:
        return set(range(len(parents)))
    if not level.is_reseller:
        return {caller}
    below = {caller}
    changed = True
    while changed:
        changed = False
        for child, parent in enumerate(parents):
            if parent in below and child not in below:
                below.add(child)
                changed = True
    return below


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(world=worlds())
def test_every_caller_reaches_exactly_what_the_rules_allow(client, factory, world):
    parents, phone_counts, caller, level = world
    ids: list[str] = []
    for parent in parents:
        ids.append(factory.customer(parent=None if parent is None else ids[parent]))
    phones = {i: [factory.phone(ids[i]).id for _ in range(n)] for i, n in enumerate(phone_counts)}
    headers = {"Authorization": f"Bearer {factory.login(ids[caller], level)}"}
    allowed = reachable(parents, caller, level)

    for target, customer in enumerate(ids):
        response = client.get("/pbx/sipphone", params={"customer": customer, "limit": 1000},
                              headers=headers)  # fmt: skip
        if target in allowed:
            assert response.status_code == 200, (world, target)
            assert [p["_id"] for p in response.json()["sipPhones"]] == phones[target]
        else:
            assert response.status_code == 403, (world, target)
            assert response.json()["error"] == "access_denied"
        for phone in phones[target]:
            shown = client.get(f"/pbx/sipphone/{phone}", headers=headers)
            assert shown.status_code == (200 if target in allowed else 404), (world, phone)
    # without `customer`: the caller's own phones, exactly
    own = client.get("/pbx/sipphone", params={"limit": 1000}, headers=headers).json()
    assert [p["_id"] for p in own["sipPhones"]] == phones[caller]

    # writes: VIEWER writes nothing; the others write exactly the phones they reach
    writes = level is not AccessLevel.VIEWER
    for target, customer_phones in phones.items():
        expected = (200 if target in allowed else 404) if writes else 403
        for phone in customer_phones:
            changed = client.post(f"/pbx/sipphone/{phone}", json={"notes": "touched"},
                                  headers=headers)  # fmt: skip
            reset = client.get(f"/pbx/sipphone/{phone}/resetcredentials", headers=headers)
            deleted = client.delete(f"/pbx/sipphone/{phone}", headers=headers)
            assert (changed.status_code, reset.status_code, deleted.status_code) == (
                expected,
                expected,
                expected,
            ), (world, target)
    # what was refused is still there, untouched
    for target, customer_phones in phones.items():
        if writes and target in allowed:
            continue
        admin = {"Authorization": f"Bearer {factory.login(ids[target], AccessLevel.ADMIN)}"}
        for phone in customer_phones:
            kept = client.get(f"/pbx/sipphone/{phone}", headers=admin)
            assert kept.status_code == 200
            assert kept.json()["notes"] == ""
