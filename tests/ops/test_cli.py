import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from helpers import UNTRANSLATED, ContentFactory, tip
from smartmed.cli import main
from smartmed.content import bundled

ROOT = Path(__file__).resolve().parents[2]


def test_check_passes_valid_content_and_says_what_it_found(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(content_dir), "--today", "2026-11-27"]) == 0
    out = capsys.readouterr().out.splitlines()
    # The fixture's two English articles have no German translation yet: warnings.
    assert [line.split(":")[0] for line in out[:2]] == ["content/articles/calm-down.md",
                                                       "content/articles/sleep-better.md"]
    assert all(UNTRANSLATED in line for line in out[:2])
    assert out[2].startswith("OK: 2 articles, 8 tips, 2 partners, 2 warning(s)")


def test_check_prints_every_problem_and_exits_1(
    make_content: ContentFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_content({"tips/bad.yaml": tip("a", topic="x") + tip("b", added="soon")})
    assert main(["check", str(root), "--today", "2026-11-27"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("content/tips/bad.yaml:3: topic: 'x' is not one of")
    assert err[1].startswith("content/tips/bad.yaml:9: added: 'soon' is not a date")
    assert err[2] == f"2 error(s), 2 warning(s): {root} is not valid"


def test_bad_settings_stop_the_command_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMARTMED_SNIPPET_CHARS", "lots")
    assert main(["check"]) == 2
    assert "SMARTMED_SNIPPET_CHARS='lots'" in capsys.readouterr().err


def test_the_bundled_content_is_found_from_the_checkout() -> None:
    assert bundled.content_dir() == ROOT / "content"


def test_the_bundled_content_is_valid_with_no_review_due_within_the_medical_cycle(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Medical articles are reviewed every 6 months; the earliest is due on 2027-05-18.
    assert main(["check", "--today", "2027-05-17"]) == 0
    assert ", 0 warning(s);" in capsys.readouterr().out
    assert main(["check", "--today", "2027-05-19"]) == 0
    assert "next_review: warning: review was due on 2027-05-18" in capsys.readouterr().out


def test_release_check_refuses_the_bundled_placeholder_reviews(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--today", "2026-12-01", "--release"]) == 1
    err = capsys.readouterr().err
    for lang in ("en", "es", "de"):  # each language's tip library has its own review
        assert f"reviewed_by: the {lang} tip library awaits clinical review" in err
    assert "content/site.yaml" in err
    assert "content/articles/can-baclofen-help-anxiety.md:7: reviewed_by: this article " \
        "awaits clinical review" in err


def test_serve_refuses_invalid_content_with_the_same_lines(make_content: ContentFactory) -> None:
    root = make_content({"tips/bad.yaml": tip("a", topic="x")})
    result = subprocess.run(
        [sys.executable, "-m", "smartmed", "serve", "--content", str(root), "--port", "1"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert "content/tips/bad.yaml:3: topic: 'x' is not one of" in result.stderr
    assert "refusing to start" in result.stderr


def test_serve_release_refuses_content_awaiting_clinical_review(
        make_content: ContentFactory) -> None:
    """What the production image runs: placeholder-only reviews keep it from starting."""
    root = make_content()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTMED_")}
    result = subprocess.run(
        [sys.executable, "-m", "smartmed", "serve", "--release", "--content", str(root),
         "--port", "1"], capture_output=True, text=True, timeout=60, check=False, env=env)
    assert result.returncode == 1
    assert "content/site.yaml:14: reviewed_by: the en tip library awaits clinical review" \
        in result.stderr
    assert "refusing to start" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_python_dash_m_serve_runs_the_service(content_dir: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTMED_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartmed", "serve", "--content", str(content_dir),
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/topics") as response:
                    assert response.status == 200
                    assert response.headers["x-content-version"]
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_loads_the_content_once_per_process_and_keeps_no_spare_copy(
        content_dir: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """`smartmed serve` validates the content. With one worker, uvicorn runs it in this
    process and it serves that very library: the content is read once. With several, each
    worker loads its own, and this process, which supervises them for as long as they
    serve, keeps no library."""
    import gc

    import uvicorn
    from starlette.applications import Starlette

    from smartmed.content import loader
    from smartmed.content.model import Library

    def libraries() -> int:
        gc.collect()
        return sum(isinstance(o, Library) for o in gc.get_objects())

    # runner.prepared hands the workers their settings through os.environ: undone after.
    for name in ("SMARTMED_CONTENT_DIR", "SMARTMED_STATE_DIR"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    # Several workers would share their metrics through files: not what this is about.
    monkeypatch.setenv("SMARTMED_METRICS", "false")
    checks: list[Path] = []
    check = loader.check

    def counted(root: Path, **options: Any) -> Any:
        checks.append(root)
        return check(root, **options)
    monkeypatch.setattr(loader, "check", counted)
    ran: list[tuple[object, int]] = []

    def run(**options: Any) -> None:
        alive = libraries()
        # With one worker uvicorn calls the factory in this process, as `--factory` does.
        app = options["app"]() if callable(options["app"]) else options["app"]
        ran.append((app, alive))
    monkeypatch.setattr(uvicorn, "run", run)
    before = libraries()
    assert main(["serve", "--content", str(content_dir), "--port", "1",
                 "--workers", str(workers)]) == 0
    assert checks == [content_dir]  # the workers of a real run would each load once more
    [(app, alive)] = ran
    if workers == 1:
        assert isinstance(app, Starlette) and alive == before + 1  # the app's, and no other
        assert app.state.service.library.version == loader.content_version(content_dir)
    else:
        assert app == "smartmed.app:app_from_env" and alive == before
