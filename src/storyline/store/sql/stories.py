"""Story queries: clustering memberships, story summaries, and the story filters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storyline.records import Story
from storyline.store.base import check_base
from storyline.store.records import CheckpointPart, Membership, StoryCheckpoint, StoryMerge, StorySummary
from storyline.store.sql import changes, sightings
from storyline.store.sql.connection import Connection
from storyline.store.sql.filters import OUTLET_NAMES, SIGHTED_IDS, like_escape
from storyline.store.sql.search import PG_DOCUMENT, fts5_query, has_words

_STORY_COLUMNS = "id, label, headline, key_entities, first_date, last_date, undated, size, updated_at"
# What a listing reads: the story row and its coverage, stored with its facts.
_LISTED_COLUMNS = ", ".join("s." + c for c in _STORY_COLUMNS.split(", ")) + ", f.coverage_first, f.coverage_last"


def put_stories(db: Connection, stories: Sequence[Story], members: Sequence[Membership],
                removed: Sequence[str], version: str, updated_at: str,
                checkpoint: StoryCheckpoint | None = None, merges: Sequence[StoryMerge] = ()) -> None:
    if not stories and not members and not removed and checkpoint is None and not merges:
        return
    with db.writing(f"writing {len(stories)} stories"):
        changes.log(db, "story", [*(s.id for s in stories), *(m.story_id for m in members), *removed])
        if checkpoint is not None:
            _put_checkpoint(db, checkpoint)
        for story_id in removed:
            db.run("DELETE FROM stories WHERE id = ?", (story_id,))
            db.run("DELETE FROM story_facts WHERE story_id = ?", (story_id,))  # merged away: no reader
        db.run_many(
            "INSERT INTO story_members (article_id, story_id, seq, version, evidence) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, seq = excluded.seq, "
            "version = excluded.version, evidence = COALESCE(excluded.evidence, story_members.evidence)",
            [(m.article_id, m.story_id, m.seq, version, m.evidence) for m in members],
        )
        db.run_many(
            "INSERT INTO story_merges (absorbed_id, story_id, merged_at, evidence) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (absorbed_id) DO UPDATE SET story_id = excluded.story_id, "
            "merged_at = excluded.merged_at, evidence = excluded.evidence",
            [tuple(m) for m in merges],
        )
        for story in stories:
            db.run(
                f"INSERT INTO stories ({_STORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET label = excluded.label, headline = excluded.headline, "
                "key_entities = excluded.key_entities, first_date = excluded.first_date, "
                "last_date = excluded.last_date, undated = excluded.undated, "
                "size = excluded.size, updated_at = excluded.updated_at",
                (story.id, story.label, story.headline, json.dumps(list(story.key_entities)),
                 story.first, story.last, story.undated, len(story.article_ids), updated_at),
            )


def story_members(db: Connection, version: str | None = None) -> list[Membership]:
    sql = "SELECT article_id, story_id, seq FROM story_members"
    params: list[Any] = []
    if version is not None:
        sql += " WHERE version = ?"
        params.append(version)
    return [Membership(r[0], r[1], int(r[2])) for r in db.run(sql + " ORDER BY seq", params).fetchall()]


def member_evidence(db: Connection, article_ids: Sequence[str]) -> dict[str, str]:
    rows = db.rows_in("SELECT article_id, evidence FROM story_members WHERE article_id IN", article_ids,
                      " AND evidence IS NOT NULL")
    return {r[0]: r[1] for r in rows}


def story_merge(db: Connection, absorbed_id: str) -> StoryMerge | None:
    row = db.run("SELECT absorbed_id, story_id, merged_at, evidence FROM story_merges WHERE absorbed_id = ?",
                 (absorbed_id,)).fetchone()
    return StoryMerge(*row) if row else None


def story_merges_of(db: Connection, absorbed_ids: Sequence[str]) -> dict[str, StoryMerge]:
    rows = db.rows_in("SELECT absorbed_id, story_id, merged_at, evidence FROM story_merges WHERE absorbed_id IN",
                      absorbed_ids)
    return {r[0]: StoryMerge(*r) for r in rows}


def _put_checkpoint(db: Connection, checkpoint: StoryCheckpoint) -> None:
    if not checkpoint.whole:
        row = db.run("SELECT token FROM story_checkpoint").fetchone()
        check_base(checkpoint, None if row is None else row[0])
    db.run("DELETE FROM story_checkpoint")
    db.run("INSERT INTO story_checkpoint (id, version, next_seq, state, vectors, sums, token) "
           "VALUES (1, ?, ?, ?, ?, ?, ?)", (checkpoint.version, checkpoint.next_seq, checkpoint.state,
                                            checkpoint.vectors, checkpoint.sums, checkpoint.token))
    if checkpoint.whole:
        db.run("DELETE FROM story_checkpoint_parts")
    else:
        db.run_many("DELETE FROM story_checkpoint_parts WHERE part = ?", [(k,) for k in checkpoint.dropped])
    db.run_many(
        "INSERT INTO story_checkpoint_parts (part, data, blob) VALUES (?, ?, ?) "
        "ON CONFLICT (part) DO UPDATE SET data = excluded.data, blob = excluded.blob",
        [tuple(p) for p in checkpoint.parts],
    )


def story_checkpoint(db: Connection) -> StoryCheckpoint | None:
    row = db.run("SELECT version, next_seq, state, vectors, sums, token FROM story_checkpoint").fetchone()
    if row is None:
        return None
    parts = tuple(CheckpointPart(r[0], r[1], bytes(r[2]))
                  for r in db.run("SELECT part, data, blob FROM story_checkpoint_parts ORDER BY part").fetchall())
    return StoryCheckpoint(row[0], int(row[1]), row[2], bytes(row[3]), bytes(row[4]), parts, token=row[5])


def story_checkpoint_token(db: Connection) -> tuple[str, str] | None:
    row = db.run("SELECT version, token FROM story_checkpoint").fetchone()
    return None if row is None else (row[0], row[1])


def unclustered(db: Connection, version: str, *, limit: int | None = None,
                among: Sequence[str] | None = None) -> list[str]:
    sql = ("SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
           "WHERE (m.article_id IS NULL OR m.version <> ?)")
    return [r[0] for r in db.due(sql, "a.seq", [version], limit=limit, among=among, columns=("a.id",))]


def clear_stories(db: Connection) -> None:
    with db.writing("clearing the stories"):
        db.run("DELETE FROM story_checkpoint")
        db.run("DELETE FROM story_checkpoint_parts")
        db.run("DELETE FROM story_members")
        db.run("DELETE FROM story_merges")
        db.run("DELETE FROM stories")
        db.run("DELETE FROM story_facts")


def stories(db: Connection, *, limit: int | None = None, offset: int = 0, query: str | None = None,
            outlet: str | None = None, person: str | None = None, since: str | None = None,
            until: str | None = None) -> list[Story]:
    """Stories, largest first, then most recent (undated last). Filters (all must hold):
    ``query``, some member article holds every word (full text, as search.search); ``outlet``,
    some member comes from that outlet (exact name, case ignored for ASCII); ``person``, some
    member names a person whose name contains this text (case ignored for ASCII); ``since`` /
    ``until`` (ISO dates), the story's stated date span reaches that day (undated stories are
    then left out)."""
    rows = _listed(db, limit, offset, query, outlet, person, since, until)
    members = _members_of(db, [r[0] for r in rows])
    return [_story_from(r, members.get(r[0], ())) for r in rows]


def story_summaries(db: Connection, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                    outlet: str | None = None, person: str | None = None, since: str | None = None,
                    until: str | None = None) -> list[StorySummary]:
    """:func:`stories` with each story's article count instead of its article ids: counted in
    the members' index, never read (the stored ``size`` orders the list, but it is what the
    story step last wrote, and a deleted article leaves its story's members on its own)."""
    rows = _listed(db, limit, offset, query, outlet, person, since, until)
    counts = {r[0]: int(r[1]) for r in db.rows_in("SELECT story_id, COUNT(*) FROM story_members WHERE story_id IN",
                                                  [r[0] for r in rows], " GROUP BY story_id")}
    out = []
    for row in rows:
        sid, label, headline, key_entities, first, last, undated, _size, _updated, cover_first, cover_last = row
        out.append(StorySummary(sid, label, headline, tuple(json.loads(key_entities)), first, last, int(undated),
                                counts.get(sid, 0), cover_first, cover_last))
    return out


