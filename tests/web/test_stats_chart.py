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
    assert [line.findtext(f"{SVG}title") for line in lines] == [
        "Impressions", "Reads", "Click-throughs"]
    impressions = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    assert impressions[0][1] == chart.PAD  # the top count touches the top of the plot
    assert impressions[1][0] == chart.WIDTH - chart.PAD
    assert not root.xpath("//*[@style]")


def test_an_empty_range_still_draws() -> None:
    root = etree.fromstring(chart.svg([]).encode())
    assert root.tag == f"{SVG}svg"


def test_the_chart_speaks_the_pages_language() -> None:
    daily = [{"date": "2026-11-26", "impression": 1500, "read": 2, "click": 0},
             {"date": "2026-11-27", "impression": 4, "read": 0, "click": 1}]
    for lang, title, legend, top, first in [
            ("en", "Daily impressions, reads and click-throughs", "Impressions", "1,500",
             "26 Nov 2026"),
            ("es", "Impresiones, lecturas y clics por día", "Impresiones", "1.500",
             "26 nov 2026"),
            ("de", "Einblendungen, Lesevorgänge und Klicks pro Tag", "Einblendungen", "1.500",
             "26.11.2026")]:
        root = etree.fromstring(chart.svg(daily, lang).encode())
        # The accessible name (role=img, aria-labelledby) is the title, in the language.
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") == title
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert legend in texts and top in texts and first in texts, (lang, texts)
        assert "impression" not in texts and "2026-11-26" not in texts
