"""The story-facts part of the Store contract (migration 010): stored facts round-trip and are
replaced, analysis stamps, and which stories' facts are due. Runs on memory, SQLite and
PostgreSQL (conftest.any_store)."""

from __future__ import annotations

import time

import pytest

from storyline.records import Analysis, ReusePair, Story
from storyline.store.base import now_precise
from storyline.store import StoreError
from storyline.store.records import Membership, StoryFacts, ValuePairEntry
from tests.store.test_contract import make_article


@pytest.fixture
def store(any_store):
    return any_store


def _two_stories(store):
    a, b, c = (make_article(f"Body number {n} of a story about the harbour.") for n in range(3))
    store.add_articles([a, b, c])
    store.put_analyses([Analysis(a.id), Analysis(b.id), Analysis(c.id)], "an1")
    big = Story(a.id, "Harbour", (a.id, b.id))
    small = Story(c.id, "Mudflats", (c.id,))
    members = [Membership(a.id, a.id, 0), Membership(b.id, a.id, 1), Membership(c.id, c.id, 2)]
    store.put_stories([big, small], members, [], "1", "2026-03-12T00:00:00+00:00")
    return a, b, c


def test_value_pairs_round_trip_by_pair_and_version_and_are_replaced(store):
    a, b, c = (make_article(f"Value pair body {n}.") for n in range(3))
    store.add_articles([a, b, c])
    x, y, z = sorted([a.id, b.id, c.id])
    one = ValuePairEntry(x, y, "6/1", "s" * 16, "t" * 16, '{"changes": ["12 → 13 “hurt”"]}')
    two = ValuePairEntry(x, z, "6/1", "s" * 16, "u" * 16, None)
    store.put_value_pairs([one, two])
    assert sorted(store.value_pairs([(x, y), (x, z), (y, z)], "6/1")) == [one, two]
    assert store.value_pairs([(x, y)], "5") == []  # another version is not returned
    assert store.value_pairs([(y, x)], "6/1") == []  # ids in order only
    newer = one._replace(second_stamp="v" * 16, evidence=None)
    store.put_value_pairs([newer])
    assert store.value_pairs([(x, y)], "6/1") == [newer]
    with pytest.raises(StoreError):
        store.put_value_pairs([ValuePairEntry(x, "no-such-article", "6/1", "s", "t", None), two._replace(evidence="{}")])
    assert store.value_pairs([(x, z)], "6/1") == [two]  # the refused call wrote nothing
    store.put_value_pairs([])


def test_facts_round_trip_and_are_replaced(store):
    doc = {"notes": ["Zoë’s “quote”", "\u00e9"], "quotes": [["Ana", [{"start": 1}]]], "n": 1.5}
    store.put_story_facts([StoryFacts("s1", "state-a", "1", "2026-03-12T00:00:00.000001+00:00", doc)])
    assert store.story_facts(["s1", "unknown"]) == [StoryFacts("s1", "state-a", "1", "2026-03-12T00:00:00.000001+00:00", doc)]
    store.put_story_facts([StoryFacts("s1", "state-b", "2", "2026-03-13T00:00:00.000001+00:00", {"x": []}),
                           StoryFacts("s2", "state-c", "2", "2026-03-13T00:00:00.000001+00:00", {})])
    assert sorted(store.story_facts(["s1", "s2"])) == [
        StoryFacts("s1", "state-b", "2", "2026-03-13T00:00:00.000001+00:00", {"x": []}),
        StoryFacts("s2", "state-c", "2", "2026-03-13T00:00:00.000001+00:00", {})]
    store.put_story_facts([], removed=["s1"])
    assert [f.story_id for f in store.story_facts(["s1", "s2"])] == ["s2"]


def test_analysis_stamps(store):
    a, b, c = _two_stories(store)
    stamps = {s.article_id: s for s in store.analysis_stamps([a.id, b.id, "nope"])}
    assert set(stamps) == {a.id, b.id}
    assert stamps[a.id].version == "an1" and stamps[a.id].analysed_at


def _next_second() -> str:
    """Now, once the current second is over: stories and pairs are stamped to the second, and a
    change in the same second as a build counts as after it (the rule errs on rebuilding)."""
    time.sleep(1.01 - time.time() % 1)
    return now_precise()


def test_due_lists_missing_stale_and_changed_stories(store):
    a, b, c = _two_stories(store)
    assert store.story_facts_due("1") == [a.id, c.id]  # none built; largest first
    assert store.story_facts_due("1", limit=1) == [a.id]
    built = _next_second()
    store.put_story_facts([StoryFacts(a.id, "s", "1", built, {}), StoryFacts(c.id, "s", "0", built, {})])
    assert store.story_facts_due("1") == [c.id]  # c's facts are by an older version

    store.put_story_facts([StoryFacts(c.id, "s", "1", built, {})])
    assert store.story_facts_due("1") == []
    store.put_analyses([Analysis(b.id)], "an2")  # a member analysed again
    assert store.story_facts_due("1") == [a.id]

    store.put_story_facts([StoryFacts(a.id, "s", "1", _next_second(), {})])
    assert store.story_facts_due("1") == []
    store.put_reuse([ReusePair(a.id, c.id, "independent", 0.5, 0.1)], "1")  # a pair with members compared
    assert store.story_facts_due("1") == [a.id, c.id]

    built = _next_second()
    store.put_story_facts([StoryFacts(a.id, "s", "1", built, {}), StoryFacts(c.id, "s", "1", built, {})])
    assert store.story_facts_due("1") == []
    # The story changed (a member joined) after its facts were built.
    store.put_stories([Story(c.id, "Mudflats", (c.id,))], [], [], "1", "3000-01-01T00:00:00+00:00")
    assert store.story_facts_due("1") == [c.id]


def test_merged_and_cleared_stories_lose_their_facts(store):
    a, b, c = _two_stories(store)
    store.put_story_facts([StoryFacts(a.id, "s", "1", now_precise(), {}), StoryFacts(c.id, "s", "1", now_precise(), {})])
    merged = Story(a.id, "Harbour", (a.id, b.id, c.id))
    store.put_stories([merged], [Membership(c.id, a.id, 2)], [c.id], "1", "2026-03-13T00:00:00+00:00")
    assert [f.story_id for f in store.story_facts([a.id, c.id])] == [a.id]
    store.clear_stories()
    assert store.story_facts([a.id]) == []
