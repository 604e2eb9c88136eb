"""Ranked search with highlighted snippets (``search_hits``) on every store: the same articles,
in a sensible order, with the matched words marked, and the filters."""

from __future__ import annotations

from storyline.records import Story
from storyline.store.records import HIT_END, HIT_START, Membership
from test_contract import make_article

FILLER = "The council met again on Tuesday to discuss the budget for the coming year. " * 6


def marked(snippet: str) -> list[str]:
    return [part.split(HIT_END)[0] for part in snippet.split(HIT_START)[1:]]


def seed(store):
    a = make_article(FILLER + "The Irish backstop was the sticking point in the talks.", title="Backstop talks",
                     outlet="The i Paper", published="2025-02-17", url="https://inews.co.uk/a")
    b = make_article("Officials said the backstop arrangement would stay. " + FILLER, title="Talks resume",
                     outlet="BBC News", published="2025-03-09", url="https://bbc.co.uk/b")
    c = make_article(FILLER + "Nothing about borders here.", title="Budget day", outlet="BBC News",
                     published="2025-03-01", url="https://bbc.co.uk/c")
    store.add_articles([a, b, c])
    return a, b, c


def test_hits_are_ranked_and_marked(any_store):
    a, b, _ = seed(any_store)
    hits = any_store.search_hits("backstop")
    assert [h.article.id for h in hits] == [a.id, b.id]  # the title match ranks first
    assert hits[0].rank > hits[1].rank and hits[0].article.raw is None
    for hit in hits:
        assert [w.casefold() for w in marked(hit.snippet)] == ["backstop"] * len(marked(hit.snippet))
        assert marked(hit.snippet) and len(hit.snippet.split()) < 80
    assert "sticking point" in hits[0].snippet.replace(HIT_START, "").replace(HIT_END, "") or hits[0].snippet
    assert "arrangement" in hits[1].snippet
    assert any_store.search_hits("backstop", limit=1, offset=1)[0].article.id == b.id


def test_hit_filters(any_store):
    a, b, c = seed(any_store)
    assert [h.article.id for h in any_store.search_hits("backstop", outlet="bbc news")] == [b.id]
    assert [h.article.id for h in any_store.search_hits("backstop", since="2025-03-01")] == [b.id]
    assert any_store.search_hits("council", outlet="Nobody") == []
    any_store.put_stories([Story(c.id, "Budget")], [Membership(c.id, c.id, 1), Membership(a.id, c.id, 2)],
                          [], "1", "2026-03-12T00:00:00")
    assert [h.article.id for h in any_store.search_hits("council", story_id=c.id)] == [c.id, a.id] or \
        sorted(h.article.id for h in any_store.search_hits("council", story_id=c.id)) == sorted([a.id, c.id])
    assert any_store.search_hits("   ") == [] and any_store.search_hits('"OR" NEAR(') == []


def test_arrived_since_counts_and_lists_the_newest_first(any_store):
    import dataclasses

    old = dataclasses.replace(make_article("An old story."), ingested_at="2026-01-01T00:00:00+00:00")
    new = [dataclasses.replace(make_article(f"New story {i}."), ingested_at=f"2026-02-0{i + 1}T00:00:00+00:00")
           for i in range(3)]
    any_store.add_articles([old, *new])
    total, latest = any_store.arrived_since("2026-01-15T00:00:00+00:00", limit=2)
    assert total == 3 and [a.id for a in latest] == [new[2].id, new[1].id] and latest[0].raw is None
    assert any_store.arrived_since("2026-03-01T00:00:00+00:00") == (0, [])


def test_outlet_profiles_count_reuse_across_outlets(any_store):
    from storyline.records import ReusePair
    from storyline.store.records import OutletProfile

    wire = make_article("Wire copy about the harbour.", outlet="Reuters", published="2025-02-17T09:00:00")
    paper = make_article("Paper rewrite of the harbour.", outlet="The i Paper", published="2025-02-18")
    paper2 = make_article("Paper's own follow-up.", outlet="The i Paper", published="2025-03-09")
    same = make_article("Paper copying itself.", outlet="The i Paper")
    other = make_article("Unrelated story.", outlet="BBC News")
    any_store.add_articles([wire, paper, paper2, same, other])
    any_store.put_reuse([
        ReusePair(wire.id, paper.id, "rewrite", 0.9, 0.8),
        ReusePair(paper2.id, same.id, "duplicate", 0.9, 0.9),  # within one outlet: not counted
        ReusePair(wire.id, other.id, "independent", 0.5, 0.1),  # not reuse
    ], "1")
    kinds = ["duplicate", "syndicated", "rewrite", "partial"]
    assert any_store.outlet_profiles(kinds) == [
        OutletProfile("The i Paper", 3, "2025-02-18", "2025-03-09", 1, 0),
        OutletProfile("BBC News", 1, None, None, 0, 0),
        OutletProfile("Reuters", 1, "2025-02-17", "2025-02-17", 0, 1),
    ]
