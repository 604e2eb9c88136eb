"""The article filters shared by search and the article list: by outlet (sightings included),
stated publication day, person named and story."""

from __future__ import annotations

from typing import Any

from storyline.store.sql import sightings
from storyline.store.sql.connection import Connection


# The stored spellings of an outlet name, case ignored: read from the outlet index alone (a
# covering scan of short strings), so that the articles are then found through that index and
# the article table (bodies and all) is not scanned for LOWER(outlet).
OUTLET_NAMES = "(SELECT DISTINCT o.outlet FROM articles o WHERE LOWER(o.outlet) = LOWER(?))"
# An outlet's articles, case ignored, when it also ran some as sightings (the same text stored
# under another outlet's copy; migration 017): those stored under its name and those it ran as a
# sighting, each found through its outlet index, in one semi-join on the article id (an OR of
# the two would make PostgreSQL scan the whole article table). An outlet no sighting names keeps
# the plain OUTLET_NAMES clause (the list page's index walk is ten times faster with it).
OUTLET_IDS = ("(SELECT x.id FROM articles x WHERE x.outlet IN "
              "(SELECT DISTINCT o.outlet FROM articles o WHERE LOWER(o.outlet) = LOWER(?)) UNION "
              "SELECT g.article_id FROM sightings g WHERE g.outlet IN "
              "(SELECT DISTINCT n.outlet FROM sightings n WHERE LOWER(n.outlet) = LOWER(?)))")


def outlet_clause(db: Connection, outlet: str, alias: str) -> tuple[str, list[Any]]:
    """A condition keeping the articles (``alias`` names their table) of ``outlet`` (case
    ignored), its sightings included when it has any, and its parameters."""
    name = outlet.strip()
    if sightings.outlet_sighted(db, name):
        return f"{alias}.id IN {OUTLET_IDS}", [name, name]
    return f"{alias}.outlet IN {OUTLET_NAMES}", [name]


def article_filters(db: Connection, outlet, since, person, story_id, until=None) -> tuple[str, list[Any]]:
    """The article filters (shared by search and the article list) as " AND ..." clauses over
    ``articles a``; ``until`` keeps a stated date with a time of day on that day."""
    dialect = db.dialect
    clauses: list[str] = []
    params: list[Any] = []
    if outlet:
        clause, names = outlet_clause(db, outlet, "a")
        clauses.append(clause)
        params += names
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
