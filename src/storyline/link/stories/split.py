"""Splitting a story that has chained two subjects together (Params.split_every).

An online clusterer joins an article to a story through its nearest member, so a story can grow
a second subject through one bridging article ("Edward Snowden speaks at SXSW" takes the SXSW
headlines into Snowden's story). Every ``split_every`` members, the story's profile is cut in two
by 2-means over the members' article vectors; when both parts hold at least ``split_min``
members and their centroids are less than ``split_cosine`` alike, the part without the story's
oldest profile member leaves it and becomes a story of its own, keyed by its oldest member. The
check is made inside ``add`` at a fixed count of members, so what it decides is a function of
the order alone, however the stream is cut into batches, and a clusterer restored from its
checkpoint continues exactly. (The replay from memberships, StoryClusterer.restore, is exact only
without splits: it cannot know which members had left a story's profile before a split took
some of its newer members away. It serves stores written before checkpoints existed.)

Split from cluster.py to keep the decision core small: :class:`StoryClusterer` takes this as a
mixin and it works on the clusterer's state directly.
"""

from __future__ import annotations

import numpy as np

from storyline.link.stories.state import Story

# 2-means iterations (the parts settle in 2-4 on the sets measured).
ROUNDS = 10


class SplitMixin:
    """Story splitting for :class:`~storyline.link.stories.cluster.StoryClusterer`."""

    def _maybe_split(self, story: Story) -> Story:
        """Split ``story`` when it is due a check and its profile holds two subjects (module
        docstring); returns the story the current article is in afterwards."""
        p = self.params
        if not p.split_every or len(story.members) % p.split_every:
            return story
        seqs = [s for s in story.profile if self._items[s].vector is not None]
        if len(seqs) < 2 * p.split_min:
            return story
        matrix = np.stack([np.asarray(self._items[s].vector, dtype=np.float64) for s in seqs])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms > 0, norms, 1.0)
        labels, cosine = two_means(matrix)
        if labels is None or cosine >= p.split_cosine:
            return story
        # The part holding the oldest profile member keeps the story.
        moved = [s for s, label in zip(seqs, labels) if label != labels[0]]
        if min(len(moved), len(seqs) - len(moved)) < p.split_min:
            return story
        new = self._split_off(story, moved, round(cosine, 4))
        return new if self._cur in moved else story

    def _split_off(self, story: Story, moved: list[int], cosine: float) -> Story:
        """Move the members ``moved`` (profile members, ascending) of ``story`` to a new story
        keyed by the first of them."""
        gone = set(moved)
        self._active.remove(story)
        self._centroids.drop(story)
        for seq in moved:
            self._unfold(story, seq)
        story.members = [s for s in story.members if s not in gone]
        story.profile = [s for s in story.profile if s not in gone]
        story.last_seq = story.members[-1]
        times = [t for s in story.profile if (t := self._items[s].time) is not None]
        if times:
            story.last_time = max(times)
        self._changed(story)

        # The moved members found a story as if they had arrived alone, in their order (none
        # leaves its profile: they were all in the old one, whose newest time is no earlier).
        new = self._start(moved[0], self._items[moved[0]])
        for seq in moved[1:]:
            self._join(new, seq, self._items[seq])
        why = {"kind": "split", "from": story.key, "centroid_cosine": cosine, "split_by": self._ids[self._cur],
               "kept": story.size, "moved": len(moved)}
        for seq in moved:
            aid = self._ids[seq]
            before = self._why.get(aid)  # placed in this batch: how it joined first
            self._why[aid] = {**why, "before": before} if before else dict(why)
        return new


def two_means(matrix: np.ndarray) -> tuple[list[int] | None, float]:
    """Two groups of unit rows by spherical 2-means, seeded by the row least like the mean and
    the row least like that one (first such row on ties: deterministic), and the cosine of the
    two groups' centroids; (None, 1.0) when the rows do not fall in two groups."""
    centre = matrix.mean(axis=0)
    a = int(np.argmin(matrix @ centre))
    b = int(np.argmin(matrix @ matrix[a]))
    ca, cb = matrix[a], matrix[b]
    labels = None
    for _ in range(ROUNDS):
        new = (matrix @ cb > matrix @ ca).astype(np.int8)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        if labels.all() or not labels.any():
            return None, 1.0
        ca = _unit(matrix[labels == 0].mean(axis=0))
        cb = _unit(matrix[labels == 1].mean(axis=0))
    return labels.tolist(), float(ca @ cb)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v
