"""Every language on every surface (issue 19): addresses under /{lang}/, <html lang> and
dir, hreflang alternates, translated pages and feeds, and the API's lang, Accept-Language
negotiation, Vary and labels.

The fixture site has English (the default), Spanish and German, loaded from files, and,
as a right-to-left test fixture only, Arabic: its texts are neutral placeholders marked as
such, not content. The content check rightly refuses a language without a house-style table
(content/languagestyle.py), so the Arabic fixture is added to the loaded library by hand,
as create_app's ``library`` argument allows.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree, html
from starlette.testclient import TestClient

from helpers import GB, HELP_SITE, TODAY, ContentFactory, article, fixed_clock, tip
from smartmed.app import create_app
from smartmed.content import loader
from smartmed.content.model import Library
from smartmed.settings import Settings

BASE = "https://service.example"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM = "{http://www.w3.org/2005/Atom}"
# Right-to-left test fixture: a placeholder ("test text"), not a translation.
AR_PLACEHOLDER = "نص تجريبي للاختبار"
REVIEW = "{reviewed_by: clinical-reviewer, last_reviewed: 2026-11-01, next_review: 2027-11-01}"
SITE = f"""\
name: Smart Meditation
base_url: {BASE}
timezone: Europe/London
default_lang: en
languages: [en, es, de]
topics:
  - id: sleep
    title: {{en: Sleep, es: Sueño, de: Schlaf}}
  - id: anxiety
    title: {{en: Anxiety, es: Ansiedad, de: Angst}}
  - id: stress
    title: {{en: Stress, es: Estrés, de: Stress}}
tips:
  en: {REVIEW}
  es: {REVIEW}
  de: {REVIEW}
disclaimer:
  en: This is general information, not medical advice.
  es: Es información general, no consejo médico.
  de: Dies sind allgemeine Informationen, keine medizinische Beratung.
