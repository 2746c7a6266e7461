"""`smartmed serve`, `smartmed check` and `smartmed partner-token`."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import sys
from collections.abc import Sequence
from pathlib import Path

from smartmed.content import bundled, loader
from smartmed.ops import runner
from smartmed.settings import Settings, SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smartmed", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the service with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--content", type=Path, help="content directory (default: bundled)")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--watch", action="store_true",
                       help="while editing: reload the content as soon as a file changes")
    serve.add_argument("--release", action="store_true", default=None,
                       help="refuse content awaiting clinical review (as SMARTMED_RELEASE)")
    check = commands.add_parser("check", help="validate a content directory")
    check.add_argument("directory", nargs="?", type=Path, help="default: the bundled content")
    check.add_argument("--today", type=dt.date.fromisoformat,
                       help="judge review dates as of this day (YYYY-MM-DD)")
    check.add_argument("--release", action="store_true",
                       help="also fail while anything served awaits clinical review or an "
                       "article is short of sources")
    token = commands.add_parser(
        "partner-token", help="issue a new stats secret for a partner (revokes the old one)")
    token.add_argument("partner", help="a partner id from partners.yaml")
    return parser


def partner_token(partner: str, settings: Settings) -> int:
    """Print a new secret once; the database keeps only its hash (stats/tokens.py)."""
    from smartmed.ops.stats import store, tokens

    library, _report = loader.check(settings.content_dir or bundled.content_dir(),
                                    today=dt.date.today(),
                                    max_file_bytes=settings.max_file_bytes,
                                    snippet_chars=settings.snippet_chars)
    if library is not None and partner not in library.partners:
        print(f"smartmed: no partner {partner!r} in the content", file=sys.stderr)
        return 1
    if settings.state_dir is None and not settings.database_url:
        print("smartmed: set SMARTMED_STATE_DIR (the SQLite stats live there) or "
              "SMARTMED_DATABASE_URL", file=sys.stderr)
        return 2
    opened = store.open_store(settings.database_url, settings.state_dir or Path("."))
    try:
        secret = tokens.issue(opened, partner, dt.datetime.now(dt.UTC))
    finally:
        opened.close()
    print(secret)
    print(f"The secret for {partner!r} is shown this once; the one before no longer works.",
          file=sys.stderr)
    return 0


def check(directory: Path, today: dt.date, settings: Settings, release: bool = False) -> int:
    library, report = loader.check(directory, today=today,
                                   max_file_bytes=settings.max_file_bytes,
                                   snippet_chars=settings.snippet_chars,
                                   release=release or settings.release)
    for problem in report.problems:
        print(problem, file=sys.stderr if not problem.warning else sys.stdout)
    if library is None:
        print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s): "
              f"{directory} is not valid", file=sys.stderr)
        return 1
    countries = len(library.help)
    help_line = f"urgent help in {countries} countr{'y' if countries == 1 else 'ies'}, " \
        if countries else ""
    print(f"OK: {len(library.articles)} articles, {len(library.tips)} tips, "
          f"{len(library.partners)} partners, {help_line}{len(report.warnings)} warning(s); "
          f"content version {library.version}")
    return 0


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    directory = args.content or settings.content_dir or bundled.content_dir()
    if args.release:
        # Workers read their settings from the environment: runner.prepared passes it on.
        settings = dataclasses.replace(settings, release=True)
    seen = loader.fingerprint(Path(directory))  # before reading: a change meanwhile reloads
    library, report = loader.check(directory, today=dt.date.today(),
                                   max_file_bytes=settings.max_file_bytes,
                                   snippet_chars=settings.snippet_chars,
                                   release=settings.release)
    if library is None:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"refusing to start: {directory} has {len(report.errors)} error(s)",
              file=sys.stderr)
        return 1
    # Workers are separate processes: they read their settings from the environment.
    with runner.prepared(settings, Path(directory), args.workers, args.watch):
        try:
            stop_metrics = runner.start_metrics_server(settings, args.host)
        except OSError as exc:
            print(f"smartmed: cannot serve metrics on port {settings.metrics_port}: {exc}",
                  file=sys.stderr)
            return 1
        options = runner.uvicorn_options(args.host, args.port, args.workers, settings)
        if args.workers == 1:
            # uvicorn runs one worker in this process: its app factory serves the library
            # just validated, with the settings the environment now holds, instead of
            # loading the content a second time. uvicorn calls it once it has configured
            # logging, as it calls app_from_env.
            from smartmed.app import create_app

            options["app"] = functools.partial(create_app, Settings.from_env(),
                                               library=library, seen=seen)
        # Several workers each load the content themselves, while this process supervises
        # them for as long as they serve: kept here, the library would stay in its memory
        # all that time.
        del library, report
        try:
            uvicorn.run(**options)
        finally:
            stop_metrics()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"smartmed: bad settings: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(args.directory or bundled.content_dir(), args.today or dt.date.today(),
                     settings, args.release)
    if args.command == "partner-token":
        return partner_token(args.partner, settings)
    return serve(args, settings)
