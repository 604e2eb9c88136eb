"""Store queries for full-text search over article titles and bodies (both backends).

A mixin of SQLStore. The dialects differ here, unlike elsewhere:

* SQLite: an external-content FTS5 table ``articles_fts`` (porter stemming, case and
  diacritics folded), filled by migration 005 and then as each article is stored
  (:meth:`SearchQueries._index_articles`, called by ``add_articles`` in the same transaction).
* PostgreSQL: a GIN expression index on ``to_tsvector('english', title || ' ' || body)``
  (English stemming and stop words), kept in step by PostgreSQL; queries use plainto_tsquery.

Either way a query is a plain list of words, all of which must occur (no operators): user
text never reaches the FTS query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# The indexed expression, spelled exactly as in 005_search.sql so that the index is used.
PG_DOCUMENT = "to_tsvector('english'::regconfig, coalesce(a.title, '') || ' ' || left(a.body, 200000))"

# The migration that creates the search index (005_search.sql).
SEARCH_MIGRATION = 5

_MARKER = re.compile(r"^\s*--\s*dialect:\s*(\w+)\s*$")
_WORD = re.compile(r"\w+")


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


def fts5_query(text: str) -> str | None:
    """An FTS5 MATCH expression requiring every word of ``text`` (each quoted, so that no word
    is read as an operator), or None when ``text`` has no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


class SearchQueries:
    """Needs SQLStore's _run, _paged, param and _ARTICLE_COLUMNS (passed as ``_search_columns``)."""

    def _dialect(self) -> str:
        return "sqlite" if self.param == "?" else "postgres"

    def _index_articles(self, ids: Sequence[str]) -> None:
        """Add just-stored articles to the SQLite full-text index (inside the caller's
        transaction). PostgreSQL's expression index needs nothing."""
        if not ids or self._dialect() != "sqlite" or not self._has_search_index():
            return
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            self._run(
                "INSERT INTO articles_fts (rowid, title, body) SELECT seq, title, body FROM articles "
                f"WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )

    def _has_search_index(self) -> bool:
        """True once migration 005 is applied (always, except for a store held at an older
        schema, as the upgrade tests do). Cached once true: a schema never goes back."""
        if not getattr(self, "_search_ready", False):
            self._search_ready = self.schema_version() >= SEARCH_MIGRATION
        return self._search_ready

    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list:
        """Articles whose title or body holds every word of ``query`` (stemmed, case ignored),
        best match first (then in stored order), without their raw input."""
        from storyline.store.sql import _ARTICLE_COLUMNS, _article_from

        columns = ", ".join("a." + c for c in _ARTICLE_COLUMNS.split(", "))
        params: list[Any]
        if self._dialect() == "sqlite":
            match = fts5_query(query)
            if match is None:
                return []
            sql = (f"SELECT {columns} FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
                   "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 2.0, 1.0), a.seq")
            params = [match]
        else:
            if not _WORD.search(query):
                return []
            sql = (f"SELECT {columns} FROM articles a, plainto_tsquery('english'::regconfig, ?) q "
                   f"WHERE {PG_DOCUMENT} @@ q ORDER BY ts_rank({PG_DOCUMENT}, q) DESC, a.seq")
            params = [query]
        sql, params = self._paged(sql, params, limit, offset)
        return [_article_from(row) for row in self._run(sql, params).fetchall()]
