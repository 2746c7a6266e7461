import hashlib
from pathlib import Path

import lxml.html
from starlette.testclient import TestClient

from smartmed.catalog.assets import Assets


def test_assets_get_content_hashed_urls(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body{}")
    (tmp_path / "notes.txt").write_text("not served")
    assets = Assets(tmp_path)
    digest = hashlib.sha256(b"body{}").hexdigest()[:10]
    assert assets.url("site.css") == f"/static/site.{digest}.css"
    assert assets.find(f"site.{digest}.css") is not None
    assert assets.find("notes.txt") is None


def test_the_pages_stylesheet_is_served_immutable_with_its_type(client: TestClient) -> None:
    href = lxml.html.fromstring(client.get("/articles").text).xpath(
        "//link[@rel='stylesheet']/@href")[0]
    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "prefers-color-scheme: dark" in response.text
    again = client.get(href, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_configurator_script_is_javascript(client: TestClient) -> None:
    src = next(s for s in lxml.html.fromstring(client.get("/").text).xpath("//script/@src")
               if s.startswith("/static/"))
    response = client.get(src)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"


def test_an_unknown_or_stale_asset_is_404(client: TestClient) -> None:
    response = client.get("/static/site.0000000000.css")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
