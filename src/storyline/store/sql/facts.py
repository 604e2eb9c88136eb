"""Story facts queries: the stored facts of stories (link/stories/facts.py), the analysis stamps
their state is made from, and which stories' facts may be out of date."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storyline.store.records import AnalysisStamp, StoryFacts, ValuePairEntry
from storyline.store.sql import changes
from storyline.store.sql.connection import Connection

# Times are compared to the second (the first 19 characters of an ISO time): stories and reuse
# pairs are stamped to the second, analyses and facts to the microsecond. A change in the same
# second as a build counts as later, so a story is never missed (at worst it is checked again).
_SINCE_BUILT = "substr({0}, 1, 19) >= substr(f.built_at, 1, 19)"
_DUE = (
    "SELECT s.id FROM stories s LEFT JOIN story_facts f ON f.story_id = s.id "
    "WHERE (f.story_id IS NULL OR f.version <> ? OR " + _SINCE_BUILT.format("s.updated_at") + " "
    "OR EXISTS (SELECT 1 FROM story_members m JOIN analyses a ON a.article_id = m.article_id "
    "WHERE m.story_id = s.id AND " + _SINCE_BUILT.format("a.analysed_at") + ") "
    "OR EXISTS (SELECT 1 FROM story_members m JOIN reuse_pairs r ON r.first_id = m.article_id "
    "WHERE m.story_id = s.id AND " + _SINCE_BUILT.format("r.compared_at") + ") "
    "OR EXISTS (SELECT 1 FROM story_members m JOIN reuse_pairs r ON r.second_id = m.article_id "
    "WHERE m.story_id = s.id AND " + _SINCE_BUILT.format("r.compared_at") + "))"
)


def analysis_stamps(db: Connection, ids: Sequence[str]) -> list[AnalysisStamp]:
    rows = db.rows_in("SELECT article_id, version, analysed_at FROM analyses WHERE article_id IN", list(ids))
    return [AnalysisStamp(*r) for r in rows]


def put_story_facts(db: Connection, facts: Sequence[StoryFacts], removed: Sequence[str] = ()) -> None:
    if not facts and not removed:
        return
    with db.writing(f"writing the facts of {len(facts)} stories"):
        for story_id in removed:
            db.run("DELETE FROM story_facts WHERE story_id = ?", (story_id,))
        changes.log(db, "story", removed)  # facts gone: the story is due again (if it still exists)
        db.run_many(
            "INSERT INTO story_facts (story_id, state, version, built_at, facts, coverage_first, coverage_last) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (story_id) DO UPDATE SET state = excluded.state, version = excluded.version, "
            "built_at = excluded.built_at, facts = excluded.facts, coverage_first = excluded.coverage_first, "
            "coverage_last = excluded.coverage_last",
            [(f.story_id, f.state, f.version, f.built_at, json.dumps(f.facts, ensure_ascii=False),
              f.coverage_first, f.coverage_last) for f in facts],
        )


def story_facts(db: Connection, story_ids: Sequence[str]) -> list[StoryFacts]:
    rows = db.rows_in("SELECT story_id, state, version, built_at, facts, coverage_first, coverage_last "
                      "FROM story_facts WHERE story_id IN", list(story_ids))
    return [StoryFacts(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]


def value_pairs(db: Connection, pairs: Sequence[tuple[str, str]], version: str) -> list[ValuePairEntry]:
    # By first id (indexed), the second checked here: a story's pairs share few first ids.
    wanted = set(pairs)
    rows = db.rows_in("SELECT first_id, second_id, version, first_stamp, second_stamp, evidence "
                      "FROM value_pairs WHERE first_id IN", sorted({a for a, _ in wanted}))
    return [ValuePairEntry(*r) for r in rows if (r[0], r[1]) in wanted and r[2] == version]


def put_value_pairs(db: Connection, entries: Sequence[ValuePairEntry]) -> None:
    if not entries:
        return
    with db.writing(f"writing {len(entries)} value pairs"):
        db.run_many(
            "INSERT INTO value_pairs (first_id, second_id, version, first_stamp, second_stamp, evidence) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (first_id, second_id) DO UPDATE SET version = excluded.version, "
            "first_stamp = excluded.first_stamp, second_stamp = excluded.second_stamp, evidence = excluded.evidence",
            [tuple(e) for e in entries])


def story_facts_due(db: Connection, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
    return [r[0] for r in db.due(_DUE, "s.size DESC, s.id", [version], limit=limit, among=among, columns=("s.id",))]
