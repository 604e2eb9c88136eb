"""How the story clusterer scores an article against the active stories (cluster.py's
module docstring, steps 2-3 and the round-up and protagonist checks of step 5): the
candidates, the score and its parts. Split from cluster.py to keep the decision core small: :class:`StoryClusterer`
takes this as a mixin and it reads the clusterer's state directly.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from storyline.link.stories.features import Item, is_number_key, publication_years, year_keys
from storyline.link.stories.state import Story, majority_years


class Scored(list):
    """The scored candidates of one article, (score, story, cosine) best first, and
    ``kept_out``: the candidates the year veto ("years") or the weeks-apart test ("people")
    kept out of the scoring, as (cosine, story, rule). Kept with the scores they go with (not
    in the clusterer, where a later scoring would overwrite them before they are read)."""

    __slots__ = ("kept_out",)

    def __init__(self, scores=(), kept_out=()):
        super().__init__(scores)
        self.kept_out: list[tuple[float, Story, str]] = list(kept_out)


class ScoringMixin:
    """Candidate search and scoring for :class:`~storyline.link.stories.cluster.StoryClusterer`."""

    def _scored(self, item: Item, bar: float | None = None, near: bool = True,
                min_size: int = 0) -> Scored:
        """(score, story, cosine) of the candidates, best first (ties: older story first); a
        candidate out of the time window, naming other years than the article's (see
        Params.year_veto), or of other people weeks apart (:meth:`_later_of_other_people`) is
        not scored (the last two are listed in the result's ``kept_out``). ``bar`` is the lowest score the caller's decision
        acts on (default: the article's join bar; with ``near``, lowered for a story near in
        time, see ``_near_bar``): a candidate that cannot reach it may be given an upper bound
        of its score instead of the score (``_entity_overlap``), never one that can. A
        candidate of fewer than ``min_size`` members is left out unscored (the second looks
        act on stories of some size only, and most candidates of a lone article are lone
        articles too)."""
        window = self.params.window_s
        bar = self.params.join_bar(item) if bar is None else bar
        years = year_keys(item.entities) | publication_years(item.time, window) if self.params.year_veto else set()
        kept_out: list[tuple[float, Story, str]] = []
        kept = []
        for story, cos in self._candidates(item):
            if len(story.members) < min_size:
                continue
            if (time_gap(item.time, story) or 0.0) > window:
                continue
            if _other_years(years, story, self.params.year_ranges and item.time is None):
                kept_out.append((cos, story, "years"))
                continue
            if self._later_of_other_people(item, story):
                kept_out.append((cos, story, "people"))
                continue
            kept.append((story, cos))
        lexes = self._lex_cosines([story for story, _ in kept])
        out = [(self._score(item, story, cos, self._near_bar(item, story, bar) if near else bar, lex), story, cos)
               for (story, cos), lex in zip(kept, lexes)]
        out.sort(key=lambda t: (-t[0], t[1].index))
        return Scored(out, kept_out)

    def _candidates(self, item: Item) -> list[tuple[Story, float]]:
        """The ``candidates`` stories nearest by vector (cosine at least vector_floor) and the
        ``candidates`` nearest by TF-IDF among the active stories sharing one of the article's
        ``lexical_terms`` heaviest terms (terms in more than ``posting_limit`` stories skipped)."""
        p = self.params
        if item.vector is None:  # no vector (another language: features.item_from): the stories naming its names
            found = self._sharing_names(item)
        else:
            near = self._centroids.nearest(item.vector, p.vector_floor, p.candidates)
            found = [(self._stories[self._centroids.owner[r]], c) for r, c in near]
            found.sort(key=lambda t: (-t[1], t[0].index))
            found = found[: p.candidates]
        lex = self._lex.get(self._cur) or {}
        if not lex or not p.lexical_terms:
            return found
        seen = {s.key for s, _ in found}
        keys: set[str] = set()
        for t in sorted(lex, key=lambda t: (-lex[t], t))[: p.lexical_terms]:
            post = self._postings.get(t)
            if post and len(post) <= p.posting_limit:
                keys |= post
        extra = [self._stories[k] for k in keys - seen]
        if not extra:
            return found
        ranked = sorted(zip(self._lex_cosines(extra), extra), key=lambda t: (-t[0], t[1].index))
        for _, story in ranked[: p.candidates]:
            found.append((story, self._vector_cosine(item, story)))
        return found

    def _sharing_names(self, item: Item) -> list[tuple[Story, float]]:
        """The ``candidates`` active stories that name most of the item's rare names (IDF
        summed; numbers left out: every dated article names its year), for an item without a
        vector."""
        names = [k for k in item.entities if not is_number_key(k)]
        if not names:
            return []
        idf = {k: self._df.idf(k) for k in names}
        weighted = []
        for story in self._active.stories.values():
            w = sum(idf[k] for k in names if k in story.ent_docs)
            if w > 0:
                weighted.append((w, story))
        weighted.sort(key=lambda t: (-t[0], t[1].index))
        return [(story, 0.0) for _, story in weighted[: self.params.candidates]]

    def _lex_cosines(self, stories: list[Story]) -> list[float]:
        """``story.lex_cosine`` of the current article's TF-IDF vector, for each of ``stories``
        (the same values, computed together: see lexdots.py)."""
        vec = self._lex.get(self._cur)
        if not vec:
            return [0.0] * len(stories)
        dots = self._dots.dots(self._dots.member(self._cur, vec), [self._dots.story(s) for s in stories])
        return [d / math.sqrt(s.lex_sq) if s.lex_sq > 0 else 0.0 for d, s in zip(dots, stories)]

    def _vector_cosine(self, item: Item, story: Story) -> float:
        if item.vector is None or story.vsum is None:
            return 0.0
        c = story.centroid()
        return float(np.asarray(item.vector, dtype=np.float64) @ c) if c is not None else 0.0

    def _near_bar(self, item: Item, story: Story, bar: float) -> float:
        """``bar`` lowered by Params.near_shift for a full article (not a short item; one
        without text counts as full, as for the join bar) and a story whose dated members span
        its date or come within Params.near_s of it."""
        p = self.params
        if not p.near_shift or p.is_short(len(item.terms)):
            return bar
        gap = time_gap(item.time, story)
        return bar - p.near_shift if gap is not None and gap <= p.near_s else bar

    def _later_of_other_people(self, item: Item, story: Story) -> bool:
        """The article comes more than Params.near_s from the story's dated members and its
        lead tells of other people than the story's (lead_of_other_people, with
        Params.protagonist_min): another event of the story's kind, weeks on (ECB+ as a dated
        stream: Jamal Williams's drunk-driving arrest joined the story of Vincent Jackson's, 50
        days earlier, at 1.54, its report naming Jackson's arrest in the background). Near in
        time, or undated, the lead's people are no veto: reports of one event bring in new
        people (the same test at every join, session 39: ECB+ dev recall 0.901 -> 0.816). The
        price: a follow-up weeks on whose lead names only a newcomer (a judge, a coach) starts
        a story of its own."""
        p = self.params
        if not p.protagonist_min:
            return False
        gap = time_gap(item.time, story)
        return gap is not None and gap > p.near_s and lead_of_other_people(item, story, p.protagonist_min) is not None

    def _score(self, item: Item, story: Story, cosine: float, bar: float | None = None,
               lex: float | None = None) -> float:
        """``lex``: the story's lexical cosine when the caller has it (``_lex_cosines``)."""
        p = self.params
        vec = self._lex.get(self._cur) or {}
        if lex is None:
            lex = story.lex_cosine(vec)
        score = cosine + p.lexical_weight * lex
        if p.member_weight:
            score += p.member_weight * self._nearest_member_gain(item, vec, story, cosine, lex)
        score += p.entity_weight * self._entity_overlap(item, story, score, lex, bar=bar)
        gap = time_gap(item.time, story)
        if gap is not None and p.time_weight:
            score -= p.time_weight * math.log1p(gap / p.time_scale_s)
        return score

    def _nearest_member_gain(self, item: Item, vec, story: Story, cosine: float, lex: float) -> float:
        """How much closer the nearest recent member is than the story as a whole."""
        p = self.params
        best_cos, best_lex = cosine, lex
        q = None if item.vector is None else np.asarray(item.vector, dtype=np.float64)
        lexed = []
        for seq in story.profile[-p.member_limit:]:
            member = self._items.get(seq)
            if member is None:
                continue
            if q is not None and member.vector is not None:
                best_cos = max(best_cos, float(q @ self._dots.vector(seq, member.vector)))
            mlex = self._lex.get(seq)
            if mlex and vec:
                lexed.append(self._dots.member(seq, mlex))
        if lexed:
            best_lex = max(best_lex, *self._dots.dots(self._dots.member(self._cur, vec), lexed))
        return (best_cos - cosine) + p.lexical_weight * (best_lex - lex)

    def _entity_overlap(self, item: Item, story: Story, score: float, lex: float = 0.0,
                        exact: bool = False, bar: float | None = None) -> float:
        """Geometric mean of how much of the article's IDF-weighted key mass the story carries
        and how much of the story's the article carries (each story key counted by the share of
        members naming it): both sides must be about the same people, places and numbers.

        Each side is shrunk towards the lexical cosine ``lex`` by ``entity_mass_prior``
        pseudo-mass: (shared + prior * lex) / (mass + prior). With many keys the keys decide;
        with few (a headline, where the NER finds little) the overlap falls back on the words,
        which carry the same names ("Titanfall", "Plosser").

        The story side costs a pass over all the story's keys, so it is skipped when even a
        full story side could not lift the score to joining; the bound (story side = 1) is
        returned then, which is below every threshold and so decides nothing."""
        p = self.params
        prior = p.entity_mass_prior * lex
        size = story.size
        mass = shared = 0.0
        for key, w in item.entities.items():
            x = float(w) * self._df.idf(key)
            mass += x
            docs = story.ent_docs.get(key)
            if docs:
                shared += x * docs / size
        if shared <= 0 and prior <= 0:
            return 0.0
        forward = (shared + prior) / (mass + p.entity_mass_prior)
        bound = math.sqrt(forward)
        bar = p.join_bar(item) if bar is None else bar
        if not exact and score + p.entity_weight * bound < bar and score < p.duplicate_cosine:
            return bound
        # Summed with fsum: the profile's keys are in the order they (re)entered it, which
        # differs between a story grown one member at a time and the same story made by a
        # merge; fsum's result does not depend on the order.
        idf = self._df.idf
        s_mass = math.fsum(docs * idf(key) for key, docs in story.ent_docs.items()) / size
        s_shared = math.fsum(story.ent_docs[key] * idf(key) for key in item.entities if key in story.ent_docs) / size
        return math.sqrt(forward * (s_shared + prior) / (s_mass + p.entity_mass_prior))

    def _names_in_common(self, item: Item, joined: Story, other: Story) -> float | None:
        """Of the article's names (IDF-weighted) that the story it joined carries through its
        other members and those ``other`` carries, the share both carry (over the smaller side;
        None when either carries none). Two fragments of one event share the article's main
        names; a round-up that bridges two stories matches each by names of its own part."""
        idf = self._df.idf
        weights = {k: float(w) * idf(k) for k, w in item.entities.items()}
        in_joined = {k for k in weights if joined.ent_docs.get(k, 0) > 1}  # the article's own count is 1
        in_other = {k for k in weights if k in other.ent_docs}
        a = math.fsum(weights[k] for k in in_joined)
        b = math.fsum(weights[k] for k in in_other)
        if a <= 0 or b <= 0:
            return None
        return math.fsum(weights[k] for k in in_joined & in_other) / min(a, b)


