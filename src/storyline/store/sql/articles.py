"""Article queries: storing articles and feed links idempotently, and reading them back.

Also how an article becomes a row and back (``ARTICLE_COLUMNS``, :func:`article_from`), which
the search queries share, and keeping SQLite's full-text index in step with new articles (it
must happen in the transaction that stores them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from storyline.ingest.urls import url_key
from storyline.records import Article, Cut, FieldSource, Link
from storyline.store.base import AmbiguousIdError, day_after, now
from storyline.store.records import ArticlePage, OutletCount, OutletProfile, WriteResult
from storyline.store.sql import changes, sightings
from storyline.store.sql.connection import Connection, chunks, marks
from storyline.store.sql.filters import article_filters

ARTICLE_COLUMNS = (
    "id, content_hash, url, url_key, source, locator, title, outlet, published, byline, "
    "abstract, body, fields, cuts, ingested_at"
)
# The migration that creates the full-text index (005_search.sql).
SEARCH_MIGRATION = 5
_HEX = re.compile(r"^[0-9a-f]+$")


def add_articles(db: Connection, articles: Sequence[Article]) -> list[WriteResult]:
    results: list[WriteResult] = []
    with db.writing(f"writing a batch of {len(articles)} articles"):
        for article in articles:
            key = url_key(article.url)
            existing = _existing(db, article.content_hash, key)
            if existing:
                results.append(WriteResult("present", existing, sightings.record(db, article, key, existing)))
                continue
            seen = sightings.url_holder(db, key)
            if seen:  # its URL was seen carrying a stored text: present, as an article's own URL
                results.append(WriteResult("present", seen))
                continue
            cur = db.run(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES ({marks(range(15))}) ON CONFLICT DO NOTHING",
                _article_row(article, key),
            )
            if cur.rowcount == 0:  # a concurrent writer stored it first
                results.append(WriteResult("present", _existing(db, article.content_hash, key) or article.id))
                continue
            if article.raw is not None:
                db.run(
                    "INSERT INTO raw_documents (article_id, media_type, data) VALUES (?, ?, ?)",
                    (article.id, article.raw_type or "application/octet-stream", article.raw),
                )
            results.append(WriteResult("added", article.id))
        added = [r.article_id for r in results if r.status == "added"]
        _index_articles(db, added)
        changes.log(db, "article", added)
    return results


def _existing(db: Connection, content_hash: str, key: str | None) -> str | None:
    row = db.run(
        "SELECT id FROM articles WHERE content_hash = ? OR (url_key IS NOT NULL AND url_key = ?) "
        "ORDER BY seq LIMIT 1",
        (content_hash, key),
    ).fetchone()
    return row[0] if row else None


def _index_articles(db: Connection, ids: Sequence[str]) -> None:
    """Add just-stored articles to the SQLite full-text index (inside the caller's
    transaction). PostgreSQL's expression index needs nothing."""
    if not ids or db.dialect != "sqlite" or not has_search_index(db):
        return
    for chunk in chunks(ids):
        db.run(
            "INSERT INTO articles_fts (rowid, title, body) SELECT seq, title, body FROM articles "
            f"WHERE id IN ({marks(chunk)})",
            chunk,
        )


def has_search_index(db: Connection) -> bool:
    """True once migration 005 is applied (always, except for a store held at an older
    schema, as the upgrade tests do). Cached once true: a schema never goes back."""
    if not db.search_ready:
        db.search_ready = db.schema_version() >= SEARCH_MIGRATION
    return db.search_ready


def add_links(db: Connection, links: Sequence[Link]) -> int:
    added = 0
    with db.writing(f"writing {len(links)} links"):
        for link in links:
            key = url_key(link.url)
            if key is None:
                continue
            cur = db.run(
                "INSERT INTO links (url_key, url, title, published, source, locator, seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (key, link.url, link.title, link.published, link.source, link.locator, now()),
            )
            added += max(cur.rowcount, 0)
    return added


def article(db: Connection, id_or_prefix: str) -> Article | None:
    wanted = id_or_prefix.strip().lower()
    if not _HEX.match(wanted):
        return None
    rows = db.run(
        f"SELECT {ARTICLE_COLUMNS}, r.media_type, r.data FROM articles a "
        "LEFT JOIN raw_documents r ON r.article_id = a.id "
        "WHERE a.id >= ? AND a.id < ? ORDER BY a.id LIMIT 2",
        (wanted, wanted + "g"),  # "g" sorts after every hex digit: a prefix range scan
    ).fetchall()
    if len(rows) > 1 and rows[0][0] != wanted:
        raise AmbiguousIdError(f"article id prefix {id_or_prefix!r} matches more than one article")
    if not rows:
        return None
    row = rows[0]
    raw = row[-1]
    return article_from(row[:-2], raw_type=row[-2], raw=bytes(raw) if raw is not None else None)


