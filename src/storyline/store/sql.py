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
from storyline.records import Article, Cut, FieldSource, Link
from storyline.store.base import AmbiguousIdError, StoreError, WriteStatus

_ARTICLE_COLUMNS = (
    "id, content_hash, url, url_key, source, locator, title, outlet, published, byline, "
    "abstract, body, fields, cuts, ingested_at"
)
_HEX = re.compile(r"^[0-9a-f]+$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL template) for every file in ``store/schema``, in order."""
    found = []
    for item in resources.files("storyline.store.schema").iterdir():
        m = re.match(r"^(\d+)_(\w+)\.sql$", item.name)
        if m:
            found.append((int(m[1]), m[2], item.read_text(encoding="utf-8")))
    return sorted(found)


class SQLStore:
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

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        elif offset:
            sql += " LIMIT -1 OFFSET ?" if self.param == "?" else " OFFSET ?"
            params.append(offset)
        return [_article_from(row) for row in self._run(sql, params).fetchall()]

    def links(self) -> list[Link]:
        rows = self._run(
            "SELECT url, source, title, published, locator FROM links ORDER BY seq"
        ).fetchall()
        return [Link(*row) for row in rows]

    def count(self) -> int:
        return int(self._run("SELECT COUNT(*) FROM articles").fetchone()[0])


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
