"""Schemathesis fuzzes every documented operation in-process: valid and invalid parameters,
a bounded number of examples each, derandomized so a red run always reproduces."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from helpers import fixed_clock
from smartmed.app import create_app
from smartmed.settings import Settings

# The bundled content, as served in production; a fixed day so that examples such as
# /v1/tips/2026-11-27 find a tip.
APP = create_app(Settings(access_log=False, reload_interval=0), clock=fixed_clock())
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@SCHEMA.parametrize()
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_operation_survives_generated_requests(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
