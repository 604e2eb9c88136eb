"""What the story and article pages show of the corrections made to them (plain Python over
one indexed Store lookup): each active correction's id, kind, summary, who, when and why."""

from __future__ import annotations

from storyline.records import Story
from storyline.report.json import correction_summary
from storyline.store import Store


def correction_notes(store: Store, *, story: Story | None = None, article_id: str | None = None) -> list[dict]:
    """The active corrections of a story (its articles moved or split) or of an article (moved,
    split off, its quotes' speakers), newest first."""
    keys = []
    if story is not None:
        keys += [f"story:{story.id}", *(f"article:{a}" for a in story.article_ids)]
    if article_id is not None:
        keys += [f"article:{article_id}", f"quote:{article_id}"]
    found = sorted(store.corrections_by_keys(keys), key=lambda c: -c.id)
    return [{"id": c.id, "kind": c.kind, "summary": correction_summary(c), "author": c.author,
             "when": c.created_at[:16].replace("T", " "), "reason": c.reason} for c in found]
