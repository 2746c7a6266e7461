"""The language of a page's address, and the routes of a page in every language.

The default language's pages have no prefix (/articles); every other language of the site
has the same pages under its code (/es/articles). Pages never choose a language from
Accept-Language: each language has its own address, and every page links to the others.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from smartmed.catalog import i18n, urls
from smartmed.catalog.catalog import Catalog


def page_lang(request: Request, catalog: Catalog) -> str:
    """The language of a page's address: /{lang}/… names one of the site's other
    languages, no prefix is the default. The default's own code as a prefix (/en/…) and a
    code the site does not have are 404: each page has one address."""
    lang = request.path_params.get("lang")
    if lang is None:
        return catalog.site.default_lang
    if lang == catalog.site.default_lang or lang not in catalog.site.languages:
        # Starlette's own 404, as if no route matched: the error handler answers it (and
        # redirects "/healthz/", which the configurator's "/{lang}/" also matches).
        raise HTTPException(404)
    return str(lang)


def lang_of_path(catalog: Catalog, path: str) -> str:
    """The language a path's first segment names, else the default (for error pages)."""
    first = path.split("/", 2)[1] if path.count("/") >= 1 else ""
    languages = catalog.site.languages
    return first if first in languages else catalog.site.default_lang


def everywhere(catalog: Catalog, address: Callable[[urls.Lang], str]) -> dict[str, str]:
    """A page every language has: its address in each."""
    return {lang: address(catalog.where(lang)) for lang in catalog.site.languages}


def language_name(lang: str) -> str:
    """A language's name in itself, as a reader looks for it: "English", "Español"."""
    name = i18n.locale(lang).get_language_name() or lang
    return name[:1].upper() + name[1:]


def in_every_language(routes: list[Route]) -> list[Route]:
    """Each route at its own path (the default language) and under /{lang}/ (the others;
    page_lang() answers 404 for a code that is not one of them)."""
    return routes + [Route("/{lang}" + route.path, route.endpoint, name=f"{route.name}-lang",
                           methods=route.methods)
                     for route in routes]
