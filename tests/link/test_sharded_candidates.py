"""The partitioned candidate stage (link/reuse/sharded.py) finds exactly the MinHash candidates
the store path finds (fingerprint + candidates steps), whatever the number of partitions or
batches; boilerplate buckets give no pairs; components join families and nothing else."""

from __future__ import annotations

import numpy as np
import pytest

import storyline
from helpers import reuse_texts
from storyline.ingest.convert import content_hash
from storyline.link.reuse import sharded
from storyline.link.reuse.candidates import MAX_BUCKET
from storyline.link.reuse.steps import candidates_run, fingerprint_run
from storyline.records import Article


def _sharded(texts: list[str], tmp_path, *, partitions: int, batch: int):
    folder = tmp_path / f"keys-{partitions}-{batch}"
    for at in range(0, len(texts), batch):
        keys, rows = sharded.key_rows(np.arange(at, min(at + batch, len(texts))), *sharded.signatures(texts[at : at + batch]))
        sharded.spill(folder, f"b{at:06d}", keys, rows, partitions)
    shingles, words = sharded.signatures(texts)
    found = [sharded.partition_verified(sharded.partition_files(folder, p), shingles, words) for p in range(partitions)]
    pairs, kind = sharded.unique_pairs(np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]))
    return {(int(a), int(b)): sharded.FOUND_BY[k] for (a, b), k in zip(pairs.tolist(), kind.tolist(), strict=True)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    texts = reuse_texts(160)
    articles = [Article(id=f"a{row:05d}", content_hash=content_hash(t), source=f"/in/{row}.txt", body=t)
                for row, t in enumerate(texts)]
    # SQLite, not the memory store: its bucket_mates scans every bucket (fine for a dozen articles).
    desk = storyline.open(tmp_path_factory.mktemp("sharded") / "store.db")
    desk.store.add_articles(articles)
    ids = [a.id for a in articles]
    fingerprint_run(desk.store, ids, vectors=False)
    candidates_run(desk.store, ids)
    stored = {}
    for aid in ids:
        for c in desk.store.candidates(aid):
            stored[(int(c.first_id[1:]), int(c.second_id[1:]))] = c.found_by
    return texts, stored


@pytest.mark.parametrize(("partitions", "batch"), [(1, 10_000), (7, 50), (64, 33)])
def test_same_candidates_as_the_store_path(corpus, tmp_path, partitions, batch):
    texts, stored = corpus
    found = _sharded(texts, tmp_path, partitions=partitions, batch=batch)
    assert found == stored
    # The planted copies and rewrites are among them; the notices never pair with an article.
    assert found[(0, 160)] == "shingles" and (3, 183) in found
    boiler = set(range(len(texts) - MAX_BUCKET - 20, len(texts)))
    assert not any((a in boiler) != (b in boiler) for a, b in found)


def test_a_bucket_over_max_bucket_gives_no_pairs_and_shingles_win(tmp_path):
    hot = np.full(MAX_BUCKET + 1, 11, np.uint64)
    words = np.array([5, 5, 9, 9], np.uint64) | sharded.WORDS_BIT
    keys = np.concatenate([hot, np.array([5, 5, 5], np.uint64), words])
    rows = np.concatenate([np.arange(MAX_BUCKET + 1), [900, 901, 902], [900, 901, 900, 903]]).astype(np.int64)
    sharded.spill(tmp_path, "b0", keys, rows, 1)
    pairs, kind = sharded.partition_pairs(sharded.partition_files(tmp_path, 0))
    assert pairs.tolist() == [[900, 901], [900, 902], [900, 903], [901, 902]]
    assert kind.tolist() == [0, 0, 1, 0]  # 900-901 shares a words bucket too: shingles win


def test_a_rewritten_batch_replaces_its_files(tmp_path):
    texts = reuse_texts(40)
    keys, rows = sharded.key_rows(np.arange(len(texts)), *sharded.signatures(texts))
    sharded.spill(tmp_path, "b0", keys, rows, 4)
    sharded.spill(tmp_path, "b0", keys, rows, 4)  # a re-run after a kill
    total = sum(len(__import__("pyarrow.parquet").parquet.read_table(p)) for p in tmp_path.rglob("*.parquet"))
    assert total == len(keys)
    assert not list(tmp_path.rglob("*.tmp"))


def test_components_join_families_only():
    pairs = np.array([[0, 5], [5, 9], [2, 3], [7, 8], [8, 1]])
    labels = sharded.components(11, pairs)
    assert labels.tolist() == [0, 1, 2, 2, 4, 0, 6, 1, 1, 0, 10]
    # A long chain given in the worst order still ends in one component.
    chain = np.array([[k, k + 1] for k in range(999, -1, -1)])
    assert set(sharded.components(1001, chain).tolist()) == {0}


def test_row_numbers_must_match_the_signatures():
    with pytest.raises(ValueError, match="2 row numbers for 1 and 1 signatures"):
        sharded.key_rows(np.arange(2), *sharded.signatures(["one text"]))


def test_verified_keeps_copies_and_rewrites_and_drops_chance_pairs():
    texts = reuse_texts(160)
    shingles, words = sharded.signatures(texts)
    pairs = np.array([[0, 160], [3, 183], [1, 2], [5, 6]])  # a copy, a rewrite, two unrelated
    found_by_words = np.ones(len(pairs), np.int8)
    assert sharded.verified(pairs, found_by_words, shingles, words).tolist() == [True, True, False, False]
    # A pair that shares a shingle band is kept as it is (it shares text, if only a paragraph).
    assert sharded.verified(pairs, np.zeros(len(pairs), np.int8), shingles, words).all()
