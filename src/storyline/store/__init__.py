"""Stores: where articles and everything derived from them are kept.

``base`` holds the Store protocol, ``records`` the named records it takes and returns; the
implementations are ``sqlite`` and ``postgres`` (over the shared queries in ``sql/``) and
``memory`` (the plain reference implementation, kept in one process).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from storyline.store.base import MEMORY_URL, AmbiguousIdError, Store, StoreError

DEFAULT_DB = "storyline.db"

__all__ = ["AmbiguousIdError", "DEFAULT_DB", "MEMORY_URL", "Store", "StoreError", "copy_store", "missing_store", "open_store"]


_SERVERS = ("postgresql://", "postgres://")
# SQLAlchemy's spelling of a SQLite file (sqlite:///relative.db, sqlite:////absolute.db).
_SQLITE_URL = "sqlite:///"
# A libpq keyword string ("host=db dbname=news"): PostgreSQL's other way to name a database,
# which would otherwise be taken for a SQLite file name and created as one.
_KEYWORDS = re.compile(r"(?:^|\s)(?:host|hostaddr|port|dbname|user|password|passfile|service|sslmode|"
                       r"connect_timeout|application_name|options|target_session_attrs)\s*=", re.IGNORECASE)


def _target(db: str | os.PathLike | None) -> str:
    target = str(db) if db is not None else os.environ.get("STORYLINE_DB") or DEFAULT_DB
    return target[len(_SQLITE_URL):] if target.startswith(_SQLITE_URL) else target


def _refused(target: str) -> str | None:
    """Why ``target`` names no store open_store can open (None when it does): another URL
    scheme, or a libpq keyword string."""
    if "://" in target and not (target.startswith(_SERVERS) or target == MEMORY_URL):
        return "no store of that kind (a postgresql:// URL, memory://, or a SQLite file path)"
    if _KEYWORDS.search(target):
        return "a PostgreSQL keyword string: give the database as a URL (postgresql://user@host:port/dbname)"
    return None


def _check(target: str) -> None:
    """Raise StoreError naming ``target`` (its password hidden) when open_store refuses it."""
    if (why := _refused(target)) is not None:
        from storyline.store.sql.transfer import shown

        raise StoreError(f"{shown(target)}: {why}")


def missing_store(db: str | os.PathLike | None = None) -> str | None:
    """The path of the SQLite file ``db`` names (as :func:`open_store` resolves it) when that
    file does not exist; None for an existing file, a server URL or an in-memory store (and
    for a name open_store refuses: it says why)."""
    target = _target(db)
    if target.startswith(_SERVERS) or target in (MEMORY_URL, ":memory:") or _refused(target):
        return None
    return None if Path(target).exists() else target


def open_store(db: str | os.PathLike | None = None) -> Store:
    """Open (creating and migrating as needed) the store named by ``db``.

    A ``postgresql://`` or ``postgres://`` URL selects PostgreSQL; ``memory://`` a new, empty
    in-memory store (:class:`storyline.store.memory.MemoryStore`), private to this call and gone
    when it is dropped, so it cannot be shared between processes or reopened; anything else is
    a SQLite file path (``:memory:`` included, which SQLite itself keeps in memory; also
    SQLAlchemy's ``sqlite:///path``). Another URL scheme, or a PostgreSQL keyword string
    (``host=... dbname=...``), is refused with a StoreError rather than taken for a file name.
    Without ``db``, ``$STORYLINE_DB`` and then ``storyline.db`` are used.
    """
    target = _target(db)
    _check(target)
    if target.startswith(_SERVERS):
        from storyline.store.postgres import PostgresStore

        return PostgresStore(target)
    if target == MEMORY_URL:
        from storyline.store.memory import MemoryStore

        return MemoryStore()
    from storyline.store.sqlite import SQLiteStore

    return SQLiteStore(Path(target))


def copy_store(source: str | os.PathLike | None, target: str | os.PathLike, *, progress=None):
    """Copy the store ``source`` names (resolved as :func:`open_store` does) into ``target``,
    which must be new or empty: a SQLite file into PostgreSQL or back (see
    :mod:`storyline.store.sql.transfer`). Returns the
    :class:`~storyline.store.sql.transfer.CopyReport` (rows per table). A target that holds
    anything (another program's tables, a store with articles) is refused before it is touched."""
    from storyline.store.sql.transfer import copy_store as copy_sql
    from storyline.store.sql.transfer import shown

    source, target = _target(source), _target(target)
    for url in (source, target):
        _check(url)
        if url in (MEMORY_URL, ":memory:"):
            raise StoreError(f"{url}: an in-memory store lives in one process and cannot be copied")
    if missing_store(source):
        raise StoreError(f"{source}: no such store")
    if not missing_store(target) and not _is_server(target) and Path(target).resolve() == Path(source).resolve():
        raise StoreError(f"{target}: cannot copy a store into itself")
    held = _held_tables(target)
    if held and "schema_migrations" not in held:
        raise StoreError(f"{shown(target)}: holds tables that are not a Storyline store's "
                         f"({', '.join(sorted(held)[:5])}); copy into a new database or file")
    if held.get("articles"):
        raise StoreError(f"{shown(target)}: not an empty store (articles hold rows); copy into a new database or file")
    src = open_store(source)
    try:
        dst = open_store(target)
        try:
            return copy_sql(src.db, dst.db, progress=progress)
        finally:
            dst.close()
    finally:
        src.close()


def _is_server(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _held_tables(url: str) -> dict[str, bool]:
    """The tables already in the database ``url`` names, each with whether it holds a row (only
    "articles" is looked into), read without migrating or creating anything."""
    if _is_server(url):
        from storyline.store.postgres import held_tables

        return held_tables(url)
    if missing_store(url):
        return {}
    from storyline.store.sqlite import held_tables

    return held_tables(Path(url))
