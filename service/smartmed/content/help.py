"""Urgent help by country: content/help/<CC>.yaml, checked and compiled.

Every number a reader may call on a bad day comes from one of these files, and every
service names the official page it was checked against and when. A check that has gone
stale is a warning after six months and an error after twelve: a wrong number is worse
than none, so stale data stops being served.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Protocol

from smartmed.content.problems import Fields, Report, relative
from smartmed.content.yamlfile import LineDict

COUNTRY_FIELDS = ("name", "emergency", "services")
EMERGENCY_FIELDS = ("numbers", "source", "last_verified")
SERVICE_FIELDS = ("name", "purpose", "phone", "sms", "sms_text", "web", "hours", "cost",
                  "languages", "source", "last_verified")
# ISO 3166-1 alpha-2 is two capital letters; the file name is the code.
CODE = re.compile(r"[A-Z]{2}")
# The one form of a number: digits in the groups the country writes them in, single
# spaces between (e.g. "116 123", "0800 111 0 111"). No dashes, dots or brackets, so
# that a tel: link is the same digits with the spaces taken out.
PHONE = re.compile(r"[0-9]+(?: [0-9]+)*")
SMS_TEXT = re.compile(r"[A-Za-z0-9]{1,20}")
LANGUAGE = re.compile(r"[a-z]{2,3}")
WARN_AFTER_DAYS = 183  # six months
ERROR_AFTER_DAYS = 365  # twelve months
FUTURE_SLACK_DAYS = 31
# Articles on these topics (and every article marked ``medical``) show the help block near
# the top as well as at the end: readers of them are the likeliest to need it at once.
EARLY_TOPICS = frozenset({"anxiety", "mood", "medication"})


@dataclass(frozen=True)
class Service:
    name: str
    purpose: Mapping[str, str]  # by language
    phone: str | None
    sms: str | None
    sms_text: str | None  # what to text to ``sms``, when the service asks for a word
    web: str | None
    hours: Mapping[str, str] | None
    cost: Mapping[str, str] | None
    languages: tuple[str, ...]
    source: str
    last_verified: dt.date


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, upper case
    name: Mapping[str, str]  # by language
    emergency: tuple[str, ...]  # the numbers, the first the one to show alone
    emergency_source: str
    emergency_verified: dt.date
    services: tuple[Service, ...]

    @property
    def slug(self) -> str:
        """The code as addresses carry it: /help/gb."""
        return self.code.lower()


def tel(number: str) -> str:
    """A number as a tel: or sms: link holds it."""
    return number.replace(" ", "")


def number_problem(value: object) -> str | None:
    """Why ``value`` is not a number in the one normalised form, or None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Unquoted, YAML reads 999 as arithmetic, and 000 (Australia) as the integer 0.
        return f"{value!r} must be quoted, e.g. '000': unquoted, YAML reads it as arithmetic"
    if not isinstance(value, str) or not PHONE.fullmatch(value):
        return (f"{value!r} is not in the normalised form: digits in groups separated by "
                "single spaces, e.g. '116 123' (no dashes, dots, brackets or '+')")
    return None


def page_url(base: str, code: str | None = None) -> str:
    return f"{base}/help/{code.lower()}" if code else f"{base}/help"


class _Reader(Protocol):
    root: Path
    report: Report

    def text(self, path: Path) -> str | None: ...

    def yaml(self, path: Path, text: str, offset: int = 0) -> Any: ...


