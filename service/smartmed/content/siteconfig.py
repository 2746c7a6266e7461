"""site.yaml: the site's settings, its languages, and each language's texts and reviews."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartmed.content import evidence, help, languagestyle
from smartmed.content.model import Review, Reviewer, Site, Topic
from smartmed.content.problems import CONTROL, Fields, Report, shown
from smartmed.content.yamlfile import LineDict

SITE_FIELDS = ("name", "base_url", "timezone", "default_lang", "languages", "topics", "tips",
               "disclaimer", "default_country")
REVIEW_FIELDS = ("reviewed_by", "last_reviewed", "next_review", "earlier_reviews")
# A language code as BCP 47 writes a primary language subtag: "en", "es", "de".
LANG = re.compile(r"[a-z]{2,3}")


def parse(report: Report, name: str, data: LineDict, today: dt.date,
          reviewers: Mapping[str, Reviewer], release: bool = False) -> Site | None:
    """The Site in ``data`` (site.yaml, named ``name`` in problems), or None on an error."""
    f = Fields(report, name, data, SITE_FIELDS)
    zone = None
    if tz := f.text("timezone"):
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            f.error("timezone", f"{tz!r} is not a known IANA time zone (e.g. Europe/London)")
    default_lang = f.text("default_lang")
    languages = _languages(f, default_lang)
    topics = _topics(report, name, f, data, languages, default_lang)
    reviews = _tips_reviews(report, name, f, data, languages, today, reviewers, release)
    disclaimers = _per_language(f, "disclaimer", data.get("disclaimer"), languages)
    values = (f.text("name"), f.url("base_url", required=True), zone, default_lang)
    country = f.text("default_country", required=False)
    if country is not None and not help.CODE.match(country):
        f.error("default_country", f"{country!r} is not an ISO 3166-1 alpha-2 code in "
                "capitals (e.g. GB)")
        return None
    if (any(v is None for v in values) or not topics or reviews is None
            or disclaimers is None or languages is None):
        return None
    site_name, base_url, zone, default_lang = values
    assert default_lang is not None and zone is not None and base_url is not None
    return Site(site_name, base_url.rstrip("/"), zone, default_lang, tuple(languages),
                tuple(topics), reviews[default_lang], disclaimers[default_lang], country,
                disclaimers=disclaimers, tips_reviews=reviews)


def _languages(f: Fields, default_lang: str | None) -> list[str] | None:
    """``languages``, the default first as written; None when malformed."""
    if "languages" not in f.data:
        return [default_lang] if default_lang else None
    languages = f.text_list("languages")
    if languages is None:
        return None
    for lang in languages:
        if not LANG.fullmatch(lang):
            f.error("languages", f"{lang!r} is not a language code (two or three lowercase "
                    "letters, e.g. en, es, de)")
            return None
    if missing := [lang for lang in languages if lang not in languagestyle.LANGUAGES]:
        f.error("languages", f"{', '.join(map(repr, missing))} has no house-style and "
                "safe-messaging table in content/languagestyle.py (known: "
                f"{', '.join(languagestyle.LANGUAGES)}): add one before serving it")
        return None
    if len(set(languages)) != len(languages):
        f.error("languages", "names a language twice")
        return None
    if default_lang and default_lang not in languages:
        f.error("default_lang", f"{default_lang!r} is not in languages")
        return None
    return languages


def _per_language(f: Fields, field: str, raw: object, languages: list[str] | None,
                  what: str = "") -> dict[str, str] | None:
    """A text in every language: ``{en: …, es: …}``, or one plain text while the site has
    one language. Every language needs one and no other language may appear."""
    say = (lambda message: f"{what}: {message}") if what else (lambda message: message)
    if raw is None:
        f.error(field, say("required field is missing"))
        return None
    if languages is None:
        return None
    if isinstance(raw, str):
        if len(languages) > 1:
            f.error(field, say(f"give a text in each language ({', '.join(languages)}) "
                               f"as a mapping {{{languages[0]}: …, {languages[1]}: …}}"))
            return None
        raw = {languages[0]: raw}
    if not isinstance(raw, dict):
        f.error(field, say(f"must be text or a mapping of language to text, not "
                           f"{shown(raw)}"))
        return None
    texts: dict[str, str] = {}
    for lang, value in raw.items():
        if lang not in languages:
            f.error(field, say(f"{shown(lang)} is not one of languages: "
                               f"{', '.join(languages)}"))
            return None
        if not isinstance(value, str) or not value.strip():
            f.error(field, say(f"the {lang} text must be non-empty text, not "
                               f"{shown(value)}"))
            return None
        if bad := CONTROL.search(value):
            f.error(field, say(f"control character U+{ord(bad.group()):04X} is not "
                               "allowed"))
            return None
        texts[lang] = " ".join(value.split())
    if missing := [lang for lang in languages if lang not in texts]:
        f.error(field, say(f"missing a text in {', '.join(missing)} (every language "
                           "needs one)"))
        return None
    return texts


def _topics(report: Report, name: str, f: Fields, data: LineDict,
            languages: list[str] | None, default_lang: str | None) -> list[Topic]:
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, list) or not raw_topics:
        f.error("topics", "must be a non-empty list of {id, title}")
        return []
    topics: list[Topic] = []
    for item in raw_topics:
        if not isinstance(item, LineDict):
            f.error("topics", "each topic must be a mapping with id and title")
            continue
        tf = Fields(report, name, item, ("id", "title"))
        tid = tf.slug("id")
        titles = _per_language(tf, "title", item.get("title"), languages,
                               what=f"topic {tid or '?'}")
        if tid and any(t.id == tid for t in topics):
            tf.error("id", f"duplicate topic {tid!r}")
        elif tid and titles and default_lang in titles:
            topics.append(Topic(tid, titles[default_lang], titles))
        elif tid:  # reported: kept by id, so that what names it is not reported too
            topics.append(Topic(tid, tid))
    return topics


def _tips_reviews(report: Report, name: str, f: Fields, data: LineDict,
                  languages: list[str] | None, today: dt.date,
                  reviewers: Mapping[str, Reviewer], release: bool) -> dict[str, Review] | None:
    """``tips``: one review block (a site with one language), or one per language."""
    raw = data.get("tips")
    if not isinstance(raw, LineDict):
        f.error("tips", "must say who reviewed the tip library: reviewed_by, last_reviewed, "
                "next_review (one such block per language when there are several)")
        return None
    if languages is None:
        return None
    if "reviewed_by" in raw:
        if len(languages) > 1:
            f.error("tips", "each language's tip library has its own review: give one block "
                    f"per language ({', '.join(languages)}), e.g. tips: {{{languages[0]}: "
                    "{reviewed_by: …, last_reviewed: …, next_review: …}, …}")
            return None
        blocks: dict[str, object] = {languages[0]: raw}
    else:
        blocks = dict(raw)
    reviews: dict[str, Review] = {}
    ok = True
    for lang, block in blocks.items():
        if lang not in languages:
            report.error(name, raw.line_of(lang), "tips", f"{shown(lang)} is not one of "
                         f"languages: {', '.join(languages)}")
            ok = False
            continue
        if not isinstance(block, LineDict):
            report.error(name, raw.line_of(lang), "tips", f"the {lang} tip library's review "
                         "must be a mapping: reviewed_by, last_reviewed, next_review")
            ok = False
            continue
        tf = Fields(report, name, block, REVIEW_FIELDS)
        review = evidence.review(tf, today, reviewers)
        if review is None:
            ok = False
            continue
        if release:
            what = "the tip library" if len(languages) == 1 else f"the {lang} tip library"
            evidence.release_problems(report, name, tf.line("reviewed_by"), what, review)
        reviews[lang] = review
    if missing := [lang for lang in languages if lang not in blocks]:
        f.error("tips", f"no review for the tip library in {', '.join(missing)}: every "
                "language's tips need their own review block")
        ok = False
    return reviews if ok else None
