"""The production topology: compose file, Dockerfile, the wheel the image installs, shutdown."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

import httpx
import pytest
import uvicorn
import yaml
from starlette.types import Receive, Scope, Send

from serving import ROOT, serve, smartmed_env, until
from smartmed.app import create_app
from smartmed.ops import runner
from smartmed.settings import SETTINGS, Settings

COMPOSE = ROOT / "docker-compose.yml"
DOCKER_COMPOSE = shutil.which("docker-compose")


@pytest.mark.system
@pytest.mark.skipif(DOCKER_COMPOSE is None, reason="docker-compose is not installed "
                    "(scripts/install-system-deps.sh installs it)")
def test_compose_file_passes_docker_compose_config() -> None:
    assert DOCKER_COMPOSE is not None
    result = subprocess.run([DOCKER_COMPOSE, "-f", str(COMPOSE), "config", "--quiet"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_app_service_can_be_scaled() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    app = services["app"]
    assert "container_name" not in app
    for port in app.get("ports", []):  # only a container port: Docker picks the host's
        assert ":" not in str(port) and "published" not in str(port), port
    assert "build" in app


def test_metrics_are_served_on_their_own_port_which_is_not_published() -> None:
    app = yaml.safe_load(COMPOSE.read_text())["services"]["app"]
    port = app["environment"]["SMARTMED_METRICS_PORT"]
    assert Settings.from_env({"SMARTMED_METRICS_PORT": port}).metrics_port > 0
    assert "ports" not in app  # exposed to the compose network only, for a scraper
    assert port in [str(p) for p in app["expose"]]


def test_the_proxy_runs_deploy_nginx_conf() -> None:
    proxy = yaml.safe_load(COMPOSE.read_text())["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    mount, target = next(v.split(":")[:2] for v in proxy["volumes"] if "deploy" in v)
    assert (ROOT / mount).resolve() == ROOT / "deploy"
    assert f"{target}/nginx.conf" in proxy["command"]
    assert proxy["depends_on"] == {"app": {"condition": "service_healthy"}}


def test_the_dockerfile_runs_smartmed_as_a_non_root_user_with_a_healthcheck() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    froms = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert froms and all(image.startswith("python:") and image.endswith("-slim")
                         for image in froms)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    cmd = next(line for line in reversed(lines) if line.startswith("CMD "))
    assert '"smartmed", "serve"' in cmd and '"0.0.0.0"' in cmd
    copied = " ".join(line for line in lines if line.startswith("COPY "))
    assert "content" in copied and "widget/smartmed-widget.js" in copied


def test_the_installed_wheel_serves_its_bundled_content_and_widget(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(wheels), str(ROOT)],
                   check=True, timeout=120, capture_output=True)
    wheel = next(wheels.glob("smartmed-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=60)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--quiet", "--no-deps", str(wheel)], check=True, timeout=120,
                   capture_output=True)
    # The image pip-installs the dependencies from PyPI; here the test environment lends
    # them (a path entry: none of its .pth files, so not its editable smartmed either).
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    Path(site.stdout.strip(), "borrowed-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    where = subprocess.run(
        [str(python), "-c", "import smartmed.content.bundled as b; print(b.content_dir()); "
         "print(b.widget_script())"], check=True, capture_output=True, text=True,
        cwd=tmp_path)
    content, widget = (Path(p) for p in where.stdout.split())
    assert content.is_relative_to(venv) and content.is_dir()
    assert widget.is_relative_to(venv) and widget.is_file()

    server = serve(tmp_path / "logs", None, executable=[str(venv / "bin" / "smartmed")],
                   cwd=tmp_path)
    try:
        ready = httpx.get(server.url + "/readyz")
        topics = httpx.get(server.url + "/v1/topics")
        script = httpx.get(server.url + "/widget.js")
    finally:
        server.stop()
    assert (ready.status_code, topics.status_code, script.status_code) == (200, 200, 200)
    assert script.headers["content-type"].startswith("text/javascript")
    assert ready.json()["articles"] > 0
    assert topics.json()["topics"]
    assert b"smartmed" in script.content


def test_shutdown_lets_in_flight_requests_finish(content_dir: Path) -> None:
    settings = Settings(content_dir=content_dir, access_log=False, reload_interval=0)
    app = create_app(settings)
    inside = threading.Event()

    async def slow_client_path(scope: Scope, receive: Receive, send: Send) -> None:
        # Holds one request open long enough to stop the server under it.
        if scope["type"] == "http" and scope["path"] == "/v1/topics":
            inside.set()
            await asyncio.sleep(1)
        await app(scope, receive, send)

    options = runner.uvicorn_options("127.0.0.1", 0, 1, settings)
    assert options["timeout_graceful_shutdown"] >= 5
    options.update(app=slow_client_path, factory=False, log_config=None, log_level="warning")
    server = uvicorn.Server(uvicorn.Config(**options))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        until(lambda: server.started, what="uvicorn to start")
        port = server.servers[0].sockets[0].getsockname()[1]
        result: dict[str, httpx.Response] = {}
        client = threading.Thread(target=lambda: result.setdefault(
            "r", httpx.get(f"http://127.0.0.1:{port}/v1/topics", timeout=10)))
        client.start()
        until(inside.is_set, what="the request to reach the app")
        server.should_exit = True  # what SIGTERM does
        client.join(10)
    finally:
        server.should_exit = True
        thread.join(15)
    assert not thread.is_alive()
    response = result["r"]
    assert response.status_code == 200
    assert response.json()["topics"]
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/healthz")


def test_serve_keeps_its_state_in_a_temp_dir_and_removes_it_on_sigterm(
        tmp_path: Path, content_dir: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = smartmed_env(reload_interval="0")
    env["TMPDIR"] = str(tmp)
    server = serve(tmp_path / "logs", content_dir, "--workers", "2", env=env)
    try:
        [state] = tmp.glob("smartmed-*")
        assert (state / "content" / "current" / "site.yaml").is_file()  # for later workers
        assert list((state / "metrics").glob("*.db"))  # the workers' metrics files
    finally:
        code = server.stop()
    assert code == 0
    assert "Application shutdown complete" in server.stderr()
    assert not list(tmp.glob("smartmed-*"))


def test_running_in_production_explains_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    missing = [f"SMARTMED_{name.upper()}" for name, *_ in SETTINGS
               if f"SMARTMED_{name.upper()}" not in section]
    assert missing == []
