"""The entry points time shards use (link/stories/time_shards.py runs stretches of one stream in
separate clusterers and joins their results): number arrivals as the whole stream does, move
document frequencies between clusterers, ask where an article would go without placing it, and
hand the last stretch's state on under the stories' keys of the whole run.

Split from cluster.py to keep the decision core small: :class:`StoryClusterer` takes this as a
mixin and it works on the clusterer's state directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Self

from storyline.link.stories.features import Item
from storyline.link.stories.params import Params
from storyline.link.stories.state import rebuilt


class TimeShardMixin:
    """Time-shard entry points for :class:`~storyline.link.stories.cluster.StoryClusterer`."""

    @property
    def next_arrival(self) -> int:
        """The arrival index the next article gets."""
        return self._next

    def skip_to(self, seq: int) -> None:
        """Number the next arrival ``seq``: the arrivals in between were placed by another
        clusterer (an earlier time shard). Windows by arrival count then age as in one stream."""
        if seq < self._next:
            raise ValueError(f"arrival {seq} is before the next one here ({self._next})")
        self._next = seq

    @classmethod
    def assembled(cls, params: Params, next_seq: int, now: float | None,
                  doc_freqs: tuple[tuple[int, Mapping[str, int]], tuple[int, Mapping[str, int]]],
                  stories: Iterable[tuple[str, int, Sequence[tuple[int, str]], float | None, float | None]],
                  items: Mapping[int, Item], lex: Mapping[int, Mapping[str, float]]) -> Self:
        """A clusterer holding ``stories`` as active ((key, index of its first article, every
        member as (arrival index, article id) ascending, first and last time over every member)),
        each profile folded from ``items`` and ``lex`` (an arrival index's item and unit TF-IDF
        vector as of its arrival) by the profile rule, with document frequencies ``doc_freqs``,
        the clock at ``now`` and the next arrival ``next_seq``. What time shards hand on
        (link/stories/time_shards.py): the stories several clusterers of one stream ended with,
        joined; a story out of the window at the last arrival is retired here, as one
        clusterer retired it then (a shard's end state still held the stories of the shards
        before: a two-year bulk load handed on ten months of them, and every later batch
        restored and scored them)."""
        self = cls(params)
        self._next = next_seq
        # The last shard ended with StoryClusterer.settle, which gave every lone article up to
        # settle_after arrivals before the end its early look: none gets a second one.
        self._settled = next_seq - params.settle_after - 1
        self.set_doc_freqs(*doc_freqs)
        for key, index, members, first, last in sorted(stories, key=lambda s: s[1]):
            seqs = [seq for seq, _ in members]
            story = rebuilt(key, index, seqs, items, lex, (first, last), params.profile_s, params.profile_members)
            self._stories[key] = story
            for seq, aid in members:
                self._ids[seq] = aid
                self._seq_of[aid] = seq
                self._story_of[seq] = key
            for seq in story.profile:
                self._items[seq] = items[seq]
                if seq in lex:
                    self._lex[seq] = dict(lex[seq])
            for t in story.lex:
                self._postings.setdefault(t, set()).add(key)
            self._changed(story)
        self._active.now = now
        if next_seq > 0:
            for story in self._active.stale(next_seq - 1, None):
                self._retire(story)
        return self

    def probe(self, item: Item) -> tuple[str, float, float] | None:
        """The story ``item`` would join if it arrived now, as (key, score, cosine), or None when
        it would start one; nothing changes (its TF-IDF vector is weighted by the document
        frequencies as they are, without it). The merge step of time shards asks this of a
        shard's new stories against the state the shard before ended with."""
        seq, cur = self._next, self._cur
        self._cur = seq
        self._lex[seq] = self._tdf.unit(item.terms)
        try:
            scored = self._scored(item)
        finally:
            del self._lex[seq]
            self._cur = cur
        bar = self.params.join_bar(item)
        for score, story, cosine in scored:  # add's rule, the near bar included
            if score >= self._near_bar(item, story, bar) or cosine >= self.params.duplicate_cosine:
                return story.key, score, cosine
        return None

    def set_doc_freqs(self, entities: tuple[int, Mapping[str, int]], terms: tuple[int, Mapping[str, int]]) -> None:
        """Replace both document-frequency tables (count of items, key -> items naming it)."""
        self._df.n, self._df.df = entities[0], dict(entities[1])
        self._tdf.n, self._tdf.df = terms[0], dict(terms[1])

    def doc_freqs(self) -> tuple[tuple[int, dict[str, int]], tuple[int, dict[str, int]]]:
        """Both document-frequency tables, as :meth:`set_doc_freqs` takes them (copies)."""
        return (self._df.n, dict(self._df.df)), (self._tdf.n, dict(self._tdf.df))
