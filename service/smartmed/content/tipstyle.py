"""House-style checks on tips, run by ``smartmed check`` and every load.

Each rule stands for a kind of mistake an editorial review found in the library
(content/README.md, "Adding a tip"):

- a tip is what a card can hold: at most MAX_CHARS characters and 1-2 sentences;
- one quotation-mark style per language: English single quotes ('like this'), Spanish
  comillas angulares («así»), German Anführungszeichen („so“);
- UK English: the US spellings listed in languagestyle.ENGLISH are errors;
- a tip that assumes a car, a garden, money to spend or a partner offers an alternative
  in the same tip ("… or …"), so that no reader is left out;
- a tip never reassures that lying awake in bed "does you good" (the sleep article says to
  get up) nor that a symptom is harmless (safemessaging.py covers absolute reassurance);
- the same technique under different words: every tip names its ``technique`` (the
  loader requires it) and tips sharing one are limited to MAX_PER_TECHNIQUE per language,
  so that no single idea dominates the rotation.

What each rule looks for in each language is a table in languagestyle.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from smartmed.content.languagestyle import ENGLISH, style
from smartmed.content.problems import Problem

MAX_CHARS = 180
MAX_SENTENCES = 2
MAX_PER_TECHNIQUE = 3
# English's patterns under their old names, for the tests and tools that use them.
SENTENCE_END = ENGLISH.sentence_end
DOUBLE_QUOTES = ENGLISH.wrong_quotes


def sentences(text: str, lang: str = "en") -> int:
    return len(style(lang).sentence_end.split(text.strip()))


def check_text(path: str, line: int, text: str, lang: str = "en") -> list[Problem]:
    """Problems in one tip's text in ``lang``; ``line`` is where its text is. (Its length
    is checked where it is read: loader.TIP_MAX_CHARS is MAX_CHARS.)"""
    found: list[Problem] = []
    rules = style(lang)

    # Warnings, like other editorial advice: ``make check`` shows them, the bundled
    # library is tested to have none, and any text still loads (the fuzz tests feed it
    # arbitrary text).
    def error(message: str) -> None:
        found.append(Problem(path, line, "text", message, warning=True))

    if (count := sentences(text, lang)) > MAX_SENTENCES:
        error(f"has {count} sentences; a tip has 1 or 2")
    if match := rules.wrong_quotes.search(text):
        error(f"uses {match.group()!r}: quote with {rules.quotes_example}")
    if rules.spellings and (match := rules.spellings.search(text)):
        error(f"{match.group()!r} {rules.spelling_hint}")
    if (match := rules.assumes.search(text)) and not rules.alternative.search(text):
        error(f"assumes the reader has {match.group()!r}: offer an alternative ('… or …')")
    if match := rules.lying_awake_is_rest.search(text):
        error(f"{match.group()!r} contradicts the sleep article: after about twenty "
              "minutes awake, get up")
    return found


def check_article_quotes(path: str, first_line: int, body: str,
                         lang: str = "en") -> list[Problem]:
    """One quotation-mark style per language: article bodies quote as tips do (code
    spans, where a double quote may be literal, are left alone)."""
    prose = re.sub(r"`[^`\n]*`", "", body)
    rules = style(lang)
    # A warning: raw HTML in a body (shown as text) may need double quotes.
    return [Problem(path, first_line + prose.count("\n", 0, m.start()), "body",
                    f"uses {m.group()!r}: quote with {rules.quotes_example}",
                    warning=True)
            for m in rules.wrong_quotes.finditer(prose)][:1]


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
