"""The daily chart of the partner page, drawn here as SVG: no script, nothing to load.

Only presentation attributes (fill, stroke), never `style`: the pages' CSP allows styles
from this site's stylesheet only, and an inline SVG is part of the page.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from smartmed.catalog import i18n
from smartmed.ops.stats.events import EVENTS, KINDS

WIDTH, HEIGHT, PAD = 720, 240, 36
# Colours that keep 3:1 contrast on white and on the dark theme's background.
COLOURS = {"impression": "#2f6fb0", "read": "#2e8540", "click": "#b3541e"}


def event_labels(lang: str) -> dict[str, str]:
    """What each counted event is called on the page and in the chart, in ``lang``."""
    _ = i18n.translations(lang).gettext
    labels = {"impression": _("Impressions"), "read": _("Reads"),
              "click": _("Click-throughs")}
    assert set(labels) == set(EVENTS)
    return labels


def kind_labels(lang: str) -> dict[str, str]:
    """The widget kinds a beacon names, as the page's table shows them."""
    _ = i18n.translations(lang).gettext
    labels = {"tip": _("Tip of the day"), "articles": _("Article list")}
    assert set(labels) == set(KINDS)
    return labels


def svg(daily: list[dict[str, Any]], lang: str = i18n.SOURCE_LANG) -> str:
    """The chart in ``lang``: its title (the accessible name), legend, dates and numbers."""
    _ = i18n.translations(lang).gettext
    names = event_labels(lang)
    top = max([1, *(row[e] for row in daily for e in EVENTS)])
    days = max(len(daily) - 1, 1)

    def x(i: int) -> float:
        return float(PAD + (WIDTH - 2 * PAD) * i / days)

    def y(n: int) -> float:
        return float(HEIGHT - PAD - (HEIGHT - 2 * PAD) * n / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="chart-title" class="stats-chart">',
             f'<title id="chart-title">{escape(_("Daily impressions, reads and click-throughs"))}'
             '</title>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
             'stroke="currentColor" stroke-width="1"/>',
             f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end" font-size="11" '
             f'fill="currentColor">{escape(i18n.number(lang, top))}</text>',
             f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end" font-size="11" '
             f'fill="currentColor">{escape(i18n.number(lang, 0))}</text>']
    if daily:
        parts.append(f'<text x="{PAD}" y="{HEIGHT - 10}" font-size="11" fill="currentColor">'
                     f'{escape(_day(daily[0]["date"], lang))}</text>')
        parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 10}" text-anchor="end" '
                     'font-size="11" fill="currentColor">'
                     f'{escape(_day(daily[-1]["date"], lang))}</text>')
    for n, event in enumerate(EVENTS):
        points = " ".join(f"{x(i):.1f},{y(row[event]):.1f}" for i, row in enumerate(daily))
        parts.append(f'<polyline fill="none" stroke="{COLOURS[event]}" stroke-width="2" '
                     f'points="{points}"><title>{escape(names[event])}</title></polyline>')
        lx = PAD + 130 * n
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{COLOURS[event]}"/>'
                     f'<text x="{lx + 16}" y="16" font-size="12" fill="currentColor">'
                     f'{escape(names[event])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _day(iso: str, lang: str) -> str:
    return i18n.medium_date(dt.date.fromisoformat(iso), lang)
