"""catalog/i18n.py and catalog/locales: the service's own words, dates and plurals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from smartmed.catalog import i18n
from smartmed.content.model import AWAITING_LABEL

PACKAGE = Path(i18n.__file__).resolve().parent.parent
TRANSLATED = ("es", "de")
# Messages the code passes as values (not literals), which extraction cannot see.
BY_VALUE = {AWAITING_LABEL, "Page not found", "That request did not make sense",
            "Something went wrong"}


def extracted() -> set[str | tuple[str, ...]]:
    """Every message of the code and templates, found as pybabel extract finds them
    (catalog/locales/babel.cfg)."""
    keywords = {"_": None, "gettext": (2,), "ngettext": (1, 2), "tr": (2,), "words": None}
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found: set[str | tuple[str, ...]] = set()
    for _, _, message, _, _ in extract_from_dir(str(PACKAGE), method_map, options,
                                                 keywords=keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(lang: str) -> dict[str | tuple[str, ...], object]:
    with (i18n.LOCALE_DIR / f"{lang}.po").open("rb") as fp:
        po = read_po(fp, locale=lang)
    return {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in po if m.id}


def test_extraction_finds_the_messages() -> None:
    found = extracted()
    assert "Need urgent help?" in found  # content/help.py's block
    assert "Tip of the day" in found  # the API's labels
    assert ("%(num)s min read", "%(num)s min read") in found  # a template's plural


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    po = catalog(lang)
    missing = [m for m in extracted() | BY_VALUE if m not in po]
    assert not missing, f"{lang}.po lacks {missing}"
    empty = [m for m, text in po.items()
             if not text or (isinstance(text, tuple) and not all(text))]
    assert not empty, f"{lang}.po has empty translations: {empty}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_their_placeholders(lang: str) -> None:
    import re
    for msgid, text in catalog(lang).items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        texts = text if isinstance(text, tuple) else (text,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        for form in texts:
            assert isinstance(form, str)
            assert set(re.findall(r"%\(\w+\)s", form)) == wanted, (lang, msgid, form)


def test_plural_rules_per_language() -> None:
    assert i18n.ngettext("de", "%(num)s tip", "%(num)s tips", 1) == "1 Tipp"
    assert i18n.ngettext("de", "%(num)s tip", "%(num)s tips", 2) == "2 Tipps"
    assert i18n.ngettext("es", "%(num)s tip", "%(num)s tips", 0) == "0 consejos"
    assert i18n.ngettext("es", "%(num)s tip", "%(num)s tips", 1) == "1 consejo"
    assert i18n.ngettext("es", "%(num)s tip", "%(num)s tips", 1_000_000) == "1.000.000 de consejos"
    assert i18n.ngettext("en", "%(num)s tip", "%(num)s tips", 1) == "1 tip"
    assert i18n.ngettext("en", "%(num)s tip", "%(num)s tips", 1500) == "1,500 tips"


def test_labels_give_each_plural_category_of_the_language() -> None:
    es = i18n.labels("es")["min_read"]
    assert es == {"one": "{n} min de lectura", "many": "{n} min de lectura",
                  "other": "{n} min de lectura"}
    assert i18n.labels("de")["min_read"] == {"one": "{n} Min. Lesezeit",
                                              "other": "{n} Min. Lesezeit"}
    assert i18n.labels("en")["min_read"] == {"one": "{n} min read", "other": "{n} min read"}


def test_labels_are_in_the_language() -> None:
    es, de, en = i18n.labels("es"), i18n.labels("de"), i18n.labels("en")
    assert (es["tip_of_the_day"], de["tip_of_the_day"], en["tip_of_the_day"]) == (
        "Consejo del día", "Tipp des Tages", "Tip of the day")
    assert de["awaiting_review"] == "Klinische Prüfung steht noch aus"
    assert es["help_heading"] == "¿Necesitas ayuda urgente?"
    # Every label differs from English in each translated language, except the few words
    # that are the same in both.
    for lang in TRANSLATED:
        same = {k for k, v in i18n.labels(lang).items() if v == en[k]}
        assert same <= {"dir"}, (lang, same)


def test_a_language_without_a_catalog_shows_english() -> None:
    assert i18n.gettext("ar", "Tip of the day") == "Tip of the day"


def test_dates_with_babel() -> None:
    day = dt.date(2026, 11, 27)
    assert i18n.long_date(day, "en") == "27 November 2026"
    assert i18n.long_date(day, "es") == "27 de noviembre de 2026"
    assert i18n.long_date(day, "de") == "27. November 2026"
    assert i18n.month_year(day, "de") == "November 2026"
    assert i18n.month_year(day, "es") == "noviembre de 2026"


def test_direction_from_the_locale() -> None:
    assert [i18n.direction(lang) for lang in ("en", "es", "de", "ar", "he")] == [
        "ltr", "ltr", "ltr", "rtl", "rtl"]


def test_an_unknown_language_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'qq'"):
        i18n.locale("qq")
