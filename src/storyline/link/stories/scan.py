"""The story step over a store: cluster the articles not clustered yet, online.

The clusterer (link/stories/cluster.py) sees the articles one at a time, in publication order.
After each batch its state (what later decisions can read: document frequencies and the active
stories, link/stories/checkpoint.py) is stored as a checkpoint in the same transaction as the
batch's memberships, and the next batch, or the next run, continues from it. A batch reads only
its own articles and the members of the stories it changed, so a new article costs the same
whatever the size of the store. Ingesting a corpus in one batch or in many therefore gives the
same stories, as long as the articles arrive in the same order.

A store with memberships but no checkpoint of this CLUSTER_VERSION (written before checkpoints
existed) is replayed once from its memberships (StoryClusterer.restore), and the checkpoint
written; memberships of another version are dropped and the corpus clustered again.

Order: the new articles of a run are sorted by publication date. An undated one is placed just
after its nearest dated article (article vectors) among the new ones and the members of the
stories still active when more than ``hold_items`` dated articles would come after that place
(its story could be retired before it arrives); otherwise it is taken as published when it
arrived: at the time of the dated article stored just before it (its neighbour in the input).
An article published before one already clustered still joins after it (stories are not
re-clustered from scratch; bump CLUSTER_VERSION to do that).

Each batch is one transaction (memberships, the summaries of the stories it changed and the
checkpoint), so a killed run loses at most one batch and resumes without duplicates.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from storyline.ingest.dates import published_day, published_time
from storyline.link.reuse.candidates import VectorIndex, decode_vector
from storyline.link.stories import pinned
from storyline.link.stories.cluster import Item, StoryClusterer, item_from
from storyline.link.stories.labels import key_names, representative_headline
from storyline.records import Analysis, Article, Entity, Problem, Story
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import Membership, StoryMerge

# Bump when clustering decisions change: stored stories of another version are dropped and
# the corpus is clustered again.
CLUSTER_VERSION = "27"  # 27: one early look each, the tail of a corpus's run looked at (StoryClusterer.settle, bulk_run); 26: the part a split moves out gets a piece's second look at once (Params.split_home); 25: parts Params.people_split_cosine alike stay together; 24: two stories each about its own person by their leads do not merge (split.apart_by_people); 23: a story a rule kept out counts as a lone article's runner-up at its second look; 22: a story whose leads fall into two groups about two people is split (split.people_parts); 21: an article weeks from a story whose lead tells of other people is not scored with it (scoring.lead_of_other_people); 20: a piece near its story in time held to near_shift less; 19: a small piece about other people than a story's does not join it (scoring.piece_of_other_people); 18: a text mostly outside the Latin script is no English (no vector); 17: Indic words whole; 16: scripts without spaces read as pairs of characters, vector-less stories merge on the score; 15: words of any script, no English sentence vector for an article in another language; 14: two headline stories merge at Params.short_merge_threshold; 13: a later second look (Params.rescue_again), small pieces looked at (rescue_piece), the rescue bar 1.1; 12: near in time (Params.near_shift), rescue on exact scores; 11: casts (Params.cast_min), "Mt"/"Mount" one key; 10: protagonists (Params.protagonist_min); 9: year_ranges
BATCH = 200
# Articles read at a time where a whole list of them is walked (ordering, replay).
READ_CHUNK = 1000
# An undated article is ordered just after its nearest dated article when their article vectors
# are this close (same story, by the seeds' and the demo corpus' measure), one second after it.
PLACE_MIN = 0.6
PLACE_AFTER_S = 1.0
# A story's label (key names, representative headline) is made from its most recent members,
# at most this many (the clusterer's profile bound, Params.profile_members): a story that runs
# for months is labelled by what it is about now, and a batch that touches it reads a bounded
# number of texts. Its date span and undated count still cover every member (dates only).
SUMMARY_MEMBERS = 400
# The name of the clusterer kept in Store.warm between batches.
WARM = "stories.clusterer"

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class StoriesReport:
    clustered: int = 0
    stories: int = 0
    merged: int = 0
    restarted: bool = False
    # What any linking step could not do (Desk.find_stories gathers them): each stays due.
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class BatchOutcome:
    """What one clustered batch did; ``problems``: articles left out (they stay due)."""

    clustered: int = 0
    merged: int = 0
    problems: list[Problem] | None = None
    restarted: bool = False  # the batch found the stories of another version and dropped them
    shards: int = 0  # time shards it ran (link/stories/time_shards.py)


def find_stories(store: Store, *, progress: Progress | None = None) -> StoriesReport:
    """Cluster the stored articles that are not in a story yet. Needs their analyses (entities)
    and fingerprints (article vectors); articles without either still cluster, on what they
    have."""
    report = StoriesReport()
    clusterer, report.restarted = load_clusterer(store)
    due = due_in_order(store, clusterer)
    for start in range(0, len(due), BATCH):
        outcome = cluster_batch(store, clusterer, due[start : start + BATCH])
        report.clustered += outcome.clustered
        report.merged += outcome.merged
        if progress:
            progress(min(start + BATCH, len(due)), len(due), "articles clustered")
    keep_warm(store, clusterer)
    if due and (tail := end_of_run(store, len(due))) is not None:
        report.merged += tail.merged
        clusterer = store.warm[WARM]
    report.stories = clusterer.story_count()
    return report


def load_clusterer(store: Store, *, write: bool = True) -> tuple[StoryClusterer, bool]:
    """The clusterer as the last stored batch left it, and whether the stories are dropped
    (another CLUSTER_VERSION). From the checkpoint when there is one of this version; else by
    replaying the stored memberships once. With ``write`` the dropped stories are cleared and
    a replayed state is checkpointed; without it (listing what is due) nothing is written, and
    dropped stories count as gone: every article is then unclustered by this version.

    The clusterer the last batch of this process stored (``store.warm``, see keep_warm) is used
    instead of restoring the checkpoint when the stored checkpoint is still the one it wrote:
    restoring reads and parses the whole active state (84 MB at 100k articles). With ``write``
    the caller takes it: it is held nowhere else until keep_warm hands it back, so a batch that
    fails after changing it leaves nothing stale behind."""
    mark = store.story_checkpoint_token()
    if mark is not None and mark[0] == CLUSTER_VERSION:
        warm = store.warm.get(WARM)
        if warm is not None and warm.token and warm.token == mark[1]:
            if write:
                del store.warm[WARM]
            return warm, False
        return StoryClusterer.from_snapshot(store.story_checkpoint()), False
    members = store.story_members()
    restarted = False
    if members and (mark is not None or len(store.story_members(CLUSTER_VERSION)) != len(members)):
        if write:
            store.clear_stories()
        members, restarted = [], True
    seen = [m.article_id for m in members]
    clusterer = StoryClusterer.restore(items_of(store, seen), {m.article_id: m.story_id for m in members})
    if members and write:
        store.put_stories([], [], [], CLUSTER_VERSION, now(), clusterer.snapshot(CLUSTER_VERSION, delta=True))
    return clusterer, restarted


def keep_warm(store: Store, clusterer: StoryClusterer) -> None:
    """Keep ``clusterer`` for the next batch of this process (load_clusterer), once the batch
    that changed it is stored: its state is then the stored checkpoint's. Its retired stories
    are forgotten first, so that what a long run keeps is bounded as the checkpoint is."""
    clusterer.forget_retired()
    store.warm[WARM] = clusterer


def due_in_order(store: Store, clusterer: StoryClusterer | Callable[[], StoryClusterer],
                 among: Sequence[str] | None = None) -> list[str]:
    """The unclustered articles' ids (of ``among`` only, when given) in the order the clusterer
    takes them (module docstring). Holds their times and, when some are undated, their vectors;
    never their bodies. ``clusterer`` may be a function that loads it: only undated articles
    need its state (restoring it from the checkpoint is most of a dated batch's ordering cost)."""
    ids = store.unclustered(CLUSTER_VERSION, among=among)
    times: dict[str, float | None] = {}
    for chunk in _chunks(ids):  # the stated dates only: a bulk load's bodies are gigabytes
        times.update((aid, published_epoch(when)) for aid, when in store.publication_dates(chunk).items())
    ids = [a for a in ids if a in times]  # deleted meanwhile
    placed: dict[str, float] = {}
    if any(times[a] is None for a in ids):
        vectors = _vectors(store, ids)
        dated = [(a, times[a]) for a in ids if times[a] is not None]
        if callable(clusterer):
            clusterer = clusterer()
        held = clusterer.active_items()  # the dated articles an undated one can follow
        dated += [(i.id, i.time) for i in held if i.time is not None]
        vectors.update((i.id, i.vector) for i in held)
        placed = _placed_times([a for a in ids if times[a] is None], dated, vectors)
        # Placing reorders the stream, which costs an online clusterer recall (ECB+ dev via the
        # CLI: pair F1 0.735 placed, 0.760 last), so an undated article is placed only when
        # going last would reach its story too late: when more than hold_items dated articles
        # come after its place (the story may have been retired by then).
        later = sorted(times[a] for a in ids if times[a] is not None)
        hold = clusterer.params.hold_items
        placed = {a: t for a, t in placed.items() if len(later) - bisect.bisect_right(later, t) > hold}
    rank = {a: k for k, a in enumerate(ids)}
    # The other undated articles are taken as published when they arrived: at the time of the
    # dated article stored just before them (before any, the earliest), their neighbour in the
    # input. Going last instead met a sibling event's story grown meanwhile: ECB+ via the CLI,
    # dev pair F1 0.789 last, 0.800 on arrival (precision 0.882 -> 0.903); train 0.813 both
    # ways. The neighbour's time rather than the latest time seen so far: in an input that is
    # not in date order the latest time runs ahead, and every undated article after it went
    # to that one time, after the dated coverage of its own event had grown into a story
    # (replayed on the features the CLI stored, with this version's rules: train pair P/R/F1
    # 0.916 / 0.749 / 0.824 latest, 0.964 / 0.724 / 0.827 neighbour; dev 0.886 / 0.740 / 0.807
    # latest, 0.995 / 0.746 / 0.853 neighbour).
    dated_times = [times[a] for a in ids if times[a] is not None]
    neighbour = min(dated_times) if dated_times else None
    for aid in ids:
        if times[aid] is not None:
            neighbour = times[aid]
        elif aid not in placed and neighbour is not None:
            placed[aid] = neighbour

    def key(aid: str) -> tuple:
        t = times[aid] if times[aid] is not None else placed.get(aid)
        return (t is None, t or 0.0, rank[aid])

    return sorted(ids, key=key)


def bulk_run(clusterer: StoryClusterer, due: int) -> bool:
    """Whether a run of ``due`` articles brought a corpus rather than a feed's latest few: at
    least Params.rescue_after of them. Its last batch then gives every lone article its early
    look (StoryClusterer.settle ``tail``): no later arrival will. A feed's next run brings the
    look at the age settle_after; giving it at once, to articles whose event's story has not
    grown yet, cost ECB+ dev pair F1 0.910 -> 0.878 fed one article a run (mean of eight
    orders, benchmarks/README.md, session 42)."""
    return due >= clusterer.params.rescue_after > 0


def end_of_run(store: Store, clustered: int) -> BatchOutcome | None:
    """After a run that clustered ``clustered`` articles: when that was a corpus rather than a
    feed's latest few (bulk_run), the lone articles too young for a look at the last batch's
    end get theirs now, stored as a batch of no new articles (StoryClusterer.settle ``tail``:
    no later arrival would bring it). None when there is nothing to do. Called by the story
    step's run (time_shards.run_sharded) and by find_stories."""
    clusterer, restarted = load_clusterer(store)
    if not bulk_run(clusterer, clustered):
        keep_warm(store, clusterer)
        return None
    outcome = cluster_batch(store, clusterer, [], tail=True)
    keep_warm(store, clusterer)
    outcome.restarted = restarted
    return outcome


def cluster_batch(store: Store, clusterer: StoryClusterer, ids: Sequence[str], tail: bool = False) -> BatchOutcome:
    """Add the articles ``ids`` (in this order) to ``clusterer`` and store, in one transaction,
    their memberships, the memberships merges moved, the summaries of the changed stories and
    the checkpoint. An article that is gone or cannot be read is reported and left due.
    ``tail``: the last batch of a run that brought a corpus (bulk_run)."""
    outcome = BatchOutcome(problems=[])
    ids = [a for a in ids if clusterer.story_of(a) is None]  # a repeated key is done already
    before = clusterer.active_members()
    clusterer.take_evidence()  # nothing of an earlier, unstored batch
    added = []
    for item in items_of(store, ids, outcome.problems):
        clusterer.add(item)
        added.append(item.id)
    clusterer.settle(tail)  # the batch's lone articles old enough get their look (Params.settle_after)
    why, merged = clusterer.take_evidence()
    moved = [a for a, key in before.items() if clusterer.story_of(a) != key]
    # A moved member keeps the evidence it joined with (None: the store keeps what it has).
    rows = [Membership(a, clusterer.story_of(a), clusterer.seq_of(a), _json(why.get(a))) for a in added + moved]
    # Corrections made by hand (link/stories/pinned.py): a pinned article stays in its story.
    pinned_to = pinned.pins(store, [m.article_id for m in rows])
    rows = [m._replace(story_id=pinned_to.get(m.article_id, m.story_id)) for m in rows]
    touched = {m.story_id for m in rows} | {clusterer.story_of(m.article_id) for m in rows} | {before[a] for a in moved}
    members = pinned.corrected_members(store, sorted(touched), clusterer.members)
    removed = sorted(sid for sid, held in members.items() if not held)
    when = now()
    merges = [StoryMerge(m["absorbed"], m["into"], when, _json(m)) for m in merged]
    store.put_stories(summaries(store, {sid: held for sid, held in members.items() if held}), rows, removed,
                      CLUSTER_VERSION, when, clusterer.snapshot(CLUSTER_VERSION, delta=True), merges)
    outcome.clustered, outcome.merged = len(added), len(removed)
    return outcome


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def items_of(store: Store, ids: Sequence[str], problems: list[Problem] | None = None) -> Iterator[Item]:
    """The clusterer's items of the articles ``ids``, in that order, read a chunk at a time.
    With ``problems``, an article that is gone or fails is reported there and skipped."""
    for chunk in _chunks(ids):
        by_id = {a.id: a for a in store.articles(ids=chunk)}
        entities = _entities_by_article(store, chunk)
        titles = store.title_entities_of(chunk)
        vectors = _vectors(store, chunk)
        for aid in chunk:
            try:
                if aid not in by_id:
                    raise LookupError("the article is no longer stored")
                item = _item(by_id[aid], entities, vectors, titles)
            except Exception as exc:  # one unreadable article must not stop its batch
                if problems is None:
                    raise
                problems.append(Problem(aid, f"not clustered: {exc}"))
                continue
            yield item


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), READ_CHUNK):
        yield list(ids[start : start + READ_CHUNK])


