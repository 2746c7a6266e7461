"""The house-style rules for tips: each catches a kind of mistake found in the library."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from helpers import ContentFactory, fixed_clock, tip
from smartmed.app import create_app
from smartmed.content.loader import check
from smartmed.content.tipstyle import MAX_PER_TECHNIQUE, check_text
from smartmed.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize(("lang", "text", "message"), [
    # Quotation marks: « » in Spanish, „ “ in German.
    ("es", 'Dite "esto es difícil" con cariño.', "uses '\"': quote with comillas angulares"),
    ("es", "Dite “esto es difícil” con cariño.", "uses '“': quote with comillas angulares"),
    ("es", "Dite 'esto es difícil' con cariño.", "uses \"'\": quote with comillas angulares"),
    ("de", 'Sag dir "das ist schwer" freundlich.', "uses '\"': quote with deutsche"),
    ("de", "Sag dir “das ist schwer” freundlich.", "uses '“': quote with deutsche"),
    ("de", "Sag dir «das ist schwer» freundlich.", "uses '«': quote with deutsche"),
    # Sentences that start with an opening mark or an accented capital.
    ("es", "Respira. ¿Qué notas? ¡Bien hecho!", "has 3 sentences"),
    ("es", "Respira despacio. «Estoy aquí», dite. Él también lo hace.", "has 3 sentences"),
    ("es", "Para un momento. Ánimo, lo haces bien. Éste es tu ritmo.", "has 3 sentences"),
    ("de", "Atme aus. „Ich bin da“, sag dir. Übe das täglich.", "has 3 sentences"),
    ("de", "Atme aus. Öffne das Fenster. Ändere nichts sonst.", "has 3 sentences"),
    ("de", "Frag dich: „Was brauche ich?“ Dann gönn es dir. Ruh dich aus.", "has 3 sentences"),
    # What not everyone has, without an alternative.
    ("es", "Sal con el coche hasta la costa.", "assumes the reader has 'coche'"),
    ("es", "Siéntate en tu jardín diez minutos.", "assumes the reader has 'jardín'"),
    ("es", "Cómprate unas flores esta semana.", "assumes the reader has 'Cómprate'"),
    ("es", "Cuéntale a tu pareja cómo ha ido el día.", "assumes the reader has 'pareja'"),
    ("de", "Fahr mit dem Auto ans Meer.", "assumes the reader has 'Auto'"),
    ("de", "Setz dich zehn Minuten in deinen Garten.", "assumes the reader has 'Garten'"),
    ("de", "Kauf dir diese Woche Blumen.", "assumes the reader has 'Kauf'"),
    ("de", "Erzähl deiner Partnerin von deinem Tag.", "assumes the reader has 'Partnerin'"),
    # The sleep article: get up after about twenty minutes awake.
    ("es", "Quedarte tumbado con los ojos cerrados también descansa.",
     "contradicts the sleep article"),
    ("de", "Im Bett bleiben und dösen tut dir trotzdem gut.", "contradicts the sleep article"),
])
def test_each_kind_of_mistake_is_reported_in_spanish_and_german(lang: str, text: str,
                                                                message: str) -> None:
    found = [p.message for p in check_text("tips/x.yaml", 3, text, lang)]
    assert any(message in m for m in found), found


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Dite «esto es difícil» con cariño."),
    ("es", "Respira cuatro tiempos y suelta en seis. ¿Notas cómo bajan los hombros?"),
    ("es", "Haz a pie un trayecto que sueles hacer en coche o en autobús."),
    ("es", "Entretente en un jardín, un parque o con una maceta en la ventana."),
    # The German closing “ is right, even before a capital or at the end.
    ("de", "Sag dir „das ist schwer“, freundlich und leise."),
    ("de", "Frag dich: „Was brauche ich gerade?“ Dann gib dir ein kleines Stück davon."),
    ("de", "Sagt jemand „Passt schon“, frag sanft nach: „Und wie geht’s dir wirklich?“"),
    ("de", "Geh eine kurze Strecke zu Fuß, die du sonst mit Auto oder Bus fährst."),
    # US spellings are a rule for English only; a Spanish "color" is Spanish.
    ("es", "Fíjate en el color del cielo al salir."),
    ("en", "Notice the colour of the sky as you step out."),
])
def test_house_style_passes_in_each_language(lang: str, text: str) -> None:
    assert check_text("tips/x.yaml", 3, text, lang) == []


def test_english_rules_stay_english(make_content: ContentFactory) -> None:
    """A US spelling or a double quote is wrong in English, whatever the tip's folder."""
    assert check_text("tips/x.yaml", 3, "Fíjate en el color del cielo.", "en")
    assert check_text("tips/x.yaml", 3, 'Say "this is hard".', "en")
    root = make_content({"tips/de/schlaf.yaml": tip(
        "de-1", text="Sag dir «das ist schwer» freundlich.")})
    _, report = check(root, today=dt.date(2026, 11, 27))
    assert any(str(p).startswith("content/tips/de/schlaf.yaml:2: text: warning: uses '«'")
               for p in report.warnings), report.problems
