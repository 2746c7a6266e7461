"""Pre-serialized responses with strong ETags, conditional GET and gzip."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

GZIP_MIN_BYTES = 500
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Payload:
    body: bytes
    gzipped: bytes | None
    tag: str  # the ETag's opaque part, without quotes
    media_type: str
    last_modified: dt.datetime | None = None

    @classmethod
    def build(cls, body: bytes, media_type: str,
              last_modified: dt.datetime | None = None, *, compress: bool = True) -> Payload:
        tag = hashlib.sha256(body).hexdigest()[:24]
        payload = cls(body, None, tag, media_type, last_modified)
        if compress:
            payload.compressed()
        return payload

    @classmethod
    def json(cls, doc: Any) -> Payload:
        return cls.build(dumps(doc), JSON)

    def compressed(self) -> bytes | None:
        """The gzip bytes, or None for bodies too small to be worth it."""
        if self.gzipped is None and len(self.body) >= GZIP_MIN_BYTES:
            # mtime=0 keeps the bytes identical across workers and replicas. The one
            # assignment a frozen payload allows: filling in what is derived from its body.
            object.__setattr__(self, "gzipped", gzip.compress(self.body, 6, mtime=0))
        return self.gzipped


def dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


# RFC 9110 section 12.4.2: a weight is 0 to 1 with at most three decimals, ASCII digits.
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def _weight(params: str) -> float | None:
    """The q of a coding's parameters (1 when absent); None when it is malformed."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            value = value.strip()
            return float(value) if _QVALUE.fullmatch(value) else None
    return 1.0


def _accepts_gzip(header: str) -> bool:
    """Whether Accept-Encoding allows gzip: its own weight if listed, else that of "*".

    "gzip;q=0" and "*;q=0" refuse it, "identity" alone does not ask for it, and a
    malformed weight counts as a refusal: when in doubt, send what every client reads.
    """
    weights: dict[str, float | None] = {}
    for part in header.split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        if name in ("gzip", "*") and name not in weights:
            weights[name] = _weight(params)
    weight = weights["gzip"] if "gzip" in weights else weights.get("*")
    return weight is not None and weight > 0


# Clients send a handful of distinct Accept-Encoding values: parse each once per worker.
_gzip_answers: dict[bytes, bool] = {}


def _gzip_accepted(raw: bytes) -> bool:
    found = _gzip_answers.get(raw)
    if found is None:
        found = _accepts_gzip(raw.decode("latin-1"))
        if len(_gzip_answers) < 256:
            _gzip_answers[raw] = found
    return found


def _conditions(request: Request) -> tuple[bytes, bytes | None, bytes | None]:
    """Accept-Encoding, If-None-Match, If-Modified-Since in one pass over the raw headers.

    The request path's hot spot: three Headers.get() calls walk the list three times.
    Names arrive lower-cased from the server (ASGI); the first occurrence wins, as with get().
    """
    accept, inm, ims = b"", None, None
    for name, value in request.scope["headers"]:
        if name == b"accept-encoding":
            accept = accept or value
        elif name == b"if-none-match":
            inm = value if inm is None else inm
        elif name == b"if-modified-since":
            ims = value if ims is None else ims
    return accept, inm, ims


def _none_match(header: str, tag: str) -> bool:
    if header.strip() == "*":
        return True
    for candidate in header.split(","):
        value = candidate.strip().removeprefix("W/").strip('"')
        # A tag served gzipped carries a suffix: either representation is a match.
        if value.removesuffix("-gzip") == tag:
            return True
    return False


def _not_modified_since(header: str, last_modified: dt.datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= since


class Ready(Response):
    """A response whose header bytes are already built: Starlette's init_headers is skipped."""

    def __init__(self, status: int, body: bytes, raw_headers: list[tuple[bytes, bytes]]) -> None:
        self.status_code = status
        self.body = body
        self.background = None
        self.raw_headers = raw_headers


# Encoded header lists, keyed by everything they are made of. Most answers repeat one of a
# few hundred combinations (a payload x its cache policy x CORS); encoding them once per
# worker instead of once per request is a fifth of the request path's own time.
_HEADER_CACHE_ENTRIES = 4096
_header_cache: dict[tuple[Any, ...], tuple[list[tuple[bytes, bytes]], int, bytes]] = {}


def _raw_headers(payload: Payload, gzip_ok: bool, cache_control: str,
                 headers: dict[str, str] | None) -> tuple[list[tuple[bytes, bytes]], int, bytes]:
    """(headers of a 200, how many of them a 304 carries too, the ETag as sent)."""
    key = (payload.tag, payload.media_type, payload.last_modified, gzip_ok, cache_control,
           tuple(headers.items()) if headers else ())
    found = _header_cache.get(key)
    if found is not None:
        return found
    out = {
        "etag": f'"{payload.tag}-gzip"' if gzip_ok else f'"{payload.tag}"',
        "cache-control": cache_control,
        "vary": "Accept-Encoding",
    }
    if payload.last_modified is not None:
        out["last-modified"] = format_datetime(payload.last_modified, usegmt=True)
    if headers:
        out.update(headers)
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in out.items()]
    common = len(raw)
    body = payload.compressed() if gzip_ok else payload.body
    assert body is not None
    if gzip_ok:
        raw.append((b"content-encoding", b"gzip"))
    raw.append((b"content-length", str(len(body)).encode()))
    raw.append((b"content-type", _content_type(payload.media_type)))
    if len(_header_cache) >= _HEADER_CACHE_ENTRIES:
        _header_cache.clear()  # rare (content reloads, many partners): simply start over
    _header_cache[key] = found = (raw, common, raw[0][1])
    return found


def respond(request: Request, payload: Payload, cache_control: str,
            headers: dict[str, str] | None = None) -> Response:
    accept, inm, ims = _conditions(request)
    gzip_ok = (len(payload.body) >= GZIP_MIN_BYTES and bool(accept)
               and _gzip_accepted(accept))
    raw, common, etag = _raw_headers(payload, gzip_ok, cache_control, headers)
    if inm is not None:
        # A revalidation almost always sends back the very ETag it was given: one
        # comparison of bytes, before parsing a list of tags.
        if inm == etag or _none_match(inm.decode("latin-1"), payload.tag):
            return Ready(304, b"", raw[:common])
    elif ims and payload.last_modified is not None and _not_modified_since(
            ims.decode("latin-1"), payload.last_modified):
        return Ready(304, b"", raw[:common])
    # A copy: whoever holds the response may change its headers.
    return Ready(200, payload.compressed() if gzip_ok else payload.body,  # type: ignore[arg-type]
                 raw[:])


def _content_type(media_type: str) -> bytes:
    # As Starlette does: a text/* type without a charset gets utf-8.
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return media_type.encode("latin-1")
