"""Pre-serialized responses with strong ETags, conditional GET and gzip."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
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
              last_modified: dt.datetime | None = None) -> Payload:
        # mtime=0 keeps the gzip bytes identical across workers and replicas.
        gzipped = gzip.compress(body, 6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
        tag = hashlib.sha256(body).hexdigest()[:24]
        return cls(body, gzipped, tag, media_type, last_modified)

    @classmethod
    def json(cls, doc: Any) -> Payload:
        return cls.build(dumps(doc), JSON)


def dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() in {"gzip", "*"}:
            params = params.strip().lower()
            try:
                return float(params[2:]) > 0 if params.startswith("q=") else True
            except ValueError:
                return False
    return False


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


def respond(request: Request, payload: Payload, cache_control: str,
            headers: dict[str, str] | None = None) -> Response:
    gzip_ok = payload.gzipped is not None and _accepts_gzip(request)
    out = {
        "etag": f'"{payload.tag}-gzip"' if gzip_ok else f'"{payload.tag}"',
        "cache-control": cache_control,
        "vary": "Accept-Encoding",
    }
    if payload.last_modified is not None:
        out["last-modified"] = format_datetime(payload.last_modified, usegmt=True)
    if headers:
        out.update(headers)
    inm = request.headers.get("if-none-match")
    ims = request.headers.get("if-modified-since")
    if (inm is not None and _none_match(inm, payload.tag)) or (
        inm is None and ims and payload.last_modified is not None
        and _not_modified_since(ims, payload.last_modified)
    ):
        return Response(status_code=304, headers=out)
    if gzip_ok:
        out["content-encoding"] = "gzip"
        return Response(payload.gzipped, headers=out, media_type=payload.media_type)
    return Response(payload.body, headers=out, media_type=payload.media_type)
