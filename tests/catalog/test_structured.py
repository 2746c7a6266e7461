"""Article pages' JSON-LD, read as a consumer reads it: expanded with PyLD, then checked
against schema.org's types and the types each property is defined on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import html as lxml_html
from pyld import jsonld
from starlette.testclient import TestClient

from helpers import ContentFactory, article, fixed_clock
from smartmed.app import create_app
from smartmed.settings import Settings

S = "https://schema.org/"
# A local copy of the context: tests never fetch anything. schema.org's own context maps
# every term to the schema.org vocabulary; "@vocab" is that mapping.
SCHEMA_CONTEXT = {"@context": {"@vocab": S}}
# From schema.org: each type's parent, and the types each property used is defined on
# (https://schema.org/lastReviewed and /reviewedBy: "Used on these types: WebPage").
PARENT = {"MedicalWebPage": "WebPage", "WebPage": "CreativeWork", "Article": "CreativeWork",
          "CreativeWork": "Thing", "Organization": "Thing", "Person": "Thing"}
DOMAIN = {
    "name": "Thing", "url": "Thing", "description": "Thing", "mainEntityOfPage": "Thing",
    "headline": "CreativeWork", "inLanguage": "CreativeWork", "author": "CreativeWork",
    "datePublished": "CreativeWork", "dateModified": "CreativeWork",
    "publisher": "CreativeWork", "citation": "CreativeWork",
    "lastReviewed": "WebPage", "reviewedBy": "WebPage", "jobTitle": "Person",
}


def load_document(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """PyLD's documentLoader option: schema.org's context, from memory."""
    if url.rstrip("/") not in {"https://schema.org", "http://schema.org"}:
        raise AssertionError(f"the page's JSON-LD asked for an unexpected context: {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": SCHEMA_CONTEXT}


def ancestors(kind: str) -> set[str]:
    found = {kind}
    while kind in PARENT:
        kind = PARENT[kind]
        found.add(kind)
    return found


def nodes(expanded: Any) -> Iterator[dict[str, Any]]:
    if isinstance(expanded, list):
        for item in expanded:
            yield from nodes(item)
    elif isinstance(expanded, dict) and "@value" not in expanded:
        yield expanded
        for key, value in expanded.items():
            if not key.startswith("@"):
                yield from nodes(value)


def check_schema(expanded: list[dict[str, Any]]) -> None:
    """Every type is a schema.org type; every property sits on a type it is defined on."""
    for node in nodes(expanded):
        types = [t.removeprefix(S) for t in node.get("@type", [])]
        assert types and all(t in PARENT for t in types), node.get("@type")
        allowed = set().union(*(ancestors(t) for t in types))
        for key in node:
            if key.startswith("@"):
                continue
            assert key.startswith(S), key
            prop = key.removeprefix(S)
            assert DOMAIN.get(prop) in allowed, f"{prop} is not defined on {types}"


MEDICAL = article("Medicines Talk", published="2026-11-05").replace(
    "medical: false", "medical: true").replace(
    "references: [", "references: [{title: A guideline, publisher: Example Institute, "
    "year: 2022, url: 'https://guideline.example/g', kind: guideline}, ")
REVIEWERS = """\
- id: clinical-reviewer
  name: General practitioner (role placeholder)
  profession: general-practitioner
  scope: Test content, medicines included.
  placeholder: true
- id: named-pharmacist
  name: A. Pharmacist
  profession: pharmacist
  register: Example Pharmacy Register
  number: "0000000"
  scope: Test content, medicines included.
"""


@pytest.fixture
def client(make_content: ContentFactory) -> Iterator[TestClient]:
    root = make_content({
        "reviewers.yaml": REVIEWERS,
        "articles/medicines-talk.md": MEDICAL,
        "articles/signed.md": article("Signed").replace("reviewed_by: clinical-reviewer",
                                                         "reviewed_by: named-pharmacist"),
    })
    app = create_app(Settings(content_dir=root, access_log=False, reload_interval=0),
                     clock=fixed_clock())
    with TestClient(app) as test_client:
        yield test_client


def page_json_ld(client: TestClient, slug: str) -> tuple[dict[str, Any], list[Any]]:
    page = lxml_html.fromstring(client.get(f"/articles/{slug}").content)
    blocks = page.xpath("//script[@type='application/ld+json']/text()")
    assert len(blocks) == 1
    doc = json.loads(blocks[0])
    return doc, jsonld.expand(doc, {"documentLoader": load_document})


def value(node: dict[str, Any], prop: str) -> list[Any]:
    return [v.get("@value", v.get("@id")) for v in node.get(S + prop, [])]


def test_a_medical_article_is_a_medical_web_page_with_review_citations_and_publisher(
        client: TestClient) -> None:
    doc, expanded = page_json_ld(client, "medicines-talk")
    check_schema(expanded)
    (main,) = expanded
    assert main["@type"] == [S + "MedicalWebPage"]
    assert value(main, "lastReviewed") == ["2026-11-02"]
    assert S + "reviewedBy" not in main, "a placeholder review names no reviewer"
    citations = main[S + "citation"]
    assert len(citations) == 3
    assert {c[S + "url"][0]["@value"] for c in citations} >= {"https://guideline.example/g"}
    publisher = main[S + "publisher"][0]
    assert value(publisher, "name") == ["Smart Meditation"]
    assert doc["@context"] == "https://schema.org"


def test_an_article_puts_its_review_on_its_web_page_and_names_a_real_reviewer(
        client: TestClient) -> None:
    _, expanded = page_json_ld(client, "signed")
    check_schema(expanded)
    main = next(n for n in expanded if n["@type"] == [S + "Article"])
    (webpage,) = main[S + "mainEntityOfPage"]
    assert webpage["@type"] == [S + "WebPage"]
    assert value(webpage, "lastReviewed") == ["2026-11-02"]
    (reviewer,) = webpage[S + "reviewedBy"]
    assert reviewer["@type"] == [S + "Person"]
    assert value(reviewer, "name") == ["A. Pharmacist"]
    assert len(main[S + "citation"]) == 2


def test_the_placeholder_signed_article_claims_no_reviewer(client: TestClient) -> None:
    _, expanded = page_json_ld(client, "sleep-better")
    check_schema(expanded)
    main = next(n for n in expanded if n["@type"] == [S + "Article"])
    (webpage,) = main[S + "mainEntityOfPage"]
    assert S + "reviewedBy" not in webpage


def test_the_check_rejects_a_property_on_the_wrong_type() -> None:
    wrong = {"@context": "https://schema.org", "@type": "Article", "lastReviewed": "2026-01-01"}
    with pytest.raises(AssertionError, match="lastReviewed is not defined"):
        check_schema(jsonld.expand(wrong, {"documentLoader": load_document}))
