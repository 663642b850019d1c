"""The two search paths agree: the same phones and filters give the same ids on SQLite
(FTS5 trigram, short terms by scan) and on PostgreSQL (pg_trgm), against a plain Python
model of the rule (issue 5's differential test)."""

import secrets
import string

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.factory import Factory
from pbxapi.app import create_app
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.db.migrate import upgrade
from pbxapi.sipphones.search import mac_term

# Text drawn from a small alphabet, so that terms often hit: Danish letters, a digit,
# LIKE metacharacters, quotes and separators.
ALPHABET = "abæøåÆØÅ1:-._%'\"" + "AB"
words = st.text(alphabet=ALPHABET, min_size=1, max_size=5)
NAME_LETTERS = string.ascii_letters + "æøåÆØÅ "


@pytest.fixture(scope="module")
def both(sqlite_database_url, postgresql_database_url):
    """An app and a factory on each database (already migrated, or migrated here)."""
    sides = []
    for url in (sqlite_database_url, postgresql_database_url):
        upgrade(url)
        engine = create_db_engine(url)
        app = create_app(Settings(database_url=url), engine=engine)
        sides.append((Factory(make_session_factory(engine)), TestClient(app)))
    yield sides
    for factory, client in sides:
        client.close()
        factory.session_factory.kw["bind"].dispose()


def expected(phones: list[dict], terms: list[str]) -> list[str]:
    """The rule itself, in Python: every term in some field (MAC by its MAC form)."""

    def matches(phone, term):
        texts = [phone["notes"], phone["employee"], phone["ip"]]
        return mac_term(term) in phone["mac"] or any(term.lower() in t.lower() for t in texts)

    return sorted(p["id"] for p in phones if all(matches(p, term) for term in terms))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    notes=st.lists(st.text(alphabet=ALPHABET + " ", max_size=20), min_size=1, max_size=6),
    names=st.lists(
        st.text(alphabet=string.ascii_letters + "æøåÆØÅ ", max_size=12), min_size=1, max_size=6
    ),
    terms=st.lists(words, min_size=1, max_size=3),
)
def test_both_databases_find_what_the_rule_says(both, notes, names, terms):
    # The same MACs on both sides, unique across examples, made of hex digits the
    # alphabet above does not hold (so MAC hits are the rule's, not chance).
    macs = ["".join(secrets.choice("23456789CDEF") for _ in range(10)) + f"{n:02d}"
            for n in range(len(notes))]  # fmt: skip
    answers = []
    for factory, client in both:
        customer = factory.customer()
        token = factory.login(customer, AccessLevel.VIEWER)
        phones = []
        for n, note in enumerate(notes):
            employee = factory.employee(customer, name=names[n % len(names)])
            extension = factory.extension(customer, str(100 + n), employee_id=employee)
            phone = factory.phone(
                customer, notes=note, extension_id=extension, ip_address=f"10.0.{n}.1",
                mac_address=macs[n],
            )  # fmt: skip
            phones.append({"id": phone.id, "notes": note, "employee": names[n % len(names)],
                           "ip": f"10.0.{n}.1", "mac": phone.mac_address})  # fmt: skip
        response = client.get("/pbx/sipphone", params={"filter": " ".join(terms), "limit": 1000},
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert response.status_code == 200, response.text
        found = sorted(p["_id"] for p in response.json()["sipPhones"])
        assert found == expected(phones, terms)
        # ids differ per database; compare positions in creation order
        answers.append([phones.index(next(p for p in phones if p["id"] == i)) for i in found])
    assert answers[0] == answers[1]
