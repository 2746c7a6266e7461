"""Reviewers, review records and references: what the validator checks and what readers see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import html as lxml_html
from starlette.testclient import TestClient

from helpers import (
    REVIEWERS,
    SITE,
    TODAY,
    ContentFactory,
    article,
    fixed_clock,
    translated_or_other,
)
from smartmed.app import create_app
from smartmed.content.evidence import add_months
from smartmed.content.loader import check
from smartmed.settings import Settings

REAL = REVIEWERS + """\
- id: named-psychiatrist
  name: B. Psychiatrist
  profession: psychiatrist
  register: Example Medical Register
  number: "1234567"
  scope: Medicines and mental health.
- id: named-counsellor
  name: C. Counsellor
  profession: counsellor
  scope: Talking therapy.
"""

SIGNED_SITE = SITE.replace("reviewed_by: clinical-reviewer", "reviewed_by: named-psychiatrist")


def problems(root: Path, release: bool = False) -> list[str]:
    _, report = check(root, today=TODAY, release=release)
    return [str(p) for p in report.problems]


def medical(extra: str = "") -> str:
    return article("Medicine", extra=extra).replace("medical: false", "medical: true").replace(
        "references: [", "references: [{title: Guidance, publisher: Example Institute, "
        "year: 2022, url: 'https://guideline.example/', kind: guideline}, ")


@pytest.mark.parametrize(("files", "expected"), [
    ({"articles/x.md": article().replace("reviewed_by: clinical-reviewer",
                                          "reviewed_by: Smart Meditation clinical team")},
     "content/articles/x.md:6: reviewed_by: 'Smart Meditation clinical team' names no "
     "reviewer in reviewers.yaml"),
    ({"reviewers.yaml": REVIEWERS.replace("general-practitioner", "licensed-psychotherapist")},
     "content/reviewers.yaml:3: profession: 'licensed-psychotherapist' is not one of: "),
    ({"reviewers.yaml": REAL, "articles/x.md": medical().replace(
        "reviewed_by: clinical-reviewer", "reviewed_by: named-counsellor")},
     "content/articles/x.md:6: reviewed_by: a medical article needs a reviewer who can "
     "review medicines"),
    ({"articles/x.md": medical().replace("next_review: 2027-05-02", "next_review: 2027-05-03")},
     "content/articles/x.md:9: next_review: 2027-05-03 is more than 6 months after "
     "last_reviewed 2026-11-02"),
    ({"articles/x.md": article().replace("https://health.example/sleep",
                                          "http://health.example/sleep")},
     "content/articles/x.md:11: url: 'http://health.example/sleep' must be an absolute "
     "https:// URL"),
    ({"articles/x.md": article().replace("year: 2024, ", "")},
     "content/articles/x.md:11: year: required"),
    ({"articles/x.md": article().replace("year: 2024", "year: 3024")},
     "content/articles/x.md:11: year: 3024 is not a year between 1900 and 2026"),
    ({"articles/x.md": article().replace("kind: health-service", "kind: blog")},
     "content/articles/x.md:11: kind: 'blog' is not one of: guideline"),
    ({"articles/x.md": article().replace("url: 'https://health.example/sleep', ",
                                          "link: 'https://health.example/sleep', ")},
     "content/articles/x.md:11: link: unknown field"),
])
def test_each_evidence_mistake_is_reported_with_path_line_and_field(
        make_content: ContentFactory, files: dict[str, str], expected: str) -> None:
    found = problems(make_content(files))
    assert any(p.startswith(expected) for p in found), found


def test_too_few_sources_is_a_warning_while_drafting_and_an_error_for_a_release(
        make_content: ContentFactory) -> None:
    one = article().replace(
        ", {title: A review of sleep habits, publisher: Example Journal, year: 2021, "
        "url: 'https://journal.example/review', kind: systematic-review}", "")
    root = make_content({"articles/x.md": one, "reviewers.yaml": REAL, "site.yaml": SIGNED_SITE})
    library, report = check(root, today=TODAY)
    assert library is not None
    assert [str(p) for p in report.warnings
            if "x.md" in str(p) and translated_or_other(p)] == [
        "content/articles/x.md:11: references: warning: 1 source(s); an article needs at "
        "least 2 (an error for a release)"]
    found = problems(root, release=True)
    assert "content/articles/x.md:11: references: 1 source(s); an article needs at least 2" \
        in found


def test_a_medical_article_needs_a_guideline_regulator_or_systematic_review(
        make_content: ContentFactory) -> None:
    weak = medical().replace("kind: guideline", "kind: research").replace(
        "kind: systematic-review", "kind: research")
    found = problems(make_content({"articles/x.md": weak}), release=True)
    assert "content/articles/x.md:11: references: a medical article needs at least one " \
        "guideline, regulator page or systematic review" in found


def test_release_refuses_placeholder_reviews_and_accepts_real_ones(
        make_content: ContentFactory) -> None:
    root = make_content()
    found = problems(root, release=True)
    for line, lang in ((14, "en"), (15, "de")):
        assert f"content/site.yaml:{line}: reviewed_by: the {lang} tip library awaits clinical " \
            "review: only placeholder reviewers signed it; a real reviewer must sign off " \
            "before a release" in found
    assert any(p.startswith("content/articles/sleep-better.md:6: reviewed_by: this article "
                            "awaits clinical review") for p in found)
    assert list(filter(translated_or_other, problems(root))) == [], \
        "without --release the sample content is valid"
    signed = make_content({
        "reviewers.yaml": REAL,
        "site.yaml": SIGNED_SITE,
        "articles/sleep-better.md": article().replace(
            "reviewed_by: clinical-reviewer", "reviewed_by: [clinical-reviewer, "
            "named-psychiatrist]"),
        "articles/calm-down.md": article("Calm Down", topics="[anxiety, stress]").replace(
            "reviewed_by: clinical-reviewer", "reviewed_by: named-psychiatrist"),
    }, name="signed")
    assert list(filter(translated_or_other, problems(signed, release=True))) == []


def test_earlier_reviews_go_oldest_first_before_the_last(make_content: ContentFactory) -> None:
    history = "earlier_reviews:\n  - {by: clinical-reviewer, date: 2026-06-01}\n" \
              "  - {by: clinical-reviewer, date: 2026-03-01}\n"
    found = problems(make_content({"articles/x.md": article(extra=history)}))
    assert any("content/articles/x.md:14: date: 2026-03-01: earlier reviews go oldest first"
               in p for p in found), found


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 11, 26), 6, dt.date(2027, 5, 26)),
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
])
def test_six_months_later_is_the_same_day_or_the_month_end(
        day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_pages_api_and_feeds_show_sources_history_and_the_honest_label(
        make_content: ContentFactory) -> None:
    history = "earlier_reviews:\n  - {by: clinical-reviewer, date: 2026-06-01}\n"
    root = make_content({"articles/sleep-better.md": article(extra=history)})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        page = lxml_html.fromstring(client.get("/articles/sleep-better").content)
        sources = page.xpath("//section[@class='sources']//li")
        assert [li.xpath("string(a/@href)") for li in sources] == [
            "https://health.example/sleep", "https://journal.example/review"]
        assert "Example Health Service, 2024." in sources[0].text_content()
        history_items = page.xpath("//section[@class='review-history']//li")
        assert [li.xpath("string(time/@datetime)") for li in history_items] == [
            "2026-11-02", "2026-06-01"]
        assert "awaiting a named reviewer" in history_items[0].text_content()
        assert "Reviewed by" not in client.get("/articles/sleep-better").text

        doc = client.get("/v1/articles/sleep-better").json()["article"]
        assert doc["review"]["status"] == "awaiting-clinical-review"
        assert doc["review"]["label"] == "Awaiting clinical review"
        assert [e["date"] for e in doc["review"]["history"]] == ["2026-11-02", "2026-06-01"]
        assert doc["references"][0] == {
            "title": "Sleep guidance", "publisher": "Example Health Service", "year": 2024,
            "accessed": None, "url": "https://health.example/sleep", "kind": "health-service"}
        assert doc["reviewed_by"] is None

        tip = client.get("/v1/tips/2026-11-27").json()
        assert tip["review"]["status"] == "awaiting-clinical-review"

        feed = client.get("/feeds/articles.json").json()
        item = next(i for i in feed["items"] if i["id"].endswith("/sleep-better"))
        assert "<h2>Sources</h2>" in item["content_html"]
        assert "https://journal.example/review" in item["content_html"]
        assert "Awaiting clinical review" in item["content_html"]
        assert "Reviewed by" not in item["content_html"]
        tips = client.get("/feeds/tips.json").json()
        assert all("Awaiting clinical review" in i["content_html"] for i in tips["items"])


def test_research_suggests_without_a_source_is_a_warning(make_content: ContentFactory) -> None:
    body = "Intro line.\n\n## Why\n\nResearch suggests that rest helps.\n"
    _, report = check(make_content({"articles/x.md": article(body=body)}), today=TODAY)
    assert [str(p) for p in report.warnings
            if "x.md" in str(p) and translated_or_other(p)] == [
        "content/articles/x.md:18: body: warning: 'Research suggests' names no source: say "
        "which (e.g. 'a Cochrane review found…', 'the NHS says…') and list it in references"]


@pytest.mark.parametrize(("lang", "body", "claim"), [
    ("es", "Intro.\n\nLa investigación sugiere que descansar ayuda.", "La investigación sugiere"),
    ("es", "Intro.\n\nLos estudios muestran que caminar ayuda.", "Los estudios muestran"),
    ("de", "Intro.\n\nDie Forschung zeigt, dass Ruhe hilft.", "Die Forschung zeigt"),
    ("de", "Intro.\n\nStudien legen nahe, dass Bewegung hilft.", "Studien legen nahe"),
])
def test_a_vague_appeal_to_evidence_is_a_warning_in_each_language(
        lang: str, body: str, claim: str) -> None:
    from smartmed.content.evidence import vague_claims

    found = vague_claims("a.md", 10, body, lang)
    assert [(p.line, p.warning) for p in found] == [(12, True)]
    assert f"{claim!r} names no source" in found[0].message
    assert vague_claims("a.md", 10, body, "en") == [], "each language has its own words"
