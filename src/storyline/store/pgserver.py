"""A throwaway PostgreSQL server in a temporary folder, from the local server binaries.

Used by the test suite (the Store contract runs against it), by benchmarks, and by anyone who
wants to try the PostgreSQL store without administering a database. ``initdb`` refuses to run
as root, so when started by root the server runs as an unprivileged system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

# Where Debian's postgresql package puts the server binaries (not on PATH).
_BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin")
_TOOLS = ("initdb", "pg_ctl", "createdb")
_UNPRIVILEGED_USERS = ("postgres", "nobody")
START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries were found, or the server would not start."""


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and createdb (newest version first), or None."""
    candidates = [Path(f) for pattern in _BIN_GLOBS for f in sorted(glob.glob(pattern), reverse=True)]
    if on_path := shutil.which("initdb"):
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all((folder / tool).exists() for tool in _TOOLS):
            return folder
    return None


class ThrowawayPostgres:
    """Start with :meth:`start` (or ``with``), get a URL with :attr:`url`, then :meth:`stop`."""

    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        if self.bindir is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries not found (install Debian's postgresql package)"
            )
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
        self.data = self.root / "data"
        self.user = None if os.geteuid() != 0 else _unprivileged_user()
        self.url = f"postgresql://storyline@127.0.0.1:{self.port}/storyline"

    def start(self) -> ThrowawayPostgres:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        if self.user:
            os.chmod(self.root, 0o755)
            pw = pwd.getpwnam(self.user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "storyline", "-A", "trust", "-E", "UTF8",
                  "--no-sync")
        log = self.root / "server.log"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", str(START_TIMEOUT_S),
            "-o", f"-p {self.port} -k {self.root} -h 127.0.0.1 -c fsync=off -c full_page_writes=off",
            "start",
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "storyline", "storyline")

    def new_database(self, name: str) -> str:
        """Create an empty database on this server and return its URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "storyline", name)
        return f"postgresql://storyline@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except PostgresUnavailable:
            pass
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{tool} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _unprivileged_user() -> str:
    for name in _UNPRIVILEGED_USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresUnavailable("running as root and no unprivileged user to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