def _entities_by_article(store: Store, ids: Sequence[str]) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = defaultdict(list)
    for found in store.entities_of(ids):
        out[found.article_id].append(found.entity)
    return out


def _vectors(store: Store, ids: Sequence[str]) -> dict[str, np.ndarray | None]:
    return {r.article_id: decode_vector(r.vector) for chunk in _chunks(ids) for r in store.fingerprint_blobs(chunk)}


def _item(article: Article, entities: dict[str, list[Entity]], vectors: dict[str, np.ndarray | None],
          titles: dict[str, tuple[Entity, ...]]) -> Item:
    analysis = Analysis(article.id, entities=tuple(entities.get(article.id, ())),
                        title_entities=titles.get(article.id, ()))
    return item_from(article.id, article.body, analysis, vectors.get(article.id),
                     publication_time(article), article.title)


def publication_time(article: Article) -> float | None:
    """The stated publication time in epoch seconds (UTC when no zone is given), or None."""
    return published_epoch(article.published)


def published_epoch(published: str | None) -> float | None:
    """:func:`publication_time` of an article published ``published`` (as stored): what a read
    of ``Store.publication_dates`` gives, without the article."""
    when = published_time(published)
    return when.timestamp() if when is not None else None


def _placed_times(undated: Sequence[str], dated: Sequence[tuple[str, float]],
                  vectors: dict[str, np.ndarray | None]) -> dict[str, float]:
    """Where an undated new article goes in the stream: just after its nearest dated article
    (by article vector, cosine at least PLACE_MIN). Taken last instead, it would only meet the
    stories still active at the end of the stream and miss its own (the clusterer only looks at
    stories active in the last days). Its own time stays unknown: this orders, it does not date."""
    undated = [a for a in undated if vectors.get(a) is not None]
    dated = [(a, t) for a, t in dated if vectors.get(a) is not None]
    if not undated or not dated:
        return {}
    index = VectorIndex([d for d, _ in dated], np.stack([vectors[d] for d, _ in dated]))
    when = dict(dated)
    placed = {}
    for aid, found in zip(undated, index.neighbours(np.stack([vectors[a] for a in undated]), k=1, floor=PLACE_MIN)):
        if found:
            placed[aid] = when[found[0][0]] + PLACE_AFTER_S
    return placed


