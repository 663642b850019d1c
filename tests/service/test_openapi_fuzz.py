"""schemathesis against the published OpenAPI description, in-process, on both databases,
every operation, with valid and with invalid requests: no 500; every answer matches its
documented schema, status code and content type; 405s name the right methods; a request
the description forbids is refused (`negative_data_rejection`) and one it allows is
accepted (`positive_data_acceptance`: 2xx, or 401/403/404/409, never a 400).

Two deliberate limits:
- Unknown query parameters are ignored, as issue 2 decided; OpenAPI has no way to say
  so (schemathesis reads a query as an object without additional properties), so invalid
  requests whose only fault is an unknown query parameter are not generated here.
- `positive_data_acceptance` is off for the operations in RULES_ACROSS_FIELDS: they refuse
  some schema-valid bodies with a documented 400 because a rule spans fields or records
  that JSON Schema cannot express (a softkey index within the model's softkey count, LOCKED
  needing an address, a DECT handset staying on its base, multipleHandsets agreeing with
  extensions, a phone model in use). Unknown ids in a body are 404, which the check accepts.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from pbxapi.auth.levels import AccessLevel

# per operation and run; PBXAPI_FUZZ_EXAMPLES=200 for a deeper search by hand
EXAMPLES = int(os.environ.get("PBXAPI_FUZZ_EXAMPLES", "15"))

RULES_ACROSS_FIELDS = {
    "POST /pbx/sipphone",
    "POST /pbx/sipphone/{id}",
    "POST /pbx/sipphonemodels",
    "POST /pbx/sipphonemodels/{id}",
}


@pytest.fixture(scope="session")
def admin_token(engine) -> str:
    from harness.factory import Factory
    from pbxapi.db.engine import make_session_factory

    factory = Factory(make_session_factory(engine))
    return factory.login(factory.customer(name="Fuzz operator"), AccessLevel.ADMIN)


def declared_query(app, operation) -> set[str]:
    described = app.openapi()["paths"][operation.path][operation.method.lower()]
    return {p["name"] for p in described.get("parameters", []) if p["in"] == "query"}


def fuzz(app, operation, mode: GenerationMode, token: str, examples: int) -> None:
    """One Hypothesis run of one operation."""
    excluded = []
    if operation.label in RULES_ACROSS_FIELDS:
        excluded.append(checks.positive_data_acceptance)
    known = declared_query(app, operation)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def keeps_contract(case):
        assume(not set(case.query or {}) - known)  # ignored by design, see above
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded
        )

    keeps_contract()


def fuzz_every_operation(app, token: str, mode: GenerationMode, examples: int) -> None:
    # Operations are walked here rather than through schemathesis' pytest plugin, whose
    # fixture support does not run on this pytest; each still gets its own Hypothesis run.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        fuzz(app, operation, mode, token, examples)


def test_valid_requests_keep_the_published_contract(app, admin_token):
    fuzz_every_operation(app, admin_token, GenerationMode.POSITIVE, EXAMPLES)


# Invalid requests are refused before the database is asked: one database is enough.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_invalid_requests_are_refused_as_published(app, admin_token):
    fuzz_every_operation(app, admin_token, GenerationMode.NEGATIVE, EXAMPLES)


# --- what the fuzzing above may miss in a few examples, checked exhaustively ------------


def write_body_strings(app):
    """(schema name, property, string schema) of every text a request body takes."""
    schemas = app.openapi()["components"]["schemas"]
    todo = []
    for path in app.openapi()["paths"].values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema", {})
            if "$ref" in body:
                todo.append(body["$ref"].rsplit("/", 1)[1])
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for prop, schema in schemas[name].get("properties", {}).items():
            for branch in [schema, *schema.get("anyOf", []), schema.get("items", {})]:
                if "$ref" in branch:
                    todo.append(branch["$ref"].rsplit("/", 1)[1])
                if branch.get("type") == "string":
                    yield name, prop, {**schema, **branch}


def test_every_text_input_publishes_that_nul_is_refused(app):
    import re

    strings = list(write_body_strings(app))
    assert len(strings) > 40
    for name, prop, schema in strings:
        if "enum" in schema or "format" in schema:
            continue
        assert "pattern" in schema, (name, prop)
        assert not re.search(schema["pattern"], "a\x00b"), (name, prop)


@pytest.mark.parametrize(
    "sent",
    ["4ee8a34b56f3", "4E:E8:A3:4B:56:F3", "4e-e8-a3-4b-56-f3", "4ee8.a34b.56f3",
     "4e e8 a3 4b 56 f3", ":4ee8a34b56f3.", "4EE8A34B56F", "4EE8A34B56F3A", "4EE8A34B56G3",
     "4EE8A34B56F3\t", "4EE8A34B56F3\n", "4E_E8_A3_4B_56_F3", "", "٤EE8A34B56F3"],
)  # fmt: skip
def test_the_published_mac_pattern_is_the_rule(app, sent):
    """The description's pattern accepts exactly what the API accepts."""
    import re

    from pydantic import ValidationError

    from pbxapi.sipphones.inputs import SipPhoneUpdate

    schema = app.openapi()["components"]["schemas"]["SipPhoneUpdate"]["properties"]["macAddress"]
    published = re.search(schema["pattern"], sent) is not None
    try:
        SipPhoneUpdate.model_validate({"macAddress": sent})
        accepted = True
    except ValidationError:
        accepted = False
    assert published == accepted
