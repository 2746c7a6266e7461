"""YAML with the line of every key: the direct construction of flat mappings gives what
PyYAML's general constructor gives, values, lines and errors alike."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmed.content import yamlfile
from smartmed.content.yamlfile import LineDict, YamlError, parse


def general(text: str, line_offset: int) -> Any:
    """The general constructor alone (yaml.load), with the same line offset."""
    loader = yamlfile._Loader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def shape(value: Any) -> Any:
    """Everything that can differ: types, values, and each mapping's lines."""
    if isinstance(value, LineDict):
        return ("map", value.line, sorted(value.key_lines.items()),
                [(k, shape(v)) for k, v in value.items()])
    if isinstance(value, dict):
        return ("dict", [(repr(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [shape(v) for v in value])
    return (type(value).__name__, repr(value))


def outcome(load: Any, text: str, line_offset: int) -> Any:
    try:
        return "ok", shape(load(text, line_offset))
    except Exception as exc:  # the same error, with the same message and place
        return "error", type(exc).__name__, str(exc)


SCALARS = ["x", "yes", "No", "~", "null", "", "2026-11-01", "2026-13-01",
           "2026-11-01 10:00:00", "2026-11-01t10:00:00.5+02:00", "1e3", "0x1F", "0o17",
           "1_000", ".inf", "-.nan", "'single'", '"double \\n"', '"\\u0085"', "&a x", "*a",
           "!!str 5", "!!int 5", "!!binary aGk=", "!!python/name:os.system", "!custom x",
           "[]", "{}", "{a: 1}", "[a, [b]]", "|\n  block\n", ">-\n  folded\n", "- a\n- b",
           "=", "<<", "? complex", "#comment", "a: b", "'unclosed", "[unclosed"]
# What front matter and tips hold: every plain type, quoted and tagged scalars.
PLAIN = ["x", "two words", "yes", "No", "~", "null", "", "12", "-3", "+12", "0.5", "1e3",
         "0x1F", "0o17", "1_000", ".inf", "-.nan", "true", "False", "2026-11-01",
         "2026-13-01", "2026-02-30", "2026-11-01 10:00:00", "2026-11-01T10:00:00Z",
         "'single'", '"double"', "!!str 5", "!!int '7'", "!!float 1", "!!bool yes"]
KEYS = ["title", "topics", "a", "b", "1", "true", "null", "2026-01-01", "'q'", "<<", "&k a",
        "*k", "[x]", "?"]
scalars = st.one_of(st.sampled_from(PLAIN), st.sampled_from(PLAIN), st.sampled_from(PLAIN),
                    st.sampled_from(SCALARS),
                    st.text(alphabet=string.ascii_letters + string.digits + " :-#.'\"",
                            max_size=12))
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(scalars, min_size=1, max_size=3).map(
        lambda items: "".join(f"\n  - {item}" for item in items)),
)
keys = st.one_of(st.sampled_from(KEYS[:9]), st.sampled_from(KEYS[:9]), st.sampled_from(KEYS))
pairs = st.lists(st.tuples(keys, values), max_size=8)


def mapping_text(items: list[tuple[str, str]], indent: str = "") -> str:
    return "".join(f"{indent}{key}: {value}\n" for key, value in items)


def list_text(entries: list[list[tuple[str, str]]]) -> str:
    out = ""
    for entry in entries:
        body = mapping_text(entry, "  ")
        out += "- " + body[2:] if body else "- {}\n"
    return out


@settings(max_examples=400, deadline=None)
@given(pairs, st.sampled_from([0, 1]))
def test_a_mapping_is_built_as_the_general_constructor_builds_it(
    items: list[tuple[str, str]], offset: int,
) -> None:
    text = mapping_text(items)
    assert outcome(yamlfile.load, text, offset) == outcome(general, text, offset)


@settings(max_examples=200, deadline=None)
@given(st.lists(pairs, max_size=4))
def test_a_list_of_mappings_is_built_as_the_general_constructor_builds_it(
    entries: list[list[tuple[str, str]]],
) -> None:
    text = list_text(entries)
    assert outcome(yamlfile.load, text, 0) == outcome(general, text, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=":-[]{}#&*!|>'\"%@`, \n\t0123456789abcdefghij<=?", max_size=200))
def test_any_text_is_built_or_refused_as_by_the_general_constructor(text: str) -> None:
    assert outcome(yamlfile.load, text, 1) == outcome(general, text, 1)


@pytest.mark.parametrize("text", [
    "a: &x [1, 2]\nb: *x\n",  # one list twice: the general constructor shares it
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",
    "- &t {id: a}\n- *t\n",
    "a: 1\na: 2\n",
    "- a: 1\n- b: 2\n  b: 3\n",
    "a: !!binary aGk=\n",
    "a: {nested: [1, {deep: 2}]}\n",
])
def test_shapes_left_to_the_general_constructor_still_load_alike(text: str) -> None:
    assert outcome(yamlfile.load, text, 1) == outcome(general, text, 1)


def test_front_matter_lines_count_from_the_file_not_the_block() -> None:
    data = parse("title: x\ntopics: [a]\n", 1)
    assert (data.line, data.line_of("title"), data.line_of("topics")) == (2, 2, 3)
    entries = parse("- id: a\n  text: b\n- id: c\n")
    assert [(e.line, e.line_of("text")) for e in entries] == [(1, 2), (3, 3)]


def test_a_duplicate_key_is_an_error_on_its_line() -> None:
    with pytest.raises(YamlError) as info:
        parse("a: 1\nb: 2\na: 3\n", 1)
    assert info.value.line == 4 and "duplicate key 'a'" in info.value.message


def test_strings_are_taken_as_the_safe_constructor_takes_them() -> None:
    # _flat_mapping reads a string node's text itself: that is all this constructor does.
    import yaml

    str_tag = "tag:yaml.org,2002:str"
    assert yamlfile._Loader.yaml_constructors[str_tag] is (
        yaml.constructor.SafeConstructor.construct_yaml_str)

