"""Accept-Encoding with weights: gzip only where the client's header allows it (RFC 9110).

The same table runs through the real nginx in tests/test_nginx_hardening.py.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

# Accept-Encoding -> whether the answer is gzipped
CASES = [
    ("gzip", True),
    ("gzip, deflate, br", True),
    ("GZIP; Q=1", True),
    ("gzip;q=0.5", True),
    ("*", True),
    ("identity, *;q=0.1", True),
    ("gzip;q=0", False),
    ("gzip; q=0.000", False),
    ("identity, gzip;q=0", False),
    ("*;q=0", False),
    ("*, gzip;q=0", False),
    ("gzip;q=0, *", False),
    ("identity", False),
    ("x-gzip", False),
    ("deflate, br", False),
    ("gzip;q=2", False),  # not a weight: the plain body is always safe
    ("gzip;q=١", False),  # Arabic-Indic one: weights are ASCII digits
]


@pytest.mark.parametrize(("accept", "gzipped"), CASES)
@pytest.mark.parametrize("path", ["/v1/articles/sleep-better", "/articles", "/feeds/tips.rss"])
def test_the_app_honours_weights(client: TestClient, accept: str, gzipped: bool,
                                 path: str) -> None:
    with client.stream("GET", path, headers={"accept-encoding": accept.encode()}) as response:
        assert response.status_code == 200
        assert (response.headers.get("content-encoding") == "gzip") is gzipped, accept
        assert "accept-encoding" in response.headers["vary"].lower()
