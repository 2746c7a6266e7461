"""The embed code a partner pastes: options in, escaped HTML text out.

One builder serves the configurator page, its live updates and the tests, so the code a
partner copies is always the code the service vouches for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from smartmed.catalog import i18n, urls
from smartmed.catalog.catalog import Catalog, with_utm
from smartmed.http import params as strict
from smartmed.web.templating import environment

KINDS = ("tip", "articles")
THEMES = ("auto", "light", "dark")
LAYOUTS = ("card", "compact")
MAX_LIMIT = 10  # the widget shows at most ten snippets
FIELDS = ("kind", "topic", "limit", "lang", "theme", "layout", "partner", "medical")
MEDICAL = ("include", "exclude")


class OptionError(ValueError):
    """An embed option is not one the widget accepts; the message names it."""


@dataclass(frozen=True)
class EmbedOptions:
    kind: str = "tip"
    topic: str | None = None
    limit: int | None = None  # articles only; None: the widget's default
    lang: str | None = None
    theme: str | None = None  # None: the partner's theme, else auto
    layout: str | None = None
    partner: str | None = None
    medical: str | None = None  # articles only; None: the partner's choice, else exclude

    def attributes(self) -> list[tuple[str, str]]:
        """The placeholder's data-* attributes, leaving defaults out to keep the code short."""
        values = [("kind", self.kind), ("partner", self.partner), ("topic", self.topic),
                  ("limit", str(self.limit) if self.limit else None), ("lang", self.lang),
                  ("theme", self.theme), ("layout", self.layout), ("medical", self.medical)]
        return [("data-smartmed" if name == "kind" else f"data-{name}", value)
                for name, value in values if value]

    def query(self) -> dict[str, str]:
        return {name: str(value) for name in FIELDS if (value := getattr(self, name))}


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise OptionError(f"{name}: {value[:40]!r} is not one of: {', '.join(allowed)}")
    return value


def parse_options(params: Mapping[str, str], catalog: Catalog) -> EmbedOptions:
    """Options from a query string; empty values mean "the default"."""
    unknown = sorted(set(params) - set(FIELDS))
    if unknown:
        raise OptionError(f"{unknown[0][:40]}: unknown option; allowed: {', '.join(FIELDS)}")
    # An empty value (a form field left blank) means the default; any other value must be
    # exactly an allowed one: "tip\n" is not "tip".
    given = {k: v for k, v in params.items() if v}
    site = catalog.site
    kind = _choice("kind", given.get("kind", "tip"), KINDS)
    topic = given.get("topic")
    if topic is not None:
        _choice("topic", topic, tuple(t.id for t in site.topics))
        if kind == "tip" and topic not in tip_topics(catalog):
            raise OptionError(f"topic: {topic!r} has no tips; a tip widget can show: "
                              f"{', '.join(tip_topics(catalog))}")
    limit = None
    if "limit" in given:  # checked for every kind; only a snippets widget uses it
        try:
            limit = strict.integer("limit", given["limit"], 1, MAX_LIMIT)
        except strict.InvalidValue as exc:
            raise OptionError(str(exc)) from None
        if kind != "articles":
            limit = None
    lang = given.get("lang")
    if lang is not None:
        _choice("lang", lang, site.languages)
    partner = given.get("partner")
    if partner is not None:
        _choice("partner", partner, tuple(sorted(catalog.library.partners)))
    theme = _choice("theme", given["theme"], THEMES) if "theme" in given else None
    layout = _choice("layout", given["layout"], LAYOUTS) if "layout" in given else None
    medical = None
    if kind == "articles" and "medical" in given:
        medical = _choice("medical", given["medical"], MEDICAL)
    return EmbedOptions(kind, topic, limit, lang, theme, layout, partner, medical)


def tip_topics(catalog: Catalog) -> tuple[str, ...]:
    """Topics a tip widget can show: those with tips (medication never has any)."""
    with_tips = {tip.topic for tip in catalog.library.tips}
    return tuple(t.id for t in catalog.site.topics if t.id in with_tips)


def embed_lang(catalog: Catalog, options: EmbedOptions) -> str:
    """The language the embed shows: its lang option, else the partner's, else the site's."""
    partner = catalog.library.partners.get(options.partner or "")
    return options.lang or (partner.lang if partner and partner.lang else None) \
        or catalog.site.default_lang


def noscript_link(catalog: Catalog, options: EmbedOptions) -> tuple[str, str]:
    """(url, text) of the page a reader without JavaScript reaches instead of the widget,
    in the embed's language."""
    partner = catalog.library.partners.get(options.partner or "")
    lang = embed_lang(catalog, options)
    where, _ = urls.Lang(lang, catalog.site.default_lang), i18n.translations(lang).gettext
    values = {"name": catalog.site.name}
    if options.kind == "tip":
        url, text = catalog.base + urls.tip_today_path(where), _("Today’s tip from %(name)s")
    elif options.topic and (topic := catalog.site.topic(options.topic)):
        url = catalog.base + urls.topic_path(topic.id, where)
        text = _("%(topic)s: articles from %(name)s")
        values["topic"] = topic.title_in(lang)
    else:
        url, text = catalog.base + urls.articles_path(where), _("Articles from %(name)s")
    return with_utm(url, partner), text % values


def service_origin(catalog: Catalog) -> str:
    parts = urlsplit(catalog.base)
    return f"{parts.scheme}://{parts.netloc}"


def embed_code(catalog: Catalog, options: EmbedOptions, script_path: str,
               integrity: str) -> str:
    url, text = noscript_link(catalog, options)
    env = environment(embed_lang(catalog, options), catalog.site.default_lang)
    return env.get_template("embed.html").render(
        attributes=options.attributes(), noscript_url=url, noscript_text=text,
        script_src=catalog.base + script_path, integrity=integrity,
    ).strip() + "\n"


def csp_directives(catalog: Catalog) -> list[str]:
    origin = service_origin(catalog)
    return [f"script-src {origin}", f"connect-src {origin}"]
