import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from smartmed.content.model import Pin, Tip
from smartmed.content.observances import parse
from smartmed.content.rotation import Rotation, Rotations

START = dt.date(2026, 1, 1)
SPAN = 120


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@st.composite
def tips(draw: st.DrawFn, min_size: int = 1) -> list[Tip]:
    ids = draw(st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=min_size,
                        max_size=12, unique=True))
    out: list[Tip] = []
    pinned_days: set[tuple[int, int]] = set()
    for tip_id in ids:
        added = day(draw(st.integers(0, 60)))
        pin = None
        if draw(st.integers(0, 4)) == 0:
            target = added + dt.timedelta(days=draw(st.integers(0, 400)))
            if (target.month, target.day) not in pinned_days:
                pinned_days.add((target.month, target.day))
                yearly = draw(st.booleans())
                pin = Pin(target.month, target.day, None if yearly else target.year)
        out.append(Tip(tip_id, f"text {tip_id}", draw(st.sampled_from(["sleep", "mood"])),
                       "en", added, None, pin))
    return out


def schedule(pool: list[Tip], days: int = SPAN) -> list[Tip | None]:
    rotation = Rotation(pool)
    return [rotation.tip_for(day(n)) for n in range(days)]


@given(tips(), st.randoms(use_true_random=False))
def test_the_schedule_is_deterministic_whatever_the_input_order(pool: list[Tip], rnd) -> None:
    shuffled = list(pool)
    rnd.shuffle(shuffled)
    assert schedule(pool) == schedule(shuffled)


@given(tips())
def test_no_tip_repeats_before_every_eligible_tip_has_been_shown(pool: list[Tip]) -> None:
    shown = schedule(pool)
    last_seen: dict[str, int] = {}
    for n, tip in enumerate(shown):
        if tip is None or tip.pin is not None:
            continue
        if tip.id in last_seen:
            since = {t.id for t in shown[last_seen[tip.id] : n] if t is not None}
            eligible = {t.id for t in pool if t.pin is None and t.added <= day(n)}
            assert eligible <= since, (tip.id, day(n), eligible - since)
        last_seen[tip.id] = n


@given(tips(), tips(min_size=1))
@settings(max_examples=60)
def test_adding_a_tip_never_changes_a_day_before_its_added_date(
    pool: list[Tip], extra: list[Tip]
) -> None:
    known = {t.id for t in pool}
    pins = {(t.pin.month, t.pin.day) for t in pool if t.pin}
    new = next((t for t in extra if t.id not in known and not (
        t.pin and (t.pin.month, t.pin.day) in pins)), None)
    if new is None:
        return
    before = schedule(pool)
    after = schedule([*pool, new])
    cutoff = (new.added - START).days
    assert before[:cutoff] == after[:cutoff]


@given(tips())
def test_a_pinned_tip_wins_its_day_and_stays_out_of_the_rotation(pool: list[Tip]) -> None:
    shown = schedule(pool, 500)
    for n, tip in enumerate(shown):
        today = day(n)
        winners = [t for t in pool if t.pin and t.pin.matches(today) and t.added <= today]
        if winners:
            assert tip == winners[0]
        else:
            assert tip is None or tip.pin is None


def test_a_yearly_pin_recurs_and_a_once_pin_does_not() -> None:
    base = [Tip(f"t{n}", "x", "sleep", "en", START) for n in range(5)]
    yearly = Tip("mhd", "x", "sleep", "en", START, pin=Pin(10, 10))
    once = Tip("wsd", "x", "sleep", "en", START, pin=Pin(3, 19, 2027))
    rotation = Rotation([*base, yearly, once])
    assert rotation.tip_for(dt.date(2026, 10, 10)) == yearly
    assert rotation.tip_for(dt.date(2027, 10, 10)) == yearly
    assert rotation.tip_for(dt.date(2027, 3, 19)) == once
    assert rotation.tip_for(dt.date(2028, 3, 19)) not in (once, yearly)


def test_days_before_any_tip_was_added_have_no_tip() -> None:
    rotation = Rotation([Tip("a", "x", "sleep", "en", day(10))])
    assert rotation.tip_for(day(9)) is None
    assert rotation.tip_for(day(10)) is not None


