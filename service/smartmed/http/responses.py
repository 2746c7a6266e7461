"""Answers from ready payloads: strong ETags, conditional GET (304) and gzip."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from smartmed.catalog.payload import GZIP_MIN_BYTES, Payload

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
    """``payload`` as a 200, or a 304 when the client's validators still match it: gzip when
    the client accepts it, one ETag per representation, ``headers`` added."""
    accept = request.headers.get("accept-encoding", "")
    gzip_ok = payload.size >= GZIP_MIN_BYTES and bool(accept) and _accepts_gzip(accept)
    etag = f'"{payload.tag}-gzip"' if gzip_ok else f'"{payload.tag}"'
    out = {"etag": etag, "cache-control": cache_control, "vary": "Accept-Encoding"}
    if payload.last_modified is not None:
        out["last-modified"] = format_datetime(payload.last_modified, usegmt=True)
    if headers:
        out.update(headers)
    inm = request.headers.get("if-none-match")
    ims = request.headers.get("if-modified-since")
    if inm is not None:
        if _none_match(inm, payload.tag):
            return Response(status_code=304, headers=out)
    elif ims and payload.last_modified is not None and _not_modified_since(
            ims, payload.last_modified):
        return Response(status_code=304, headers=out)
    body = payload.compressed() if gzip_ok else payload.body
    if gzip_ok:
        out["content-encoding"] = "gzip"
    return Response(body, headers=out, media_type=payload.media_type)
