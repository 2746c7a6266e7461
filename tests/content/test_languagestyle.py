"""The anchor words that spare most texts a full scan never hide a match."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmed.content.languagestyle import CASE_ODDITIES, LANGUAGES, Words

FIELDS = ("mention", "reassurance", "vague_evidence", "wrong_quotes")
RULES = [(code, field) for code in LANGUAGES for field in FIELDS]
CONTENT = Path(__file__).resolve().parents[2] / "content"


def words(code: str, field: str) -> Words:
    found = getattr(LANGUAGES[code], field)
    assert isinstance(found, Words)
    return found


@pytest.mark.parametrize(("code", "field"), RULES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_match_holds_an_anchor(code: str, field: str, data: st.DataObject) -> None:
    rule = words(code, field)
    before = data.draw(st.text(max_size=20))
    match = data.draw(st.from_regex(rule.pattern, fullmatch=True))
    after = data.draw(st.text(max_size=20))
    text = before + match + after
    found = [m.span() for m in rule.pattern.finditer(text)]
    assert [m.span() for m in rule.finditer(text)] == found
    assert (rule.search(text) is None) == (not found)


@pytest.mark.parametrize(("code", "field"), RULES)
def test_an_anchor_alone_is_no_match_and_no_anchor_means_no_scan(code: str, field: str) -> None:
    rule = words(code, field)
    assert all(anchor == anchor.lower() for anchor in rule.anchors)
    assert not rule.may_match("Nothing here but calm words.")
    assert list(rule.finditer("Nothing here but calm words.")) == []


def test_the_case_oddities_are_every_character_lower_cannot_fold() -> None:
    # Every character that case-insensitive matching equates with a letter of an anchor,
    # though its str.lower() is another: a text with one is scanned in full.
    letters = {c for code, field in RULES for a in words(code, field).anchors for c in a}
    cased = [chr(i) for i in range(sys.maxunicode + 1)
             if chr(i).lower() != chr(i) or chr(i).upper() != chr(i)]
    odd = set()
    for letter in letters:
        pattern = re.compile(re.escape(letter), re.IGNORECASE)
        odd |= {c for c in cased if pattern.fullmatch(c) and c.lower() != letter}
    assert odd <= set(CASE_ODDITIES)


def test_the_bundled_texts_give_the_same_matches_as_a_full_scan() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CONTENT.rglob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CONTENT.rglob("*.yaml"))]
    assert len(texts) > 20
    for code, field in RULES:
        rule = words(code, field)
        for text in texts:
            assert ([m.span() for m in rule.finditer(text)]
                    == [m.span() for m in rule.pattern.finditer(text)])
