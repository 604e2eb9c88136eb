"""The candidates step's sharded pass for bulk loads (link/reuse/bulk.py) stores exactly the
pairs, and how each was found, that the per-article lookups store: MinHash pairs (copies,
rewrites, boilerplate buckets past MAX_BUCKET), article-vector pairs (the ten nearest of each
article), and pairs between the new articles and those already in the store. Killed midway,
the next run does only the articles not marked done, with no pair twice. Same on Ray."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from helpers import reuse_texts
from storyline.ingest.convert import content_hash
from storyline.link.reuse import bulk
from storyline.link.reuse.candidates import FINGERPRINT_VERSION, NEIGHBOURS, fingerprint_articles
from storyline.link.reuse.steps import CANDIDATES_VERSION
from storyline.records import Article
from storyline.run.local import run_step
from storyline.run.reuse_steps import BULK_SETTING, candidates_step
from storyline.store import open_store
from storyline.store.records import FingerprintRow, SentenceVectors

BIG = 30  # one family of near-identical article vectors, more than NEIGHBOURS of each other
FAMILY = slice(90, 90 + BIG)  # made-up bases (reuse_texts), no text in common


def _corpus() -> tuple[list[Article], np.ndarray]:
    """Articles with planted copies and rewrites (reuse_texts), and made-up article vectors:
    families of 14 around a centre at cosines near SEMANTIC_MIN (either side of it), one family
    of BIG at ~0.98, the rest unrelated."""
    texts = reuse_texts(120)
    rng = np.random.default_rng(16)
    noise = rng.standard_normal((len(texts), 384)) / np.sqrt(384)  # about unit length

    def family(rows: slice, closeness: float) -> None:
        centre = rng.standard_normal(384)
        noise[rows] += centre / np.linalg.norm(centre) * closeness  # cosine ~ c^2 / (c^2 + 1)

    for start in [*range(0, 90 - 14, 25), *range(150, len(texts) - 14, 25)]:
        family(slice(start, start + 14), 2.4)
    family(FAMILY, 7.0)
    vectors = noise / np.linalg.norm(noise, axis=1, keepdims=True)
    # Half the big family shares one vector: more than NEIGHBOURS mates at one cosine, so the
    # ten nearest are decided by id, as the per-article path sorts them.
    vectors[FAMILY.start : FAMILY.start + BIG // 2] = vectors[FAMILY.start]
    articles = [Article(id=f"a{row:05d}", content_hash=content_hash(t), source=f"/in/{row}.txt", body=t)
                for row, t in enumerate(texts)]
    return articles, vectors.astype(np.float32)


def _add(store, articles: list[Article], vectors: np.ndarray) -> None:
    """Store and fingerprint articles as the fingerprint step does, the article vector made
    from the given "sentence vectors" (so no embedding model is needed)."""
    store.add_articles(articles)
    given = {a.id: SentenceVectors(((0, 1),), v[None, :]) for a, v in zip(articles, vectors, strict=True)}
    encoded = fingerprint_articles(articles, vectors=True, sentence_vectors=given)
    store.put_fingerprints([FingerprintRow(e.fingerprint, e.shingles, e.words, e.vector) for e in encoded],
                           [b for e in encoded for b in e.buckets], FINGERPRINT_VERSION)


def _stored(store, articles) -> set[tuple[str, str, str]]:
    pairs = {tuple(c) for a in articles for c in store.candidates(a.id)}
    assert len(store.uncompared(CANDIDATES_VERSION + "-none")) == len(pairs)  # each pair once
    return pairs


def _load(url: str, monkeypatch, threshold: str, *, split: int = 3, runner=run_step):
    """Two loads into one store: ``split`` fifths of the articles looked up one by one, then
    the rest with ``threshold`` as STORYLINE_BULK_CANDIDATES (0: one by one too)."""
    articles, vectors = _corpus()
    first = np.arange(len(articles)) % 5 < split  # families, copies and boilerplate on both sides
    store = open_store(url)
    monkeypatch.setenv(BULK_SETTING, "0")
    _add(store, [a for a, f in zip(articles, first, strict=True) if f], vectors[first])
    run_step(store, candidates_step())
    _add(store, [a for a, f in zip(articles, first, strict=True) if not f], vectors[~first])
    monkeypatch.setenv(BULK_SETTING, threshold)
    return store, articles, runner(store, candidates_step())


# Fifths of the corpus in the store before the bulk load: 3 (more than the load: the rest of
# the store is read by the buckets the load touches) or 1 (fewer: every row of it is read).
@pytest.fixture(params=[3, 1], ids=["big-store", "small-store"])
def split(request) -> int:
    return request.param


@pytest.fixture
def per_article(store_url, split, monkeypatch):
    store, articles, report = _load(store_url, monkeypatch, "0", split=split)
    found = _stored(store, articles)
    store.close()
    return found, report


def _check(found: set, per_article) -> None:
    expected, report = per_article
    assert found == expected
    by_how = {how: sum(1 for *_, h in found if h == how) for how in ("shingles", "words", "vector")}
    assert all(by_how.values()), by_how  # every way of finding a pair is exercised
    family = {f"a{row:05d}" for row in range(FAMILY.start, FAMILY.stop)}
    inside = [p for p in found if p[0] in family and p[1] in family]
    # The ten nearest of each article: fewer pairs than the family has, more than ten.
    assert NEIGHBOURS < len(inside) < BIG * (BIG - 1) // 2
    assert report.due > 100


@pytest.fixture
def second_url(store_url, request, tmp_path) -> str:
    """Another empty store of the same backend."""
    if store_url.endswith(".db"):
        return str(tmp_path / "bulk.db")
    return request.getfixturevalue("postgres_server").new_database("t_" + uuid.uuid4().hex[:12])


def test_the_sharded_pass_stores_what_the_per_article_path_stores(per_article, split, second_url, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(bulk, "WRITE_BATCH", 50)  # several transactions
    sides = []

    def spied(store, step):
        for name in ("settled_buckets", "bucket_neighbours"):
            real = getattr(store, name)
            setattr(store, name, lambda *a, _real=real, _name=name: sides.append(_name) or _real(*a))
        return run_step(store, step)

    store, articles, report = _load(second_url, monkeypatch, "1", split=split, runner=spied)
    assert set(sides) == {"bucket_neighbours" if split == 3 else "settled_buckets"}
    assert report.done == report.due == per_article[1].due and not report.problems
    assert sum(report.counts.values()) > 0
    _check(_stored(store, articles), per_article)
    assert store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION) == []
    assert not (tmp_path / "bulk.db.work").exists()  # the spill is removed, and its folder
    store.close()


@pytest.mark.parametrize(("store_url", "split"), [("sqlite", 1)], indirect=True)
def test_a_killed_sharded_pass_is_finished_by_the_next_run(per_article, split, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "WRITE_BATCH", 40)
    url = str(tmp_path / "killed.db")
    calls = []

    def killed(store, step):
        real = store.put_candidates

        def put(*args, **kwargs):
            if len(calls) == 2:
                raise KeyboardInterrupt("killed")  # after two committed transactions
            calls.append(1)
            return real(*args, **kwargs)

        store.put_candidates = put
        with pytest.raises(KeyboardInterrupt):
            run_step(store, step)
        store.put_candidates = real
        return None

    store, articles, _ = _load(url, monkeypatch, "1", split=split, runner=killed)
    due = store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION)
    assert len(due) == per_article[1].due - 2 * 40  # the two written batches are done
    again = run_step(store, candidates_step())
    assert again.due == len(due) and again.done == len(due)
    _check(_stored(store, articles), per_article)
    store.close()


@pytest.fixture
def ray_cluster(ray_available):
    """A local Ray cluster of 2 CPUs, always shut down."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize(("store_url", "split"), [("sqlite", 3)], indirect=True)