YEAR_SPAN = 8  # the widest span of years read as the frame of one event (Params.year_ranges)


def _other_years(years: set[str], story: Story, ranges: bool = False) -> bool:
    """Whether the article names years, none of them named in the story, while at least half
    of the story's members name one same year. Background years ("the 2014 Minsk deal") that
    one member of a story mentions never keep an article out. A shared year is found by
    lookups; only a story without one is scanned, so the cost is that of one pass over the
    candidate's keys, as for its entity overlap. ``ranges`` (an undated article,
    Params.year_ranges): years that bracket the story's majority years, or that fall within the
    span of an undated story's, are not other years."""
    if not years or any(y in story.ent_docs for y in years):
        return False
    majority = majority_years(story)
    if not majority:
        return False
    if ranges:
        low, high = min(years), max(years)  # "#2023" < "#2029": four digits sort as numbers
        # A span of more than YEAR_SPAN years is background ("the 1979 revolution ... 2025"),
        # no frame of one event; a one-member story's years are all its "majority".
        if int(high[1:]) - int(low[1:]) <= YEAR_SPAN and any(low < m < high for m in majority):
            return False
        if story.first_time is None and story.size > 1 and int(majority[-1][1:]) - int(majority[0][1:]) <= YEAR_SPAN \
                and majority[0] < low and high < majority[-1]:
            return False
    return True


