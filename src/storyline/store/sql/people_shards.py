"""What the people step's sharded run (link/people/sharded.py) reads and writes besides a
batch's identities: the surname keys of every article of the run, written before any shard
runs; which articles were done before; which entities a shard has assigned already; the
identities under each name key; and the run's articles marked done once every shard is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyline.store.sql import people
from storyline.store.sql.connection import Connection


def put_surnames(db: Connection, articles: Sequence[str], surnames: Mapping[str, Sequence[str]],
                 places: Mapping[str, Sequence[str]] | None = None) -> None:
    with db.writing(f"writing the people of {len(articles)} articles"):
        people.put_surnames(db, articles, surnames)
        if places is not None:
            people.put_places(db, articles, places)


def people_done_among(db: Connection, article_ids: Sequence[str]) -> set[str]:
    return {r[0] for r in db.rows_in("SELECT article_id FROM people_done WHERE article_id IN", article_ids)}


def assigned_members(db: Connection, members: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    wanted = set(members)
    rows = db.rows_in("SELECT article_id, entity_id FROM person_members WHERE article_id IN",
                      sorted({a for a, _ in wanted}))
    return {(r[0], r[1]) for r in rows} & wanted


def person_ids_by_key(db: Connection, keys: Sequence[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for key, pid in db.rows_in(f"SELECT k.name_key, k.person_id FROM person_keys k JOIN persons p ON p.id = "
                               f"k.person_id AND p.{people.LIVE} WHERE k.name_key IN", keys):
        out[key].add(pid)
    return dict(out)


def mark_people_done(db: Connection, article_ids: Sequence[str], version: str) -> None:
    with db.writing(f"marking {len(article_ids)} articles' people done"):
        people.mark_done(db, article_ids, version)
