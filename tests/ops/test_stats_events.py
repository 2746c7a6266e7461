"""stats/events.py: what a beacon may carry, and which user agents are not readers."""

from __future__ import annotations

import json

import pytest

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
