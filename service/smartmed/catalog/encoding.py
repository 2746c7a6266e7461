"""The service's one JSON encoder: UTF-8, compact, the bytes of every JSON answer."""

from __future__ import annotations

import json
from typing import Any

JSON = "application/json"
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_SPACED = json.JSONEncoder(ensure_ascii=False)


def dumps(doc: Any, *, compact: bool = True) -> bytes:
    """``doc`` as UTF-8 JSON. Error bodies keep json's default spacing (``compact=False``),
    as they always had: clients and recorded responses compare them byte for byte."""
    return (_COMPACT if compact else _SPACED).encode(doc).encode()
