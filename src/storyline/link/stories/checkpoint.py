"""The story clusterer's state as stored data: a checkpoint to continue from without replaying.

A restored clusterer (link/stories/cluster.py ``restore``) replays every stored membership, so
its cost grows with the store. A checkpoint holds only what the next decision can read:

- both document-frequency tables (bounded by the vocabulary), the sequence counter and the
  newest time seen (the clock of the active window);
- the active stories (bounded by the window): their profile sums (fixed-point vector sum,
  entity document counts, summed TF-IDF vector and its squared norm, the members whose lead
  names each person), times, members, profile and centroid row;
- the items of their profile members (bounded by Params.profile_s and profile_members): what a
  merge refolds and the nearest-member gain reads (id, entity weights, time, unit TF-IDF vector
  as of arrival, article vector, the people of its lead); the other members of active stories by id only.

Retired stories are left out: they can never be candidates again, so nothing reads them.

Stored in parts (format 3): a header (the tables, counter, clock and centroid rows), one part
per active story (``s/`` + key: its sums, members and profile; the members outside the profile
by id) and one per held item (``i/`` + arrival index). An item never changes once it arrives,
and a batch changes only the stories it touches (StoryClusterer marks them), so a batch's
snapshot is a delta: the header, the stories it changed, the items that arrived, and the keys
of what retired or left a profile. At 100k articles the whole state is 84 MB and a batch of
200 changes a few hundred of its parts (benchmarks/README.md, session 10).

Encoding: JSON for the lists and small dictionaries and numpy ``tobytes`` for the numbers, never
pickle (a store file may come from anywhere). Format 4 parts keep the TF-IDF vectors as their
terms (a JSON list, in the dictionary's order) and their weights in the blob after the article
or sum vector (float64 for an item's unit weights, int64 for a story's fixed-point sums).
Decoding the weights from text was most of the JSON decoding that a restore spends half its time
on: the 14,660 active stories of a 20,000-article store restore in 6.2 s instead of 8.6 (262 MB
of JSON became 111 MB), the 2,468 of the 10k incremental store in 0.97 s instead of 1.31 (CPU
time, best of three, a throwaway timing of ``from_snapshot``); the rest is the term postings.
The bytes hold every bit of every weight, so a restored clusterer holds bit-for-bit the state of
the one that was saved and continues with the same decisions. Format 3 parts (the weights as
JSON dictionaries: a float as its shortest exact repr) are read as well, and a store may hold
both kinds, since a delta rewrites only what changed; a story sum too large for int64 (never
met: a profile is at most ``profile_members`` weights of at most 2**40) is written the format 3
way.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import numpy as np

from storyline.analyze.embed import DIM
from storyline.link.stories.features import Item
from storyline.link.stories.state import Story
from storyline.store.records import CheckpointPart, StoryCheckpoint

FORMAT = 4
FORMATS = (3, 4)  # headers read (format 2 has its own reader)
STORY = "s/"  # part key prefix of an active story (then its key)
ITEM = "i/"  # part key prefix of a held member's item (then its arrival index)


def snapshot(clusterer: Any, version: str, delta: bool = False) -> StoryCheckpoint:
    """The state of a StoryClusterer that later decisions can read (see the module docstring).
    Typed loosely: cluster.py imports this module, so this one cannot import it back.

    With ``delta``, only what changed since the clusterer's last snapshot (or the checkpoint it
    was restored from) is in the parts, and what left since is dropped: the store applies it
    over the parts it holds. The clusterer then counts this snapshot as written; one that is
    not written (a failed transaction) must be discarded with the clusterer."""
    c = clusterer
    active = sorted(c._active.stories.values(), key=lambda s: s.index)
    seqs = sorted(seq for s in active for seq in s.profile)
    saved = c._saved if delta else None
    parts = []
    for s in active:
        if saved is None or s.key in c._dirty or s.key not in saved[0]:
            parts.append(_story_part(c, s))
    for seq in seqs:
        if saved is None or seq not in saved[1]:
            parts.append(_item_part(c, seq))
    keys, held = {s.key for s in active}, set(seqs)
    dropped = () if saved is None else tuple(sorted(
        [STORY + k for k in saved[0] - keys] + [ITEM + str(q) for q in saved[1] - held]))
    base = c.token if saved is not None else None
    c._saved, c._dirty, c.token = (keys, held), set(), secrets.token_hex(8)
    state = {
        "format": FORMAT,
        "next": c._next,
        "settled": c._settled,
        "retired": c._retired + len(c._stories) - len(active),
        "now": c._active.now,
        "df": [c._df.n, c._df.df],
        "tdf": [c._tdf.n, c._tdf.df],
        "centroids": [c._centroids.used, c._centroids.free],
    }
    return StoryCheckpoint(version=version, next_seq=c._next, state=_json(state), parts=tuple(parts),
                           dropped=dropped, whole=saved is None, token=c.token, base=base)


def _story_part(c: Any, s: Story) -> CheckpointPart:
    profile = set(s.profile)
    ids = [[seq, c._ids[seq]] for seq in s.members if seq not in profile]  # the other members, by id
    blob = np.asarray(s.vsum, dtype="<i8").tobytes() if s.vsum is not None else b""
    try:
        weights = np.fromiter(s.lex.values(), dtype="<i8", count=len(s.lex)).tobytes()
        lex: Any = list(s.lex)
    except OverflowError:  # a sum past int64: the format 3 way (module docstring)
        weights, lex = b"", s.lex
    data = [s.key, s.index, s.members, s.profile, s.ent_docs, lex, s.lex_sq, s.first_time, s.last_time,
            s.last_seq, s.row, ids, s.lead_docs]
    return CheckpointPart(STORY + s.key, _json(data), blob + weights)


def _item_part(c: Any, seq: int) -> CheckpointPart:
    item = c._items[seq]
    blob = np.asarray(item.vector, dtype="<f4").tobytes() if item.vector is not None else b""
    lex = c._lex.get(seq)
    terms = None if lex is None else list(lex)
    if lex:
        blob += np.fromiter(lex.values(), dtype="<f8", count=len(lex)).tobytes()
    return CheckpointPart(ITEM + str(seq), _json([seq, c._ids[seq], item.time, dict(item.entities), terms,
                                                      sorted(item.lead), sorted(item.people)]), blob)


def _weights(blob: bytes, terms: list[str] | dict | None, dtype: str) -> tuple[bytes, dict | None]:
    """Split a part's blob into its vector's bytes and its TF-IDF weights by term (a format 3
    part has its weights as a dictionary in the JSON already and only the vector in the blob)."""
    if terms is None or isinstance(terms, dict):
        return blob, terms
    cut = len(blob) - 8 * len(terms)  # both weight types are 8 bytes
    return blob[:cut], dict(zip(terms, np.frombuffer(blob, dtype=dtype, offset=cut).tolist()))


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def from_snapshot(cls: type, checkpoint: StoryCheckpoint, params: Any) -> Any:
    """A clusterer in the state ``checkpoint`` was taken in (its retired stories forgotten).
    Reads format 3 (parts) and format 2 (everything in the header row, written before parts
    existed; the clusterer's next snapshot is then whole)."""
    state = json.loads(checkpoint.state)
    if state.get("format") == 2:
        return _from_format2(cls, checkpoint, state, params)
    if state.get("format") not in FORMATS:
        raise ValueError(f"story checkpoint format {state.get('format')!r} is none of {FORMATS}")
    c = _header(cls, checkpoint, state, params)
    stories = []
    for part in checkpoint.parts:
        data = json.loads(part.data)
        if part.key.startswith(ITEM):
            # No lead, no people: written before they were kept.
            seq, aid, time, entities, terms, *lead = data
            blob, lex = _weights(part.blob, terms, "<f8")
            vector = np.frombuffer(blob, dtype="<f4").copy() if blob else None
            _hold(c, seq, aid)
            c._items[seq] = Item(aid, vector, entities, time, lead=frozenset(lead[0] if lead else ()),
                                 people=frozenset(lead[1] if len(lead) > 1 else ()))
            if lex is not None:
                c._lex[seq] = lex
        elif part.key.startswith(STORY):
            key, index, members, profile, ent_docs, terms, lex_sq, first, last, last_seq, crow, ids, *lead = data
            blob, lex = _weights(part.blob, terms, "<i8")
            vsum = np.frombuffer(blob, dtype="<i8").copy() if blob else None
            for seq, aid in ids:
                _hold(c, seq, aid)
            stories.append((Story(key, index, members, profile, vsum, ent_docs, lex, lex_sq, first, last,
                                  last_seq, -1, lead[0] if lead else {}), crow))
        else:
            raise ValueError(f"story checkpoint part {part.key!r} is of no known kind")
    _activate(c, sorted(stories, key=lambda sc: sc[0].index), state)
    c._saved = ({s.key for s, _ in stories}, set(c._items))
    return c


def _header(cls: type, checkpoint: StoryCheckpoint, state: dict, params: Any) -> Any:
    c = cls(params)
    c.token = checkpoint.token
    c._next = int(state["next"])
    c._settled = int(state.get("settled", c._next - 1))  # a checkpoint without it: every look given
    c._retired = int(state["retired"])
    c._df.n, c._df.df = state["df"][0], state["df"][1]
    c._tdf.n, c._tdf.df = state["tdf"][0], state["tdf"][1]
    used, free = state["centroids"]
    centroids = c._centroids
    while len(centroids.mat) < used:  # the capacity the original grew to (doubling)
        centroids.used = len(centroids.mat)
        centroids._take()
    centroids.used, centroids.free = used, list(free)
    return c


def _hold(c: Any, seq: int, aid: str) -> None:
    c._ids[seq] = aid
    c._seq_of[aid] = seq


def _activate(c: Any, stories: list, state: dict) -> None:
    """Hold the restored stories as active, each in its centroid row of before (the matrix
    layout is restored too)."""
    for story, crow in stories:
        c._stories[story.key] = story
        for seq in story.members:
            c._story_of[seq] = story.key
        for t in story.lex:
            c._postings.setdefault(t, set()).add(story.key)
        c._active.touch(story)
        if crow >= 0 and story.centroid() is not None:
            story.row = crow
            c._centroids.put(story)
    c._active.now = state["now"]


def _from_format2(cls: type, checkpoint: StoryCheckpoint, state: dict, params: Any) -> Any:
    vectors = _matrix(checkpoint.vectors, "<f4")
    sums = _matrix(checkpoint.sums, "<i8")
    c = _header(cls, checkpoint, state, params)
    for seq, aid, time, entities, lex, row in state["items"]:
        _hold(c, seq, aid)
        c._items[seq] = Item(aid, vectors[row] if row >= 0 else None, entities, time)
        if lex is not None:
            c._lex[seq] = lex
    for seq, aid in state["ids"]:
        _hold(c, seq, aid)
    stories = [(Story(key, index, members, profile, sums[srow].copy() if srow >= 0 else None, ent_docs, lex,
                      lex_sq, first, last, last_seq, -1), crow)
               for key, index, members, profile, ent_docs, lex, lex_sq, first, last, last_seq, crow, srow
               in state["stories"]]
    _activate(c, stories, state)
    return c


def _matrix(blob: bytes | None, dtype: str) -> np.ndarray:
    if not blob:
        return np.zeros((0, DIM), dtype=dtype)
    return np.frombuffer(bytes(blob), dtype=dtype).reshape(-1, DIM)
