"""Due work from the change log (run/due.py, store/schema/016_changes.sql): a step with a
cursor finds exactly what a full scan finds, keeps what failed, scans again after a version
change; and on PostgreSQL a change committed out of sequence order is never skipped."""

from __future__ import annotations

import dataclasses

from helpers import write_text_articles
from store.test_contract import make_article
from storyline.records import Problem
from storyline.run.due import due
from storyline.run.local import run_step
from storyline.run.step import BatchResult, Step, named
from storyline.store import open_store
from storyline.store.records import StepCursor
from storyline.store.sql import changes


def _same_due(store, step) -> list:
    """The step's due keys from the log, after checking that a full scan finds the same ones.
    Story facts built in the same second as a change count as due again (store/sql/facts.py:
    never missed, at worst checked again): they are left out of the emptiness checks."""
    found = due(store, step)
    assert not found.scanned, f"{step.name} scanned although it has a cursor of its version"
    assert sorted(found.keys) == sorted(step.due(store)), step.name
    return [] if step.name == "story_facts" and not _stale_facts(store, found.keys) else found.keys


def _stale_facts(store, story_ids) -> list:
    """Those stories whose stored facts are missing or of another state than now."""
    from storyline.link.stories.facts import FACTS_VERSION, fact_state

    stored = {f.story_id: f for f in store.story_facts(story_ids)}
    return [s for s in story_ids if s not in stored or stored[s].version != FACTS_VERSION
            or stored[s].state != fact_state(store, store.story(s))]


def test_each_step_finds_from_the_log_what_a_scan_finds(desk, tmp_path):
    write_text_articles(tmp_path / "in", 3)
    desk.ingest([tmp_path / "in"], analyze=False)
    first = desk.link()  # no cursors yet: every step scans, then stores its cursor
    assert first.of("analyze").done == 3 and first.of("stories").done == 3
    steps = desk.steps()
    for step in steps:
        assert _same_due(desk.store, step) == []

    # New articles: each step, run in turn, is due exactly what the scan says.
    write_text_articles(tmp_path / "more", 2, start=3)
    desk.ingest([tmp_path / "more"], analyze=False)
    for step in steps:
        keys = _same_due(desk.store, step)
        if step.name in ("analyze", "embed", "fingerprint", "candidates", "stories", "people"):
            assert len(keys) == 2, step.name
        run_step(desk.store, step)
        assert _same_due(desk.store, step) == []

    # One article analysed again (a correction, or a new analyzer for it): the steps that read
    # analyses (compare, people, story facts) find it from the log.
    aid = desk.store.articles(limit=1)[0].id
    analysis = desk.store.analysis(aid)
    desk.store.put_analyses([analysis], desk.analysing.version)
    later = {s.name: s for s in steps}
    assert _same_due(desk.store, later["people"]) == [aid]
    assert len(_same_due(desk.store, later["story_facts"])) == 1
    report = desk.link()
    assert report.of("people").done == 1 and report.of("analyze").due == 0
    for step in steps:
        assert _same_due(desk.store, step) == []


def test_a_failed_key_stays_due_and_a_new_version_scans(any_store):
    any_store.add_articles(_articles(3))
    failing: set[str] = set()
    done: set[str] = set()
    step = _probe(failing, done)
    ids = [a.id for a in any_store.articles()]
    failing.add(ids[0])
    report = run_step(any_store, step)
    assert report.due == 3 and report.done == 2 and [p.source for p in report.problems] == [ids[0]]
    cursor = any_store.step_cursor("probe")
    assert cursor.version == "1" and list(cursor.pending) == [ids[0]]
    # No new change, yet the failed key is due again; once it succeeds, nothing is.
    assert due(any_store, step).keys == [ids[0]] and not due(any_store, step).scanned
    failing.clear()
    assert run_step(any_store, step).done == 1
    assert due(any_store, step).keys == [] and any_store.step_cursor("probe").pending == ()
    # A new version of the step scans (its cursor is of the old one).
    done.clear()
    newer = dataclasses.replace(step, version="2")
    assert due(any_store, newer).scanned and len(due(any_store, newer).keys) == 3
    # Pruning keeps what a cursor has not read.
    any_store.add_articles(_articles(1, start=3))
    any_store.prune_changes()
    assert any_store.changed_keys(["article"], any_store.step_cursor("probe").position)["article"] == [
        a.id for a in any_store.articles()][3:]


def test_cursors_round_trip_pairs(any_store):
    any_store.put_step_cursor(StepCursor("compare", "3", 7, (("a", "b"), ("c", "d"))))
    assert any_store.step_cursor("compare") == StepCursor("compare", "3", 7, (("a", "b"), ("c", "d")))
    any_store.put_step_cursor(StepCursor("compare", "4", 9, ()))
    assert any_store.step_cursor("compare") == StepCursor("compare", "4", 9, ())
    assert any_store.step_cursor("never") is None


