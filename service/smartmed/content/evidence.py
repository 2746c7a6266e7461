"""Who reviewed what, and on what evidence: reviewers.yaml, review records, references.

The rules (content/README.md, "Sources and review"):

- every reviewer named by an article or by the tip library is listed in reviewers.yaml,
  with a profession from a fixed list; a role standing in for a person is
  ``placeholder: true``, and content signed only by placeholders awaits clinical review;
- a ``medical: true`` article is signed by someone who can review medicines and is due
  for review again within 6 months;
- each reference has a title, publisher, https URL, kind and a year (or, for an undated
  web page, the day it was accessed); a medical article needs 3 with at least one
  guideline, regulator page or systematic review, any other article 2. Too few is a
  warning while drafting and an error for a release (``smartmed check --release``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from smartmed.content.languagestyle import ENGLISH, style
from smartmed.content.model import (
    MEDICINES_REVIEWERS,
    PROFESSIONS,
    Reference,
    Review,
    Reviewer,
    ReviewEvent,
)
from smartmed.content.problems import Fields, Problem, Report, relative, shown
from smartmed.content.yamlfile import LineDict

REVIEWER_FIELDS = ("id", "name", "profession", "register", "number", "scope", "placeholder")
REFERENCE_FIELDS = ("title", "publisher", "year", "accessed", "url", "kind")
# What a reference is; the first three are strong enough to anchor a medical article.
STRONG_KINDS = ("guideline", "regulator", "systematic-review")
KINDS = (*STRONG_KINDS, "health-service", "research", "charity")
MEDICAL_MIN, OTHER_MIN = 3, 2
MEDICAL_CYCLE_MONTHS = 6
# An appeal to evidence that names none ("Research suggests…"): say which source. Each
# language's words are in languagestyle.py.
VAGUE = ENGLISH.vague_evidence


def vague_claims(path: str, first_line: int, body: str, lang: str = "en") -> list[Problem]:
    """Warnings for "research suggests" and the like: name the source instead, and list it
    under ``references`` (the page shows it as "Sources")."""
    return [Problem(path, first_line + body.count("\n", 0, m.start()), "body",
                    f"{m.group()!r} names no source: say which (e.g. 'a Cochrane review "
                    "found…', 'the NHS says…') and list it in references", warning=True)
            for m in style(lang).vague_evidence.finditer(body)]


def load_reviewers(reader: Any, root: Path) -> dict[str, Reviewer]:
    """reviewers.yaml, by id; ``reader`` is the loader's file reader (it reports)."""
    path = root / "reviewers.yaml"
    if not path.is_file():
        return {}
    text = reader.text(path)
    data = reader.yaml(path, text) if text is not None else None
    name = relative(path, root)
    if data is None:
        return {}
    if not isinstance(data, list):
        reader.report.error(name, 1, "file", "must be a YAML list of reviewers ('- id: …')")
        return {}
    reviewers: dict[str, Reviewer] = {}
    for item in data:
        if not isinstance(item, LineDict):
            reader.report.error(name, 1, "entry", f"each reviewer must be a mapping, not "
                                f"{shown(item)}")
            continue
        f = Fields(reader.report, name, item, REVIEWER_FIELDS)
        rid, display = f.slug("id"), f.text("name", max_len=120)
        profession = f.choice("profession", PROFESSIONS, required=True)
        scope = f.text("scope", max_len=300)
        register = f.text("register", required=False, max_len=120)
        number = f.text("number", required=False, max_len=40)
        if number and not register:
            f.error("number", "a registration number needs the register it is in")
        if rid in reviewers:
            f.error("id", f"duplicate reviewer id {rid!r}")
        elif rid and display and profession and scope:
            reviewers[rid] = Reviewer(rid, display, profession, scope,
                                      f.boolean("placeholder"), register, number)
    return reviewers


def _ids(f: Fields, name: str, reviewers: Mapping[str, Reviewer]) -> tuple[Reviewer, ...] | None:
    ids = f.text_list(name)
    if ids is None:
        return None
    found = []
    for rid in ids:
        if rid not in reviewers:
            known = ", ".join(reviewers) or "none yet: add reviewers.yaml"
            f.error(name, f"{rid!r} names no reviewer in reviewers.yaml (known: {known})")
            return None
        found.append(reviewers[rid])
    return tuple(found)


