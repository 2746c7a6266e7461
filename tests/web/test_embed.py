from pathlib import Path

import lxml.html
import pytest

from helpers import NOW, TODAY
from smartmed.catalog.catalog import Catalog
from smartmed.content import loader
from smartmed.web.embed import EmbedOptions, OptionError, embed_code, noscript_link, parse_options

BASE = "https://service.example"
SCRIPT = "/widget.0123456789ab.js"
SRI = "sha384-abc"


@pytest.fixture
def catalog(content_dir: Path) -> Catalog:
    return Catalog(loader.load(content_dir, today=TODAY), "", 16, NOW)


def parts(code: str) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]:
    div, script = lxml.html.fragments_fromstring(code)
    return div, script


def test_tip_code_is_a_placeholder_a_noscript_link_to_todays_tip_and_the_script(
        catalog: Catalog) -> None:
    div, script = parts(embed_code(catalog, EmbedOptions(kind="tip"), SCRIPT, SRI))
    assert div.tag == "div" and dict(div.attrib) == {"data-smartmed": "tip"}
    assert div.xpath("./noscript/a/@href") == [f"{BASE}/tips/today"]
    assert div.xpath("string(./noscript/a)") == "Today’s tip from Smart Meditation"
    assert script.get("src") == BASE + SCRIPT
    assert script.get("integrity") == SRI
    assert script.get("crossorigin") == "anonymous"
    assert "async" in script.attrib


def test_articles_code_links_noscript_readers_to_the_topic_or_the_articles_page(
        catalog: Catalog) -> None:
    topic = parts(embed_code(catalog, EmbedOptions("articles", topic="sleep"), SCRIPT, SRI))[0]
    assert topic.xpath("./noscript/a/@href") == [f"{BASE}/topics/sleep"]
    everything = parts(embed_code(catalog, EmbedOptions("articles"), SCRIPT, SRI))[0]
    assert everything.xpath("./noscript/a/@href") == [f"{BASE}/articles"]


def test_a_partners_code_tags_the_noscript_link_and_escapes_the_ampersand(
        catalog: Catalog) -> None:
    code = embed_code(catalog, EmbedOptions("tip", partner="calm-clinic"), SCRIPT, SRI)
    assert "?utm_source=calm-clinic&amp;utm_medium=widget" in code
    div = parts(code)[0]
    assert div.get("data-partner") == "calm-clinic"
    assert div.xpath("./noscript/a/@href") == [
        f"{BASE}/tips/today?utm_source=calm-clinic&utm_medium=widget"]


def test_every_option_becomes_a_data_attribute_in_a_stable_order() -> None:
    options = EmbedOptions("articles", topic="sleep", limit=5, lang="de", theme="dark",
                           layout="compact", partner="calm-clinic")
    assert options.attributes() == [
        ("data-smartmed", "articles"), ("data-partner", "calm-clinic"), ("data-topic", "sleep"),
        ("data-limit", "5"), ("data-lang", "de"), ("data-theme", "dark"),
        ("data-layout", "compact")]


def test_parse_options_reads_a_query_and_treats_empty_values_as_defaults(
        catalog: Catalog) -> None:
    assert parse_options({}, catalog) == EmbedOptions("tip")
    assert parse_options({"kind": "articles", "topic": "", "limit": "7", "theme": "light"},
                         catalog) == EmbedOptions("articles", limit=7, theme="light")


def test_a_limit_means_nothing_for_a_tip(catalog: Catalog) -> None:
    assert parse_options({"kind": "tip", "limit": "7"}, catalog) == EmbedOptions("tip")


@pytest.mark.parametrize(("params", "message"), [
    ({"kind": "poem"}, "kind: 'poem' is not one of: tip, articles"),
    ({"topic": "cooking"}, "topic: 'cooking' is not one of: sleep, anxiety, stress"),
    ({"kind": "articles", "limit": "11"}, "limit: '11' must be a whole number from 1 to 10"),
    ({"lang": "fr"}, "lang: 'fr' is not one of: en, de"),
    ({"theme": "pink"}, "theme: 'pink' is not one of: auto, light, dark"),
    ({"layout": "grid"}, "layout: 'grid' is not one of: card, compact"),
    ({"partner": "nobody"}, "partner: 'nobody' is not one of: calm-clinic, open-partner"),
    ({"colour": "red"}, "colour: unknown option"),
])
def test_bad_options_name_the_option_and_what_is_allowed(
        catalog: Catalog, params: dict[str, str], message: str) -> None:
    with pytest.raises(OptionError) as caught:
        parse_options(params, catalog)
    assert str(caught.value).startswith(message)


def test_noscript_link_text_names_the_topic(catalog: Catalog) -> None:
    assert noscript_link(catalog, EmbedOptions("articles", topic="anxiety")) == (
        f"{BASE}/topics/anxiety", "Anxiety: articles from Smart Meditation")
