"""Whole-input checks for what a request names: ASCII integers, exact dates, no controls.

Two Python habits let partial input through. `re.match(r"…$")` accepts a final "\\n",
because `$` also matches before a trailing newline: every pattern here is used with
fullmatch(). `\\d` and str.isdigit() accept any Unicode digit ("²", full-width "５"), and
int() then either takes it or raises: integers here are ASCII digits [0-9] only.
"""

from __future__ import annotations

import re

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Ten digits at most: past that the number is out of every range here anyway, and int()
# on a huge string costs time the client chooses.
_INTEGER = re.compile(r"[0-9]{1,10}")
# C0, DEL and C1: what splits log lines and headers, and what no address of ours contains.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class InvalidValue(ValueError):
    """A value is not what its parameter takes; the message names the parameter."""


def integer(name: str, value: str, low: int, high: int) -> int:
    """``value`` as an int from ``low`` to ``high``, written in ASCII digits only."""
    if _INTEGER.fullmatch(value) is None or not low <= int(value) <= high:
        raise InvalidValue(f"{name}: {value[:20]!r} must be a whole number from {low} to "
                           f"{high}")
    return int(value)


def has_control(text: str) -> bool:
    # isprintable() runs in C and is true for nearly every path: the regex only when not.
    return not text.isprintable() and _CONTROL.search(text) is not None
