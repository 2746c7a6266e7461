"""http/partners.py: the CORS headers of error answers are those of the success answer."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

CALM = "https://calm.example.com"
OPEN = "https://open.example.org"


def _cors(response: object) -> tuple[str | None, str | None]:
    headers = response.headers
    return headers.get("access-control-allow-origin"), headers.get("vary")


@pytest.mark.parametrize(("ok", "error", "status"), [
    # a bad tz (400) and a bad lang (400: the widget's guessed page language)
    ("/v1/tips/today?partner=calm-clinic", "/v1/tips/today?partner=calm-clinic&tz=Mars/Base",
     400),
    ("/v1/tips/today?partner=calm-clinic", "/v1/tips/today?partner=calm-clinic&lang=xx", 400),
    # an unknown slug, topic, date (404)
    ("/v1/articles/sleep-better?partner=calm-clinic", "/v1/articles/nope?partner=calm-clinic",
     404),
    ("/v1/articles?partner=calm-clinic", "/v1/articles?partner=calm-clinic&topic=nope", 404),
    ("/v1/tips/2026-11-27?partner=calm-clinic", "/v1/tips/2099-01-01?partner=calm-clinic", 404),
    ("/v1/articles?partner=calm-clinic", "/v1/articles?partner=calm-clinic&limit=0", 400),
])
def test_an_allowed_partner_origin_can_read_the_error(client: TestClient, ok: str, error: str,
                                                      status: int) -> None:
    success = client.get(ok, headers={"Origin": CALM})
    failure = client.get(error, headers={"Origin": CALM})
    assert success.status_code == 200
    assert failure.status_code == status, failure.text
    assert _cors(failure)[0] == _cors(success)[0] == CALM
    # The same Vary, but for Accept-Language: an error's words do not depend on it.
    varies = {v.strip() for v in (_cors(failure)[1] or "").split(",")}
    assert varies == {v.strip() for v in (_cors(success)[1] or "").split(",")} - {
        "Accept-Language"}
    assert "Origin" in varies
    assert failure.headers["cache-control"] == "no-store"
    assert failure.json()["error"]["code"]


@pytest.mark.parametrize("path", ["/v1/tips/today?tz=Nowhere", "/v1/articles/nope",
                                  "/v1/topics?lang=xx", "/v1/help?country=zz",
                                  "/feeds/topics/nope.rss", "/de/feeds/nope.rss"])
def test_a_public_error_is_as_readable_as_a_public_answer(client: TestClient,
                                                          path: str) -> None:
    response = client.get(path, headers={"Origin": "https://any.example"})
    assert response.status_code in (400, 404)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Origin" in response.headers["vary"]


@pytest.mark.parametrize(("path", "status"), [
    ("/v1/articles/nope?partner=calm-clinic", 403),  # the partner check comes first
    ("/v1/tips/today?partner=calm-clinic&lang=xx", 403),
    # tz is read before the partner (as before): a 400, but just as unreadable
    ("/v1/tips/today?partner=calm-clinic&tz=Mars/Base", 400),
])
def test_a_foreign_origin_still_gets_an_error_it_cannot_read(client: TestClient, path: str,
                                                            status: int) -> None:
    for origin in ("https://evil.example", OPEN, "null"):
        response = client.get(path, headers={"Origin": origin})
        assert response.status_code == status, (path, origin)
        assert "access-control-allow-origin" not in response.headers
        assert "Origin" in response.headers["vary"]


@pytest.mark.parametrize("path", [
    "/v1/articles?partner=nobody&topic=nope",  # an unknown partner: no answer to match
    "/v1/articles?partner=calm-clinic&partner=open-partner",  # which one? neither
    "/v1/partners/calm-clinic/stats",  # a secret's API: its answers carry no CORS either
    "/v1/nothing-here",  # no route
])
def test_errors_whose_success_carries_no_cors_carry_none(client: TestClient,
                                                         path: str) -> None:
    response = client.get(path, headers={"Origin": CALM})
    assert response.status_code >= 400
    assert "access-control-allow-origin" not in response.headers


def test_the_edge_still_owns_the_security_headers_of_errors(client: TestClient) -> None:
    """One owner per policy: CORS comes from http/partners, the rest from the edge."""
    response = client.get("/v1/articles/nope?partner=calm-clinic", headers={"Origin": CALM})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
