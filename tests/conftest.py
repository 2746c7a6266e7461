"""Pytest fixtures: content directories written into tmp_path, and a client on them.

What tests share besides fixtures lives in helpers.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from starlette.applications import Starlette
from starlette.testclient import TestClient

from helpers import PARTNERS, REVIEWERS, SITE, ContentFactory, article, fixed_clock, tip
from smartmed.app import create_app
from smartmed.settings import Settings


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


@pytest.fixture
def app(content_dir: Path) -> Starlette:
    return create_app(Settings(content_dir=content_dir), clock=fixed_clock())


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


# CI runs the same examples every time, so a red build always reproduces; locally,
# hypothesis keeps exploring new ones. Neither has a deadline: tests assert no timing, and
# a busy machine would fail an example that took long.
hypothesis_settings.register_profile("ci", derandomize=True, database=None,
                                     deadline=None, print_blob=True)
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")


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
