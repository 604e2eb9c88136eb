"""Story corrections as pins on the story step (link/stories/scan.py).

``move-article`` pins one article to a story; ``split-story`` pins some of a story's articles
to a new story of their own. A pinned article's stored membership is the pinned story whatever
the clusterer decides, in this run or a later one (a new CLUSTER_VERSION re-clusters the corpus
and the pins hold again); the clusterer itself is not told, so its later decisions rest on its
own view of the stories (the corrected stories are what is stored and shown). A later pin of
the same article wins over an earlier one; an undone one no longer counts.

Lookups are by key, per batch: ``article:<id>`` finds the pins of an article, ``story:<id>``
the articles pinned to a story.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from storyline.store import Store
from storyline.store.records import Correction

MOVE = "move-article"
SPLIT = "split-story"
KINDS = (MOVE, SPLIT)


def article_key(article_id: str) -> str:
    return f"article:{article_id}"


def story_key(story_id: str) -> str:
    return f"story:{story_id}"


def pinned_articles(correction: Correction) -> list[str]:
    """The articles a story correction pins (to ``payload["story"]``)."""
    p = correction.payload
    return [str(a) for a in p.get("articles", ())] if correction.kind == SPLIT else [str(p.get("article", ""))]


def pins(store: Store, article_ids: Sequence[str]) -> dict[str, str]:
    """Article id -> the story it is pinned to, for those of ``article_ids`` that are pinned."""
    wanted = set(article_ids)
    out: dict[str, str] = {}
    found = store.corrections_by_keys([article_key(a) for a in sorted(wanted)])
    for c in found:  # oldest first: a later pin of the same article wins
        if c.kind in KINDS:
            for aid in pinned_articles(c):
                if aid in wanted:
                    out[aid] = str(c.payload["story"])
    return out


def pinned_into(store: Store, story_ids: Sequence[str]) -> dict[str, list[str]]:
    """Story id -> the articles pinned to it now (not pinned elsewhere by a later correction)."""
    named: dict[str, set[str]] = {}
    for c in store.corrections_by_keys([story_key(s) for s in sorted(set(story_ids))]):
        if c.kind in KINDS:
            named.setdefault(str(c.payload["story"]), set()).update(pinned_articles(c))
    final = pins(store, sorted(set().union(*named.values()))) if named else {}
    return {sid: sorted(a for a in aids if final.get(a) == sid) for sid, aids in named.items()}


def corrected_members(store: Store, story_ids: Sequence[str],
                      members: Callable[[str], Sequence[str] | None]) -> dict[str, list[str]]:
    """The members of each story as stored: ``members(sid)`` (the clusterer's view) without the
    articles pinned elsewhere, with the articles pinned to it."""
    base = {sid: list(members(sid) or ()) for sid in story_ids}
    pinned = pins(store, sorted({a for m in base.values() for a in m}))
    into = pinned_into(store, story_ids)
    out = {}
    for sid, held in base.items():
        kept = [a for a in held if pinned.get(a, sid) == sid]
        out[sid] = kept + [a for a in into.get(sid, ()) if a not in kept]
    return out
