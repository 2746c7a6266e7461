"""The last good content, copied aside so that a worker started later never starts on bad content.

uvicorn replaces workers (on SIGHUP, or when one dies); a replacement reads the content
directory afresh. If an editor has broken it meanwhile, the replacement serves this copy
instead — the version the other workers are still serving — rather than refusing to start.

Layout under ``<state_dir>/content/``: one directory per version, and ``current``, a
symlink replaced atomically, naming the newest good one.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path

from smartmed.content.loader import content_version

log = logging.getLogger("smartmed.reload")
KEEP = 3  # older copies a worker that is starting right now may still be reading


def _base(state_dir: Path) -> Path:
    return state_dir / "content"


def current(state_dir: Path | None) -> Path | None:
    if state_dir is None:
        return None
    link = _base(state_dir) / "current"
    return link.resolve() if link.is_dir() else None


def save(source: Path, version: str, state_dir: Path | None) -> None:
    """Remember ``source`` (already validated as ``version``) as the last good content."""
    if state_dir is None:
        return
    base = _base(state_dir)
    try:
        base.mkdir(parents=True, exist_ok=True)
        target = base / version
        if not target.is_dir():
            staging = base / f".staging-{uuid.uuid4().hex}"
            shutil.copytree(source, staging, symlinks=False)
            if content_version(staging) != version:
                # An editor changed files between validation and copy; the next poll
                # validates that newer state and saves it then.
                shutil.rmtree(staging, ignore_errors=True)
                return
            try:
                staging.rename(target)
            except OSError:  # another worker saved the same version first
                shutil.rmtree(staging, ignore_errors=True)
        os.utime(target)  # newest first when pruning, even when it comes back
        link = base / f".link-{uuid.uuid4().hex}"
        link.symlink_to(version)
        os.replace(link, base / "current")
        _prune(base, keep=version)
    except OSError as exc:
        # The service keeps running on the content in memory; only a future restart loses.
        log.warning("could not save the last good content to %s: %s", base, exc)


def _prune(base: Path, keep: str) -> None:
    copies = sorted((p for p in base.iterdir() if p.is_dir() and not p.is_symlink()
                     and not p.name.startswith(".")),
                    key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in copies[KEEP:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
