"""schemathesis against the published OpenAPI description, in-process, on both databases:
no 500, every answer matches its documented schema, status code and content type, and
405s name the right methods.

Not yet checked (issue 5): `negative_data_rejection`, because schemathesis counts unknown
query parameters as invalid while the API documents that they are ignored; and
`positive_data_acceptance`, because rules across fields and records (a model's handset
capacity, an unknown parent customer) rightly refuse some schema-valid bodies.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks

from pbxapi.auth.levels import AccessLevel


@pytest.fixture(scope="session")
def admin_token(engine) -> str:
    from pbxapi.db.engine import make_session_factory
    from tests.factory import Factory

    factory = Factory(make_session_factory(engine))
    return factory.login(factory.customer(name="Fuzz operator"), AccessLevel.ADMIN)


def test_the_api_keeps_its_published_contract(app, admin_token):
    # Operations are walked here rather than through schemathesis' pytest plugin, whose
    # fixture support does not run on this pytest; each still gets its own Hypothesis run.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        def keeps_contract(case):
            case.call_and_validate(
                headers={"Authorization": f"Bearer {admin_token}"},
                excluded_checks=[checks.negative_data_rejection, checks.positive_data_acceptance],
            )

        keeps_contract()
