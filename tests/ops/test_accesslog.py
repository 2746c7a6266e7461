"""Access log: one JSON object per line, route templates, no personal data; pure ASGI."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.testclient import TestClient

from helpers import fixed_clock
from smartmed.app import create_app
from smartmed.catalog.encoding import dumps
from smartmed.http.edge import Edge
from smartmed.ops.accesslog import LOGGER, JsonLineFormatter, partner_of
from smartmed.settings import Settings


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_each_request_is_one_json_line(content_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(Settings(content_dir=content_dir, reload_interval=0), clock=fixed_clock())
    with TestClient(app) as client:
        capsys.readouterr()
        response = client.get("/v1/tips/2026-11-27?partner=calm-clinic&lang=en",
                              headers={"user-agent": "Reader/1.0 (secret@example.com)"})
        client.get("/nothing/here?email=someone@example.com")
    assert response.status_code == 200
    out = capsys.readouterr().out
    first, second = lines(out)
    assert set(first) == {"time", "method", "route", "status", "duration_ms", "bytes",
                          "partner"}
    assert first["method"] == "GET"
    assert first["route"] == "/v1/tips/{date}"
    assert first["status"] == 200
    assert first["bytes"] == int(response.headers["content-length"])  # as sent (gzip)
    assert first["partner"] == "calm-clinic"
    assert first["duration_ms"] >= 0
    assert second["route"] == "unmatched" and second["status"] == 404
    for private in ("testclient", "Reader/1.0", "secret@", "someone@", "lang=en",
                    "/nothing/here", "2026-11-27?"):
        assert private not in out


def test_the_access_log_can_be_turned_off(content_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(Settings(content_dir=content_dir, reload_interval=0, access_log=False),
                     clock=fixed_clock())
    with TestClient(app) as client:
        assert client.get("/v1/topics").status_code == 200
    assert lines(capsys.readouterr().out) == []


@pytest.mark.parametrize(("query", "partner"), [
    (b"", None),
    (b"lang=en", None),
    (b"lang=en&partner=calm-clinic", "calm-clinic"),
    (b"partner=Calm%20Clinic", "invalid"),
    (b"partner=" + b"a" * 200, "invalid"),
    (b"partner=%0a%7B%22x%22", "invalid"),
    # "$" would match before the final newline and split the log line in two.
    (b"partner=forged-partner%0A", "invalid"),
    (b"partner=forged-partner%0D%0A", "invalid"),
])
def test_only_a_well_formed_partner_id_is_logged(query: bytes, partner: str | None) -> None:
    assert partner_of(query) == partner


def test_the_middleware_is_pure_asgi(content_dir: Path) -> None:
    app = create_app(Settings(content_dir=content_dir, reload_interval=0), clock=fixed_clock())
    classes = [m.cls for m in app.user_middleware]
    assert Edge in classes
    assert not any(isinstance(c, type) and issubclass(c, BaseHTTPMiddleware) for c in classes)


def test_the_log_goes_through_the_standard_logging_module(
        content_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An operator can filter or redirect the lines with logging's own configuration."""
    class Keep(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.routes: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.routes.append(json.loads(self.format(record))["route"])
    app = create_app(Settings(content_dir=content_dir, reload_interval=0), clock=fixed_clock())
    keep = Keep()
    keep.setFormatter(JsonLineFormatter())
    logger = logging.getLogger(LOGGER)
    logger.addHandler(keep)
    try:
        with TestClient(app) as client:
            client.get("/v1/topics")
    finally:
        logger.removeHandler(keep)
    assert keep.routes == ["/v1/topics"]
    assert [line["route"] for line in lines(capsys.readouterr().out)] == ["/v1/topics"]


def test_a_line_is_valid_json_whatever_it_holds() -> None:
    record = logging.makeLogRecord({"method": "GET", "route": '/a"b\\n', "status": 200,
                                    "duration_ms": 1.5, "bytes": 3, "partner": None,
                                    "created": 0.25, "msecs": 250.0})
    assert json.loads(JsonLineFormatter().format(record)) == {
        "time": "1970-01-01T00:00:00.250Z", "method": "GET", "route": '/a"b\\n',
        "status": 200, "duration_ms": 1.5, "bytes": 3, "partner": None}


def test_the_formatter_writes_what_dumps_writes_whatever_the_values() -> None:
    formatter = JsonLineFormatter()
    for values in ({"method": "POST", "route": "/v1/events", "status": 202,
                    "duration_ms": 0.25, "bytes": 0, "partner": None},
                   {"method": "GE\"T", "route": True, "status": float("nan"),
                    "duration_ms": 1e300, "bytes": [1], "partner": "é"}):
        record = logging.LogRecord(LOGGER, logging.INFO, __file__, 1, "", None, None)
        record.__dict__.update(values)
        line = formatter.format(record)
        doc = json.loads(line)
        assert line == dumps({"time": doc["time"], **values}).decode()
