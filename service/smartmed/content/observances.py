"""Pins written as rules, so that movable observances never silently lapse.

A tip's ``date`` may be a rule instead of a date:

- ``first Thursday of February`` (first, second, third, fourth or last; any weekday and
  month): Time to Talk Day;
- ``Friday before the March equinox`` (any weekday; ``before`` or ``after``): the latest
  such weekday strictly before (or earliest strictly after) the day of the equinox in
  UTC. World Sleep Day is the Friday before the March equinox.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = tuple(calendar.day_name)  # Monday … Sunday
MONTHS = tuple(calendar.month_name)[1:]
ORDINALS = ("first", "second", "third", "fourth", "last")
NTH = re.compile(rf"^(?:the )?({'|'.join(ORDINALS)}) ({'|'.join(WEEKDAYS)}) of "
                 rf"({'|'.join(MONTHS)})$", re.IGNORECASE)
EQUINOX = re.compile(rf"^(?:the )?({'|'.join(WEEKDAYS)}) (before|after) the March equinox$",
                     re.IGNORECASE)


def march_equinox(year: int) -> dt.date:
    """The UTC day of the March equinox: Meeus, Astronomical Algorithms, ch. 27, the mean
    equinox for 2000-3000. Its error is minutes, so only an equinox within minutes of
    midnight UTC could land on the wrong day."""
    y = (year - 2000) / 1000
    jde = (2451623.80984 + 365242.37404 * y + 0.05169 * y**2 - 0.00411 * y**3
           - 0.00057 * y**4)
    # Julian day 2451544.5 is 2000-01-01 00:00 UTC.
    return dt.date(2000, 1, 1) + dt.timedelta(days=int(jde - 2451544.5))


@dataclass(frozen=True)
class RulePin:
    """A pin that names a rule; ``matches`` and ``day_in`` compute its day each year."""

    text: str  # as the editor wrote it, normalised
    weekday: int  # 0 Monday … 6 Sunday
    month: int = 0  # for "nth weekday of month"
    nth: str = ""  # first … last
    relation: str = ""  # before / after the March equinox

    year = None  # a rule recurs every year (as a yearly Pin does)

    def day_in(self, year: int) -> dt.date:
        if self.relation:
            equinox = march_equinox(year)
            step = -1 if self.relation == "before" else 1
            day = equinox + dt.timedelta(days=step)
            while day.weekday() != self.weekday:
                day += dt.timedelta(days=step)
            return day
        days = [dt.date(year, self.month, d)
                for d in range(1, calendar.monthrange(year, self.month)[1] + 1)
                if dt.date(year, self.month, d).weekday() == self.weekday]
        return days[-1] if self.nth == "last" else days[ORDINALS.index(self.nth)]

    def matches(self, day: dt.date) -> bool:
        return self.day_in(day.year) == day

    def __str__(self) -> str:
        return self.text


def parse(text: str) -> RulePin | None:
    """The rule ``text`` names, or None when it is not one."""
    text = " ".join(text.split())
    if match := NTH.match(text):
        nth, weekday, month = (g.lower() for g in match.groups())
        return RulePin(text, _index(WEEKDAYS, weekday), _index(MONTHS, month) + 1, nth=nth)
    if match := EQUINOX.match(text):
        weekday, relation = (g.lower() for g in match.groups())
        return RulePin(text, _index(WEEKDAYS, weekday), relation=relation)
    return None


def _index(names: tuple[str, ...], name: str) -> int:
    return [n.lower() for n in names].index(name)
