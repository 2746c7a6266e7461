"""YAML parsing that remembers the line of every mapping key."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class LineDict(dict[str, Any]):
    """A mapping that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser when PyYAML was built with it: the same safe constructor, ~10x faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The base is chosen at import (C or Python loader), which mypy cannot type: ignored here.
class _Loader(_Base):  # type: ignore[misc,valid-type]
    # Added to every line recorded: front matter starts on the file's second line.
    line_offset = 0


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    first = 1 + loader.line_offset
    mapping.line = node.start_mark.line + first
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + first
    return mapping


_TAG = "tag:yaml.org,2002:"
# The plain scalar types YAML resolves untagged values to; each has its own constructor.
_SCALAR_TAGS = frozenset(_TAG + name for name in ("null", "bool", "int", "float", "str",
                                                  "timestamp"))
_STR = _TAG + "str"


def _flat(loader: _Loader, node: Node) -> LineDict | list[LineDict] | None:
    """What the general constructor builds, for the shapes content files nearly always
    have: a flat mapping (front matter), or a list of them (tips, partners).

    A flat mapping holds plain scalars and lists of plain scalars, each node used once
    (no alias, no merge key). Each scalar goes to the constructor the general case would
    call; the machinery around it (recursion guards, deferred construction, a cache for
    aliases) was most of the time a load took, and is not needed for these shapes. Any
    other shape gives None, and the general constructor builds it.
    """
    seen: set[int] = set()
    if isinstance(node, MappingNode) and _is_flat_mapping(node, seen):
        return _flat_mapping(loader, node)
    if (type(node) is SequenceNode and node.tag == _TAG + "seq"
            and all(_is_flat_mapping(item, seen) for item in node.value)):
        return [_flat_mapping(loader, item) for item in node.value]
    return None


def _is_flat_mapping(node: Node, seen: set[int]) -> bool:
    """Whether ``node`` is a flat mapping none of whose nodes is in ``seen`` (adding them)."""
    if type(node) is not MappingNode or node.tag != _TAG + "map" or id(node) in seen:
        return False
    seen.add(id(node))
    for key_node, value_node in node.value:
        if not _plain(key_node) or id(value_node) in seen:
            return False
        seen.add(id(value_node))
        if type(value_node) is SequenceNode and value_node.tag == _TAG + "seq":
            if not all(_plain(item) and id(item) not in seen for item in value_node.value):
                return False
            seen.update(id(item) for item in value_node.value)
        elif not _plain(value_node):
            return False
    return True


def _flat_mapping(loader: _Loader, node: MappingNode) -> LineDict:
    """_construct_mapping's result for a flat mapping, in the same order (so the same
    error first), without the general machinery."""
    mapping = LineDict()
    first = 1 + loader.line_offset
    mapping.line = node.start_mark.line + first
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = _scalar(loader, key_node)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        if type(value_node) is SequenceNode:
            mapping[key] = [_scalar(loader, item) for item in value_node.value]
        else:
            mapping[key] = _scalar(loader, value_node)
        mapping.key_lines[key] = key_node.start_mark.line + first
    return mapping


def _scalar(loader: _Loader, node: ScalarNode) -> Any:
    # A string's constructor returns the node's text (SafeConstructor.construct_yaml_str):
    # most scalars are strings, and three calls each add up.
    if node.tag == _STR:
        return node.value
    return loader.yaml_constructors[node.tag](loader, node)


def _plain(node: Node) -> bool:
    return type(node) is ScalarNode and node.tag in _SCALAR_TAGS


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # A date-shaped but impossible value (2026-13-01) stays text, so the field check names it.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse(text: str, line_offset: int = 0) -> Any:
    """Parse YAML; mapping lines are shifted by ``line_offset`` (front matter)."""
    try:
        return load(text, line_offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem_mark:
            # An unclosed bracket is found where the file ends: say where it was opened.
            message += f" ({exc.context} started on line {exc.context_mark.line + 1 + line_offset})"
        raise YamlError(line, message) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 + line_offset
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlError(line, f"control character U+{ord(char):04X} is not allowed") from None
    except yaml.YAMLError as exc:
        raise YamlError(1 + line_offset, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError(1 + line_offset, "invalid YAML: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise YamlError(1 + line_offset, f"invalid YAML: {exc}") from None


def load(text: str, line_offset: int) -> Any:
    """Parse without the error translation of parse(): flat mappings (the common case) are
    built directly, anything else by the general constructor; tests compare the two."""
    # yaml.load, with the offset applied as each mapping is built (not in a second walk).
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        flat = _flat(loader, node)
        return flat if flat is not None else loader.construct_document(node)
    finally:
        loader.dispose()