class _Checker:
    """Reads one country file's fields, reporting each problem once."""

    def __init__(self, report: Report, path: str, languages: Sequence[str],
                 today: dt.date) -> None:
        self.report, self.path, self.languages, self.today = report, path, languages, today

    def texts(self, f: Fields, name: str, required: bool) -> dict[str, str] | None:
        """A text given in every language the site serves: ``{en: …, de: …}``."""
        raw = f.data.get(name)
        if raw is None:
            if required:
                f.error(name, "required field is missing")
            return None
        if not isinstance(raw, LineDict):
            f.error(name, "must give the text in each language the site serves, e.g. "
                    f"{{{self.languages[0]}: …}}")
            return None
        # Texts in more languages than the site serves are kept for later: not an error.
        tf = Fields(self.report, self.path, raw, list(raw))
        found = {lang: text for lang in self.languages
                 if (text := tf.text(lang, required=False, max_len=300)) is not None}
        missing = [lang for lang in self.languages if lang not in found]
        if missing:
            f.error(name, f"has no text in {', '.join(missing)}: every language the site "
                    "serves needs one")
            return None
        return found

    def number(self, f: Fields, name: str) -> str | None:
        raw = f.data.get(name)
        if raw is None:
            return None
        problem = number_problem(raw)
        if problem:
            f.error(name, problem)
            return None
        return str(raw)

    def verified(self, f: Fields) -> tuple[str, dt.date] | None:
        source, day = f.url("source", required=True), f.date("last_verified")
        if day is None or source is None:
            return None
        age = (self.today - day).days
        # A few weeks ahead is a check made after a pinned --today, not a typo.
        if age < -FUTURE_SLACK_DAYS:
            f.error("last_verified", f"{day} is in the future: the date the numbers were "
                    "checked")
            return None
        if age > ERROR_AFTER_DAYS:
            f.error("last_verified", f"checked on {day}, over 12 months ago: check every "
                    f"number against {source} again and update the date")
            return None
        if age > WARN_AFTER_DAYS:
            self.report.warn(self.path, f.line("last_verified"), "last_verified",
                             f"checked on {day}, over 6 months ago: check it against "
                             f"{source} again")
        return source, day

    def service(self, item: LineDict) -> Service | None:
        f = Fields(self.report, self.path, item, SERVICE_FIELDS)
        name, purpose = f.text("name", max_len=120), self.texts(f, "purpose", required=True)
        phone, sms = self.number(f, "phone"), self.number(f, "sms")
        sms_text = f.text("sms_text", required=False)
        if sms_text is not None and not SMS_TEXT.fullmatch(sms_text):
            f.error("sms_text", f"{sms_text!r} must be one word of letters and digits")
            sms_text = None
        if sms_text is not None and "sms" not in item:
            f.error("sms_text", "needs the number to text it to (sms)")
        if "phone" not in item and "sms" not in item:
            f.error("phone", "a service needs a phone or an sms number")
        hours, cost = self.texts(f, "hours", False), self.texts(f, "cost", False)
        languages = f.text_list("languages", required=False) or []
        for lang in languages:
            if not LANGUAGE.fullmatch(lang):
                f.error("languages", f"{lang!r} is not an ISO 639-1 language code")
        checked, web = self.verified(f), f.url("web")
        if name is None or purpose is None or checked is None or (
                phone is None and sms is None):
            return None
        return Service(name, purpose, phone, sms, sms_text, web, hours, cost,
                       tuple(languages), *checked)

    def country(self, code: str, data: LineDict) -> Country | None:
        f = Fields(self.report, self.path, data, COUNTRY_FIELDS)
        name = self.texts(f, "name", required=True)
        emergency = data.get("emergency")
        numbers: list[str] = []
        checked = None
        if not isinstance(emergency, LineDict):
            f.error("emergency", "must give numbers, source and last_verified")
        else:
            ef = Fields(self.report, self.path, emergency, EMERGENCY_FIELDS)
            raw = emergency.get("numbers")
            if not isinstance(raw, list) or not raw:
                ef.error("numbers", "must list the emergency numbers, the main one first")
            else:
                for number in raw:
                    if problem := number_problem(number):
                        ef.error("numbers", problem)
                    else:
                        numbers.append(number)
            checked = self.verified(ef)
        services: list[Service] = []
        raw_services = data.get("services")
        if not isinstance(raw_services, list) or not raw_services:
            f.error("services", "must list at least one crisis line")
        else:
            for item in raw_services:
                if not isinstance(item, LineDict):
                    f.error("services", "each service must be a mapping")
                elif (service := self.service(item)) is not None:
                    services.append(service)
        if name is None or checked is None or not numbers or len(services) != len(
                raw_services or []):
            return None
        return Country(code, name, tuple(numbers), checked[0], checked[1], tuple(services))


