"""Where the bundled content and widget live: inside the wheel, or in the checkout."""

from __future__ import annotations

from pathlib import Path

# The package root (smartmed/): this module is in smartmed/content/.
HERE = Path(__file__).resolve().parent.parent


def _find(installed: str, checkout: str) -> Path:
    # A wheel carries copies under smartmed/bundled/; a checkout has them at its root.
    inside = HERE / "bundled" / installed
    return inside if inside.exists() else HERE.parent.parent / checkout


def content_dir() -> Path:
    return _find("content", "content")


def widget_script() -> Path:
    return _find("widget.js", "widget/smartmed-widget.js")