def articles(db: Connection, *, limit: int | None = None, offset: int = 0,
             ids: Sequence[str] | None = None, **filters: Any) -> list[Article]:
    if ids is not None:
        rows = db.rows_in(f"SELECT seq, {ARTICLE_COLUMNS} FROM articles WHERE id IN", ids)
        return [article_from(row[1:]) for row in sorted(rows, key=lambda r: r[0])][offset:][:limit]
    where, params = _where(db, **filters)
    columns = ", ".join("a." + c for c in ARTICLE_COLUMNS.split(", "))
    sql, params = db.paged(f"SELECT {columns} FROM articles a{where} ORDER BY a.seq", params, limit, offset)
    return [article_from(row) for row in db.run(sql, params).fetchall()]


def article_heads(db: Connection, ids: Sequence[str]) -> list[Article]:
    columns = ", ".join("'' AS body" if c == "body" else c for c in ARTICLE_COLUMNS.split(", "))
    rows = db.rows_in(f"SELECT seq, {columns} FROM articles WHERE id IN", ids)
    return [article_from(row[1:]) for row in sorted(rows, key=lambda r: r[0])]


def publication_dates(db: Connection, ids: Sequence[str]) -> dict[str, str | None]:
    rows = db.rows_in("SELECT seq, id, published FROM articles WHERE id IN", ids)
    return {r[1]: r[2] for r in sorted(rows, key=lambda r: r[0])}


def titled(db: Connection, ids: Sequence[str], title: str) -> list[str]:
    # The titles are compared here, not in SQL: rows_in binds the id list only, and a story's
    # titles are short.
    rows = db.rows_in("SELECT seq, id, title FROM articles WHERE id IN", ids)
    title = title.strip()
    return [r[1] for r in sorted(rows, key=lambda r: r[0]) if (r[2] or "").strip() == title]


def _where(db: Connection, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
           story_id: str | None = None, person: str | None = None) -> tuple[str, list[Any]]:
    """The article list's filters as a WHERE clause over ``articles a`` (search's filters)."""
    clauses, params = article_filters(db, outlet, since, person, story_id, until)
    return (" WHERE " + clauses.removeprefix(" AND ") if clauses else ""), params


def list_articles(db: Connection, *, outlet: str | None, since: str | None, until: str | None,
                  story_id: str | None, person_id: str | None, limit: int, offset: int) -> ArticlePage:
    rest: list[str] = []
    params: list[Any] = []
    if since:
        rest.append("a.published >= ?")
        params.append(since)
    if until:  # published may carry a time: everything before the next day
        rest.append("a.published < ?")
        params.append(day_after(until))
    if story_id:
        rest.append("a.id IN (SELECT article_id FROM story_members WHERE story_id = ?)")
        params.append(story_id)
    if person_id:
        rest.append("a.id IN (SELECT article_id FROM person_members WHERE person_id = ?)")
        params.append(person_id)
    # The outlet's own articles (the (outlet, published) index walk) and, when it has any, those
    # it ran as sightings (exact name; an article it runs under its own name too counted once):
    # two walks merged, ten times faster than one query over their union on 50,000 articles.
    halves = [("articles a", ["a.outlet = ?"] if outlet else [], [outlet] if outlet else [])]
    if outlet and sightings.outlet_sighted(db, outlet):
        halves.append(("sightings g JOIN articles a ON a.id = g.article_id",
                       ["g.outlet = ?", "(a.outlet IS NULL OR a.outlet <> ?)"], [outlet, outlet]))
    total = 0
    for i, (source, own, own_params) in enumerate(halves):
        where = " WHERE " + " AND ".join(own + rest) if own or rest else ""
        counted = "COUNT(DISTINCT a.seq)" if i else "COUNT(*)"
        total += int(db.run(f"SELECT {counted} FROM {source}{where}", [*own_params, *params]).fetchone()[0])
    if not total or offset >= total:
        return ArticlePage(total, [])
    # The page's seqs first (an index walk, no body read), then those rows whole.
    nulls = " NULLS LAST" if db.dialect != "sqlite" else ""  # SQLite puts NULLs last in DESC already
    order = f" ORDER BY a.published DESC{nulls}, a.seq DESC"
    found: dict[int, str | None] = {}
    for i, (source, own, own_params) in enumerate(halves):
        where = " WHERE " + " AND ".join(own + rest) if own or rest else ""
        select = f"SELECT {'DISTINCT ' if i else ''}a.seq, a.published FROM {source}{where}{order}"
        if len(halves) == 1:
            sql, page_params = db.paged(select, [*own_params, *params], limit, offset)
        else:  # each half's first offset + limit, merged below
            sql, page_params = db.paged(select, [*own_params, *params], offset + limit, 0)
        found.update(db.run(sql, page_params).fetchall())
    if len(halves) == 1:
        seqs = list(found)  # in the query's order
    else:  # the merge, in the same order: newest stated date first, undated last, latest stored first
        ranked = sorted(found.items(), key=lambda sp: (sp[1] is not None, sp[1] or "", sp[0]), reverse=True)
        seqs = [seq for seq, _ in ranked[offset:offset + limit]]
    rows = {r[0]: r[1:] for r in db.rows_in(f"SELECT seq, {ARTICLE_COLUMNS} FROM articles WHERE seq IN", seqs)}
    return ArticlePage(total, [article_from(rows[s]) for s in seqs if s in rows])


