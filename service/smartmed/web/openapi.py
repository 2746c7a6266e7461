"""GET /openapi.json: the JSON and feed endpoints, described in code beside the routes.

tests/web/test_openapi.py checks it against app.routes and against real responses, and
tests/integration/test_schemathesis.py fuzzes the service with it: it cannot drift silently.
The description does not depend on the content (topics, partners and languages are
checked at request time, with a 400 or 404 naming the value), so it is built once.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog import feeds
from smartmed.catalog.catalog import MAX_LIMIT
from smartmed.catalog.payload import Payload
from smartmed.content.model import AWAITING, REVIEWED
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.limits import MAX_HEADER_BYTES
from smartmed.http.responses import respond
from smartmed.web.embed import KINDS, LAYOUTS, THEMES
from smartmed.web.embed import MAX_LIMIT as EMBED_MAX_LIMIT

Schema = dict[str, Any]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE = r"^\d{4}-\d{2}-\d{2}$"


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    return {"type": "object", "required": list(required),
            "properties": {**required, **(optional or {})}}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


TEXT: Schema = {"type": "string"}
URL: Schema = {"type": "string", "format": "uri"}
DAY: Schema = {"type": "string", "format": "date"}

# Content with urgent-help data adds this to every tip and article answer (optional:
# content without it has none).
HELP_REF = {"help": nullable(obj({"country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                                  "emergency": TEXT, "url": URL}))}
SERVICE = obj({
    "name": TEXT, "purpose": TEXT, "phone": nullable(TEXT), "sms": nullable(TEXT),
    "sms_text": nullable(TEXT), "web": nullable(URL), "hours": nullable(TEXT),
    "cost": nullable(TEXT), "languages": {"type": "array", "items": TEXT}, "source": URL,
    "last_verified": DAY})

REVIEW_STATUS = {"type": "string", "enum": [REVIEWED, AWAITING]}
# The words a widget shows around the content, in the answer's language (catalog/i18n.py):
# a widget needs no table of its own. min_read has one text per CLDR plural category of
# the language ("one", "many", "other"…; pick with Intl.PluralRules), "{n}" for the number.
LABELS = obj({
    "lang": TEXT, "dir": {"type": "string", "enum": ["ltr", "rtl"]},
    "tip_of_the_day": TEXT, "read_more": TEXT, "learn_more": TEXT,
    "min_read": {"type": "object", "required": ["other"],
                 "additionalProperties": {"type": "string", "pattern": "\\{n\\}"}},
    "awaiting_review": TEXT,
    "reviewed_by": {"type": "string", "pattern": "\\{names\\}"},
    "help_heading": TEXT, "help_call": TEXT, "help_text": TEXT, "help_or": TEXT,
    "help_more": TEXT})

SCHEMAS: dict[str, Schema] = {
    "Error": obj({"error": obj({"code": {"type": "string", "pattern": "^[a-z_]+$"},
                                "message": TEXT})}),
    "TopicRef": obj({"id": TEXT, "title": TEXT}),
    "PartnerRef": obj({"id": TEXT, "name": TEXT,
                       "theme": nullable({"type": "string", "enum": list(THEMES)})}),
    # reviewed_by is null while only placeholder reviewers signed: review_status says so.
    "Attribution": obj({"brand": TEXT, "reviewed_by": nullable(TEXT),
                        "review_status": REVIEW_STATUS, "review_label": TEXT,
                        "last_reviewed": DAY, "url": URL}),
    "Review": obj({
        "status": REVIEW_STATUS, "label": TEXT, "last_reviewed": DAY, "next_review": DAY,
        "history": {"type": "array", "minItems": 1, "items": obj({
            "date": DAY, "reviewers": {"type": "array", "minItems": 1, "items": obj({
                "id": TEXT, "name": TEXT, "profession": TEXT,
                "placeholder": {"type": "boolean"}})}})}}),
    "Reference": obj({"title": TEXT, "publisher": TEXT,
                      "year": nullable({"type": "integer"}), "accessed": nullable(DAY),
                      "url": URL, "kind": TEXT}),
    "Tip": obj({
        "date": DAY, "lang": TEXT, "topic": nullable(TEXT),
        "tip": obj({
            "id": TEXT, "text": TEXT, "topic": ref("TopicRef"), "pinned": {"type": "boolean"},
            "help_block": {"type": "boolean"},
            "url": URL,
            "article": nullable(obj({"slug": TEXT, "title": TEXT, "url": URL, "api_url": TEXT})),
        }),
        "attribution": ref("Attribution"), "review": ref("Review"),
        "partner": nullable(ref("PartnerRef")), "labels": ref("Labels"),
    }, HELP_REF),
    "Snippet": obj({
        "slug": TEXT, "title": TEXT, "snippet": TEXT,
        "topics": {"type": "array", "items": ref("TopicRef")}, "lang": TEXT, "author": TEXT,
        "reviewed_by": nullable(TEXT), "review_status": REVIEW_STATUS, "published": DAY,
        "updated": nullable(DAY), "last_reviewed": DAY,
        "next_review": DAY, "medical": {"type": "boolean"},
        "reading_minutes": {"type": "integer", "minimum": 1}, "url": URL, "api_url": TEXT,
    }),
    "ArticlePage": obj({
        "articles": {"type": "array", "items": ref("Snippet"), "maxItems": MAX_LIMIT},
        "total": {"type": "integer", "minimum": 0}, "next_cursor": nullable(TEXT),
        "topic": nullable(TEXT), "lang": nullable(TEXT), "partner": nullable(ref("PartnerRef")),
    }, {**HELP_REF, "labels": ref("Labels")}),
    "Article": obj({
        "article": {"allOf": [ref("Snippet"), obj({
            "summary": TEXT,
            "html": {"type": "string", "description": "sanitized HTML: safe to insert"},
            "word_count": {"type": "integer", "minimum": 0}, "disclaimer": nullable(TEXT),
            "review": ref("Review"),
            "references": {"type": "array", "items": ref("Reference")}})]},
        "attribution": ref("Attribution"), "partner": nullable(ref("PartnerRef")),
    }, HELP_REF),
    "Help": obj({
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"}, "name": TEXT, "lang": TEXT,
        "url": URL,
        "emergency": obj({"numbers": {"type": "array", "items": TEXT, "minItems": 1},
                          "source": URL, "last_verified": DAY}),
        "services": {"type": "array", "items": SERVICE, "minItems": 1},
        "countries": {"type": "array", "items": obj({"country": TEXT, "name": TEXT, "url": URL,
                                                     "api_url": TEXT})},
    }),
    "Labels": LABELS,
    "Topics": obj({"lang": TEXT, "topics": {"type": "array", "items": obj({
        "id": TEXT, "title": TEXT, "articles": {"type": "integer", "minimum": 0},
        "tips": {"type": "integer", "minimum": 0}})}}),
    "JsonFeed": obj({
        "version": {"const": feeds.JSON_FEED_VERSION}, "title": TEXT, "home_page_url": URL,
        "feed_url": URL, "items": {"type": "array", "items": obj(
            {"id": TEXT, "url": URL, "title": TEXT, "content_html": TEXT,
             "date_published": {"type": "string", "format": "date-time"}},
            {"summary": TEXT, "content_text": TEXT, "tags": {"type": "array", "items": TEXT},
             "date_modified": {"type": "string", "format": "date-time"}})},
    }, {"description": TEXT, "language": TEXT}),
    "EmbedInfo": obj({"src": URL, "integrity": {"type": "string", "pattern": "^sha384-"},
                      "crossorigin": {"const": "anonymous"}, "latest": URL}),
    "EmbedCode": obj({
        "code": TEXT,
        "attributes": {"type": "array", "items": {  # [name, value] pairs
            "type": "array", "items": TEXT, "minItems": 2, "maxItems": 2}},
        "query": {"type": "object", "additionalProperties": TEXT},
        "noscript": obj({"url": URL, "text": TEXT}),
        "feeds": {"type": "array", "items": obj({"href": URL, "type": TEXT, "title": TEXT})},
    }),
    "Health": obj({"status": {"const": "ok"}}),
    "Ready": obj({"status": {"const": "ready"}, "content_version": TEXT,
                  "articles": {"type": "integer", "minimum": 0},
                  "tips": {"type": "integer", "minimum": 0},
                  "languages": {"type": "array", "items": TEXT, "minItems": 1}}),
    "OpenAPI": obj({"openapi": TEXT, "info": {"type": "object"}, "paths": {"type": "object"}}),
}


def error(description: str) -> Schema:
    return {"description": description,
            "content": {"application/json": {"schema": ref("Error")}}}


RESPONSES: dict[str, Schema] = {
    "BadRequest": error("A parameter is malformed, unknown or repeated; the message names it."),
    "Forbidden": error("The request names a partner and comes from an Origin that partner "
                       "does not list."),
    "NotFound": error("No such date, article, topic, feed, partner or help country."),
    "URITooLong": error("The path or query string is too long."),
    "HeadersTooLarge": error(f"The headers total more than {MAX_HEADER_BYTES} bytes."),
    "NotModified": {"description": "The client's copy (If-None-Match, If-Modified-Since) is "
                                   "current."},
}


def param(name: str, where: str, schema: Schema, description: str,
          example: Any = None) -> Schema:
    out = {"name": name, "in": where, "required": where == "path", "schema": schema,
           "description": description}
    if example is not None:
        out["example"] = example
    return out


def slug(max_length: int = 64) -> Schema:
    return {"type": "string", "pattern": SLUG, "maxLength": max_length}


LANG_SCHEMA: Schema = {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*$",
                       "maxLength": 16}
LANG = param("lang", "query", LANG_SCHEMA,
             "Language; one of the site's languages (400 otherwise). It wins over "
             "Accept-Language. Without it the answer is in the language Accept-Language "
             "prefers among the site's (else the partner's, else the site's default) and "
             "says Vary: Accept-Language.", "en")
ACCEPT_LANGUAGE = param("Accept-Language", "header", {"type": "string", "maxLength": 256},
                        "Read only when the query names no lang (RFC 9110 12.5.4: q-values, "
                        "\"es-MX\" picks es).", "es-MX,es;q=0.9,en;q=0.5")
PATH_LANG = param("lang", "path", {"type": "string", "pattern": "^[a-z]{2,3}$", "maxLength": 3},
                  "One of the site's languages other than the default (whose feeds have no "
                  "prefix); 404 otherwise.", "de")
TOPIC = param("topic", "query", slug(), "Topic id, see /v1/topics (404 if unknown).", "sleep")
PARTNER = param("partner", "query", slug(),
                "Partner id. With an Origin header, that origin must be one of the partner's "
                "(403); unknown partners are 404. The partner's defaults fill options left out "
                "and its links carry utm parameters.")


def operation(op_id: str, summary: str, ok: Schema, parameters: list[Schema], *,
              partner: bool = False, cached: bool = True, not_found: bool = True) -> Schema:
    responses: dict[str, Any] = {"200": ok}
    if cached:
        responses["304"] = {"$ref": "#/components/responses/NotModified"}
    responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    if partner:
        responses["403"] = {"$ref": "#/components/responses/Forbidden"}
    if not_found or partner:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["414"] = {"$ref": "#/components/responses/URITooLong"}
    responses["431"] = {"$ref": "#/components/responses/HeadersTooLarge"}
    return {"get": {"operationId": op_id, "summary": summary, "parameters": parameters,
                    "responses": responses}}


def json_ok(schema: str, description: str = "OK") -> Schema:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def feed_ok(fmt: str) -> Schema:
    body = ref("JsonFeed") if fmt == "json" else {"type": "string"}
    return {"description": f"The {feeds.LABELS[fmt]} document.",
            "content": {feeds.TYPES[fmt]: {"schema": body}}}


def feed_paths() -> dict[str, Schema]:
    paths: dict[str, Schema] = {}
    topic = param("topic", "path", slug(), "Topic id (404 if unknown).", "sleep")
    for prefix, lang, where in (("", [], "the default language"),
                                ("/{lang}", [PATH_LANG], "another language")):
        op = "-lang" if prefix else ""
        for name, what in (("tips", "the tip of each of the last days"),
                           ("articles", "the newest articles")):
            for fmt in feeds.FORMATS:
                paths[f"{prefix}/feeds/{name}.{fmt}"] = operation(
                    f"feed-{name}-{fmt}{op}", f"{feeds.LABELS[fmt]} of {what}, in {where}",
                    feed_ok(fmt), lang, not_found=bool(prefix))
        for fmt in feeds.FORMATS:
            paths[f"{prefix}/feeds/topics/{{topic}}.{fmt}"] = operation(
                f"feed-topic-{fmt}{op}", f"{feeds.LABELS[fmt]} of one topic's articles, in "
                f"{where}", feed_ok(fmt), [*lang, topic])
    return paths


def build() -> Schema:
    date = param("date", "path", {"type": "string", "format": "date", "pattern": DATE,
                                  "maxLength": 10},
                 "Calendar date, YYYY-MM-DD: up to tomorrow in the earliest time zone.",
                 "2026-11-27")
    paths: dict[str, Schema] = {
        "/v1/tips/today": operation(
            "tip-today", "Today's tip in a time zone", json_ok("Tip"),
            [param("tz", "query", {"type": "string", "maxLength": 64},
                   "IANA time zone; default: the site's.", "Europe/London"),
             LANG, ACCEPT_LANGUAGE, TOPIC, PARTNER], partner=True),
        "/v1/tips/{date}": operation(
            "tip-of-day", "The tip of a calendar day", json_ok("Tip"),
            [date, LANG, ACCEPT_LANGUAGE, TOPIC, PARTNER], partner=True),
        "/v1/articles": operation(
            "article-list", "Article snippets, newest first, paginated", json_ok("ArticlePage"),
            [TOPIC, LANG, ACCEPT_LANGUAGE,
             param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                   "Page size (default 10).", 3),
             param("cursor", "query", {"type": "string", "maxLength": 200},
                   "next_cursor of the previous page, as given."),
             param("medical", "query", {"type": "string", "enum": ["include", "exclude"]},
                   "Whether medical:true articles (medicines, treatment) are listed. "
                   "Default: the partner's choice in partners.yaml, else exclude.", "include"),
             PARTNER], partner=True),
        "/v1/articles/{slug}": operation(
            "article-detail", "One article with its sanitized HTML body", json_ok("Article"),
            [param("slug", "path", slug(120), "Article slug.", "can-baclofen-help-anxiety"),
             param("lang", "query", LANG_SCHEMA,
                   "The version of this article in that language (each translation links to "
                   "its original); 404 where it has none yet. Default: the slug's own.", "es"),
             PARTNER], partner=True),
        "/v1/help": operation(
            "help", "Emergency numbers and crisis lines of a country, each with its source",
            json_ok("Help"),
            [param("country", "query", {"type": "string", "maxLength": 8},
                   "ISO 3166-1 alpha-2 code, either case; default: the site's country. 404 "
                   "if there is no help data for it.", "GB"), LANG, ACCEPT_LANGUAGE]),
        "/v1/topics": operation("topic-list", "Topics with their counts, titled in a language",
                                json_ok("Topics"), [LANG, ACCEPT_LANGUAGE], not_found=False),
        **feed_paths(),
        "/widget.json": operation(
            "widget-info", "The widget's immutable URL and SRI hash", json_ok("EmbedInfo"), [],
            not_found=False),
        "/configurator/code": operation(
            "embed-code", "The embed code for some widget options", json_ok("EmbedCode"), [
                param("kind", "query", {"type": "string", "enum": list(KINDS)}, "Widget kind."),
                param("topic", "query", slug(), "Topic id (400 if unknown).", "sleep"),
                param("limit", "query", {"type": "integer", "minimum": 1,
                                         "maximum": EMBED_MAX_LIMIT}, "Articles shown."),
                param("lang", "query", LANG_SCHEMA, "The widget's language (data-lang); 400 if "
                      "not one of the site's."),
                param("theme", "query", {"type": "string", "enum": list(THEMES)}, "Theme."),
                param("layout", "query", {"type": "string", "enum": list(LAYOUTS)}, "Layout."),
                param("partner", "query", slug(), "Partner id (400 if unknown)."),
            ], not_found=False),
        "/healthz": operation("healthz", "Liveness", json_ok("Health"), [], cached=False,
                              not_found=False),
        "/readyz": operation("readyz", "Readiness and the content version served",
                             json_ok("Ready"), [], cached=False, not_found=False),
        "/openapi.json": operation("openapi", "This description", json_ok("OpenAPI"), [],
                                   not_found=False),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Smart Meditation syndication service",
            "version": "1",
            "description": "Daily tips and articles, with their sources and review status, "
                           "as JSON and feeds. "
                           "Every JSON and feed answer has a strong ETag, Cache-Control and "
                           "X-Content-Version; errors are {\"error\": {\"code\", \"message\"}}.",
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS, "responses": RESPONSES},
    }


SPEC = build()
PAYLOAD = Payload.json(SPEC)


async def openapi_json(request: Request) -> Response:
    return respond(request, PAYLOAD, CACHE_CONTROL["schema"], {"access-control-allow-origin": "*"})


routes = [Route("/openapi.json", openapi_json, name="openapi")]
