"""What a widget beacon may say, checked field by field before anything is counted."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import NamedTuple

from smartmed.content.model import Library, Site
from smartmed.errors import BadRequest

PATH = "/v1/events"  # where widgets send beacons (POST)
ACCEPTED = (202, 204)  # a beacon counted; a bot's, not counted
EVENTS = ("impression", "read", "click")
KINDS = ("tip", "articles")
MAX_BODY_BYTES = 4096
MAX_ITEMS = 20  # the widget shows at most 20 articles (catalog.MAX_LIMIT)
FIELDS = ("partner", "event", "kind", "topic", "lang", "items")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
# Crawlers and headless browsers that run scripts: their views are not readers'. The user
# agent is read for this test only, and never kept or logged.
# Matched against the lower-cased agent: eight times cheaper than re.IGNORECASE here.
_BOT = re.compile(rb"bot|crawl|spider|slurp|headless|lighthouse|preview|facebookexternalhit"
                  rb"|python-|curl/|wget/|go-http-client")


class Event(NamedTuple):
    """A checked beacon; a tuple, so that the tally counts it as one key."""

    partner: str
    event: str
    kind: str
    topic: str  # "" when the widget shows every topic
    lang: str
    items: tuple[str, ...]


def is_bot(user_agent: bytes) -> bool:
    return _BOT.search(user_agent.lower()) is not None


def _text(data: dict[str, object], name: str, required: bool = True) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"{name}: must be a string")
    return value


def parse(body: bytes, library: Library) -> Event:
    """The event a beacon's body describes; BadRequest naming the first bad field."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("body: not a JSON object") from None
    return quick(data, library.site) or checked(data, library)


# What a site accepts, as sets: (the site, its topic ids, its languages), for the last site
# seen. A reload brings a new Site object, and with it new sets.
_accepted: tuple[Site, frozenset[str], frozenset[str]] | None = None
_FIELD_SET = frozenset(FIELDS)
_EVENT_SET = frozenset(EVENTS)
_KIND_SET = frozenset(KINDS)
_NO_ITEMS: tuple[str, ...] = ()  # no "items" field (JSON gives lists, never tuples)


def quick(data: object, site: Site) -> Event | None:
    """The event, when ``data`` is a valid beacon; None for anything else, which
    checked() then explains. One pass with set lookups: what nearly every beacon takes.
    It accepts exactly what checked() accepts (tests/ops/test_stats_events.py)."""
    global _accepted
    if type(data) is not dict or not data.keys() <= _FIELD_SET:
        return None
    accepted = _accepted
    if accepted is None or accepted[0] is not site:
        accepted = _accepted = (site, frozenset(t.id for t in site.topics),
                                frozenset(site.languages))
    get = data.get
    partner, event, kind, topic, lang = (get("partner"), get("event"), get("kind"),
                                         get("topic"), get("lang"))
    items = get("items", _NO_ITEMS)
    if not (type(partner) is str and type(event) is str and event in _EVENT_SET
            and type(kind) is str and kind in _KIND_SET
            and (topic is None or (type(topic) is str and (not topic
                                                             or topic in accepted[1])))
            and type(lang) is str and lang in accepted[2]
            and (items is _NO_ITEMS or (type(items) is list and len(items) <= MAX_ITEMS))):
        return None
    for item in items:
        if type(item) is not str or not _ID.fullmatch(item):
            return None
    return Event(partner, event, kind, topic or "", lang, tuple(dict.fromkeys(items)))


def checked(data: object, library: Library) -> Event:
    """The event ``data`` describes, field by field; BadRequest naming the first bad one."""
    if not isinstance(data, dict):
        raise BadRequest("body: not a JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise BadRequest(f"{unknown[0][:40]}: unknown field; allowed: {', '.join(FIELDS)}")
    partner = _text(data, "partner")
    event = _text(data, "event")
    if event not in EVENTS:
        raise BadRequest(f"event: {event[:40]!r} is not one of: {', '.join(EVENTS)}")
    kind = _text(data, "kind")
    if kind not in KINDS:
        raise BadRequest(f"kind: {kind[:40]!r} is not one of: {', '.join(KINDS)}")
    topic = _text(data, "topic", required=False)
    if topic and library.site.topic(topic) is None:
        raise BadRequest(f"topic: no topic {topic[:40]!r}")
    lang = _text(data, "lang")
    if lang not in library.site.languages:
        raise BadRequest(f"lang: {lang[:40]!r} is not one of: "
                         f"{', '.join(library.site.languages)}")
    items = data.get("items", [])
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise BadRequest(f"items: must be a list of at most {MAX_ITEMS} ids")
    for item in items:
        if not isinstance(item, str) or not _ID.fullmatch(item):
            raise BadRequest("items: each must be a tip id or article slug")
    # Distinct, in order: one beacon counts an item once.
    return Event(partner, event, kind, topic, lang, tuple(dict.fromkeys(items)))


def day_of(now: dt.datetime) -> dt.date:
    """Counts are kept per UTC day: the same day for every replica and partner."""
    return now.astimezone(dt.UTC).date()
