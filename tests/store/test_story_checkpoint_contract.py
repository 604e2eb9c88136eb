"""The Store contract for incremental story clustering, on every implementation (memory, SQLite,
PostgreSQL): the articles still to cluster, the entities of given articles, and the clusterer's
checkpoint, written in one transaction with the memberships it follows."""

from __future__ import annotations

import dataclasses

import pytest
from test_contract import make_article, sample_analysis

from storyline.records import Analysis, Story
from storyline.store import StoreError
from storyline.store.records import CheckpointPart, Membership, StoryCheckpoint, StoryMerge

CHECKPOINT = StoryCheckpoint("1", 2, '{"format": 1, "x": [1.5, null]}', b"\x00\x01\x02\xff" * 3, b"\xfe" * 8)


def _three(store) -> list[str]:
    ids = [store.add_articles([make_article(f"article number {k}")])[0].article_id for k in range(3)]
    return ids


def test_unclustered_by_version_in_store_order_with_a_limit(any_store):
    a, b, c = _three(any_store)
    assert any_store.unclustered("1") == [a, b, c]
    any_store.put_stories([], [Membership(b, b, 0)], [], "1", "2026-01-01T00:00:00+00:00")
    any_store.put_stories([], [Membership(c, c, 1)], [], "0", "2026-01-01T00:00:00+00:00")
    assert any_store.unclustered("1") == [a, c]
    assert any_store.unclustered("1", limit=1) == [a]
    assert any_store.unclustered("0") == [a, b]


def test_entities_of_given_articles_in_article_then_analyzer_order(any_store):
    a, b, c = _three(any_store)
    any_store.put_analyses([sample_analysis(c, speaker="Zed Young"), sample_analysis(a), Analysis(b)], "v")
    found = any_store.entities_of([c, b, a, "unknown"])
    assert [x.article_id for x in found] == [a, a, a, c, c, c]
    assert [x.entity.name for x in found[:3]] == ["Ana Ortiz", "Port Selby Council", "Port Selby"]
    assert found[3].entity == sample_analysis(c, speaker="Zed Young").entities[0]
    assert any_store.entities_of([]) == []


def test_the_checkpoint_is_written_with_the_memberships_and_round_trips(any_store):
    a, b, _ = _three(any_store)
    assert any_store.story_checkpoint() is None
    story = Story(id=a, label="A story", article_ids=(a, b))
    any_store.put_stories([story], [Membership(a, a, 0), Membership(b, a, 1)], [], "1", "2026-01-01T00:00:00+00:00",
                          CHECKPOINT)
    assert any_store.story_checkpoint() == CHECKPOINT
    later = CHECKPOINT._replace(next_seq=3, state="{}", vectors=b"", sums=b"")
    any_store.put_stories([], [], [], "1", "2026-01-01T00:00:00+00:00", later)  # the checkpoint alone
    assert any_store.story_checkpoint() == later
    any_store.clear_stories()
    assert any_store.story_checkpoint() is None


def test_a_delta_checkpoint_replaces_and_drops_parts_and_leaves_the_others(any_store):
    a, b, _ = _three(any_store)  # noqa: F841 - the third is a member in a refused batch
    t = "2026-01-01T00:00:00+00:00"
    p1, p2, p3 = (CheckpointPart(k, '{"k": "%s"}' % k, bytes([n]) * 4) for n, k in enumerate(("s/a", "i/1", "i/2")))
    whole = StoryCheckpoint("1", 2, '{"format": 3}', parts=(p2, p1, p3), token="t1")
    any_store.put_stories([], [Membership(a, a, 0)], [], "1", t, whole)
    assert any_store.story_checkpoint() == whole._replace(parts=(p2, p3, p1))  # read in key order
    p1b, p4 = CheckpointPart("s/a", '{"k": 2}', b""), CheckpointPart("i/3", "[]", b"\x07")
    delta = StoryCheckpoint("1", 3, '{"format": 3, "n": 3}', parts=(p1b, p4), dropped=("i/1",), whole=False,
                            token="t2", base="t1")
    any_store.put_stories([], [Membership(b, a, 1)], [], "1", t, delta)
    assert any_store.story_checkpoint() == StoryCheckpoint("1", 3, '{"format": 3, "n": 3}', parts=(p3, p4, p1b),
                                                           token="t2")
    assert any_store.story_checkpoint_token() == ("1", "t2")
    # A delta over another checkpoint than the stored one (another run wrote meanwhile) is
    # refused, with its batch.
    with pytest.raises(StoreError, match="another run"):
        any_store.put_stories([], [Membership(_, a, 2)], [], "1", t, delta._replace(parts=(), dropped=("i/2",)))
    assert len(any_store.story_checkpoint().parts) == 3 and len(any_store.story_members()) == 2
    # A refused batch writes none of its delta.
    with pytest.raises(StoreError):
        any_store.put_stories([], [Membership("no-such-article", a, 2)], [], "1", t,
                              delta._replace(next_seq=9, parts=(), dropped=("i/2", "i/3"), token="t3", base="t2"))
    assert len(any_store.story_checkpoint().parts) == 3
    # Written whole again: the parts not in it are gone.
    any_store.put_stories([], [], [], "1", t, whole._replace(parts=(p4,)))
    assert any_store.story_checkpoint().parts == (p4,)
    any_store.clear_stories()
    assert any_store.story_checkpoint() is None and any_store.story_checkpoint_token() is None
    any_store.put_stories([], [], [], "1", t, StoryCheckpoint("1", 0, "{}"))
    assert any_store.story_checkpoint().parts == ()


