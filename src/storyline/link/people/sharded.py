"""The people step by name-key shards: one run's PERSON entities split into groups that no name
key or stored identity joins, each group assigned in order, the groups side by side.

Why: the people step was the order-dependent part of a run that could not spread over workers
(run/ray_exec.py ran it in one Ray task beside the stories). An article is not the unit to
shard by: articles name several people, and on the 10k benchmark base every article with people
was joined to every other through someone they share (one component of 9,982). A mention is:
the merge only ever compares names under a shared name key (``incremental.name_keys``), so the
same base splits into 5,485 groups of entities, the largest 3.6% of them.

A run (:func:`run_sharded`) over the due articles:

1. **Plan** (:func:`plan`). Articles the step has done before (re-analysed, or a new step
   version) are assigned first, article batch after article batch, as before: their old
   members must leave the identities that hold them, which is not a question of keys; and
   the others are planned after them, as the identities they write may join two groups. For
   the others, the surname keys of every article are written first (``Store.put_surnames``), so
   the co-mention counts every batch reads are those of the whole run, whatever ran before it;
   then their entities that no identity holds yet (a killed run leaves some assigned) are
   joined by union-find: an entity with each of its name keys, a key with each live identity
   under it (``Store.person_ids_by_key``). Two groups so found never reach a common identity,
   so no batch of one reads what a batch of the other writes. When person corrections exist,
   every group touching an article they name, or an identity holding one, is joined into one
   (a correction reaches across keys). The groups are packed into at most ``shards()`` shards
   (STORYLINE_PEOPLE_SHARDS, 16 by default), fewer when a shard would hold fewer than
   ``shard_min()`` mentions (STORYLINE_PEOPLE_SHARD_MIN, 2,000): each group into the shard with
   fewest entities so far, in the order of the group's first entity; a shard lists its
   entities in the run's order. Both settings are read where the run is planned (the driver).
2. **Shards** run side by side (``mapper``: one after another here, Ray tasks in the Ray
   executor), each in batches of about SHARD_BATCH entities (``batches``,
   ``incremental.assign_members``). A batch is one transaction; a shard run again (a retried
   Ray task) skips the batches it finished.
3. **Done**: the articles whose every entity was assigned are marked done, in chunks.

The plan depends only on the store and the due articles, never on the executor, and a shard's
batches are the same wherever it runs: the local and Ray executors store the same people
(tests/test_run_engines.py; tests/link/test_people_sharded.py runs the shards in reverse order
and gets the same identities).

Not handled: an article partly assigned by a killed run and analysed again before the next
run is still new to the step (it was never marked done), and a re-analysis that numbers its
entities as before leaves their earlier assignment standing. ``storyline relink --step people``
after an analyzer change goes the article way and is not affected.

Memory: the plan holds the run's entities as (article, entity) pairs and their keys; at a
million articles of about five people each, a few GB, so runs that large come in parts (a
``storyline run`` per input folder), as any run can.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from storyline.link.people import corrected
from storyline.link.people.incremental import (PEOPLE_SOURCE, PEOPLE_VERSION, NameCache, PeopleBatch,
                                               assign_members, assign_people, mentioned_surnames, name_keys,
                                               places_of)
from storyline.store import Store

ARTICLE_BATCH = 50  # articles per batch of those done before (the people step's batch size)
SHARD_BATCH = 1000  # mentions per batch of a shard (the article path's 50 articles held about 250-700)
SHARDS = 16  # at most, whatever the executor: the plan must not depend on it
SHARDS_ENV = "STORYLINE_PEOPLE_SHARDS"  # more shards for a bigger cluster (read by the planning process)
SHARD_MIN = 2000  # mentions: a shard smaller than this is not worth a task of its own
SHARD_MIN_ENV = "STORYLINE_PEOPLE_SHARD_MIN"
PLAN_READ = 1000  # articles read at a time while planning
SHARD_NAMES = 300_000  # parsed names a shard keeps from batch to batch, at most (tens of MB)
Member = tuple[str, str]


def shards() -> int:
    """How many shards a run is split into at most (STORYLINE_PEOPLE_SHARDS, else SHARDS)."""
    return _setting(SHARDS_ENV, SHARDS)


def shard_min() -> int:
    """How many mentions a shard holds at least, when the run has that many
    (STORYLINE_PEOPLE_SHARD_MIN, else SHARD_MIN)."""
    return _setting(SHARD_MIN_ENV, SHARD_MIN)


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return max(1, int(value)) if value.isdigit() else default


@dataclass(slots=True)
class Plan:
    """A run of the people step: ``again`` (articles done before, assigned by article batches
    first), ``fresh`` (the others, marked done at the end) and ``shards`` (their entities)."""

    again: list[str] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    shards: list[list[Member]] = field(default_factory=list)


def plan(store: Store, article_ids: Sequence[str], most: int | None = None) -> Plan:
    """The plan of a run over ``article_ids`` (see the module docstring); writes the fresh
    articles' surname keys. :func:`run_sharded` plans the fresh articles only, after the
    articles done before are assigned (their identities may join groups)."""
    before = store.people_done_among(list(article_ids))
    out = Plan(again=[a for a in article_ids if a in before], fresh=[a for a in article_ids if a not in before])
    parse = NameCache()
    members: list[Member] = []
    keys_of: list[tuple[str, ...]] = []
    for start in range(0, len(out.fresh), PLAN_READ):
        chunk = out.fresh[start:start + PLAN_READ]
        by_article: dict[str, list] = defaultdict(list)
        for f in store.entities_of(chunk, "PERSON", mentions=False):
            by_article[f.article_id].append(f)
        assigned = store.assigned_members([(f.article_id, f.entity.id) for fs in by_article.values() for f in fs])
        surnames: dict[str, set[str]] = {}
        for aid in chunk:
            found = by_article.get(aid, [])
            try:
                keys = [name_keys(f.entity, parse) for f in found]
                surnames.update(mentioned_surnames(found, parse))
            except Exception:  # noqa: BLE001 - a name that does not parse: its batch reports the article
                keys = [() for _ in found]
            for f, k in zip(found, keys):
                if (f.article_id, f.entity.id) not in assigned:
                    members.append((f.article_id, f.entity.id))
                    keys_of.append(k)
        store.put_surnames(chunk, surnames, places_of(store, chunk))
    count = _shard_count(len(members), most or shards())
    if count == 1:
        # One shard holds every member in the run's order whatever the groups are: no need to
        # find them (at the 50k benchmark store, 0.9 of the people step's 5.2 CPU-s for 100
        # articles: common surnames reach hundreds of stored identities each).
        out.shards = [members] if members else []
    else:
        out.shards = _pack(_groups(store, members, keys_of), members, count)
    return out


def _shard_count(members: int, most: int) -> int:
    return max(1, min(most, -(-members // shard_min())))


def _groups(store: Store, members: list[Member], keys_of: list[tuple[str, ...]]) -> list[list[int]]:
    """The members (by position) in groups no key or identity joins, each in order, the groups
    in the order of their first member."""
    parent = list(range(len(members)))
    node: dict[str, int] = {}  # a key, an identity or "corrected" -> its place in ``parent``

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(x: int, name: str) -> None:
        if name not in node:
            node[name] = len(parent)
            parent.append(len(parent))
        a, b = find(x), find(node[name])
        if a != b:
            parent[max(a, b)] = min(a, b)  # a member's place is below every node's: it stays the root

    all_keys = sorted({k for ks in keys_of for k in ks})
    identities: dict[str, set[str]] = {}
    for start in range(0, len(all_keys), PLAN_READ):
        identities.update(store.person_ids_by_key(all_keys[start:start + PLAN_READ]))
    for n, ks in enumerate(keys_of):
        for k in ks:
            join(n, "k:" + k)
    # Each key joins the identities it reaches once, through its node (not once per member
    # carrying it: a common surname's hundreds of identities times its dozens of mentions).
    for k in all_keys:
        for pid in identities.get(k, ()):
            join(node["k:" + k], "p:" + pid)
    # A correction names entities across keys and reaches identities through them
    # (corrected.reach): everything it could reach is one group.
    named = {k[len(corrected.PEOPLE_PREFIX):] for k in store.correction_keys(corrected.PEOPLE_PREFIX)}
    if named:
        for n, (aid, _) in enumerate(members):
            if aid in named:
                join(n, "corrected")
        for identity in store.people_of(sorted(named), whole_below=0):
            if "p:" + identity.id in node:
                join(node["p:" + identity.id], "corrected")
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(members)):
        groups[find(n)].append(n)
    return sorted(groups.values(), key=lambda g: g[0])


def _pack(groups: list[list[int]], members: list[Member], count: int) -> list[list[Member]]:
    bins: list[list[int]] = [[] for _ in range(count)]
    for group in groups:  # the largest groups first would balance better, but order is the plan
        min(bins, key=len).extend(group)
    return [[members[n] for n in sorted(b)] for b in bins if b]


def run_shard(store: Store, members: Sequence[Member]) -> PeopleBatch:
    """One shard's batches, in order; the mentions an identity holds already (a shard run again
    after a lost worker) are skipped. ``done`` is not counted here: articles are done when
    every shard is (:func:`run_sharded`)."""
    out = PeopleBatch()
    parse = NameCache()  # parsing names is most of a batch's CPU, and a shard's batches share them
    for batch in batches(members):
        # A shard run again (its Ray task retried) skips what it committed: whole batches, and
        # the articles of a batch whose other article failed (the same failure comes again).
        assigned = store.assigned_members(batch)
        batch = [m for m in batch if m not in assigned]
        if not batch:
            continue
        if parse.size() > SHARD_NAMES:
            parse = NameCache()
        _add(out, assign_members(store, batch, parse))
    return out


def batches(members: Sequence[Member], size: int | None = None) -> list[list[Member]]:
    """``members`` cut into runs of about ``size`` (SHARD_BATCH): as many as ``size`` goes
    into their number, rounded to the nearest (one at least), as equal as can be, in order.
    Each batch reads the neighbourhood of its names, bounded (tuning.NEIGHBOURHOOD_MEMBERS)
    whatever the batch's size, so a short last batch cost as much as a full one: 100 articles
    added to the 50k incremental base were 1,000 + 124 mentions, the 124 a third of the step
    (1.0 of 3.1 CPU-s); now one batch of 1,124. A batch holds at most 1.5 * ``size``."""
    size = size or SHARD_BATCH
    count = max(1, int(len(members) / size + 0.5))
    cuts = [len(members) * k // count for k in range(count + 1)]
    return [list(members[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]


def _add(into: PeopleBatch, result: PeopleBatch) -> None:
    into.done += result.done
    for name, n in result.counts.items():
        into.counts[name] = into.counts.get(name, 0) + n
    into.problems += result.problems


Mapper = Callable[..., Sequence]  # run/step.py StoreMapper


def run_sharded(store: Store, article_ids: Sequence[str], store_mapper: Mapper,
                progress: Callable[[int, int], None] | None = None) -> PeopleBatch:
    """The people step over ``article_ids`` by shards (module docstring). ``store_mapper(fn,
    args)`` runs ``fn(store, *a)`` for each ``a``, with a store open where it runs, results in
    order."""
    out = PeopleBatch()
    # The articles done before first: the identities they write may join groups, so the
    # fresh articles are planned after them.
    before = store.people_done_among(list(article_ids))
    again = [a for a in article_ids if a in before]
    for start in range(0, len(again), ARTICLE_BATCH):
        _add(out, assign_people(store, again[start:start + ARTICLE_BATCH]))
    work = plan(store, [a for a in article_ids if a not in before])
    total = sum(len(s) for s in work.shards)
    if progress:
        progress(0, total)
    finished = 0

    def ended(k: int) -> None:  # a shard's batches are stored as it goes: shown as each ends
        nonlocal finished
        finished += len(work.shards[k])
        if progress:
            progress(finished, total)

    for result in store_mapper(run_shard, [(s,) for s in work.shards], done=ended):
        _add(out, replace(result, done=0))
    failed = {p.locator for p in out.problems if p.source == PEOPLE_SOURCE}
    fresh = [a for a in work.fresh if a not in failed]
    for start in range(0, len(fresh), PLAN_READ):
        store.mark_people_done(fresh[start:start + PLAN_READ], PEOPLE_VERSION)
    out.done += len(fresh)
    out.counts["people shards"] = len(work.shards)
    return out
