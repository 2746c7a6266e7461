"""The daily tip: a pure function of (tips, language, topic, date).

A pinned tip wins its day and never enters the rotation. Every other day shows the
least-recently-shown eligible tip (eligible: added on or before that day), ties broken
by (added, id). A tip added later is invisible before its ``added`` date, so adding one
never rewrites the past.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable

from smartmed.content.model import Pin, Tip

_ONE_DAY = dt.timedelta(days=1)


class Rotation:
    """One rotation (a language, or a language and topic), computed forward and memoized."""

    def __init__(self, tips: Iterable[Tip]) -> None:
        tips = list(tips)
        self._pinned = [t for t in tips if t.pin is not None]
        # Pinned tips by the day they name (month, day), and rule pins ("second Sunday of
        # May") by the dates they fall on, a year at a time: _pin_for looks one day up.
        self._dated: dict[tuple[int, int], list[Tip]] = {}
        self._rules = [t for t in self._pinned if not isinstance(t.pin, Pin)]
        self._rule_days: dict[int, dict[dt.date, list[Tip]]] = {}
        for tip in self._pinned:
            if isinstance(tip.pin, Pin):
                self._dated.setdefault((tip.pin.month, tip.pin.day), []).append(tip)
        self._pool = sorted((t for t in tips if t.pin is None), key=lambda t: (t.added, t.id))
        starts = [t.added for t in self._pool] + [
            t.added for t in self._pinned
        ]
        self.start: dt.date | None = min(starts) if starts else None
        self._days: list[Tip | None] = []  # index 0 is self.start
        self._heap: list[tuple[int, int]] = []  # (last shown ordinal, pool index)
        self._next_eligible = 0

    def tip_for(self, day: dt.date) -> Tip | None:
        if self.start is None or day < self.start:
            return None
        offset = (day - self.start).days
        if len(self._days) <= offset:
            self._advance_to(offset)
        return self._days[offset]

    def _pin_for(self, day: dt.date) -> Tip | None:
        """The pinned tip that wins ``day``: of those whose pin matches it and that were
        added by then, the first by id."""
        winners = [t for t in self._dated.get((day.month, day.day), ())
                   if t.pin and t.pin.matches(day) and t.added <= day]
        if self._rules:
            winners += [t for t in self._rule_year(day.year).get(day, ()) if t.added <= day]
        return min(winners, key=lambda t: t.id) if winners else None

    def _rule_year(self, year: int) -> dict[dt.date, list[Tip]]:
        days = self._rule_days.get(year)
        if days is None:
            days = {}
            for tip in self._rules:
                if tip.pin is not None and not isinstance(tip.pin, Pin):
                    days.setdefault(tip.pin.day_in(year), []).append(tip)
            self._rule_days[year] = days
        return days

    def _advance_to(self, offset: int) -> None:
        """Computes the days up to ``start + offset``, one after another: each shows its
        pinned tip, else the eligible tip shown longest ago (never shown first)."""
        assert self.start is not None
        pool, heap, days = self._pool, self._heap, self._days
        pins = bool(self._dated or self._rules)
        eligible = self._next_eligible
        day = self.start + dt.timedelta(days=len(days))
        while len(days) <= offset:
            while eligible < len(pool) and pool[eligible].added <= day:
                heapq.heappush(heap, (-1, eligible))
                eligible += 1
            pinned = self._pin_for(day) if pins else None
            if pinned is not None or not heap:
                days.append(pinned)
            else:
                # (last shown, index) pairs are unique: the smallest is one tip, whatever
                # the heap's inner order.
                index = heap[0][1]
                heapq.heapreplace(heap, (day.toordinal(), index))
                days.append(pool[index])
            day += _ONE_DAY
        self._next_eligible = eligible


class Rotations:
    """Every rotation of a library: one per language, one per (language, topic)."""

    def __init__(self, tips: Iterable[Tip]) -> None:
        tips = tuple(tips)
        self._tips = tips
        groups: dict[tuple[str, str | None], list[Tip]] = {}
        for tip in tips:
            groups.setdefault((tip.lang, None), []).append(tip)
            groups.setdefault((tip.lang, tip.topic), []).append(tip)
        self._rotations = {key: Rotation(group) for key, group in groups.items()}

    def names(self) -> list[tuple[str, str | None]]:
        return sorted(self._rotations, key=lambda k: (k[0], k[1] or ""))

    def tip_for(self, lang: str, topic: str | None, day: dt.date) -> Tip | None:
        rotation = self._rotations.get((lang, topic))
        return rotation.tip_for(day) if rotation else None
