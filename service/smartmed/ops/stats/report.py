"""A partner's numbers over a range of days: totals, daily counts, top items; JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from smartmed.ops.stats.events import EVENTS
from smartmed.ops.stats.store import Store

TOP_ITEMS = 20
MAX_DAYS = 400


@dataclass(frozen=True)
class Report:
    partner: str
    first: dt.date
    last: dt.date
    daily: list[dict[str, Any]]  # {"date", "impression", "read", "click"} for every day
    totals: dict[str, int]
    top: list[dict[str, Any]]  # {"kind", "item", "impression", "read", "click"}

    def as_json(self) -> dict[str, Any]:
        return {"partner": self.partner, "from": self.first.isoformat(),
                "to": self.last.isoformat(), "totals": self.totals, "daily": self.daily,
                "top_items": self.top}

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
        writer.writerow(["date", *EVENTS])
        for row in self.daily:
            writer.writerow([row["date"], *(row[e] for e in EVENTS)])
        return out.getvalue()


def build(store: Store, partner: str, first: dt.date, last: dt.date) -> Report:
    counts: dict[dt.date, dict[str, int]] = {}
    for day, _partner, event, n in store.daily(partner, first, last):
        counts.setdefault(day, {})[event] = n
    daily: list[dict[str, Any]] = []
    day = first
    while day <= last:  # bounded: the routes refuse ranges over MAX_DAYS
        row = counts.get(day, {})
        daily.append({"date": day.isoformat(), **{e: row.get(e, 0) for e in EVENTS}})
        day += dt.timedelta(days=1)
    totals: dict[str, int] = {e: sum(int(r[e]) for r in daily) for e in EVENTS}
    items: dict[tuple[str, str], dict[str, int]] = {}
    for kind, item, event, n in store.items(partner, first, last):
        items.setdefault((kind, item), dict.fromkeys(EVENTS, 0))[event] += n
    ranked = sorted(items.items(),
                    key=lambda kv: (-kv[1]["impression"], -kv[1]["read"], -kv[1]["click"],
                                    kv[0]))
    top = [{"kind": kind, "item": item, **n} for (kind, item), n in ranked[:TOP_ITEMS]]
    return Report(partner, first, last, daily, totals, top)
