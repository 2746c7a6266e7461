"""The compiled, immutable content library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from smartmed.catalog.articlejson import ArticleJson
    from smartmed.content.help import Country
    from smartmed.content.observances import RulePin


@dataclass(frozen=True)
class Topic:
    """A topic; ``title`` is the default language's, ``titles`` every language's."""

    id: str
    title: str
    # lang -> title; empty for content with one language (then ``title`` is all there is).
    titles: Mapping[str, str] = field(default_factory=dict, hash=False)

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, else the default language's."""
        return self.titles.get(lang, self.title)


# Professions a reviewer may hold (content/reviewers.yaml); those that can sign off a
# medicine article are MEDICINES_REVIEWERS.
PROFESSIONS = ("psychotherapist", "counsellor", "clinical-psychologist",
               "counselling-psychologist", "psychiatrist", "general-practitioner", "pharmacist",
               "mental-health-nurse", "occupational-therapist")
MEDICINES_REVIEWERS = frozenset({"psychiatrist", "general-practitioner", "pharmacist"})
REVIEWED = "reviewed"
AWAITING = "awaiting-clinical-review"
AWAITING_LABEL = "Awaiting clinical review"


@dataclass(frozen=True)
class Reviewer:
    """A clinical reviewer; ``placeholder`` marks a role standing in for a real person,
    so that nothing that names only placeholders ever claims to be reviewed."""

    id: str
    name: str
    profession: str
    scope: str
    placeholder: bool = False
    register: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class ReviewEvent:
    """One recorded review: who signed off, and on which day."""

    reviewers: tuple[Reviewer, ...]
    date: dt.date


@dataclass(frozen=True)
class Review:
    reviewers: tuple[Reviewer, ...]
    last_reviewed: dt.date
    next_review: dt.date
    # Reviews before the latest, oldest first; the latest is (reviewers, last_reviewed).
    earlier: tuple[ReviewEvent, ...] = ()

    @property
    def status(self) -> str:
        """Reviewed only when a real (non-placeholder) reviewer signed the latest review."""
        return AWAITING if all(r.placeholder for r in self.reviewers) else REVIEWED

    @property
    def reviewed_by(self) -> str | None:
        """The real reviewers' names, or None while the review awaits a real reviewer."""
        if self.status != REVIEWED:
            return None
        return ", ".join(r.name for r in self.reviewers if not r.placeholder)

    @property
    def label(self) -> str:
        """What a reader sees: "Reviewed by …" only for a recorded, real review."""
        return f"Reviewed by {self.reviewed_by}" if self.reviewed_by else AWAITING_LABEL

    @property
    def history(self) -> tuple[ReviewEvent, ...]:
        """Every recorded review, newest first."""
        return (ReviewEvent(self.reviewers, self.last_reviewed), *reversed(self.earlier))


@dataclass(frozen=True)
class Reference:
    """A source an article rests on; ``year`` is None for an undated web page, which
    then carries the day it was ``accessed``."""

    title: str
    publisher: str
    url: str
    kind: str
    year: int | None = None
    accessed: dt.date | None = None


@dataclass(frozen=True)
class Site:
    name: str
    base_url: str
    timezone: ZoneInfo
    default_lang: str
    languages: tuple[str, ...]
    topics: tuple[Topic, ...]
    tips_review: Review
    disclaimer: str
    # The help shown to readers no partner places: an ISO 3166-1 code with a file in
    # help/. None only for content without help data (then no surface shows help).
    default_country: str | None = None
    # Per language (lang -> text / review); ``disclaimer`` and ``tips_review`` are the
    # default language's. Each language's tip library has its own review state.
    disclaimers: Mapping[str, str] = field(default_factory=dict, hash=False)
    tips_reviews: Mapping[str, Review] = field(default_factory=dict, hash=False)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def disclaimer_in(self, lang: str) -> str:
        """The medical disclaimer in ``lang``, else the default language's."""
        return self.disclaimers.get(lang, self.disclaimer)

    def tips_review_in(self, lang: str) -> Review:
        """The review of ``lang``'s tip library, else the default language's."""
        return self.tips_reviews.get(lang, self.tips_review)


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    summary: str
    snippet: str
    topics: tuple[str, ...]
    lang: str
    author: str
    review: Review
    published: dt.date
    updated: dt.date | None
    medical: bool
    canonical_url: str | None
    html: str
    reading_minutes: int
    word_count: int
    # Marked as discussing suicide or self-harm: the help block goes near the top.
    sensitive: bool = False
    references: tuple[Reference, ...] = ()
    # The default-language article this one translates (its slug); None for an original.
    translation_of: str | None = None


@dataclass(frozen=True)
class Pin:
    """A tip's pinned day: ``year`` is None for a pin that recurs every year."""

    month: int
    day: int
    year: int | None = None

    def matches(self, day: dt.date) -> bool:
        return (day.month, day.day) == (self.month, self.day) and self.year in (None, day.year)

    def __str__(self) -> str:
        stem = f"{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{stem}" if self.year else stem


@dataclass(frozen=True)
class Tip:
    id: str
    text: str
    topic: str
    lang: str
    added: dt.date
    article: str | None = None
    pin: Pin | RulePin | None = None
    # Carries the urgent-help block on every surface: the only kind of tip that may name
    # suicide (safemessaging.check_tip), e.g. on World Suicide Prevention Day.
    help: bool = False


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    origins: frozenset[str]
    topics: tuple[str, ...] = ()
    lang: str | None = None
    theme: str | None = None
    country: str | None = None  # whose urgent help its readers see
    # Whether its article lists include medical:true articles; partners opt in.
    medical: bool = False


@dataclass(frozen=True)
class Library:
    site: Site
    articles: tuple[Article, ...]  # newest first
    tips: tuple[Tip, ...]
    partners: dict[str, Partner]
    version: str
    warnings: tuple[str, ...] = field(default=())
    help: Mapping[str, Country] = field(default_factory=dict)  # by ISO 3166-1 code
    # Each article's API document as JSON bytes, by slug, built while loading (in parallel);
    # derived from the articles, so not part of what makes two libraries equal.
    article_json: Mapping[str, ArticleJson] = field(default_factory=dict, compare=False,
                                                    repr=False)

    def article(self, slug: str) -> Article | None:
        return self._by_slug.get(slug)

    def versions(self, article: Article) -> dict[str, Article]:
        """Every language version of ``article`` (itself included), by lang: its source
        and the source's translations, whichever of them it is given."""
        source = article.translation_of or article.slug
        found = self._versions.get(source)
        return dict(found) if found else {article.lang: article}

    def help_for(self, partner: Partner | None) -> Country | None:
        """The urgent help a request shows: its partner's country, else the site's."""
        code = (partner.country if partner else None) or self.site.default_country
        return self.help.get(code) if code else None

    @property
    def _by_slug(self) -> dict[str, Article]:
        cached = self.__dict__.get("_slug_index")
        if cached is None:
            cached = {a.slug: a for a in self.articles}
            object.__setattr__(self, "_slug_index", cached)
        return cached

    @property
    def _versions(self) -> dict[str, dict[str, Article]]:
        """Source slug -> {lang: article}, for the source and each of its translations."""
        cached = self.__dict__.get("_version_index")
        if cached is None:
            cached = {}
            for a in self.articles:
                cached.setdefault(a.translation_of or a.slug, {})[a.lang] = a
            object.__setattr__(self, "_version_index", cached)
        return cached
