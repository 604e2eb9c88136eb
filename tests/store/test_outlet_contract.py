"""One outlet's page (``outlet_detail``) on every store: counts per day, reuse with each other
outlet in both directions, the stories it covered with its first day and rank there, and its
latest articles; None for an outlet no article names."""

from __future__ import annotations

from storyline.records import ReusePair, Story
from storyline.store.records import Membership, OutletReuse, OutletStory
from test_contract import make_article

KINDS = ["duplicate", "syndicated", "rewrite", "partial"]


def seed(store):
    wire = make_article("Wire copy about the harbour.", outlet="Reuters", published="2025-02-17T09:00:00")
    paper = make_article("Paper rewrite of the harbour.", outlet="The i Paper", published="2025-02-18")
    paper2 = make_article("Paper's own follow-up.", outlet="The i Paper", published="2025-03-09T10:00:00")
    paper3 = make_article("Paper's second piece that day.", outlet="The i Paper", published="2025-03-09")
    undated = make_article("Paper's undated note.", outlet="The i Paper")
    bbc = make_article("BBC copying the paper.", outlet="BBC News", published="2025-03-10")
    bbc2 = make_article("BBC on the budget first.", outlet="BBC News", published="2025-03-01")
    store.add_articles([wire, paper, paper2, paper3, undated, bbc, bbc2])
    store.put_reuse([
        ReusePair(wire.id, paper.id, "rewrite", 0.9, 0.8),
        ReusePair(paper2.id, bbc.id, "duplicate", 0.9, 0.9),
        ReusePair(undated.id, paper3.id, "duplicate", 0.9, 0.9),  # within one outlet: not counted
        ReusePair(wire.id, bbc2.id, "independent", 0.5, 0.1),  # not reuse
    ], "1")
    store.put_stories([Story("s-harbour", "Harbour"), Story("s-budget", "Budget"), Story("s-note", "Note")], [
        Membership(wire.id, "s-harbour", 1), Membership(paper.id, "s-harbour", 2),
        Membership(bbc2.id, "s-budget", 1), Membership(paper2.id, "s-budget", 2), Membership(bbc.id, "s-budget", 3),
        Membership(undated.id, "s-note", 1),
    ], [], "1", "2026-03-12T00:00:00")
    return wire, paper, paper2, paper3, undated, bbc, bbc2


def test_outlet_detail_reads_counts_reuse_stories_and_latest(any_store):
    wire, paper, paper2, paper3, undated, bbc, bbc2 = seed(any_store)
    got = any_store.outlet_detail("The i Paper", KINDS)
    assert got.outlet == "The i Paper" and got.articles == 4
    assert got.days == [("2025-02-18", 1), ("2025-03-09", 2)]  # the undated article is in no day
    assert got.reuse == [OutletReuse("BBC News", 0, 1), OutletReuse("Reuters", 1, 0)]
    assert got.stories == [
        OutletStory("s-budget", "Budget", 1, "2025-03-09", "2025-03-01", 2, 2),  # BBC was first
        OutletStory("s-harbour", "Harbour", 1, "2025-02-18", "2025-02-17", 2, 2),
        OutletStory("s-note", "Note", 1, None, None, None, 1),  # undated: no rank
    ]
    assert [a.id for a in got.latest] == [paper2.id, paper3.id, paper.id, undated.id]
    assert got.latest[0].raw is None and got.latest[0].body == paper2.body


def test_outlet_detail_first_outlet_limits_and_unknown(any_store):
    wire, *_ = seed(any_store)
    reuters = any_store.outlet_detail("Reuters", KINDS)
    assert reuters.stories == [OutletStory("s-harbour", "Harbour", 1, "2025-02-17", "2025-02-17", 1, 2)]
    assert reuters.reuse == [OutletReuse("The i Paper", 0, 1)] and [a.id for a in reuters.latest] == [wire.id]
    bbc = any_store.outlet_detail("BBC News", KINDS, stories=1, latest=1)
    assert [s.rank for s in bbc.stories] == [1] and len(bbc.latest) == 1
    assert bbc.reuse == [OutletReuse("The i Paper", 1, 0)]
    assert any_store.outlet_detail("Nobody", KINDS) is None
    assert any_store.outlet_detail("the i paper", KINDS) is None  # canonical names are exact
    assert any_store.outlet_detail("The i Paper", []).reuse == []
