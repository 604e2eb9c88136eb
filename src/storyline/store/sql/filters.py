"""The article filters shared by search and the article list: by outlet, stated publication
day, person named and story."""

from __future__ import annotations

from typing import Any


# The stored spellings of an outlet name, case ignored: read from the outlet index alone (a
# covering scan of short strings), so that the articles are then found through that index and
# the article table (bodies and all) is not scanned for LOWER(outlet).
OUTLET_NAMES = "(SELECT DISTINCT o.outlet FROM articles o WHERE LOWER(o.outlet) = LOWER(?))"


def article_filters(outlet, since, person, story_id, dialect, until=None) -> tuple[str, list[Any]]:
    """The article filters (shared by search and the article list) as " AND ..." clauses over
    ``articles a``; ``until`` keeps a stated date with a time of day on that day."""
    clauses: list[str] = []
    params: list[Any] = []
    if outlet:
        clauses.append(f"a.outlet IN {OUTLET_NAMES}")
        params.append(outlet.strip())
    if since:
        clauses.append("a.published >= ?")
        params.append(since)
    if until:
        clauses.append("a.published <= ?")
        params.append(until + "\U0010ffff")
    if person:
        like = "LIKE" if dialect == "sqlite" else "ILIKE"
        # One pass over the PERSON entities, not one per article: correlated on a.id, SQLite's
        # planner picks the type index and reads every PERSON row for each article (minutes
        # on a 50,000-article store).
        clauses.append(f"a.id IN (SELECT e.article_id FROM entities e WHERE e.type = 'PERSON' AND e.name {like} ? "
                       "ESCAPE '\\')")
        params.append("%" + like_escape(person.strip()) + "%")
    if story_id:
        clauses.append("a.id IN (SELECT m.article_id FROM story_members m WHERE m.story_id = ?)")
        params.append(story_id)
    return "".join(" AND " + c for c in clauses), params


def like_escape(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
