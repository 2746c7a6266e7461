"""The favicon and the square icons feed readers show."""

from __future__ import annotations

import json
import struct

import lxml.etree
import lxml.html
from starlette.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


def _png_size(client: TestClient, url: str) -> tuple[int, int]:
    response = client.get(url.removeprefix("https://service.example"))
    assert response.status_code == 200, url
    assert response.headers["content-type"] == "image/png"
    body = response.content
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def test_favicon_ico_is_an_icon_not_a_404(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\0\0\1\0"  # ICONDIR: reserved, type 1 (icon)
    assert b"\x89PNG" in response.content


def test_every_page_links_its_icons(client: TestClient) -> None:
    for path in ["/", "/articles", "/topics", "/tips", "/articles/nope"]:
        page = lxml.html.fromstring(client.get(path).text)
        hrefs = page.xpath("//link[@rel='icon' or @rel='apple-touch-icon']/@href")
        assert "/favicon.ico" in hrefs, path
        assert all(client.get(href).status_code == 200 for href in hrefs), path


def test_rss_has_a_square_image_titled_and_linked_as_its_channel(client: TestClient) -> None:
    channel = lxml.etree.fromstring(client.get("/feeds/articles.rss").content).find("channel")
    image = channel.find("image")
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == channel.findtext("link")
    assert (image.findtext("width"), image.findtext("height")) == ("144", "144")
    assert _png_size(client, image.findtext("url")) == (144, 144)


def test_atom_has_a_square_icon_and_logo(client: TestClient) -> None:
    feed = lxml.etree.fromstring(client.get("/feeds/topics/sleep.atom").content)
    assert _png_size(client, feed.findtext(f"{ATOM}icon")) == (64, 64)
    assert _png_size(client, feed.findtext(f"{ATOM}logo")) == (512, 512)


def test_json_feed_has_icon_and_favicon(client: TestClient) -> None:
    feed = json.loads(client.get("/feeds/tips.json").content)
    assert _png_size(client, feed["icon"]) == (512, 512)
    assert _png_size(client, feed["favicon"]) == (64, 64)
