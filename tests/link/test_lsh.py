"""Banded LSH: parameters as datasketch picks them, 63-bit band keys, the index against brute force."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from storyline.analyze import fingerprint as fp
from storyline.link.reuse import lsh


def random_texts(n: int, seed: int = 0, length: int = 120) -> list[str]:
    """Texts of random made-up words from a large vocabulary: pairwise Jaccard ~0."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(20_000)]
    return [" ".join(rng.choice(vocab) for _ in range(length)) for _ in range(n)]


def near_copy(text: str, seed: int = 1) -> str:
    words = text.split()
    rng = random.Random(seed)
    for i in rng.sample(range(len(words)), 2):
        words[i] = "edited"
    return "Syndicated from the wire. " + " ".join(words)


# Reference values: datasketch 2.0.0's MinHashLSH(threshold, num_perm).b, .r
@pytest.mark.parametrize(
    ("threshold", "num_perm", "expected"),
    [(0.5, 128, (25, 5)), (0.8, 128, (9, 13)), (0.3, 128, (37, 3)), (0.4, 128, (32, 4)),
     (0.9, 128, (5, 25)), (0.5, 64, (14, 4)), (0.7, 64, (8, 8))],
)
def test_bands_for_matches_datasketch(threshold, num_perm, expected):
    assert lsh.bands_for(threshold, num_perm) == expected


@pytest.mark.parametrize("num_perm", [16, 64, 100, 128, 256])
def test_bands_for_fits_num_perm(num_perm):
    for threshold in np.arange(0.05, 1.0, 0.1):
        bands, rows = lsh.bands_for(float(threshold), num_perm)
        assert bands >= 1 and rows >= 1 and bands * rows <= num_perm


def test_band_keys_fit_in_int64_and_are_stable():
    shingles, _ = fp.signatures(random_texts(50) + [""])
    keys = lsh.band_keys(shingles, 25, 5)
    assert keys.shape == (51, 25) and keys.dtype == np.uint64
    assert int(keys.max()) < 2**63
    assert (keys.astype(np.int64).astype(np.uint64) == keys).all()  # lossless as SQL BIGINT
    assert (keys[-1] == lsh.EMPTY_KEY).all()  # the empty text
    assert (keys[:-1] != lsh.EMPTY_KEY).all()
    assert (lsh.band_keys(shingles, 25, 5) == keys).all()
    assert len(np.unique(keys[:-1])) == keys[:-1].size  # unrelated texts, bands: no collisions
    # Pinned: keys are persisted, a change here breaks old stores.
    sig, _ = fp.signatures(["The minister said on Monday that 25 million people would get the vaccine by March."])
    assert lsh.band_keys(sig, 25, 5)[0, :3].tolist() == [2629752760997378058, 18459387604036628, 4887997302285259680]


def test_band_keys_reject_too_many_bands():
    with pytest.raises(ValueError):
        lsh.band_keys(np.zeros((2, 16), np.uint32), 5, 4)


def test_empty_value_is_fingerprints_empty():
    assert lsh.EMPTY_VALUE == int(fp.EMPTY)


def build_index(texts: list[str], threshold: float = 0.5) -> tuple[lsh.LSHIndex, np.ndarray, list[str]]:
    shingles, _ = fp.signatures(texts)
    keys = lsh.band_keys(shingles, *lsh.bands_for(threshold, shingles.shape[1]))
    ids = [f"art{i:03d}" for i in range(len(texts))]
    index = lsh.LSHIndex()
    index.add(ids, keys)
    return index, keys, ids


def test_index_finds_planted_near_copy_and_nothing_else():
    texts = random_texts(200)
    texts.append(near_copy(texts[17]))
    texts.append("")  # an empty text matches nothing, not even another empty one
    texts.append("")
    index, keys, ids = build_index(texts)
    assert index.candidate_pairs() == {("art017", "art200")}
    assert index.query(keys[200]) == {"art017", "art200"}
    assert index.query(keys[5]) == {"art005"}
    assert index.query(keys[201]) == set()


def test_verify_keeps_pairs_above_threshold():
    texts = random_texts(20)
    texts.append(near_copy(texts[3]))
    shingles, _ = fp.signatures(texts)
    by_id = {f"art{i:03d}": s for i, s in enumerate(shingles)}
    kept = lsh.verify([("art020", "art003"), ("art001", "art002")], by_id, 0.5)
    assert list(kept) == [("art003", "art020")]
    assert kept[("art003", "art020")] > 0.8
    assert lsh.LSHIndex.verify([("art001", "art002")], by_id, 0.0) == {("art001", "art002"): 0.0}


def brute_force_pairs(keys: np.ndarray) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i, j in itertools.combinations(range(len(keys)), 2)
        if (set(keys[i].tolist()) & set(keys[j].tolist())) - {lsh.EMPTY_KEY}
    }


def test_candidate_pairs_equal_brute_force():
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 40, size=(150, 6)).astype(np.uint64)  # many shared keys, some 0
    index = lsh.LSHIndex(max_bucket=10_000)
    index.add([f"d{i:04d}" for i in range(150)], keys)
    got = {tuple(p) for p in index.candidate_index_pairs().tolist()}
    assert got == brute_force_pairs(keys)
    pairs = index.candidate_pairs()
    assert all(a < b for a, b in pairs) and len(pairs) == len(got)


def test_incremental_adds_and_queries_equal_brute_force(monkeypatch):
    monkeypatch.setattr(lsh, "_PENDING_ROWS", 7)  # exercise both the merged and pending paths
    rng = np.random.default_rng(9)
    keys = rng.integers(0, 60, size=(90, 4)).astype(np.uint64)
    ids = [f"d{i:02d}" for i in range(90)]
    index = lsh.LSHIndex(max_bucket=1000)
    for lo in range(0, 90, 5):
        index.add(ids[lo : lo + 5], keys[lo : lo + 5])
        for q in range(0, lo + 5, 7):
            expected = {ids[j] for j in range(lo + 5) if (set(keys[j].tolist()) & set(keys[q].tolist())) - {0}}
            assert index.query(keys[q]) == expected
    assert {tuple(p) for p in index.candidate_index_pairs().tolist()} == brute_force_pairs(keys)


def test_hot_bucket_is_a_star_not_a_clique():
    keys = np.array([[7, i + 100] for i in range(50)], np.uint64)  # band 0 shared by all 50
    index = lsh.LSHIndex(max_bucket=8)
    index.add([f"d{i:02d}" for i in range(25, 50)], keys[25:])  # later rows first: order matters
    index.add([f"d{i:02d}" for i in range(25)], keys[:25])
    pairs = index.candidate_pairs()
    assert len(pairs) == 49
    assert all("d25" in p for p in pairs)  # the first member added is the hub
    # At most max_bucket ids from the hot bucket (the first added), plus d00's own band 1.
    assert index.query(keys[0]) == {f"d{i:02d}" for i in range(25, 33)} | {"d00"}


def test_add_rejects_duplicate_ids_and_wrong_shapes():
    index = lsh.LSHIndex()
    assert index.candidate_pairs() == set() and index.query(np.ones(4, np.uint64)) == set()
    index.add(["a", "b"], np.ones((2, 4), np.uint64))
    with pytest.raises(ValueError):
        index.add(["b"], np.ones((1, 4), np.uint64))
    with pytest.raises(ValueError):
        index.add(["c"], np.ones((1, 5), np.uint64))
    with pytest.raises(ValueError):
        index.add(["c", "d"], np.ones((1, 4), np.uint64))
