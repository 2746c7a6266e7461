"""The stats routes: beacons in (POST /v1/events), a partner's numbers out, the admin view.

Every answer here is `Cache-Control: no-store`: a beacon must reach a worker every time,
and a partner's numbers must never sit in a shared cache.
"""

from __future__ import annotations

import datetime as dt
import hmac
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smartmed.catalog import i18n, urls
from smartmed.catalog.encoding import JSON, dumps
from smartmed.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    Unavailable,
)
from smartmed.http import params as strict
from smartmed.http.caching import CACHE_CONTROL
from smartmed.ops.state import current
from smartmed.ops.stats import events, report, tokens
from smartmed.ops.stats.tally import Recorder
from smartmed.web import statschart as chart
from smartmed.web.pagelang import everywhere, in_every_language, page_lang
from smartmed.web.pages import page_context
from smartmed.web.templating import HTML, render

NO_STORE = {"cache-control": CACHE_CONTROL["never"]}
DEFAULT_DAYS = 30


def recorder(request: Request) -> Recorder:
    found: Recorder | None = getattr(request.app.state, "stats", None)
    if found is None:  # the lifespan has not run (or has ended): nowhere to count
        raise Unavailable("stats: not ready")
    return found


async def read_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > events.MAX_BODY_BYTES:
            raise PayloadTooLarge(f"body: longer than {events.MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _range(request: Request, today: dt.date,
           lang: str = i18n.SOURCE_LANG) -> tuple[dt.date, dt.date]:
    """The days asked for (``from``, ``to``), else the last DEFAULT_DAYS; a 400 otherwise,
    its message in ``lang`` (the page's language; the API's messages stay English)."""
    _ = i18n.translations(lang).gettext
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key not in ("from", "to") or key in params:
            raise BadRequest(_("%(name)s: unknown or repeated parameter; allowed: from, to")
                             % {"name": key[:40]})
        params[key] = value

    def day(name: str, default: dt.date) -> dt.date:
        if name not in params:
            return default
        try:
            if strict.DATE.fullmatch(params[name]) is None:
                raise ValueError
            return dt.date.fromisoformat(params[name])
        except ValueError:
            raise BadRequest(_("%(name)s: %(value)s is not a date in YYYY-MM-DD form") % {
                "name": name, "value": repr(params[name][:40])}) from None

    last = day("to", today)
    first = day("from", last - dt.timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        raise BadRequest(_("from: after to"))
    if (last - first).days >= report.MAX_DAYS:
        raise BadRequest(_("from: the range is longer than %(days)s days")
                         % {"days": report.MAX_DAYS})
    return first, last


def _bearer(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


async def _authorized(request: Request, stats: Recorder, partner: str) -> None:
    """401 without the secret of some partner; 403 with another partner's."""
    secret = _bearer(request)
    if secret is None:
        raise Unauthorized("authorization: send `Authorization: Bearer <your stats secret>`")
    # A secret names its partner (`partner.random`): one hash to check, whoever asks.
    claimed = secret.partition(".")[0]
    if await run_in_threadpool(tokens.check, stats.store, claimed, secret) is None:
        raise Unauthorized("authorization: this secret is not valid (it may have been "
                           "replaced by a newer one)")
    if claimed != partner:  # exact comparison: case and encoding tricks name no one else
        raise Forbidden("authorization: this secret is for another partner")


async def _report(request: Request) -> report.Report:
    stats = recorder(request)
    partner = request.path_params["partner"]
    await _authorized(request, stats, partner)
    first, last = _range(request, events.day_of(stats.now()))
    return await run_in_threadpool(report.build, stats.store, partner, first, last)


async def stats_json(request: Request) -> Response:
    return Response(dumps((await _report(request)).as_json()), headers=NO_STORE,
                    media_type=JSON)


async def stats_csv(request: Request) -> Response:
    built = await _report(request)
    return Response(built.as_csv(), media_type="text/csv; charset=utf-8", headers={
        **NO_STORE,
        "content-disposition": f'attachment; filename="{built.partner}-stats-'
                               f'{built.first}-{built.last}.csv"'})


def _page(request: Request, lang: str, status: int, partner: str, *,
          built: report.Report | None = None, problem: str = "") -> Response:
    """The partner's page in ``lang``: the sign-in form (no report), else the numbers."""
    catalog = current(request).catalog
    _ = i18n.translations(lang).gettext
    title = (_("Your readers’ use of the widget") if built is not None
             else _("Sign in to your stats"))
    payload = render("stats.html", **page_context(
        catalog, section="", title=title,
        path=urls.partner_stats_path(partner, catalog.where(lang)), lang=lang,
        versions=everywhere(catalog, lambda where: urls.partner_stats_path(partner, where))),
        partner=partner, report=built, problem=problem,
        chart=chart.svg(built.daily, lang) if built is not None else "",
        event_labels=chart.event_labels(lang), kind_labels=chart.kind_labels(lang),
        form_action=urls.partner_stats_path(partner, catalog.where(lang)),
        csv_path=urls.partner_stats_csv_path(partner))
    return Response(payload.body, status_code=status, media_type=HTML, headers={
        **NO_STORE, "x-content-version": catalog.library.version})


async def stats_page(request: Request) -> Response:
    stats = recorder(request)
    lang = page_lang(request, current(request).catalog)
    partner = request.path_params["partner"]
    cookie = request.cookies.get(tokens.COOKIE)
    signed_in = cookie is not None and await run_in_threadpool(
        tokens.session_partner, stats.store, cookie, stats.now()) == partner
    if not signed_in:
        return _page(request, lang, 401, partner)
    first, last = _range(request, events.day_of(stats.now()), lang)
    built = await run_in_threadpool(report.build, stats.store, partner, first, last)
    return _page(request, lang, 200, partner, built=built)


async def sign_in(request: Request) -> Response:
    """The sign-in form's POST: the secret for a session cookie, then back to the page.

    The cookie is set once per language of the site, each with the Path of that
    language's pages of this partner (/partners/{id}/, /es/partners/{id}/, …): switching
    language keeps the session, and the browser sends it nowhere else on the site."""
    stats = recorder(request)
    catalog = current(request).catalog
    lang = page_lang(request, catalog)
    partner = request.path_params["partner"]
    try:
        form = parse_qs((await read_body(request)).decode("utf-8", "replace"), max_num_fields=4)
    except ValueError:  # more fields than the form has: not our form
        raise BadRequest(i18n.gettext(lang, "body: not the sign-in form")) from None
    secret = (form.get("secret") or [""])[0].strip()
    key = None
    if secret.partition(".")[0] == partner:
        key = await run_in_threadpool(tokens.check, stats.store, partner, secret)
    if key is None:
        return _page(request, lang, 401, partner, problem=i18n.gettext(
            lang, "That secret is not valid for this partner."))
    response = RedirectResponse(urls.partner_stats_path(partner, catalog.where(lang)),
                                status_code=303, headers=NO_STORE)
    session = tokens.session(partner, key, stats.now())
    for other in catalog.site.languages:
        response.set_cookie(tokens.COOKIE, session, max_age=tokens.SESSION_SECONDS,
                            path=urls.partner_stats_dir(partner, catalog.where(other)),
                            secure=True, httponly=True, samesite="strict")
    return response


async def admin_stats(request: Request) -> Response:
    stats = recorder(request)
    expected = current(request).settings.admin_secret
    if not expected:
        raise NotFound("path: the admin overview is off (SMARTMED_ADMIN_SECRET is empty)")
    given = _bearer(request) or ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("authorization: send `Authorization: Bearer <admin secret>`")
    first, last = _range(request, events.day_of(stats.now()))
    rows = await run_in_threadpool(stats.store.daily, None, first, last)
    totals: dict[str, dict[str, int]] = {}
    for _day, partner, event, n in rows:
        partner_totals = totals.setdefault(partner, dict.fromkeys(events.EVENTS, 0))
        partner_totals[event] += n
    return Response(dumps({"from": first.isoformat(), "to": last.isoformat(),
                           "partners": totals}), headers=NO_STORE, media_type=JSON)


routes = [
    Route("/v1/partners/{partner}/stats", stats_json, name="partner-stats"),
    Route("/v1/partners/{partner}/stats.csv", stats_csv, name="partner-stats-csv"),
    # The partner's page in every language of the site: /partners/…, /es/partners/….
    *in_every_language([
        Route("/partners/{partner}/stats", stats_page, name="partner-stats-page"),
        Route("/partners/{partner}/stats", sign_in, methods=["POST"],
              name="partner-sign-in"),
    ]),
    Route("/admin/stats", admin_stats, name="admin-stats"),
]
