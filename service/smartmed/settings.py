"""Settings: declared once, read from SMARTMED_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PREFIX = "SMARTMED_"


class SettingsError(ValueError):
    """A SMARTMED_* variable is unknown or has a bad value."""


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be a positive integer")
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("must be zero or a positive integer")
    return value


def _non_negative_float(raw: str) -> float:
    value = float(raw)
    if not value >= 0 or value == float("inf"):
        raise ValueError("must be zero or a positive number of seconds")
    return value


def _path(raw: str) -> Path | None:
    return Path(raw) if raw else None


def _url(raw: str) -> str:
    if raw and not raw.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return raw.rstrip("/")


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be one of true, false, 1, 0, yes, no, on, off")


def _log_level(raw: str) -> str:
    level = raw.strip().lower()
    if level not in {"critical", "error", "warning", "info", "debug"}:
        raise ValueError("must be one of critical, error, warning, info, debug")
    return level


def _beacon_lines(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"summary", "each"}:
        raise ValueError("must be summary or each")
    return value


def _database_url(raw: str) -> str:
    if raw and not raw.startswith(("postgresql://", "postgres://")):
        raise ValueError("must be empty (SQLite) or start with postgresql://")
    return raw


def setting(default: Any, cast: Callable[[str], Any], help: str, *,
            secret: bool = False) -> Any:
    """A field of Settings: ``cast`` reads its environment variable; a secret stays out of
    every repr (a database URL may hold a password)."""
    return field(default=default, repr=not secret, metadata={"cast": cast, "help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting, its default, how SMARTMED_<NAME> is read, and what it does: the one
    place a setting is declared (README's table and the deploy files are checked against it)."""

    content_dir: Path | None = setting(
        None, _path,
        "Content directory to serve. Empty: the bundled content (checkout or installed wheel).")
    base_url: str = setting(
        "", _url,
        "Public URL of the service, used in feed ids and links. Empty: `base_url` of site.yaml.")
    snippet_chars: int = setting(
        220, _positive_int, "Maximum length of a plain-text article snippet, in characters.")
    max_file_bytes: int = setting(
        262144, _positive_int,
        "Largest content file accepted, in bytes; bigger files are a content error.")
    max_query_bytes: int = setting(
        2048, _positive_int, "Longest query string accepted, in bytes; longer requests get 414.")
    response_cache_entries: int = setting(
        2048, _positive_int,
        "How many built list and partner responses each worker keeps in memory.")
    reload_interval: float = setting(
        2.0, _non_negative_float,
        "Seconds between checks of the content directory for changes; 0 turns polling off.")
    state_dir: Path | None = setting(
        None, _path,
        "Where `smartmed serve` keeps the last good content and multi-worker metrics. "
        "Empty: a fresh temporary directory per start.")
    metrics: bool = setting(True, _bool, "Serve Prometheus metrics at /metrics.")
    metrics_port: int = setting(
        0, _non_negative_int,
        "Serve /metrics on this separate port instead of the main one; 0: the main port.")
    access_log: bool = setting(
        True, _bool, "Write one JSON line per request to standard output.")
    access_log_beacons: str = setting(
        "summary", _beacon_lines,
        "Accepted widget beacons in the access log: `summary`, one line a second per status "
        "and partner with their `count`; `each`, one line per beacon.")
    beacon_fast_path: bool = setting(
        True, _bool,
        "Answer valid widget beacons ahead of the routing (same answers, less work per "
        "beacon); false: through the route, like every other request.")
    log_level: str = setting(
        "info", _log_level, "Log level: critical, error, warning, info or debug.")
    database_url: str = setting(
        "", _database_url,
        "Where partner stats are kept: a postgresql:// URL (replicas share it). Empty: SQLite, "
        "stats.sqlite3 in the state directory.", secret=True)
    stats_retention_days: int = setting(
        400, _non_negative_int,
        "Days of partner stats kept; older days are deleted once a day. 0 keeps every day.")
    admin_secret: str = setting(
        "", str,
        "Bearer secret of the operator's overview at /admin/stats. Empty: /admin/stats is off.",
        secret=True)
    release: bool = setting(
        False, _bool,
        "Refuse content that awaits clinical review or lacks sources, as `smartmed check "
        "--release` does: what production runs with.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        environ = os.environ if environ is None else environ
        known = {name for name, *_ in SETTINGS}
        names = ", ".join(PREFIX + n.upper() for n in sorted(known))
        problems = [
            f"{key}: unknown setting (known: {names})"
            for key in sorted(environ)
            if key.startswith(PREFIX) and key[len(PREFIX):].lower() not in known
        ]
        values: dict[str, Any] = {}
        for name, _default, cast, _help in SETTINGS:
            raw = environ.get(PREFIX + name.upper())
            if raw is None:
                continue  # the field's default
            try:
                values[name] = cast(raw)
            except ValueError as exc:
                problems.append(f"{PREFIX}{name.upper()}={raw!r}: {exc}")
        if problems:
            raise SettingsError("; ".join(problems))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


# (name, default, cast, help) of every setting, in declaration order: for tables and checks.
SETTINGS: list[tuple[str, Any, Callable[[str], Any], str]] = [
    (f.name, f.default, f.metadata["cast"], f.metadata["help"]) for f in fields(Settings)
]