def test_postgres_change_committed_out_of_order_is_read(postgres_url):
    """Transaction A logs a change first but commits last; C logs and commits in between. A
    position read while A is open must not skip A's change (a position that is the highest
    sequence number seen would)."""
    a, b, c = (open_store(postgres_url) for _ in range(3))
    try:
        start = b.change_position()
        with a.db.writing("a slow writer"):
            changes.log(a.db, "article", ["slow"])
            with c.db.writing("a quick writer"):
                changes.log(c.db, "article", ["quick"])
            seen = b.changed_keys(["article"], start)["article"]
            middle = b.change_position()
        assert seen == ["quick"]
        assert "slow" in b.changed_keys(["article"], middle)["article"]
    finally:
        for store in (a, b, c):
            store.close()


def _articles(count: int, start: int = 0) -> list:
    return [make_article(f"Probe article number {i} for the change log.") for i in range(start, start + count)]


def _probe(failing: set[str], done: set[str]) -> Step:
    """A step over articles that does nothing but remember what it did (and refuses
    ``failing``), watching stored articles: the log's bookkeeping without any model."""

    def run(store, keys):
        result = BatchResult()
        for key in keys:
            if key in failing:
                result.problems.append(Problem(key, "refused by the test"))
            else:
                done.add(key)
                result.done += 1
        return result

    return Step("probe", "1", "article", (), (), run=run, watches=("article",),
                due=lambda store: [a.id for a in store.articles() if a.id not in done],
                due_among=lambda store, changed, pending: [
                    a for a in dict.fromkeys(named(changed, pending, "article")) if a not in done])


def test_a_cursor_ahead_of_the_log_scans_and_stops_pruning(any_store):
    """A store restored into another PostgreSQL cluster carries cursors whose transaction ids
    the new cluster has not reached: the step scans in full, and nothing is pruned meanwhile."""
    any_store.add_articles(_articles(2))
    step = _probe(set(), set())
    ahead = any_store.change_position() + 10**9
    any_store.put_step_cursor(StepCursor("probe", "1", ahead, ()))
    found = due(any_store, step)
    assert found.scanned and len(found.keys) == 2
    assert any_store.prune_changes() == 0 and len(any_store.changed_keys(["article"], 0)["article"]) == 2
    assert run_step(any_store, step).done == 2
    assert any_store.step_cursor("probe").position <= any_store.change_position()


def test_a_full_scan_holds_the_log_against_another_process_prune(any_store):
    """A step's first full scan is under way when an article arrives and another process
    prunes: the scan's claim keeps the article's change, so the next run does it."""
    from storyline.run.due import SCANNING, claim, settle

    any_store.add_articles(_articles(2))
    done: set[str] = set()
    step = _probe(set(), done)
    todo = due(any_store, step)  # the scan reads two articles...
    claim(any_store, step, todo)
    assert any_store.step_cursor("probe").version == SCANNING
    any_store.add_articles(_articles(1, start=2))  # ...one arrives meanwhile...
    other = StepCursor("other", "1", any_store.change_position(), ())
    any_store.put_step_cursor(other)
    any_store.prune_changes()  # ...and another process prunes what its own step has read
    for key in todo.keys:
        done.add(key)
    settle(any_store, step, todo)
    assert due(any_store, step).keys == [_articles(1, start=2)[0].id]


def test_two_overlapping_runs_of_a_step_keep_each_others_failures(any_store):
    from storyline.run.due import settle

    any_store.add_articles(_articles(3))
    ids = [a.id for a in any_store.articles()]
    done: set[str] = set()
    run_step(any_store, _probe(set(), done))  # a cursor to start from
    any_store.add_articles(_articles(2, start=3))
    new = [a.id for a in any_store.articles()][3:]
    slow, quick = _probe(set(), done), _probe({new[0]}, done)
    slow_todo = due(any_store, slow)
    quick_todo = due(any_store, quick)
    done.add(new[1])  # the quick run does one and fails the other...
    settle(any_store, quick, quick_todo)
    assert any_store.step_cursor("probe").pending == (new[0],)
    settle(any_store, slow, slow_todo)  # ...then the slow one, which did nothing, ends
    assert new[0] in any_store.step_cursor("probe").pending and new[0] in due(any_store, slow).keys
    assert set(ids) <= done  # the first run did the first three


def test_a_step_with_nothing_due_writes_nothing(any_store):
    any_store.add_articles(_articles(2))
    step = _probe(set(), set())
    run_step(any_store, step)
    before = any_store.step_cursor("probe")
    report = run_step(any_store, step)
    assert report.due == 0 and any_store.step_cursor("probe") == before


def test_many_changed_keys_come_in_the_scan_order(store):
    """More keys than one restricted query takes: the scan's order all the same (the people and
    story steps depend on it)."""
    from storyline.store.sql.connection import IDS_PER_QUERY

    store.add_articles(_articles(IDS_PER_QUERY + 20))
    ids = store.unanalysed()
    assert len(ids) == IDS_PER_QUERY + 20
    assert store.unanalysed(among=ids[::-1]) == ids
    every_other = ids[1::2]
    assert store.unanalysed(among=every_other[::-1]) == every_other
