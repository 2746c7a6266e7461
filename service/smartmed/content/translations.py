"""Translations: each names its default-language source with ``translation_of``.

Checked across the whole library once every article is compiled: the source exists and
is in the default language, each language translates a source at most once, a
translation older than its source's last change is flagged, and every source is
translated into every language (a warning while one is missing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import NamedTuple

from smartmed.content.model import Article, Site
from smartmed.content.problems import Report

FIELD = "translation_of"


class Entry(NamedTuple):
    """A compiled article, with where problems about its translation point."""

    name: str  # the file, as problems name it
    line: int  # the line of translation_of (1 when it has none)
    article: Article


def changed(article: Article) -> dt.date:
    """The day an article last changed: ``updated``, else ``published``."""
    return article.updated or article.published


def check(report: Report, entries: Sequence[Entry], site: Site,
          failed: Collection[str] = ()) -> None:
    """Report every problem with the translations among ``entries``; ``failed`` are the
    slugs of article files that did not compile (their own errors say why)."""
    by_slug = {e.article.slug: e for e in entries}
    translated: dict[tuple[str, str], Entry] = {}  # (source slug, lang) -> translation
    for entry in entries:
        article, source_slug = entry.article, entry.article.translation_of
        if source_slug is None:
            continue
        source = by_slug.get(source_slug)
        if source is None and source_slug in failed:
            continue
        if source is None:
            report.error(entry.name, entry.line, FIELD, f"{source_slug!r} names no article: "
                         f"it must be the slug of an article in articles/ ({site.default_lang})")
            continue
        if source.article.lang != site.default_lang:
            report.error(entry.name, entry.line, FIELD, f"{source_slug!r} is a "
                         f"{source.article.lang!r} article; a translation names the "
                         f"{site.default_lang!r} original it translates")
            continue
        if article.lang == source.article.lang:
            report.error(entry.name, entry.line, FIELD, f"this article and {source_slug!r} are "
                         f"both {article.lang!r}: a translation is in another language "
                         "than its source")
            continue
        first = translated.setdefault((source_slug, article.lang), entry)
        if first is not entry:
            report.error(entry.name, entry.line, FIELD, f"{source_slug!r} already has a "
                         f"{article.lang!r} translation, {first.name}: one per language")
            continue
        _stale(report, entry, source.article)
    for entry in entries:
        article = entry.article
        if article.lang != site.default_lang or article.translation_of is not None:
            continue
        missing = [lang for lang in site.languages if lang != site.default_lang
                   and (article.slug, lang) not in translated]
        if missing:
            report.warn(entry.name, 1, FIELD, f"no translation in {', '.join(missing)} yet: "
                        f"add articles/<lang>/<slug>.md with translation_of: {article.slug} "
                        "(content/README.md, 'Translating an article')")


def _stale(report: Report, entry: Entry, source: Article) -> None:
    own, theirs = changed(entry.article), changed(source)
    if theirs > own:
        report.warn(entry.name, entry.line, FIELD, f"the source {source.slug!r} changed on "
                    f"{theirs} (its updated/published), after this translation's {own}: "
                    "bring the translation in line with the source, then set its updated "
                    "to the day you do")
