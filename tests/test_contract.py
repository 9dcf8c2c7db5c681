"""Contract fuzzing of the sandbox's OpenAPI document (schemathesis), over HTTP.

Bounded: a fixed number of derandomized examples per operation. Checks: the
sandbox never answers a 5xx to generated input, every error is a JSON body with
its status and a detail, and every operation of the document was exercised.
"""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from sevensenders_sandbox import DEFAULT_ACCESS_KEY

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def bearer(sandbox):
    token = requests.post(
        sandbox.base_url + "/token", json={"access_key": DEFAULT_ACCESS_KEY}, timeout=5
    ).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.contract
def test_sandbox_openapi_contract(sandbox, bearer):
    schema = schemathesis.openapi.from_url(sandbox.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    seen = {}
    failures = []

    def make_check(operation):
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case):
            response = case.call(headers=bearer, timeout=10)
            seen[operation.label] = seen.get(operation.label, 0) + 1
            if response.status_code >= 500:
                failures.append(
                    (operation.label, case.path_parameters, response.text[:200])
                )
            elif response.status_code >= 400:
                body = response.json()
                assert body["status"] == response.status_code and body["detail"], body

        return exercise

    for operation in operations:
        make_check(operation)()
    assert not failures, failures[:5]
    assert set(seen) == {op.label for op in operations}
