"""Plain-text excerpts and reading time."""

from __future__ import annotations

import math

import regex

_GRAPHEME = regex.compile(r"\X")
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’)\]]*\s")
ELLIPSIS = "…"
WORDS_PER_MINUTE = 200


def excerpt(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a sentence or word boundary, with an ellipsis."""
    # Only the head can end up in the excerpt: normalizing all of a long article is waste.
    head = text[: 2 * limit + 256]
    normal = " ".join(head.split())
    if len(head) < len(text) and len(normal) <= limit:
        normal = " ".join(text.split())  # the head was mostly whitespace: take it all
    text = normal
    if len(text) <= limit:
        return text
    budget = max(limit - len(ELLIPSIS), 1)
    window = text[: budget + 1]
    sentence_cuts = [m.end() for m in _SENTENCE_END.finditer(window)]
    if sentence_cuts and sentence_cuts[-1] >= budget // 2:
        return window[: sentence_cuts[-1]].rstrip()
    space = window.rfind(" ")
    if space > 0:
        cut = window[:space].rstrip(" ,;:–—-")
        return cut + ELLIPSIS
    # One unbroken run of characters: cut between grapheme clusters, never inside one.
    out = ""
    for cluster in _GRAPHEME.findall(text):
        if len(out) + len(cluster) > budget:
            break
        out += cluster
    return out + ELLIPSIS


# ASCII as bytes: every character str.split() splits on becomes a space, any other an "x".
_WORD_BYTES = bytes(0x20 if chr(b).isspace() else 0x78 for b in range(128)) + b"x" * 128


def word_count(text: str) -> int:
    """``len(text.split())``, without making a string of every word of an ASCII text: a
    word starts at the text's start or after a space."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode("ascii").translate(_WORD_BYTES)
    return marks.count(b" x") + marks.startswith(b"x")


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
