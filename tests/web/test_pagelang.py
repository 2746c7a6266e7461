"""web/pagelang.py: a page's language from its address, and each page in every language."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.web.pagelang import in_every_language, language_name


async def _page(request: Request) -> Response:
    return Response(request.path_params.get("lang", "default"))


def test_every_route_gets_a_twin_under_the_language_prefix() -> None:
    routes = in_every_language([Route("/tips", _page, name="tips-page"),
                                Route("/tips/{date}", _page, name="tip-page")])
    assert [(r.path, r.name) for r in routes] == [
        ("/tips", "tips-page"), ("/tips/{date}", "tip-page"),
        ("/{lang}/tips", "tips-page-lang"), ("/{lang}/tips/{date}", "tip-page-lang")]
    assert all(r.endpoint is _page for r in routes)


def test_language_names_are_written_in_the_language_itself() -> None:
    assert [language_name(lang) for lang in ("en", "es", "de", "ar")] == [
        "English", "Español", "Deutsch", "العربية"]
