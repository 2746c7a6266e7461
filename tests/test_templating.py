import datetime as dt
from pathlib import Path

from smartmed.catalog.catalog import Catalog
from smartmed.catalog.payload import Payload
from smartmed.content import loader
from smartmed.web.templating import cached, long_date, month_year, templates

from conftest import NOW, TODAY


def test_templates_escape_strings_rendered_from_python() -> None:
    html = templates.env.from_string("<p>{{ text }}</p>").render(text="<b>&</b>")
    assert html == "<p>&lt;b&gt;&amp;&lt;/b&gt;</p>"


def test_dates_are_spelled_out_whatever_the_locale() -> None:
    assert long_date(dt.date(2026, 3, 7)) == "7 March 2026"
    assert month_year(dt.date(2026, 12, 31)) == "December 2026"


def test_a_page_is_built_once_per_catalog(content_dir: Path) -> None:
    library = loader.load(content_dir, today=TODAY)
    first, second = Catalog(library, "", 8, NOW), Catalog(library, "", 8, NOW)
    builds: list[str] = []

    def build() -> Payload:
        builds.append("built")
        return Payload.build(b"<p>page</p>", "text/html")

    assert cached(first, "key", build, 8) is cached(first, "key", build, 8)
    assert len(builds) == 1
    cached(second, "key", build, 8)
    assert len(builds) == 2
