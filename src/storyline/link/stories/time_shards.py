"""The story step by time shards: a big run's articles clustered in stretches side by side, then
joined in one merge step.

The clusterer is online (link/stories/cluster.py): each article is placed against the stories of
the articles before it, so one clusterer takes a run's articles one after another, which is
what bounds a bulk load (about 80 articles a second on one core, docs/scale.md). A run with at
least ``2 * shard_min`` articles due is cut instead, in the order the clusterer takes them
(publication order), into consecutive *shards* of at least ``shard_min`` articles, at most
``shards`` of them a *round*; each shard is clustered by a clusterer of its own, and the
executor runs them side by side (Ray tasks; the local executor one after another: the plan
depends only on the store and the due articles, so both store the same stories).

How a shard starts and how the shards are joined:

- Every shard starts from the stored checkpoint (the state before the round) and numbers its
  arrivals as the whole round does (``StoryClusterer.skip_to``), so the windows by arrival
  count age as in one stream and the stories of before that the round has left behind retire;
  its document frequencies are raised by those of the round's articles before its lead-in
  (:func:`count_doc_freqs`, side by side first), so it weighs words and names as one
  clusterer would at its place.
- Shard k (after the first) first replays the *lead-in*: the last ``lead`` articles of shard
  k - 1 (those within ``lead_s`` of its first article). Its clusterer then holds the stories
  running at its start, and an article that continues one of them joins it instead of
  founding a new one. The lead-in's placements are the previous shard's business: after the
  replay each of the shard's stories stands for the stored story (or the previous shard's)
  that most of its known members (held from before, or of the lead-in) belong to.
- The merge step walks the shards in order. A shard's story that holds known members is that
  story; one that came to hold the known members of two (a merge made by the shard's own
  articles, after the lead-in) merges them, the older keeping its id (recorded with its
  evidence, rule ``time shard``, as every merge is). A story of the shard's own articles only
  is *stitched*: its first article (if published within LEAD_S of the shard's first) is scored
  against the state the shard before ended with (``StoryClusterer.probe``, the clusterer's own
  rule, as if it had arrived then; :func:`stitch`, one Ray task per cut), and the story joins
  the one it would have joined there; otherwise it is new, keyed by its first article. This is
  what keeps a story that was quiet through the whole lead-in whole.
- The state to continue from is assembled from the states the shards near the round's end
  ended with (``StoryClusterer.assembled``): their active stories under the joined keys, each
  with every member of its joined story and its profile folded again from its members' items
  (the shard that placed an article gives its item), and both document-frequency tables as
  the round's exact counts (the stored ones plus every shard's own articles). The next run
  goes on as if one clusterer had made the joined stories.

A round is stored in one transaction (memberships, merges, the summaries of the stories it
touched and the checkpoint), so a killed run loses at most its open round and the next run
does it again; a shard writes nothing, so a shard retried on a lost Ray worker repeats
exactly what it did. Runs with fewer due articles are clustered batch after batch as before.

What this costs (benchmarks/scale_story_shards.py, docs/scale.md): a story quiet through the
lead-in is seen by the stitching only as the shard before saw it (its members in that shard
and its lead-in), so a thin one can fail the bar it would have passed in one stream, and its
returning articles start a story of their own. The replays cost ``lead`` articles per shard,
the document counts a second read of every article, the stitching one look per new story
near a cut.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from storyline.link.stories import pinned, steps
from storyline.link.stories.cluster import DEFAULT, StoryClusterer
from storyline.link.stories.scan import (BATCH, CLUSTER_VERSION, BatchOutcome, items_of, keep_warm, load_clusterer,
                                         published_epoch, summaries)
from storyline.records import Problem
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import Membership, StoryCheckpoint, StoryMerge

SHARDS = 16  # shards in a round at most (STORYLINE_STORY_SHARDS)
SHARD_MIN = 5_000  # articles in a shard at least (STORYLINE_STORY_SHARD_MIN)
SHARD_MAX = 20_000  # ... and at most: a round is one transaction of up to SHARDS * SHARD_MAX
LEAD = 2_000  # articles of the shard before replayed at a shard's start (STORYLINE_STORY_LEAD)
LEAD_S = 30 * 86_400.0  # ... published at most this long before its first article
# Stories whose summaries are made at a time (each reads the texts of its recent members).
SUMMARY_STORIES = 500

Progress = Callable[[int, int], None]


def settings() -> tuple[int, int, int]:
    """(shards, shard_min, lead) as the environment sets them (a test forces small shards)."""
    return (max(1, int(os.environ.get("STORYLINE_STORY_SHARDS", SHARDS))),
            max(1, int(os.environ.get("STORYLINE_STORY_SHARD_MIN", SHARD_MIN))),
            max(0, int(os.environ.get("STORYLINE_STORY_LEAD", LEAD))))


@dataclass(frozen=True, slots=True)
class Shard:
    """One stretch of a round: replay ``lead`` from arrival ``first_seq`` on, then place ``own``
    (arrival indexes follow on), starting from the checkpoint ``token`` ("" for none)."""

    index: int
    token: str
    first_seq: int
    lead: tuple[str, ...]
    own: tuple[str, ...]
    keep: bool  # its end state goes into the state handed on: its stories can still be active at the end


@dataclass(slots=True)
class ShardResult:
    """What a shard did, for the merge step: its story key of every article it held after the
    lead-in (``after_lead``: held from before, and the lead-in's) and at its end (``final``:
    the same and its own), why each own article was placed, the articles it could not read,
    and the state it ended with (kept for the merge step when its stories can still be active
    at the round's end: Shard.keep)."""

    index: int
    after_lead: dict[str, str]
    final: dict[str, str]
    why: dict[str, dict]
    problems: list[Problem] = field(default_factory=list)
    state: StoryCheckpoint | None = None
    # The first articles of its stories that hold no article from before the shard (the
    # stored ones, the lead-in), published within LEAD_S of its first: the merge step asks
    # the state the shard before ended with whether each continues one of its stories.
    founders: list[str] = field(default_factory=list)


def plan_round(due: Sequence[str], first_seq: int, token: str, shards: int, shard_min: int,
               lead: int, times: dict[str, float | None] | None = None) -> list[Shard]:
    """The shards of one round over the start of ``due`` (in clusterer order), or [] when
    fewer than two shards' worth are due: as many as ``shards`` of at least ``shard_min`` and at
    most SHARD_MAX articles, of even size. ``times``: publication times, for the lead-in's
    LEAD_S bound (an article without one counts as within it)."""
    if shards < 2 or len(due) < 2 * shard_min:
        return []
    count = min(shards, len(due) // shard_min)
    total = min(len(due), count * max(SHARD_MAX, shard_min))
    cuts = [round(k * total / count) for k in range(count + 1)]
    out = []
    for k in range(count):
        own = tuple(due[cuts[k]:cuts[k + 1]])
        led = tuple(due[max(cuts[k - 1], cuts[k] - lead):cuts[k]]) if k else ()
        if led and times is not None and (t0 := times.get(own[0])) is not None:
            led = tuple(a for a in led if (t := times.get(a)) is None or t >= t0 - LEAD_S)
        out.append(Shard(k, token, first_seq + cuts[k] - len(led), led, own, _reaches_end(k, cuts, due, times)))
    return out


def _reaches_end(k: int, cuts: list[int], due: Sequence[str], times: dict[str, float | None] | None) -> bool:
    """Whether shard ``k``'s stories can still be active when the round ends: it is the last,
    or its last article is within the clusterer's window (arrivals, or time) of the round's."""
    if k == len(cuts) - 2 or cuts[-1] - cuts[k + 1] < DEFAULT.window_items or times is None:
        return True
    end, last = times.get(due[cuts[-1] - 1]), times.get(due[cuts[k + 1] - 1])
    return end is None or last is None or last >= end - DEFAULT.window_s


DocFreqs = tuple[tuple[int, dict[str, int]], tuple[int, dict[str, int]]]  # (entity keys, terms): (items, counts)


def count_doc_freqs(store: Store, head: Sequence[str], tail: Sequence[str]) -> tuple[DocFreqs, DocFreqs]:
    """The document frequencies of the articles ``head`` and of the articles ``tail`` (a
    shard's own articles, less the next shard's lead-in, and that lead-in): what the shards
    after it add to the stored ones before they start, so that each weighs words and names as
    one clusterer would at its place in the stream. Unreadable articles count in neither (the
    shard leaves them out too)."""
    return _doc_freqs(items_of(store, head, [])), _doc_freqs(items_of(store, tail, []))


def _doc_freqs(items: Iterable) -> DocFreqs:
    entities, terms, n = Counter(), Counter(), 0
    for item in items:
        n += 1
        entities.update(item.entities.keys())
        terms.update(item.terms.keys())
    return (n, dict(entities)), (n, dict(terms))


def _plus(a: DocFreqs, b: DocFreqs) -> DocFreqs:
    return tuple((x[0] + y[0], dict(Counter(x[1]) + Counter(y[1]))) for x, y in zip(a, b))  # type: ignore[return-value]


EMPTY: DocFreqs = ((0, {}), (0, {}))


def run_time_shard(store: Store, shard: Shard, before: DocFreqs = EMPTY) -> ShardResult:
    """Cluster one shard from the stored checkpoint it was planned on (module docstring), its
    document frequencies raised by ``before`` (those of the round's articles before its
    lead-in, :func:`count_doc_freqs`). Writes nothing, so running it again does the same."""
    clusterer = _planned_on(store, shard.token)
    if before[0][0]:
        clusterer.set_doc_freqs(*_plus(clusterer.doc_freqs(), before))
    held = set(clusterer.assignments())
    seq = {a: shard.first_seq + n for n, a in enumerate(shard.lead + shard.own)}
    _place(clusterer, items_of(store, [a for a in shard.lead if a not in held], []), seq)
    after_lead = clusterer.assignments()
    clusterer.take_evidence()  # the lead-in's evidence is its own shard's
    problems: list[Problem] = []
    times: dict[str, float | None] = {}

    def counted(found: Iterable) -> Iterable:
        for item in found:
            times[item.id] = item.time
            yield item

    why = _place(clusterer, counted(items_of(store, [a for a in shard.own if a not in held], problems)), seq)
    own = set(shard.own)
    final = clusterer.assignments()
    continued = {final[a] for a in after_lead if a in final}
    start = next((t for a in shard.own if (t := times.get(a)) is not None), None)
    founders = [key for key in dict.fromkeys(final[a] for a in shard.own if a in final)
                if key not in continued and key in own
                and (start is None or (t := times.get(key)) is None or t < start + LEAD_S)]
    return ShardResult(shard.index, after_lead, final, {a: w for a, w in why.items() if a in own},
                       problems, clusterer.snapshot(CLUSTER_VERSION), founders)


def stitch(store: Store, state: StoryCheckpoint, founders: Sequence[str]) -> dict[str, tuple[str, float, float]]:
    """Founder -> (story, score, cosine) of the founders that would have joined a story of the
    clusterer in ``state`` (the state the shard before ended with) had they arrived then."""
    clusterer = StoryClusterer.from_snapshot(state)
    out = {}
    for item in items_of(store, founders, []):
        if (found := clusterer.probe(item)) is not None:
            out[item.id] = found
    return out


def _place(clusterer: StoryClusterer, items: Iterable, seq: dict[str, int]) -> dict[str, dict]:
    """Add ``items`` at their arrival indexes, giving lone articles their look every BATCH
    articles as the batch-by-batch step does; the evidence of the articles placed."""
    why: dict[str, dict] = {}
    placed = 0
    for item in items:
        clusterer.skip_to(seq[item.id])
        clusterer.add(item)
        placed += 1
        if placed % BATCH == 0:
            clusterer.settle()
            why.update(clusterer.take_evidence()[0])
    clusterer.settle()
    why.update(clusterer.take_evidence()[0])
    return why


def run_sharded(store: Store, due: Sequence[str], store_mapper: Callable, progress: Progress | None = None
                ) -> BatchOutcome:
    """Cluster the due articles ``due`` (in clusterer order): round after round of shards
    through ``store_mapper`` (``fn(store, *args)`` per call, wherever the executor runs work),
    and what is left for less than a round batch after batch, as the step always did."""
    shards, shard_min, lead = settings()
    outcome = BatchOutcome(problems=[])
    remaining = list(due)
    done = 0
    while remaining:
        base, restarted = load_clusterer(store)
        outcome.restarted = outcome.restarted or restarted
        remaining = [a for a in remaining if base.story_of(a) is None]
        if not remaining:
            keep_warm(store, base)
            break
        plan = plan_round(remaining, base.next_arrival, base.token, shards, shard_min, lead,
                          _times(store, remaining[: shards * max(SHARD_MAX, shard_min)]))
        if not plan:
            keep_warm(store, base)  # the batches take it up again
            for start in range(0, len(remaining), BATCH):
                _add(outcome, steps.run(store, remaining[start : start + BATCH]))
                done += len(remaining[start : start + BATCH])
                if progress:
                    progress(done, len(due))
            break
        placed = done

        def ended(k: int, plan: Sequence[Shard] = plan) -> None:
            # A shard has placed its articles (the round stores them all at its end): a round
            # is up to 320,000 articles, so a bar moved only by rounds would stand for hours.
            nonlocal placed
            placed += len(plan[k].own)
            if progress:
                progress(placed, len(due))

        # The state before the round is read again only to join it: while the shards run
        # (minutes, each of them holding a window of state of its own) this process holds none.
        del base
        _release_memory()
        _add(outcome, run_round(store, plan, store_mapper, ended))
        taken = sum(len(s.own) for s in plan)
        remaining = remaining[taken:]
        done += taken
        if progress:
            progress(done, len(due))
    return outcome


def _add(outcome: BatchOutcome, step: BatchOutcome) -> None:
    outcome.clustered += step.clustered
    outcome.merged += step.merged
    outcome.shards += step.shards
    outcome.restarted = outcome.restarted or step.restarted
    outcome.problems += step.problems or []


def run_round(store: Store, plan: Sequence[Shard], store_mapper: Callable,
              ended: Callable[[int], None] | None = None) -> BatchOutcome:
    """One round: the shards' document counts, the shards, the stitching at each cut (each
    stage side by side through ``store_mapper``), then the merge step and its one transaction,
    on the state the round was planned on, restored from the store (:func:`_planned_on`).
    ``ended(k)`` is called as the k-th shard ends (the progress display)."""
    tails = [set(after.lead) for after in plan[1:]] + [set()]  # a shard's end is the next one's lead-in
    counts = store_mapper(count_doc_freqs, [([a for a in shard.own if a not in tail],
                                             [a for a in shard.own if a in tail]) for shard, tail in zip(plan, tails)])
    # A shard starts with the counts of every round article before its lead-in (the lead-in is
    # counted as it is replayed); the round's total goes to the state handed on.
    seeds, total = [EMPTY], EMPTY
    for head, tail in counts:
        seeds.append(_plus(total, head))
        total = _plus(_plus(total, head), tail)
    results = store_mapper(run_time_shard, [(shard, seed) for shard, seed in zip(plan, seeds)], done=ended)
    stitched = store_mapper(stitch, [(before.state, after.founders) for before, after in zip(results, results[1:])])
    for shard, result in zip(plan, results):
        if not shard.keep:
            result.state = None  # read by the stitching only
    return store_round(store, _planned_on(store, plan[0].token), plan, results, [{}, *stitched], total)


def _planned_on(store: Store, token: str) -> StoryClusterer:
    """The clusterer in the stored state a round was planned on (checkpoint ``token``; "" for
    none), or RuntimeError when the stored stories changed since: what each shard starts from,
    and what the merge step joins the shards on."""
    mark = store.story_checkpoint_token()
    if (mark[1] if mark is not None and mark[0] == CLUSTER_VERSION else "") != token:
        raise RuntimeError("the stored stories changed since this run was planned; run it again")
    return StoryClusterer.from_snapshot(store.story_checkpoint()) if token else StoryClusterer()


def _release_memory() -> None:
    """Hand the memory freed so far back to the system. The allocator keeps freed memory for
    reuse, so a dropped clusterer (hundreds of MB of small objects) would still count against
    the machine while the shards run beside this process. glibc's malloc_trim returns the free
    pages; elsewhere this does nothing. (60,000 planted articles on Ray, 2 workers: this
    process held 1,203 MB through round 2's shards, 563 MB with the clusterer dropped and
    trimmed; the peak of the process tree fell 3,329 -> 2,548 MB, session 33.)"""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): the memory is reused later instead
        pass


def _times(store: Store, ids: Sequence[str]) -> dict[str, float | None]:
    """Publication times of ``ids`` (for the lead-ins' and the kept states' time bounds)."""
    dates = {}
    for start in range(0, len(ids), 1000):
        dates.update(store.publication_dates(list(ids[start : start + 1000])))
    return {a: published_epoch(dates.get(a)) for a in ids}


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
    the shard before (founder -> that shard's story, score, cosine; see :func:`stitch`)."""
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