def other_protagonists(a: Story, b: Story, min_size: int) -> tuple[list[str], list[str]] | None:
    """The main people of two stories (sorted surname keys), when the stories, of at least
    ``min_size`` profile members each, are about different people; else None. A story's main
    people are those the leads (Item.lead) of half or more of its members name; the stories
    are about different people when one story's main people are named in no lead of the
    other's (Params.protagonist_min). A story whose leads name no one in particular is no
    evidence either way."""
    if a.size < min_size or b.size < min_size:
        return None
    return _strangers(a, _main_people(a, 2), b, _main_people(b, 2))


def piece_of_other_people(piece: Story, story: Story, min_size: int) -> tuple[list[str], list[str]] | None:
    """The protagonists' test (other_protagonists) for a small piece about to join ``story``
    (EvidenceMixin._rescue_piece): (the piece's main people, the story's) when they tell of
    other people, else None. A piece's main people are those named by every one of its leads
    (not half, as for a story: in a piece of two, one lead naming a bystander made a stranger
    of an event's own piece); a story's, by half its leads. As for two stories, either side's
    main people named in no lead of the other's is enough; a piece of fewer than two members,
    a story of fewer than ``min_size``, or a side whose leads name no one in particular is no
    evidence. Found on ECB+ dev fed shuffled: two reports of one Chargers player's
    drunk-driving arrest, both leads naming him, joined the six-report story of another
    player's arrest weeks later at 1.53."""
    if piece.size < 2 or story.size < min_size:
        return None
    return _piece_strangers(piece, story)


