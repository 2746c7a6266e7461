"""Urgent help: GET /v1/help (JSON) and the /help pages (HTML, no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smartmed.catalog import i18n, urls
from smartmed.catalog.catalog import Catalog
from smartmed.content import help
from smartmed.errors import BadRequest, NotFound
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.responses import respond
from smartmed.ops.state import current
from smartmed.web.api import choose_lang, headers, query_params
from smartmed.web.pagelang import everywhere, in_every_language, page_lang
from smartmed.web.pages import page_context
from smartmed.web.templating import cached, html_response, render


def _code(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code in either case, as upper case; checked before upper() so
    that no other letter maps onto one ("ı".upper() is "I")."""
    upper = value.upper() if value.isascii() else ""
    return upper if help.CODE.fullmatch(upper) else None


def _countries(catalog: Catalog, lang: str) -> list[help.Country]:
    return sorted(catalog.library.help.values(), key=lambda c: c.name[lang])


async def help_api(request: Request) -> Response:
    catalog = current(request).catalog
    params = query_params(request, ("country", "lang"))
    default = catalog.site.default_country
    code = params.get("country", default or "")
    lang, negotiated = choose_lang(request, params, catalog)
    if not catalog.library.help:
        raise NotFound("country: this service has no urgent-help data")
    upper = _code(code)
    if upper is None:
        raise BadRequest(f"country: {code[:20]!r} is not an ISO 3166-1 alpha-2 code")
    payload = catalog.help_payloads.get((upper, lang))
    if payload is None:
        raise NotFound(f"country: no help for {code[:20]!r}; known: "
                       f"{', '.join(sorted(catalog.library.help))}")
    return respond(request, payload, CACHE_CONTROL["list"],
                   headers(request, catalog.library.version, None, negotiated))


def _page(catalog: Catalog, lang: str, country: help.Country | None) -> Any:
    _ = i18n.translations(lang).gettext
    code = country.code if country else None
    path = urls.help_path(code, catalog.where(lang))
    if country is None:
        title = _("Urgent help")
        description = _("Emergency numbers and crisis lines, by country.")
    else:
        name = country.name[lang]
        title = _("Urgent help in %(country)s") % {"country": name}
        description = _("Emergency: %(numbers)s. Crisis lines in %(country)s, each checked "
                        "against its official page.") % {
            "numbers": f" {_('or')} ".join(country.emergency), "country": name}
    versions = everywhere(catalog, lambda where: urls.help_path(code, where))
    return render("help.html", **page_context(catalog, section="help", title=title, path=path,
                                              description=description, lang=lang,
                                              versions=versions),
                  country=country, countries=_countries(catalog, lang))


async def help_index(request: Request) -> Response:
    state = current(request)
    catalog = state.catalog
    lang = page_lang(request, catalog)
    chosen = request.query_params.get("country")
    if chosen is not None:
        # The chooser's form (no JavaScript): on to the country's own address.
        country = catalog.library.help.get(_code(chosen) or "")
        target = urls.help_path(country.code if country else None, catalog.where(lang))
        return RedirectResponse(target, status_code=303, headers={
            "cache-control": CACHE_CONTROL["list"]})
    if not catalog.library.help:
        raise NotFound(i18n.gettext(lang, "This service has no urgent-help data. If you are "
                                          "in danger, call your local emergency number now."))
    payload = cached(catalog, ("help", lang), lambda: _page(catalog, lang, None),
                     state.settings.response_cache_entries)
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def help_country(request: Request) -> Response:
    state = current(request)
    catalog = state.catalog
    lang = page_lang(request, catalog)
    code = request.path_params["country"]
    country = catalog.library.help.get(_code(code) or "")
    if country is None:
        raise NotFound(i18n.gettext(lang, "There are no numbers for that country here yet. "
                                          "If you are in danger, call your local emergency "
                                          "number now; the list below may help."))
    payload = cached(catalog, ("help", lang, country.code),
                     lambda: _page(catalog, lang, country), state.settings.response_cache_entries)
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


routes = [
    Route("/v1/help", help_api, methods=["GET"], name="help-api"),
    *in_every_language([
        Route("/help", help_index, name="help-page"),
        Route("/help/{country}", help_country, name="help-country-page"),
    ]),
]
