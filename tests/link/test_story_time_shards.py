"""The story step by time shards (link/stories/time_shards.py): a plan that takes every due
article once, in order; shards run in any order store the same stories (what lets Ray run them
side by side); a sharded round hands on a state the next run continues from as if one clusterer
had taken the round; the merge step joins two stored stories a shard's own articles joined; a
round that fails part way stores nothing and the next run does it whole."""

from __future__ import annotations

import pytest

from story_synth import corpus, store_batch

from storyline.link.stories import scan, time_shards
from storyline.link.stories.cluster import StoryClusterer
from storyline.link.stories.shard_join import join
from storyline.link.stories.shard_plan import Shard, ShardResult, plan_round
from storyline.run.local import run_step
from storyline.run.story_steps import STORIES
from storyline.store import open_store


@pytest.fixture
def small_shards(monkeypatch):
    """Rounds of shards of at least 150 articles, each replaying 40 of the one before."""
    monkeypatch.setenv("STORYLINE_STORY_SHARD_MIN", "150")
    monkeypatch.setenv("STORYLINE_STORY_LEAD", "40")


def memberships(store) -> list[tuple]:
    return [(m.article_id, m.story_id, m.seq) for m in store.story_members()]


def summaries(store) -> list[tuple]:
    return sorted((s.id, s.label, s.article_ids, s.first, s.last) for s in store.stories())


def test_a_round_takes_every_due_article_once_in_order():
    due = [f"a{n}" for n in range(1000)]
    shards = plan_round(due, 70, "tok", shards=4, shard_min=200, lead=30)
    assert [len(s.own) for s in shards] == [250, 250, 250, 250]
    assert [a for s in shards for a in s.own] == due
    assert shards[-1].keep and all(s.keep for s in shards)  # all within the window of the end
    assert shards[0].lead == () and shards[0].first_seq == 70
    for before, shard in zip(shards, shards[1:]):
        assert shard.lead == before.own[-30:]  # the lead-in: the end of the shard before
        assert shard.first_seq + len(shard.lead) == 70 + due.index(shard.own[0])  # numbered as one stream
    assert plan_round(due[:399], 0, "", shards=4, shard_min=200, lead=30) == []  # fewer than two shards' worth
    # A lead-in never reaches back more than LEAD_S before the shard's first article.
    times = {a: n * 86_400.0 for n, a in enumerate(due)}
    dated = plan_round(due, 0, "", shards=4, shard_min=200, lead=60, times=times)
    assert [len(s.lead) for s in dated] == [0, 30, 30, 30]
    # Only shards whose stories can still be active at the round's end hand back their state:
    # here, of 100,000 articles ten minutes apart, the last (the one before ends 20,000
    # arrivals and 139 days before the end: out of both windows).
    many = [f"b{n}" for n in range(100_000)]
    spread = plan_round(many, 0, "", shards=5, shard_min=20_000, lead=10,
                        times={a: n * 600.0 for n, a in enumerate(many)})
    assert [s.keep for s in spread] == [False, False, False, False, True]


def test_shards_run_in_any_order_store_the_same_stories(small_shards):
    rows = corpus(700)
    forward, backward = open_store("memory://"), open_store("memory://")
    store_batch(forward, rows)
    store_batch(backward, rows)
    shown = []
    report = run_step(forward, STORIES, progress=lambda n, total, label: shown.append((n, total)))
    assert report.done == 700 and report.counts["story shards"] == 4
    # The bar moves as each shard ends, not only when the round is stored.
    assert shown == [(175, 700), (350, 700), (525, 700), (700, 700), (700, 700)]

    def reversed_map(fn, args, done=None):  # each shard on its own store, the last first
        out = []
        for k in reversed(range(len(args))):
            out.append(fn(backward, *args[k]))
            if done:
                done(k)
        return out[::-1]

    shown.clear()
    run_step(backward, STORIES, store_mapper=reversed_map, progress=lambda n, total, label: shown.append(n))
    assert shown == [175, 350, 525, 700, 700]  # shards ending in any order move it alike
    assert memberships(forward) == memberships(backward)
    assert summaries(forward) == summaries(backward)
    assert forward.story_checkpoint().state == backward.story_checkpoint().state


