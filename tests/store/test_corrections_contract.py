"""The Store's corrections methods (migration 015), held to one contract on memory, SQLite and
PostgreSQL (``any_store``): stored with who/when/why, found by key while active, undone once."""

from __future__ import annotations

from storyline.ingest.convert import content_hash
from storyline.records import Article, Story
from storyline.store.records import Correction, Membership


def add(store, *bodies: str) -> list[str]:
    articles = [Article(id=content_hash(b)[:16], content_hash=content_hash(b), source="/in/a.txt", body=b)
                for b in bodies]
    store.add_articles(articles)
    return [a.id for a in articles]


def made(kind: str, keys: tuple[str, ...], **payload) -> Correction:
    return Correction(0, kind, ("p1", "p2"), dict(payload), "ana", "same person, two spellings",
                      "2026-01-01T00:00:00+00:00", keys=keys)


def test_a_correction_round_trips_with_who_when_why(any_store):
    first = any_store.add_correction(made("merge-people", ("people:a1", "people:a2"),
                                          groups=[[["a1", "e1"]], [["a2", "e3"]]], name="Ana Ortiz\u00e9"))
    second = any_store.add_correction(made("move-article", ("article:a1", "story:s9"), story="s9"))
    assert second.id > first.id > 0
    stored = any_store.correction(first.id)
    assert stored == first
    assert (stored.kind, stored.targets, stored.author, stored.reason) == (
        "merge-people", ("p1", "p2"), "ana", "same person, two spellings")
    assert stored.payload == {"groups": [[["a1", "e1"]], [["a2", "e3"]]], "name": "Ana Ortiz\u00e9"}
    assert stored.keys == ("people:a1", "people:a2") and stored.undone_at is None
    assert [c.id for c in any_store.corrections()] == [second.id, first.id]  # newest first
    assert [c.id for c in any_store.corrections(limit=1, offset=1)] == [first.id]
    assert any_store.correction(10_000) is None


def test_only_active_corrections_are_found_by_key_and_undo_is_once(any_store):
    a = any_store.add_correction(made("merge-people", ("people:a1",)))
    b = any_store.add_correction(made("split-person", ("people:a1", "people:a2")))
    assert [c.id for c in any_store.corrections_by_keys(["people:a1", "nothing"])] == [a.id, b.id]  # oldest first
    assert [c.id for c in any_store.corrections_by_keys(["people:a2"])] == [b.id]
    assert any_store.corrections_by_keys([]) == []
    assert any_store.undo_correction(a.id, "2026-01-02T00:00:00+00:00", "ben") is True
    assert any_store.undo_correction(a.id, "2026-01-03T00:00:00+00:00", "cy") is False  # undone already
    assert any_store.undo_correction(10_000, "2026-01-03T00:00:00+00:00", "cy") is False
    undone = any_store.correction(a.id)
    assert (undone.undone_at, undone.undone_by) == ("2026-01-02T00:00:00+00:00", "ben")
    assert [c.id for c in any_store.corrections_by_keys(["people:a1"])] == [b.id]
    assert any_store.correction_keys("people:") == ["people:a1", "people:a2"]  # b's; a is undone
    assert any_store.correction_keys("story:") == []
    assert [c.id for c in any_store.corrections(active=True)] == [b.id]
    assert [c.id for c in any_store.corrections(active=False)] == [a.id]


def test_memberships_of_some_articles(any_store):
    a, b, c = add(any_store, "One body.", "Two body.", "Three body.")
    any_store.put_stories([Story(id=a, label="x", article_ids=(a, b))], [Membership(a, a, 1), Membership(b, a, 2)],
                          [], "1", "2026-01-01T00:00:00+00:00")
    assert any_store.memberships_of([b, a, c]) == [Membership(a, a, 1), Membership(b, a, 2)]
    assert any_store.memberships_of([]) == []
