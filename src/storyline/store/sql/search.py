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
from storyline.store.records import HIT_END, HIT_START, SearchHit
from storyline.store.sql.connection import Connection
from storyline.store.sql.filters import article_filters as _filters

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


# Words around the matches in a snippet.
SNIPPET_WORDS = 24


def search_hits(db: Connection, query: str, *, outlet: str | None = None, since: str | None = None,
                person: str | None = None, story_id: str | None = None, limit: int = 20,
                offset: int = 0) -> list[SearchHit]:
    """Ranked articles holding every word of ``query``, filtered, with a highlighted snippet
    each (FTS5 ``snippet()`` on SQLite, ``ts_headline`` on PostgreSQL, run on the page of
    results only)."""
    columns = ", ".join("a." + c for c in ARTICLE_COLUMNS.split(", "))
    filters, params = _filters(db, outlet, since, person, story_id)
    if db.dialect == "sqlite":
        match = fts5_query(query)
        if match is None:
            return []
        sql = (f"SELECT {columns}, -bm25(articles_fts, 2.0, 1.0), "
               f"snippet(articles_fts, -1, char(57344), char(57345), '…', {SNIPPET_WORDS}) "
               f"FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ?{filters} "
               "ORDER BY bm25(articles_fts, 2.0, 1.0), a.seq")
        sql, all_params = db.paged(sql, [match, *params], limit, offset)
    else:
        if not has_words(query):
            return []
        # ts_headline reads the whole text, so it runs on the page of results only.
        options = (f'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, '
                   'MaxFragments=2, FragmentDelimiter=" … "')
        inner = (f"SELECT {columns}, a.seq AS seq_, ts_rank({PG_DOCUMENT}, q) AS rank_ "
                 f"FROM articles a, plainto_tsquery('english'::regconfig, ?) q WHERE {PG_DOCUMENT} @@ q{filters} "
                 "ORDER BY rank_ DESC, a.seq")
        inner, all_params = db.paged(inner, [query, *params], limit, offset)
        outer_columns = ", ".join("p." + c for c in ARTICLE_COLUMNS.split(", "))
        sql = (f"SELECT {outer_columns}, p.rank_, ts_headline('english'::regconfig, "
               "coalesce(p.title, '') || ' — ' || left(p.body, 200000), "
               f"plainto_tsquery('english'::regconfig, ?), '{options}') FROM ({inner}) p ORDER BY p.rank_ DESC, p.seq_")
        all_params = [query, *all_params]  # the headline's query comes first in the text
    found = []
    for row in db.run(sql, all_params).fetchall():
        found.append(SearchHit(article_from(row[:-2]), float(row[-2]), row[-1] or ""))
    return found


def count_hits(db: Connection, query: str, *, outlet: str | None = None, since: str | None = None,
               person: str | None = None, story_id: str | None = None) -> int:
    """How many articles :func:`search_hits` finds with these filters (the total of its pages)."""
    filters, params = _filters(db, outlet, since, person, story_id)
    if db.dialect == "sqlite":
        match = fts5_query(query)
        if match is None:
            return 0
        sql = ("SELECT COUNT(*) FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
               f"WHERE articles_fts MATCH ?{filters}")
        return int(db.run(sql, [match, *params]).fetchone()[0])
    if not has_words(query):
        return 0
    sql = (f"SELECT COUNT(*) FROM articles a WHERE {PG_DOCUMENT} @@ plainto_tsquery('english'::regconfig, ?)"
           f"{filters}")
    return int(db.run(sql, [query, *params]).fetchone()[0])
