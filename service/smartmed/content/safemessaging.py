"""Safe-messaging checks on articles and tips, run by ``smartmed check`` and every load.

The rules (content/README.md, "Safe messaging"):

- Suicide and self-harm are written about only in articles marked ``sensitive: true``,
  which carry the urgent-help block at the top as well as at the end, and in tips marked
  ``help: true``, which carry it beside them on every surface.
- No text describes methods or means near those words (an error: such detail raises
  risk for a reader who is struggling).
- Absolute reassurance about symptoms ("harmless", "nothing to worry about", "never
  dangerous") is a warning: say instead when to get medical help.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from smartmed.content.languagestyle import ENGLISH, style
from smartmed.content.problems import Problem

# The words for each rule are a table per language (languagestyle.py), so that a Spanish
# or German text naming suicide needs the help block exactly as an English one does.
MENTION, METHOD, REASSURANCE = ENGLISH.mention, ENGLISH.method, ENGLISH.reassurance
# How near is "near": about a sentence either side.
WINDOW_CHARS = 120
RULE = ("content/README.md, 'Say when to get medical help': name the signs that need a "
        "doctor or emergency care instead")


def _line(text: str, at: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, at)


def _methods_near(text: str, lang: str) -> Iterator[tuple[re.Match[str], re.Match[str]]]:
    rules = style(lang)
    for mention in rules.mention.finditer(text):
        start = max(0, mention.start() - WINDOW_CHARS)
        window = text[start : mention.end() + WINDOW_CHARS]
        for method in rules.method.finditer(window):
            yield mention, method
            break


def _common(path: str, first_line: int, text: str, field: str, lang: str) -> list[Problem]:
    problems = [
        Problem(path, _line(text, mention.start(), first_line), field,
                f"describes methods or means ({method.group()!r}) near "
                f"{mention.group()!r}: never say how, only that help is there")
        for mention, method in _methods_near(text, lang)
    ]
    problems += [
        Problem(path, _line(text, found.start(), first_line), field,
                f"{found.group()!r} is absolute reassurance; see {RULE}", warning=True)
        for found in style(lang).reassurance.finditer(text)
    ]
    return problems


def check_article(path: str, first_line: int, body: str, sensitive: bool,
                  lang: str = "en") -> list[Problem]:
    """Problems in an article's body in ``lang``; ``first_line`` is the body's first line
    in the file."""
    problems = _common(path, first_line, body, "body", lang)
    mention = style(lang).mention.search(body)
    if mention and not sensitive:
        problems.append(Problem(
            path, _line(body, mention.start(), first_line), "body",
            f"mentions {mention.group()!r}: mark the article 'sensitive: true' so that it "
            "carries the urgent-help block at the top"))
    return problems


def check_tip(path: str, line: int, text: str, carries_help: bool = False,
              lang: str = "en") -> list[Problem]:
    """Problems in a tip; one marked ``help: true`` carries the urgent-help block on every
    surface, so, like a sensitive article, it may name suicide (never methods)."""
    problems = _common(path, line, text, "text", lang)
    if (mention := style(lang).mention.search(text)) and not carries_help:
        problems.append(Problem(
            path, line, "text", f"mentions {mention.group()!r}: only a tip marked "
            "'help: true' carries the urgent-help block; mark it, or write about this in an "
            "article marked 'sensitive: true'"))
    return problems
