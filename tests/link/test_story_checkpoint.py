"""The story clusterer's checkpoint: a clusterer restored from it continues exactly as the one it
was taken from, so stories from one run over everything, from runs over batches, from the step
executor and from a run resumed after kill -9 are the same. Synthetic data (tests/story_synth.py),
no model needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest

from story_synth import corpus, items, store_batch

from storyline.link.stories import scan
from storyline.link.stories.cluster import Params, StoryClusterer
from storyline.link.stories.params import DAY
from storyline.run.local import run_steps
from storyline.run.story_steps import STORIES
from storyline.store import open_store


# A short window and hold, so that stories retire within these streams (the defaults keep a
# story for 2,000 arrivals).
SHORT = Params(window_s=7 * DAY, hold_items=40)


# Splits that the synthetic stream does make (40 articles moved): an eager check, small parts.
SPLITTY = replace(SHORT, split_every=4, split_min=2, split_cosine=0.8)


@pytest.mark.parametrize("params", [SHORT, replace(SHORT, profile_s=DAY, profile_members=8), SPLITTY])
def test_a_clusterer_restored_from_its_snapshot_continues_exactly(params):
    stream = items(400, undated_every=9)
    whole = StoryClusterer(params)
    whole.add_all(stream)
    assert len(whole.stories()) > 30  # enough stories, and some retired by the window
    resumed = StoryClusterer(params)
    for start in range(0, len(stream), 37):
        if start:
            resumed = StoryClusterer.from_snapshot(resumed.snapshot("v"), params)
        resumed.add_all(stream[start : start + 37])
    assert _untokened(resumed.snapshot("v")) == _untokened(whole.snapshot("v"))
    assert resumed.story_count() == len(whole.stories())
    assert all(whole.story_of(a) == s for a, s in resumed.assignments().items())
    assert resumed.stories() == {k: m for k, m in whole.stories().items() if k in resumed.stories()}
    split = any(w["kind"] == "split" for w in whole.take_evidence()[0].values())
    assert split or params is not SPLITTY
    if split:
        # A split takes members out of a story's profile, and the replay from memberships cannot
        # know which had left it before: it is exact only without splits (module docstring of
        # link/stories/split.py). The checkpoint above is the product's path.
        return
    # ... and so does the replay from every membership (the old way; its matrix rows and dict
    # orders may differ from the original's, its decisions may not).
    first = StoryClusterer(params)
    first.add_all(stream[:250])
    replayed = StoryClusterer.restore(stream[:250], first.assignments(), params)
    replayed.add_all(stream[250:])
    assert replayed.assignments() == whole.assignments()


def test_the_snapshot_holds_only_the_active_window():
    stream = items(400)
    c = StoryClusterer(SHORT)
    c.add_all(stream)
    snap = c.snapshot("v")
    held = len(c.active_items())
    # Only the active stories' members are kept (a story stays active while it grows, so these
    # are more than the 7 days' 56 articles, but not the retired stories' ones).
    assert 0 < held < 300 and c.story_count() > len(set(c.active_members().values()))
    assert _item_vector_bytes(snap) == held * 384 * 4
    restored = StoryClusterer.from_snapshot(snap, SHORT)
    assert restored.story_count() == len(c.stories())


def test_the_snapshot_holds_only_profile_items():
    """Members that left their story's profile are kept by id only: the snapshot's items (and
    vectors) are bounded by the profiles, while every member of an active story is still listed."""
    params = replace(SHORT, profile_members=3)
    stream = items(400)
    c = StoryClusterer(params)
    c.add_all(stream)
    snap = c.snapshot("v")
    active = list(c._active.stories.values())
    assert any(s.size < len(s.members) for s in active)  # some members did leave a profile
    assert len(c.active_items()) == sum(s.size for s in active) <= 3 * len(active)
    assert _item_vector_bytes(snap) == len(c.active_items()) * 384 * 4
    restored = StoryClusterer.from_snapshot(snap, params)
    assert restored.active_members() == c.active_members()
    assert restored.stories() == {k: m for k, m in c.stories().items() if k in restored.stories()}


def _untokened(snap):
    return snap._replace(token="", base=None)


def _item_vector_bytes(snap) -> int:
    return sum(len(_format3(p).blob) for p in snap.parts if p.key.startswith("i/"))


def _format3(part):
    """A format 4 part written the format 3 way: the TF-IDF weights as a JSON dictionary, only
    the vector in the blob (as a store written before format 4 holds it)."""
    import json

    import numpy as np

    from storyline.store.records import CheckpointPart

    data = json.loads(part.data)
    item = part.key.startswith("i/")
    at = 4 if item else 5
    terms = data[at]
    if terms is None or isinstance(terms, dict):
        return part
    cut = len(part.blob) - 8 * len(terms)
    data[at] = dict(zip(terms, np.frombuffer(part.blob, dtype="<f8" if item else "<i8", offset=cut).tolist()))
    return CheckpointPart(part.key, json.dumps(data, separators=(",", ":")), part.blob[:cut])


@pytest.mark.parametrize("every", [1, 2])
def test_format_3_parts_are_read_alone_and_beside_format_4_parts(every):
    """A store written before format 4 holds format 3 parts, and one whose checkpoint was
    updated by deltas since holds both kinds: each restores to the state it was taken from."""
    import json

    stream = items(300, undated_every=9)
    c = StoryClusterer(SHORT)
    c.add_all(stream[:200])
    snap = c.snapshot("v")
    parts = tuple(_format3(p) if n % every == 0 else p for n, p in enumerate(snap.parts))
    assert sum(len(p.data) for p in parts) > sum(len(p.data) for p in snap.parts)  # the weights are text
    old = snap._replace(state=json.dumps({**json.loads(snap.state), "format": 3}), parts=parts)
    restored = StoryClusterer.from_snapshot(old, SHORT)
    assert _untokened(restored.snapshot("v")) == _untokened(snap)  # written back as format 4
    restored = StoryClusterer.from_snapshot(old, SHORT)
    restored.add_all(stream[200:])
    c.add_all(stream[200:])
    assert _untokened(restored.snapshot("v")) == _untokened(c.snapshot("v"))


def test_a_story_sum_past_int64_is_written_as_text_and_read_back_exactly():
    stream = items(60)
    c = StoryClusterer(SHORT)
    c.add_all(stream)
    story = next(iter(c._active.stories.values()))
    term = next(iter(story.lex))
    story.lex[term] = 2**70  # never met: a profile holds at most profile_members weights of 2**40
    restored = StoryClusterer.from_snapshot(c.snapshot("v"), SHORT)
    assert restored._stories[story.key].lex == story.lex
    assert type(restored._stories[story.key].lex[term]) is int


@pytest.mark.parametrize("params", [SHORT, SPLITTY])
def test_delta_snapshots_written_batch_by_batch_hold_the_whole_state(any_store, params):
    """Each batch writes only what it changed (the stories it touched, the items that arrived,
    the keys of what left); the stored checkpoint is then the whole snapshot, and a clusterer
    restored from it batch by batch decides as one that never stopped."""
    stream = items(400, undated_every=9)
    whole = StoryClusterer(params)
    whole.add_all(stream)
    t = "2026-01-01T00:00:00+00:00"
    sizes = []
    for start in range(0, len(stream), 37):
        saved = any_store.story_checkpoint()
        c = StoryClusterer.from_snapshot(saved, params) if saved else StoryClusterer(params)
        c.add_all(stream[start : start + 37])
        delta = c.snapshot("v", delta=True)
        assert delta.whole == (saved is None)
        sizes.append((len(delta.parts), len(delta.dropped)))
        any_store.put_stories([], [], [], "v", t, delta)
    stored = any_store.story_checkpoint()
    expected = whole.snapshot("v")
    assert stored.state == expected.state
    assert stored.parts == tuple(sorted(expected.parts))
    assert StoryClusterer.from_snapshot(stored, params).assignments() == {
        a: s for a, s in whole.assignments().items() if a in whole.active_members()}
    # A batch's delta is a small part of the state, and some of it is what left.
    assert max(n for n, _ in sizes[1:]) < len(expected.parts) and any(d for _, d in sizes)


def test_a_format_2_checkpoint_is_read_and_the_next_snapshot_is_whole():
    """Checkpoints written before parts existed (everything in one row) still restore."""
    import json

    import numpy as np

    from storyline.store.records import StoryCheckpoint

    stream = [replace(i, lead=frozenset()) for i in items(300, undated_every=9)]  # format 2 held no leads
    c = StoryClusterer(SHORT)
    c.add_all(stream[:200])
    snap = c.snapshot("v")
    state = json.loads(snap.state)
    items_, ids, stories, vectors, sums = [], [], [], [], []
    for part in map(_format3, snap.parts):
        data = json.loads(part.data)
        if part.key.startswith("i/"):
            row = -1
            if part.blob:
                row = len(vectors)
                vectors.append(np.frombuffer(part.blob, dtype="<f4"))
            items_.append([*data[:5], row])
        else:
            srow = -1
            if part.blob:
                srow = len(sums)
                sums.append(np.frombuffer(part.blob, dtype="<i8"))
            ids += data[11]
            stories.append([*data[:11], srow])
    old = StoryCheckpoint("v", snap.next_seq, json.dumps({**state, "format": 2, "items": items_, "ids": ids,
                                                          "stories": stories}),
                          np.stack(vectors).tobytes(), np.stack(sums).tobytes())
    restored = StoryClusterer.from_snapshot(old, SHORT)
    assert _untokened(restored.snapshot("v", delta=True)) == _untokened(snap)  # whole: parts unknown
    restored.add_all(stream[200:])
    c.add_all(stream[200:])
    assert _untokened(restored.snapshot("v")) == _untokened(c.snapshot("v"))


def _memberships(store):
    return [(m.article_id, m.story_id, m.seq) for m in store.story_members()]


def _summaries(store):
    return sorted((s.id, s.label, s.article_ids, s.first, s.last) for s in store.stories())


def test_one_run_batches_and_the_step_executor_give_the_same_stories(any_store, monkeypatch):
    # All dated: an undated article is placed among the articles of its run, so one run and
    # batched runs order it alike only when its dated neighbour arrived with it.
    rows = corpus(300)
    reference = open_store("memory://")
    store_batch(reference, rows)
    report = scan.find_stories(reference)
    assert report.clustered == 300 and report.stories == len(reference.stories())
    expected = _memberships(reference)

    monkeypatch.setattr(scan, "BATCH", 23)
    for start in range(0, 300, 70):  # ingested and clustered in four batches
        store_batch(any_store, rows[start : start + 70])
        scan.find_stories(any_store)
    assert _memberships(any_store) == expected
    assert _summaries(any_store) == _summaries(reference)
    assert any_store.unclustered(scan.CLUSTER_VERSION) == []

    stepped = open_store("memory://")
    store_batch(stepped, rows)
    step_report = run_steps(stepped, [STORIES]).of("stories")
    assert step_report.due == 300 and step_report.done == 300 and not step_report.problems
    assert _memberships(stepped) == expected and _summaries(stepped) == _summaries(reference)


def test_the_step_keeps_its_clusterer_warm_while_the_checkpoint_is_its_own(any_store, monkeypatch):
    """Batch after batch the step continues with the clusterer the last batch stored, without
    restoring the checkpoint; when another run has written the checkpoint meanwhile, it restores
    it; the stories are those of one run over everything either way."""
    from storyline.link.stories import steps as story_steps
    from storyline.run.story_steps import stories_step

    rows = corpus(300)
    reference = open_store("memory://")
    store_batch(reference, rows)
    scan.find_stories(reference)

    restored = []
    real = StoryClusterer.from_snapshot.__func__

    def counting(cls, saved, params=SHORT.__class__()):
        restored.append(saved.token)
        return real(cls, saved, params)

    monkeypatch.setattr(StoryClusterer, "from_snapshot", classmethod(counting))
    monkeypatch.setattr(story_steps, "BATCH", 23)
    step = stories_step()
    store_batch(any_store, rows[:200])
    assert run_steps(any_store, [step]).of("stories").done == 200
    assert restored == []  # 9 batches, one clusterer
    # A new process (nothing warm) restores the checkpoint once, then keeps its clusterer.
    store_batch(any_store, rows[200:250])
    any_store.warm.clear()
    assert run_steps(any_store, [step]).of("stories").done == 50 and len(restored) == 1
    # Another run writes the checkpoint meanwhile: the clusterer kept here is stale, and the
    # next batch restores what that run stored.
    kept = any_store.warm[scan.WARM]
    other = StoryClusterer.from_snapshot(any_store.story_checkpoint())
    any_store.put_stories([], [], [], scan.CLUSTER_VERSION, "2026-01-01T00:00:00+00:00",
                          other.snapshot(scan.CLUSTER_VERSION, delta=True))
    assert len(restored) == 2 and kept.token != other.token
    store_batch(any_store, rows[250:])
    assert run_steps(any_store, [step]).of("stories").done == 50
    assert restored[2] == other.token and any_store.warm[scan.WARM] is not kept
    assert _memberships(any_store) == _memberships(reference)


def test_a_clusterer_kept_warm_forgets_its_retired_stories_as_a_checkpoint_does():
    stream = items(400, undated_every=9)
    kept = StoryClusterer(SHORT)
    kept.add_all(stream[:250])
    restored = StoryClusterer.from_snapshot(kept.snapshot("v"), SHORT)
    count = kept.story_count()
    kept.forget_retired()
    assert kept.story_count() == count and set(kept.assignments()) == set(kept.active_members())
    assert kept.assignments() == restored.assignments()
    kept.add_all(stream[250:])
    restored.add_all(stream[250:])
    assert _untokened(kept.snapshot("v")) == _untokened(restored.snapshot("v"))


def test_a_story_left_with_no_vector_in_its_profile_gives_its_centroid_row_back():
    """When the profile's last member with a vector leaves it, the story has no centroid: its
    matrix row is freed (a stale centroid left live was found by a clusterer that never stopped
    and not by one restored from its checkpoint)."""
    from story_synth import basis

    from storyline.link.stories.features import Item

    params = replace(SHORT, profile_members=2)
    names = {f"name{k}": 1.0 for k in range(12)}
    c = StoryClusterer(params)
    c.add(Item("v1", basis(1), names, None))
    for k in range(3):
        assert c.add(Item(f"n{k}", None, names, None)) == "v1"
    story = c._stories["v1"]
    assert story.centroid() is None and story.row == -1 and "v1" not in c._centroids.owner
    restored = StoryClusterer.from_snapshot(c.snapshot("v"), params)
    probe = Item("p", basis(1), {"other": 1.0}, None)
    assert restored.add(probe) == c.add(probe)


def test_a_batch_that_fails_leaves_no_warm_clusterer(monkeypatch):
    from storyline.store import StoreError

    rows = corpus(60)
    store = open_store("memory://")
    store_batch(store, rows[:30])
    scan.find_stories(store)
    assert scan.WARM in store.warm
    store_batch(store, rows[30:])

    def failing(*_a, **_k):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "put_stories", failing)
    with pytest.raises(StoreError):
        scan.find_stories(store)
    assert scan.WARM not in store.warm  # changed by the failed batch: never used again
    monkeypatch.undo()
    scan.find_stories(store)
    reference = open_store("memory://")
    store_batch(reference, rows)
    scan.find_stories(reference)
    assert _memberships(store) == _memberships(reference)


def test_a_store_without_a_checkpoint_is_replayed_once(store_url):
    rows = corpus(200, seed=3)
    store = open_store(store_url)
    store_batch(store, rows[:120])
    scan.find_stories(store)
    store.db.run("DELETE FROM story_checkpoint")  # as a store clustered before checkpoints
    store.db.raw.commit()
    assert store.story_checkpoint() is None
    store_batch(store, rows[120:])
    report = scan.find_stories(store)
    assert report.clustered == 80 and not report.restarted
    assert store.story_checkpoint() is not None
    reference = open_store("memory://")
    store_batch(reference, rows)
    scan.find_stories(reference)
    assert _memberships(store) == _memberships(reference)
    store.close()


def test_another_cluster_version_starts_over(any_store, monkeypatch):
    store_batch(any_store, corpus(60, seed=5))
    scan.find_stories(any_store)
    before = _memberships(any_store)
    monkeypatch.setattr(scan, "CLUSTER_VERSION", "next")
    report = scan.find_stories(any_store)
    assert report.restarted and report.clustered == 60
    assert [(a, s) for a, s, _ in _memberships(any_store)] == [(a, s) for a, s, _ in before]
    assert any_store.story_checkpoint().version == "next"


def test_a_failing_article_is_reported_and_stays_due(any_store, monkeypatch):
    rows = corpus(30, seed=9)
    store_batch(any_store, rows)
    bad = rows[4][0].id
    real = scan._item

    def item(article, *args):
        if article.id == bad:
            raise ValueError("unreadable")
        return real(article, *args)

    monkeypatch.setattr(scan, "_item", item)
    outcome = STORIES.run(any_store, STORIES.due(any_store))
    assert outcome.done == 29 and [p.source for p in outcome.problems] == [bad]
    assert "unreadable" in outcome.problems[0].reason
    assert any_store.unclustered(scan.CLUSTER_VERSION) == [bad]


_KILLED_RUN = textwrap.dedent("""
    import os, signal, sys
    from storyline.link.stories import scan
    from storyline.store import open_store
    from storyline.store.sql import stories as queries

    scan.BATCH = 25
    calls = [0]
    put = queries.put_stories

    class Killing(list):
        def __iter__(self):  # inside the transaction, after the checkpoint row was replaced
            os.kill(os.getpid(), signal.SIGKILL)

    def killed_on_the_third(db, summaries, members, *args):
        calls[0] += 1
        return put(db, summaries, Killing(members) if calls[0] == 3 else members, *args)

    queries.put_stories = killed_on_the_third
    scan.find_stories(open_store(sys.argv[1]))
