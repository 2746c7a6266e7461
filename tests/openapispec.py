"""Real responses checked against /openapi.json: shared by the tests of several routes."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from smartmed.web.openapi import SPEC


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    # $refs point into the description's components: validate inside a copy of it.
    root = {**schema, "components": SPEC["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def response_spec(path: str, status: int) -> dict[str, Any]:
    responses = SPEC["paths"][path]["get"]["responses"]
    assert str(status) in responses, f"{path}: {status} is not documented"
    found = responses[str(status)]
    if "$ref" in found:
        found = SPEC["components"]["responses"][found["$ref"].rsplit("/", 1)[1]]
    return found
