"""The static files' ready payloads, under addresses that carry their digest.

Pages and feeds name these files (stylesheets, icons); web/assets.py serves them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from smartmed.catalog.payload import Payload

# The files live beside the templates that use them.
STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
# Explicit types: the type a platform guesses for .js has varied across systems.
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/vnd.microsoft.icon"}


@dataclass(frozen=True)
class Asset:
    name: str  # the file's own name, e.g. site.css
    url: str  # the hashed URL path, e.g. /static/site.3f2a9c1b.css
    payload: Payload


def _hashed_name(path: Path, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()[:10]
    return f"{path.stem}.{digest}{path.suffix}"


class Assets:
    """Every file in static/, read once: a new file version is a new URL, so caches never
    serve a stale stylesheet with a fresh page."""

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self._by_name: dict[str, Asset] = {}
        self._by_hashed: dict[str, Asset] = {}
        for path in sorted(directory.iterdir()):
            media_type = MEDIA_TYPES.get(path.suffix)
            if media_type is None or not path.is_file():
                continue
            body = path.read_bytes()
            hashed = _hashed_name(path, body)
            asset = Asset(path.name, f"/static/{hashed}", Payload.build(body, media_type))
            self._by_name[path.name] = asset
            self._by_hashed[hashed] = asset

    def url(self, name: str) -> str:
        return self._by_name[name].url

    def named(self, name: str) -> Asset:
        return self._by_name[name]

    def find(self, hashed: str) -> Asset | None:
        return self._by_hashed.get(hashed)


ASSETS = Assets()


