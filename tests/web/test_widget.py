"""Serving the widget script: /widget.js, the immutable hashed URL, SRI and the size budget."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from smartmed.content import bundled
from smartmed.web.widget import WidgetAsset, WidgetError, load_widget

BUDGET_GZIP_BYTES = 6 * 1024


def widget_of(app: Starlette) -> WidgetAsset:
    widget: WidgetAsset = app.state.widget
    return widget


def test_widget_js_is_served_with_a_short_cache_and_cross_origin_headers(
        client: TestClient, app: Starlette) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"].startswith('"')
    assert response.content == widget_of(app).payload.body


def test_widget_js_is_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    response = client.get("/widget.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]


def test_widget_js_answers_a_matching_etag_with_304(client: TestClient) -> None:
    etag = client.get("/widget.js").headers["etag"]
    response = client.get("/widget.js", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.headers["etag"] == etag
    assert response.content == b""


def test_the_hashed_url_is_immutable_and_serves_the_same_bytes(
        client: TestClient, app: Starlette) -> None:
    widget = widget_of(app)
    assert widget.path.startswith("/widget.") and widget.path.endswith(".js")
    response = client.get(widget.path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.content == client.get("/widget.js").content


def test_the_integrity_hash_matches_the_served_bytes(client: TestClient, app: Starlette) -> None:
    served = client.get(widget_of(app).path).content
    expected = "sha384-" + base64.b64encode(hashlib.sha384(served).digest()).decode()
    assert widget_of(app).integrity == expected


def test_the_embed_info_names_the_immutable_url_and_its_integrity(
        client: TestClient, app: Starlette) -> None:
    response = client.get("/widget.json")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    widget = widget_of(app)
    assert response.json() == {
        "src": "https://service.example" + widget.path,
        "integrity": widget.integrity,
        "crossorigin": "anonymous",
        "latest": "https://service.example/widget.js",
    }


@pytest.mark.parametrize("path", ["/widget.0123456789ab.js", "/widget.nothex.js"])
def test_a_wrong_hash_is_404_naming_the_current_script(
        client: TestClient, app: Starlette, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert widget_of(app).path in error["message"]


def test_the_served_script_fits_the_6kb_gzip_budget(client: TestClient) -> None:
    served = client.get("/widget.js", headers={"accept-encoding": "identity"}).content
    size = len(gzip.compress(served, 9))
    assert size <= BUDGET_GZIP_BYTES, f"widget.js is {size} bytes gzipped"


def test_the_served_script_is_minified_but_keeps_its_banner() -> None:
    # widget/smartmed-widget.js is esbuild's minified build of widget/src/ (its byte-exact
    # rebuild is checked by widget/test/build.test.mjs); rjsmin leaves it as it is.
    source = bundled.widget_script()
    widget = load_widget(source)
    assert widget.payload.body.startswith(b"/*! Smart Meditation reading widget")
    assert len(widget.payload.body) <= len(source.read_bytes())
    assert b"\n  " not in widget.payload.body
    assert source.read_bytes().count(b"\n") <= 2, "the checkout's file is the minified build"


def test_the_checkout_script_is_found() -> None:
    assert bundled.widget_script().name == "smartmed-widget.js"
    assert bundled.widget_script().is_file()


def test_a_missing_script_is_an_error_naming_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "widget.js"
    with pytest.raises(WidgetError, match=re.escape(str(missing))):
        load_widget(missing)


def test_a_new_script_gets_a_new_hashed_path(tmp_path: Path) -> None:
    one, two = tmp_path / "one.js", tmp_path / "two.js"
    one.write_text("/*! one */\nvar a = 1;\n", encoding="utf-8")
    two.write_text("/*! two */\nvar a = 2;\n", encoding="utf-8")
    assert load_widget(one).path != load_widget(two).path
    assert load_widget(one).path == load_widget(one).path
