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
