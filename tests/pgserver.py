"""A real PostgreSQL 15 for the stats tests: initdb in a temporary folder, loopback port.

Debian's `postgresql` package (scripts/install-system-deps.sh) puts the binaries in
/usr/lib/postgresql/15/bin. initdb and postgres refuse to run as root: as root, they run
as the `postgres` user that the package creates, in a folder that user owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from serving import free_port

BIN = Path(os.environ.get("SMARTMED_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
MISSING = None if (BIN / "initdb").exists() and (BIN / "pg_ctl").exists() else (
    f"PostgreSQL 15 is not installed ({BIN}/initdb missing; "
    "scripts/install-system-deps.sh installs Debian's postgresql)")


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@contextmanager
def postgres() -> Iterator[str]:
    """A running, empty PostgreSQL; yields its URL. Stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="smartmed-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", free_port()
    try:
        subprocess.run(_as_owner([str(BIN / "initdb"), "-D", str(data), "-U", "postgres",
                                  "-A", "trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=50")
        subprocess.run(_as_owner([str(BIN / "pg_ctl"), "-D", str(data), "-l",
                                  str(root / "log"), "-o", options, "-w", "-t", "60",
                                  "start"]),
                       check=True, capture_output=True, timeout=90)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(_as_owner([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast",
                                      "-w", "-t", "60", "stop"]),
                           capture_output=True, timeout=90)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def reset(url: str) -> None:
    """An empty database for the next test: every table dropped (migrations recreate them)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
