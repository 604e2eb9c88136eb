"""The story clusterer's state as stored data: a checkpoint to continue from without replaying.

A restored clusterer (link/stories/cluster.py ``restore``) replays every stored membership, so
its cost grows with the store. A checkpoint holds only what the next decision can read:

- both document-frequency tables (bounded by the vocabulary), the sequence counter and the
  newest time seen (the clock of the active window);
- the active stories (bounded by the window): their profile sums (fixed-point vector sum,
  entity document counts, summed TF-IDF vector and its squared norm), times, members, profile
  and centroid row;
- the items of their profile members (bounded by Params.profile_s and profile_members): what a
  merge refolds and the nearest-member gain reads (id, entity weights, time, unit TF-IDF vector
  as of arrival, article vector); the other members of active stories by id only.

Retired stories are left out: they can never be candidates again, so nothing reads them.

Encoding: JSON for the dictionaries and numpy ``tobytes`` for the matrices, never pickle (a
store file may come from anywhere). JSON writes a float as its shortest exact repr and keeps
dict order, the sums are exact integers (int64 blobs for the vectors), so a restored clusterer
holds bit-for-bit the state of the one that was saved and continues with the same decisions.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from storyline.analyze.embed import DIM
from storyline.link.stories.features import Item
from storyline.link.stories.state import Story
from storyline.store.records import StoryCheckpoint

FORMAT = 2


def snapshot(clusterer: Any, version: str) -> StoryCheckpoint:
    """The state of a StoryClusterer that later decisions can read (see the module docstring).
    Typed loosely: cluster.py imports this module, so this one cannot import it back."""
    c = clusterer
    active = list(c._active.stories.values())  # dict order kept: it is the order ties see
    seqs = sorted(seq for s in active for seq in s.profile)
    held = set(seqs)
    ids = sorted([seq, c._ids[seq]] for s in active for seq in s.members if seq not in held)
    vectors: list[np.ndarray] = []
    items = []
    for seq in seqs:
        item = c._items[seq]
        row = -1
        if item.vector is not None:
            row = len(vectors)
            vectors.append(np.asarray(item.vector, dtype=np.float32))
        items.append([seq, c._ids[seq], item.time, dict(item.entities), c._lex.get(seq), row])
    sums: list[np.ndarray] = []
    stories = []
    for s in active:
        row = -1
        if s.vsum is not None:
            row = len(sums)
            sums.append(np.asarray(s.vsum, dtype=np.int64))
        stories.append([s.key, s.index, s.members, s.profile, s.ent_docs, s.lex, s.lex_sq, s.first_time,
                        s.last_time, s.last_seq, s.row, row])
    state = {
        "format": FORMAT,
        "next": c._next,
        "retired": c._retired + len(c._stories) - len(active),
        "now": c._active.now,
        "df": [c._df.n, c._df.df],
        "tdf": [c._tdf.n, c._tdf.df],
        "centroids": [c._centroids.used, c._centroids.free],
        "items": items,
        "ids": ids,
        "stories": stories,
    }
    return StoryCheckpoint(version=version, next_seq=c._next, state=json.dumps(state, separators=(",", ":")),
                           vectors=_blob(vectors, np.float32), sums=_blob(sums, np.int64))


def from_snapshot(cls: type, checkpoint: StoryCheckpoint, params: Any) -> Any:
    """A clusterer in the state ``checkpoint`` was taken in (its retired stories forgotten)."""
    state = json.loads(checkpoint.state)
    if state.get("format") != FORMAT:
        raise ValueError(f"story checkpoint format {state.get('format')!r} is not {FORMAT}")
    vectors = _matrix(checkpoint.vectors, "<f4")
    sums = _matrix(checkpoint.sums, "<i8")
    c = cls(params)
    c._next = int(state["next"])
    c._retired = int(state["retired"])
    c._df.n, c._df.df = state["df"][0], state["df"][1]
    c._tdf.n, c._tdf.df = state["tdf"][0], state["tdf"][1]
    for seq, aid, time, entities, lex, row in state["items"]:
        c._ids[seq] = aid
        c._seq_of[aid] = seq
        c._items[seq] = Item(aid, vectors[row] if row >= 0 else None, entities, time)
        if lex is not None:
            c._lex[seq] = lex
    for seq, aid in state["ids"]:
        c._ids[seq] = aid
        c._seq_of[aid] = seq
    used, free = state["centroids"]
    centroids = c._centroids
    while len(centroids.mat) < used:  # the capacity the original grew to (doubling)
        centroids.used = len(centroids.mat)
        centroids._take()
    centroids.used, centroids.free = used, list(free)
    for key, index, members, profile, ent_docs, lex, lex_sq, first, last, last_seq, crow, srow in state["stories"]:
        story = Story(key, index, members, profile, sums[srow].copy() if srow >= 0 else None, ent_docs, lex,
                      lex_sq, first, last, last_seq, -1)
        c._stories[key] = story
        for seq in members:
            c._story_of[seq] = key
        for t in lex:
            c._postings.setdefault(t, set()).add(key)
        c._active.touch(story)
        if crow >= 0:  # same row as before: the matrix layout is restored too
            story.row = crow
            centroids.put(story)
    c._active.now = state["now"]
    return c


def _blob(rows: list[np.ndarray], dtype) -> bytes:
    if not rows:
        return b""
    return np.stack(rows).astype(np.dtype(dtype).newbyteorder("<")).tobytes()


def _matrix(blob: bytes | None, dtype: str) -> np.ndarray:
    if not blob:
        return np.zeros((0, DIM), dtype=dtype)
    return np.frombuffer(bytes(blob), dtype=dtype).reshape(-1, DIM)
