"""Content problems, reported all at once as ``path:line: field: message``."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from smartmed.content.yamlfile import LineDict

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no "$" before "\n"
# Characters XML 1.0 cannot carry, and C1 controls that feed readers misread as cp1252.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Every byte of UTF-8 but the ASCII controls CONTROL matches: deleting these from a text's
# UTF-8 leaves nothing when it has none of them.
_NOT_ASCII_CONTROL = bytes(b for b in range(256) if b >= 0x80 or not CONTROL.match(chr(b)))


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.field}: {kind}{self.message}"


class ContentError(Exception):
    """The content directory has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Report:
    """Collects problems while reading one file's fields."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, name: str, message: str) -> None:
        self.problems.append(Problem(path, line, name, message))

    def warn(self, path: str, line: int, name: str, message: str) -> None:
        self.problems.append(Problem(path, line, name, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def find_control(text: str) -> re.Match[str] | None:
    """``CONTROL.search(text)``, ten times faster on long text that has no such character.

    The regular expression steps through the text character by character in Python's
    matcher; a bytes translation and substring searches run at memory speed. Only text
    that may have one is searched with the pattern, which also says where it is.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if raw.translate(None, _NOT_ASCII_CONTROL) or (not text.isascii() and _c1_or_nonchar(raw)):
        return CONTROL.search(text)
    return None


def _c1_or_nonchar(raw: bytes) -> bool:
    """Whether UTF-8 bytes hold U+0080-U+009F (C2 80-9F) or U+FFFE/U+FFFF (EF BF BE/BF)."""
    if b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw:
        return True
    # C2 is only ever a lead byte, always followed by a continuation byte.
    at = raw.find(b"\xc2")
    while at != -1:
        if raw[at + 1] <= 0x9F:
            return True
        at = raw.find(b"\xc2", at + 2)
    return False


_MISSING = object()


def shown(value: Any) -> str:
    """A value as a message shows it: bounded, since YAML aliases can nest a list of lists
    of lists whose full repr would take gigabytes (the "billion laughs")."""
    text = _SHORT.repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring = 2, 4, 4, 80


class Fields:
    """Typed access to one YAML mapping, reporting each bad field once."""

    def __init__(self, report: Report, path: str, data: LineDict, allowed: Iterable[str]) -> None:
        self.report, self.path, self.data = report, path, data
        allowed = list(allowed)
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.error(key, f"unknown field{hint}; allowed: {', '.join(allowed)}")

    def line(self, name: str) -> int:
        return self.data.line_of(name)

    def error(self, name: str, message: str) -> None:
        self.report.error(self.path, self.line(name), name, message)

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(name, "required field is missing")
            return _MISSING
        return value

    def text(self, name: str, required: bool = True, max_len: int | None = None) -> str | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or isinstance(value, bool):
            self.error(name, f"must be text, not {type(value).__name__}")
            return None
        # Before strip(): Python counts some controls (U+0085) as whitespace.
        if bad := CONTROL.search(value):
            self.error(name, f"control character U+{ord(bad.group()):04X} is not allowed")
            return None
        value = value.strip()
        if not value:
            if required:
                self.error(name, "must not be empty")
            return None
        if max_len is not None and len(value) > max_len:
            self.error(name, f"is {len(value)} characters long; the limit is {max_len}")
            return None
        return value

    def slug(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None and not SLUG.fullmatch(value):
            self.error(name, f"{value!r} must be lowercase letters, digits and single hyphens")
            return None
        return value

    def date(self, name: str, required: bool = True) -> dt.date | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(name, f"{shown(value)} is not a date (YYYY-MM-DD)")
        return None

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(name, f"must be true or false, not {shown(value)}")
            return default
        return value

    def choice(self, name: str, choices: Iterable[str], required: bool = False) -> str | None:
        value = self.text(name, required)
        choices = list(choices)
        if value is not None and value not in choices:
            self.error(name, f"{value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def text_list(self, name: str, required: bool = True) -> list[str] | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, "must be a list of text values")
            return None
        if required and not value:
            self.error(name, "must not be empty")
            return None
        return [v.strip() for v in value]

    def url(self, name: str, required: bool = False) -> str | None:
        value = self.text(name, required)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            self.error(name, f"{value!r} must be an absolute http:// or https:// URL")
            return None
        return value


def origin_problem(value: str) -> str | None:
    """Why ``value`` is not an exact ``scheme://host[:port]`` origin, or None."""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "must be scheme://host[:port] with scheme http or https"
    if parts.path or parts.query or parts.fragment or parts.username:
        return "must be an origin only: no path, query, fragment or user"
    if value != value.lower():
        return "must be lowercase"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "has an invalid port"
    return None


def relative(path: Path, root: Path) -> str:
    """``path`` as problems name it: from the content directory's own name down."""
    inside = _sliced(path, root)
    if inside is not None:
        return f"{root.name}/{inside}"
    try:
        return str(root.name / path.relative_to(root))
    except ValueError:
        return str(path)


def under(path: Path, root: Path) -> str:
    """``str(path.relative_to(root))``, which raises ValueError when it is not under it."""
    inside = _sliced(path, root)
    return inside if inside is not None else str(path.relative_to(root))


def _sliced(path: Path, root: Path) -> str | None:
    """What follows ``root/`` in ``path``'s text, or None to ask pathlib.

    Paths found by walking ``root`` start with its text: slicing it off is what
    relative_to computes, without pathlib parsing both paths (a loader does this for
    every file). The root's text is normalized ("a/b", never "a/b/"); "", "." and "/"
    are left to pathlib.
    """
    head, text = str(root), str(path)
    if head in (".", "/", "//") or not text.startswith(head):
        return None
    return text[len(head) + 1 :] if text[len(head) : len(head) + 1] == "/" else None
