"""Time shards, the merge step: a round's shards joined into the stored stories and stored in
one transaction (the design is in link/stories/time_shards.py's docstring; the plan and what a
shard hands on are in link/stories/shard_plan.py)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.link.stories import pinned
from storyline.link.stories.cluster import StoryClusterer
from storyline.link.stories.scan import CLUSTER_VERSION, BatchOutcome, keep_warm, summaries
from storyline.link.stories.shard_plan import DocFreqs, Shard, ShardResult, _plus
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import Membership, StoryMerge

# Stories whose summaries are made at a time (each reads the texts of its recent members).
SUMMARY_STORIES = 500


@dataclass(slots=True)
class Joined:
    """The shards of a round joined: every placed article's story (before redirects), the
    redirects (absorbed -> surviving), the merges' evidence, and each story's age."""

    story_of: dict[str, str] = field(default_factory=dict)
    into: dict[str, str] = field(default_factory=dict)
    merges: list[dict] = field(default_factory=list)
    founder: dict[str, int] = field(default_factory=dict)
    why: dict[str, dict] = field(default_factory=dict)
    # Shard index -> its story key -> joined story.
    mappings: dict[int, dict[str, str]] = field(default_factory=dict)

    def resolve(self, key: str) -> str:
        while key in self.into:
            key = self.into[key]
        return key

    def age(self, key: str, base: StoryClusterer) -> int:
        """The arrival index of the story's first article (a stored story's: ``base`` holds it)."""
        return self.founder[key] if key in self.founder else base.seq_of(key) if base.story_of(key) else -1


def join(base: StoryClusterer, plan: Sequence[Shard], results: Sequence[ShardResult],
         stitched: Sequence[Mapping[str, tuple[str, float, float]]] | None = None) -> Joined:
    """The merge step (module docstring): walk the shards in order and give each shard's stories
    the joined result's keys. ``stitched``: per shard, its founders that continue a story of
    the shard before (founder -> that shard's story, score, cosine; see ``time_shards.stitch``)."""
    held = base.assignments()
    out = Joined()

    def age(key: str) -> int:
        return out.age(key, base)

    def known(article: str) -> str | None:
        key = held.get(article, out.story_of.get(article))
        return None if key is None else out.resolve(key)

    for shard, result in zip(plan, results):
        votes: dict[str, Counter] = {}
        for article, local in result.after_lead.items():
            if (key := known(article)) is not None:
                votes.setdefault(local, Counter())[key] += 1
        # Each story after the lead-in stands for the joined story most of its known members are in.
        stands = {local: min(c, key=lambda k: (-c[k], age(k))) for local, c in votes.items()}
        targets: dict[str, set[str]] = {}
        for article, local in result.after_lead.items():
            if local in stands:
                targets.setdefault(result.final[article], set()).add(stands[local])
        out.why.update(result.why)  # a stitched founder's evidence replaces its own below
        own: dict[str, list[str]] = {}
        first_seq: dict[str, int] = {}  # a shard story -> the arrival index of its first own article
        for n, article in enumerate(shard.own):
            if article in result.final:
                own.setdefault(local := result.final[article], []).append(article)
                first_seq.setdefault(local, shard.first_seq + len(shard.lead) + n)
        mapping = {}
        for local in list(targets) + [s for s in own if s not in targets]:
            keys = sorted({out.resolve(k) for k in targets.get(local, ())}, key=age)
            found = stitched[shard.index].get(own[local][0]) if stitched and not keys and local in own else None
            if found is not None and found[0] in out.mappings.get(shard.index - 1, {}):
                # A story of its own articles that continues one of the shard before.
                key = out.resolve(out.mappings[shard.index - 1][found[0]])
                out.why[own[local][0]] = {"kind": "time shard", "story": key, "score": round(found[1], 4),
                                          "cosine": round(found[2], 4)}
            elif not keys:  # a story of the shard's own articles: keyed by its first
                key = own[local][0]
                out.founder[key] = first_seq[local]
            else:
                key = keys[0]
                for other in keys[1:]:
                    out.into[other] = key
                    out.merges.append({"absorbed": other, "into": key, "by": own.get(local, [None])[0],
                                       "rule": "time shard", "shard": shard.index})
            mapping[local] = key
        for local, articles in own.items():
            for article in articles:
                out.story_of[article] = mapping[local]
        out.mappings[shard.index] = mapping
    return out


def store_round(store: Store, base: StoryClusterer, plan: Sequence[Shard], results: Sequence[ShardResult],
                stitched: Sequence[Mapping[str, tuple[str, float, float]]], counts: DocFreqs) -> BatchOutcome:
    """Join a round's shards and store the result in one transaction: the memberships of the
    round's articles and of stored articles a merge moved, the merges, the summaries of the
    stories touched and the state to continue from."""
    joined = join(base, plan, results, stitched)
    held = base.assignments()
    seq = {a: s.first_seq + n for s in plan for n, a in enumerate(s.lead + s.own)}
    rows = [Membership(a, joined.resolve(joined.story_of[a]), seq[a], _json(joined.why.get(a)))
            for s in plan for a in s.own if a in joined.story_of]
    moved = {a: joined.resolve(k) for a, k in held.items() if joined.resolve(k) != k}
    rows += [Membership(a, key, base.seq_of(a), None) for a, key in moved.items()]
    pinned_to = pinned.pins(store, [m.article_id for m in rows])
    unpinned = {m.story_id for m in rows}
    rows = [m._replace(story_id=pinned_to.get(m.article_id, m.story_id)) for m in rows]
    members: dict[str, list[tuple[int, str]]] = {}
    for article, key in held.items():
        members.setdefault(joined.resolve(key), []).append((base.seq_of(article), article))
    for article, key in joined.story_of.items():
        members.setdefault(joined.resolve(key), []).append((seq[article], article))
    for listed in members.values():
        listed.sort()
    final = _final_state(base, plan, joined, results, members, counts)
    touched = {m.story_id for m in rows} | unpinned | {held[a] for a in moved}
    corrected = pinned.corrected_members(store, sorted(touched),
                                         lambda sid: [a for _, a in members[sid]] if sid in members else None)
    removed = sorted(sid for sid, kept in corrected.items() if not kept)
    kept = [(sid, ids) for sid, ids in corrected.items() if ids]
    stories = [story for start in range(0, len(kept), SUMMARY_STORIES)
               for story in summaries(store, dict(kept[start : start + SUMMARY_STORIES]))]
    when = now()
    merges = [StoryMerge(m["absorbed"], m["into"], when, _json(m)) for m in joined.merges]
    store.put_stories(stories, rows, removed, CLUSTER_VERSION, when, final.snapshot(CLUSTER_VERSION), merges)
    keep_warm(store, final)
    problems = [p for r in results for p in r.problems]
    return BatchOutcome(clustered=len(joined.story_of), merged=len(removed), problems=problems, shards=len(plan))


def _final_state(base: StoryClusterer, plan: Sequence[Shard], joined: Joined, results: Sequence[ShardResult],
                 members: dict[str, list[tuple[int, str]]], counts: DocFreqs) -> StoryClusterer:
    """The state to continue from: the stories the shards that reach the round's end ended
    with, under their joined keys, each with every member of its joined story and its profile
    folded from the items of those members (the shard that placed an article gives its item),
    and the round's exact document frequencies (the stored ones and every shard's own
    articles'). Takes each result's state (``ShardResult.state`` is None afterwards)."""
    items = dict(base.held_items())
    spans: dict[str, tuple[float | None, float | None]] = {}
    clock, fallback, next_seq = base.clock, {}, base.next_arrival
    for shard, result in zip(plan, results):
        if result.state is None:
            continue
        ended = StoryClusterer.from_snapshot(result.state)
        # The restored state holds all the text did: dropped now, and the clusterer once its
        # items are taken, so that the driver holds one shard's state at a time, not every
        # kept shard's twice over (Ray at the million: 2.5 GB in the driver, session 31).
        next_seq, result.state = result.state.next_seq, None
        own = set(shard.own)
        for seq, held in ended.held_items().items():
            (items if held[0].id in own else fallback)[seq] = held
        mapping = joined.mappings[shard.index]
        for local, first, last in ended.active_spans():
            key = joined.resolve(mapping.get(local, local))
            before = spans.get(key, (first, last))
            spans[key] = (_least(first, before[0], min), _least(last, before[1], max))
        clock = _least(ended.clock, clock, max)
        del ended
    for seq, held in fallback.items():
        items.setdefault(seq, held)  # a lead-in article whose own shard's state is not at hand

    stories = [(key, joined.age(key, base), members[key], first, final) for key, (first, final) in spans.items() if key in members]
    return StoryClusterer.assembled(base.params, next_seq, clock,
                                    _plus(base.doc_freqs(), counts), stories,
                                    {seq: item for seq, (item, _) in items.items()},
                                    {seq: lex for seq, (_, lex) in items.items() if lex is not None})


def _least(a: float | None, b: float | None, pick) -> float | None:
    return b if a is None else a if b is None else pick(a, b)


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
