"""Accept-Language: which of the site's languages a client prefers (RFC 9110 12.5.4).

Only the API negotiates; pages never do (each language has its own address). Tags are
compared case-insensitively, a tag matches a language with the same primary subtag
("es-MX" picks "es"), "*" stands for the default, and q=0 refuses. A malformed weight
drops that one entry, as a header the client did not mean.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# RFC 9110 section 12.4.2: a weight is 0 to 1 with at most three decimals.
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")
_TAG = re.compile(r"\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
MAX_ENTRIES = 32  # a longer header is read this far: a client has no need for more


def preferences(header: str) -> list[tuple[str, float]]:
    """(tag, weight) pairs in the client's order of preference, weight 0 left out."""
    found: list[tuple[int, str, float]] = []
    for index, part in enumerate(header.split(",")[:MAX_ENTRIES]):
        tag, _, params = part.partition(";")
        tag = tag.strip().lower()
        if not _TAG.fullmatch(tag):
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.fullmatch(value) else -1.0
        if weight > 0:
            found.append((index, tag, weight))
    found.sort(key=lambda item: (-item[2], item[0]))  # stable: the header's order breaks ties
    return [(tag, weight) for _, tag, weight in found]


def negotiate(header: str | None, languages: Sequence[str], default: str) -> str:
    """The site's language the header prefers most, else ``default``."""
    if not header:
        return default
    for tag, _ in preferences(header):
        if tag == "*":
            return default
        primary = tag.split("-", 1)[0]
        for lang in languages:
            if lang.lower() in (tag, primary):
                return lang
    return default