def load(reader: _Reader, languages: Sequence[str], today: dt.date) -> dict[str, Country]:
    """Every country in ``help/``, by code; a file with problems is reported and left out
    (and the report's errors then stop the whole library, as for any content)."""
    countries: dict[str, Country] = {}
    folder = reader.root / "help"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = relative(path, reader.root)
        if not CODE.fullmatch(path.stem):
            reader.report.error(name, 1, "file", f"{path.stem!r} is not an ISO 3166-1 "
                                "alpha-2 code in capitals (e.g. GB.yaml)")
            continue
        text = reader.text(path)
        data = reader.yaml(path, text) if text is not None else None
        if not isinstance(data, LineDict):
            if text is not None and data is not None:
                reader.report.error(name, 1, "file", "must be a mapping: name, emergency, "
                                    "services")
            continue
        country = _Checker(reader.report, name, languages, today).country(path.stem, data)
        if country is not None:
            countries[country.code] = country
    return countries


# -- documents -----------------------------------------------------------------------------

def summary_doc(base: str, country: Country) -> dict[str, str]:
    """The ``help`` object of every article and tip response."""
    return {"country": country.code, "emergency": country.emergency[0],
            "url": page_url(base, country.code)}


def _text(texts: Mapping[str, str] | None, lang: str) -> str | None:
    return texts.get(lang) if texts else None


def country_doc(base: str, country: Country, lang: str,
                countries: Sequence[Country]) -> dict[str, Any]:
    """GET /v1/help: one country's numbers and services, in one language."""
    return {
        "country": country.code,
        "name": country.name[lang],
        "lang": lang,
        "url": page_url(base, country.code),
        "emergency": {
            "numbers": list(country.emergency),
            "source": country.emergency_source,
            "last_verified": country.emergency_verified.isoformat(),
        },
        "services": [
            {
                "name": s.name,
                "purpose": s.purpose[lang],
                "phone": s.phone,
                "sms": s.sms,
                "sms_text": s.sms_text,
                "web": s.web,
                "hours": _text(s.hours, lang),
                "cost": _text(s.cost, lang),
                "languages": list(s.languages),
                "source": s.source,
                "last_verified": s.last_verified.isoformat(),
            }
            for s in country.services
        ],
        "countries": [{"country": c.code, "name": c.name[lang], "url": page_url(base, c.code),
                       "api_url": f"/v1/help?country={c.code}"} for c in countries],
    }


# -- the block at the end of every feed item -------------------------------------------------

def _same(message: str) -> str:
    return message


def _how(service: Service, words: Callable[[str], str]) -> str:
    """How to reach a service, as escaped HTML with plain tel:/sms: links."""
    ways = []
    if service.phone:
        ways.append(f'{escape(words("call"))} '
                    f'<a href="tel:{tel(service.phone)}">{escape(service.phone)}</a>')
    if service.sms:
        link = f'<a href="sms:{tel(service.sms)}">{escape(service.sms)}</a>'
        if service.sms_text:
            # "text SHOUT to 85258", "envía SHOUT al 85258", "schreib SHOUT an 85258"
            ways.append(escape(words("text %(word)s to %(number)s")) % {
                "word": escape(service.sms_text), "number": link})
        else:
            ways.append(f"{escape(words('text'))} {link}")
    return f" {escape(words('or'))} ".join(ways)


def block_html(base: str, country: Country, lang: str, words: Callable[[str], str] = _same,
               index: str | None = None) -> str:
    """The help block as feed readers show it: plain HTML, no classes, no script.

    ``words`` translates the block's own words (gettext of ``lang``); ``index`` is the
    address of the help pages in that language (default: the default language's).
    """
    numbers = f" {escape(words('or'))} ".join(
        f'<a href="tel:{tel(n)}">{escape(n)}</a>' for n in country.emergency)
    items = []
    for s in country.services:
        facts = [t for t in (_text(s.hours, lang), _text(s.cost, lang)) if t]
        extra = f" ({escape('; '.join(facts))})" if facts else ""
        items.append(f"<li><strong>{escape(s.name)}</strong>: {_how(s, words)}{extra}. "
                     f"{escape(s.purpose[lang])}</li>")
    danger = escape(words("If you or someone else is in danger now, call %(numbers)s "
                          "(%(country)s).")) % {"numbers": numbers,
                                                "country": escape(country.name[lang])}
    return (f"<h2>{escape(words('Need urgent help?'))}</h2><p>{danger}</p>"
            f"<ul>{''.join(items)}</ul>"
            f'<p><a href="{escape(index or page_url(base))}">'
            f"{escape(words('Urgent help in other countries'))}</a></p>")
