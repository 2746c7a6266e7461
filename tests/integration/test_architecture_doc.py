"""docs/architecture.md names only modules that exist, and every module of a layer."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "service" / "smartmed"
DOC = (ROOT / "docs" / "architecture.md").read_text()
LAYERS = ("content", "catalog", "ops", "http", "web")


def _layer_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.splitlines():
        match = re.match(r"\| `(\w+)/` \| (.*?) \|", line)
        if match:
            rows[match.group(1)] = re.findall(r"`([\w/]+)`", match.group(2))
    return rows


def test_every_layer_has_a_row() -> None:
    assert sorted(_layer_rows()) == sorted(LAYERS)


def test_every_module_named_in_a_layer_exists() -> None:
    for layer, names in _layer_rows().items():
        for name in names:
            path = PACKAGE / layer / name.rstrip("/")
            assert path.with_suffix(".py").exists() or path.is_dir(), f"{layer}/{name}"


def test_every_module_of_a_layer_is_named() -> None:
    rows = _layer_rows()
    for layer in LAYERS:
        for path in (PACKAGE / layer).iterdir():
            if path.suffix == ".py" and path.stem != "__init__":
                assert path.stem in rows[layer], f"{layer}/{path.name} is not in the map"
            elif path.is_dir() and not path.name.startswith("__"):
                assert f"{path.name}/" in rows[layer], f"{layer}/{path.name}/ is not in the map"


def test_every_module_path_in_the_text_exists() -> None:
    # `web/errors.handle_error`, `ops/daybreak`, `http/caching.CACHE_CONTROL`, ...
    for layer, module in re.findall(r"`(content|catalog|ops|http|web)/(\w+)", DOC):
        assert (PACKAGE / layer / f"{module}.py").exists() or (
            PACKAGE / layer / module).is_dir(), f"{layer}/{module}"
    for top in re.findall(r"`(\w+)\.py`", DOC):
        assert (PACKAGE / f"{top}.py").exists() or any(PACKAGE.rglob(f"{top}.py")), top