def test_a_sharded_round_hands_on_the_state_of_one_clusterer(small_shards, any_store, monkeypatch):
    """Topics that run through every shard (each with articles in every lead-in) are one story
    each, as one clusterer makes them; the stored state then holds the round's exact document
    frequencies, and the next articles are placed as they would be after the round in one piece."""
    monkeypatch.setenv("STORYLINE_STORY_LEAD", "150")
    rows = corpus(800)
    serial = open_store("memory://")
    store_batch(serial, rows[:700])
    scan.find_stories(serial)
    store_batch(any_store, rows[:700])
    report = run_step(any_store, STORIES)
    assert report.counts["story shards"] == 4 and report.done == 700
    assert {frozenset(s.article_ids) for s in any_store.stories()} == {frozenset(s.article_ids)
                                                                       for s in serial.stories()}
    one = scan.load_clusterer(serial, write=False)[0]
    joined = scan.load_clusterer(any_store, write=False)[0]
    assert joined.doc_freqs() == one.doc_freqs() and joined.next_arrival == one.next_arrival == 700
    # The next run (fewer than two shards' worth: batch by batch) places the rest alike.
    store_batch(serial, rows[700:])
    store_batch(any_store, rows[700:])
    scan.find_stories(serial)
    run_step(any_store, STORIES)
    assert sorted(memberships(any_store)) == sorted(memberships(serial))
    assert summaries(any_store) == summaries(serial)


def test_the_merge_step_joins_two_stored_stories_a_shard_joined():
    """Two stored stories that a shard's own article brought together after its lead-in are one
    story after the join, the older keeping its id; a story of its own articles only is new."""
    from story_synth import items

    stream = items(6)
    base = StoryClusterer()
    for item in stream[:2]:
        base.add(item)
    held = base.assignments()
    a, b = stream[0].id, stream[1].id
    if held[a] == held[b]:  # the two first articles must be two stories for this test
        base = StoryClusterer.restore(stream[:2], {a: a, b: b})
    own = tuple(i.id for i in stream[2:])
    shard = Shard(0, "t", 2, (), own, True)
    result = ShardResult(0, after_lead={a: "A", b: "B"},
                         final={a: "A", b: "A", own[0]: "A", own[1]: "X", own[2]: "X", own[3]: "A"},
                         why={})
    joined = join(base, [shard], [result])
    assert joined.into == {b: a}
    assert [(m["absorbed"], m["into"], m["rule"], m["by"]) for m in joined.merges] == [(b, a, "time shard", own[0])]
    assert {x: joined.resolve(k) for x, k in joined.story_of.items()} == {own[0]: a, own[1]: own[1], own[2]: own[1],
                                                                         own[3]: a}


def test_a_round_that_fails_part_way_stores_nothing_and_is_done_whole_next_time(small_shards, any_store):
    rows = corpus(700)
    store_batch(any_store, rows)
    reference = open_store("memory://")
    store_batch(reference, rows)
    run_step(reference, STORIES)
    calls = []

    def failing(fn, args, done=None):
        out = []
        for a in args:
            if len(calls) == 2:
                raise RuntimeError("worker lost")
            calls.append(a)
            out.append(fn(any_store, *a))
        return out

    with pytest.raises(RuntimeError, match="worker lost"):
        run_step(any_store, STORIES, store_mapper=failing)
    assert any_store.story_members() == [] and any_store.story_checkpoint() is None
    run_step(any_store, STORIES)
    assert memberships(any_store) == memberships(reference)
    assert summaries(any_store) == summaries(reference)


def test_a_shard_planned_on_another_checkpoint_refuses_to_run(small_shards):
    store = open_store("memory://")
    store_batch(store, corpus(50))
    shard = Shard(0, "not-the-stored-one", 0, (), ("x",), True)
    with pytest.raises(RuntimeError, match="changed since this run was planned"):
        time_shards.run_time_shard(store, shard)


