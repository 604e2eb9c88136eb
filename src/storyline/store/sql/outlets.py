"""One outlet's page as SQL aggregates (``Store.outlet_detail``): every part is read through the
``articles_outlet`` index and grouped in the database, so an outlet with many articles is never
loaded whole (store/memory_outlets.py is the plain version)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.records import Sighting
from storyline.store.records import OutletDetail, OutletStory, sort_reuse
from storyline.store.sql import sightings
from storyline.store.sql.articles import ARTICLE_COLUMNS, article_from
from storyline.store.sql.connection import Connection, marks

# Pairs that hold one of the outlet's articles: two index lookups (reuse_pairs' primary key
# starts with first_id, reuse_pairs_second covers second_id) rather than an OR the planner
# might scan for.
_PAIRS = ("SELECT r.source_id, r.derived_id, r.kind FROM articles a JOIN reuse_pairs r ON r.first_id = a.id "
          "WHERE a.outlet = ? UNION ALL "
          "SELECT r.source_id, r.derived_id, r.kind FROM articles a JOIN reuse_pairs r ON r.second_id = a.id "
          "WHERE a.outlet = ?")

# The page's stories (``shown``) with each named outlet's first day there (``per``): the
# outlet's rank among them and the story's first day.
_RANKED = """
SELECT shown.story_id, s.label, shown.n, shown.first_day,
    (SELECT MIN(p.first_day) FROM per p WHERE p.story_id = shown.story_id),
    (SELECT COUNT(*) FROM per p WHERE p.story_id = shown.story_id AND p.first_day < shown.first_day),
    (SELECT COUNT(*) FROM per p WHERE p.story_id = shown.story_id)
FROM shown JOIN stories s ON s.id = shown.story_id
ORDER BY (shown.first_day IS NULL), shown.first_day DESC, shown.story_id
"""

_STORIES = """
WITH mine AS (
    SELECT m.story_id, COUNT(*) AS n, MIN(substr(a.published, 1, 10)) AS first_day
    FROM articles a JOIN story_members m ON m.article_id = a.id
    WHERE a.outlet = ? GROUP BY m.story_id),
shown AS (
    -- The page's stories first: every outlet's first day is then read for those alone, not
    -- for each of the (thousands of) stories a big outlet covered (about 60 ms of 90 at 1,200).
    SELECT * FROM mine ORDER BY (first_day IS NULL), first_day DESC, story_id LIMIT ?),
per AS (
    SELECT m.story_id, a.outlet, MIN(substr(a.published, 1, 10)) AS first_day
    FROM story_members m JOIN articles a ON a.id = m.article_id
    WHERE m.story_id IN (SELECT story_id FROM shown) AND a.outlet IS NOT NULL AND a.outlet <> ''
    GROUP BY m.story_id, a.outlet)
""" + _RANKED

# The same with sightings (from migration 017 on): a story the outlet ran a sighted copy in is
# one it covered (on the day the copy states), and every story's outlets include their
# sightings' (as the story list counts them), so every outlet's page ranks it among the same
# outlets. _STORIES serves a store held at an older schema.
_STORIES_SIGHTED = """
WITH own AS (
    SELECT m.story_id, a.published FROM articles a JOIN story_members m ON m.article_id = a.id WHERE a.outlet = ?
    UNION ALL
    SELECT m.story_id, g.published FROM sightings g JOIN story_members m ON m.article_id = g.article_id
    WHERE g.outlet = ?),
mine AS (
    SELECT story_id, COUNT(*) AS n, MIN(substr(published, 1, 10)) AS first_day FROM own GROUP BY story_id),
shown AS (
    SELECT * FROM mine ORDER BY (first_day IS NULL), first_day DESC, story_id LIMIT ?),
ran AS (
    SELECT m.story_id, a.outlet, substr(a.published, 1, 10) AS day
    FROM story_members m JOIN articles a ON a.id = m.article_id
    WHERE m.story_id IN (SELECT story_id FROM shown) AND a.outlet IS NOT NULL AND a.outlet <> ''
    UNION ALL
    SELECT m.story_id, g.outlet, substr(g.published, 1, 10)
    FROM story_members m JOIN sightings g ON g.article_id = m.article_id
    WHERE m.story_id IN (SELECT story_id FROM shown) AND g.outlet IS NOT NULL AND g.outlet <> ''),
per AS (
    SELECT story_id, outlet, MIN(day) AS first_day FROM ran GROUP BY story_id, outlet)
""" + _RANKED


def outlet_detail(db: Connection, outlet: str, reuse_kinds: Sequence[str], *, stories: int,
                  latest: int) -> OutletDetail | None:
    total = int(db.run("SELECT COUNT(*) FROM articles WHERE outlet = ?", (outlet,)).fetchone()[0])
    sighted = int(db.run("SELECT COUNT(*) FROM sightings WHERE outlet = ?", (outlet,)).fetchone()[0]) \
        if sightings.ready(db) else 0
    if not total and not sighted:
        return None
    days = [(r[0], int(r[1])) for r in db.run(
        "SELECT substr(published, 1, 10) AS day, COUNT(*) FROM articles WHERE outlet = ? AND published IS NOT NULL "
        "GROUP BY substr(published, 1, 10) ORDER BY day", (outlet,)).fetchall()]
    kinds = list(reuse_kinds) or [""]
    rows = db.run(
        f"SELECT s.outlet, d.outlet, COUNT(*) FROM ({_PAIRS}) p "
        "JOIN articles s ON s.id = p.source_id JOIN articles d ON d.id = p.derived_id "
        f"WHERE p.kind IN ({marks(kinds)}) AND s.outlet IS NOT NULL AND d.outlet IS NOT NULL "
        "AND s.outlet <> '' AND d.outlet <> '' AND s.outlet <> d.outlet GROUP BY s.outlet, d.outlet",
        [outlet, outlet, *kinds]).fetchall()
    reuse: dict[str, list[int]] = {}
    for src, der, n in rows:
        if der == outlet:
            reuse.setdefault(src, [0, 0])[0] += int(n)
        else:
            reuse.setdefault(der, [0, 0])[1] += int(n)
    story_rows = (db.run(_STORIES_SIGHTED, (outlet, outlet, stories)) if sightings.ready(db)
                  else db.run(_STORIES, (outlet, stories))).fetchall()
    found = [OutletStory(r[0], r[1], int(r[2]), r[3], r[4], int(r[5]) + 1 if r[3] is not None else None, int(r[6]))
             for r in story_rows]
    newest = db.run(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE outlet = ? "
                    "ORDER BY (published IS NULL), published DESC, seq DESC LIMIT ?", (outlet, latest)).fetchall()
    seen = db.run(f"SELECT {sightings.SIGHTING_COLUMNS} FROM sightings WHERE outlet = ? "
                  "ORDER BY (published IS NULL), published DESC, seq DESC LIMIT ?", (outlet, latest)).fetchall() \
        if sighted else []
    return OutletDetail(outlet, total, days, sort_reuse(reuse), found, [article_from(r) for r in newest],
                        sighted, tuple(Sighting(*r) for r in seen))

