"""The house-style rules for tips: each catches a kind of mistake found in the library."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from smartmed.app import create_app
from smartmed.content.loader import check
from smartmed.content.tipstyle import MAX_PER_TECHNIQUE, check_text
from smartmed.settings import Settings

from conftest import ContentFactory, fixed_clock, tip

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("text", "message"), [
    ("Breathe in. Breathe out. Then rest.", "has 3 sentences; a tip has 1 or 2"),
    ('Say "this is hard" to yourself.', "uses '\"': quote with single quotes"),
    ("Say “this is hard” to yourself.", "uses '“': quote with single quotes"),
    ("Pick your favorite colour.", "'favorite' is US spelling"),
    ("Lean toward the light.", "'toward' is US spelling"),
    ("Drive your car to the coast.", "assumes the reader has 'car'"),
    ("Sit in your garden for ten minutes.", "assumes the reader has 'garden'"),
    ("Buy yourself flowers this week.", "assumes the reader has 'Buy'"),
    ("Lying quietly with your eyes closed still does you good.",
     "contradicts the sleep article"),
    ("Sleep arrives once you stop chasing it; if not, leaving the bed for a while is fine.",
     "contradicts the sleep article"),
])
def test_each_kind_of_mistake_is_reported(text: str, message: str) -> None:
    found = [p.message for p in check_text("tips/x.yaml", 3, text)]
    assert any(message in m for m in found), found


@pytest.mark.parametrize("text", [
    "Breathe in for four and out for six. Notice your shoulders drop.",
    "Say 'this is hard' to yourself, kindly.",
    "Walk one short trip you'd usually make by car or bus.",
    "Potter in a garden, a park or by a window box for ten minutes.",
])
def test_house_style_passes(text: str) -> None:
    assert check_text("tips/x.yaml", 3, text) == []


def test_too_many_tips_sharing_a_technique_is_an_error(make_content: ContentFactory) -> None:
    tips = "".join(tip(f"stream-{n}", text=f"Picture thought number {n} on a leaf.",
                       extra="technique: leaves-on-a-stream") for n in range(4))
    _, report = check(make_content({"tips/stream.yaml": tips}), today=dt.date(2026, 11, 27))
    assert [str(p) for p in report.errors] == [
        "content/tips/stream.yaml:20: technique: 'leaves-on-a-stream' is already the "
        "technique of 3 tips in 'en': give this one a different idea, or retire one"]


def test_a_tip_without_a_technique_is_an_error(make_content: ContentFactory) -> None:
    tips = "- id: untagged\n  text: \"Breathe out slowly.\"\n  topic: sleep\n  added: 2026-01-01\n"
    _, report = check(make_content({"tips/untagged.yaml": tips}), today=dt.date(2026, 11, 27))
    assert [str(p) for p in report.errors] == [
        "content/tips/untagged.yaml:1: technique: required field is missing"]


def test_every_bundled_tip_names_a_technique_no_idea_past_the_limit() -> None:
    tips = [t for path in sorted((ROOT / "content" / "tips").glob("*.yaml"))
            for t in yaml.safe_load(path.read_text(encoding="utf-8"))]
    assert all(t.get("technique") for t in tips)
    counts: dict[str, int] = {}
    for t in tips:
        counts[t["technique"]] = counts.get(t["technique"], 0) + 1
    assert max(counts.values()) <= MAX_PER_TECHNIQUE


def first_commit_day(path: Path) -> dt.date | None:
    """The day git first recorded ``path``: when its tips entered the library."""
    result = subprocess.run(["git", "log", "--diff-filter=A", "--follow", "--format=%as",
                             "--", str(path)], cwd=ROOT, capture_output=True, text=True)
    days = result.stdout.split()
    return dt.date.fromisoformat(days[-1]) if result.returncode == 0 and days else None


def test_no_bundled_tip_claims_to_predate_its_file(tmp_path: Path) -> None:
    """`added` is the day a tip entered the library: never before git recorded it, so the
    archive and feeds never show tips of the day that were never published."""
    if first_commit_day(ROOT / "content" / "site.yaml") is None:
        pytest.skip("not a git checkout: no history to compare `added` with")
    for path in sorted((ROOT / "content" / "tips").glob("*.yaml")):
        entered = first_commit_day(path)
        if entered is None:
            continue  # a new file, not committed yet: its tips enter when it is
        for item in yaml.safe_load(path.read_text()):
            assert item["added"] >= entered, (path.name, item["id"], item["added"], entered)


def test_the_bundled_history_starts_the_day_the_tips_entered(tmp_path: Path) -> None:
    settings = Settings(content_dir=ROOT / "content", state_dir=tmp_path)
    later = fixed_clock(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
    with TestClient(create_app(settings, clock=later)) as client:
        assert client.get("/v1/tips/2026-11-27").status_code == 200
        assert client.get("/v1/tips/2026-11-26").status_code == 404
        assert client.get("/tips/2026-11-26").status_code == 404
        archive = client.get("/tips").text
        assert "/tips/2026-11-27" in archive and "/tips/2026-11-26" not in archive
        days = [i["id"].rsplit("/", 1)[1] for i in client.get("/feeds/tips.json").json()["items"]]
        assert min(days) == "2026-11-27"
