"""Problem helpers: the fast control-character search and path naming agree with the
plain definitions they stand in for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmed.content.problems import CONTROL, find_control, relative, under

# Every character near the ones CONTROL matches, and their UTF-8 neighbours.
NEAR = ("\x00\x08\t\n\x0b\x0c\r\x0e\x1f\x20~\x7f\x80\x9f\xa0\xc2\xbf\xc3\u00e9\u0100\u2028"
        "\ud7ff\ue000\ufffd\ufffe\uffff\U00010000\U0001f9d8\udc80")


@settings(max_examples=500)
@given(st.text(alphabet=st.one_of(st.sampled_from(NEAR), st.characters()), max_size=60))
def test_find_control_is_the_pattern_search(text: str) -> None:
    expected = CONTROL.search(text)
    found = find_control(text)
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert (found.start(), found.group()) == (expected.start(), expected.group())


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
                                  "\ufffe", "\uffff"])
def test_find_control_finds_each_kind_in_long_text(char: str) -> None:
    text = "calm é 🧘 " * 500 + char + "rest" * 10
    match = find_control(text)
    assert match is not None and match.group() == char and match.start() == text.index(char)


@pytest.mark.parametrize("text", ["", "plain ascii\n\ttext\r\n", "© nbsp\xa0 é ü — ’ 🧘",
                                  "\u00bf\u00c2\u0100 \ud7ff\ue000\ufffd"])
def test_find_control_passes_text_without_them(text: str) -> None:
    assert find_control(text * 100) is None


@pytest.mark.parametrize(("root", "path"), [
    ("/srv/content", "/srv/content/articles/a.md"),
    ("/srv/content", "/srv/content"),
    ("/srv/content", "/srv/contentious/a.md"),
    ("/srv/content", "/elsewhere/a.md"),
    ("content", "content/tips/t.yaml"),
    ("a/..", "a/../x.md"),
    (".", "articles/a.md"),
    ("/", "/articles/a.md"),
    ("//net", "//net/articles/a.md"),
])
def test_relative_and_under_are_what_pathlib_computes(root: str, path: str) -> None:
    r, p = Path(root), Path(path)
    try:
        expected = str(r.name / p.relative_to(r))
    except ValueError:
        expected = str(p)
    assert relative(p, r) == expected
    try:
        inside = str(p.relative_to(r))
    except ValueError:
        with pytest.raises(ValueError):
            under(p, r)
    else:
        assert under(p, r) == inside
