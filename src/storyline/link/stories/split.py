"""Splitting a story that has chained two subjects together (Params.split_every).

An online clusterer joins an article to a story through its nearest member, so a story can grow
a second subject through one bridging article ("Edward Snowden speaks at SXSW" takes the SXSW
headlines into Snowden's story). Every ``split_every`` members, the story's profile is cut in two
by 2-means over the members' article vectors; when both parts hold at least ``split_min``
members and their centroids are less than ``split_cosine`` alike, the part without the story's
oldest profile member leaves it and becomes a story of its own, keyed by its oldest member.
When the vectors do not part it, the people its leads name may (:func:`people_parts`): two
events of one kind glued while both stories were small (two obituaries, two players put on
injured reserve) read alike, but nearly every report leads with one of two people and leaves
the other out. Only the profile's members are judged and moved (by either test): reports
of the other subject that left the profile before the split stay where they are. The
check is made inside ``add`` at a fixed count of members, so what it decides is a function of
the order alone, however the stream is cut into batches, and a clusterer restored from its
checkpoint continues exactly. (The replay from memberships, StoryClusterer.restore, is exact only
without splits: it cannot know which members had left a story's profile before a split took
some of its newer members away. It serves stores written before checkpoints existed.)

Split from cluster.py to keep the decision core small: :class:`StoryClusterer` takes this as a
mixin and it works on the clusterer's state directly.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from storyline.link.stories.state import Story, centroid_cosine

# 2-means iterations (the parts settle in 2-4 on the sets measured).
ROUNDS = 10
# The people (most named in the leads) whose pairs people_parts tries.
PEOPLE_TRIED = 6


class SplitMixin:
    """Story splitting for :class:`~storyline.link.stories.cluster.StoryClusterer`."""

    def _maybe_split(self, story: Story) -> Story:
        """Split ``story`` when it is due a check and its profile holds two subjects (module
        docstring): by its vectors, else by the people its leads name (:func:`people_parts`);
        returns the story the current article is in afterwards."""
        p = self.params
        if not p.split_every or len(story.members) % p.split_every:
            return story
        parted = self._vector_parts(story)
        if parted is None and p.people_split_share:
            parted = self._people_parts(story)
        if parted is None:
            return story
        moved, why = parted
        cur = self._cur
        new = self._split_off(story, moved, why)
        if p.split_home:
            # The part that left may be a piece of a story told apart from the one it left
            # (Params.split_home): it gets the second look a small piece gets.
            home = self._piece_look(new, p.rescue_min_size, "split home", exclude=story, by=cur,
                                    threshold=p.split_home_threshold)
            self._cur = cur
            new = home or new
        return new if cur in moved else story

    def _vector_parts(self, story: Story) -> tuple[list[int], dict] | None:
        """The members to move and the split's evidence when 2-means cuts the profile's
        vectors into two parts of split_min or more less than split_cosine alike."""
        p = self.params
        seqs = [s for s in story.profile if self._items[s].vector is not None]
        if len(seqs) < 2 * p.split_min:
            return None
        matrix = np.stack([np.asarray(self._items[s].vector, dtype=np.float64) for s in seqs])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms > 0, norms, 1.0)
        labels, cosine = two_means(matrix)
        if labels is None or cosine >= p.split_cosine:
            return None
        # The part holding the oldest profile member keeps the story.
        moved = [s for s, label in zip(seqs, labels) if label != labels[0]]
        if min(len(moved), len(seqs) - len(moved)) < p.split_min:
            return None
        return moved, {"centroid_cosine": round(cosine, 4)}

    def _people_parts(self, story: Story) -> tuple[list[int], dict] | None:
        """The members to move and the split's evidence when the profile's leads fall into
        two groups, each about a person the other's leads do not name (:func:`people_parts`),
        and the two parts read less than Params.people_split_cosine alike."""
        p = self.params
        seqs = list(story.profile)
        found = people_parts([self._items[s].lead for s in seqs], p.split_min, p.people_split_share,
                             p.people_split_cover)
        if found is None:
            return None
        kept, gone, moved = found
        moving = [seqs[i] for i in moved]
        leaving = set(moving)
        alike = _parts_cosine([self._items[q].vector for q in seqs if q not in leaving],
                              [self._items[q].vector for q in moving])
        if alike is not None and alike >= p.people_split_cosine:
            return None  # one story told through two people: the parts read the same
        # As not_merged's entries: "people" are the moved members' own story's, "other_people"
        # the story's they left.
        return moving, {"people": [gone], "other_people": [kept],
                        **({} if alike is None else {"centroid_cosine": round(alike, 4)})}

    def _people_apart(self, a: Story, b: Story) -> tuple[list[str], list[str]] | None:
        """(a's person, b's) when the two stories are each about its own person by their
        leads (:func:`apart_by_people`): such stories, merged, are what a split by people
        parts, so they do not merge (cluster.py ``_converge``); else None."""
        p = self.params
        if not (p.split_every and p.people_split_share):
            return None
        if a.vsum is not None and b.vsum is not None and centroid_cosine(a, b) >= p.people_split_cosine:
            return None  # read the same: merged, the split would not part them either
        found = apart_by_people([self._items[q].lead for q in a.profile if q in self._items],
                                [self._items[q].lead for q in b.profile if q in self._items],
                                p.split_min, p.people_split_share)
        return None if found is None else ([found[0]], [found[1]])

    def _split_off(self, story: Story, moved: list[int], evidence: dict) -> Story:
        """Move the members ``moved`` (profile members, ascending) of ``story`` to a new story
        keyed by the first of them; ``evidence`` (what tells the parts apart) goes into the
        moved members' evidence."""
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
        why = {"kind": "split", "from": story.key, **evidence, "split_by": self._ids[self._cur],
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


def _parts_cosine(a: list, b: list) -> float | None:
    """The cosine of the mean vectors of two groups of article vectors (members without one
    left out); None when a group has none."""
    a, b = [v for v in a if v is not None], [v for v in b if v is not None]
    if not a or not b:
        return None
    ca = _unit(np.stack(a).astype(np.float64).mean(axis=0))
    cb = _unit(np.stack(b).astype(np.float64).mean(axis=0))
    return float(ca @ cb)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def people_parts(leads: list[frozenset[str]], min_part: int, share: float,
                 cover: float) -> tuple[str, str, list[int]] | None:
    """(the person of the part that stays, the person of the part that leaves, the indexes
    of the members leaving) when the leads (Item.lead, one set a profile member, oldest
    first) fall into two groups about different people, else None.

    Two people A and B of the leads qualify when the leads naming A and not B and those
    naming B and not A each number ``min_part`` or more and ``share`` or more of the profile,
    the leads naming both are at most a quarter of the smaller group, and the leads naming
    either are ``cover`` or more of the profile: nearly every report is about one of two
    people, and those about one leave the other out. A story that glued two obituaries, two
    players put on injured reserve, two arrests (ECB+'s two events of one topic, fed in
    random order: each event's first reports joined a story of the other's before either
    story was big enough for the protagonists' test) is of that shape; one event told
    through two of its people is not: its leads name both, or one of them and nobody else
    in particular, or a third person in most of them. Of the two groups, the one whose first
    lead is older stays, with the leads naming both or neither; the part that leaves never
    leads with the other person. Candidates are the six people the most leads name, pairs
    tried in that order (ties by key), the first that qualifies taken. The parts do not
    merge again by convergence (:func:`apart_by_people`): the protagonists' test alone would
    let them whenever a third person is named in half the leads of each (Nixon and "Deep
    Throat" in Felt's obituaries and in LaRue's)."""
    n = len(leads)
    if n < 2 * min_part:
        return None
    need = max(min_part, share * n)
    counts = Counter(k for lead in leads for k in lead)
    top = [k for k in _most_named(counts) if counts[k] >= need]
    for i, a in enumerate(top):
        for b in top[i + 1:]:
            only_a = [j for j, lead in enumerate(leads) if a in lead and b not in lead]
            only_b = [j for j, lead in enumerate(leads) if b in lead and a not in lead]
            both = counts[a] - len(only_a)
            if (min(len(only_a), len(only_b)) < need or 4 * both > min(len(only_a), len(only_b))
                    or len(only_a) + len(only_b) + both < cover * n):
                continue
            if only_a[0] > only_b[0]:
                a, b, only_a, only_b = b, a, only_b, only_a
            return a, b, only_b
    return None


def apart_by_people(a: list[frozenset[str]], b: list[frozenset[str]], min_part: int,
                    share: float) -> tuple[str, str] | None:
    """(a's person, b's) when two stories' leads (Item.lead, one set a profile member) are
    each about its own person, else None: a person whose leads on one side, not naming the
    other side's person, number ``min_part`` or more and ``share`` or more of that side, with
    the leads naming both at most a quarter of them, and no lead of that side naming the other
    side's person alone. Each side is judged on its own profile, more loosely than
    :func:`people_parts` judges a story (no cover): two parts of a split keep apart however
    the other grows, as long as each stays about its person (judged on the two together, a
    part that fell under a quarter of the whole, or took a few leads naming neither person,
    merged back and was split again). Candidates are each side's six most named people,
    pairs tried in that order, the first that qualifies taken."""

    def about(leads: list[frozenset[str]], own: str, other: str) -> bool:
        only_own = sum(1 for lead in leads if own in lead and other not in lead)
        only_other = sum(1 for lead in leads if other in lead and own not in lead)
        both = sum(1 for lead in leads if own in lead and other in lead)
        return only_other == 0 and only_own >= max(min_part, share * len(leads)) and 4 * both <= only_own

    theirs = _most_named(Counter(k for lead in b for k in lead))
    for x in _most_named(Counter(k for lead in a for k in lead)):
        for y in theirs:
            if x != y and about(a, x, y) and about(b, y, x):
                return x, y
    return None


def _most_named(counts: Counter) -> list[str]:
    """The PEOPLE_TRIED people the most leads name (``counts``: leads naming each), most
    first, ties by key."""
    return [k for k, _ in sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:PEOPLE_TRIED]]
