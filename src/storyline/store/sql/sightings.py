"""Sightings: the same stored text seen again from another URL or outlet (syndicated copy).

``add_articles`` (store/sql/articles.py) calls :func:`record` for an article that is present by
its content hash, inside its own transaction; the rule is the one store/sighting_rule.py states
and the Store protocol documents (``Store.add_articles``).
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.records import Article, Sighting
from storyline.store.base import now
from storyline.store.sighting_rule import sighting_key
from storyline.store.sql.connection import Connection

SIGHTING_COLUMNS = "article_id, source, url, outlet, title, published, locator, seen_at"
# The migration that creates the sightings table (017_sightings.sql).
SIGHTINGS_MIGRATION = 17


def ready(db: Connection) -> bool:
    """True once migration 017 is applied (always, except for a store held at an older schema,
    as the upgrade tests do: it records no sightings). Cached once true."""
    if not db.sightings_ready:
        db.sightings_ready = db.schema_version() >= SIGHTINGS_MIGRATION
    return db.sightings_ready


def url_holder(db: Connection, key: str | None) -> str | None:
    """The article a URL was seen carrying as a sighting (a URL known this way is present, as
    an article's own URL is), or None."""
    if key is None or not ready(db):
        return None
    row = db.run("SELECT article_id FROM sightings WHERE sighting_key = ?", ("url " + key,)).fetchone()
    return row[0] if row else None


def outlet_sighted(db: Connection, outlet: str) -> bool:
    """Whether any sighting names ``outlet`` (case ignored): only then do the outlet filters
    look through the sightings (store/sql/filters.py)."""
    if not ready(db):
        return False
    return db.run("SELECT 1 FROM sightings WHERE LOWER(outlet) = LOWER(?) LIMIT 1", (outlet,)).fetchone() is not None


def record(db: Connection, article: Article, key: str | None, stored_id: str) -> bool:
    """Record ``article`` (present by its content hash) as a sighting of ``stored_id`` when it is
    new (inside the caller's transaction); True when one was recorded. A URL stored as an
    article's own (this one's or another text's) records nothing."""
    if not ready(db):
        return False
    if key is not None:
        if db.run("SELECT 1 FROM articles WHERE url_key = ?", (key,)).fetchone():
            return False
        known: list[str | None] = []
    else:
        known = [r[0] for r in db.run("SELECT outlet FROM articles WHERE id = ? UNION ALL "
                                      "SELECT outlet FROM sightings WHERE article_id = ?",
                                      (stored_id, stored_id)).fetchall()]
    unique = sighting_key(article, key, stored_id, known)
    if unique is None:
        return False
    cur = db.run(
        "INSERT INTO sightings (sighting_key, url_key, article_id, source, url, outlet, title, published, "
        "locator, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (unique, key, stored_id, article.source, article.url, article.outlet, article.title, article.published,
         article.locator, now()),
    )
    return cur.rowcount > 0


def count(db: Connection) -> int:
    """How many sightings are stored (0 before migration 017)."""
    return int(db.run("SELECT COUNT(*) FROM sightings").fetchone()[0]) if ready(db) else 0


def sightings(db: Connection, article_ids: Sequence[str]) -> dict[str, list[Sighting]]:
    """Each article's sightings, first seen first; articles without any are left out."""
    found: dict[str, list[Sighting]] = {}
    if not article_ids or not ready(db):
        return found
    rows = db.rows_in(f"SELECT seq, {SIGHTING_COLUMNS} FROM sightings WHERE article_id IN", list(article_ids))
    for row in sorted(rows):
        found.setdefault(row[1], []).append(Sighting(*row[1:]))
    return found
