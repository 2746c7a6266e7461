"""Urgent help: GET /v1/help (JSON) and the /help pages (HTML, no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smartmed.catalog.catalog import Catalog
from smartmed.content import help
from smartmed.errors import BadRequest, NotFound
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.responses import respond
from smartmed.ops.state import current
from smartmed.web.api import headers, lang_param, query_params
from smartmed.web.pages import page_context
from smartmed.web.templating import cached, html_response, render


def _code(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code in either case, as upper case; checked before upper() so
    that no other letter maps onto one ("ı".upper() is "I")."""
    upper = value.upper() if value.isascii() else ""
    return upper if help.CODE.fullmatch(upper) else None


def _countries(catalog: Catalog) -> list[help.Country]:
    return sorted(catalog.library.help.values(), key=lambda c: c.name[catalog.site.default_lang])


async def help_api(request: Request) -> Response:
    catalog = current(request).catalog
    params = query_params(request, ("country", "lang"))
    default = catalog.site.default_country
    code = params.get("country", default or "")
    lang = lang_param(params.get("lang"), catalog.site.languages) or catalog.site.default_lang
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
                   headers(request, catalog.library.version, None))


def _page(catalog: Catalog, country: help.Country | None) -> Any:
    lang = catalog.site.default_lang
    if country is None:
        title, path = "Urgent help", "/help"
        description = "Emergency numbers and crisis lines, by country."
    else:
        title, path = f"Urgent help in {country.name[lang]}", f"/help/{country.slug}"
        description = (f"Emergency: {' or '.join(country.emergency)}. Crisis lines in "
                       f"{country.name[lang]}, each checked against its official page.")
    return render("help.html", **page_context(catalog, section="help", title=title, path=path,
                                              description=description),
                  country=country, countries=_countries(catalog), lang=lang)


async def help_index(request: Request) -> Response:
    state = current(request)
    catalog = state.catalog
    chosen = request.query_params.get("country")
    if chosen is not None:
        # The chooser's form (no JavaScript): on to the country's own address.
        country = catalog.library.help.get(_code(chosen) or "")
        target = f"/help/{country.slug}" if country else "/help"
        return RedirectResponse(target, status_code=303, headers={
            "cache-control": CACHE_CONTROL["list"]})
    if not catalog.library.help:
        raise NotFound("This service has no urgent-help data. If you are in danger, "
                       "call your local emergency number now.")
    payload = cached(catalog, ("help",), lambda: _page(catalog, None),
                     state.settings.response_cache_entries)
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


async def help_country(request: Request) -> Response:
    state = current(request)
    catalog = state.catalog
    code = request.path_params["country"]
    country = catalog.library.help.get(_code(code) or "")
    if country is None:
        raise NotFound("There are no numbers for that country here yet. If you are in "
                           "danger, call your local emergency number now; the list below may "
                           "help.")
    payload = cached(catalog, ("help", country.code), lambda: _page(catalog, country),
                     state.settings.response_cache_entries)
    return html_response(request, payload, CACHE_CONTROL["list"], catalog.library.version)


routes = [
    Route("/v1/help", help_api, methods=["GET"], name="help-api"),
    Route("/help", help_index, name="help-page"),
    Route("/help/{country}", help_country, name="help-country-page"),
]
