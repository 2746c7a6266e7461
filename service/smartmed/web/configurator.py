"""GET / — the configurator: options, a live preview with the real widget, the embed code.

The form works without JavaScript (it is a GET form back to /); with JavaScript,
static/configurator.js asks /configurator/code for the same builder's output as options
change, so there is one source of embed code.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog import i18n, urls
from smartmed.catalog.catalog import Catalog
from smartmed.catalog.payload import Payload
from smartmed.errors import BadRequest
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.responses import respond
from smartmed.ops.state import current
from smartmed.web import embed, widget
from smartmed.web.pagelang import everywhere, language_name, page_lang
from smartmed.web.pages import feed_links, page_context
from smartmed.web.templating import cached, html_response, render


def _params(request: Request, *, known_only: bool = False) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if known_only and key not in embed.FIELDS:
            continue  # a page ignores what it does not know; its canonical link is "/"
        if key in params:
            raise embed.OptionError(f"{key[:40]}: given more than once")
        params[key] = value
    return params


def _code_doc(catalog: Catalog, options: embed.EmbedOptions,
              asset: widget.WidgetAsset) -> dict[str, Any]:
    url, text = embed.noscript_link(catalog, options)
    lang = embed.embed_lang(catalog, options)
    return {
        "code": embed.embed_code(catalog, options, asset.path, asset.integrity),
        "attributes": options.attributes(),
        "query": options.query(),
        "noscript": {"url": url, "text": text},
        "feeds": [link._asdict() for link in feed_links(catalog, lang, options.topic)],
    }


def _page(catalog: Catalog, lang: str, options: embed.EmbedOptions,
          asset: widget.WidgetAsset) -> Payload:
    """The configurator in ``lang`` (its address's language); the widget's own language is
    the ``lang`` option, whose choices are the site's languages."""
    doc = _code_doc(catalog, options, asset)
    site = catalog.site
    _ = i18n.translations(lang).gettext
    return render(
        "configurator.html",
        **page_context(catalog, section="configurator", title=_("Embed the widget"),
                       path=urls.home_path(catalog.where(lang)),
                       description=_("Build the embed code for %(name)s’s daily tip and "
                                     "articles widget.") % {"name": site.name},
                       lang=lang, versions=everywhere(catalog, urls.home_path)),
        options=options, code=doc["code"],
        feed_list=feed_links(catalog, embed.embed_lang(catalog, options), options.topic),
        attributes=doc["attributes"], csp=embed.csp_directives(catalog),
        origin=embed.service_origin(catalog),
        languages=[(code, language_name(code)) for code in site.languages],
        default_lang=site.default_lang, kinds=embed.KINDS, max_limit=embed.MAX_LIMIT,
        tip_topics=embed.tip_topics(catalog),
        partners=sorted(catalog.library.partners.values(), key=lambda p: p.name.lower()),
        widget_path=asset.path, widget_integrity=asset.integrity,
    )


async def configurator(request: Request) -> Response:
    catalog = current(request).catalog
    lang = page_lang(request, catalog)
    asset = widget.asset(request)
    try:
        options = embed.parse_options(_params(request, known_only=True), catalog)
    except embed.OptionError as exc:
        # A page's error in the page's language; every message names its option first.
        option = str(exc).partition(":")[0]
        raise BadRequest(i18n.gettext(lang, "%(option)s: this address gives that option a "
                                            "value the widget does not take. The embed "
                                            "page without it offers every value it does.")
                         % {"option": option}) from None
    size = current(request).settings.response_cache_entries
    payload = cached(catalog, ("configurator", lang, options, asset.path),
                     lambda: _page(catalog, lang, options, asset), size)
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def embed_code(request: Request) -> Response:
    """The embed code and preview attributes for some options, as JSON for the configurator."""
    catalog = current(request).catalog
    asset = widget.asset(request)
    try:
        options = embed.parse_options(_params(request), catalog)
    except embed.OptionError as exc:
        raise BadRequest(str(exc)) from None
    size = current(request).settings.response_cache_entries
    payload = cached(catalog, ("embed-code", options, asset.path),
                     lambda: Payload.json(_code_doc(catalog, options, asset)), size)
    return respond(request, payload, CACHE_CONTROL["list"],
                   {"x-content-version": catalog.library.version,
                    "x-content-type-options": "nosniff"})


routes = [
    Route("/", configurator, name="configurator"),
    # The configurator in another language: /es/, /de/ (page_lang() 404s any other code).
    Route("/{lang}/", configurator, name="configurator-lang"),
    Route("/configurator/code", embed_code, name="embed-code"),
]
