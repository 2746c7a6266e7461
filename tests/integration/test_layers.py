"""The package's structure holds: imports point down the layers, and no module leans on a
framework's private parts (issue 14). An AST walk of service/smartmed; nothing is imported.

Layers, bottom to top: content < catalog < ops < http < web. A module imports its own layer
or lower ones; settings.py and errors.py import nothing of the service and anyone may import
them; app.py, cli.py and __main__.py sit on top.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "service" / "smartmed"
LAYERS = ["content", "catalog", "ops", "http", "web"]
LEAVES = {"settings", "errors"}
TOP = {"app", "cli", "__main__", "__init__"}
FRAMEWORKS = ("starlette", "uvicorn")
# Named tuples' documented methods start with "_" so as not to clash with field names.
NAMEDTUPLE_API = {"_asdict", "_replace", "_fields", "_make"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        yield name, ast.parse(path.read_text(), str(path))


def imported(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything a module imports, functions' imports included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def layer(module: str) -> str:
    """The layer a module of the service belongs to, or its own name (a leaf or the top)."""
    return module.split(".")[0]


def rank(module: str) -> int:
    first = layer(module)
    if first in LEAVES:
        return -1
    if first in TOP:
        return len(LAYERS)
    return LAYERS.index(first)


def test_every_module_is_in_a_layer_or_named_as_a_leaf_or_the_top() -> None:
    for name, _ in modules():
        assert layer(name) in {*LAYERS, *LEAVES, *TOP}, name


def test_imports_point_only_down_the_layers() -> None:
    wrong = []
    for name, tree in modules():
        for line, target in imported(tree):
            if not target.startswith("smartmed."):
                continue
            inner = target.removeprefix("smartmed.")
            if layer(name) in LEAVES or rank(inner) > rank(name):
                wrong.append(f"{name}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_content_never_sees_the_catalog_the_http_layer_or_the_routes() -> None:
    # The three rules, spelled out (rank() above implies them).
    forbidden = {"content": ("catalog", "ops", "http", "web"), "catalog": ("http", "web"),
                 "http": ("web",)}
    for name, tree in modules():
        for line, target in imported(tree):
            for banned in forbidden.get(layer(name), ()):
                assert not target.startswith(f"smartmed.{banned}."), f"{name}:{line} {target}"


def test_no_private_module_or_name_of_a_framework_is_imported() -> None:
    for name, tree in modules():
        for line, target in imported(tree):
            if target.startswith(FRAMEWORKS) or target.startswith("concurrent.futures"):
                parts = target.split(".")
                assert not any(p.startswith("_") for p in parts), f"{name}:{line} {target}"
                assert not target.startswith("uvicorn.protocols"), f"{name}:{line} {target}"


def test_no_framework_class_is_subclassed() -> None:
    for name, tree in modules():
        from_frameworks = {alias.asname or alias.name
                           for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                           and (node.module or "").startswith((*FRAMEWORKS, "wsgiref"))
                           for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    base_name = ast.unparse(base)
                    assert base_name.split(".")[0] not in from_frameworks, (
                        f"{name}:{node.lineno} {node.name} subclasses {base_name}")
                    assert not base_name.startswith((*FRAMEWORKS, "wsgiref")), (
                        f"{name}:{node.lineno} {node.name} subclasses {base_name}")


def test_no_private_attribute_of_another_object_is_read() -> None:
    """``x._name`` only on self or cls: never on a framework's or the standard library's
    objects (a pool's pipe, a router's routes). Dunders are the language's, not private."""
    found = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and node.attr not in NAMEDTUPLE_API
                    and not (node.attr.startswith("__") and node.attr.endswith("__"))
                    and not (isinstance(node.value, ast.Name)
                             and node.value.id in ("self", "cls"))):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("framework_module", ["starlette.routing", "starlette.applications"])
def test_the_checks_see_what_they_forbid(framework_module: str) -> None:
    # The walk would pass vacuously if it read nothing: it must see the framework imports.
    seen = {target for _, tree in modules() for _, target in imported(tree)}
    assert any(target.startswith(framework_module) for target in seen)
