"""Online story clustering: each article, in publication order, joins a story or starts one.

The algorithm (single pass, like Google News or Event Registry, after Miranda et al. 2018):

1. The article's entity keys (stories_features.entity_keys) and its content-word terms
   (stories_features.term_weights) update two sets of document frequencies, which give IDFs:
   names and words every article carries (US, UK, "people") count for little. The article's
   TF-IDF vector (sublinear tf, IDF as of its arrival, L2-normalised) is fixed then; a story's
   lexical profile is the sum of its members' vectors.
2. Candidates: the stories still active (state.ActiveSet: among the last ``window_items``
   arrivals; a dated stream retires stories ``window_s`` behind its clock once they are also
   ``hold_items`` arrivals old) and, for a dated article, with a dated member within
   ``window_s`` of it or no dated member at all (a missing date never counts against a match),
   whose unit centroid has cosine at least
   ``vector_floor`` with the article vector, the ``candidates`` nearest of them, ties by age;
   plus the ``candidates`` nearest by TF-IDF cosine among the active stories that share one of
   the article's ``lexical_terms`` heaviest terms (an inverted index over the active stories;
   terms in more than ``posting_limit`` stories are skipped). The centroids of the active
   stories sit in one numpy matrix, so the work per article is bounded by the window, not by
   the number of stories ever made.
3. Each candidate is scored:
   ``cosine + lexical_weight * tfidf_cosine + member_weight * nearest-member gain
   + entity_weight * entities - time penalty``. The nearest-member gain is how much closer the
   nearest of the story's recent members is than its centroid (vector and TF-IDF cosines). The
   keys are entity names (people by surname) and numbers (years, ages, tolls); ``entities`` is
   the geometric mean of the IDF-weighted share of the article's key mass that the story carries
   and of the story's key mass that the article carries (story keys weighted by the share of
   members naming them), each shrunk towards the TF-IDF cosine by ``entity_mass_prior`` (so a
   headline with no recognised names is judged by its words). The cosine says what kind of
   story it is; the words and keys say which one. The optional time penalty grows with the log
   of the gap (when both times are known).
   A candidate that names years (number keys such as "#2013"), none of them among the
   article's, is not scored at all (``year_veto``): the same kind of event in another year. A
   dated article's years include its publication year (features.publication_years).
   The TF-IDF terms of the article's lead (headline and first sentence) weigh more
   (features.lead_weighted_terms).
4. The best candidate at or above ``join_threshold`` (``short_join_threshold`` for a headline
   or brief of at most ``short_terms`` terms; or a near-duplicate, cosine at least
   ``duplicate_cosine``, whatever the keys) takes the article; otherwise it starts a new story
   keyed by its own id. A full article and a story with a dated member within ``near_s`` of
   its date are held to ``near_shift`` less, for joining and for step 5's merging: coverage of
   one event comes within days, while the same kind of event told apart by names alone (the
   bar's reason) comes in other months and years.
5. Convergence: every other candidate that the article also scores at least ``merge_threshold``
   with, and whose centroid is at least ``merge_cosine`` from the joined story's, merges with it;
   the oldest story's key survives. A headline between two stories of headlines needs
   ``short_merge_threshold`` instead, as it needs the short join bar to join. Not two stories
   about different people (``protagonist_min``: each has a main person its members' leads
   name, and one's is in no lead of the other's; two players of one team arrested weeks
   apart), nor two whose casts never meet (``cast_min``: each story's reports keep naming
   people, two or more of its members each, whom no report of the other names; one emergency
   patch of 2008 with its spokesmen, one of 2013 with others), nor two whose leads are each
   about its own person, as step 7's split by people finds them (split.apart_by_people).
6. Rescue: ``rescue_after`` arrivals later, an article still alone in its story is scored
   again against the stories as they are then, and joins the best one at the lower
   ``rescue_threshold`` when that leads the runner-up (Params.rescue_after), and once more
   ``rescue_again`` arrivals later (a story a rule of step 2-3 kept out of its scoring counts
   as a runner-up); a small story (at most ``rescue_piece`` articles) gets the
   same looks with its first article and joins a story its members all nearly join
   (Params.piece_threshold on average). Its own event's story has often grown only after it
   arrived. The look comes at a fixed age, inside
   :meth:`add`, so what :meth:`add` decides is a function of the order alone, however the
   stream is cut into batches; the story step also calls :meth:`settle` at the end of each
   batch, which gives lone articles at least ``settle_after`` arrivals old their look early,
   each once, and at the end of a run that brought a corpus, every younger one too (the last
   articles of a closed corpus would otherwise get none; scan.bulk_run).
7. Split: every ``split_every`` members, a story whose profile falls in two parts of different
   subjects (2-means over article vectors, centroids less than ``split_cosine`` alike) gives the
   part without its oldest member a story of its own; so does a story whose leads fall into
   two groups about two people, each leaving the other's person out (few leads name both)
   (``people_split_share``; link/stories/split.py). The part moved out gets a small piece's
   second look at once (step 6, among stories of ``rescue_min_size`` or more other than the
   one it left; ``split_home``): its own person's story may exist already.

Steps 2-3 (candidates and scores) and the checks of step 5 live in link/stories/scoring.py, the
evidence and the second looks in evidence.py, the split in split.py; this module holds the
decisions and the state.

A story is judged by its *profile*, its members of the last ``profile_s`` (at most
``profile_members``; state.Story): the clusterer holds only their items, so what it holds is
bounded by what arrived in the last ``profile_s``, not by how long a story runs.

The state (both IDF tables included) is a pure function of the ordered items and their
memberships (see stories_state), so
:meth:`StoryClusterer.restore` rebuilds it from persisted memberships without re-deciding, and a
restored clusterer continues exactly as the original would (restored from memberships: when no
story was split; from a checkpoint: always).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from storyline.store.records import StoryCheckpoint

from storyline.link.stories.features import (
    Item,
    article_keys,
    entity_keys,
    item_from,
    items_from_texts,
    number_keys,
)
from storyline.link.stories import checkpoint
from storyline.link.stories.evidence import EvidenceMixin
from storyline.link.stories.scoring import (ScoringMixin, other_casts, other_protagonists,
                                            stories_apart_of_other_people)
from storyline.link.stories.shard_entry import TimeShardMixin
from storyline.link.stories.lexdots import LexDots
from storyline.link.stories.split import SplitMixin
from storyline.link.stories.params import DEFAULT, Params
from storyline.link.stories.state import ActiveSet, Centroids, DocFreq, Story, centroid_cosine, rebuilt

__all__ = ["DEFAULT", "Item", "Params", "StoryClusterer", "article_keys", "entity_keys", "item_from",
           "items_from_texts", "number_keys"]


class StoryClusterer(ScoringMixin, EvidenceMixin, SplitMixin, TimeShardMixin):
    """Single-pass story clustering; see the module docstring for the decision rule."""

    def __init__(self, params: Params = DEFAULT):
        self.params = params
        self._ids: dict[int, str] = {}  # arrival index -> article id (a restored one: active stories' only)
        self._next = 0  # the next arrival index
        self._cur = -1  # the arrival index of the article being placed (or rescued)
        self._retired = 0  # retired stories forgotten by a checkpoint (from_snapshot): counted, not held
        self._settled = -1  # the last arrival index whose early look settle() has given (one each)
        self._seq_of: dict[str, int] = {}
        self._story_of: dict[int, str] = {}  # arrival index -> story key
        self._stories: dict[str, Story] = {}  # every story ever made that still exists
        self._items: dict[int, Item] = {}  # items of active stories (needed to rebuild on merge)
        self._df = DocFreq(params.idf_prior)
        self._tdf = DocFreq(params.idf_prior)  # term document frequencies (lexical IDF)
        self._lex: dict[int, dict[str, float]] = {}  # unit TF-IDF vectors of active stories' items
        self._postings: dict[str, set[str]] = {}  # term -> active stories whose members carry it
        self._dots = LexDots()  # TF-IDF dot products in bulk (a cache: not state)
        self._active = ActiveSet(params.window_s, params.window_items, params.hold_items)
        self._centroids = Centroids()
        # Why each article was placed and which stories merged, since the last take_evidence()
        # (stored with the batch; not state: no decision reads it).
        self._why: dict[str, dict] = {}
        self._merged: list[dict] = []
        # What the last snapshot (or the checkpoint restored from) holds: the active stories'
        # keys and the held items' arrival indexes, None before any; and the stories changed
        # since (checkpoint.py writes a delta from these).
        self._saved: tuple[set[str], set[int]] | None = None
        self._dirty: set[str] = set()
        self.token = ""  # of the last snapshot, or of the checkpoint restored from

    # ------------------------------------------------------------------ public API

    def add(self, item: Item) -> str:
        """Place one article (the next in publication order); returns its story key."""
        seq = self._arrive(item)
        scored = self._scored(item)
        p = self.params
        bar = p.join_bar(item)
        passing = [t for t in scored if t[0] >= self._near_bar(item, t[1], bar) or t[2] >= p.duplicate_cosine]
        if not passing:
            self._why[item.id] = self._founded(item, scored)
            story = self._start(seq, item)
        else:
            self._why[item.id] = {**self._evidence(item, *passing[0]),
                                  **self._kept_out_evidence(item, scored.kept_out, passing[0][2])}
            story = self._join(passing[0][1], seq, item)
            story = self._converge(item, story, [t for t in scored if t is not passing[0]])
            story = self._maybe_split(story)
        story = self._refine(story, scored)
        # The second looks, at fixed ages (rescue_after 0: none at all, the later one included).
        for age in (p.rescue_after, p.rescue_again) if p.rescue_after else ():
            if age and seq >= age:
                self._rescue(seq - age)
                self._cur = seq
        return self._story_of[seq]

    def add_all(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add(item)

    def take_evidence(self) -> tuple[dict[str, dict], list[dict]]:
        """Why each article added since the last call was placed where it was (article id ->
        evidence: see :meth:`_evidence`), and the merges made meanwhile (absorbed story, the
        story it went into, the article that showed they are one and the scores), then forgets
        them."""
        why, merged = self._why, self._merged
        self._why, self._merged = {}, []
        return why, merged

    def assignments(self) -> dict[str, str]:
        """Article id -> current story key (after merges), in arrival order."""
        return {aid: self._story_of[seq] for seq, aid in self._ids.items()}

    def stories(self) -> dict[str, list[str]]:
        """Story key -> member ids in arrival order, stories in order of their first article."""
        return {s.key: [self._ids[i] for i in s.members]
                for s in sorted(self._stories.values(), key=lambda s: s.index)}

    def active_spans(self) -> list[tuple[str, float | None, float | None]]:
        """(key, first time, last time over every member) of the stories that can still take
        articles, oldest first."""
        stories = sorted(self._active.stories.values(), key=lambda s: s.index)
        return [(s.key, s.first_time, s.last_time) for s in stories]

    def held_items(self) -> dict[int, tuple[Item, dict[str, float] | None]]:
        """Arrival index -> (item, unit TF-IDF vector as of its arrival) of the profile members
        held (see :meth:`assembled`)."""
        return {seq: (item, self._lex.get(seq)) for seq, item in self._items.items()}

    @property
    def clock(self) -> float | None:
        """The newest publication time seen (the time window's clock)."""
        return self._active.now

    def active_members(self) -> dict[str, str]:
        """Article id -> story key of the active stories' members: the only articles a later
        merge can move (bounded by the window, unlike :meth:`assignments`)."""
        return {self._ids[seq]: s.key for s in self._active.stories.values() for seq in s.members}

    def active_items(self) -> list[Item]:
        """The items of the active stories' members, in arrival order."""
        return [self._items[seq] for seq in sorted(self._items)]

    def seq_of(self, article_id: str) -> int:
        """The arrival index of an article this clusterer holds."""
        return self._seq_of[article_id]

    def story_of(self, article_id: str) -> str | None:
        """The current story key of an article this clusterer holds."""
        seq = self._seq_of.get(article_id)
        return None if seq is None else self._story_of[seq]

    def members(self, key: str) -> list[str] | None:
        """A held story's member ids in arrival order (None when no such story is held)."""
        story = self._stories.get(key)
        return None if story is None else [self._ids[i] for i in story.members]

    def forget_retired(self) -> None:
        """Forget the retired stories and their members, as a checkpoint does (they can never
        be candidates again): a clusterer kept across the batches of a long run then holds what
        one restored from its checkpoint holds, bounded by the window, not the stream."""
        for key in [k for k in self._stories if k not in self._active.stories]:
            for seq in self._stories.pop(key).members:
                self._seq_of.pop(self._ids.pop(seq), None)
                self._story_of.pop(seq, None)
            self._retired += 1

    def story_count(self) -> int:
        """How many stories exist, those a checkpoint forgot included."""
        return len(self._stories) + self._retired

    @classmethod
    def restore(cls, items_in_order: Iterable[Item], assignment: Mapping[str, str],
                params: Params = DEFAULT) -> StoryClusterer:
        """Rebuild the state from the items in arrival order and their story keys, deciding
        nothing: each item founds the story keyed by its id or joins the story of its key."""
        self = cls(params)
        for item in items_in_order:
            seq = self._arrive(item)
            key = assignment[item.id]
            if key == item.id:
                self._start(seq, item)
            elif key in self._active.stories:
                self._join(self._active.stories[key], seq, item)
            else:
                raise ValueError(f"{item.id}: story {key!r} is not active (or not founded) at its arrival")
        return self

    def snapshot(self, version: str = "", delta: bool = False) -> StoryCheckpoint:
        """The state that later decisions read, as stored data (link/stories/checkpoint.py);
        with ``delta``, only what changed since the last snapshot (or the restored checkpoint)."""
        return checkpoint.snapshot(self, version, delta)

    @classmethod
    def from_snapshot(cls, saved: StoryCheckpoint, params: Params = DEFAULT) -> StoryClusterer:
        """A clusterer that continues exactly as the one ``saved`` was taken from (only the
        stories still active are held; :meth:`stories` and :meth:`assignments` list those)."""
        return checkpoint.from_snapshot(cls, saved, params)

    # ------------------------------------------------------------------ steps

    def _arrive(self, item: Item) -> int:
        if item.id in self._seq_of:
            raise ValueError(f"duplicate article id {item.id!r}")
        seq = self._next
        self._next += 1
        self._cur = seq
        self._ids[seq] = item.id
        self._seq_of[item.id] = seq
        for story in self._active.stale(seq, item.time):
            self._retire(story)
        self._df.add(item.entities)
        self._tdf.add(item.terms)
        self._lex[seq] = self._tdf.unit(item.terms)
        self._dots.forget(self._lex, self._active.stories, len(self._lex) + len(self._active.stories),
                          len(self._postings))
        return seq

    def _start(self, seq: int, item: Item) -> Story:
        story = Story(item.id, seq)
        self._stories[story.key] = story
        return self._join(story, seq, item)

    def _join(self, story: Story, seq: int, item: Item) -> Story:
        lex = self._lex.get(seq)
        story.add(seq, item, lex)
        for t in lex or ():
            self._postings.setdefault(t, set()).add(story.key)
        self._story_of[seq] = story.key
        self._items[seq] = item
        self._trim(story)
        self._changed(story)
        return story

    def _changed(self, story: Story) -> None:
        """After any change to an active story: its place in the window, its centroid row, and
        a mark for the next delta snapshot."""
        self._active.touch(story)
        self._centroids.put(story)
        self._dirty.add(story.key)

    def _trim(self, story: Story) -> None:
        """Take the members that left the story's profile (Params.profile_s, profile_members)
        out of its sums, its postings and memory."""
        leaving = story.leaving(self._items, self.params.profile_s, self.params.profile_members)
        if not leaving:
            return
        gone = set(leaving)
        story.profile = [seq for seq in story.profile if seq not in gone]
        for seq in leaving:
            self._unfold(story, seq)
            del self._items[seq]
            self._lex.pop(seq, None)

    def _unfold(self, story: Story, seq: int) -> None:
        """Subtract a member from the story's sums (it stays held), and drop the story from the
        postings of the terms that left its profile with it."""
        lex = self._lex.get(seq)
        story.fold(self._items[seq], lex, -1)
        for t in lex or ():
            if t not in story.lex:
                self._unpost_term(t, story.key)

    def _converge(self, item: Item, story: Story, others: list[tuple[float, Story, float]]) -> Story:
        """Merge the joined story with every other candidate that the article also scores at
        least its merge bar with (:meth:`_merge_bar`: merge_threshold, or short_merge_threshold
        for a headline between two stories of headlines), when the two centroids are
        merge_cosine close (or either story has no vector). (Merging
        on the two stories' own profiles was tried, twice: on ECB+ it glues the two events of a
        topic long before it joins the fragments of one. Scoring every pair of final stories
        by centroid cosine + profile TF-IDF cosine + IDF-weighted key-profile overlap, the
        highest-scoring pair was a wrong one (Teixeira: the Red Sox offer vs the Angels offer)
        for every weighting tried, and no threshold gave precision above 0.97 with more recall;
        on the UCI headlines it cost precision too.)"""
        p = self.params
        floor = min(p.merge_threshold - p.near_shift, self._short_merge_bar(item))  # no bar below it
        for score, other, _ in others:
            if score < floor:
                continue
            bar = self._merge_bar(item, story, other)
            if score < bar:
                continue
            centroids = centroid_cosine(story, other)
            # Without a vector on a side (an article in another language: features.item_from)
            # the centroids cannot speak; the score, from words and names alone, decides.
            if centroids < p.merge_cosine and story.vsum is not None and other.vsum is not None:
                continue
            people = other_protagonists(story, other, p.protagonist_min) if p.protagonist_min else None
            if people is not None:  # two stories of one kind about different people (Params.protagonist_min)
                self._why[item.id].setdefault("not_merged", []).append(
                    {"story": other.key, "rule": "protagonists", "score": round(score, 4),
                     "people": people[0], "other_people": people[1]})
                continue
            apart = (stories_apart_of_other_people(story, self._span_without(story, self._cur), other, p.near_s,
                                                   p.protagonist_min) if p.protagonist_min else None)
            if apart is not None:  # weeks apart and about other people (ScoringMixin._later_of_other_people)
                self._why[item.id].setdefault("not_merged", []).append(
                    {"story": other.key, "rule": "weeks apart", "score": round(score, 4),
                     "people": apart[0], "other_people": apart[1]})
                continue
            apart = self._people_apart(story, other)
            if apart is not None:  # merged, a split by people would part them again (split.people_parts)
                self._why[item.id].setdefault("not_merged", []).append(
                    {"story": other.key, "rule": "people split", "score": round(score, 4),
                     "people": apart[0], "other_people": apart[1]})
                continue
            if p.cast_min:
                casts = other_casts([self._items[q] for q in story.profile if q in self._items],
                                    [self._items[q] for q in other.profile if q in self._items], p.cast_min)
                if casts is not None:
                    self._why[item.id].setdefault("not_merged", []).append(
                        {"story": other.key, "rule": "casts", "score": round(score, 4),
                         "people": casts[0], "other_people": casts[1]})
                    continue
            shared = self._names_in_common(item, story, other)
            if p.bridge_overlap and shared is not None and shared < p.bridge_overlap:
                continue  # a round-up bridging two stories by different names of its own
            story = self._merge(story, other, {"rule": "converge", "score": round(score, 4), "bar": round(bar, 4),
                                               "centroid_cosine": round(centroids, 4),
                                               **({} if shared is None else {"names_in_common": round(shared, 4)})})
        return story

    def _span_without(self, story: Story, seq: int) -> tuple[float, float] | None:
        """The first and last times of the story's dated profile members other than ``seq``
        (None when it has none): where the story stood before the article at ``seq`` joined."""
        times = [t for q in story.profile if q != seq and q in self._items and (t := self._items[q].time) is not None]
        return (min(times), max(times)) if times else None

    def _merge_bar(self, item: Item, story: Story, other: Story) -> float:
        """The score ``item`` needs with ``other`` to merge it with its own ``story``:
        short_merge_threshold for a short item between two headline stories (Params.short_merge_threshold),
        else merge_threshold (lowered when near in time, _near_bar)."""
        p = self.params
        bar = self._near_bar(item, other, p.merge_threshold)
        short = self._short_merge_bar(item)
        if short < bar and self._of_headlines(story) and self._of_headlines(other):
            return short
        return bar

    def _short_merge_bar(self, item: Item) -> float:
        """The short merge bar for a short item (never under its join bar), else infinity."""
        p = self.params
        return max(p.short_merge_threshold, p.short_join_threshold) if p.is_short(len(item.terms)) else math.inf

    def _of_headlines(self, story: Story) -> bool:
        """More than half of the story's profile are short items (headlines, one-line briefs).
        A member's terms are counted in its TF-IDF vector, which a checkpoint keeps (its item's
        terms it does not), as the rescue counts them."""
        short = sum(1 for q in story.profile if self.params.is_short(len(self._lex.get(q) or ())))
        return 2 * short > len(story.profile)

    def _merge(self, a: Story, b: Story, why: dict | None = None) -> Story:
        """One story from two: the older key survives, sums refolded in arrival order."""
        old, young = (a, b) if a.index < b.index else (b, a)
        self._merged.append({"absorbed": young.key, "into": old.key, "by": self._ids[self._cur],
                             "absorbed_size": len(young.members), "into_size": len(old.members), **(why or {})})
        for s in (old, young):
            self._active.remove(s)
            self._centroids.drop(s)
            self._unpost(s)
            del self._stories[s.key]
        p = self.params
        times = (_min_time(old.first_time, young.first_time), _max_time(old.last_time, young.last_time))
        merged = rebuilt(old.key, old.index, old.members + young.members, self._items, self._lex, times,
                         p.profile_s, p.profile_members)
        kept = set(merged.profile)
        for seq in old.profile + young.profile:
            if seq not in kept:  # left the profile with the merge
                self._items.pop(seq, None)
                self._lex.pop(seq, None)
        self._stories[merged.key] = merged
        for t in merged.lex:
            self._postings.setdefault(t, set()).add(merged.key)
        for seq in young.members:
            self._story_of[seq] = old.key
        self._changed(merged)
        return merged

    def _retire(self, story: Story) -> None:
        """A story out of the window: keep its members, free its centroid and items."""
        self._centroids.drop(story)
        self._unpost(story)
        for seq in story.profile:
            self._items.pop(seq, None)
            self._lex.pop(seq, None)
        story.vsum = None
        story.profile, story.ent_docs, story.lead_docs = [], {}, {}
        story.lex, story.lex_sq = {}, 0

    def _unpost(self, story: Story) -> None:
        for t in story.lex:
            self._unpost_term(t, story.key)

    def _unpost_term(self, term: str, key: str) -> None:
        post = self._postings.get(term)
        if post is not None:
            post.discard(key)
            if not post:
                del self._postings[term]


def _min_time(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _max_time(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)