def test_on_ray_the_partitions_are_tasks_and_the_pairs_the_same(per_article, split, second_url, ray_cluster,
                                                                 monkeypatch):
    from storyline.run.common import RayOptions
    from storyline.run.ray_exec import run_steps_ray

    def on_ray(store, step):
        return run_steps_ray(store, [step], options=RayOptions(workers=2)).steps[0]

    store, articles, report = _load(second_url, monkeypatch, "1", split=split, runner=on_ray)
    assert report.done == report.due == per_article[1].due and not report.problems
    _check(_stored(store, articles), per_article)
    store.close()


def test_a_bad_threshold_setting_is_a_clear_error(tmp_path):
    from helpers import run_cli

    db = tmp_path / "store.db"
    open_store(str(db)).close()
    result = run_cli("relink", "--db", str(db), "--step", "candidates", env={BULK_SETTING: "lots"})
    assert result.returncode == 2
    assert BULK_SETTING in result.stderr and "'lots'" in result.stderr


@pytest.mark.parametrize(("store_url", "split"), [("sqlite", 1)], indirect=True)
def test_an_article_whose_fingerprint_does_not_decode_is_reported_and_stays_due(store_url, split, monkeypatch):
    bad = {}

    def corrupted(store, step):
        due = store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION)
        bad["id"] = due[7]
        store.db.run("UPDATE fingerprints SET words = ? WHERE article_id = ?", (b"\x01\x02\x03", due[7]))
        return run_step(store, step)

    store, _, report = _load(store_url, monkeypatch, "1", split=split, runner=corrupted)
    assert [p.source for p in report.problems] == [bad["id"]]
    assert "fingerprint" in report.problems[0].reason
    assert report.done == report.due - 1
    assert store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION) == [bad["id"]]
    store.close()
