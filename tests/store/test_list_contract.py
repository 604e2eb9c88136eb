"""The list queries' filters and totals on every store (memory, SQLite, PostgreSQL): the
article list filtered by outlet, stated day, story and person, and the totals (COUNT) of the
article, story, quote and search listings that the API's pages report."""

from __future__ import annotations

from storyline.records import Analysis, Entity, Quote, Story
from storyline.store.records import Membership, StorySummary
from test_contract import make_article


def seed(store):
    a = make_article("Wire copy about the harbour. Anna Lind spoke.", title="Harbour", outlet="Reuters",
                     published="2025-02-17T09:00:00", url="https://reuters.com/a")
    b = make_article("Paper rewrite of the harbour story.", title="Harbour again", outlet="The i Paper",
                     published="2025-02-18", url="https://inews.co.uk/b")
    c = make_article("An undated piece on the harbour.", title="Undated", outlet="reuters")
    d = make_article("Budget day with no harbour at all.", title="Budget", outlet="BBC News",
                     published="2025-03-09")
    store.add_articles([a, b, c, d])
    store.put_analyses([
        Analysis(a.id, entities=(Entity("e1", "Anna Lind", "PERSON"),),
                 quotes=(Quote(a.id, "We will rebuild.", 0, 10, "direct", speaker="Anna Lind"),
                         Quote(a.id, "Soon.", 11, 15, "direct", speaker="Anna Lind"))),
        Analysis(b.id, entities=(Entity("e1", "Harbour Board", "ORG"),),
                 quotes=(Quote(b.id, "No comment.", 0, 10, "direct", speaker="Bo Berg"),)),
    ], "v1")
    store.put_stories([Story(a.id, "Harbour", first="2025-02-17", last="2025-02-18"), Story(d.id, "Budget")],
                      [Membership(a.id, a.id, 1), Membership(b.id, a.id, 2), Membership(c.id, a.id, 3),
                       Membership(d.id, d.id, 4)], [], "1", "2026-03-12T00:00:00")
    return a, b, c, d


def ids(found) -> list[str]:
    return [x.id for x in found]


def test_article_filters_and_their_totals(any_store):
    a, b, c, d = seed(any_store)
    cases = [
        ({}, [a, b, c, d]),
        ({"outlet": "REUTERS "}, [a, c]),  # case ignored, as search's filter
        ({"since": "2025-02-18"}, [b, d]),
        ({"until": "2025-02-17"}, [a]),  # a stated time of day still counts as that day
        ({"since": "2025-02-17", "until": "2025-02-18"}, [a, b]),
        ({"story_id": a.id}, [a, b, c]),
        ({"person": "lind"}, [a]),
        ({"person": "harbour"}, []),  # an organisation is not a person
        ({"outlet": "Reuters", "story_id": a.id, "since": "2025-01-01"}, [a]),
        ({"person": "%"}, []),  # LIKE wildcards are literal
    ]
    for filters, expected in cases:
        assert ids(any_store.articles(**filters)) == ids(expected), filters
        assert any_store.count(**filters) == len(expected), filters
    assert ids(any_store.articles(outlet="reuters", limit=1, offset=1)) == [c.id]
    assert all(x.raw is None for x in any_store.articles(outlet="reuters"))


def test_story_quote_and_search_totals_match_their_listings(any_store):
    a, *_ = seed(any_store)
    for filters in ({}, {"outlet": "bbc news"}, {"person": "lind"}, {"since": "2025-02-18"},
                    {"query": "harbour"}, {"query": "   "}, {"until": "2025-01-01"}):
        assert any_store.count_stories(**filters) == len(any_store.stories(**filters)), filters
        # The lists' summaries: the same stories in the same order, each with its article count.
        assert any_store.story_summaries(**filters) == [StorySummary.of(s) for s in any_store.stories(**filters)]
    assert any_store.story_summaries(limit=1, offset=1) == [StorySummary.of(any_store.stories()[1])]
    assert all(s.articles > 0 for s in any_store.story_summaries())
    assert any_store.count_stories() == 2 and any_store.count_stories(person="lind") == 1
    assert any_store.count_quotes() == 3 == len(any_store.quotes())
    assert any_store.count_quotes("anna lind") == 2 and any_store.count_quotes("Nobody") == 0
    assert any_store.count_hits("harbour") == len(any_store.search_hits("harbour", limit=100)) == 4
    assert any_store.count_hits("harbour", outlet="reuters", story_id=a.id) == 2
    assert any_store.count_hits("harbour", person="lind") == 1 and any_store.count_hits('"OR" NEAR(') == 0
