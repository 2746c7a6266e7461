import datetime as dt
from pathlib import Path

from helpers import NOW, TODAY
from smartmed.catalog.catalog import Catalog
from smartmed.catalog.payload import Payload
from smartmed.content import loader
from smartmed.web.templating import cached, environment


def test_templates_escape_strings_rendered_from_python() -> None:
    for lang in ("en", "es"):
        html = environment(lang, "en").from_string("<p>{{ text }}</p>").render(text="<b>&</b>")
        assert html == "<p>&lt;b&gt;&amp;&lt;/b&gt;</p>"


def test_translations_escape_what_they_are_given() -> None:
    env = environment("de", "en")
    html = env.from_string('<p>{{ _("From %(name)s.", name=name) }}</p>').render(name="<i>")
    assert html == "<p>Von &lt;i&gt;.</p>"


def test_dates_are_spelled_out_by_babel_whatever_the_process_locale() -> None:
    day = dt.date(2026, 3, 7)
    for lang, long, month in (("en", "7 March 2026", "March 2026"),
                              ("es", "7 de marzo de 2026", "marzo de 2026"),
                              ("de", "7. März 2026", "März 2026")):
        env = environment(lang, "en")
        assert env.from_string("{{ day | long_date }}").render(day=day) == long
        assert env.from_string("{{ day | month_year }}").render(day=day) == month


def test_addresses_in_templates_carry_the_pages_language() -> None:
    source = "{{ article_path('a') }} {{ tips_path }} {{ help_path('GB') }} {{ home_path }}"
    assert environment("en", "en").from_string(source).render() == "/articles/a /tips /help/gb /"
    assert environment("es", "en").from_string(source).render() == \
        "/es/articles/a /es/tips /es/help/gb /es/"


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
