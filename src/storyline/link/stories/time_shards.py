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

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from storyline.link.stories import steps
from storyline.link.stories.cluster import StoryClusterer
from storyline.link.stories.scan import (BATCH, CLUSTER_VERSION, BatchOutcome, items_of, keep_warm, load_clusterer,
                                         published_epoch)
from storyline.link.stories.shard_join import store_round
from storyline.link.stories.shard_plan import (EMPTY, LEAD_S, SHARD_MAX, DocFreqs, Shard, ShardResult, _plus,
                                               plan_round, settings)
from storyline.records import Problem
from storyline.store import Store
from storyline.store.records import StoryCheckpoint


Progress = Callable[[int, int], None]


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
    if due and (tail := steps.end_of_run(store, len(due))) is not None:
        _add(outcome, tail)  # a corpus's last articles get their look (scan.bulk_run)
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


