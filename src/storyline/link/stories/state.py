"""The state behind the story clusterer: stories, entity document frequencies, the active set.

Everything here is a pure function of the ordered items and their story memberships:

- a story's sums (vector, entity document counts, TF-IDF vector) are exact fixed-point sums
  over its profile (Story), so a story that grew by a merge holds exactly the sums of one that
  got the same members one at a time, and a member leaving the profile leaves no residue;
- document frequencies are integer counts;
- a story is active while its newest member is within the time window of the newest time seen
  and within the last ``window_items`` arrivals; which stories are active therefore depends on
  each story's own members only. The centroid matrix rows of active stories are reused through a
  free list, so their layout depends on history, but no decision depends on the layout: the
  cosines that decide are recomputed row by row (see Centroids.nearest) and ties are broken by
  story age.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from storyline.analyze.embed import DIM
from storyline.link.stories.features import Item, is_year_key, year_keys


# Story sums are fixed-point integers: a member's vector entries and unit TF-IDF weights (all in
# [-1, 1]) times FIXED, rounded. Integer sums are exact, so a member that leaves a story's profile
# is subtracted without residue, a term whose weight returns to zero leaves the profile, and the
# sums do not depend on the order they were folded in: a story that grew by a merge holds exactly
# the sums of one that got the same members one at a time, and a restored clusterer decides as
# the saved one did. 2**40 keeps ~12 significant digits per weight, far below any decision's
# margin, and a profile of up to 2**22 members inside int64.
FIXED = float(2**40)


def fixed_vector(vector) -> np.ndarray:
    return np.rint(np.asarray(vector, dtype=np.float64) * FIXED).astype(np.int64)


@dataclass(slots=True)
class Story:
    """A story: every member (arrival indices, ascending) and the sums over its *profile*, the
    members that have not left it (:meth:`leaving`; Params.profile_s, profile_members). Leaving is
    for good: a member's count of newer members and the story's newest time only grow. So the
    profile is a function of the members alone, however they came together (joins one at a
    time, or merges: a member in the merged profile was in its own story's). Decisions read the
    profile only, so a story that runs for months is judged by what it is about now, and the
    clusterer holds the items of profile members only."""

    key: str  # id of the first article
    index: int  # arrival index of the first article (age order)
    members: list[int] = field(default_factory=list)  # arrival indices, ascending
    profile: list[int] = field(default_factory=list)  # the profile's members, ascending
    vsum: np.ndarray | None = None  # int64 fixed-point sum of the profile's vectors
    ent_docs: dict[str, int] = field(default_factory=dict)  # profile members naming each entity
    lex: dict[str, int] = field(default_factory=dict)  # fixed-point sum of their unit TF-IDF vectors
    lex_sq: int = 0  # squared norm of lex (exact)
    first_time: float | None = None  # over every member
    last_time: float | None = None
    last_seq: int = -1
    row: int = -1  # centroid matrix row while active, else -1
    lead_docs: dict[str, int] = field(default_factory=dict)  # profile members whose lead names each person (Item.lead)
    # Counts the changes to lex (LexDots keeps a story's arrays while it is the same); not state.
    lex_version: int = field(default=0, compare=False, repr=False)

    @property
    def size(self) -> int:
        """How many members the profile holds."""
        return len(self.profile)

    def add(self, seq: int, item: Item, lex: Mapping[str, float] | None = None) -> None:
        """Append one member (the newest: seq is larger than every member's) and fold it into
        the profile; lex is its unit TF-IDF vector (IDF as of its arrival)."""
        self.members.append(seq)
        self.profile.append(seq)
        self.last_seq = seq
        self.fold(item, lex, 1)
        if item.time is not None:
            self.first_time = item.time if self.first_time is None else min(self.first_time, item.time)
            self.last_time = item.time if self.last_time is None else max(self.last_time, item.time)

    def fold(self, item: Item, lex: Mapping[str, float] | None, sign: int) -> None:
        """Add (sign 1) or subtract (sign -1) one profile member's vector, names and words."""
        if lex:
            self.lex_version += 1
            for t, w in lex.items():
                x = round(w * FIXED)
                if not x:
                    continue
                old = self.lex.get(t, 0)
                new = old + sign * x
                self.lex_sq += new * new - old * old
                if new:
                    self.lex[t] = new
                else:
                    del self.lex[t]
        if item.vector is not None:
            v = fixed_vector(item.vector)
            if self.vsum is None:
                self.vsum = v if sign > 0 else -v
            else:
                self.vsum = self.vsum + v if sign > 0 else self.vsum - v
        for counts, keys in ((self.ent_docs, item.entities), (self.lead_docs, sorted(item.lead))):
            for key in keys:
                n = counts.get(key, 0) + sign
                if n:
                    counts[key] = n
                else:
                    del counts[key]

    def vector_sum(self) -> np.ndarray | None:
        """The profile's vector sum as float64 (None when no profile member has a vector)."""
        return None if self.vsum is None else self.vsum.astype(np.float64) / FIXED

    def centroid(self) -> np.ndarray | None:
        if self.vsum is None:
            return None
        v = self.vsum.astype(np.float64)
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else None

    def lex_cosine(self, vec: Mapping[str, float]) -> float:
        """Cosine of a unit sparse vector with the profile's summed TF-IDF vector."""
        if not vec or self.lex_sq <= 0:
            return 0.0
        return sparse_dot(vec, self.lex) / math.sqrt(self.lex_sq)

    def leaving(self, items: Mapping[int, Item], profile_s: float, profile_members: int) -> list[int]:
        """The profile members that are no longer in it: those with ``profile_members`` or more
        newer members, and dated ones more than ``profile_s`` before the story's newest time.
        ``items`` holds every profile member's item."""
        n = len(self.members)
        last_in = self.members[n - profile_members] if n >= profile_members else -1  # oldest kept by count
        oldest = None if self.last_time is None else self.last_time - profile_s
        return [seq for seq in self.profile
                if seq < last_in or (oldest is not None and (t := items[seq].time) is not None and t < oldest)]


def sparse_dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The dot product of two sparse vectors (term -> weight). The shared terms are found by a
    set intersection of the keys, in C, and only those are multiplied in Python: a member's or
    story's vector shares a few dozen of an article's hundreds of terms, so looking each term up
    in Python was most of the clustering time (the nearest-member gain and the lexical
    candidates: 55% of a profile on a synthetic stream). A set's order follows string hashes,
    which differ from process to process, so the products are summed with math.fsum, whose
    result (correctly rounded) does not depend on their order: a restored clusterer in another
    process decides as the saved one did. The smaller vector's keys make the set, and a list
    feeds fsum (a generator cost a third more: 96k dot products per 100 articles at 50k)."""
    if len(a) > len(b):
        a, b = b, a
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])


def majority_years(story: Story) -> list[str]:
    """The year keys ("#2013") named by at least half of the story's members, sorted."""
    half = story.size / 2
    return sorted(k for k in year_keys(story.ent_docs) if story.ent_docs[k] >= half)


def rebuilt(key: str, index: int, members: list[int], items: Mapping[int, Item],
            lex: Mapping[int, Mapping[str, float]], times: tuple[float | None, float | None],
            profile_s: float, profile_members: int) -> Story:
    """The story of ``members`` (after a merge): every member listed, the profile folded from
    scratch. ``items`` holds the members of the old stories' profiles; a member that had left
    its old story's profile is out of the merged one too (it has at least as many newer
    members, and the merged story's newest time is no earlier). ``times``: the first and last
    time over every member (the old stories' own)."""
    story = Story(key, index, sorted(members))
    story.first_time, story.last_time = times
    story.last_seq = story.members[-1]
    story.profile = [seq for seq in story.members if seq in items]
    leaving = set(story.leaving(items, profile_s, profile_members))
    story.profile = [seq for seq in story.profile if seq not in leaving]
    for seq in story.profile:
        story.fold(items[seq], lex.get(seq), 1)
    return story


class DocFreq:
    """Entity document frequencies and a smoothed IDF.

    idf(e) = log((N + prior) / (df(e) + 1)): ``prior`` pseudo-documents mentioning nothing keep
    the first articles of a stream from treating every name as common (with N = 1 every entity
    would otherwise have IDF 0)."""

    def __init__(self, prior: float):
        self.prior = prior
        self._n = 0
        self._df: dict[str, int] = {}
        # idf by key since the counts last changed: placing one article asks for the same
        # names' IDF once per candidate story (a tenth of the story step, computed each time).
        self._idf: dict[str, float] = {}

    @property
    def n(self) -> int:
        return self._n

    @n.setter
    def n(self, value: int) -> None:
        self._n, self._idf = value, {}

    @property
    def df(self) -> dict[str, int]:
        """Documents per key. Replace it, never change it in place (add() does that): the
        IDFs remembered since the counts last changed would go stale."""
        return self._df

    @df.setter
    def df(self, value: dict[str, int]) -> None:
        self._df, self._idf = value, {}

    def add(self, keys) -> None:
        self._n += 1
        self._idf = {}
        df = self._df
        for key in keys:
            df[key] = df.get(key, 0) + 1

    def idf(self, key: str) -> float:
        got = self._idf.get(key)
        if got is None:
            # A year gets no pseudo-documents: it is not a name met for the first time but the
            # date of much of a stream (every report of a 2014 stream names 2014 by its date),
            # and with them the first articles of a stream took a shared year for rare evidence
            # (UCI headlines, first half: pair F1 0.802 -> 0.782 with the publication year as a
            # key).
            prior = 0.0 if is_year_key(key) else self.prior
            got = self._idf[key] = max(0.0, math.log(max(self._n + prior, 1.0) / (self._df.get(key, 0) + 1)))
        return got

    def unit(self, weights: Mapping[str, float]) -> dict[str, float]:
        """weights * idf, L2-normalised (empty when nothing is left)."""
        out = {}
        sq = 0.0
        for t, w in weights.items():
            x = w * self.idf(t)
            if x > 0:
                out[t] = x
                sq += x * x
        if sq <= 0:
            return {}
        norm = math.sqrt(sq)
        return {t: x / norm for t, x in out.items()}


# Far above the float32 rounding of a 384-term dot product of unit vectors (~1e-6).
SLACK = 1e-4


class Centroids:
    """Unit centroids of the active stories, one matrix row each (rows reused via a free list)."""

    def __init__(self, capacity: int = 256):
        self.mat = np.zeros((capacity, DIM), dtype=np.float32)
        self.alive = np.zeros(capacity, dtype=bool)
        self.owner: list[str | None] = [None] * capacity
        self.used = 0
        self.free: list[int] = []

    def put(self, story: Story) -> None:
        c = story.centroid()
        if c is None:
            # No member with a vector left in its profile: no centroid to be found by, and the
            # row of the one it had is given back (kept live, a stale centroid would be found
            # by a clusterer that never stopped and not by one restored from its checkpoint).
            self.drop(story)
            return
        if story.row < 0:
            story.row = self._take()
        self.mat[story.row] = c
        self.alive[story.row] = True
        self.owner[story.row] = story.key

    def drop(self, story: Story) -> None:
        if story.row >= 0:
            self.alive[story.row] = False
            self.owner[story.row] = None
            heapq.heappush(self.free, story.row)
            story.row = -1

    def nearest(self, vector: np.ndarray, floor: float, k: int) -> list[tuple[int, float]]:
        """(row, cosine) of the live rows with cosine >= floor, the k nearest (ties: any order).

        One BLAS product ranks all rows; its last bits can depend on where a row sits, so every
        row near the cut (within SLACK of the floor or of the k-th value) is rescored on its own
        in float64, and only those exact values decide."""
        n = self.used
        if not n:
            return []
        q = np.asarray(vector, dtype=np.float32)
        fast = self.mat[:n] @ q
        fast[~self.alive[:n]] = -np.inf
        cut = floor
        if k < n:
            cut = max(cut, float(np.partition(fast, n - k)[n - k]))
        rows = np.flatnonzero(fast >= cut - SLACK)
        q64 = q.astype(np.float64)
        exact = [(int(r), float(self.mat[r].astype(np.float64) @ q64)) for r in rows]
        return [(r, c) for r, c in exact if c >= floor]

    def _take(self) -> int:
        if self.free:
            return heapq.heappop(self.free)
        if self.used == len(self.mat):
            grow = len(self.mat)
            self.mat = np.vstack([self.mat, np.zeros((grow, DIM), dtype=np.float32)])
            self.alive = np.concatenate([self.alive, np.zeros(grow, dtype=bool)])
            self.owner.extend([None] * grow)
        self.used += 1
        return self.used - 1


class ActiveSet:
    """Which stories can still take articles: those among the last ``window_items`` arrivals
    (so at most that many stories), less those whose newest member is more than ``window_s``
    before the newest time seen, but a story leaves on time only once it is also ``hold_items``
    arrivals old: a clock that jumps (a misdated article, a corpus fed out of order, undated
    follow-ups ordered after the dated ones) must not retire the story a follow-up belongs to;
    the time window keeps the work bounded on a long dated stream, it does not judge. Lazy heaps
    find the stale ones in O(log n) per update."""

    def __init__(self, window_s: float, window_items: int, hold_items: int = 0):
        self.window_s = window_s
        self.window_items = window_items
        self.hold_items = hold_items
        self.now: float | None = None
        self.stories: dict[str, Story] = {}
        self._by_seq: list[tuple[int, int, str]] = []
        self._by_time: list[tuple[float, int, str]] = []
        self._held: list[tuple[int, int, str]] = []  # (last_seq, index, key) of time-stale stories

    def touch(self, story: Story) -> None:
        self.stories[story.key] = story
        heapq.heappush(self._by_seq, (story.last_seq, story.index, story.key))
        if story.last_time is not None:
            heapq.heappush(self._by_time, (story.last_time, story.index, story.key))

    def remove(self, story: Story) -> None:
        self.stories.pop(story.key, None)

    def stale(self, seq: int, time: float | None) -> list[Story]:
        """Advance the clock to (seq, time) and pop the stories that fell out of the window."""
        if time is not None and (self.now is None or time > self.now):
            self.now = time
        out: dict[str, Story] = {}
        self._pop(self._by_seq, seq - self.window_items + 1, lambda s: s.last_seq, out)
        if self.now is not None:
            late: dict[str, Story] = {}
            self._pop(self._by_time, self.now - self.window_s, lambda s: s.last_time, late)
            for key, story in late.items():
                if seq - story.last_seq >= self.hold_items:
                    out[key] = story
                else:  # back in, until it is hold_items arrivals old
                    self.stories[key] = story
                    heapq.heappush(self._held, (story.last_seq, story.index, key))
            self._pop(self._held, seq - self.hold_items + 1, lambda s: s.last_seq, out)
        return sorted(out.values(), key=lambda s: s.index)

    def _pop(self, heap, limit, current, out) -> None:
        while heap and heap[0][0] < limit:
            value, _, key = heapq.heappop(heap)
            story = self.stories.get(key)
            if story is not None and current(story) == value:
                out[key] = self.stories.pop(key)


def centroid_cosine(a: Story, b: Story) -> float:
    """The cosine of two stories' unit centroids (-1 when either has none)."""
    ca, cb = a.centroid(), b.centroid()
    return float(np.dot(ca, cb)) if ca is not None and cb is not None else -1.0
