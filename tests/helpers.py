"""What tests share: the content they write, and small builders. Imported by tests as
`from helpers import ...`; conftest.py holds only pytest fixtures."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

SITE = """\
name: Smart Meditation
base_url: https://service.example
timezone: Europe/London
default_lang: en
languages: [en, de]
topics:
  - id: sleep
    title: {en: Sleep, de: Schlaf}
  - id: anxiety
    title: {en: Anxiety, de: Angst}
  - id: stress
    title: {en: Stress, de: Stress}
tips:
  en: {reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, next_review: 2027-11-01}
  de: {reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, next_review: 2027-11-01}
disclaimer:
  en: This is general information, not medical advice.
  de: Dies sind allgemeine Informationen, keine medizinische Beratung.
"""

PARTNERS = """\
- id: calm-clinic
  name: Calm Clinic
  origins: [https://calm.example.com]
  topics: [anxiety]
  theme: dark
- id: open-partner
  name: Open Partner
  origins: [https://open.example.org, http://localhost:3000]
"""


# A role placeholder, as the bundled content has: content awaits clinical review.
REVIEWERS = """\
- id: clinical-reviewer
  name: General practitioner (role placeholder)
  profession: general-practitioner
  scope: Test content, medicines included.
  placeholder: true
"""


HELP_SITE = SITE + "default_country: GB\n"
# Urgent-help data for tests (content/help/GB.yaml); the site then names GB.
GB = textwrap.dedent("""\
    name:
      en: United Kingdom
      de: Vereinigtes Königreich
    emergency:
      numbers: ["999"]
      source: https://example.nhs.uk/urgent
      last_verified: 2026-11-01
    services:
      - name: Samaritans
        purpose:
          en: Someone to talk to.
          de: Jemand zum Reden.
        phone: "116 123"
        hours:
          en: Any time
          de: Jederzeit
        source: https://example.org/samaritans
        last_verified: 2026-11-01
      - name: Shout
        purpose:
          en: Text support.
          de: Hilfe per SMS.
        sms: "85258"
        sms_text: SHOUT
        source: https://example.org/shout
        last_verified: 2026-11-01
    """)


# Two sources of the right shape, on one line: what a non-medical article needs (the URLs
# are example addresses: tests never fetch them).
REFERENCES = ("references: [{title: Sleep guidance, publisher: Example Health Service, "
              "year: 2024, url: 'https://health.example/sleep', kind: health-service}, "
              "{title: A review of sleep habits, publisher: Example Journal, year: 2021, "
              "url: 'https://journal.example/review', kind: systematic-review}]\n")


def article(title: str = "Sleep Better", *, topics: str = "[sleep]",
            published: str = "2026-11-01", body: str | None = None, extra: str = "") -> str:
    body = body if body is not None else (
        "Rest matters. Here is a short guide to resting well at night.\n\n"
        "## Start small\n\n- Keep a steady wake time.\n- Dim the lights.\n"
    )
    return textwrap.dedent(f"""\
        ---
        title: {title}
        topics: {topics}
        lang: en
        author: Smart Meditation editorial team
        reviewed_by: clinical-reviewer
        published: {published}
        last_reviewed: 2026-11-02
        next_review: 2027-05-02
        medical: false
        """) + REFERENCES + extra + "---\n\n" + body


def tip(tip_id: str, topic: str = "sleep", text: str | None = None, added: str = "2026-01-01",
        extra: str = "") -> str:
    text = text or f"A calm, specific idea called {tip_id}."
    # Every tip names its technique (required); by default one of its own, last so that
    # the lines of the other fields stay where tests expect them.
    technique = "" if "technique:" in extra else f"  technique: {tip_id}\n"
    return (f"- id: {tip_id}\n  text: \"{text}\"\n  topic: {topic}\n  added: {added}\n"
            + "".join(f"  {line}\n" for line in extra.splitlines()) + technique)


ContentFactory = Callable[..., Path]

# The fixture's site serves en and de but its articles are English only: each one carries
# this warning (translations.py), which tests about other rules leave aside.
UNTRANSLATED = "translation_of: warning: no translation in de yet"


def translated_or_other(problem: object) -> bool:
    """False for the fixture's expected "no German translation yet" warnings."""
    return UNTRANSLATED not in str(problem)


def fixed_clock(now: dt.datetime = NOW) -> Callable[[], dt.datetime]:
    return lambda: now




# Accept-Encoding headers, and whether each accepts gzip (RFC 9110 weights).
CASES = [
    ("gzip", True),
    ("gzip, deflate, br", True),
    ("GZIP; Q=1", True),
    ("gzip;q=0.5", True),
    ("*", True),
    ("identity, *;q=0.1", True),
    ("gzip;q=0", False),
    ("gzip; q=0.000", False),
    ("identity, gzip;q=0", False),
    ("*;q=0", False),
    ("*, gzip;q=0", False),
    ("gzip;q=0, *", False),
    ("identity", False),
    ("x-gzip", False),
    ("deflate, br", False),
    ("gzip;q=2", False),  # not a weight: the plain body is always safe
    ("gzip;q=١", False),  # Arabic-Indic one: weights are ASCII digits
]