def _listed(db: Connection, limit: int | None, offset: int, query: str | None, outlet: str | None,
            person: str | None, since: str | None, until: str | None) -> list[tuple]:
    where, params = _story_filters(db, query, outlet, person, since, until)
    if where is None:
        return []
    sql, params = db.paged(
        f"SELECT {_LISTED_COLUMNS} FROM stories s LEFT JOIN story_facts f ON f.story_id = s.id{where} "
        "ORDER BY s.size DESC, (s.last_date IS NULL), s.last_date DESC, s.id",
        params, limit, offset)
    return db.run(sql, params).fetchall()


def count_stories(db: Connection, *, query: str | None = None, outlet: str | None = None,
                  person: str | None = None, since: str | None = None, until: str | None = None) -> int:
    """How many stories :func:`stories` lists with these filters (the total of its pages)."""
    where, params = _story_filters(db, query, outlet, person, since, until)
    if where is None:
        return 0
    return int(db.run(f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()[0])


def _story_filters(db: Connection, query, outlet, person, since, until) -> tuple[str | None, list[Any]]:
    """The WHERE clause (with its leading space) and parameters of the story filters, or
    (None, []) when the query has no words and so can match nothing."""
    sqlite = db.dialect == "sqlite"
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append("s.last_date >= ?")
        params.append(since)
    if until:
        clauses.append("s.first_date <= ?")
        params.append(until + "\U0010ffff")  # a stated date with a time of day still counts
    if outlet:
        # The outlet's articles found through the outlet indexes (OUTLET_NAMES), once, not by an
        # EXISTS per story: about 4x faster on 50,000 articles. Sightings count: a story whose
        # wire copy the outlet ran word for word is its story too.
        own = ("SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
               f"WHERE a.outlet IN {OUTLET_NAMES}")
        params.append(outlet.strip())
        if sightings.outlet_sighted(db, outlet.strip()):  # the few stories it joins by its sightings
            own += f" UNION SELECT m.story_id FROM story_members m WHERE m.article_id IN {SIGHTED_IDS}"
            params.append(outlet.strip())
        clauses.append(f"s.id IN ({own})")
    if person:
        like = "LIKE" if sqlite else "ILIKE"
        # One pass over the PERSON entities (correlated on s.id, SQLite's planner read every
        # PERSON row once per story: minutes on a 50,000-article store).
        clauses.append("s.id IN (SELECT m.story_id FROM story_members m JOIN entities e ON e.article_id = m.article_id "
                       f"WHERE e.type = 'PERSON' AND e.name {like} ? ESCAPE '\\')")
        params.append("%" + like_escape(person.strip()) + "%")
    if query is not None:
        if sqlite:
            match = fts5_query(query)
            if match is None:
                return None, []
            clauses.append("s.id IN (SELECT m.story_id FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
                           "JOIN story_members m ON m.article_id = a.id WHERE articles_fts MATCH ?)")
            params.append(match)
        else:
            if not has_words(query):
                return None, []
            clauses.append("s.id IN (SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
                           f"WHERE {PG_DOCUMENT} @@ plainto_tsquery('english'::regconfig, ?))")
            params.append(query)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def story(db: Connection, id_or_prefix: str) -> Story | None:
    wanted = id_or_prefix.strip().lower()
    rows = db.run(
        f"SELECT {_LISTED_COLUMNS} FROM stories s LEFT JOIN story_facts f ON f.story_id = s.id "
        "WHERE s.id >= ? AND s.id < ? ORDER BY s.id LIMIT 2",
        (wanted, wanted + "\U0010ffff" if wanted else "\U0010ffff"),
    ).fetchall()
    exact = [r for r in rows if r[0] == wanted]
    if exact:
        rows = exact
    if len(rows) > 1:
        raise LookupError(f"story id prefix {id_or_prefix!r} matches more than one story")
    if not rows:
        return None
    return _story_from(rows[0], _members_of(db, [rows[0][0]]).get(rows[0][0], ()))


def story_of(db: Connection, article_id: str) -> str | None:
    row = db.run("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def _members_of(db: Connection, story_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    rows = db.rows_in("SELECT story_id, article_id FROM story_members WHERE story_id IN", story_ids, " ORDER BY seq")
    for story_id, article_id in rows:
        out.setdefault(story_id, []).append(article_id)
    return {k: tuple(v) for k, v in out.items()}


def _story_from(row: Sequence[Any], article_ids: Sequence[str]) -> Story:
    sid, label, headline, key_entities, first, last, undated, _size, _updated, cover_first, cover_last = row
    return Story(id=sid, label=label, article_ids=tuple(article_ids), first=first, last=last,
                 headline=headline, key_entities=tuple(json.loads(key_entities)),
                 undated=int(undated), coverage_first=cover_first, coverage_last=cover_last)
