"""Schemathesis against the HSDS API: every /api/hsds/ operation of /api/schema/,
positive and negative cases, all of Schemathesis's checks (no server errors, status
codes, content types and response bodies as documented, bad input rejected, good
input accepted, undeclared methods 405).

One refinement of "good input accepted": a filter that names a record which does not
exist (``area=nowhere``, an unknown ``taxonomy_term_id``) is a 400 naming the
parameter, as the API promises, and no OpenAPI schema can say which codes and ids
exist. So a 400 to schema-valid input passes only when its body names one of those
reference parameters; every other rejection of valid input still fails. (This is the
tuning Schemathesis recommends for "a rejection the schema can't express, such as an
unknown id", made narrower.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .hsds_world import plain_services, rich_service

# Parameters whose well-formed values may still name nothing that exists.
REFERENCE_PARAMETERS = frozenset(
    {"taxonomy_term_id", "taxonomy_id", "organization_id", "area", "target_group", "parent_id"}
)


pytestmark = pytest.mark.django_db

# Loaded when the module is collected: generating the schema reads no data.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).include(
    path_regex=r"^/api/hsds/"
)


@pytest.fixture
def demo_directory(settings: Any) -> Iterator[None]:
    # Demo data, so that lists have pages and nested records to check.
    rich_service()
    plain_services(4)
    # Hundreds of requests from one address: lift the rate limit for this test only.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"hsds": "1000000/min"},
    }
    cache.clear()
    # Schemathesis calls the WSGI app itself, whose request signals would close the
    # test's database connection (and its transaction) after every request; Django's
    # own test client disconnects them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def positive_data_acceptance_but_unknown_references(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    if (
        response.status_code == 400
        and case.meta is not None
        and case.meta.generation.mode.is_positive
    ):
        body = response.json()
        if isinstance(body, dict) and body.get("parameter") in REFERENCE_PARAMETERS:
            return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_hsds_api_conforms_to_its_schema(case: schemathesis.Case, demo_directory: None) -> None:
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_acceptance_but_unknown_references],
    )
