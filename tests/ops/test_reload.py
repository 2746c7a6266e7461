"""Live content reload: cheap change detection, validation, atomic swap, last good content."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from helpers import NOW, ContentFactory, article, fixed_clock
from serving import metric, serve, smartmed_env, until, write_atomically
from smartmed.app import create_app
from smartmed.cli import main
from smartmed.content import loader
from smartmed.content.problems import ContentError
from smartmed.ops import reload, snapshot
from smartmed.settings import Settings

ARTICLE = "articles/sleep-better.md"
BAD = article("Broken", published="not-a-date")


def marked(marker: str) -> str:
    return article(f"Sleep Better {marker}")


def version_of(root: Path, rel: str, text: str, staging: Path) -> str:
    write_atomically(root / rel, text, staging)
    return loader.content_version(root)


def check_messages(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["check", str(root), "--today", NOW.date().isoformat()]) == 1
    return capsys.readouterr().err.splitlines()[:-1]  # the problems, without the summary


def make_app(root: Path, **settings: object):
    return create_app(Settings(content_dir=root, access_log=False, **settings),
                      clock=fixed_clock())


def reloader(app) -> reload.Reloader:
    r: reload.Reloader = app.state.reloader
    return r


def test_a_valid_change_is_swapped_in_and_served_with_its_version(
        content_dir: Path, tmp_path: Path) -> None:
    app = make_app(content_dir, reload_interval=0)
    r = reloader(app)
    old = app.state.service.library.version
    new = version_of(content_dir, ARTICLE, marked("v2"), tmp_path / "staging")
    assert r.poll() == "reloaded"
    with TestClient(app) as client:
        response = client.get("/v1/articles/sleep-better")
    assert response.status_code == 200
    assert response.headers["x-content-version"] == new != old
    assert response.json()["article"]["title"] == "Sleep Better v2"


def test_nothing_changed_means_nothing_read(content_dir: Path) -> None:
    app = make_app(content_dir, reload_interval=0)
    r = reloader(app)
    catalog = app.state.service.catalog
    assert r.poll() == "unchanged"
    os.utime(content_dir / ARTICLE)  # touched, same bytes: read, same version, no swap
    assert r.poll() == "unchanged"
    assert app.state.service.catalog is catalog


def test_invalid_content_is_rejected_with_the_check_messages_and_the_old_keeps_serving(
        content_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(content_dir, reload_interval=0)
    r = reloader(app)
    old = app.state.service.library.version
    write_atomically(content_dir / ARTICLE, BAD, tmp_path / "staging")
    with caplog.at_level(logging.ERROR, logger="smartmed.reload"):
        assert r.poll() == "rejected"
        assert r.poll() == "unchanged"  # logged once per change, not once per poll
    logged = [rec.getMessage().removeprefix("content reload rejected: ")
              for rec in caplog.records]
    expected = check_messages(content_dir, capsys)
    assert expected and logged[:len(expected)] == expected
    assert f"still serving version {old}" in logged[-1]
    assert app.state.service.library.version == old


def test_reloads_are_counted_in_metrics(content_dir: Path, tmp_path: Path) -> None:
    app = make_app(content_dir, reload_interval=0)
    state = app.state.service
    with TestClient(app) as client:
        r = reloader(app)
        write_atomically(content_dir / ARTICLE, BAD, tmp_path / "s")
        r.poll()
        write_atomically(content_dir / ARTICLE, marked("v3"), tmp_path / "s")
        r.poll()
        text = client.get("/metrics").text
    assert metric(text, "smartmed_content_reloads_total", result="failure") == 1
    assert metric(text, "smartmed_content_reloads_total", result="success") == 1
    assert metric(text, "smartmed_content_version_info", version=state.library.version) == 1


def test_the_lifespan_polls_in_the_background(content_dir: Path, tmp_path: Path) -> None:
    app = make_app(content_dir, reload_interval=0.05)
    with TestClient(app) as client:
        new = version_of(content_dir, ARTICLE, marked("polled"), tmp_path / "s")
        until(lambda: client.get("/readyz").json()["content_version"] == new,
              what="the poller to swap in the new content")


def test_a_worker_starting_on_bad_content_serves_the_last_good_copy(
        make_content: ContentFactory, tmp_path: Path) -> None:
    root = make_content()
    state_dir = tmp_path / "state"
    good = make_app(root, reload_interval=0, state_dir=state_dir).state.service.library
    assert snapshot.current(state_dir) is not None
    write_atomically(root / ARTICLE, BAD, tmp_path / "s")
    app = make_app(root, reload_interval=0, state_dir=state_dir)
    assert app.state.service.library.version == good.version
    with pytest.raises(ContentError, match="published"):
        make_app(root, reload_interval=0)  # no state directory: nothing to fall back on


def test_a_rejected_reload_does_not_replace_the_saved_copy(
        content_dir: Path, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    app = make_app(content_dir, reload_interval=0, state_dir=state_dir)
    r = reloader(app)
    v2 = version_of(content_dir, ARTICLE, marked("v2"), tmp_path / "s")
    assert r.poll() == "reloaded"
    write_atomically(content_dir / ARTICLE, BAD, tmp_path / "s")
    assert r.poll() == "rejected"
    saved = snapshot.current(state_dir)
    assert saved is not None and loader.content_version(saved) == v2


# -- real servers -----------------------------------------------------------------------


def load(url: str, stop: threading.Event, check: Callable[[httpx.Response], None]) -> int:
    n = 0
    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            check(client.get(url))
            n += 1
    return n


def test_under_load_reloads_never_fail_a_request_nor_mix_versions(
        make_content: ContentFactory, tmp_path: Path) -> None:
    root = make_content({ARTICLE: marked("alpha")})
    staging = tmp_path / "staging"
    versions = {loader.content_version(root): "alpha",
                version_of(root, ARTICLE, marked("beta"), staging): "beta"}
    write_atomically(root / ARTICLE, marked("alpha"), staging)
    server = serve(tmp_path / "logs", root, "--workers", "2",
                   env=smartmed_env(reload_interval="0.05", access_log="false"))
    seen: set[str] = set()
    failures: list[str] = []

    def check(response: httpx.Response) -> None:
        version = response.headers.get("x-content-version", "")
        title = response.json()["article"]["title"] if response.status_code == 200 else ""
        if response.status_code != 200 or title != f"Sleep Better {versions.get(version)}":
            failures.append(f"{response.status_code} {version} {title!r}")
        seen.add(versions.get(version, version))

    stop = threading.Event()
    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(load, server.url + "/v1/articles/sleep-better", stop, check)
                       for _ in range(8)]
            rejected = 0
            for step in ["beta", "bad", "alpha", "bad", "beta"]:
                write_atomically(root / ARTICLE, BAD if step == "bad" else marked(step),
                                 staging)
                if step == "bad":  # both workers have looked at it and said no
                    rejected += 2
                    until(lambda n=rejected: server.stderr().count("still serving") >= n,
                          timeout=30, what="the bad content to be rejected by both workers")
                else:
                    until(lambda s=step: all(
                        versions.get(httpx.get(server.url + "/readyz").headers[
                            "x-content-version"]) == s for _ in range(6)),
                        timeout=30, what=f"{step} to be served")
            stop.set()
            requests = sum(f.result() for f in futures)
        text = httpx.get(server.url + "/metrics").text
    finally:
        stop.set()
        server.stop()
    assert failures == []
    assert requests > 100
    assert seen == {"alpha", "beta"}
    assert metric(text, "smartmed_content_reloads_total", result="success") >= 3
    assert metric(text, "smartmed_content_reloads_total", result="failure") >= 2


def test_sighup_reloads_a_single_worker_at_once(content_dir: Path, tmp_path: Path) -> None:
    server = serve(tmp_path / "logs", content_dir, env=smartmed_env(reload_interval="0"))
    try:
        new = version_of(content_dir, ARTICLE, marked("hup"), tmp_path / "s")
        assert httpx.get(server.url + "/readyz").json()["content_version"] != new
        server.send(signal.SIGHUP)
        until(lambda: httpx.get(server.url + "/readyz").json()["content_version"] == new,
              what="SIGHUP to reload")
        assert server.popen.poll() is None
    finally:
        server.stop()


def test_watch_reloads_while_editing(content_dir: Path, tmp_path: Path) -> None:
    # Polling is off in the environment: --watch alone must notice the edit.
    server = serve(tmp_path / "logs", content_dir, "--watch",
                   env=smartmed_env(reload_interval="0"))
    try:
        new = version_of(content_dir, ARTICLE, marked("watched"), tmp_path / "s")
        until(lambda: httpx.get(server.url + "/readyz").json()["content_version"] == new,
              what="--watch to reload")
    finally:
        server.stop()


def test_workers_restarted_by_sighup_on_bad_content_serve_the_last_good(
        content_dir: Path, tmp_path: Path) -> None:
    good = loader.content_version(content_dir)
    server = serve(tmp_path / "logs", content_dir, "--workers", "2",
                   env=smartmed_env(reload_interval="0"))
    try:
        write_atomically(content_dir / ARTICLE, BAD, tmp_path / "s")
        server.send(signal.SIGHUP)  # uvicorn's supervisor replaces every worker
        until(lambda: server.stderr().count("serving the last good content") >= 2,
              timeout=60, what="both replacement workers to start on the last good copy")
        answers = [httpx.get(server.url + "/readyz") for _ in range(10)]
        assert server.popen.poll() is None
    finally:
        server.stop()
    assert {a.status_code for a in answers} == {200}
    assert {a.json()["content_version"] for a in answers} == {good}
    assert "content rejected: content/articles/sleep-better.md" in server.stderr()
