"""The SQL shared by the SQLite and PostgreSQL stores: one schema, one set of queries.

Backends differ only in how they connect, open a transaction, spell a few column types and
mark query parameters; everything else lives here so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any

from storyline.ingest.urls import url_key
from storyline.records import Analysis, Article, Cut, Entity, FieldSource, Link, Mention, Quote, Role, TimePoint
from storyline.store.base import AmbiguousIdError, StoreError, WriteStatus
from storyline.store.reuse_sql import ReuseQueries
from storyline.store.search_sql import SearchQueries, for_dialect
from storyline.store.story_sql import StoryQueries

_ARTICLE_COLUMNS = (
    "id, content_hash, url, url_key, source, locator, title, outlet, published, byline, "
    "abstract, body, fields, cuts, ingested_at"
)
_ENTITY_COLUMNS = "article_id, pos, entity_id, name, type, aliases, roles, mentions"
_QUOTE_COLUMNS = (
    "article_id, pos, span_start, span_end, text, kind, cue, speaker, speaker_key, speaker_id, "
    "mention_text, mention_start, mention_end, anonymous, grp"
)
_TIME_COLUMNS = "article_id, pos, span_start, span_end, text, type, value, mod, anchored, detail"
_HEX = re.compile(r"^[0-9a-f]+$")
# Ids per "IN (...)" query: far below SQLite's limit on bound parameters (32,766; 999 before 3.32).
_IDS_PER_QUERY = 500


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL template) for every file in ``store/schema``, in order."""
    found = []
    for item in resources.files("storyline.store.schema").iterdir():
        m = re.match(r"^(\d+)_(\w+)\.sql$", item.name)
        if m:
            found.append((int(m[1]), m[2], item.read_text(encoding="utf-8")))
    return sorted(found)


