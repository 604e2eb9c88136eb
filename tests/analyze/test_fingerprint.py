"""MinHash fingerprints: stable, real Jaccard estimates, exact tokenisation, empty texts."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest

from storyline.analyze import fingerprint as fp

TEXT = "The minister said on Monday that 25 million people would get the vaccine by March."


def words(lo: int, hi: int) -> str:
    """A text of distinct made-up words word<lo> .. word<hi - 1> (each a content word)."""
    return " ".join(f"word{i}" for i in range(lo, hi))


def test_signature_shape_and_dtype():
    shingles, content = fp.signatures([TEXT, "another text entirely"], num_perm=64)
    assert shingles.shape == content.shape == (2, 64)
    assert shingles.dtype == content.dtype == np.uint32


def test_signatures_are_stable_across_calls_and_pinned():
    first = fp.signatures([TEXT])
    second = fp.signatures([TEXT, "something else"])
    assert (first[0][0] == second[0][0]).all() and (first[1][0] == second[1][0]).all()
    # Pinned values: signatures and band keys are stored, so a change here breaks old stores.
    assert first[0][0, :6].tolist() == [1694598054, 3592270966, 2588158843, 132731868, 2588158843, 1701696228]
    assert first[1][0, :6].tolist() == [3183826573, 1213169832, 2100955340, 2154732299, 1213169832, 3863036487]
    assert fp.token_hash("minister") == 12997202590050899597


def test_signatures_are_stable_across_processes():
    code = (
        "from storyline.analyze import fingerprint as fp;"
        f"s, w = fp.signatures([{TEXT!r}]); print(s[0].tolist(), w[0].tolist())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    s, w = fp.signatures([TEXT])
    assert out.strip() == f"{s[0].tolist()} {w[0].tolist()}"


def test_batch_equals_one_by_one(monkeypatch):
    rng = random.Random(3)
    vocab = [f"tok{i}" for i in range(300)] + ["Straße", "İstanbul", "😀", "𝒜𝒷𝒸", "42", "x²"]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 60))) for _ in range(40)]
    monkeypatch.setattr(fp, "BATCH_CHARS", 200)  # many batch boundaries
    together = fp.signatures(texts)
    for i, text in enumerate(texts):
        alone = fp.signatures([text])
        assert (alone[0][0] == together[0][i]).all() and (alone[1][0] == together[1][i]).all()


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "",
        "a",
        "Hello, wörld! 123 ab 1 x² İstanbul ΣΑΣ _under_score don’t",
        "astral: 😀 𝒜𝒷𝒸 a😀b 𝟎𝟏 12",
        "ﬁne Straße\nnew\tline",
    ],
)
def test_vectorised_tokens_match_the_regex(text):
    assert fp.token_hashes(text).tolist() == [fp.token_hash(t) for t in fp.tokens(text)]


def test_content_words():
    assert fp.content_words("The 25 ministers said it was a 3 day plan by Mr Smith") == {
        "25", "ministers", "day", "plan", "smith", "3",
    }


@pytest.mark.parametrize("overlap", [0, 50, 150, 250, 280])
def test_jaccard_estimate_close_to_true_jaccard(overlap):
    # Two sets of 300 distinct words sharing `overlap` of them.
    a, b = words(0, 300), words(300 - overlap, 600 - overlap)
    true_words = overlap / (600 - overlap)
    shingles, content = fp.signatures([a, b])
    assert abs(fp.jaccard_estimate(content[0], content[1]) - true_words) < 0.1
    shared = max(overlap - 4, 0)  # 5-shingles entirely inside the shared words
    true_shingles = shared / (2 * 296 - shared)
    assert abs(fp.jaccard_estimate(shingles[0], shingles[1]) - true_shingles) < 0.1


def test_estimates_are_unbiased_on_average():
    rng = random.Random(7)
    errors = []
    for _ in range(30):
        n_a, n_b, shared = rng.randint(20, 400), rng.randint(20, 400), 0
        shared = rng.randint(0, min(n_a, n_b))
        a = words(0, n_a)
        b = words(n_a - shared, n_a - shared + n_b)
        _, content = fp.signatures([a, b])
        errors.append(fp.jaccard_estimate(content[0], content[1]) - shared / (n_a + n_b - shared))
    assert abs(np.mean(errors)) < 0.03
    assert max(map(abs, errors)) < 0.15


def test_identical_texts_identical_signatures_whatever_case_and_spacing():
    a = fp.signatures(["Officials said the bridge will reopen on 3 May."])
    b = fp.signatures(["OFFICIALS   said the bridge\nwill reopen on 3 May!"])
    assert (a[0] == b[0]).all() and (a[1] == b[1]).all()
    assert fp.jaccard_estimate(a[0][0], b[0][0]) == 1.0


def test_word_order_matters_for_shingles_not_for_words():
    text = words(0, 100)
    shuffled = " ".join(random.Random(1).sample(text.split(), 100))
    shingles, content = fp.signatures([text, shuffled])
    assert fp.jaccard_estimate(content[0], content[1]) == 1.0
    assert fp.jaccard_estimate(shingles[0], shingles[1]) < 0.1


@pytest.mark.parametrize("text", ["", "   ", "?!. ,"])
def test_empty_text_matches_nothing(text):
    shingles, content = fp.signatures([text, text])
    assert fp.is_empty(shingles).all() and fp.is_empty(content).all()
    assert (shingles == fp.EMPTY).all()
    assert fp.jaccard_estimate(shingles[0], shingles[1]) == 0.0
    assert fp.jaccard_estimate(content[0], content[1]) == 0.0


def test_stopwords_only_has_shingles_but_no_words():
    shingles, content = fp.signatures(["and then it was the one that they had been in"])
    assert not fp.is_empty(shingles[0]) and fp.is_empty(content[0])


def test_short_texts_get_one_shingle():
    shingles, _ = fp.signatures(["Breaking news", "breaking NEWS", "breaking", "news breaking"])
    assert not fp.is_empty(shingles).any()
    assert fp.jaccard_estimate(shingles[0], shingles[1]) == 1.0
    assert fp.jaccard_estimate(shingles[0], shingles[2]) < 0.1
    assert fp.jaccard_estimate(shingles[0], shingles[3]) < 0.1


def test_no_empty_bins_left_in_small_sets():
    # One content word fills every bin by densification: equal one-word sets match fully,
    # different ones not at all.
    _, content = fp.signatures(["Zelenskyy", "zelenskyy", "Macron"])
    assert not (content == fp.EMPTY).any()
    assert fp.jaccard_estimate(content[0], content[1]) == 1.0
    assert fp.jaccard_estimate(content[0], content[2]) == 0.0
