"""House-style checks on tips, run by ``smartmed check`` and every load.

Each rule stands for a kind of mistake an editorial review found in the library
(content/README.md, "Adding a tip"):

- a tip is what a card can hold: at most MAX_CHARS characters and 1-2 sentences;
- one quotation-mark style: single quotes ('like this'), never double quotes;
- UK English: the US spellings listed in US_SPELLINGS are errors;
- a tip that assumes a car, a garden, money to spend or a partner offers an alternative
  in the same tip ("… or …"), so that no reader is left out;
- a tip never reassures that lying awake in bed "does you good" (the sleep article says to
  get up) nor that a symptom is harmless (safemessaging.py covers absolute reassurance);
- the same technique under different words: every tip names its ``technique`` (the
  loader requires it) and tips sharing one are limited to MAX_PER_TECHNIQUE per language,
  so that no single idea dominates the rotation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from smartmed.content.problems import Problem

MAX_CHARS = 180
MAX_SENTENCES = 2
MAX_PER_TECHNIQUE = 3
# A sentence ends at . ! or ? followed by a space and a capital or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'‘\"“])")
DOUBLE_QUOTES = re.compile(r"[\"“”]")
US_SPELLINGS = re.compile(
    r"\b(?:colors?|colored|favorite\w*|behavior\w*|neighbor\w*|center(?:s|ed)?|"
    r"gray|mom|practicing|practiced|realiz\w+|organiz\w+|apologiz\w+|recogniz\w+|"
    r"analyz\w+|cozy|pajamas|toward|fiber|traveling|canceled|program(?!me)s?)\b",
    re.IGNORECASE)
ASSUMES = re.compile(
    r"\b(?:car|garden|gym membership|buy|buying|purchase|treat yourself to|partner|"
    r"spouse|husband|wife)\b", re.IGNORECASE)
ALTERNATIVE = re.compile(r"\bor\b|\bif\b", re.IGNORECASE)
LYING_AWAKE_IS_REST = re.compile(
    r"(?:lying|lie|resting)\b[^.]{0,60}\b(?:still does you good|is (?:just )?as good as sleep"
    r"|counts as rest)"
    # ... or makes getting up sound optional ('leaving the bed for a while is fine')
    r"|\b(?:leav\w*|get\w*)\s+(?:up\s+|out\s+of\s+)?(?:the\s+|your\s+)?bed\b[^.]{0,40}"
    r"\b(?:is fine|is optional|if you like)", re.IGNORECASE)


def sentences(text: str) -> int:
    return len(SENTENCE_END.split(text.strip()))


def check_text(path: str, line: int, text: str) -> list[Problem]:
    """Problems in one tip's text; ``line`` is where its text is. (Its length is checked
    where it is read: loader.TIP_MAX_CHARS is MAX_CHARS.)"""
    found: list[Problem] = []

    # Warnings, like other editorial advice: ``make check`` shows them, the bundled
    # library is tested to have none, and any text still loads (the fuzz tests feed it
    # arbitrary text).
    def error(message: str) -> None:
        found.append(Problem(path, line, "text", message, warning=True))

    if (count := sentences(text)) > MAX_SENTENCES:
        error(f"has {count} sentences; a tip has 1 or 2")
    if match := DOUBLE_QUOTES.search(text):
        error(f"uses {match.group()!r}: quote with single quotes ('like this')")
    if match := US_SPELLINGS.search(text):
        error(f"{match.group()!r} is US spelling; write UK English")
    if (match := ASSUMES.search(text)) and not ALTERNATIVE.search(text):
        error(f"assumes the reader has {match.group()!r}: offer an alternative ('… or …')")
    if match := LYING_AWAKE_IS_REST.search(text):
        error(f"{match.group()!r} contradicts the sleep article: after about twenty "
              "minutes awake, get up")
    return found


def check_article_quotes(path: str, first_line: int, body: str) -> list[Problem]:
    """One quotation-mark style across the library: article bodies quote with single
    quotes too (code spans, where a double quote may be literal, are left alone)."""
    prose = re.sub(r"`[^`\n]*`", "", body)
    # A warning: raw HTML in a body (shown as text) may need double quotes.
    return [Problem(path, first_line + prose.count("\n", 0, m.start()), "body",
                    f"uses {m.group()!r}: quote with single quotes ('like this')",
                    warning=True)
            for m in DOUBLE_QUOTES.finditer(prose)][:1]


def check_techniques(entries: Iterable[tuple[str, int, str, str]]) -> list[Problem]:
    """(path, line, lang, technique) of every tagged tip: too many sharing one is an error
    on each tip past the limit."""
    seen: Counter[tuple[str, str]] = Counter()
    found = []
    for path, line, lang, technique in entries:
        seen[(lang, technique)] += 1
        if seen[(lang, technique)] > MAX_PER_TECHNIQUE:
            found.append(Problem(path, line, "technique", f"{technique!r} is already the "
                                 f"technique of {MAX_PER_TECHNIQUE} tips in {lang!r}: give "
                                 "this one a different idea, or retire one"))
    return found
