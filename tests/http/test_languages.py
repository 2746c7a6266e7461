"""http/languages.py: which of the site's languages an Accept-Language header prefers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmed.http.languages import negotiate, preferences

LANGS = ("en", "es", "de")


@pytest.mark.parametrize(("header", "expected"), [
    (None, "en"),
    ("", "en"),
    ("es", "es"),
    ("es-MX,es;q=0.9,en;q=0.8", "es"),
    ("de-AT", "de"),
    ("DE-de", "de"),  # tags are case-insensitive
    ("fr-FR,fr;q=0.9,de;q=0.7,es;q=0.5", "de"),  # the first the site has, by weight
    ("en;q=0.5,es;q=0.8", "es"),  # weights, not order, rank
    ("es;q=0.8,de;q=0.8", "es"),  # equal weights: the header's order
    ("es;q=0,de", "de"),  # q=0 refuses
    ("es;q=0", "en"),
    ("*", "en"),
    ("fr,*;q=0.5", "en"),
    ("fr", "en"),  # none of the site's languages: the fallback
    ("es;q=2,de", "de"),  # a malformed weight drops that entry
    ("es;q=0.1234,de;q=0.1", "de"),  # more than three decimals is malformed
    ("<script>,de", "de"),  # not a language tag
])
def test_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header, LANGS, "en") == expected


def test_the_fallback_is_the_callers_choice() -> None:
    # A partner's language stands in when the header names none of the site's.
    assert negotiate("fr", LANGS, "de") == "de"
    assert negotiate(None, LANGS, "es") == "es"


def test_preferences_keep_weights_and_order() -> None:
    assert preferences("fr;q=0.5, ES ,de;q=0.9") == [("es", 1.0), ("de", 0.9), ("fr", 0.5)]


@given(st.text(max_size=200))
def test_any_header_gives_one_of_the_sites_languages(header: str) -> None:
    assert negotiate(header, LANGS, "en") in LANGS
