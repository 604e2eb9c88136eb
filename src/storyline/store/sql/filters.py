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
# The articles an outlet ran as sightings (the same text stored under another outlet's copy;
# migration 017), its name's stored spellings read from the sightings' outlet index.
SIGHTED_IDS = ("(SELECT g.article_id FROM sightings g WHERE g.outlet IN "
               "(SELECT DISTINCT n.outlet FROM sightings n WHERE LOWER(n.outlet) = LOWER(?)))")


def outlet_clause(db: Connection, outlet: str, alias: str) -> tuple[str, list[Any]]:
    """A condition keeping the articles (``alias`` names their table) of ``outlet`` (case
    ignored), its sightings included when it has any, and its parameters. An outlet no
    sighting names keeps the plain clause. With sightings, an OR of the two index lookups:
    on 50,000 articles SQLite runs it as a multi-index OR (14 ms for the largest outlet,
    against 51 for one semi-join over their UNION; 8 without sightings), and PostgreSQL's
    page of 100 costs what the plain clause does (31 ms against 29; the UNION 76)."""
    name = outlet.strip()
    if sightings.outlet_sighted(db, name):
        return f"({alias}.outlet IN {OUTLET_NAMES} OR {alias}.id IN {SIGHTED_IDS})", [name, name]
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
