"""The daily chart of the partner page, drawn here as SVG: no script, nothing to load.

Only presentation attributes (fill, stroke), never `style`: the pages' CSP allows styles
from this site's stylesheet only, and an inline SVG is part of the page.
"""

from __future__ import annotations

from html import escape
from typing import Any

from smartmed.ops.stats.events import EVENTS

WIDTH, HEIGHT, PAD = 720, 240, 36
# Colours that keep 3:1 contrast on white and on the dark theme's background.
COLOURS = {"impression": "#2f6fb0", "read": "#2e8540", "click": "#b3541e"}


def svg(daily: list[dict[str, Any]]) -> str:
    top = max([1, *(row[e] for row in daily for e in EVENTS)])
    days = max(len(daily) - 1, 1)

    def x(i: int) -> float:
        return float(PAD + (WIDTH - 2 * PAD) * i / days)

    def y(n: int) -> float:
        return float(HEIGHT - PAD - (HEIGHT - 2 * PAD) * n / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="chart-title" class="stats-chart">',
             '<title id="chart-title">Daily impressions, reads and click-throughs</title>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
             'stroke="currentColor" stroke-width="1"/>',
             f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end" font-size="11" '
             f'fill="currentColor">{top}</text>',
             f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end" font-size="11" '
             'fill="currentColor">0</text>']
    if daily:
        parts.append(f'<text x="{PAD}" y="{HEIGHT - 10}" font-size="11" fill="currentColor">'
                     f'{escape(daily[0]["date"])}</text>')
        parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 10}" text-anchor="end" '
                     f'font-size="11" fill="currentColor">{escape(daily[-1]["date"])}</text>')
    for n, event in enumerate(EVENTS):
        points = " ".join(f"{x(i):.1f},{y(row[event]):.1f}" for i, row in enumerate(daily))
        parts.append(f'<polyline fill="none" stroke="{COLOURS[event]}" stroke-width="2" '
                     f'points="{points}"><title>{event}</title></polyline>')
        lx = PAD + 130 * n
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{COLOURS[event]}"/>'
                     f'<text x="{lx + 16}" y="16" font-size="12" fill="currentColor">'
                     f'{event}</text>')
    parts.append("</svg>")
    return "".join(parts)