def test_a_refused_batch_keeps_the_old_checkpoint(any_store):
    a, _, _ = _three(any_store)
    any_store.put_stories([], [Membership(a, a, 0)], [], "1", "2026-01-01T00:00:00+00:00", CHECKPOINT)
    with pytest.raises(StoreError):
        any_store.put_stories([], [Membership("no-such-article", a, 1)], [], "1", "2026-01-01T00:00:00+00:00",
                              CHECKPOINT._replace(next_seq=9))
    assert any_store.story_checkpoint() == CHECKPOINT
    assert [m.article_id for m in any_store.story_members()] == [a]


def test_membership_evidence_is_kept_when_a_merge_moves_the_member_and_merges_resolve(any_store):
    """Why an article joined is stored with its membership; a merge rewrites the membership
    without evidence (None) and the stored evidence stays; the absorbed story's id is recorded
    with the story it went into; clear_stories forgets both."""
    a, b, c = _three(any_store)
    t = "2026-01-01T00:00:00+00:00"
    why_b = '{"kind":"joined","story":"%s","score":1.9}' % a
    any_store.put_stories([Story(id=a, label="A", article_ids=(a, b)), Story(id=c, label="C", article_ids=(c,))],
                          [Membership(a, a, 0, '{"kind":"founded"}'), Membership(b, a, 1, why_b),
                           Membership(c, c, 2, '{"kind":"founded"}')], [], "1", t)
    assert any_store.member_evidence([b, "unknown"]) == {b: why_b}
    merge = StoryMerge(c, a, t, '{"absorbed":"%s","into":"%s","rule":"converge"}' % (c, a))
    any_store.put_stories([Story(id=a, label="A", article_ids=(a, b, c))], [Membership(c, a, 2)], [c], "1", t,
                          merges=[merge])
    assert any_store.member_evidence([a, b, c]) == {a: '{"kind":"founded"}', b: why_b, c: '{"kind":"founded"}'}
    assert any_store.story_merge(c) == merge and any_store.story_merge(a) is None
    assert any_store.story_merges_of([a, c, "unknown", c]) == {c: merge} and any_store.story_merges_of([]) == {}
    assert any_store.story(c) is None and any_store.story_of(c) == a
    assert [m.evidence for m in any_store.story_members()] == [None, None, None]  # replay reads no JSON
    any_store.clear_stories()
    assert any_store.story_merge(c) is None and any_store.member_evidence([a, b, c]) == {}


def test_publication_dates_and_heads_in_store_order_without_bodies(any_store):
    arts = [make_article("Third day.", published="2026-03-03"), make_article("Undated."),
            make_article("First day.", published="2026-03-01")]
    any_store.add_articles(arts)
    a, b, c = (x.id for x in arts)
    # Asked in any order, given in the order the articles were stored (the order ties keep).
    assert list(any_store.publication_dates([c, "unknown", a, b]).items()) == [(a, "2026-03-03"), (b, None),
                                                                              (c, "2026-03-01")]
    heads = any_store.article_heads([c, "unknown", a])
    whole = any_store.articles(ids=[c, a])
    assert [h.id for h in heads] == [a, c] and all(h.body == "" for h in heads)
    assert [dataclasses.replace(h, body=w.body) for h, w in zip(heads, whole)] == whole


def test_titled_finds_a_story_s_headline_article_in_store_order(any_store):
    arts = [make_article("One.", title="Ferry sold "), make_article("Two.", title="Ferry sold to islanders"),
            make_article("Three.", title=" Ferry sold"), make_article("Four.")]
    any_store.add_articles(arts)
    a, b, c, d = (x.id for x in arts)
    # Surrounding whitespace ignored, the rest exact; asked in any order, given in store order.
    assert any_store.titled([d, c, "unknown", b, a], "Ferry sold") == [a, c]
    assert any_store.titled([a, b], "ferry sold") == [] and any_store.titled([d], "Ferry sold") == []
