"""Partners choose whether their article lists show medical:true articles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from helpers import PARTNERS, ContentFactory, article, fixed_clock
from smartmed.app import create_app
from smartmed.settings import Settings

MEDICAL = article("Medicine Matters", published="2026-11-20").replace(
    "medical: false", "medical: true")


@pytest.fixture
def client(make_content: ContentFactory) -> Iterator[TestClient]:
    partners = PARTNERS + "  medical: include\n"  # open-partner opts in
    root = make_content({"articles/medicine-matters.md": MEDICAL, "partners.yaml": partners})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        yield client


def slugs(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/v1/articles{query}")
    assert response.status_code == 200, response.text
    return [a["slug"] for a in response.json()["articles"]]


def test_public_lists_leave_medical_articles_out_unless_asked(client: TestClient) -> None:
    assert "medicine-matters" not in slugs(client, "")
    assert "medicine-matters" not in slugs(client, "?topic=sleep")
    assert "medicine-matters" not in slugs(client, "?medical=exclude")
    assert slugs(client, "?medical=include")[0] == "medicine-matters"
    assert slugs(client, "?topic=sleep&medical=include")[0] == "medicine-matters"
    # Asked for by name it is still there: a tip's "learn more" link must work.
    assert client.get("/v1/articles/medicine-matters").status_code == 200


def test_a_partner_chooses_in_partners_yaml_and_a_request_can_override(
        client: TestClient) -> None:
    assert "medicine-matters" not in slugs(client, "?partner=calm-clinic&topic=sleep")
    assert slugs(client, "?partner=calm-clinic&topic=sleep&medical=include")[0] == \
        "medicine-matters"
    assert slugs(client, "?partner=open-partner")[0] == "medicine-matters"
    assert "medicine-matters" not in slugs(client, "?partner=open-partner&medical=exclude")


def test_lists_keep_their_etags_and_304s(client: TestClient) -> None:
    for query in ("", "?medical=include"):
        first = client.get(f"/v1/articles{query}")
        again = client.get(f"/v1/articles{query}",
                           headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304
    assert client.get("/v1/articles").headers["etag"] != \
        client.get("/v1/articles?medical=include").headers["etag"]


def test_a_bad_medical_value_is_a_400_naming_it(client: TestClient) -> None:
    response = client.get("/v1/articles?medical=yes")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("medical: 'yes' is not one of")


def test_the_embed_code_carries_the_choice_and_explains_it(client: TestClient) -> None:
    doc = client.get("/configurator/code?kind=articles&medical=include").json()
    assert 'data-medical="include"' in doc["code"]
    page = client.get("/?kind=articles").text
    assert "Articles about medicines and treatment are left out unless you include them" \
        in page


def test_a_tip_widget_is_not_offered_a_topic_without_tips(make_content: ContentFactory) -> None:
    root = make_content({"site.yaml": (
        "name: Smart Meditation\nbase_url: https://service.example\ntimezone: Europe/London\n"
        "default_lang: en\nlanguages: [en]\ntopics:\n  - {id: sleep, title: Sleep}\n"
        "  - {id: medication, title: Medication}\ntips:\n  reviewed_by: clinical-reviewer\n"
        "  last_reviewed: 2026-11-01\n  next_review: 2027-11-01\ndisclaimer: Not advice.\n"),
        "articles/calm-down.md": None, "tips/anxiety.yaml": None, "partners.yaml": None})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        response = client.get("/configurator/code?kind=tip&topic=medication")
        assert response.status_code == 400
        assert "topic: 'medication' has no tips; a tip widget can show: sleep" in response.text
        assert client.get("/configurator/code?kind=articles&topic=medication").status_code \
            == 200
        assert "Medication (articles only)" in client.get("/").text
