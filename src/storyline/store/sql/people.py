"""People queries: stored cross-article identities, their members, aliases, roles and name keys,
and which articles the people step has done (migration 008)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from storyline.records import Identity
from storyline.store.records import (
    MentionCounts,
    PersonAlias,
    PersonMember,
    PersonRedirect,
    PersonRole,
    PersonSources,
    PersonSummary,
    PersonTallies,
    StoredPerson,
)
from storyline.store.sql.connection import Connection, chunks, marks
from storyline.store.sql.filters import like_escape

LIVE = "merged_into IS NULL"
_LIVE = LIVE
_PERSON_COLUMNS = "id, name, type, aliases, roles, merges"
_SUMMARY_COLUMNS = "id, name, type, aliases, roles, articles"
_LISTED = f"{_LIVE} AND articles > 0 AND place_like = 0"  # a place the model tagged a person is no one (migration 023)
_LIST_ORDER = "ORDER BY articles DESC, name, id"


def people_due(db: Connection, version: str, limit: int | None = None,
               among: Sequence[str] | None = None) -> list[str]:
    sql = ("SELECT n.article_id FROM analyses n JOIN articles a ON a.id = n.article_id "
           "LEFT JOIN people_done d ON d.article_id = n.article_id "
           "WHERE (d.article_id IS NULL OR d.version <> ? OR d.analysed_at <> n.analysed_at)")
    return [r[0] for r in db.due(sql, "a.seq", [version], limit=limit, among=among, columns=("a.id",))]


def put_people(db: Connection, persons: Sequence[StoredPerson], redirects: Sequence[PersonRedirect],
               done: Sequence[str], version: str, updated_at: str, surnames: Mapping[str, Sequence[str]],
               grown: Sequence[StoredPerson] = (), places: Mapping[str, Sequence[str]] | None = None) -> None:
    with db.writing(f"writing {len(persons)} people"):
        put_surnames(db, done, surnames)
        touched = [p.id for p in persons] + [r.old_id for r in redirects]
        # The identities whose place mark may change: those written, and those under a place
        # word whose count this write changes.
        words = _put_places(db, done, places) if places is not None else set()
        words |= {p.place_key for p in (*persons, *grown) if p.place_key}
        # ... and those whose surname a person written here, or one rewritten or absorbed here,
        # goes by: a person of that surname makes a one-word name no place (_mark_places).
        surnames = {k for p in (*persons, *grown) for k in p.keys if k.startswith("surname:")}
        surnames |= {r[0] for r in db.rows_in("SELECT name_key FROM person_keys WHERE substr(name_key, 1, 8) = 'surname:' "
                                              "AND person_id IN", touched)}
        # The list's running total moves by the written identities that are listed now, less
        # those that were before this write.
        written = sorted({*touched, *(p.id for p in grown), *_placed(db, words), *_placed_under(db, surnames)})
        listed_before, places_before = _listed_in(db, written), _marked_in(db, written)
        for table in ("person_members", "person_aliases", "person_roles", "person_keys"):
            delete_in(db, table, "person_id", touched)
        # A done article's entities are assigned afresh: drop what an earlier run gave them.
        delete_in(db, "person_members", "article_id", done)
        # Every identity's rows in one statement per table (a row each for the upsert, COPY for
        # the sources on PostgreSQL): a batch writes hundreds of identities, and a statement per
        # identity and table cost the PostgreSQL people step more CPU than the merge (session 24).
        db.run_many(
            "INSERT INTO persons (id, name, type, aliases, roles, merges, articles, created_at, "
            "updated_at, merged_into, place_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (id) "
            "DO UPDATE SET name = excluded.name, type = excluded.type, aliases = excluded.aliases, "
            "roles = excluded.roles, merges = excluded.merges, articles = excluded.articles, "
            "updated_at = excluded.updated_at, merged_into = NULL, place_key = excluded.place_key",
            [(p.id, p.name, p.type, _json(p.aliases), _json(p.roles), _json(p.merges),
              len({m.article_id for m in p.members}), updated_at, updated_at, p.place_key) for p in persons])
        # A grown identity is added to, never rewritten: its other rows are not read or touched.
        _put_sources(db, [*persons, *grown])
        db.run_many("UPDATE persons SET name = ?, aliases = ?, roles = ?, merges = ?, updated_at = ?, place_key = ?, "
                    "articles = (SELECT COUNT(DISTINCT article_id) FROM person_members WHERE person_id = ?) WHERE id = ?",
                    [(p.name, _json(p.aliases), _json(p.roles), _json(p.merges), updated_at, p.place_key, p.id, p.id)
                     for p in grown])
        for r in redirects:
            # A redirect to nothing ("" ) marks an identity that lost all its members: gone.
            db.run("UPDATE persons SET merged_into = ?, articles = 0, updated_at = ? WHERE id = ?",
                   (r.new_id or "", updated_at, r.old_id))
            # Older redirects to the absorbed id now point at its absorber (chains stay short).
            if r.new_id:
                db.run("UPDATE persons SET merged_into = ? WHERE merged_into = ?", (r.new_id, r.old_id))
        _mark_places(db, written)
        _count(db, "people", _listed_in(db, written) - listed_before)
        _count(db, "places", _marked_in(db, written) - places_before)
        mark_done(db, done, version)


def mark_done(db: Connection, done: Sequence[str], version: str) -> None:
    """Record ``done`` as done by ``version`` against their current analysis (inside a write)."""
    delete_in(db, "people_done", "article_id", done)
    for chunk in chunks(done):
        db.run("INSERT INTO people_done (article_id, version, analysed_at) SELECT article_id, ?, analysed_at "
               f"FROM analyses WHERE article_id IN ({marks(chunk)})", [version, *chunk])


def _put_sources(db: Connection, people: Sequence[StoredPerson]) -> None:
    # An entity belongs to one identity at most: a member stored already is an error.
    db.insert_all("person_members", ("article_id", "entity_id", "person_id", "reason"),
                  [(m.article_id, m.entity_id, p.id, m.reason) for p in people for m in p.members])
    db.insert_new("person_aliases", ("person_id", "alias", "article_id", "entity_id"),
                  [(p.id, *a) for p in people for a in p.alias_sources])
    db.insert_new("person_roles", ("person_id", "title", "article_id", "entity_id", "span_start", "span_end"),
                  [(p.id, *r) for p in people for r in p.role_sources])
    db.insert_new("person_keys", ("name_key", "person_id"), [(k, p.id) for p in people for k in p.keys])


def put_surnames(db: Connection, done: Sequence[str], surnames: Mapping[str, Sequence[str]]) -> None:
    # The running total moves by the done articles that mention somebody now, less those that
    # did before this write (a re-done article is not counted twice).
    before = _articles_in(db, done)
    delete_in(db, "person_surnames", "article_id", done)
    db.run_many("INSERT INTO person_surnames (surname_key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(key, aid) for aid in dict.fromkeys(done) for key in sorted(set(surnames.get(aid, ())))])
    _count(db, "articles", _articles_in(db, done) - before)


def put_places(db: Connection, done: Sequence[str], places: Mapping[str, Sequence[str]]) -> None:
    """Replace the place words of ``done`` (a sharded run writes every article's first) and
    mark the identities under the words whose counts changed, the list's total with them."""
    ids = _placed(db, _put_places(db, done, places))
    before, places_before = _listed_in(db, ids), _marked_in(db, ids)
    _mark_places(db, ids)
    _count(db, "people", _listed_in(db, ids) - before)
    _count(db, "places", _marked_in(db, ids) - places_before)


def _put_places(db: Connection, done: Sequence[str], places: Mapping[str, Sequence[str]]) -> set[str]:
    """Replace the place words of ``done`` with ``places[id]``, moving each word's count
    (place_word_counts, migration 024); the words whose counts may have changed (those the
    articles had and those they have now)."""
    moved: Counter[str] = Counter(r[0] for r in db.rows_in("SELECT word_key FROM place_words WHERE article_id IN", done))
    for word in moved:
        moved[word] = -moved[word]
    delete_in(db, "place_words", "article_id", done)
    rows = [(word, aid) for aid in dict.fromkeys(done) for word in sorted(set(places.get(aid, ())))]
    db.run_many("INSERT INTO place_words (word_key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)
    for word, _ in rows:
        moved[word] = moved.get(word, 0) + 1
    db.run_many("INSERT INTO place_word_counts (word_key, n) VALUES (?, ?) ON CONFLICT (word_key) "
                "DO UPDATE SET n = place_word_counts.n + excluded.n", sorted((w, n) for w, n in moved.items() if n))
    return set(moved)


def _placed(db: Connection, words: set[str]) -> list[str]:
    """The identities whose place key is one of ``words``."""
    return [r[0] for r in db.rows_in("SELECT id FROM persons WHERE place_key IN", sorted(words))]


def _placed_under(db: Connection, surnames: set[str]) -> list[str]:
    """The identities with a place key indexed under one of ``surnames`` ("surname:..." keys)."""
    return [r[0] for r in db.rows_in("SELECT k.person_id FROM person_keys k JOIN persons p ON p.id = k.person_id "
                                     "WHERE p.place_key IS NOT NULL AND k.name_key IN", sorted(surnames))]


# A person (live, listed or not a one-word untitled name) who goes by the identity's surname key:
# "Johnson" beside "Boris Johnson" is a surname, whatever "Johnson County" says.
_SURNAME_BORNE = ("EXISTS (SELECT 1 FROM person_keys mine JOIN person_keys other ON other.name_key = mine.name_key "
                  "JOIN persons q ON q.id = other.person_id WHERE mine.person_id = persons.id "
                  "AND substr(mine.name_key, 1, 8) = 'surname:' AND q.id <> persons.id AND q.place_key IS NULL "
                  "AND q.merged_into IS NULL AND q.articles > 0)")


def _mark_places(db: Connection, ids: Sequence[str]) -> None:
    """Mark each of ``ids`` a place (out of the lists) when as many articles name its place key
    as a place as it has articles and no person goes by it as a surname, or clear the mark
    (link/people/places.py)."""
    for chunk in chunks(sorted(set(ids))):
        db.run("UPDATE persons SET place_like = CASE WHEN place_key IS NOT NULL AND articles > 0 AND articles <= "
               "COALESCE((SELECT n FROM place_word_counts c WHERE c.word_key = persons.place_key), 0) "
               f"AND NOT {_SURNAME_BORNE} THEN 1 ELSE 0 END WHERE id IN ({marks(chunk)})", chunk)


def _count(db: Connection, name: str, change: int) -> None:
    if change:
        db.run("INSERT INTO people_stats (name, value) VALUES (?, ?) ON CONFLICT (name) "
               "DO UPDATE SET value = people_stats.value + excluded.value", (name, change))


def _listed_in(db: Connection, person_ids: Sequence[str]) -> int:
    return sum(int(r[0]) for r in db.rows_in(f"SELECT COUNT(*) FROM persons WHERE {_LISTED} AND id IN", person_ids))


def _marked_in(db: Connection, person_ids: Sequence[str]) -> int:
    """How many of ``person_ids`` are live identities marked places (the "places" total)."""
    return sum(int(r[0]) for r in db.rows_in(f"SELECT COUNT(*) FROM persons WHERE {_LIVE} AND articles > 0 "
                                             "AND place_like = 1 AND id IN", person_ids))


def _articles_in(db: Connection, article_ids: Sequence[str]) -> int:
    return sum(int(r[0]) for r in db.rows_in("SELECT COUNT(DISTINCT article_id) FROM person_surnames "
                                             "WHERE article_id IN", article_ids))


def mention_counts(db: Connection, keys: Sequence[str], excluding: Sequence[str]) -> MentionCounts:
    counts: dict[str, int] = {}
    for key, n in db.rows_in("SELECT surname_key, COUNT(*) FROM person_surnames WHERE surname_key IN",
                             keys, " GROUP BY surname_key"):
        counts[key] = counts.get(key, 0) + int(n)
    for (key,) in db.rows_in("SELECT surname_key FROM person_surnames WHERE article_id IN", excluding):
        if key in counts:
            counts[key] -= 1
    row = db.run("SELECT value FROM people_stats WHERE name = 'articles'").fetchone()
    return MentionCounts(counts, (int(row[0]) if row else 0) - _articles_in(db, excluding))


def delete_in(db: Connection, table: str, column: str, ids: Sequence[str]) -> None:
    for chunk in chunks(ids):
        db.run(f"DELETE FROM {table} WHERE {column} IN ({marks(chunk)})", chunk)


def people(db: Connection, *, limit: int | None = None, offset: int = 0) -> list[Identity]:
    sql, params = db.paged(f"SELECT {_PERSON_COLUMNS} FROM persons WHERE {_LISTED} {_LIST_ORDER}", [], limit, offset)
    return _identities(db, db.run(sql, params).fetchall())


def person_summaries(db: Connection, *, keys: Sequence[str] | None = None, limit: int | None = None,
                     offset: int = 0) -> list[PersonSummary]:
    # The stored article count, not the members: the first page holds the best-known people,
    # each named in thousands of articles (reading their members cost 1.3 s at 69k people).
    if keys is not None:
        ids = sorted(person_ids_by_keys(db, keys))
        found = [_summary(r) for r in db.rows_in(f"SELECT {_SUMMARY_COLUMNS} FROM persons WHERE {_LISTED} AND id IN",
                                                 ids)]
        found.sort(key=lambda p: (-p.articles, p.name, p.id))
        return found[offset:] if limit is None else found[offset:offset + limit]
    sql, params = db.paged(f"SELECT {_SUMMARY_COLUMNS} FROM persons WHERE {_LISTED} {_LIST_ORDER}", [], limit, offset)
    return [_summary(r) for r in db.run(sql, params).fetchall()]


def place_people(db: Connection, *, limit: int | None = None, offset: int = 0) -> list[tuple[PersonSummary, int]]:
    columns = ", ".join(f"p.{c}" for c in _SUMMARY_COLUMNS.split(", "))
    sql, params = db.paged(f"SELECT {columns}, COALESCE(c.n, 0) FROM persons p LEFT JOIN place_word_counts c "
                           "ON c.word_key = p.place_key WHERE p.merged_into IS NULL AND p.articles > 0 "
                           "AND p.place_like = 1 ORDER BY p.articles DESC, p.name, p.id", [], limit, offset)
    return [(_summary(r), int(r[6])) for r in db.run(sql, params).fetchall()]


def count_place_people(db: Connection) -> int:
    row = db.run("SELECT value FROM people_stats WHERE name = 'places'").fetchone()
    return int(row[0]) if row else 0


def count_people(db: Connection) -> int:
    row = db.run("SELECT value FROM people_stats WHERE name = 'people'").fetchone()
    return int(row[0]) if row else 0


def _summary(row: Sequence[Any]) -> PersonSummary:
    return PersonSummary(row[0], row[1], row[2], tuple(json.loads(row[3])), tuple(json.loads(row[4])), int(row[5]))


def person(db: Connection, person_id: str, members: bool = True) -> Identity | None:
    seen = set()
    while person_id and person_id not in seen:  # follow merged_into (kept one step long)
        seen.add(person_id)
        row = db.run(f"SELECT {_PERSON_COLUMNS}, merged_into FROM persons WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            return None
        if row[6] is None:
            return _identities(db, [row[:6]], None if members else 0)[0]
        person_id = row[6]
    return None


def people_named(db: Connection, part: str, limit: int) -> list[PersonSummary]:
    wanted = " ".join(part.split()).lower()
    if not any(c.isalnum() for c in wanted):  # punctuation alone would match the aliases' JSON
        return []
    like = "%" + like_escape(wanted) + "%"
    rows = db.run(f"SELECT {_SUMMARY_COLUMNS} FROM persons WHERE {_LISTED} AND "
                  "(LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(aliases) LIKE ? ESCAPE '\\') "
                  f"{_LIST_ORDER} LIMIT ?", (like, like, limit)).fetchall()
    return [_summary(r) for r in rows]


def person_sources(db: Connection, person_id: str, articles: Sequence[str] | None = None) -> PersonSources | None:
    if not _listed_person(db, person_id):
        return None
    if articles is None:
        members = db.run("SELECT article_id, entity_id, reason FROM person_members WHERE person_id = ? "
                         "ORDER BY article_id, entity_id", (person_id,)).fetchall()
        aliases = db.run("SELECT alias, article_id, entity_id FROM person_aliases WHERE person_id = ? "
                         "ORDER BY article_id, entity_id, alias", (person_id,)).fetchall()
    else:
        members, aliases = [], []
        for chunk in chunks(sorted(set(articles))):
            among, args = f" AND article_id IN ({marks(chunk)})", [person_id, *chunk]
            members += db.run(f"SELECT article_id, entity_id, reason FROM person_members WHERE person_id = ?{among}",
                              args).fetchall()
            aliases += db.run(f"SELECT alias, article_id, entity_id FROM person_aliases WHERE person_id = ?{among}",
                              args).fetchall()
        members.sort(key=lambda r: (r[0], r[1]))
        aliases.sort(key=lambda r: (r[1], r[2], r[0]))
    roles = db.run("SELECT title, article_id, entity_id, span_start, span_end FROM person_roles WHERE person_id = ? "
                   "ORDER BY article_id, entity_id, span_start, span_end, title", (person_id,)).fetchall()
    return PersonSources(tuple(PersonMember(*r) for r in members), tuple(PersonAlias(*r) for r in aliases),
                         tuple(PersonRole(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in roles))


def person_tallies(db: Connection, person_id: str) -> PersonTallies | None:
    if not _listed_person(db, person_id):
        return None
    # Grouped where they are stored: a well-known person's rows never leave the database.
    aliases = db.run("SELECT alias, COUNT(*) FROM person_aliases WHERE person_id = ? GROUP BY alias",
                     (person_id,)).fetchall()
    reasons = db.run("SELECT reason, COUNT(*) FROM person_members WHERE person_id = ? GROUP BY reason",
                     (person_id,)).fetchall()
    return PersonTallies(_most_first(aliases), _most_first(reasons))


def _most_first(rows: Sequence[tuple]) -> tuple[tuple[str, int], ...]:
    # Ties in Python's text order, the same on every backend (a database orders text by its collation).
    return tuple(sorted(((str(t), int(n)) for t, n in rows), key=lambda tn: (-tn[1], tn[0])))


def _listed_person(db: Connection, person_id: str) -> bool:
    return db.run(f"SELECT 1 FROM persons WHERE id = ? AND {_LIVE} AND articles > 0", (person_id,)).fetchone() is not None


def people_of(db: Connection, article_ids: Sequence[str], whole_below: int | None = None) -> list[Identity]:
    ids = [r[0] for r in db.rows_in("SELECT DISTINCT person_id FROM person_members WHERE article_id IN", article_ids)]
    return _by_ids(db, ids, whole_below, article_ids)


def people_by_keys(db: Connection, keys: Sequence[str], whole_below: int | None = None,
                   among: Sequence[str] = ()) -> list[Identity]:
    return _by_ids(db, sorted(person_ids_by_keys(db, keys)), whole_below, among)


def person_ids_by_keys(db: Connection, keys: Sequence[str]) -> set[str]:
    return {r[0] for r in db.rows_in(f"SELECT DISTINCT k.person_id FROM person_keys k JOIN persons p ON p.id = k.person_id "
                                      f"AND p.{_LIVE} WHERE k.name_key IN", keys)}


def person_members(db: Connection, person_id: str, limit: int | None, offset: int) -> list[tuple[str, str]]:
    sql, params = db.paged("SELECT article_id, entity_id FROM person_members WHERE person_id = ? "
                           "ORDER BY article_id, entity_id", [person_id], limit, offset)
    return [(r[0], r[1]) for r in db.run(sql, params).fetchall()]


def person_article_counts(db: Connection, ids: Sequence[str]) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in db.rows_in(f"SELECT id, articles FROM persons WHERE {_LIVE} AND id IN", ids)}


def person_sizes(db: Connection, ids: Sequence[str]) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in db.rows_in(
        "SELECT person_id, COUNT(*) FROM person_members WHERE person_id IN", ids, " GROUP BY person_id")}


def known_person_ids(db: Connection, ids: Sequence[str]) -> set[str]:
    return {r[0] for r in db.rows_in("SELECT id FROM persons WHERE id IN", ids)}


def _by_ids(db: Connection, ids: Sequence[str], whole_below: int | None = None,
            among: Sequence[str] = ()) -> list[Identity]:
    rows = db.rows_in(f"SELECT {_PERSON_COLUMNS} FROM persons WHERE {_LIVE} AND id IN", sorted(set(ids)))
    return sorted(_identities(db, rows, whole_below, among), key=lambda i: i.id)


def _identities(db: Connection, rows: Sequence[tuple], whole_below: int | None = None,
                among: Sequence[str] = ()) -> list[Identity]:
    pids = [r[0] for r in rows]
    if whole_below is None:
        big: set[str] = set()
    elif whole_below <= 1:  # every identity (each holds a member): no need to count them
        big = set(pids)
    else:
        big = {pid for pid, n in person_sizes(db, pids).items() if n >= whole_below}
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person_id, article_id, entity_id in db.rows_in(
            "SELECT person_id, article_id, entity_id FROM person_members WHERE person_id IN",
            [pid for pid in pids if pid not in big]):
        members[person_id].append((article_id, entity_id))
    if big and among:
        # A big identity's members in the articles asked about only: it may hold hundreds of
        # thousands, and the people step needs no more of it (link/people/incremental.py).
        for person_id, article_id, entity_id in db.rows_in(
                "SELECT person_id, article_id, entity_id FROM person_members WHERE article_id IN", among):
            if person_id in big:
                members[person_id].append((article_id, entity_id))
    return [Identity(id=r[0], name=r[1], type=r[2], aliases=tuple(json.loads(r[3])), roles=tuple(json.loads(r[4])),
                     members=tuple(sorted(members.get(r[0], ()))), merges=tuple(json.loads(r[5]))) for r in rows]


def _json(value: Any) -> str:
    return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