# --- summaries ---------------------------------------------------------------------------------


def summaries(store: Store, members: dict[str, Sequence[str]]) -> list[Story]:
    """The summaries of some stories, given their member ids in arrival order (read a chunk at
    a time): texts of the last SUMMARY_MEMBERS of each, dates of all."""
    recent = list(dict.fromkeys(a for m in members.values() for a in m[-SUMMARY_MEMBERS:]))
    by_id = {a.id: a for chunk in _chunks(recent) for a in store.articles(ids=chunk)}
    entities = _entities_by_article(store, recent)
    vectors = _vectors(store, recent)
    everyone = list(dict.fromkeys(a for m in members.values() for a in m))
    published = {aid: when for chunk in _chunks(everyone) for aid, when in store.publication_dates(chunk).items()}
    return [summarise(sid, held, by_id, entities, vectors, published) for sid, held in members.items()]


def summarise(story_id: str, member_ids: Sequence[str], by_id: dict[str, Article],
              entities: dict[str, list[Entity]], vectors: dict[str, np.ndarray | None],
              published: dict[str, str | None]) -> Story:
    """A story's label (key people and places, and the headline nearest its centre, over its
    last SUMMARY_MEMBERS members) and its stated date span (over every member whose
    publication date ``published`` holds)."""
    articles = [by_id[a] for a in member_ids[-SUMMARY_MEMBERS:] if a in by_id]
    key = key_names(articles, [entities.get(a.id, ()) for a in articles])
    headline = representative_headline(articles, vectors)
    label = (", ".join(key) + ": " if key else "") + (headline or "untitled")
    stated = [published[a] for a in member_ids if a in published]
    dates = sorted(d.isoformat() for d in map(published_day, stated) if d is not None)
    return Story(id=story_id, label=label, article_ids=tuple(member_ids), first=dates[0] if dates else None,
                 last=dates[-1] if dates else None, headline=headline, key_entities=key,
                 undated=len(stated) - len(dates))
