"""A ready response body: its bytes, their gzip form and strong ETag, built once."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartmed.catalog.encoding import JSON, dumps

GZIP_MIN_BYTES = 500


@dataclass(frozen=True, slots=True)
class Payload:
    """A response body ready to send. Most keep their bytes as they are and their gzip form
    once a client asks for it; a packed one (packed()) keeps only the gzip form, and gives
    its body back by decompressing it: for the large bodies built in bulk ahead of requests
    (every article's document, the article feeds), which nearly every client takes gzipped.
    Both forms are the same bytes either way: the same body, the same gzip, the same tag."""

    plain: bytes | None  # None when packed: the body is gzip.decompress(gzipped)
    gzipped: bytes | None
    tag: str  # the ETag's opaque part, without quotes
    media_type: str
    last_modified: dt.datetime | None = None
    size: int = 0  # len(body)

    @classmethod
    def build(cls, body: bytes, media_type: str,
              last_modified: dt.datetime | None = None, *, compress: bool = True) -> Payload:
        payload = cls(body, None, _tag(body), media_type, last_modified, len(body))
        if compress:
            payload.compressed()
        return payload

    @classmethod
    def packed(cls, body: bytes, media_type: str,
               last_modified: dt.datetime | None = None) -> Payload:
        """A payload that keeps only its gzip form (a body too small for gzip stays plain).
        Built where the body is made, in the catalog's worker processes: the body itself
        never reaches the serving process."""
        if len(body) < GZIP_MIN_BYTES:
            return cls.build(body, media_type, last_modified)
        return cls(None, _gzip(body), _tag(body), media_type, last_modified, len(body))

    @classmethod
    def json(cls, doc: Any) -> Payload:
        return cls.build(dumps(doc), JSON)

    @property
    def body(self) -> bytes:
        if self.plain is not None:
            return self.plain
        assert self.gzipped is not None
        return gzip.decompress(self.gzipped)

    def compressed(self) -> bytes | None:
        """The gzip bytes, or None for bodies too small to be worth it."""
        if self.gzipped is None and self.size >= GZIP_MIN_BYTES:
            # The one assignment a frozen payload allows: filling in what is derived from
            # its body.
            object.__setattr__(self, "gzipped", _gzip(self.body))
        return self.gzipped


def _tag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:24]


def _gzip(body: bytes) -> bytes:
    # mtime=0 keeps the bytes identical across workers and replicas.
    return gzip.compress(body, 6, mtime=0)




class LRU:
    """The most recently used payloads, ``size`` at most."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Payload] = OrderedDict()

    def get(self, key: Any, build: Callable[[], Payload]) -> Payload:
        payload = self._items.get(key)
        if payload is None:
            payload = build()
            self._items[key] = payload
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return payload
