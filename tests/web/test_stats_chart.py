"""stats/chart.py: a well-formed SVG, one line per event, no inline style (the CSP)."""

from __future__ import annotations

from lxml import etree

from smartmed.web import statschart as chart

SVG = "{http://www.w3.org/2000/svg}"


def test_one_polyline_per_event_scaled_to_the_largest_count() -> None:
    daily = [{"date": "2026-11-26", "impression": 10, "read": 2, "click": 0},
             {"date": "2026-11-27", "impression": 4, "read": 0, "click": 1}]
    root = etree.fromstring(chart.svg(daily).encode())
    lines = root.findall(f"{SVG}polyline")
    assert [line.findtext(f"{SVG}title") for line in lines] == ["impression", "read", "click"]
    impressions = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    assert impressions[0][1] == chart.PAD  # the top count touches the top of the plot
    assert impressions[1][0] == chart.WIDTH - chart.PAD
    assert not root.xpath("//*[@style]")


def test_an_empty_range_still_draws() -> None:
    root = etree.fromstring(chart.svg([]).encode())
    assert root.tag == f"{SVG}svg"
