"""What the compile cache keeps (cachestore.py stores it): each article compiled cleanly,
and the tips, under keys that name everything they were computed from — so an entry is
never stale, only unused.

An article's key: the file's sha256, its name (its slug, its folder's language, the path
its problems name), and the load's context: the site, the reviewers, the settings and the
code a compile runs (``code_digest``). ``today`` is not in it (every day's first start
would miss): an entry records the days on which it holds. The tips' key: every tips
file's name and sha256, the site, the article slug -> language map they are checked
against, the settings and the code. Only results without errors are kept, so a file with
errors is always compiled again and its problems are always fresh.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from smartmed.content.cachestore import CompileCache, Session, in_state_dir
from smartmed.content.model import Article, Reviewer, Site, Tip
from smartmed.content.problems import Problem

__all__ = ["ArticleEntry", "CompileCache", "Lookup", "TipsEntry", "code_digest",
           "in_state_dir", "key"]
# What a compile also depends on besides this package's source.
LIBRARIES = ("markdown-it-pyrs", "markdown-it-py", "nh3", "PyYAML", "regex")


@functools.cache
def code_digest() -> bytes:
    """The code a compile runs: smartmed.content's files, the libraries' and Python's
    versions. Another release of any of them is another cache."""
    digest = hashlib.sha256(sys.version.encode() + b"\0")
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def key(*parts: bytes) -> bytes:
    """The sha256 of ``parts`` (each length-prefixed: no two lists give one key)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


@dataclass(frozen=True)
class ArticleEntry:
    """An article compiled without errors, with its problems (warnings only), and the days
    on which compiling it again would give the same: its compile read ``today`` only to
    warn that next_review has passed and to refuse a reference dated after this year."""

    article: Article
    problems: tuple[Problem, ...]
    translation_line: int
    valid_from: dt.date | None  # the first day the result holds; None: any day before
    valid_until: dt.date | None  # the last day; None: any day after

    @classmethod
    def of(cls, article: Article, problems: Iterable[Problem], translation_line: int,
           today: dt.date) -> ArticleEntry:
        valid_from: dt.date | None = None
        valid_until: dt.date | None = None
        due = article.review.next_review
        if due < today:  # warned "review was due on …": so it is on every later day
            valid_from = due + dt.timedelta(days=1)
        else:  # not warned: nor until that day
            valid_until = due
        years = [r.year for r in article.references if r.year is not None]
        if years:  # refused on any day of an earlier year
            first = dt.date(max(years), 1, 1)
            valid_from = first if valid_from is None else max(valid_from, first)
        return cls(article, tuple(problems), translation_line, valid_from, valid_until)

    def holds_on(self, today: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= today)
                and (self.valid_until is None or today <= self.valid_until))



@dataclass(frozen=True)
class TipsEntry:
    """The tips of tips/ and their problems (warnings only): no day enters their check."""

    tips: tuple[Tip, ...]
    problems: tuple[Problem, ...]


def _clean(problems: Iterable[Problem]) -> bool:
    return all(p.warning for p in problems)


class Lookup:
    """One load's use of the cache: what it finds, what it adds, what it keeps."""

    def __init__(self, session: Session | None, today: dt.date, site: Site,
                 reviewers: Mapping[str, Reviewer], snippet_chars: int, max_file_bytes: int,
                 release: bool) -> None:
        self.session, self.today = session, today
        self.context = key(code_digest(), repr(
            (site, list(reviewers.items()), snippet_chars, max_file_bytes, release)).encode())
        self.new: dict[bytes, object] = {}
        self.used: set[bytes] = set()

    def articles(self, files: Mapping[Path, tuple[str, bytes]]) -> dict[Path, ArticleEntry]:
        """The entries for ``files`` (path -> its name and sha256) that hold today."""
        if self.session is None:
            return {}
        keys = {path: key(self.context, name.encode(), digest)
                for path, (name, digest) in files.items()}
        found = self.session.get(keys.values())
        hits: dict[Path, ArticleEntry] = {}
        for path, entry_key in keys.items():
            entry = found.get(entry_key)
            if isinstance(entry, ArticleEntry) and entry.holds_on(self.today):
                hits[path] = entry
                self.used.add(entry_key)
        stats = self.session.cache.stats
        stats.hits += len(hits)
        stats.misses += len(files) - len(hits)
        return hits

    def add_article(self, name: str, digest: bytes, article: Article,
                    problems: Sequence[Problem], translation_line: int) -> None:
        """A compile of ``name`` (as read: ``digest``), kept when it had no error."""
        if self.session is not None and _clean(problems):
            entry_key = key(self.context, name.encode(), digest)
            self.new[entry_key] = ArticleEntry.of(article, problems, translation_line,
                                                  self.today)
            self.used.add(entry_key)

    def _tips_key(self, files: Sequence[tuple[str, bytes]], slugs: Mapping[str, str]) -> bytes:
        return key(self.context, repr(sorted(slugs.items())).encode(),
                   *(part for name, digest in files for part in (name.encode(), digest)))

    def tips(self, files: Sequence[tuple[str, bytes]],
             slugs: Mapping[str, str]) -> TipsEntry | None:
        """The tips kept for these files (name, sha256 of each, in order) and slugs."""
        if self.session is None:
            return None
        entry_key = self._tips_key(files, slugs)
        entry = self.session.get([entry_key]).get(entry_key)
        if not isinstance(entry, TipsEntry):
            return None
        self.used.add(entry_key)
        return entry

    def add_tips(self, files: Sequence[tuple[str, bytes]], slugs: Mapping[str, str],
                 tips: Sequence[Tip], problems: Sequence[Problem]) -> None:
        if self.session is not None and _clean(problems):
            entry_key = self._tips_key(files, slugs)
            self.new[entry_key] = TipsEntry(tuple(tips), tuple(problems))
            self.used.add(entry_key)

    def save(self) -> None:
        """Write what was added; drop what this load did not use."""
        if self.session is not None:
            self.session.put(self.new, self.used)