""")


def test_kill_9_during_clustering_resumes_with_the_same_stories(store_url):
    rows = corpus(150, seed=11, undated_every=13)
    store = open_store(store_url)
    store_batch(store, rows)
    store.close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", _KILLED_RUN, store_url], env=env, capture_output=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    store = open_store(store_url)
    assert len(store.story_members()) == 50  # two batches committed, the third rolled back
    assert store.story_checkpoint().next_seq == 50
    scan.find_stories(store)
    reference = open_store("memory://")
    store_batch(reference, rows)
    scan.find_stories(reference)
    members = _memberships(store)
    assert members == _memberships(reference)
    assert sorted(seq for _, _, seq in members) == list(range(150))  # no duplicates, no gaps
    assert _summaries(store) == _summaries(reference)
    store.close()


def test_nothing_due_writes_nothing(any_store):
    report = scan.find_stories(any_store)
    assert report.clustered == 0 and report.stories == 0 and any_store.story_checkpoint() is None


def test_an_undated_article_is_taken_as_published_when_it_arrived():
    """Undated articles come where they arrived among the dated ones (at the time of the dated
    article stored just before them), not after every dated article of the run."""
    from storyline.store import open_store
    from store.test_contract import make_article

    store = open_store("memory://")
    first = make_article("The council voted on the bridge budget on Monday.", published="2026-03-01")
    undated = make_article("The bridge budget vote drew a large crowd to the council chamber.")
    later = make_article("Work on the bridge began ten days after the council vote.", published="2026-03-10")
    earliest = make_article("An undated note stored before every dated article.")
    store.add_articles([earliest, first, undated, later])
    clusterer, _ = scan.load_clusterer(store, write=False)
    assert scan.due_in_order(store, clusterer) == [earliest.id, first.id, undated.id, later.id]


def test_an_undated_article_takes_the_time_of_its_neighbour_not_the_latest_seen():
    """In an input that is not in date order, an undated article goes with the dated article
    stored just before it, not at the latest time seen so far (where every later undated
    article would pile up after the dated coverage of its own event)."""
    from storyline.store import open_store
    from store.test_contract import make_article

    store = open_store("memory://")
    new = make_article("Rescuers reached the climbers on the north face on Sunday.", published="2013-09-15")
    old_a = make_article("The 2008 election results were announced in the capital.", published="2008-12-15")
    old_undated = make_article("Turnout in the election was the highest in a decade.")
    new_b = make_article("A second climber died on the mountain, police said.", published="2013-09-16")
    store.add_articles([new, old_a, old_undated, new_b])
    clusterer, _ = scan.load_clusterer(store, write=False)
    assert scan.due_in_order(store, clusterer) == [old_a.id, old_undated.id, new.id, new_b.id]


def test_a_split_is_stored_the_moved_members_with_their_evidence(any_store):
    """A story that chained two subjects is split by a later batch: the members stored by the
    earlier batch move to the new story in the store, both stories' summaries are rewritten,
    and each moved member's evidence says it was split off."""
    import datetime as dt
    import json

    import numpy as np

    from story_synth import START, basis, store_batch, unit
    from storyline.ingest.convert import content_hash
    from storyline.records import Article, Entity

    # Every article joins the one story (no bar), and the twelfth member triggers a split.
    params = Params(join_threshold=-10.0, short_join_threshold=-10.0, merge_threshold=100.0, vector_floor=-1.0,
                    rescue_after=0, split_every=12, split_min=4, split_cosine=0.4)
    a, b = basis(21), basis(22)
    rows = []
    for n, key in enumerate(["a0", "a1", "a2", "b0", "a3", "b1", "b2", "a4", "b3", "a5", "b4", "a6"]):
        side = key[0]
        body = (f"Harbourne barrier vote report {key}." if side == "a" else f"Ashcombe stadium sale report {key}.")
        digest = content_hash(body)
        name = "Alina Okafor" if side == "a" else "Neil Garside"
        rows.append((Article(id=digest[:16], content_hash=digest, source=f"/in/{key}.txt", body=body, title=body,
                             published=(START + dt.timedelta(hours=n)).isoformat(), ingested_at=START.isoformat()),
                     (Entity(id="p0", name=name, type="PERSON"),),
                     unit((a if side == "a" else b) + 0.3 * basis(300 + n))))
    store_batch(any_store, rows)
    ids = [r[0].id for r in rows]
    clusterer = StoryClusterer(params)
    scan.cluster_batch(any_store, clusterer, ids[:11])
    first = ids[0]
    assert {m.story_id for m in any_store.story_members()} == {first}
    scan.cluster_batch(any_store, clusterer, ids[11:])
    b_ids = [r[0].id for r in rows if "Ashcombe" in r[0].body]
    by_article = {m.article_id: m.story_id for m in any_store.story_members()}
    assert {by_article[i] for i in b_ids} == {b_ids[0]}
    assert {by_article[i] for i in ids if i not in b_ids} == {first}
    stories = {s.id: s for s in any_store.stories()}
    assert set(stories) == {first, b_ids[0]}
    assert set(stories[b_ids[0]].article_ids) == set(b_ids) and len(stories[first].article_ids) == 7
    assert "Garside" in stories[b_ids[0]].label and "Garside" not in stories[first].label
    evidence = {k: json.loads(v) for k, v in any_store.member_evidence(b_ids).items()}
    assert {e["kind"] for e in evidence.values()} == {"split"} and len(evidence) == 5
    assert all(e["from"] == first for e in evidence.values())
    # The checkpoint holds the split state: a clusterer restored from it has both stories.
    restored = StoryClusterer.from_snapshot(any_store.story_checkpoint(), params)
    assert restored.story_of(b_ids[-1]) == b_ids[0] and restored.story_of(ids[-1]) == first
    assert np.isfinite(restored._stories[b_ids[0]].centroid()).all()


