"""The story step over a store: cluster the articles not clustered yet, online.

The clusterer (link/stories/cluster.py) sees the articles one at a time, in publication order. Its
state is a pure function of the articles it has seen and where they went, so only the
memberships are stored (with the order they were seen in): a later run rebuilds the state from
them and goes on with the new articles. Ingesting a corpus in one batch or in many therefore
gives the same stories, as long as the articles arrive in the same order.

Order: the new articles of a run are sorted by publication date; an undated one goes just after
its nearest dated article (article vectors), or last when none is near. An article published before one already clustered still joins after
it (stories are not re-clustered from scratch; bump CLUSTER_VERSION to do that).

Each run is one transaction per batch of new articles (memberships and the summaries of the
stories they changed), so a killed run loses at most one batch and resumes without duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.ingest.dates import published_time
from storyline.link.reuse.candidates import VectorIndex, decode_vector
from storyline.link.stories.cluster import Item, StoryClusterer, item_from
from storyline.records import Analysis, Article, Entity, Story
from storyline.store import Store
from storyline.store.records import Membership

# Bump when clustering decisions change: stored stories of another version are dropped and
# the corpus is clustered again.
CLUSTER_VERSION = "1"
BATCH = 200
# An undated article is ordered just after its nearest dated article when their article vectors
# are this close (same story, by the seeds' and the demo corpus' measure), one second after it.
PLACE_MIN = 0.6
PLACE_AFTER_S = 1.0
KEY_PEOPLE = 3
KEY_PLACES = 2

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class StoriesReport:
    clustered: int = 0
    stories: int = 0
    merged: int = 0
    restarted: bool = False


def find_stories(store: Store, *, progress: Progress | None = None) -> StoriesReport:
    """Cluster the stored articles that are not in a story yet. Needs their analyses (entities)
    and fingerprints (article vectors); articles without either still cluster, on what they
    have."""
    report = StoriesReport()
    members = store.story_members()
    if members and len(store.story_members(CLUSTER_VERSION)) != len(members):
        store.clear_stories()
        members, report.restarted = [], True
    done = {m.article_id for m in members}
    all_articles = store.articles()
    new = [a for a in all_articles if a.id not in done]
    if not new:
        report.stories = len(store.stories())
        return report
    entities = _entities_by_article(store)
    vectors = {r.article_id: decode_vector(r.vector) for r in store.fingerprint_blobs()}
    by_id = {a.id: a for a in all_articles}

    seen_order = [m.article_id for m in members]
    clusterer = StoryClusterer.restore(
        [_item(by_id[a], entities, vectors) for a in seen_order if a in by_id],
        {m.article_id: m.story_id for m in members},
    )
    before = clusterer.assignments()
    seq = members[-1].seq + 1 if members else 0
    new.sort(key=_publication_order(all_articles, _placed_times(new, all_articles, vectors)))
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        for article in batch:
            clusterer.add(_item(article, entities, vectors))
        after = clusterer.assignments()
        stories = clusterer.stories()
        moved = [a for a, s in after.items() if before.get(a) != s]
        rows = []
        for a in batch:
            rows.append(Membership(a.id, after[a.id], seq))
            seq += 1
        order = {m.article_id: m.seq for m in members}
        rows += [Membership(a, after[a], order[a]) for a in moved if a in order]
        changed = {after[a] for a in moved}
        removed = sorted({before[a] for a in moved if a in before} - set(stories))
        summaries = [summarise(sid, stories[sid], by_id, entities, vectors) for sid in sorted(changed)]
        store.put_stories(summaries, rows, removed, CLUSTER_VERSION, _now())
        members += [r for r in rows if r.article_id not in order]
        report.merged += len(removed)
        report.clustered += len(batch)
        before = after
        if progress:
            progress(report.clustered, len(new), "articles clustered")
    report.stories = len(clusterer.stories())
    return report


def _entities_by_article(store: Store) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = defaultdict(list)
    for found in store.entities():
        out[found.article_id].append(found.entity)
    return out


def _item(article: Article, entities: dict[str, list[Entity]], vectors: dict[str, np.ndarray | None]) -> Item:
    analysis = Analysis(article.id, entities=tuple(entities.get(article.id, ())))
    return item_from(article.id, article.body, analysis, vectors.get(article.id),
                     publication_time(article), article.title)


def publication_time(article: Article) -> float | None:
    """The stated publication time in epoch seconds (UTC when no zone is given), or None."""
    when = published_time(article.published)
    return when.timestamp() if when is not None else None


def _publication_order(stored: Sequence[Article], placed: dict[str, float]) -> Callable[[Article], tuple]:
    rank = {a.id: k for k, a in enumerate(stored)}

    def key(article: Article) -> tuple:
        t = publication_time(article)
        if t is None:
            t = placed.get(article.id)
        return (t is None, t or 0.0, rank[article.id])

    return key


def _placed_times(new: Sequence[Article], stored: Sequence[Article],
                  vectors: dict[str, np.ndarray | None]) -> dict[str, float]:
    """Where an undated new article goes in the stream: just after its nearest dated article
    (by article vector, cosine at least PLACE_MIN). Taken last instead, it would only meet the
    stories still active at the end of the stream and miss its own (the clusterer only looks at
    stories active in the last days). Its own time stays unknown: this orders, it does not date."""
    undated = [a.id for a in new if publication_time(a) is None and vectors.get(a.id) is not None]
    dated = [(a.id, publication_time(a)) for a in stored if publication_time(a) is not None and vectors.get(a.id) is not None]
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


def summarise(story_id: str, member_ids: Sequence[str], by_id: dict[str, Article],
              entities: dict[str, list[Entity]], vectors: dict[str, np.ndarray | None]) -> Story:
    """A story's label (key people and places, and the headline nearest its centre) and its
    stated date span."""
    articles = [by_id[a] for a in member_ids if a in by_id]
    people = _key_names((entities.get(a.id, ()) for a in articles), "PERSON", KEY_PEOPLE)
    places = _key_names((entities.get(a.id, ()) for a in articles), "PLACE", KEY_PLACES)
    headline = representative_headline(articles, vectors)
    key = tuple(dict.fromkeys(people + places))  # a name tagged both person and place once
    label = (", ".join(key) + ": " if key else "") + (headline or "untitled")
    dates = sorted(_day(a) for a in articles if publication_time(a) is not None)
    return Story(id=story_id, label=label, article_ids=tuple(member_ids), first=dates[0] if dates else None,
                 last=dates[-1] if dates else None, headline=headline, key_entities=key,
                 undated=len(articles) - len(dates))


def _key_names(per_article: Iterable[Iterable[Entity]], type_: str, n: int) -> list[str]:
    """The names in most articles. People are counted by surname so that "Starmer" in one
    article and "Keir Starmer" in another add up; the fullest name seen is shown."""
    count: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for entities in per_article:
        keys = set()
        for e in entities:
            if e.type != type_:
                continue
            key = e.name.split()[-1].casefold() if type_ == "PERSON" and e.name.split() else e.name.casefold()
            keys.add(key)
            if len(e.name) > len(shown.get(key, "")):
                shown[key] = e.name
        count.update(keys)
    return [shown[k] for k, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def representative_headline(articles: Sequence[Article], vectors: dict[str, np.ndarray | None]) -> str | None:
    """The title of the member nearest the members' mean vector (the first title without vectors)."""
    titled = [a for a in articles if a.title]
    if not titled:
        return None
    with_vec = [a for a in titled if vectors.get(a.id) is not None]
    if not with_vec:
        return titled[0].title
    matrix = np.stack([vectors[a.id] for a in with_vec])
    centre = matrix.mean(axis=0)
    return with_vec[int(np.argmax(matrix @ centre))].title


def _day(article: Article) -> str:
    return dt.datetime.fromtimestamp(publication_time(article), dt.timezone.utc).date().isoformat()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
