"""stats/events.py: what a beacon may carry, and which user agents are not readers."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import TODAY, ContentFactory
from smartmed.content import loader
from smartmed.content.model import Library
from smartmed.errors import BadRequest
from smartmed.ops.stats import events


@pytest.fixture
def library(make_content: ContentFactory) -> Library:
    return loader.load(make_content(), today=TODAY)


def test_a_valid_event_is_parsed_with_items_once_each(library: Library) -> None:
    body = json.dumps({"partner": "calm-clinic", "event": "click", "kind": "articles",
                       "topic": None, "lang": "de", "items": ["a", "b", "a"]}).encode()
    assert events.parse(body, library) == events.Event(
        "calm-clinic", "click", "articles", "", "de", ("a", "b"))


def test_too_many_items_is_refused(library: Library) -> None:
    body = json.dumps({"partner": "p", "event": "click", "kind": "tip", "lang": "en",
                       "items": [f"i{n}" for n in range(events.MAX_ITEMS + 1)]}).encode()
    with pytest.raises(BadRequest, match=r"^items:"):
        events.parse(body, library)


@pytest.mark.parametrize("agent", ["Mozilla/5.0 (compatible; Googlebot/2.1)",
                                   "Mozilla/5.0 HeadlessChrome/120.0", "curl/8.5.0",
                                   "python-httpx/0.27"])
def test_known_bots(agent: str) -> None:
    assert events.is_bot(agent.encode())


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1",
    ""])
def test_readers(agent: str) -> None:
    assert not events.is_bot(agent.encode())


# Values a beacon's fields may take, valid or not: every branch of the checks, and the
# JSON types that are none of them.
_VALUES = st.one_of(
    st.sampled_from(["calm-clinic", "impression", "read", "click", "tip", "articles",
                     "anxiety", "sleep", "no-such-topic", "en", "de", "fr", "", "IMPRESSION",
                     "a", "calm-down", "-x", "x" * 101]),
    st.none(), st.booleans(), st.integers(-2, 2), st.floats(allow_nan=False),
    st.text(max_size=8), st.dictionaries(st.text(max_size=3), st.none(), max_size=1))
_ITEMS = st.one_of(
    st.lists(st.sampled_from(["calm-down", "a", "b", "a-1", "9", "", "A", "x y", "-a",
                              "x" * 100, "x" * 101]), max_size=events.MAX_ITEMS + 2),
    st.lists(_VALUES, max_size=3), _VALUES)
_FIELD_NAMES = st.sampled_from([*events.FIELDS, "Partner", "user", ""])
_IDS = st.lists(st.sampled_from(["calm-down", "a", "a-1", "9", "x" * 100]),
                max_size=events.MAX_ITEMS)
_NEARLY_VALID = st.fixed_dictionaries(
    {"partner": st.just("calm-clinic"), "event": st.sampled_from(events.EVENTS),
     "kind": st.sampled_from(events.KINDS), "lang": st.sampled_from(["en", "de"])},
    optional={"topic": st.sampled_from([None, "", "anxiety", "sleep", "nope"]),
              "items": st.integers(0, 3).flatmap(lambda n: _IDS if n else _ITEMS)})
_OTHERS = st.one_of(
    st.dictionaries(_FIELD_NAMES, st.one_of(_VALUES, _ITEMS), max_size=8),
    st.fixed_dictionaries({name: _VALUES for name in events.FIELDS[:5]},
                          optional={"items": _ITEMS}),
    _VALUES, st.lists(_VALUES, max_size=2))
# Weighted (one_of would give each branch an equal chance): valid beacons are what the
# one-pass check is for.
_BEACONS = st.integers(0, 2).flatmap(lambda n: _NEARLY_VALID if n else _OTHERS)


def _outcome(parse: Callable[[], events.Event]) -> object:
    try:
        return parse()
    except BadRequest as error:
        return ("BadRequest", str(error))


@settings(max_examples=600, deadline=None,  # the library is read-only: one for every input
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=_BEACONS)
def test_the_one_pass_check_accepts_exactly_what_the_field_checks_accept(
        library: Library, data: object) -> None:
    """parse() takes events.quick() for beacons it accepts, and events.checked() for the
    rest (which says what is wrong): the two must agree on every event."""
    fast = events.quick(data, library.site)
    checked = _outcome(lambda: events.checked(data, library))
    event("accepted" if fast is not None else "refused, or left to the field checks")
    if fast is not None:
        assert fast == checked
    assert _outcome(lambda: events.parse(json.dumps(data).encode(), library)) == checked


def test_the_one_pass_check_follows_a_new_site(make_content: ContentFactory) -> None:
    body = json.dumps({"partner": "p", "event": "click", "kind": "tip", "lang": "de",
                       "topic": "sleep"}).encode()
    first = loader.load(make_content(), today=TODAY)
    assert events.parse(body, first).lang == "de"
    second = dataclasses.replace(first, site=dataclasses.replace(
        first.site, languages=("en",),
        topics=tuple(t for t in first.site.topics if t.id != "sleep")))
    with pytest.raises(BadRequest, match=r"^topic:"):
        events.parse(body, second)
    assert events.parse(body, first).topic == "sleep"