def test_the_last_articles_of_a_corpus_get_their_look_through_the_step(monkeypatch):
    """A run that brings a corpus (scan.bulk_run) ends with a look at the lone articles too young
    for one at the last batch's end (scan.end_of_run, from the step's run): a rescued article
    among the last 20; a feed's run of fewer articles does not look (the next run will). The
    step stores what scan.find_stories does."""
    import json

    def rescued_in_tail(store):
        last = [m.article_id for m in sorted(store.story_members(), key=lambda m: m.seq)[-20:]]
        evidence = store.member_evidence(last)
        return [a for a in last if json.loads(evidence.get(a) or "{}").get("kind") == "rescued"]

    rows = corpus(80, undated_every=5)
    stepped = open_store("memory://")
    store_batch(stepped, rows)
    run_steps(stepped, [STORIES])
    assert len(rescued_in_tail(stepped)) == 1
    reference = open_store("memory://")
    store_batch(reference, rows)
    scan.find_stories(reference)
    assert _memberships(stepped) == _memberships(reference) and _summaries(stepped) == _summaries(reference)

    monkeypatch.setattr(scan, "bulk_run", lambda clusterer, due: False)  # as a feed's run
    feed = open_store("memory://")
    store_batch(feed, rows)
    run_steps(feed, [STORIES])
    assert rescued_in_tail(feed) == []
    assert len(feed.stories()) == len(stepped.stories()) + 1
