"""site.yaml's languages: topic titles, disclaimers and tip-library reviews per language."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SITE, TODAY, ContentFactory
from smartmed.content.loader import check, load


def problems(root: Path) -> list[str]:
    return [str(p) for p in check(root, today=TODAY)[1].problems if not p.warning]


def test_every_language_has_its_titles_disclaimer_and_tip_review(content_dir: Path) -> None:
    site = load(content_dir, today=TODAY).site
    assert site.languages == ("en", "de")
    sleep = site.topic("sleep")
    assert sleep is not None
    assert (sleep.title, sleep.title_in("en"), sleep.title_in("de")) == ("Sleep", "Sleep",
                                                                         "Schlaf")
    assert sleep.title_in("fr") == "Sleep", "a language without a title falls back"
    assert site.disclaimer == site.disclaimer_in("en") == \
        "This is general information, not medical advice."
    assert site.disclaimer_in("de").startswith("Dies sind allgemeine Informationen")
    assert site.disclaimer_in("xx") == site.disclaimer
    assert set(site.tips_reviews) == {"en", "de"}
    assert site.tips_review is site.tips_reviews["en"] is site.tips_review_in("en")
    assert site.tips_review_in("de") is site.tips_reviews["de"]
    assert site.tips_review_in("xx") is site.tips_review


def test_a_site_with_one_language_keeps_plain_texts(make_content: ContentFactory) -> None:
    one = (SITE.replace("languages: [en, de]", "languages: [en]")
           .replace("{en: Sleep, de: Schlaf}", "Sleep").replace("{en: Anxiety, de: Angst}",
                                                                "Anxiety")
           .replace("{en: Stress, de: Stress}", "Stress")
           .replace("  de: {reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, "
                    "next_review: 2027-11-01}\n", "")
           .replace("  en: {reviewed_by", "  {reviewed_by").replace("tips:\n  {", "tips: {")
           .replace("disclaimer:\n  en: This", "disclaimer: This")
           .replace("  de: Dies sind allgemeine Informationen, keine medizinische Beratung.\n",
                    ""))
    assert "de" not in one.split("topics:")[1], one
    library, report = check(make_content({"site.yaml": one}), today=TODAY)
    assert report.problems == [] and library is not None
    assert library.site.topic("sleep").titles == {"en": "Sleep"}
    assert library.site.disclaimers == {"en": library.site.disclaimer}
    assert library.site.tips_reviews == {"en": library.site.tips_review}


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("{en: Sleep, de: Schlaf}", "Sleep",
     "content/site.yaml:8: title: topic sleep: give a text in each language (en, de) as a "
     "mapping {en: …, de: …}"),
    ("{en: Sleep, de: Schlaf}", "{en: Sleep}",
     "content/site.yaml:8: title: topic sleep: missing a text in de (every language needs "
     "one)"),
    ("{en: Sleep, de: Schlaf}", "{en: Sleep, de: Schlaf, fr: Sommeil}",
     "content/site.yaml:8: title: topic sleep: 'fr' is not one of languages: en, de"),
    ("{en: Sleep, de: Schlaf}", "{en: Sleep, de: ''}",
     "content/site.yaml:8: title: topic sleep: the de text must be non-empty text"),
    ("  de: Dies sind allgemeine Informationen, keine medizinische Beratung.\n", "",
     "content/site.yaml:16: disclaimer: missing a text in de"),
    ("  de: {reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, "
     "next_review: 2027-11-01}\n", "",
     "content/site.yaml:13: tips: no review for the tip library in de: every language's tips "
     "need their own review block"),
    ("tips:\n  en: {reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, "
     "next_review: 2027-11-01}\n  de: {reviewed_by: clinical-reviewer, last_reviewed: "
     "2026-11-01, next_review: 2027-11-01}\n",
     "tips:\n  reviewed_by: clinical-reviewer\n  last_reviewed: 2026-11-01\n"
     "  next_review: 2027-11-01\n",
     "content/site.yaml:13: tips: each language's tip library has its own review: give one "
     "block per language (en, de)"),
    ("  de: {reviewed_by", "  fr: {reviewed_by",
     "content/site.yaml:15: tips: 'fr' is not one of languages: en, de"),
    ("  de: {reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, "
     "next_review: 2027-11-01}", "  de: {reviewed_by: clinical-reviewer, last_reviewed: "
     "2026-11-01, next_review: 2026-10-01}",
     "content/site.yaml:15: next_review: 2026-10-01 must be after last_reviewed 2026-11-01"),
    ("languages: [en, de]", "languages: [en, de, en]",
     "content/site.yaml:5: languages: names a language twice"),
    ("languages: [en, de]", "languages: [en, German]",
     "content/site.yaml:5: languages: 'German' is not a language code"),
    ("languages: [en, de]", "languages: [en, de, fr]",
     "content/site.yaml:5: languages: 'fr' has no house-style and safe-messaging table in "
     "content/languagestyle.py (known: en, es, de)"),
    ("languages: [en, de]", "languages: [de]",
     "content/site.yaml:4: default_lang: 'en' is not in languages"),
])
def test_each_language_text_and_review_is_required_and_checked(
        make_content: ContentFactory, old: str, new: str, expected: str) -> None:
    assert old in SITE
    found = problems(make_content({"site.yaml": SITE.replace(old, new)}))
    assert any(p.startswith(expected) for p in found), found