def lead_of_other_people(item: Item, story: Story, min_size: int) -> tuple[list[str], list[str]] | None:
    """(the article's lead people, the story's main people) when the story, of ``min_size``
    profile members or more, has main people (named by half its leads) and the article's lead
    (Item.lead) names none of them: the protagonists' test (other_protagonists) for one
    article; else None."""
    if story.size < min_size or not item.lead:
        return None
    return _strangers_of(sorted(item.lead), item.lead, story, _main_people(story, 2))


def stories_apart_of_other_people(a: Story, a_span: tuple[float, float] | None, b: Story, near_s: float,
                                  min_size: int) -> tuple[list[str], list[str]] | None:
    """The weeks-apart test (ScoringMixin._later_of_other_people) for two stories about to
    merge by convergence: when ``a_span`` (the first and last times of ``a``'s dated members
    other than the article that matched both, whose own date would bridge any gap) lies more
    than ``near_s`` from ``b``'s dated members, the bigger story has ``min_size`` members or
    more, and the smaller's main people (named by every one of its leads, as a piece's) and the
    bigger's tell of other people: (``a``'s main people, ``b``'s); else None. Without it a
    later report naming both sides' people merged a story the test had kept apart into the one
    it was kept from."""
    if a_span is None or b.last_time is None:
        return None
    if max(0.0, a_span[0] - b.last_time, b.first_time - a_span[1]) <= near_s:
        return None
    small, big = (a, b) if (a.size, b.index) < (b.size, a.index) else (b, a)
    if big.size < min_size:
        return None
    apart = _piece_strangers(small, big)
    return apart if apart is None or small is a else (apart[1], apart[0])


