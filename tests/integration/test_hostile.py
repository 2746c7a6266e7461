"""The hostile corpus (tests/hostile/) through every output: nothing executable survives.

HTML is parsed as browsers parse it (html5lib, WHATWG), feeds as XML without entities;
escaped HTML inside feeds and JSON is unescaped and parsed again. The widget's side is
widget/test/suite.mjs ("never runs anything from the hostile corpus").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
from lxml import etree
from starlette.testclient import TestClient

from helpers import fixed_clock
from smartmed.app import create_app
from smartmed.content.loader import check
from smartmed.settings import Settings

HERE = Path(__file__).resolve().parents[1]
HOSTILE = HERE / "hostile"
INVALID = HERE / "hostile_invalid"
TODAY = dt.date(2026, 11, 27)
DAYS = [TODAY - dt.timedelta(days=n) for n in range(8)]

FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math",
                  "base", "meta", "link", "form", "template", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcset", "ping", "cite"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def dangerous_url(value: str) -> bool:
    # What a browser strips before it reads a scheme: whitespace and control characters.
    cleaned = _INVISIBLE.sub("", value).lower()
    return cleaned.startswith(("javascript:", "data:", "vbscript:"))


def local(name: str) -> str:
    """html5lib names foreign elements and attributes {namespace}local."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[1]
    return name.rsplit("}", 1)[-1].lower()


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def problems(markup: str, *, fragment: bool = True,
             allowed_scripts: tuple[str, ...] = ()) -> list[str]:
    """Everything executable in some HTML; allowed_scripts: src prefixes of the page's own."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    tree = parse(markup, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment: inert
        tag = local(element.tag)
        if element.tag.startswith("{"):
            found.append(f"foreign element <{tag}>")
        attrs = {local(k): v for k, v in element.attrib.items()}
        own = tag == "script" and attrs.get("src", "").startswith(allowed_scripts or ("\0",)) \
            and not (element.text or "").strip()
        own_css = tag == "link" and attrs.get("href", "").startswith("/static/") and \
            attrs.get("rel") == "stylesheet" and not fragment
        page_meta = tag == "meta" and not fragment and "http-equiv" not in attrs
        alternate = tag == "link" and not fragment and attrs.get("rel") in {
            "alternate", "canonical", "icon", "apple-touch-icon"}
        own_form = tag == "form" and not fragment and attrs.get("action") == "/"
        # Structured data: a data block browsers never run, allowed only while it is whole
        # JSON (hostile text that closed the element early would leave it broken).
        data_block = tag == "script" and not fragment and not attrs.get("src") and \
            attrs.get("type") == "application/ld+json" and is_json(element.text or "")
        if tag in FORBIDDEN_TAGS and not (own or own_css or page_meta or alternate or own_form
                                          or data_block):
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                found.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and "javascript:" in value.lower():
                found.append(f"<{tag} style>")
    return found


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Settings(content_dir=HOSTILE, access_log=False, reload_interval=0),
                     clock=fixed_clock())
    with TestClient(app) as client:
        yield client


def slugs() -> list[str]:
    return sorted(p.stem for p in (HOSTILE / "articles").glob("*.md"))


def test_the_corpus_is_valid_content() -> None:
    library, report = check(HOSTILE, today=TODAY)
    assert library is not None, [str(p) for p in report.problems]
    assert len(library.articles) == 5
    assert {t.id for t in library.tips} >= {"hostile-script", "hostile-link", "hostile-bidi"}


def test_the_corpus_really_is_hostile() -> None:
    """The detector finds what the raw corpus carries: a test that cannot fail proves nothing."""
    raw = (HOSTILE / "articles" / "svg-and-mathml.md").read_text()
    assert problems(raw)
    assert problems((HOSTILE / "articles" / "script-and-style.md").read_text())
    assert dangerous_url("java\tscript:x") and dangerous_url(" JAVASCRIPT:x")
    assert dangerous_url("java\u200bscript:x") and not dangerous_url("https://x.example")


# -- JSON -----------------------------------------------------------------------------

URL_KEYS = {"url", "api_url", "href", "src", "latest", "home_page_url", "feed_url",
            "external_url", "image", "icon"}


def json_problems(doc: Any, where: str = "$") -> list[str]:
    found = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            here = f"{where}.{key}"
            if isinstance(value, str) and (key == "html" or key == "content_html"):
                found += [f"{here}: {p}" for p in problems(value)]
            elif isinstance(value, str) and key in URL_KEYS:
                if not value.startswith(("https://", "http://", "/")):
                    found.append(f"{here}: not an http(s) or local URL: {value[:60]!r}")
            else:
                found += json_problems(value, here)
    elif isinstance(doc, list):
        for n, value in enumerate(doc):
            found += json_problems(value, f"{where}[{n}]")
    return found


def api_urls() -> list[str]:
    urls = ["/v1/topics", "/v1/articles?limit=50", "/v1/articles?partner=hostile-partner",
            "/v1/articles?topic=calm"]
    for slug in slugs():
        urls += [f"/v1/articles/{slug}", f"/v1/articles/{slug}?partner=hostile-partner"]
    for day in DAYS:
        urls += [f"/v1/tips/{day}", f"/v1/tips/{day}?topic=hostile",
                 f"/v1/tips/{day}?partner=hostile-partner"]
    return urls


def test_json_carries_only_sanitized_html_and_safe_urls(client: TestClient) -> None:
    texts = set()
    for url in api_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-content-type-options"] == "nosniff"
        doc = response.json()
        assert json_problems(doc) == [], url
        texts.add(json.dumps(doc, ensure_ascii=False))
    joined = "\n".join(texts)
    # The payloads are still there, as text for the widget to insert as text.
    assert "<script>window.__smartmedPwned=1</script>" in joined
    assert "\u202e" in joined, "bidi characters are kept as written, not silently lost"


def test_the_embed_code_names_only_the_widget_script(client: TestClient) -> None:
    response = client.get("/configurator/code?kind=articles&partner=hostile-partner&topic=calm")
    assert response.status_code == 200
    code = response.json()["code"]
    src = client.get("/widget.json").json()["src"]
    assert problems(code, allowed_scripts=(src,)) == []
    assert code.count("<script") == 1


# -- feeds ----------------------------------------------------------------------------

FEEDS = [f"/feeds/{name}.{fmt}" for name in ("tips", "articles", "topics/hostile", "topics/calm")
         for fmt in ("rss", "atom", "json")]
ATOM = "{http://www.w3.org/2005/Atom}"
ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
SAFE_NAMESPACES = {"", "http://www.w3.org/2005/Atom", "http://purl.org/rss/1.0/modules/content/",
                   "http://purl.org/dc/elements/1.1/", "http://www.w3.org/XML/1998/namespace"}


def xml_problems(body: bytes) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(body, parser)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            found.append(f"XML node {element!r}")  # a processing instruction or comment
            continue
        namespace = element.tag[1:].split("}")[0] if element.tag.startswith("{") else ""
        if namespace not in SAFE_NAMESPACES:
            found.append(f"element in {namespace}")
        for name, value in element.attrib.items():
            short = local(name)
            if short.startswith("on"):
                found.append(f"{element.tag} {name}")
            if short in URL_ATTRIBUTES and dangerous_url(value):
                found.append(f"{element.tag} {name}={value[:40]!r}")
        tag = local(element.tag)
        if tag in {"link", "guid", "id", "comments"} and element.text and dangerous_url(
                element.text):
            found.append(f"<{tag}> {element.text[:40]!r}")
        # Escaped HTML a reader will render: unescaped by the XML parser, parsed again.
        is_html = element.tag in {"description", ENCODED} or (
            element.tag in {f"{ATOM}content", f"{ATOM}summary", f"{ATOM}title"}
            and element.get("type") == "html")
        if is_html and element.text:
            found += [f"<{tag}>: {p}" for p in problems(element.text)]
    return found


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_carry_nothing_executable(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    if url.endswith(".json"):
        doc = response.json()
        assert doc["items"], "the feed is not empty"
        assert json_problems(doc) == []
    else:
        assert b"<!DOCTYPE" not in response.content and b"<!ENTITY" not in response.content
        assert xml_problems(response.content) == []


# -- pages ----------------------------------------------------------------------------

def page_urls() -> list[str]:
    urls = ["/", "/?kind=articles&partner=hostile-partner&topic=hostile&theme=dark",
            "/articles", "/topics", "/topics/hostile", "/topics/calm", "/tips",
            "/articles/%3Cscript%3Ewindow.__smartmedPwned=1%3C%2Fscript%3E",
            "/topics/%3Cimg%20src=x%20onerror=alert(1)%3E", "/tips/%3Csvg%20onload=alert(1)%3E",
            "/?kind=%3Cscript%3Ealert(1)%3C/script%3E"]
    urls += [f"/articles/{slug}" for slug in slugs()]
    urls += [f"/tips/{day}" for day in DAYS]
    return urls


@pytest.mark.parametrize("url", page_urls())
def test_pages_carry_nothing_executable(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in {200, 400, 404}, url
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    widget = client.get("/widget.json").json()
    path = "/" + widget["src"].rsplit("/", 1)[1]
    own = ("/static/", path, widget["src"], widget["latest"])
    assert problems(response.text, fragment=False, allowed_scripts=own) == []
    assert "window.__smartmedPwned=1</script>" not in response.text


# -- refused content ------------------------------------------------------------------

@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    """hostile_invalid/ plus what git cannot hold or should not: a file over the size limit,
    a directory and a dangling link named like articles."""
    root = tmp_path / "content"
    shutil.copytree(INVALID, root)
    (root / "articles" / "oversized.md").write_text(
        (HOSTILE / "articles" / "urls.md").read_text() + "\n" + "padding " * 40_000)
    (root / "articles" / "a-directory.md").mkdir()
    os.symlink(tmp_path / "nowhere", root / "articles" / "dangling.md")
    return root


EXPECTED = [
    "articles/oversized.md:1: file: is ",
    "articles/a-directory.md:1: file: is not a regular file",
    "articles/dangling.md:1: file: is not a regular file",
    "articles/not-utf8.md:",
    "articles/control-character.md:",
    "articles/python-tag.md:",
    "articles/unclosed.md:1: front matter: has no closing line '---'",
    "tips/deep.yaml:1: yaml: invalid YAML: exceeded maximum nesting depth",
    "tips/aliases.yaml:",
    "partners.yaml:",
]


def test_invalid_content_is_refused_by_smartmed_check_with_messages(invalid: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTMED_")}
    result = subprocess.run([sys.executable, "-m", "smartmed", "check", str(invalid),
                             "--today", TODAY.isoformat()], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith(f"{invalid} is not valid")
    for expected in EXPECTED:
        assert f"content/{expected}" in result.stderr, expected
    assert "javascript:" in result.stderr, "the partner's javascript: origin is named"
    assert len(result.stderr) < 20_000, "messages stay short, even for an alias bomb"
