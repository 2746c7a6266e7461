"""Shared fixtures: content directories written into tmp_path, and a client on them."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from starlette.applications import Starlette
from starlette.testclient import TestClient

from smartmed.app import create_app
from smartmed.settings import Settings

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


@pytest.fixture
def make_content(tmp_path: Path) -> ContentFactory:
    """Write a valid content directory; keyword arguments replace or add files."""

    def make(files: dict[str, str] | None = None, *, name: str = "content") -> Path:
        root = tmp_path / name
        default = {
            "site.yaml": SITE,
            "partners.yaml": PARTNERS,
            "reviewers.yaml": REVIEWERS,
            "articles/sleep-better.md": article(),
            "articles/calm-down.md": article("Calm Down", topics="[anxiety, stress]",
                                             published="2026-11-10"),
            "tips/sleep.yaml": "".join(tip(f"sleep-{n}") for n in range(1, 6)),
            "tips/anxiety.yaml": "".join(tip(f"anxiety-{n}", "anxiety") for n in range(1, 4)),
        }
        default.update(files or {})
        for rel, text in default.items():
            if text is None:
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def content_dir(make_content: ContentFactory) -> Path:
    return make_content()


def fixed_clock(now: dt.datetime = NOW) -> Callable[[], dt.datetime]:
    return lambda: now


@pytest.fixture
def app(content_dir: Path) -> Starlette:
    return create_app(Settings(content_dir=content_dir), clock=fixed_clock())


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


# CI runs the same examples every time, so a red build always reproduces; locally,
# hypothesis keeps exploring new ones.
if os.environ.get("CI"):
    hypothesis_settings.register_profile("ci", derandomize=True, database=None,
                                         deadline=None, print_blob=True)
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL 15 for the whole session, started by the tests (tests/pgserver.py)."""
    import pgserver

    if pgserver.MISSING:
        pytest.skip(pgserver.MISSING)
    with pgserver.postgres() as url:
        yield url


# The stats tests run once per database; PostgreSQL needs a system package: `system`.
DATABASES = [pytest.param("sqlite", id="sqlite"),
             pytest.param("postgres", id="postgres", marks=pytest.mark.system)]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """"" for SQLite (in the test's state directory), else a freshly emptied PostgreSQL."""
    if request.param == "sqlite":
        return ""
    import pgserver

    url: str = request.getfixturevalue("postgres_url")
    pgserver.reset(url)
    return url