def _main_people(story: Story, share: int) -> list[str]:
    """The people named by the leads of at least 1/``share`` of the story's profile members."""
    return sorted(k for k, n in story.lead_docs.items() if share * n >= story.size)


def _strangers(a: Story, main_a: list[str], b: Story, main_b: list[str]) -> tuple[list[str], list[str]] | None:
    return _strangers_of(main_a, a.lead_docs, b, main_b)


def _piece_strangers(piece: Story, story: Story) -> tuple[list[str], list[str]] | None:
    """The test of a small story against a bigger one: the piece's main people named by all its
    leads, the story's by half (piece_of_other_people, stories_apart_of_other_people)."""
    return _strangers(piece, _main_people(piece, 1), story, _main_people(story, 2))


def _strangers_of(main_a: list[str], leads_a, b: Story, main_b: list[str]) -> tuple[list[str], list[str]] | None:
    """(main_a, main_b) unless each side's main people are named in some lead of the other's
    (``leads_a``: the people the first side's leads name); None when a side has none."""
    if not main_a or not main_b:
        return None
    if any(k in b.lead_docs for k in main_a) and any(k in leads_a for k in main_b):
        return None
    return main_a, main_b


def other_casts(a: list[Item], b: list[Item], min_size: int) -> tuple[list[str], list[str]] | None:
    """The recurring people of two stories, given their profile members' items ``a`` and
    ``b``, when each story has ``min_size`` members or more and people two or more of its
    members name (Item.people), and no recurring person of either is named by any member of the
    other, as a person or as a word of any other entity key (the small model's tags of
    headlines are loose, see _words_named); else None. Two
    fragments of one event share its people; two events of one kind (the 2008 and 2013
    emergency patches of one browser) are told by spokesmen and experts of their own."""
    if len(a) < min_size or len(b) < min_size:
        return None
    ca, cb = Counter(k for i in a for k in i.people), Counter(k for i in b for k in i.people)
    rec_a = sorted(k for k, n in ca.items() if n >= 2)
    rec_b = sorted(k for k, n in cb.items() if n >= 2)
    if not rec_a or not rec_b:
        return None
    named_a, named_b = _words_named(a), _words_named(b)
    if any(w in named_b for k in rec_a for w in k.split()) or any(w in named_a for k in rec_b for w in k.split()):
        return None
    # The evidence names each side's most named people, not every one of a big story's.
    return ([k for k in sorted(rec_a, key=lambda k: (-ca[k], k))[:CAST_SHOWN]],
            [k for k in sorted(rec_b, key=lambda k: (-cb[k], k))[:CAST_SHOWN]])


CAST_SHOWN = 5  # recurring people of each side kept in a refused merge's evidence


def _words_named(items: list[Item]) -> set[str]:
    """Every word of the people and entity keys of ``items``: a headline's "Justin Bieber" may
    come as an organisation ("justin bieber") and "Twitter" inside a person ("twitter blacks out")."""
    return {w for i in items for k in (*i.people, *i.entities) for w in k.split()}


def time_gap(t: float | None, story: Story) -> float | None:
    """Seconds from ``t`` to the span of the story's dated members (0 inside it); None when
    either side is undated."""
    if t is None or story.last_time is None:
        return None
    return max(0.0, t - story.last_time, story.first_time - t)