"""


def version(title: str, lang: str, source: str | None = None) -> str:
    text = article(title, topics="[sleep, stress]")
    extra = f"lang: {lang}" + (f"\ntranslation_of: {source}" if source else "")
    return text.replace("lang: en", extra)


def tips(prefix: str, lang: str) -> str:
    return "".join(tip(f"{prefix}-{n}", extra=f"lang: {lang}") for n in range(1, 4))


def with_right_to_left_fixture(library: Library) -> Library:
    """The library with "ar" added: its topic titles, disclaimer and tip review, one
    article (a translation of sleep-better) and three tips, every text a placeholder."""
    site = library.site
    site = dataclasses.replace(
        site, languages=(*site.languages, "ar"),
        topics=tuple(dataclasses.replace(t, titles={**t.titles, "ar": f"{AR_PLACEHOLDER} {n}"})
                     for n, t in enumerate(site.topics, 1)),
        disclaimers={**site.disclaimers, "ar": f"{AR_PLACEHOLDER}."},
        tips_reviews={**site.tips_reviews, "ar": site.tips_review})
    spanish = library.article("dormir-mejor")
    assert spanish is not None
    arabic = dataclasses.replace(spanish, slug="ar-fixture", lang="ar", title=AR_PLACEHOLDER,
                                 summary=AR_PLACEHOLDER)
    ar_tips = tuple(dataclasses.replace(t, id=f"ar-{t.id}", lang="ar", text=AR_PLACEHOLDER)
                    for t in library.tips if t.lang == "es")
    articles = sorted((*library.articles, arabic), key=lambda a: a.published, reverse=True)
    return dataclasses.replace(library, site=site, articles=tuple(articles),
                               tips=library.tips + ar_tips)


@pytest.fixture
def content_dir(make_content: ContentFactory) -> Path:
    return make_content({
        "site.yaml": SITE,
        "articles/calm-down.md": None,
        "articles/es/dormir-mejor.md": version("Dormir mejor", "es", "sleep-better"),
        "articles/de/besser-schlafen.md": version("Besser schlafen", "de", "sleep-better"),
        "tips/anxiety.yaml": None,
        "tips/es/sueno.yaml": tips("sueno", "es"),
        "tips/de/schlaf.yaml": tips("schlaf", "de"),
    })


@pytest.fixture
def client(content_dir: Path) -> Iterator[TestClient]:
    library = with_right_to_left_fixture(loader.load(content_dir, today=TODAY))
    app = create_app(Settings(content_dir=content_dir), clock=fixed_clock(), library=library)
    with TestClient(app) as c:
        yield c


def page(client: TestClient, path: str, **headers: str) -> html.HtmlElement:
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 200, (path, response.text[:300])
    return html.fromstring(response.content)


# -- addresses ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/", "/articles", "/topics", "/topics/sleep", "/tips", "/tips/2026-11-27"])
def test_every_page_in_every_language_says_its_language_and_direction(
        client: TestClient, path: str) -> None:
    for lang, direction in (("en", "ltr"), ("es", "ltr"), ("de", "ltr"), ("ar", "rtl")):
        address = path if lang == "en" else f"/{lang}{path}"
        root = page(client, address)
        assert root.get("lang") == lang, address
        assert root.get("dir") == direction, address


@pytest.mark.parametrize("path", ["/en/articles", "/en/", "/en/tips/2026-11-27",
                                  "/fr/articles", "/xx/topics/sleep"])
def test_the_default_language_and_unknown_ones_have_no_prefix(client: TestClient,
                                                              path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/en/feeds/tips.rss", "/fr/feeds/articles.json",
                                  "/en/feeds/topics/sleep.atom"])
def test_feeds_of_the_default_language_have_no_prefix(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("lang:")


def test_an_article_lives_at_its_own_languages_address(client: TestClient) -> None:
    assert client.get("/es/articles/dormir-mejor").status_code == 200
    assert client.get("/articles/dormir-mejor").status_code == 404
    assert client.get("/de/articles/dormir-mejor").status_code == 404
    assert client.get("/es/articles/sleep-better").status_code == 404


# -- pages --------------------------------------------------------------------------------

def test_hreflang_alternates_name_every_version_and_x_default(client: TestClient) -> None:
    expected = {"en": f"{BASE}/articles/sleep-better", "es": f"{BASE}/es/articles/dormir-mejor",
                "de": f"{BASE}/de/articles/besser-schlafen",
                "ar": f"{BASE}/ar/articles/ar-fixture",
                "x-default": f"{BASE}/articles/sleep-better"}
    for path in ("/articles/sleep-better", "/es/articles/dormir-mejor"):
        root = page(client, path)
        links = {link.get("hreflang"): link.get("href")
                 for link in root.xpath("//head/link[@rel='alternate'][@hreflang]")}
        assert links == expected, path


def test_list_pages_link_to_themselves_in_every_language(client: TestClient) -> None:
    root = page(client, "/de/tips")
    links = {link.get("hreflang"): link.get("href")
             for link in root.xpath("//head/link[@rel='alternate'][@hreflang]")}
    assert links == {"en": f"{BASE}/tips", "es": f"{BASE}/es/tips", "de": f"{BASE}/de/tips",
                     "ar": f"{BASE}/ar/tips", "x-default": f"{BASE}/tips"}
    # The language links in the header, each in its own language.
    nav = root.xpath("//nav[@aria-label='Sprachen']//a")
    assert [(a.get("hreflang"), a.text, a.get("href")) for a in nav] == [
        ("en", "English", "/tips"), ("es", "Español", "/es/tips"), ("ar", "العربية", "/ar/tips")]


def test_pages_never_redirect_on_accept_language(client: TestClient) -> None:
    for path in ("/", "/articles", "/tips/2026-11-27"):
        response = client.get(path, headers={"accept-language": "es"}, follow_redirects=False)
        assert response.status_code == 200
        assert html.fromstring(response.content).get("lang") == "en"
        assert "accept-language" not in response.headers.get("vary", "").lower()


def test_pages_are_translated_with_babel_dates_and_plurals(client: TestClient) -> None:
    es = page(client, "/es/tips/2026-11-27")
    assert es.xpath("string(//h1)") == "Consejo del 27 de noviembre de 2026"
    assert es.xpath("string(//p[@class='attribution'])") == \
        "De Smart Meditation. Pendiente de revisión clínica."
    de = page(client, "/de/articles")
    assert de.xpath("string(//h1)") == "Artikel"
    meta = " ".join(de.xpath("string(//p[@class='card-meta'])").split())
    assert "1. November 2026" in meta and "Min. Lesezeit" in meta
    tiles = [" ".join(t.text_content().split())
             for t in page(client, "/es/topics").xpath("//a[@class='topic-tile']")]
    assert tiles == ["Sueño 1 artículo · 3 consejos", "Ansiedad 0 artículos · 0 consejos",
                     "Estrés 1 artículo · 0 consejos"]
    # The chrome: no English left on a Spanish page.
    body = page(client, "/es/articles").xpath("string(//body)")
    for english in ("All articles", "Daily tips", "Skip to content", "Subscribe"):
        assert english not in body


def test_right_to_left_pages_render_the_fixture(client: TestClient) -> None:
    root = page(client, "/ar/articles/ar-fixture")
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert root.xpath("//article[@class='reading']/@lang") == ["ar"]
    assert AR_PLACEHOLDER in root.xpath("string(//h1)")


def test_feed_autodiscovery_follows_the_page_language(client: TestClient) -> None:
    hrefs = page(client, "/es/topics/sleep").xpath("//head/link[@type]/@href")
    assert f"{BASE}/es/feeds/topics/sleep.atom" in hrefs
    assert f"{BASE}/es/feeds/tips.rss" in hrefs
    assert not [h for h in hrefs if h.startswith(f"{BASE}/feeds/")]


# -- feeds --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "de", "ar"])
def test_each_language_has_its_feeds_in_its_language(client: TestClient, lang: str) -> None:
    rss = etree.fromstring(client.get(f"/{lang}/feeds/tips.rss").content)
    assert rss.findtext("channel/language") == lang
    guids = [g.text for g in rss.findall("channel/item/guid")]
    assert guids and all(g.startswith(f"{BASE}/{lang}/tips/") for g in guids)
    atom = etree.fromstring(client.get(f"/{lang}/feeds/articles.atom").content)
    assert atom.get(XML_LANG) == lang
    ids = [e.findtext(f"{ATOM}id") for e in atom.findall(f"{ATOM}entry")]
    assert len(ids) == 1 and ids[0].startswith(f"{BASE}/{lang}/articles/")
    doc = json.loads(client.get(f"/{lang}/feeds/topics/sleep.json").content)
    assert doc["language"] == lang
    assert doc["feed_url"] == f"{BASE}/{lang}/feeds/topics/sleep.json"
    assert doc["home_page_url"] == f"{BASE}/{lang}/topics/sleep"


def test_feed_texts_are_translated(client: TestClient) -> None:
    doc = client.get("/de/feeds/tips.json").json()
    assert doc["title"] == "Smart Meditation: Tipp des Tages"
    assert doc["items"][0]["title"].startswith("Tipp für den 2026-11-27")
    assert "Klinische Prüfung steht noch aus" in doc["items"][0]["content_html"]
    assert client.get("/feeds/tips.json").json()["language"] == "en"


# -- API ----------------------------------------------------------------------------------

def test_accept_language_chooses_the_answer_and_varies_it(client: TestClient) -> None:
    response = client.get("/v1/tips/2026-11-27", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.json()["lang"] == "es"
    assert response.json()["tip"]["id"].startswith("sueno-")
    assert response.headers["vary"] == "Origin, Accept-Encoding, Accept-Language"
    assert response.json()["labels"]["tip_of_the_day"] == "Consejo del día"
    assert response.json()["tip"]["url"] == f"{BASE}/es/tips/2026-11-27"


def test_an_explicit_lang_wins_and_does_not_vary(client: TestClient) -> None:
    response = client.get("/v1/tips/2026-11-27?lang=de", headers={"accept-language": "es"})
    assert response.json()["lang"] == "de"
    assert "Accept-Language" not in response.headers["vary"]
    assert response.json()["labels"]["min_read"] == {"one": "{n} Min. Lesezeit",
                                                     "other": "{n} Min. Lesezeit"}


def test_no_header_and_no_lang_is_the_default_language(client: TestClient) -> None:
    response = client.get("/v1/tips/2026-11-27")
    assert response.json()["lang"] == "en"
    assert response.headers["vary"].endswith("Accept-Language")


def test_topics_articles_and_help_in_the_answers_language(client: TestClient) -> None:
    topics = client.get("/v1/topics", headers={"accept-language": "de"})
    assert [t["title"] for t in topics.json()["topics"]] == ["Schlaf", "Angst", "Stress"]
    assert "Accept-Language" in topics.headers["vary"]
    listing = client.get("/v1/articles?lang=es").json()
    assert [a["slug"] for a in listing["articles"]] == ["dormir-mejor"]
    assert listing["articles"][0]["topics"][0]["title"] == "Sueño"
    assert listing["labels"]["read_more"] == "Seguir leyendo"
    detail = client.get("/v1/articles/dormir-mejor").json()
    assert detail["article"]["url"] == f"{BASE}/es/articles/dormir-mejor"
    assert "labels" not in detail  # the list or tip that led to it carried them
    assert detail["attribution"]["review_label"] == "Pendiente de revisión clínica"


def test_an_articles_version_in_another_language(client: TestClient) -> None:
    response = client.get("/v1/articles/sleep-better?lang=de")
    assert response.json()["article"]["slug"] == "besser-schlafen"
    assert client.get("/v1/articles/besser-schlafen?lang=es").json()["article"]["slug"] \
        == "dormir-mejor"
    missing = client.get("/v1/articles/sleep-better?lang=fr")
    assert missing.status_code == 400 and missing.json()["error"]["message"].startswith("lang:")


def test_ready_responses_cover_every_language(client: TestClient) -> None:
    catalog = client.app.state.service.catalog
    assert client.get("/readyz").json()["languages"] == ["en", "es", "de", "ar"]
    for lang in ("en", "es", "de", "ar"):
        assert catalog.feed("tips", "rss", lang) is not None
        assert catalog.topics_payloads[lang] is not None


# -- configurator -------------------------------------------------------------------------

def test_the_configurator_offers_the_sites_languages_and_the_code_carries_it(
        client: TestClient) -> None:
    root = page(client, "/es/?lang=de&kind=tip")
    options = root.xpath("//select[@name='lang']/option")
    assert [o.get("value") for o in options] == ["", "en", "es", "de", "ar"]
    assert root.xpath("//select[@name='lang']/option[@selected]/@value") == ["de"]
    code = client.get("/configurator/code?lang=de&kind=tip").json()
    assert 'data-lang="de"' in code["code"]
    assert code["noscript"] == {"url": f"{BASE}/de/tips/today",
                                "text": "Heutiger Tipp von Smart Meditation"}
    assert root.xpath("string(//h1)") == "Pon Smart Meditation en tu web"


# -- urgent help --------------------------------------------------------------------------

def test_help_pages_and_blocks_in_each_language(make_content: ContentFactory) -> None:
    root = make_content({"site.yaml": HELP_SITE, "help/GB.yaml": GB,
                         "articles/de/besser-schlafen.md": version("Besser schlafen", "de",
                                                                   "sleep-better"),
                         "tips/de/schlaf.yaml": tips("schlaf", "de")})
    with TestClient(create_app(Settings(content_dir=root), clock=fixed_clock())) as client:
        de = page(client, "/de/help/gb")
        assert de.get("lang") == "de"
        assert de.xpath("string(//h1)") == "Soforthilfe: Vereinigtes Königreich"
        block = " ".join(de.xpath("string(//aside[@class='help-block'])").split())
        assert "Anruf unter 116 123" in block and "schick SHOUT per SMS an 85258" in block
        assert de.xpath("//aside//a[last()]/@href")[-1] == "/de/help"
        assert {link.get("hreflang"): link.get("href") for link in
                de.xpath("//head/link[@hreflang]")} == {
            "en": f"{BASE}/help/gb", "de": f"{BASE}/de/help/gb", "x-default": f"{BASE}/help/gb"}
        api = client.get("/v1/help?country=gb", headers={"accept-language": "de"})
        assert api.json()["name"] == "Vereinigtes Königreich"
        assert "Accept-Language" in api.headers["vary"]
        feed = client.get("/de/feeds/articles.json").json()
        html_body = feed["items"][0]["content_html"]
        assert "<h2>Brauchst du sofort Hilfe?</h2>" in html_body
        assert f'href="{BASE}/de/help"' in html_body
        assert "Need urgent help?" not in html_body
        tip_doc = client.get("/v1/tips/2026-11-27?lang=de").json()
        assert tip_doc["help"]["url"] == f"{BASE}/de/help/gb"