def links(db: Connection) -> list[Link]:
    rows = db.run("SELECT url, source, title, published, locator FROM links ORDER BY seq").fetchall()
    return [Link(*row) for row in rows]


def arrived_since(db: Connection, since: str, limit: int) -> tuple[int, list[Article]]:
    total = int(db.run("SELECT COUNT(*) FROM articles WHERE ingested_at > ?", (since,)).fetchone()[0])
    rows = db.run(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE ingested_at > ? ORDER BY seq DESC LIMIT ?",
                  (since, limit)).fetchall() if total else []
    return total, [article_from(r) for r in rows]


def count(db: Connection, **filters: Any) -> int:
    where, params = _where(db, **filters)
    return int(db.run(f"SELECT COUNT(*) FROM articles a{where}", params).fetchone()[0])


def outlets(db: Connection) -> list[OutletCount]:
    """Every named outlet with its articles and its sightings (an outlet seen only running
    others' texts is listed too), the most of both first. Each side is grouped on its own
    outlet index and the two merged here: a GROUP BY over their UNION sorts every row instead
    (3.8x slower at 50k articles)."""
    own = {r[0]: int(r[1]) for r in db.run(
        "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL AND outlet <> '' GROUP BY outlet").fetchall()}
    seen = _sighted_by_outlet(db)
    rows = [OutletCount(o, own.get(o, 0), seen.get(o, (0,))[0]) for o in own.keys() | seen.keys()]
    return sorted(rows, key=lambda c: (-(c.articles + c.sighted), c.outlet))


def _sighted_by_outlet(db: Connection) -> dict[str, tuple[int, str | None, str | None]]:
    """Outlet -> (sightings, first and last stated day among them); empty before migration 017."""
    if not sightings.ready(db):
        return {}
    return {r[0]: (int(r[1]), r[2], r[3]) for r in db.run(
        "SELECT outlet, COUNT(*), MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) FROM sightings "
        "WHERE outlet IS NOT NULL AND outlet <> '' GROUP BY outlet").fetchall()}


def outlet_profiles(db: Connection, reuse_kinds: Sequence[str]) -> list[OutletProfile]:
    kinds = list(reuse_kinds) or [""]
    across = ("FROM reuse_pairs r JOIN articles s ON s.id = r.source_id JOIN articles d ON d.id = r.derived_id "
              f"WHERE r.kind IN ({marks(kinds)}) AND s.outlet IS NOT NULL AND d.outlet IS NOT NULL "
              "AND s.outlet <> d.outlet")
    copied_from = dict(db.run(f"SELECT d.outlet, COUNT(*) {across} GROUP BY d.outlet", kinds).fetchall())
    copied_by = dict(db.run(f"SELECT s.outlet, COUNT(*) {across} GROUP BY s.outlet", kinds).fetchall())
    own = {r[0]: (int(r[1]), r[2], r[3]) for r in db.run(
        "SELECT outlet, COUNT(*), MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) "
        "FROM articles WHERE outlet IS NOT NULL AND outlet <> '' GROUP BY outlet").fetchall()}
    seen = _sighted_by_outlet(db)
    out = []
    for o in own.keys() | seen.keys():
        n, first, last = own.get(o, (0, None, None))
        m, s_first, s_last = seen.get(o, (0, None, None))
        days = [d for d in (first, last, s_first, s_last) if d is not None]
        out.append(OutletProfile(o, n, min(days) if days else None, max(days) if days else None,
                                 int(copied_from.get(o, 0)), int(copied_by.get(o, 0)), m))
    return sorted(out, key=lambda p: (-(p.articles + p.sighted), p.outlet))


def _article_row(a: Article, key: str | None) -> tuple:
    fields = {k: {"origin": v.origin, "evidence": v.evidence} for k, v in a.fields.items()}
    cuts = [{"kind": c.kind, "text": c.text} for c in a.cuts]
    return (
        a.id, a.content_hash, a.url, key, a.source, a.locator, a.title, a.outlet, a.published,
        a.byline, a.abstract, a.body, json.dumps(fields, ensure_ascii=False),
        json.dumps(cuts, ensure_ascii=False), a.ingested_at or now(),
    )


def article_from(row: Sequence[Any], *, raw_type: str | None = None, raw: bytes | None = None) -> Article:
    """The article of a row of ARTICLE_COLUMNS (raw input only when given)."""
    (id_, content_hash, url, _key, source, locator, title, outlet, published, byline, abstract,
     body, fields, cuts, ingested_at) = row
    return Article(
        id=id_, content_hash=content_hash, url=url, source=source, locator=locator, title=title,
        outlet=outlet, published=published, byline=byline, abstract=abstract, body=body,
        fields={k: FieldSource(v["origin"], v.get("evidence")) for k, v in json.loads(fields).items()},
        cuts=tuple(Cut(c["kind"], c["text"]) for c in json.loads(cuts)),
        ingested_at=ingested_at, raw=raw, raw_type=raw_type,
    )
