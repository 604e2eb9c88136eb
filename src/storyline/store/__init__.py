"""Stores: where articles and everything derived from them are kept."""

from __future__ import annotations

import os
from pathlib import Path

from storyline.store.base import AmbiguousIdError, Store, StoreError

DEFAULT_DB = "storyline.db"

__all__ = ["AmbiguousIdError", "DEFAULT_DB", "Store", "StoreError", "open_store"]


def open_store(db: str | os.PathLike | None = None) -> Store:
    """Open (creating and migrating as needed) the store named by ``db``.

    A ``postgresql://`` or ``postgres://`` URL selects PostgreSQL; anything else is a SQLite
    file path. Without ``db``, ``$STORYLINE_DB`` and then ``storyline.db`` are used.
    """
    target = str(db) if db is not None else os.environ.get("STORYLINE_DB") or DEFAULT_DB
    if target.startswith(("postgresql://", "postgres://")):
        from storyline.store.postgres import PostgresStore

        return PostgresStore(target)
    from storyline.store.sqlite import SQLiteStore

    return SQLiteStore(Path(target))
