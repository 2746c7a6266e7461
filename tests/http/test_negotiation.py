"""Accept-Encoding with weights: gzip only where the client's header allows it (RFC 9110).

The same table runs through the real nginx in tests/integration/test_nginx_hardening.py.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from helpers import CASES  # Accept-Encoding -> whether the answer is gzipped


@pytest.mark.parametrize(("accept", "gzipped"), CASES)
@pytest.mark.parametrize("path", ["/v1/articles/sleep-better", "/articles", "/feeds/tips.rss"])
def test_the_app_honours_weights(client: TestClient, accept: str, gzipped: bool,
                                 path: str) -> None:
    with client.stream("GET", path, headers={"accept-encoding": accept.encode()}) as response:
        assert response.status_code == 200
        assert (response.headers.get("content-encoding") == "gzip") is gzipped, accept
        assert "accept-encoding" in response.headers["vary"].lower()
