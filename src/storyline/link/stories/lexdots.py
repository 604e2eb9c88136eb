"""Many sparse dot products against one article's TF-IDF vector at once, equal to the last bit
to :func:`~storyline.link.stories.state.sparse_dot` one at a time.

Placing one article compares its TF-IDF vector with those of up to ``candidates`` x
``member_limit`` recent story members and of every story sharing one of its heaviest terms: on
the million-article planted stream about 1,500 dot products an article, half of the story
step's time one at a time (each a set intersection of a few hundred keys in Python). Here each
vector is turned once into arrays of term numbers and weights (a member's when it is first
compared, a story's after each change), the article's weights are spread into a dense array,
and one gather gives every product of every vector.

The products are the same floating-point multiplications as ``sparse_dot``'s, and each vector's
are summed with ``math.fsum``, correctly rounded whatever their order, so every cosine (and so
every decision) is exactly what it was. Term numbers are a cache of this process: they are not
in the checkpoint and are given in the order terms are first met, which no result depends on.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping, Sequence

import numpy as np

from storyline.link.stories.state import Story

Arrays = tuple[np.ndarray, np.ndarray]  # term numbers (int64), weights (float64)


class LexDots:
    """Term numbers, the arrays of the vectors compared, and a dense scratch array for the
    article vector they are compared with."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self._num: dict[str, int] = {}
        self._dense = np.zeros(4096, dtype=np.float64)
        # A member's arrays, with the vector they were made from: a member's unit TF-IDF vector
        # is never changed in place, so the same object means the same arrays.
        self._members: dict[int, tuple[Mapping[str, float], Arrays]] = {}
        self._vectors: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # the same for article vectors
        # A story's, with the story, its summed vector and lex_version: the sums change in place
        # (lex_version counts that), a retired story's are replaced, and a merge makes a new
        # story under the old key.
        self._stories: dict[str, tuple[Story, dict, int, Arrays]] = {}

    def arrays(self, vec: Mapping[str, float | int]) -> Arrays:
        num = self._num
        try:  # most vectors hold known terms only: looked up in C
            ids = np.fromiter(map(num.__getitem__, vec), dtype=np.int64, count=len(vec))
        except KeyError:
            ids = np.fromiter((num.setdefault(t, len(num)) for t in vec), dtype=np.int64, count=len(vec))
        return ids, np.fromiter(vec.values(), dtype=np.float64, count=len(vec))

    def member(self, seq: int, vec: Mapping[str, float]) -> Arrays:
        """The arrays of member ``seq``'s unit TF-IDF vector ``vec``."""
        held = self._members.get(seq)
        if held is not None and held[0] is vec:
            return held[1]
        out = self.arrays(vec)
        self._members[seq] = (vec, out)
        return out

    def vector(self, seq: int, vector: np.ndarray) -> np.ndarray:
        """Member ``seq``'s article vector as float64 (its cosines are taken in float64)."""
        held = self._vectors.get(seq)
        if held is not None and held[0] is vector:
            return held[1]
        out = np.asarray(vector, dtype=np.float64)
        self._vectors[seq] = (vector, out)
        return out

    def story(self, story: Story) -> Arrays:
        """The arrays of ``story``'s summed TF-IDF vector as it is now."""
        held = self._stories.get(story.key)
        if held is not None and held[0] is story and held[1] is story.lex and held[2] == story.lex_version:
            return held[3]
        out = self.arrays(story.lex)
        self._stories[story.key] = (story, story.lex, story.lex_version, out)
        return out

    def forget(self, members: Container[int], stories: Container[str], held: int, terms: int) -> None:
        """Drop the arrays of members and stories no longer ``held`` (``members``, ``stories``:
        those that are) once the caches hold three times as many, and start the numbering
        again once it holds four times the ``terms`` the active stories carry: memory bounded
        on a stream of any length, the cost amortised (no result depends on the numbering)."""
        if len(self._num) > 4 * terms + 65536:
            self._clear()
        elif len(self._members) + len(self._vectors) + len(self._stories) > 3 * held + 4096:
            self._members = {s: v for s, v in self._members.items() if s in members}
            self._vectors = {s: v for s, v in self._vectors.items() if s in members}
            self._stories = {k: v for k, v in self._stories.items() if k in stories}

    def dots(self, query: Arrays, vectors: Sequence[Arrays]) -> list[float]:
        """``sparse_dot(q, v)`` for every ``v`` in ``vectors``, ``q`` the vector of ``query``'s
        arrays. ``q``'s weights must all be nonzero (a unit TF-IDF vector keeps positive
        weights only): a term is shared where ``q``'s weight is not zero."""
        if not vectors:
            return []
        qids, qw = query
        if not len(qids):
            return [0.0] * len(vectors)
        if len(self._num) > len(self._dense):  # every array given was made before this call
            self._dense = np.zeros(max(len(self._num), 2 * len(self._dense)), dtype=np.float64)
        dense = self._dense
        dense[qids] = qw
        try:
            ids = np.concatenate([v[0] for v in vectors])
            weights = np.concatenate([v[1] for v in vectors])
            got = dense[ids]
            shared = np.flatnonzero(got)  # positions of the terms the query carries
            products = (got[shared] * weights[shared]).tolist()
            starts = np.zeros(len(vectors) + 1, dtype=np.int64)
            np.cumsum([len(v[0]) for v in vectors], out=starts[1:])
            bounds = np.searchsorted(shared, starts).tolist()
        finally:
            dense[qids] = 0.0
        return [math.fsum(products[bounds[k]:bounds[k + 1]]) for k in range(len(vectors))]
