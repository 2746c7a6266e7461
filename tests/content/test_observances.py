"""Pins written as rules, and the help-carrying observance tip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpers import GB, HELP_SITE, ContentFactory, fixed_clock, tip
from smartmed.app import create_app
from smartmed.content.loader import check
from smartmed.content.observances import march_equinox, parse
from smartmed.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("year", "day"), [
    # World Sleep Day as observed: the Friday before the March equinox.
    (2020, dt.date(2020, 3, 13)), (2021, dt.date(2021, 3, 19)), (2023, dt.date(2023, 3, 17)),
    (2024, dt.date(2024, 3, 15)), (2025, dt.date(2025, 3, 14)), (2026, dt.date(2026, 3, 13)),
    (2027, dt.date(2027, 3, 19)),
])
def test_the_friday_before_the_march_equinox(year: int, day: dt.date) -> None:
    rule = parse("Friday before the March equinox")
    assert rule is not None and rule.day_in(year) == day


def test_the_equinox_falls_on_the_19th_or_20th_this_century() -> None:
    assert march_equinox(2026) == dt.date(2026, 3, 20)
    assert march_equinox(2044) == dt.date(2044, 3, 19)


@pytest.mark.parametrize(("rule", "year", "day"), [
    ("first Thursday of February", 2024, dt.date(2024, 2, 1)),  # Time to Talk Day 2024
    ("first Thursday of February", 2020, dt.date(2020, 2, 6)),
    ("last Monday of May", 2026, dt.date(2026, 5, 25)),
    ("the second Sunday of March", 2026, dt.date(2026, 3, 8)),
])
def test_nth_weekday_of_a_month(rule: str, year: int, day: dt.date) -> None:
    pin = parse(rule)
    assert pin is not None and pin.day_in(year) == day and pin.matches(day)
    assert not pin.matches(day + dt.timedelta(days=7))


def test_a_pin_that_is_neither_a_date_nor_a_rule_is_an_error(
        make_content: ContentFactory) -> None:
    root = make_content({"tips/t.yaml": tip("x", extra="date: 'Thursday-ish in spring'")})
    _, report = check(root, today=dt.date(2026, 11, 27))
    assert any("date: 'Thursday-ish in spring' is not a pin: use YYYY-MM-DD for one day, "
               "'MM-DD' every year, or a rule" in str(p) for p in report.errors)


def test_a_rule_clashing_with_a_dated_pin_is_an_error(make_content: ContentFactory) -> None:
    tips = tip("sleep-day", extra="date: 'Friday before the March equinox'") + \
        tip("other", extra="date: '2027-03-19'", added="2026-11-01")
    _, report = check(make_content({"tips/t.yaml": tips}), today=dt.date(2026, 11, 27))
    assert any("2027-03-19 is already pinned to tip sleep-day" in str(p)
               for p in report.errors), [str(p) for p in report.problems]


def test_the_bundled_sleep_day_recurs_and_time_to_talk_day_is_pinned(tmp_path: Path) -> None:
    library, report = check(ROOT / "content", today=dt.date(2026, 12, 1))
    assert library is not None, [str(p) for p in report.errors]
    by_id = {t.id: t for t in library.tips}
    sleep_day = by_id["observance-world-sleep-day-2027"].pin
    assert sleep_day is not None
    assert sleep_day.matches(dt.date(2027, 3, 19)) and sleep_day.matches(dt.date(2028, 3, 17))
    assert by_id["observance-time-to-talk-day"].pin.matches(dt.date(2027, 2, 4))


def test_the_suicide_prevention_day_tip_carries_the_help_block_everywhere(
        tmp_path: Path) -> None:
    settings = Settings(content_dir=ROOT / "content", state_dir=tmp_path)
    on_the_day = fixed_clock(dt.datetime(2027, 9, 10, 12, tzinfo=dt.UTC))
    with TestClient(create_app(settings, clock=on_the_day)) as client:
        doc = client.get("/v1/tips/2027-09-10").json()
        assert doc["tip"]["id"] == "observance-world-suicide-prevention-day"
        assert doc["tip"]["help_block"] is True and doc["help"]["emergency"] == "999"
        page = client.get("/tips/2027-09-10").text
        assert 'id="help-tip"' in page and 'href="tel:999"' in page
        feed = client.get("/feeds/tips.json").json()["items"][0]
        assert feed["id"].endswith("/tips/2027-09-10")
        assert 'href="tel:999"' in feed["content_html"]
        ordinary = client.get("/tips/2027-09-09").text
        assert 'id="help-tip"' not in ordinary


def test_a_tip_naming_suicide_must_carry_the_help_block(make_content: ContentFactory) -> None:
    text = "It's World Suicide Prevention Day. Reach out to someone you trust."
    root = make_content({"site.yaml": HELP_SITE, "help/GB.yaml": GB,
                         "tips/t.yaml": tip("wspd", text=text)})
    _, report = check(root, today=dt.date(2026, 11, 27))
    assert any("only a tip marked 'help: true'" in str(p) for p in report.errors)
    root = make_content({"site.yaml": HELP_SITE, "help/GB.yaml": GB,
                         "tips/t.yaml": tip("wspd", text=text, extra="help: true")}, name="ok")
    library, report = check(root, today=dt.date(2026, 11, 27))
    assert library is not None, [str(p) for p in report.errors]
