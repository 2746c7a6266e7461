"""Read a content directory into an immutable Library, or report every problem in it."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from smartmed.content import (
    evidence,
    help,
    markdown,
    observances,
    parallel,
    safemessaging,
    siteconfig,
    snippets,
    tipstyle,
    translations,
)
from smartmed.content.model import (
    Article,
    Library,
    Partner,
    Pin,
    Reference,
    Review,
    Reviewer,
    Site,
    Tip,
)
from smartmed.content.observances import RulePin
from smartmed.content.problems import (
    SLUG,
    ContentError,
    Fields,
    Problem,
    Report,
    find_control,
    origin_problem,
    relative,
    shown,
    under,
)
from smartmed.content.yamlfile import LineDict, YamlError, parse

ARTICLE_FIELDS = ("title", "summary", "topics", "lang", "author", "reviewed_by", "published",
                  "updated", "last_reviewed", "next_review", "medical", "canonical_url",
                  "sensitive", "references", "earlier_reviews", "translation_of")
TIP_FIELDS = ("id", "text", "topic", "lang", "article", "date", "added", "technique", "help")
PIN_YEARS = range(2000, 2101)
PARTNER_FIELDS = ("id", "name", "origins", "topics", "lang", "theme", "country", "medical")
MEDICAL_CHOICES = ("include", "exclude")
THEMES = ("auto", "light", "dark")
TIP_MAX_CHARS = tipstyle.MAX_CHARS  # what a card holds


Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(root: Path) -> Fingerprint:
    """Path, size and mtime of every file: cheap enough to take every second."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:  # removed between listing and stat: the next poll sees it
                continue
            entries.append((path, st.st_size, st.st_mtime_ns))
    return tuple(entries)


def content_version(root: Path) -> str:
    """A hash of every file's path and bytes: equal directories give equal versions."""
    return _Version(root).hexdigest({})


def _sorted(paths: Iterable[Path]) -> list[Path]:
    """``sorted(paths)``: a POSIX path orders as the tuple of its parts. Comparing those
    tuples is what PurePath.__lt__ does, less a Python call for every comparison (a third
    of listing 10,000 articles)."""
    return sorted(paths, key=_parts)


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts


def _sha256(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


class _Version:
    """content_version in steps, so that a load computes most of it while its workers
    compile the articles: the walk, then the files no worker reads, then the hash."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = [(path, under(path, root).encode() + b"\0")
                      for path in _sorted(p for p in root.rglob("*") if p.is_file())]

    def read_rest(self, digests: dict[Path, bytes], skip: set[Path]) -> None:
        """Hash the files not hashed yet, but for ``skip`` (what the workers read)."""
        for path, _ in self.files:
            if path not in digests and path not in skip:
                # Unreadable: read again by hexdigest(), which only valid content reaches.
                with contextlib.suppress(OSError):
                    digests[path] = _sha256(path.read_bytes())

    def hexdigest(self, digests: Mapping[Path, bytes]) -> str:
        """``digests`` has the sha256 of files already read (as they were validated)."""
        digest = hashlib.sha256()
        for path, name in self.files:
            digest.update(name)
            known = digests.get(path)
            digest.update(known if known is not None else _sha256(path.read_bytes()))
        return digest.hexdigest()[:16]


class _Reader:
    def __init__(self, root: Path, max_bytes: int, report: Report,
                 digests: dict[Path, bytes] | None = None) -> None:
        self.root, self.max_bytes, self.report = root, max_bytes, report
        # The sha256 of every file read whole, for content_version: no second read.
        self.digests: dict[Path, bytes] = {} if digests is None else digests

    def text(self, path: Path) -> str | None:
        try:
            # A directory, FIFO or dangling link named like content: reported, never opened
            # (a FIFO would block the loader forever).
            if not path.is_file():
                self.report.error(self._name(path), 1, "file", "is not a regular file")
                return None
            raw = self._read(path)
        except OSError as exc:
            self.report.error(self._name(path), 1, "file",
                              f"cannot be read: {exc.strerror or exc}")
            return None
        if len(raw) > self.max_bytes:
            size = max(len(raw), path.stat().st_size) if path.exists() else len(raw)
            self.report.error(self._name(path), 1, "file",
                              f"is {size} bytes; the limit is {self.max_bytes}")
            return None
        self.digests[path] = _sha256(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.report.error(self._name(path), line, "file", f"is not UTF-8 (byte {exc.start})")
            return None
        return text.removeprefix("\ufeff")

    def _read(self, path: Path) -> bytes:
        """The file's bytes, never more than max_bytes + 1 even if it grows meanwhile."""
        limit = self.max_bytes + 1
        with open(path, "rb", buffering=0) as handle:
            # One read of the size the file has: reading ``limit`` at once would allocate
            # that much for every file, and most are a few kilobytes.
            raw = handle.read(min(os.fstat(handle.fileno()).st_size + 1, limit))
            while len(raw) < limit and (more := handle.read(limit - len(raw))):
                raw += more
        return raw

    def _name(self, path: Path) -> str:
        return relative(path, self.root)

    def yaml(self, path: Path, text: str, offset: int = 0) -> Any:
        try:
            return parse(text, offset)
        except YamlError as exc:
            self.report.error(relative(path, self.root), exc.line, "yaml", exc.message)
            return None


def _site(reader: _Reader, today: dt.date, reviewers: Mapping[str, Reviewer],
          release: bool = False) -> Site | None:
    path = reader.root / "site.yaml"
    name = relative(path, reader.root)
    if not path.is_file():
        reader.report.error(name, 1, "file", "site.yaml is missing")
        return None
    errors_before = len(reader.report.problems)
    text = reader.text(path)
    data = reader.yaml(path, text) if text is not None else None
    if not isinstance(data, LineDict):
        if len(reader.report.problems) == errors_before:
            reader.report.error(name, 1, "site", "must be a mapping of site settings")
        return None
    return siteconfig.parse(reader.report, name, data, today, reviewers, release)


class _Parsed(NamedTuple):
    """An article file whose front matter is valid, its body not rendered yet."""

    name: str  # as problems name the file
    end: int  # the index of the line closing the front matter
    body: str
    slug: str
    title: str
    topics: tuple[str, ...]
    lang: str
    author: str
    review: Review
    published: dt.date
    updated: dt.date | None
    summary: str | None
    medical: bool
    canonical_url: str | None
    sensitive: bool
    references: tuple[Reference, ...]
    translation_of: str | None
    translation_line: int  # the line of translation_of (1 without it), for problems


def _parse_article(reader: _Reader, path: Path, text: str | None, site: Site,
                   today: dt.date, reviewers: Mapping[str, Reviewer] | None = None,
                   release: bool = False) -> _Parsed | None:
    """Check everything in an article file (``text``, as read) but its body's Markdown."""
    if text is None:  # unreadable: reported by the reader
        return None
    name = relative(path, reader.root)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        reader.report.error(name, 1, "front matter", "must start with a line '---'")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        reader.report.error(name, 1, "front matter", "has no closing line '---'")
        return None
    errors_before = len(reader.report.problems)
    data = reader.yaml(path, "\n".join(lines[1:end]), offset=1)
    if not isinstance(data, LineDict):
        if len(reader.report.problems) == errors_before:
            reader.report.error(name, 2, "front matter", "must be a mapping of fields")
        return None
    f = Fields(reader.report, name, data, ARTICLE_FIELDS)
    body = "\n".join(lines[end + 1 :])
    body_ok = True
    if not body.strip():
        reader.report.error(name, end + 2, "body", "is empty")
        body_ok = False
    elif bad := find_control(body):
        line = body[: bad.start()].count("\n") + end + 2
        reader.report.error(name, line, "body",
                            f"control character U+{ord(bad.group()):04X} is not allowed")
        body_ok = False
    topics = f.text_list("topics")
    for topic in topics or []:
        if site.topic(topic) is None:
            f.error("topics", f"unknown topic {topic!r}; known: "
                    f"{', '.join(t.id for t in site.topics)}")
            topics = None
            break
    lang = _lang(f, site, folder_lang(reader, path, "articles", site))
    translation_of = f.slug("translation_of") if "translation_of" in data else None
    published, updated = f.date("published"), f.date("updated", required=False)
    if published and updated and updated < published:
        f.error("updated", f"{updated} is before published {published}")
        updated = None
    medical = f.boolean("medical")
    review = evidence.review(f, today, reviewers or {}, medical)
    if review and release:
        evidence.release_problems(reader.report, name, f.line("reviewed_by"), "this article",
                                  review)
    fields = (f.text("title", max_len=200), topics, lang, f.text("author"), review, published)
    summary = f.text("summary", required=False, max_len=1000)
    canonical = f.url("canonical_url")
    refs = evidence.references(f, today, medical, release)
    sensitive = f.boolean("sensitive")
    if body_ok:
        # An article whose lang is wrong (reported) is still checked, by its folder's rules.
        style_lang = lang or _path_lang(reader.root, path, site)
        reader.report.problems.extend(
            safemessaging.check_article(name, end + 2, body, sensitive, style_lang))
        reader.report.problems.extend(evidence.vague_claims(name, end + 2, body, style_lang))
        reader.report.problems.extend(
            tipstyle.check_article_quotes(name, end + 2, body, style_lang))
        if sensitive and site.default_country is None:
            f.error("sensitive", "content about suicide or self-harm must carry the help "
                    "block: name default_country in site.yaml and add help/ data")
    slug = path.stem
    if any(v is None for v in fields) or not body_ok or refs is None:
        return None
    if "translation_of" in data and translation_of is None:
        return None
    if not _valid_slug(reader, name, slug):
        return None
    title, topics, lang, author, review, published = fields
    # Checked above: none of these is None here (mypy cannot follow the tuple's check).
    assert (title is not None and topics is not None and lang is not None
            and author is not None and review is not None and published is not None)
    return _Parsed(name, end, body, slug, title, tuple(topics), lang, author, review, published,
                   updated, summary, medical, canonical, sensitive, refs, translation_of,
                   f.line("translation_of") if translation_of else 1)


def _finish_article(reader: _Reader, parsed: _Parsed,
                    rendered: tuple[str, str] | markdown.TooDeep,
                    snippet_chars: int) -> Article | None:
    """The article, from its checked front matter and its rendered body."""
    if isinstance(rendered, markdown.TooDeep):
        reader.report.error(parsed.name, rendered.line + parsed.end + 1, "body", str(rendered))
        return None
    html, text = rendered
    # excerpt() normalizes the whitespace of the head it keeps; the words are counted
    # as the normalized text's would be.
    snippet = snippets.excerpt(parsed.summary or text, snippet_chars)
    words = snippets.word_count(text)
    return Article(
        slug=parsed.slug, title=parsed.title, summary=parsed.summary or snippet,
        snippet=snippet, topics=parsed.topics, lang=parsed.lang, author=parsed.author,
        review=parsed.review, published=parsed.published, updated=parsed.updated,
        medical=parsed.medical, canonical_url=parsed.canonical_url, html=html,
        reading_minutes=snippets.reading_minutes(words), word_count=words,
        sensitive=parsed.sensitive, references=parsed.references,
        translation_of=parsed.translation_of,
    )


def folder_lang(reader: _Reader, path: Path, kind: str, site: Site) -> str | None:
    """The language a file's folder gives: ``<kind>/<lang>/…`` is that language, a file
    elsewhere in ``<kind>/`` (directly, or in a folder such as ``2026/``) the default.
    None (reported) for a folder named like a language code that is not in languages."""
    folder = _folder(under(path, reader.root))
    if folder is None or folder in site.languages:
        return folder or site.default_lang
    if siteconfig.LANG.fullmatch(folder):
        reader.report.error(relative(path, reader.root), 1, "lang",
                            f"folder {kind}/{folder}/ is not one of site.yaml's languages "
                            f"({', '.join(site.languages)}): put the file in {kind}/<lang>/")
        return None
    return site.default_lang


def _folder(rel: str) -> str | None:
    """The first folder under articles/ or tips/ in a path relative to the content."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else None


def _path_lang(root: Path, path: Path, site: Site) -> str:
    """The language an article's folder gives (unchecked: its own load reports that)."""
    folder = _folder(under(path, root))
    return folder if folder in site.languages else site.default_lang


def _lang(f: Fields, site: Site, folder: str | None) -> str | None:
    """A file's or tip's ``lang``: its folder's language when absent; when given, one of
    site.yaml's languages and the same as its folder's."""
    if "lang" not in f.data:
        return folder
    lang = f.choice("lang", site.languages)
    if lang and folder and lang != folder:
        f.error("lang", f"{lang!r} does not match its folder, which holds {folder!r}: move "
                f"the file into the {lang!r} folder or correct lang")
        return None
    return lang if folder else None


def _valid_slug(reader: _Reader, name: str, slug: str) -> bool:
    if SLUG.fullmatch(slug):
        return True
    reader.report.error(name, 1, "slug", f"file name {slug!r} must be lowercase letters, "
                        "digits and single hyphens (it is the article's slug)")
    return False


def _pin(f: Fields) -> Pin | RulePin | None:
    raw = f.data.get("date")
    if raw is None:
        return None
    if isinstance(raw, dt.date):
        return Pin(raw.month, raw.day, raw.year)
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if len(text) == 5:
                day = dt.date.fromisoformat(f"2000-{text}")  # a leap year: 02-29 is valid
                return Pin(day.month, day.day)
            day = dt.date.fromisoformat(text)
            return Pin(day.month, day.day, day.year)
        except ValueError:
            pass
        if rule := observances.parse(text):
            return rule
    f.error("date", f"{shown(raw)} is not a pin: use YYYY-MM-DD for one day, 'MM-DD' every "
            "year, or a rule such as 'first Thursday of February' or 'Friday before the "
            "March equinox'")
    return None


def _pin_days(pin: Pin | RulePin, years: range) -> set[dt.date]:
    """The days a pin falls on in ``years`` (a yearly 02-29 only in leap years)."""
    if isinstance(pin, RulePin):
        return {pin.day_in(year) for year in years}
    if pin.year is not None:
        return {dt.date(pin.year, pin.month, pin.day)}
    return {dt.date(year, pin.month, pin.day) for year in years
            if (pin.month, pin.day) != (2, 29) or calendar.isleap(year)}


def _yaml_list(reader: _Reader, path: Path) -> list[tuple[str, LineDict]]:
    name = relative(path, reader.root)
    text = reader.text(path)
    data = reader.yaml(path, text) if text is not None else None
    if data is None:
        return []
    if not isinstance(data, list):
        reader.report.error(name, 1, "file", "must be a YAML list of entries ('- id: …')")
        return []
    items = []
    for item in data:
        if isinstance(item, LineDict):
            items.append((name, item))
        else:
            reader.report.error(name, 1, "entry",
                                f"each entry must be a mapping, not {shown(item)}")
    return items


def _tips(reader: _Reader, site: Site, slugs: Mapping[str, str]) -> list[Tip]:
    """Every tip in tips/ (tips/<lang>/ for other languages); ``slugs`` maps each article's
    slug to its language: a tip links to an article in its own language."""
    tips: list[Tip] = []
    seen: dict[str, str] = {}
    pins: dict[tuple[str, str], tuple[str, set[dt.date]]] = {}
    techniques: list[tuple[str, int, str, str]] = []
    for path in sorted((reader.root / "tips").rglob("*.yaml")):
        folder = folder_lang(reader, path, "tips", site)
        for name, item in _yaml_list(reader, path):
            f = Fields(reader.report, name, item, TIP_FIELDS)
            tip_id, text = f.slug("id"), f.text("text", max_len=TIP_MAX_CHARS)
            topic = f.choice("topic", [t.id for t in site.topics], required=True)
            lang = _lang(f, site, folder)
            added, pin = f.date("added"), _pin(f)
            article = f.slug("article") if "article" in item else None
            if article and article not in slugs:
                f.error("article", f"{article!r} names no article in articles/")
                article = None
            elif article and lang and slugs[article] != lang:
                f.error("article", f"{article!r} is in {slugs[article]!r}; a {lang!r} tip links "
                        f"to the {lang!r} version of the article")
                article = None
            if tip_id in seen:
                f.error("id", f"duplicate tip id {tip_id!r} (first in {seen[tip_id]})")
                continue
            if tip_id:
                seen[tip_id] = f"{name}:{f.line('id')}"
            if pin and pin.year and added and dt.date(pin.year, pin.month, pin.day) < added:
                f.error("date", f"pinned day {pin} is before the tip's added date {added}")
                pin = None
            if pin and lang:
                # Two pins clash when some day matches both: rules are compared over the
                # years the library can plausibly serve.
                days = _pin_days(pin, PIN_YEARS)
                clash = [other for (other_lang, _), (other, other_days) in pins.items()
                         if other_lang == lang and days & other_days]
                if clash:
                    f.error("date", f"{pin} is already pinned to tip {clash[0]}")
                    pin = None
                else:
                    pins[(lang, str(pin))] = (tip_id or "?", days)
            if text is not None:
                style_lang = lang or folder or site.default_lang
                reader.report.problems.extend(safemessaging.check_tip(
                    name, f.line("text"), text, f.boolean("help"), style_lang))
                if f.boolean("help") and site.default_country is None:
                    f.error("help", "a tip carrying the help block needs help data: name "
                            "default_country in site.yaml and add help/")
                reader.report.problems.extend(
                    tipstyle.check_text(name, f.line("text"), text, style_lang))
            # Every tip names the idea it teaches, so that tipstyle can limit repeats.
            if (technique := f.slug("technique")) and lang:
                techniques.append((name, f.line("technique"), lang, technique))
            if (tip_id is None or text is None or topic is None or lang is None
                    or added is None or technique is None
                    or ("date" in item and pin is None)):
                continue
            if "article" in item and article is None:
                continue
            tips.append(Tip(tip_id, text, topic, lang, added, article, pin,
                            f.boolean("help")))
    reader.report.problems.extend(tipstyle.check_techniques(techniques))
    return tips


def _partners(reader: _Reader, site: Site,
              countries: Mapping[str, help.Country]) -> dict[str, Partner]:
    path = reader.root / "partners.yaml"
    if not path.is_file():
        return {}
    partners: dict[str, Partner] = {}
    for name, item in _yaml_list(reader, path):
        f = Fields(reader.report, name, item, PARTNER_FIELDS)
        pid, pname = f.slug("id"), f.text("name")
        origins = f.text_list("origins") or []
        for origin in origins:
            if problem := origin_problem(origin):
                f.error("origins", f"{origin!r} {problem}")
                origins = []
        topics = f.text_list("topics", required=False) or []
        for topic in topics:
            if site.topic(topic) is None:
                f.error("topics", f"unknown topic {topic!r}")
        lang, theme = f.choice("lang", site.languages), f.choice("theme", THEMES)
        country = f.text("country", required=False)
        if country is not None and country not in countries:
            f.error("country", f"{country!r} has no help data: add help/{country}.yaml or use "
                    f"one of: {', '.join(countries) or 'none yet'}")
        # Articles about medicines and treatment are shown only where a partner opts in.
        medical = f.choice("medical", MEDICAL_CHOICES) == "include"
        if pid in partners:
            f.error("id", f"duplicate partner id {pid!r}")
        elif pid and pname and origins:
            partners[pid] = Partner(pid, pname, frozenset(origins), tuple(topics), lang, theme,
                                    country, medical)
    return partners


class _Compiled(NamedTuple):
    """One article file compiled, as a worker process sends it back."""

    article: Article | None
    problems: list[Problem]
    digest: bytes | None  # sha256 of the file's bytes as read, for content_version
    translation_line: int  # the line of translation_of, for problems about it


def _compile_article(root: Path, max_file_bytes: int, site: Site, snippet_chars: int,
                     today: dt.date, reviewers: Mapping[str, Reviewer], release: bool,
                     path: Path) -> _Compiled:
    """One article compiled, with its own problems (this may run in a worker process)."""
    reader = _Reader(root, max_file_bytes, Report())
    parsed = _parse_article(reader, path, reader.text(path), site, today, reviewers, release)
    article = None
    if parsed is not None:
        article = _finish_article(reader, parsed, markdown.render_many([parsed.body])[0],
                                  snippet_chars)
    return _Compiled(article, reader.report.problems, reader.digests.get(path),
                     parsed.translation_line if parsed else 1)


def check(root: Path, *, today: dt.date, max_file_bytes: int = 262144,
          snippet_chars: int = 220, parallel_min: int = parallel.MIN_ITEMS, release: bool = False,
          ) -> tuple[Library | None, Report]:
    """Read and validate ``root``; the library is None when there is any error.

    ``release`` (``smartmed check --release``, SMARTMED_RELEASE) also refuses anything
    that would be served while it awaits clinical review, and articles short of sources.
    """
    report = Report()
    if not root.is_dir():
        report.error(str(root), 1, "directory", "does not exist or is not a directory")
        return None, report
    reader = _Reader(root, max_file_bytes, report)
    reviewers = evidence.load_reviewers(reader, root)
    site = _site(reader, today, reviewers, release)
    if site is None:
        return None, report
    articles: dict[str, Article] = {}
    paths = _sorted((root / "articles").rglob("*.md"))
    compile_one = functools.partial(_compile_article, root, max_file_bytes, site,
                                    snippet_chars, today, reviewers, release)
    # Tips and partners are read while the workers compile the articles; their problems
    # are listed after the articles', as they always were.
    rest = _Reader(root, max_file_bytes, Report(), reader.digests)
    with parallel.process_map(compile_one, paths, min_items=parallel_min) as compiled_all:
        tips = _tips(rest, site, {p.stem: _path_lang(root, p, site) for p in paths})
        countries = help.load(rest, site.languages, today)
        if site.default_country and site.default_country not in countries:
            rest.report.error(relative(root / "site.yaml", root), 1, "default_country",
                              f"{site.default_country!r} has no valid help data in "
                              f"help/{site.default_country}.yaml")
        partners = _partners(rest, site, countries)
        version = _Version(root)
        version.read_rest(reader.digests, set(paths))
        compiled = compiled_all()
    entries: list[translations.Entry] = []
    for path, done in zip(paths, compiled, strict=True):
        report.problems.extend(done.problems)
        if done.digest is not None:
            reader.digests[path] = done.digest
        article = done.article
        if article and article.slug in articles:
            report.error(relative(path, root), 1, "slug", f"duplicate slug {article.slug!r}")
        elif article:
            articles[article.slug] = article
            entries.append(translations.Entry(relative(path, root), done.translation_line,
                                              article))
    translations.check(report, entries, site,
                       failed={p.stem for p in paths} - {e.article.slug for e in entries})
    report.problems.extend(rest.report.problems)
    if not articles and not tips:
        report.error(relative(root / "articles", root), 1, "content",
                     "there is no article and no tip to serve")
    if report.errors:
        return None, report
    newest_first = sorted(articles.values(), key=lambda a: (a.published, a.slug), reverse=True)
    library = Library(site, tuple(newest_first), tuple(tips), partners,
                      version.hexdigest(reader.digests),
                      tuple(str(w) for w in report.warnings), help=countries)
    return library, report


def load(root: Path, *, today: dt.date, max_file_bytes: int = 262144,
         snippet_chars: int = 220, release: bool = False) -> Library:
    library, report = check(root, today=today, max_file_bytes=max_file_bytes,
                            snippet_chars=snippet_chars, release=release)
    if library is None:
        raise ContentError(report.problems)
    return library

