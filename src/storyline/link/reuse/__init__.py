"""Reuse: fingerprints and vectors give candidate pairs (``candidates``, ``lsh``); ``align``
pairs their sentences (``paraphrase`` decides rewrites); ``compare`` judges a pair's kind,
``direction`` who copied whom, ``drift`` what the copy changed; ``steps`` are the resumable
steps over the store (run as Steps by run/reuse_steps.py)."""
