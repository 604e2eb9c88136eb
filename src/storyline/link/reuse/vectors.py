"""Span vectors: each text span of an article embedded once, stored, and only when a step needs it.

An article's stored :class:`SentenceVectors` row holds one unit vector per *span* (character
offsets into the body; the vector of ``(s, e)`` is always ``embed(body[s:e])``). Which spans are
there depends on what the article has been through:

- the embed step stores its *lead*, the first LEAD_SENTENCES sentences of ``align_spans(body)``:
  all the article vector needs (fingerprints, vector candidates, story assignment);
- the compare step asks for every aligned sentence of both articles of a candidate pair;
- the story facts ask for every aligned sentence of a story's articles, and for the quotation
  fragments (the words inside the marks) of its quotes; a story of one article only for its
  dated sentences.

What is asked and not stored is embedded in one model call for the whole batch and written back
with what was there (the union), so no span is ever embedded twice: quotations are embedded once
per article instead of on every rebuild of their story's facts, and only an article longer than
the lead pays for its other sentences when a pair or a story needs them.

The lead is the article vector's VECTOR_SENTENCES (40). A shorter lead embeds much less, but the
stories get worse: on benchmarks/incremental.py's 20 new articles on a 1,000-article store, a lead
of 8 embeds 336 sentences instead of 530, while ECB+ story clustering (benchmarks/stories.py, all
772 documents) falls from pair F1 0.807 / BCubed 0.827 (40) to 0.797 / 0.820 (16) and 0.794 /
0.817 (8). Quality first: 40 stays until the story features stop leaning on the whole article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from storyline.analyze.embed import DIM, embed
from storyline.link.reuse.align import align_spans
from storyline.link.reuse.candidates import VECTOR_SENTENCES
from storyline.records import Article
from storyline.store import Store
from storyline.store.records import SentenceVectors

# Bump with the embedding model or the sentence splitting (align_spans): stored vectors of
# another version are neither read nor extended.
EMBED_VERSION = "1"
# The lead: news puts the story in its first sentences, and the article vector is their mean.
LEAD_SENTENCES = VECTOR_SENTENCES

Span = tuple[int, int]


def lead_spans(body: str) -> list[Span]:
    return align_spans(body)[:LEAD_SENTENCES]


def embed_spans(wanted: Sequence[tuple[Article, Sequence[Span]]],
                stored: Mapping[str, SentenceVectors] | None = None) -> dict[str, SentenceVectors]:
    """Each article's vectors for its wanted spans plus those in ``stored``: the missing spans of
    all articles embedded in one model call. Pure (the store is read and written by the caller)."""
    stored = stored or {}
    have: dict[str, dict[Span, np.ndarray]] = {}
    todo: list[tuple[str, Span]] = []
    for article, spans in wanted:
        known = have.setdefault(article.id, {})
        if article.id in stored:
            known.update(zip(stored[article.id].spans, stored[article.id].matrix))
        todo += [(article.id, span) for span in dict.fromkeys(spans) if span not in known]
    bodies = {a.id: a.body for a, _ in wanted}
    # Rounded as they are stored (float16), so that what is computed now and what is read back
    # later are the same numbers (a story's facts built twice must agree).
    matrix = np.asarray(embed([bodies[aid][s:e] for aid, (s, e) in todo]), dtype=np.float16).astype(np.float32)
    for (aid, span), row in zip(todo, matrix):
        have[aid][span] = row
    return {aid: _row(known) for aid, known in have.items()}


def span_vectors(store: Store, wanted: Sequence[tuple[Article, Sequence[Span]]]) -> dict[str, dict[Span, np.ndarray]]:
    """{article id: {span: vector}} for every wanted span, from the store where stored, the rest
    embedded now (one model call) and written back with what was stored."""
    ids = list(dict.fromkeys(a.id for a, _ in wanted))
    stored = store.sentence_vectors(ids, EMBED_VERSION)
    merged = embed_spans(wanted, stored)
    grown = {aid: sv for aid, sv in merged.items()
             if aid not in stored or len(sv.spans) > len(stored[aid].spans)}
    if grown:
        store.put_sentence_vectors(grown, EMBED_VERSION)
    return {aid: dict(zip(sv.spans, sv.matrix)) for aid, sv in merged.items()}


def matrix_of(vectors: Mapping[Span, np.ndarray], spans: Sequence[Span]) -> np.ndarray:
    """The rows of ``spans`` in their order (a (0, DIM) array for none)."""
    if not spans:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([vectors[s] for s in spans]).astype(np.float32, copy=False)


def sentence_matrices(store: Store, articles: Sequence[Article]) -> dict[str, tuple[list[Span], np.ndarray]]:
    """Every aligned sentence of each article with its vector: {id: (spans, matrix)}."""
    spans = {a.id: align_spans(a.body) for a in articles}
    vectors = span_vectors(store, [(a, spans[a.id]) for a in articles])
    return {a.id: (spans[a.id], matrix_of(vectors[a.id], spans[a.id])) for a in articles}


def _row(known: Mapping[Span, np.ndarray]) -> SentenceVectors:
    spans = sorted(known)
    return SentenceVectors(tuple(spans), matrix_of(known, spans))