def _earlier(f: Fields, reviewers: Mapping[str, Reviewer],
             last: dt.date | None) -> tuple[ReviewEvent, ...] | None:
    raw = f.data.get("earlier_reviews")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        f.error("earlier_reviews", "must be a list of {by, date}")
        return None
    events: list[ReviewEvent] = []
    for item in raw:
        if not isinstance(item, LineDict):
            f.error("earlier_reviews", "each review must be a mapping with by and date")
            return None
        ef = Fields(f.report, f.path, item, ("by", "date"))
        by, day = _ids(ef, "by", reviewers), ef.date("date")
        if by is None or day is None:
            return None
        if (last and day >= last) or (events and day <= events[-1].date):
            ef.error("date", f"{day}: earlier reviews go oldest first, before last_reviewed")
            return None
        events.append(ReviewEvent(by, day))
    return tuple(events)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def review(f: Fields, today: dt.date, reviewers: Mapping[str, Reviewer],
           medical: bool = False) -> Review | None:
    """The review fields of an article or of site.yaml's ``tips`` block."""
    by, last, nxt = _ids(f, "reviewed_by", reviewers), f.date("last_reviewed"), \
        f.date("next_review")
    earlier = _earlier(f, reviewers, last)
    if last and nxt and nxt <= last:
        f.error("next_review", f"{nxt} must be after last_reviewed {last}")
        return None
    if medical and by and not any(r.profession in MEDICINES_REVIEWERS for r in by):
        f.error("reviewed_by", "a medical article needs a reviewer who can review medicines ("
                f"{', '.join(sorted(MEDICINES_REVIEWERS))})")
        return None
    if medical and last and nxt and nxt > add_months(last, MEDICAL_CYCLE_MONTHS):
        f.error("next_review", f"{nxt} is more than {MEDICAL_CYCLE_MONTHS} months after "
                f"last_reviewed {last}: a medical article is reviewed at least twice a year")
        return None
    if nxt and nxt < today:
        f.report.warn(f.path, f.line("next_review"), "next_review", f"review was due on {nxt}")
    if by is None or last is None or nxt is None or earlier is None:
        return None
    return Review(by, last, nxt, earlier)


def references(f: Fields, today: dt.date, medical: bool,
               release: bool) -> tuple[Reference, ...] | None:
    """An article's ``references``, each checked for shape; None when any is malformed."""
    raw = f.data.get("references")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        f.error("references", "must be a list of {title, publisher, year, url, kind}")
        return None
    found: list[Reference] = []
    ok = True
    for item in raw:
        if not isinstance(item, LineDict):
            f.error("references", f"each reference must be a mapping, not {shown(item)}")
            ok = False
            continue
        ref = _reference(Fields(f.report, f.path, item, REFERENCE_FIELDS), today)
        ok = ok and ref is not None
        if ref is not None:
            found.append(ref)
    if not ok:
        return None
    _enough(f, found, medical, release)
    return tuple(found)


def _reference(f: Fields, today: dt.date) -> Reference | None:
    title, publisher = f.text("title", max_len=300), f.text("publisher", max_len=200)
    kind = f.choice("kind", KINDS, required=True)
    url = f.text("url")
    if url is not None and (urlsplit(url).scheme != "https" or not urlsplit(url).netloc):
        f.error("url", f"{url!r} must be an absolute https:// URL")
        url = None
    year, accessed = f.data.get("year"), f.date("accessed", required=False)
    if year is None and accessed is None:
        f.error("year", "required: the year the source was published (or, for an undated "
                "web page, 'accessed: YYYY-MM-DD')")
        return None
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 1900 <= year <= today.year):
        f.error("year", f"{shown(year)} is not a year between 1900 and {today.year}")
        return None
    if None in (title, publisher, kind, url):
        return None
    return Reference(title, publisher, url, kind, year, accessed)


def _enough(f: Fields, found: list[Reference], medical: bool, release: bool) -> None:
    need = MEDICAL_MIN if medical else OTHER_MIN
    problems = []
    if len(found) < need:
        problems.append(f"{len(found)} source(s); {'a medical' if medical else 'an'} article "
                        f"needs at least {need}")
    if medical and not any(r.kind in STRONG_KINDS for r in found):
        problems.append("a medical article needs at least one guideline, regulator page or "
                        "systematic review")
    line = f.line("references") if "references" in f.data else 1
    for message in problems:
        if release:
            f.report.error(f.path, line, "references", message)
        else:
            f.report.warn(f.path, line, "references", message + " (an error for a release)")


def release_problems(report: Report, path: str, line: int, what: str,
                     review_: Review) -> None:
    """``smartmed check --release``: nothing served may await clinical review."""
    if review_.status != "reviewed":
        report.error(path, line, "reviewed_by", f"{what} awaits clinical review: only "
                     "placeholder reviewers signed it; a real reviewer must sign off before "
                     "a release")
