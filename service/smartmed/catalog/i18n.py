"""The service's own words in every language: gettext catalogs, Babel dates and plurals.

The messages are written in English in the code and templates; ``locales/<lang>.po`` holds
each other language's translations, read with Babel at first use. A language without a
catalog (or a message missing from one) shows the English text: visibly, never a blank.
Dates, numbers and plural rules come from Babel's CLDR data, never from the process locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from smartmed.content.model import AWAITING_LABEL, Review

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
SOURCE_LANG = "en"  # the language the messages are written in


@cache
def translations(lang: str) -> NullTranslations:
    """The gettext translations of ``lang``: its .po file, compiled in memory."""
    path = LOCALE_DIR / f"{lang}.po"
    if lang == SOURCE_LANG or not path.is_file():
        return NullTranslations()
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


# The service's English is British ("colour", "27 November 2026"): CLDR's "en" is American.
REGIONS = {"en": "en_GB"}


@cache
def locale(lang: str) -> Locale:
    """Babel's locale of a language code; an unknown code is a ValueError naming it."""
    try:
        return Locale.parse(REGIONS.get(lang, lang))
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"lang: {lang!r} is not a language Babel knows") from None


def direction(lang: str) -> str:
    """"rtl" or "ltr": the writing direction of the language's script (CLDR)."""
    return "rtl" if locale(lang).character_order == "right-to-left" else "ltr"


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """The form of ``n`` in ``lang``'s plural rules; the text may use %(num)s."""
    return translations(lang).ngettext(singular, plural, n) % {"num": number(lang, n)}


def number(lang: str, value: int) -> str:
    return format_decimal(value, locale=locale(lang))


def long_date(day: dt.date, lang: str) -> str:
    """"27 November 2026", "27 de noviembre de 2026", "27. November 2026"."""
    return format_date(day, "long", locale=locale(lang))


def medium_date(day: dt.date, lang: str) -> str:
    """"27 Nov 2026", "27 nov 2026", "27.11.2026": where a long date does not fit."""
    return format_date(day, "medium", locale=locale(lang))


def month_year(day: dt.date, lang: str) -> str:
    # The locale's own pattern for month and year: "noviembre de 2026", "November 2026".
    return format_skeleton("yMMMM", day, locale=locale(lang))


def in_sentence(title: str, lang: str) -> str:
    """A topic title as it reads inside a sentence: lower case ("articles about sleep"),
    except in German, whose nouns keep their capital ("Artikel über Schlaf")."""
    return title if lang == "de" else title.lower()


def review_label(review: Review, lang: str) -> str:
    """What a reader sees of a review, in ``lang``: names stay as written."""
    if review.reviewed_by:
        return gettext(lang, "Reviewed by %(names)s") % {"names": review.reviewed_by}
    return gettext(lang, AWAITING_LABEL)


MIN_READ = ("%(num)s min read", "%(num)s min read")


@functools.cache
def plural_samples(lang: str) -> dict[str, int]:
    """One whole number of each CLDR plural category the language has (for labels); once
    per language: every tip document carries the labels."""
    rule = locale(lang).plural_form
    samples: dict[str, int] = {}
    for n in (*range(200), 1_000, 1_000_000):  # Spanish "many" is a million
        samples.setdefault(rule(n), n)
    return samples


def plural_forms(lang: str, singular: str, plural: str) -> dict[str, str]:
    """A plural message for each CLDR category of ``lang`` ("one", "few", "other", …), with
    "{n}" where the number goes: what a client picks from with Intl.PluralRules."""
    forms = {}
    for category, n in plural_samples(lang).items():
        text = translations(lang).ngettext(singular, plural, n)
        forms[category] = text.replace("%(num)s", "{n}")
    return forms


def labels(lang: str) -> dict[str, object]:
    """The few words a widget shows around the content, in ``lang``."""
    _ = translations(lang).gettext
    return {
        "lang": lang,
        "dir": direction(lang),
        "tip_of_the_day": _("Tip of the day"),
        "read_more": _("Read more"),
        "learn_more": _("Learn more"),
        "min_read": plural_forms(lang, *MIN_READ),
        "awaiting_review": _(AWAITING_LABEL),
        "reviewed_by": _("Reviewed by %(names)s").replace("%(names)s", "{names}"),
        "help_heading": _("Need urgent help?"),
        "help_call": _("call"),
        "help_text": _("text"),
        "help_or": _("or"),
        "help_more": _("Urgent help in other countries"),
    }