class SQLStore(ReuseQueries, StoryQueries, SearchQueries):
    """Store logic over a DB-API connection. Subclasses set the dialect hooks below."""

    url: str
    serial_pk: str
    blob: str
    param: str = "?"

    # --- dialect hooks -------------------------------------------------------------------
    def _cursor(self) -> Any: ...

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        yield

    def _lock_for_migration(self) -> None:
        """Serialise concurrent migrations (inside the migration transaction)."""

    def _errors(self) -> tuple[type[BaseException], ...]:
        return ()

    # --- helpers ---------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql if self.param == "?" else sql.replace("?", self.param)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self._cursor()
        cur.execute(self._sql(sql), tuple(_storable(p) for p in params))
        return cur

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor().executemany(self._sql(sql), [tuple(_storable(p) for p in row) for row in rows])

    def _paged(self, sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
        """``sql`` with LIMIT/OFFSET appended as each backend spells "no limit"."""
        if limit is not None:
            return sql + " LIMIT ? OFFSET ?", [*params, limit, offset]
        if offset:
            return sql + (" LIMIT -1 OFFSET ?" if self.param == "?" else " OFFSET ?"), [*params, offset]
        return sql, params

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        try:
            with self._transaction():
                yield
        except self._errors() as exc:
            raise StoreError(f"{what} failed and was rolled back: {exc}") from exc

    # --- schema ----------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._writing("schema migration"):
            self._run(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        known = migrations()
        newest = known[-1][0] if known else 0
        current = self.schema_version()
        if current > newest:
            raise StoreError(
                f"{self.url}: store schema v{current} is newer than this Storyline knows (v{newest}); "
                "upgrade Storyline"
            )
        for version, name, template in known:
            if version <= current:
                continue
            with self._writing(f"schema migration {version:03d}_{name}"):
                self._lock_for_migration()
                if self.schema_version() >= version:  # another process applied it meanwhile
                    continue
                ddl = template.replace("{serial_pk}", self.serial_pk).replace("{blob}", self.blob)
                ddl = for_dialect(ddl, self._dialect())
                for statement in _statements(ddl):
                    self._run(statement)
                self._run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, _now()),
                )

    def schema_version(self) -> int:
        row = self._run("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # --- writes ----------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> list[tuple[WriteStatus, str]]:
        results: list[tuple[WriteStatus, str]] = []
        with self._writing(f"writing a batch of {len(articles)} articles"):
            for article in articles:
                key = url_key(article.url)
                existing = self._existing(article.content_hash, key)
                if existing:
                    results.append(("present", existing))
                    continue
                cur = self._run(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    _article_row(article, key),
                )
                if cur.rowcount == 0:  # a concurrent writer stored it first
                    results.append(("present", self._existing(article.content_hash, key) or article.id))
                    continue
                if article.raw is not None:
                    self._run(
                        "INSERT INTO raw_documents (article_id, media_type, data) VALUES (?, ?, ?)",
                        (article.id, article.raw_type or "application/octet-stream", article.raw),
                    )
                results.append(("added", article.id))
            self._index_articles([aid for status, aid in results if status == "added"])
        return results

    def add_links(self, links: Sequence[Link]) -> int:
        added = 0
        with self._writing(f"writing {len(links)} links"):
            for link in links:
                key = url_key(link.url)
                if key is None:
                    continue
                cur = self._run(
                    "INSERT INTO links (url_key, url, title, published, source, locator, seen_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (key, link.url, link.title, link.published, link.source, link.locator, _now()),
                )
                added += max(cur.rowcount, 0)
        return added

    def put_analyses(self, analyses: Sequence[Analysis], version: str) -> None:
        if not analyses:
            return
        stamp = _now_precise()
        with self._writing(f"writing the analyses of {len(analyses)} articles"):
            for analysis in analyses:
                aid = analysis.article_id
                # Replace, never append: a re-run (or a newer analyzer) must not duplicate rows.
                self._run("DELETE FROM times WHERE article_id = ?", (aid,))
                self._run("DELETE FROM quotes WHERE article_id = ?", (aid,))
                self._run("DELETE FROM entities WHERE article_id = ?", (aid,))
                self._run(
                    "INSERT INTO analyses (article_id, version, analysed_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, "
                    "analysed_at = excluded.analysed_at",
                    (aid, version, stamp),
                )
                self._run_many(
                    f"INSERT INTO entities ({_ENTITY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [_entity_row(aid, pos, e) for pos, e in enumerate(analysis.entities)],
                )
                self._run_many(
                    f"INSERT INTO quotes ({_QUOTE_COLUMNS}, article_seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT seq FROM articles WHERE id = ?))",
                    [(*_quote_row(aid, pos, q), aid) for pos, q in enumerate(analysis.quotes)],
                )
                self._run_many(
                    f"INSERT INTO times ({_TIME_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_time_row(aid, pos, t) for pos, t in enumerate(analysis.times)],
                )

    def _existing(self, content_hash: str, key: str | None) -> str | None:
        row = self._run(
            "SELECT id FROM articles WHERE content_hash = ? OR (url_key IS NOT NULL AND url_key = ?) "
            "ORDER BY seq LIMIT 1",
            (content_hash, key),
        ).fetchone()
        return row[0] if row else None

    # --- reads -----------------------------------------------------------------------------
    def article(self, id_or_prefix: str) -> Article | None:
        wanted = id_or_prefix.strip().lower()
        if not _HEX.match(wanted):
            return None
        rows = self._run(
            f"SELECT {_ARTICLE_COLUMNS}, r.media_type, r.data FROM articles a "
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
        return _article_from(row[:-2], raw_type=row[-2], raw=bytes(raw) if raw is not None else None)

    def articles(
        self, *, limit: int | None = None, offset: int = 0, ids: Sequence[str] | None = None
    ) -> list[Article]:
        if ids is not None:
            return self._articles_by_id(ids)[offset:][:limit]
        sql, params = self._paged(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq", [], limit, offset)
        return [_article_from(row) for row in self._run(sql, params).fetchall()]

    def _articles_by_id(self, ids: Sequence[str]) -> list[Article]:
        found: list[tuple[int, Article]] = []
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), _IDS_PER_QUERY):
            chunk = unique[i : i + _IDS_PER_QUERY]
            rows = self._run(
                f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            found += [(row[0], _article_from(row[1:])) for row in rows]
        return [article for _, article in sorted(found, key=lambda x: x[0])]

    def analysis(self, article_id: str) -> Analysis | None:
        if self._run("SELECT 1 FROM analyses WHERE article_id = ?", (article_id,)).fetchone() is None:
            return None
        entities = self._run(
            f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE article_id = ? ORDER BY pos", (article_id,)
        ).fetchall()
        quotes = self._run(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE article_id = ? ORDER BY pos", (article_id,)
        ).fetchall()
        times = self._run(
            f"SELECT {_TIME_COLUMNS} FROM times WHERE article_id = ? ORDER BY pos", (article_id,)
        ).fetchall()
        return Analysis(
            article_id=article_id,
            entities=tuple(_entity_from(row) for row in entities),
            quotes=tuple(_quote_from(row) for row in quotes),
            times=tuple(_time_from(row) for row in times),
        )

    def unanalysed(self, version: str | None = None, *, limit: int | None = None) -> list[str]:
        sql = "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE n.article_id IS NULL"
        params: list[Any] = []
        if version is not None:
            sql += " OR n.version <> ?"
            params.append(version)
        sql, params = self._paged(sql + " ORDER BY a.seq", params, limit, 0)
        return [row[0] for row in self._run(sql, params).fetchall()]

    def entities(self, type: str | None = None) -> list[tuple[str, Entity]]:  # noqa: A002
        sql = f"SELECT {', '.join('e.' + c for c in _ENTITY_COLUMNS.split(', '))} FROM entities e " \
              "JOIN articles a ON a.id = e.article_id"
        params: list[Any] = []
        if type is not None:
            sql += " WHERE e.type = ?"
            params.append(type)
        rows = self._run(sql + " ORDER BY a.seq, e.pos", params).fetchall()
        return [(row[0], _entity_from(row)) for row in rows]

    def quotes(self, speaker: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Quote]:
        # quotes.article_seq is the article's seq (migration 006): the order comes from an index.
        sql = f"SELECT {_QUOTE_COLUMNS} FROM quotes"
        params: list[Any] = []
        if speaker is not None:
            sql += " WHERE speaker_key = ?"
            params.append(_speaker_key(speaker))
        sql, params = self._paged(sql + " ORDER BY article_seq, span_start, pos", params, limit, offset)
        return [_quote_from(row) for row in self._run(sql, params).fetchall()]

    def links(self) -> list[Link]:
        rows = self._run(
            "SELECT url, source, title, published, locator FROM links ORDER BY seq"
        ).fetchall()
        return [Link(*row) for row in rows]

    def count(self) -> int:
        return int(self._run("SELECT COUNT(*) FROM articles").fetchone()[0])

    def analysis_state(self) -> tuple[int, str | None]:
        """(articles analysed, time of the latest analysis): changes whenever stored analyses do."""
        count, latest = self._run("SELECT COUNT(*), MAX(analysed_at) FROM analyses").fetchone()
        return int(count), latest


def _storable(value: Any) -> Any:
    """Text that both backends can hold: file names read with surrogate escapes (undecodable
    bytes in a path) become U+FFFD, and NUL (refused by PostgreSQL) is dropped."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value.replace("\x00", "") if "\x00" in value else value


def _statements(ddl: str) -> list[str]:
    without_comments = "\n".join(line for line in ddl.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in without_comments.split(";") if s.strip()]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _now_precise() -> str:
    """Now, to the microsecond: two analyses a moment apart get different times (analysis_state)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _article_row(a: Article, key: str | None) -> tuple:
    fields = {k: {"origin": v.origin, "evidence": v.evidence} for k, v in a.fields.items()}
    cuts = [{"kind": c.kind, "text": c.text} for c in a.cuts]
    return (
        a.id, a.content_hash, a.url, key, a.source, a.locator, a.title, a.outlet, a.published,
        a.byline, a.abstract, a.body, json.dumps(fields, ensure_ascii=False),
        json.dumps(cuts, ensure_ascii=False), a.ingested_at or _now(),
    )


def _article_from(row: Sequence[Any], *, raw_type: str | None = None, raw: bytes | None = None) -> Article:
    (id_, content_hash, url, _key, source, locator, title, outlet, published, byline, abstract,
     body, fields, cuts, ingested_at) = row
    return Article(
        id=id_, content_hash=content_hash, url=url, source=source, locator=locator, title=title,
        outlet=outlet, published=published, byline=byline, abstract=abstract, body=body,
        fields={k: FieldSource(v["origin"], v.get("evidence")) for k, v in json.loads(fields).items()},
        cuts=tuple(Cut(c["kind"], c["text"]) for c in json.loads(cuts)),
        ingested_at=ingested_at, raw=raw, raw_type=raw_type,
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _speaker_key(name: str | None) -> str | None:
    return " ".join(name.casefold().split()) if name is not None else None


def _entity_row(article_id: str, pos: int, e: Entity) -> tuple:
    # Mentions and roles carry their article id in the record; stored once, on the row.
    roles = [{"title": r.title, "start": r.start, "end": r.end, "sentence_start": r.sentence_start,
              "sentence_end": r.sentence_end} for r in e.roles]
    mentions = [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions]
    return (article_id, pos, e.id, e.name, e.type, _json(list(e.aliases)), _json(roles), _json(mentions))


def _entity_from(row: Sequence[Any]) -> Entity:
    article_id, _pos, entity_id, name, type_, aliases, roles, mentions = row
    return Entity(
        id=entity_id, name=name, type=type_, aliases=tuple(json.loads(aliases)),
        mentions=tuple(Mention(article_id, m["start"], m["end"], m["text"]) for m in json.loads(mentions)),
        roles=tuple(Role(r["title"], article_id, r["start"], r["end"], r.get("sentence_start"),
                         r.get("sentence_end")) for r in json.loads(roles)),
    )


def _quote_row(article_id: str, pos: int, q: Quote) -> tuple:
    m = q.speaker_mention
    return (
        article_id, pos, q.start, q.end, q.text, q.kind, q.cue, q.speaker, _speaker_key(q.speaker),
        q.speaker_id, m.text if m else None, m.start if m else None, m.end if m else None,
        int(bool(q.anonymous)), q.group,
    )


def _quote_from(row: Sequence[Any]) -> Quote:
    (article_id, _pos, start, end, text, kind, cue, speaker, _key, speaker_id, m_text, m_start, m_end,
     anonymous, group) = row
    mention = Mention(article_id, m_start, m_end, m_text) if m_text is not None else None
    return Quote(
        article_id=article_id, text=text, start=start, end=end, kind=kind, cue=cue, speaker=speaker,
        speaker_mention=mention, anonymous=bool(anonymous), speaker_id=speaker_id, group=group,
    )


def _time_row(article_id: str, pos: int, t: TimePoint) -> tuple:
    return (article_id, pos, t.start, t.end, t.text, t.type, t.value, t.mod, int(bool(t.anchored)), t.detail)


def _time_from(row: Sequence[Any]) -> TimePoint:
    article_id, _pos, start, end, text, type_, value, mod, anchored, detail = row
    return TimePoint(article_id=article_id, text=text, start=start, end=end, type=type_, value=value,
                     mod=mod, anchored=bool(anchored), detail=detail)
