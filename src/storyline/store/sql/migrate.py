"""Schema migrations: the SQL files in ``store/schema`` and applying the missing ones in order.

A migration file is a template: ``{serial_pk}`` and ``{blob}`` are filled in per backend, and
``-- dialect: NAME`` markers keep sections for one backend only (see :func:`for_dialect`).
"""

from __future__ import annotations

import re
from importlib import resources

from storyline.store.base import StoreError, now
from storyline.store.sql.connection import Connection

_MARKER = re.compile(r"^\s*--\s*dialect:\s*(\w+)\s*$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL template) for every file in ``store/schema``, in order."""
    found = []
    for item in resources.files("storyline.store.schema").iterdir():
        m = re.match(r"^(\d+)_(\w+)\.sql$", item.name)
        if m:
            found.append((int(m[1]), m[2], item.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(db: Connection) -> None:
    """Create the migrations table if needed, then apply every migration newer than the store.

    Each migration is one transaction; concurrent processes serialise on the backend's lock
    and skip what another applied meanwhile. A store newer than this code is refused.
    """
    with db.writing("schema migration"):
        db.run(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    known = migrations()
    newest = known[-1][0] if known else 0
    current = db.schema_version()
    if current > newest:
        raise StoreError(
            f"{db.url}: store schema v{current} is newer than this Storyline knows (v{newest}); "
            "upgrade Storyline"
        )
    for version, name, template in known:
        if version <= current:
            continue
        with db.writing(f"schema migration {version:03d}_{name}"):
            db.lock_for_migration()
            if db.schema_version() >= version:  # another process applied it meanwhile
                continue
            ddl = template.replace("{serial_pk}", db.serial_pk).replace("{blob}", db.blob)
            for statement in _statements(for_dialect(ddl, db.dialect)):
                db.run(statement)
            db.run(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now()),
            )


def for_dialect(ddl: str, dialect: str) -> str:
    """The lines of a migration that apply to ``dialect`` ("sqlite" or "postgres").

    Lines before any ``-- dialect: NAME`` marker apply to every backend; lines after one apply
    only to NAME (until the next marker). A migration without markers is returned unchanged.
    """
    kept: list[str] = []
    current: str | None = None
    for line in ddl.splitlines():
        m = _MARKER.match(line)
        if m:
            current = m[1].lower()
            continue
        if current is None or current == dialect:
            kept.append(line)
    return "\n".join(kept)


def _statements(ddl: str) -> list[str]:
    without_comments = "\n".join(line for line in ddl.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in without_comments.split(";") if s.strip()]
