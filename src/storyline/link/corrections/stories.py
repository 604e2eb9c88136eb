"""Moving an article to another story and splitting a story: pins (link/stories/pinned.py)
that the story step keeps, applied now to the stored memberships and summaries.

Applying and undoing share one rule (:func:`_settle`): an article goes to the story it is
pinned to, or else to the story the clusterer holds it in (its checkpoint), or else, for an
article the clusterer no longer holds, back where it was before the correction. The stories it
leaves and joins get new summaries (a story left empty is gone), and their facts, whose state
includes the memberships, are rebuilt when next read or linked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from storyline.link.corrections.common import CorrectionError, record, who_and_why
from storyline.link.stories import pinned, scan
from storyline.link.stories.cluster import StoryClusterer
from storyline.records import Story
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import Correction, Membership

STORY_ID_HEX = 16  # as long as an article id, which is what the clusterer names stories by


def move_article(store: Store, article: str, story: str, *, author: str | None,
                 reason: str | None) -> Correction:
    """The article belongs to ``story`` (id or unique prefix), and stays there."""
    who_and_why(author, reason)  # a missing reason is said first, before any lookup
    aid = _article_id(store, article)
    target = _story(store, story)
    now_in = _membership(store, aid)
    if now_in.story_id == target.id:
        raise CorrectionError(f"article {aid} is in story {target.id} already")
    payload = {"article": aid, "story": target.id, "from": now_in.story_id}
    c = record(store, pinned.MOVE, (aid, target.id), payload,
               [pinned.article_key(aid), pinned.story_key(target.id)], author, reason)
    _settle(store, [aid], {aid: now_in.story_id})
    return c


def split_story(store: Store, story: str, articles: Sequence[str], *, author: str | None,
                reason: str | None) -> Correction:
    """These articles of ``story`` are a story of their own (a new story, with a new id)."""
    who_and_why(author, reason)  # a missing reason is said first, before any lookup
    source = _story(store, story)
    chosen = list(dict.fromkeys(_article_id(store, a) for a in articles if a.strip()))
    if not chosen:
        raise CorrectionError("say which articles form the new story (--article, repeated)")
    outside = [a for a in chosen if a not in source.article_ids]
    if outside:
        raise CorrectionError(f"article {outside[0]} is not in story {source.id}")
    if len(chosen) == len(source.article_ids):
        raise CorrectionError(f"these are all the articles of story {source.id}: nothing would be left to split from")
    created = now()
    new_id = hashlib.sha256(f"split\x1f{source.id}\x1f{created}\x1f{','.join(sorted(chosen))}".encode()).hexdigest()
    new_id = new_id[:STORY_ID_HEX]
    payload = {"articles": chosen, "story": new_id, "from": source.id}
    c = record(store, pinned.SPLIT, (source.id, new_id), payload,
               [*(pinned.article_key(a) for a in chosen), pinned.story_key(new_id)], author, reason)
    _settle(store, chosen, {a: source.id for a in chosen})
    return c


def reapply(store: Store, undone: Correction) -> None:
    """After an undo: the articles it pinned go where the remaining pins or the clusterer say."""
    articles = pinned.pinned_articles(undone)
    _settle(store, articles, {a: str(undone.payload.get("from", "")) for a in articles})


def _settle(store: Store, articles: Sequence[str], before: dict[str, str]) -> None:
    current = {m.article_id: m for m in store.memberships_of(articles)}
    pins = pinned.pins(store, articles)
    clusterer = _clusterer(store)
    target: dict[str, str] = {}
    for aid, m in current.items():
        held = clusterer.story_of(aid) if clusterer is not None else None
        target[aid] = pins.get(aid) or held or before.get(aid) or m.story_id
    moving = {a: s for a, s in target.items() if s != current[a].story_id}
    if not moving:
        return
    touched = sorted({current[a].story_id for a in moving} | set(moving.values()))
    members: dict[str, list[str]] = {}
    for sid in touched:
        stored = store.story(sid)  # an exact id wins over a longer id it is a prefix of
        stored = stored if stored is not None and stored.id == sid else None
        held = [a for a in (stored.article_ids if stored else ()) if a not in moving]
        members[sid] = held + [a for a, s in moving.items() if s == sid]
    removed = [sid for sid, held in members.items() if not held]
    rows = [Membership(a, s, current[a].seq) for a, s in moving.items()]
    store.put_stories(scan.summaries(store, {s: m for s, m in members.items() if m}), rows, removed,
                      scan.CLUSTER_VERSION, now())


def _clusterer(store: Store) -> StoryClusterer | None:
    """The clusterer's own view, from its checkpoint (None when there is none of this version)."""
    saved = store.story_checkpoint()
    if saved is None or saved.version != scan.CLUSTER_VERSION:
        return None
    return StoryClusterer.from_snapshot(saved)


def _membership(store: Store, article_id: str) -> Membership:
    found = store.memberships_of([article_id])
    if not found:
        raise CorrectionError(f"article {article_id} is in no story yet (run `storyline relink` first)")
    return found[0]


def _article_id(store: Store, id_or_prefix: str) -> str:
    try:
        found = store.article(id_or_prefix.strip())
    except LookupError as exc:
        raise CorrectionError(str(exc)) from None
    if found is None:
        raise CorrectionError(f"no article {id_or_prefix!r}")
    return found.id


def _story(store: Store, id_or_prefix: str) -> Story:
    try:
        found = store.story((id_or_prefix or "").strip())
    except LookupError as exc:
        raise CorrectionError(str(exc)) from None
    if found is None:
        raise CorrectionError(f"no story {id_or_prefix!r} (see `storyline stories`)")
    return found