def _bcubed_f1(found: dict[str, str], gold: dict[str, str]) -> float:
    """BCubed F1 of ``found`` against ``gold`` (article -> story, the same articles)."""
    def groups(of):
        out: dict[str, set[str]] = {}
        for a, k in of.items():
            out.setdefault(k, set()).add(a)
        return {a: out[k] for a, k in of.items()}

    f, g = groups(found), groups(gold)
    p = sum(len(f[a] & g[a]) / len(f[a]) for a in gold) / len(gold)
    r = sum(len(f[a] & g[a]) / len(g[a]) for a in gold) / len(gold)
    return 2 * p * r / (p + r)


def test_a_story_quiet_at_the_cut_continues_through_the_stitching(monkeypatch):
    """With no lead-in at all, every topic that runs on after a cut is still found by the
    merge step: the first article of each new story of a shard is scored against the state the
    shard before ended with, and joins the story it continues. Without that step every cut
    splits every topic."""
    monkeypatch.setenv("STORYLINE_STORY_SHARD_MIN", "150")
    monkeypatch.setenv("STORYLINE_STORY_LEAD", "0")
    rows = corpus(700)
    serial = open_store("memory://")
    store_batch(serial, rows)
    scan.find_stories(serial)
    gold = {m.article_id: m.story_id for m in serial.story_members()}

    def sharded() -> dict[str, str]:
        store = open_store("memory://")
        store_batch(store, rows)
        assert run_step(store, STORIES).counts["story shards"] == 4
        return {m.article_id: m.story_id for m in store.story_members()}

    stitched = sharded()
    monkeypatch.setattr(time_shards, "stitch", lambda store, state, founders: {})
    cut = sharded()
    assert len(set(cut.values())) >= 3 * len(set(gold.values()))  # each of the 24 topics cut 3 times or so
    assert _bcubed_f1(stitched, gold) > 0.95 > 0.7 > _bcubed_f1(cut, gold)
    assert len(set(stitched.values())) <= len(set(gold.values())) + 2


def test_every_shard_weighs_words_and_names_as_one_clusterer_at_its_place(small_shards):
    """Each shard starts with the document frequencies of the round's articles before its
    lead-in (counted side by side first), so at its end it holds exactly the counts one
    clusterer holds after the same articles."""
    store = open_store("memory://")
    store_batch(store, corpus(700))
    ended = []

    def keeping(fn, args, done=None):
        out = [fn(store, *a) for a in args]
        if fn is time_shards.run_time_shard:
            ended.extend((shard, StoryClusterer.from_snapshot(result.state).doc_freqs())
                         for (shard, _), result in zip(args, out))
        return out

    run_step(store, STORIES, store_mapper=keeping)
    assert len(ended) == 4
    due = [m.article_id for m in store.story_members()]  # in arrival order
    one = StoryClusterer()
    placed = 0
    for shard, counts in ended:
        upto = due.index(shard.own[-1]) + 1
        one.add_all(scan.items_of(store, due[placed:upto]))
        placed = upto
        assert counts == one.doc_freqs(), shard.index


def test_a_sharded_round_hands_on_no_story_one_clusterer_would_have_retired(small_shards):
    """Stories out of the window at the round's last arrival are not handed on: a bulk load of
    two years kept every story a shard's end state held (the 50k benchmark base: items back to
    ten months before its last article, 3.5x what a batch-built state holds), and every later
    batch restored and scored them."""
    rows = corpus(2600, step_hours=1.0)  # 108 days: stories quiet for 60 days and 2,000 arrivals retire
    serial, sharded = open_store("memory://"), open_store("memory://")
    for store in (serial, sharded):
        store_batch(store, rows)
    scan.find_stories(serial)
    assert run_step(sharded, STORIES).counts["story shards"] > 1
    one = scan.load_clusterer(serial, write=False)[0]
    joined = scan.load_clusterer(sharded, write=False)[0]
    params, last = joined.params, joined.next_arrival - 1

    def stale(clusterer) -> list[str]:
        now = max(s.last_time for s in clusterer._stories.values() if s.last_time is not None)
        return [s.key for s in clusterer._stories.values()
                if last - s.last_seq >= params.window_items
                or (s.last_time is not None and s.last_time < now - params.window_s
                    and last - s.last_seq >= params.hold_items)]

    assert stale(one) == [] and stale(joined) == []
