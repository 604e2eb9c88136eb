"""Full-text search queries over article titles and bodies. The dialects differ here, unlike
elsewhere:

* SQLite: an external-content FTS5 table ``articles_fts`` (porter stemming, case and
  diacritics folded), filled by migration 005 and then as each article is stored
  (``articles.add_articles``, in the same transaction).
* PostgreSQL: a GIN expression index on ``to_tsvector('english', title || ' ' || body)``
  (English stemming and stop words), kept in step by PostgreSQL; queries use plainto_tsquery.

Either way a query is a plain list of words, all of which must occur (no operators): user
text never reaches the FTS query syntax. The story filter by words (stories.py) uses the same
pieces.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.records import Article
from storyline.store.sql.articles import ARTICLE_COLUMNS, article_from
from storyline.store.sql.connection import Connection

# The indexed expression, spelled exactly as in 005_search.sql so that the index is used.
PG_DOCUMENT = "to_tsvector('english'::regconfig, coalesce(a.title, '') || ' ' || left(a.body, 200000))"

_WORD = re.compile(r"\w+")


def fts5_query(text: str) -> str | None:
    """An FTS5 MATCH expression requiring every word of ``text`` (each quoted, so that no word
    is read as an operator), or None when ``text`` has no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def has_words(text: str) -> bool:
    return _WORD.search(text) is not None


def search(db: Connection, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
    columns = ", ".join("a." + c for c in ARTICLE_COLUMNS.split(", "))
    params: list[Any]
    if db.dialect == "sqlite":
        match = fts5_query(query)
        if match is None:
            return []
        # Title words weigh twice body words; equal ranks keep the stored order.
        sql = (f"SELECT {columns} FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
               "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 2.0, 1.0), a.seq")
        params = [match]
    else:
        if not has_words(query):
            return []
        sql = (f"SELECT {columns} FROM articles a, plainto_tsquery('english'::regconfig, ?) q "
               f"WHERE {PG_DOCUMENT} @@ q ORDER BY ts_rank({PG_DOCUMENT}, q) DESC, a.seq")
        params = [query]
    sql, params = db.paged(sql, params, limit, offset)
    return [article_from(row) for row in db.run(sql, params).fetchall()]