def test_each_language_and_topic_has_its_own_rotation() -> None:
    pool = [
        Tip("s1", "x", "sleep", "en", START), Tip("s2", "x", "sleep", "en", START),
        Tip("m1", "x", "mood", "en", START), Tip("d1", "x", "mood", "de", START),
    ]
    rotations = Rotations(pool)
    assert {rotations.tip_for("en", "sleep", day(n)).id for n in range(2)} == {"s1", "s2"}
    assert {rotations.tip_for("en", None, day(n)).id for n in range(3)} == {"s1", "s2", "m1"}
    assert rotations.tip_for("de", None, day(0)).id == "d1"
    assert rotations.tip_for("fr", None, day(0)) is None


LANGS = ("en", "es", "de")


@st.composite
def multilingual(draw: st.DrawFn) -> list[Tip]:
    """Tips in three languages; each language's ids carry its code, as the library's do."""
    pool: list[Tip] = []
    for lang in LANGS:
        pool += [Tip(f"{lang}-{t.id}", t.text, t.topic, lang, t.added, None, t.pin)
                 for t in draw(tips())]
    return pool


@given(multilingual())
@settings(max_examples=60, deadline=None)  # three schedules an example: slow on a busy machine
def test_each_language_keeps_the_rotations_properties_whatever_the_others_hold(
        pool: list[Tip]) -> None:
    """Per language: its schedule is the one its own tips alone give (no tip of another
    language, no interference), pins win their day, and no tip repeats before every
    eligible tip of that language has been shown."""
    rotations = Rotations(pool)
    for lang in LANGS:
        own = [t for t in pool if t.lang == lang]
        shown = [rotations.tip_for(lang, None, day(n)) for n in range(SPAN)]
        assert shown == schedule(own)
        assert all(t is None or t.lang == lang for t in shown)
        last_seen: dict[str, int] = {}
        for n, tip in enumerate(shown):
            winners = [t for t in own if t.pin and t.pin.matches(day(n)) and t.added <= day(n)]
            if winners:
                assert tip == winners[0]
                continue
            if tip is None:
                continue
            assert tip.pin is None
            if tip.id in last_seen:
                since = {t.id for t in shown[last_seen[tip.id] : n] if t is not None}
                eligible = {t.id for t in own if t.pin is None and t.added <= day(n)}
                assert eligible <= since, (lang, tip.id, day(n), eligible - since)
            last_seen[tip.id] = n


RULES = ["first Monday of January", "second Sunday of February", "last Friday of March",
         "Friday before the March equinox"]


def reference_schedule(pool: list[Tip], days: int) -> list[Tip | None]:
    """The rule as the module docstring states it, one day at a time, with no index or
    heap: a pinned tip added by then wins its day (the first by id); else the eligible tip
    shown longest ago, never-shown first, ties by (added, id)."""
    pinned = [t for t in pool if t.pin is not None]
    order = sorted((t for t in pool if t.pin is None), key=lambda t: (t.added, t.id))
    last: dict[str, int] = {}
    out: list[Tip | None] = []
    for n in range(days):
        today = day(n)
        winners = [t for t in pinned if t.pin and t.pin.matches(today) and t.added <= today]
        eligible = [t for t in order if t.added <= today]
        if winners:
            out.append(min(winners, key=lambda t: t.id))
        elif eligible:
            shown = min(eligible, key=lambda t: (last.get(t.id, -1), order.index(t)))
            last[shown.id] = today.toordinal()
            out.append(shown)
        else:
            out.append(None)
    return out


@settings(max_examples=60, deadline=None)
@given(pool=tips(), rules=st.lists(st.sampled_from(RULES), max_size=3))
def test_the_schedule_is_the_rule_computed_day_by_day(pool: list[Tip], rules: list[str]) -> None:
    with_rules = pool + [
        Tip(f"rule{n}", "text", "sleep", "en", day(n * 7), None, parse(rule))
        for n, rule in enumerate(rules)]
    assert schedule(with_rules, 500) == reference_schedule(with_rules, 500)
