"""What each fetched URL answered last, and the watched feeds (migration 011)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.ingest.urls import url_key
from storyline.store.records import FeedRecord, FetchRecord
from storyline.store.sql.connection import Connection

_FETCH_COLUMNS = "url, status, fetched_at, reason, etag, last_modified, attempts, next_try, feed"
_FEED_COLUMNS = ("url, added_at, title, last_polled, last_success, last_error, last_error_at, "
                 "entries, articles")


def put_fetches(db: Connection, records: Sequence[FetchRecord]) -> None:
    _upsert(db, "fetches", _FETCH_COLUMNS, records, f"recording {len(records)} fetches")


def _upsert(db: Connection, table: str, columns: str, records: Sequence[tuple], what: str,
            keep: tuple[str, ...] = ()) -> None:
    """Insert or replace rows keyed by the normalised URL of their first field (``url``); the
    columns in ``keep`` keep the value of the first write."""
    names = columns.split(", ")
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in keep)
    with db.writing(what):
        for r in records:
            key = url_key(r[0])
            if key is not None:
                db.run(f"INSERT INTO {table} (url_key, {columns}) VALUES (?{', ?' * len(names)}) "
                       f"ON CONFLICT (url_key) DO UPDATE SET {updates}", (key, *r[: len(names)]))


def fetches(db: Connection, urls: Sequence[str]) -> dict[str, FetchRecord]:
    """The records of ``urls``, by the URL as asked (URLs never fetched are left out)."""
    by_key = {url_key(u): u for u in urls if url_key(u)}
    rows = db.rows_in(f"SELECT url_key, {_FETCH_COLUMNS} FROM fetches WHERE url_key IN", list(by_key))
    return {by_key[r[0]]: FetchRecord(*r[1:]) for r in rows}


def failed_fetches(db: Connection, due_by: str | None) -> list[FetchRecord]:
    sql = f"SELECT {_FETCH_COLUMNS} FROM fetches WHERE status = 'failed'"
    params: list[str] = []
    if due_by is not None:
        sql += " AND (next_try IS NULL OR next_try <= ?)"
        params.append(due_by)
    rows = db.run(sql + " ORDER BY next_try, url_key", params).fetchall()
    return [FetchRecord(*r) for r in rows]


def put_feeds(db: Connection, records: Sequence[FeedRecord]) -> None:
    # A feed keeps the time it was first added; articles_7d is counted, not stored.
    _upsert(db, "feeds", _FEED_COLUMNS, records, f"recording {len(records)} feeds", keep=("added_at",))


def feeds(db: Connection, since: str) -> list[FeedRecord]:
    """Every feed, by URL, with the articles its entries gave since ``since``."""
    rows = db.run(
        f"SELECT {', '.join('f.' + c for c in _FEED_COLUMNS.split(', '))}, "
        "(SELECT COUNT(*) FROM articles a WHERE a.source = f.url AND a.ingested_at >= ?) "
        "FROM feeds f ORDER BY f.url_key", (since,)).fetchall()
    return [FeedRecord(*r[:-1], articles_7d=int(r[-1])) for r in rows]
