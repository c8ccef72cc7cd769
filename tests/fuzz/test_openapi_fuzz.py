"""Schemathesis over the gateway's merged OpenAPI: every operation, valid and invalid input, a fixed seed.

No answer may be a 5xx, and every answer must be one of the operation's documented statuses, in a
documented content type, with a body and headers matching the documented schema. The run is bounded
(max-examples per operation and phase) so the whole of it takes a minute or two on a small machine.
"""
from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from gateway.testing import ADMIN

pytestmark = pytest.mark.slow

# CI runs the same bounded cases every time; a longer hunt on one's own machine changes these two
# (e.g. ERDM_FUZZ_EXAMPLES=200 ERDM_FUZZ_SEED=7), and a failure found so replays with the same values.
SEED = int(os.environ.get("ERDM_FUZZ_SEED", "20240601"))
MAX_EXAMPLES = int(os.environ.get("ERDM_FUZZ_EXAMPLES", "12"))

CONFIG = {
    "seed": SEED,
    "headers": ADMIN,
    "generation": {
        "mode": "all",  # positive and negative
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,  # hypothesis' derandomize: the same cases on every run, here and in CI
        "database": "none",  # no example database replayed from an earlier run
        # The key comes from `headers`; random bearer tokens would only ever meet the gateway's 401.
        "with-security-parameters": False,
    },
    # Examples, boundary values (coverage) and random cases; stateful sequences are left to the flow tests.
    "phases": {"stateful": {"enabled": False}},
}


@schemathesis.check
def admin_is_never_refused(ctx, response, case) -> None:
    """401 and 403 are documented for other callers, but the admin's key must always pass: a 401 here
    means a service could not verify what the gateway signed (e.g. a path it encodes differently)."""
    same_method = case.method.upper() == case.operation.method.upper()  # not a probe with another method
    # Signing in ignores the key: its 401 is about the username and password in the body.
    signing_in = (case.method.upper(), case.operation.path) == ("POST", "/api/v1/sessions")
    if same_method and not signing_in and response.status_code in (401, 403):
        raise AssertionError(f"the admin key was refused: {response.status_code} {response.text[:300]}")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, admin_is_never_refused]


def _sometimes_real(values: dict[str, Any] | None, ids: dict[str, list[str]]) -> st.SearchStrategy:
    """`values` as generated, or with each field that names a seeded object (and the first entry of each
    list of lines) pointing at a real one, so the code past "not found" is fuzzed too."""
    if not isinstance(values, dict):
        return st.just(values)

    def real(container: dict, pick: int) -> dict:
        swapped = {name: ids[name][pick % len(ids[name])] if name in ids else value
                   for name, value in container.items()}
        for name, value in swapped.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                swapped[name] = [real(value[0], pick), *value[1:]]
        return swapped

    return st.sampled_from([values, real(values, 0), real(values, 1)])


@pytest.fixture(scope="module")
def merged_schema(fuzz_stack, seeded_ids):
    app, _client = fuzz_stack
    config = SchemathesisConfig.from_dict(CONFIG)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config, headers=ADMIN)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        return _sometimes_real(path_parameters, seeded_ids)

    @schema.hook
    def flatmap_query(context, query):
        return _sometimes_real(query, seeded_ids)

    @schema.hook
    def flatmap_body(context, body):
        return _sometimes_real(body, seeded_ids)

    return schema


schema = schemathesis.pytest.from_fixture("merged_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    # schemathesis 4.32 reads and rewrites `node._nodeid`, which pytest 9.2 replaced by a structured id;
    # a plain attribute on this one node lets it run (its per-operation reports use subtest labels anyway).
    request.node._nodeid = request.node.nodeid


@schema.parametrize()
def test_every_operation_answers_as_documented(case):
    case.call_and_validate(checks=CHECKS)
