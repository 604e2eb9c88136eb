"""Sightings on every store (memory, SQLite, PostgreSQL): the same text from another URL or,
without URL, another outlet is kept beside the stored article, once."""

from __future__ import annotations

import dataclasses

from storyline.records import Sighting
from storyline.store import open_store
from storyline.store.records import WriteResult
from storyline.store.sql import migrate
from storyline.store.sql.migrate import migrations
from tests.store.test_contract import make_article

WIRE = "The central bank raised its main rate by a quarter point on Tuesday, citing stubborn inflation."


def _copy(url: str | None, outlet: str | None, **extra):
    return make_article(WIRE, url=url, outlet=outlet, **extra)


def test_same_text_from_a_new_url_is_a_sighting(any_store):
    first = _copy("https://wire.example/rates", "Wire", title="Rates up", published="2026-03-10")
    again = dataclasses.replace(_copy("https://paper.example/economy/rates?utm_source=x", "The Paper",
                                      title="Bank lifts rates", published="2026-03-10T09:00:00"),
                                source="feed.xml", locator="entry 4")
    assert any_store.add_articles([first]) == [WriteResult("added", first.id)]
    assert any_store.add_articles([again]) == [WriteResult("present", first.id, sighting=True)]
    assert any_store.count() == 1
    found = any_store.sightings([first.id, "ffffffffffffffff"])
    assert list(found) == [first.id]
    [s] = found[first.id]
    assert (s.article_id, s.url, s.outlet, s.title, s.published, s.source, s.locator) == (
        first.id, again.url, "The Paper", "Bank lifts rates", "2026-03-10T09:00:00", "feed.xml", "entry 4")
    assert s.seen_at


def test_recording_is_idempotent(any_store):
    first, again = _copy("https://wire.example/a", "Wire"), _copy("https://paper.example/a", "The Paper")
    any_store.add_articles([first, again])  # one batch: the sighting of an article stored in it
    # The same URL again (normalised equal), alone or in a batch: nothing new.
    same = _copy("http://www.paper.example/a#top", "The Paper")
    assert any_store.add_articles([same, again]) == [WriteResult("present", first.id)] * 2
    assert any_store.add_articles([first]) == [WriteResult("present", first.id)]  # its own URL
    assert [s.url for s in any_store.sightings([first.id])[first.id]] == [again.url]


def test_copies_without_url_are_kept_per_outlet(any_store):
    first = dataclasses.replace(_copy(None, "Wire"), source="/dump/wire.txt")
    other = dataclasses.replace(_copy(None, "the paper"), source="/dump/paper.txt", published="2026-03-11")
    renamed = dataclasses.replace(_copy(None, "The Paper"), source="/dump/copy-of-paper.txt")
    unknown = dataclasses.replace(_copy(None, None), source="/dump/unknown.txt")
    own = dataclasses.replace(_copy(None, "WIRE"), source="/dump/wire-again.txt")
    assert any_store.add_articles([first]) == [WriteResult("added", first.id)]
    results = any_store.add_articles([other, renamed, unknown, own, other])
    assert [r.sighting for r in results] == [True, False, False, False, False]
    [s] = any_store.sightings([first.id])[first.id]
    assert (s.outlet, s.source, s.url, s.published) == ("the paper", "/dump/paper.txt", None, "2026-03-11")


def test_a_url_seen_as_a_sighting_is_present(any_store):
    """A URL is one sighting as it is one article: another text from it later (an edit) is
    present under the sighted article, and an article's own URL is never a sighting."""
    first, again = _copy("https://wire.example/b", "Wire"), _copy("https://paper.example/b", "The Paper")
    other_text = make_article("A different text entirely.", url="https://other.example/c")
    any_store.add_articles([first, again, other_text])
    edited = make_article(WIRE + " Updated at noon.", url="https://paper.example/b")
    assert any_store.add_articles([edited]) == [WriteResult("present", first.id)]
    # The wire text from a URL stored as another text: present, no sighting (as before).
    from_other = _copy("https://other.example/c", "Other")
    assert any_store.add_articles([from_other]) == [WriteResult("present", first.id)]
    assert any_store.count() == 2
    assert len(any_store.sightings([first.id])[first.id]) == 1
    assert any_store.sightings([other_text.id]) == {}


def test_hostile_text_is_kept_as_given(any_store):
    first = _copy("https://wire.example/d", "Wire")
    hostile = _copy("https://paper.example/d", "<script>alert(1)</script>\x00Paper", title='"><img src=x onerror=1>')
    any_store.add_articles([first, hostile])
    [s] = any_store.sightings([first.id])[first.id]
    assert s.outlet == "<script>alert(1)</script>Paper"  # NUL dropped, as every store keeps text
    assert s.title == '"><img src=x onerror=1>'
    assert isinstance(s, Sighting)


def test_a_store_made_at_016_is_upgraded_and_records_sightings(store_url, monkeypatch):
    before = [m for m in migrations() if m[0] < 17]
    first, again = _copy("https://wire.example/e", "Wire"), _copy("https://paper.example/e", "The Paper")
    with monkeypatch.context() as m:
        m.setattr(migrate, "migrations", lambda: before)
        old = open_store(store_url)
        assert old.schema_version() == 16
        # Before 017 the copy is present and nothing is recorded (no table yet).
        assert old.add_articles([first, again]) == [WriteResult("added", first.id), WriteResult("present", first.id)]
        assert old.sightings([first.id]) == {}
        old.close()
    upgraded = open_store(store_url)
    try:
        assert upgraded.schema_version() == migrations()[-1][0] >= 17
        assert upgraded.add_articles([again]) == [WriteResult("present", first.id, sighting=True)]
        assert [s.outlet for s in upgraded.sightings([first.id])[first.id]] == ["The Paper"]
    finally:
        upgraded.close()


def test_the_outlet_filters_find_an_outlet_through_its_sightings(any_store):
    from storyline.records import Story
    from storyline.store.records import Membership

    first = _copy("https://wire.example/f", "Wire", title="Rates", published="2026-03-10")
    own = make_article("The Paper's own report on rates and mortgages.", outlet="The Paper", title="Own",
                       published="2026-03-09")
    any_store.add_articles([first, own, _copy("https://paper.example/f", "The Paper")])
    any_store.put_stories([Story(first.id, "Rates", first="2026-03-10", last="2026-03-10")],
                          [Membership(first.id, first.id, 0)], [], "1", "2026-03-11")
    assert [a.id for a in any_store.articles(outlet="the paper")] == [first.id, own.id]
    assert any_store.count(outlet="THE PAPER") == 2 and any_store.count(outlet="Wire") == 1
    assert [a.id for a in any_store.list_articles(outlet="The Paper").articles] == [first.id, own.id]
    assert any_store.list_articles(outlet="The Paper").total == 2
    # Ranking differs between engines; the set found does not.
    assert {h.article.id for h in any_store.search_hits("rates", outlet="the paper")} == {first.id, own.id}
    assert any_store.count_hits("rates", outlet="the paper") == 2
    assert [s.id for s in any_store.stories(outlet="the paper")] == [first.id]
    assert any_store.count_stories(outlet="The Paper") == 1
    assert any_store.stories(outlet="Nobody") == [] and any_store.count(outlet="Nobody") == 0


def test_the_list_page_merges_an_outlets_own_and_sighted_articles_in_order(any_store):
    own = [make_article(f"The Paper's own piece number {i}.", outlet="The Paper", published=p)
           for i, p in enumerate(["2026-03-01", None, "2026-03-05", "2026-03-03T08:00:00"])]
    wires = [make_article(f"Wire copy number {i}.", url=f"https://wire.example/{i}", outlet="Wire", published=p)
             for i, p in enumerate(["2026-03-04", None, "2026-03-02", "2026-03-06"])]
    any_store.add_articles(own + wires)
    sighted = [dataclasses.replace(w, url=f"https://paper.example/{i}", outlet="The Paper")
               for i, w in enumerate(wires[:3])]
    # The Paper also under its own name at a second URL of its own piece: counted once.
    twice = dataclasses.replace(own[0], url="https://paper.example/own-0")
    assert [r.sighting for r in any_store.add_articles([*sighted, twice])] == [True] * 4
    whole = any_store.list_articles(outlet="The Paper", limit=50)
    assert whole.total == 7
    # Newest stated publication first, undated last (latest stored first among them).
    assert [a.id for a in whole.articles] == [own[2].id, wires[0].id, own[3].id, wires[2].id, own[0].id,
                                              wires[1].id, own[1].id]
    paged = [a.id for n in range(8) for a in any_store.list_articles(outlet="The Paper", limit=1, offset=n).articles]
    assert paged == [a.id for a in whole.articles]
    assert any_store.list_articles(outlet="The Paper", since="2026-03-03").total == 3
    assert [a.id for a in any_store.list_articles(outlet="Wire", limit=50).articles] == [
        wires[3].id, wires[0].id, wires[2].id, wires[1].id]


def test_the_outlet_reads_count_what_an_outlet_ran_as_sightings(any_store):
    """An outlet that only syndicates is listed, profiled and has a page: its sightings, the
    stories it ran a copy in (ranked among outlets that include sightings), and its latest
    sightings, latest stated day first."""
    from storyline.records import Story
    from storyline.store.records import Membership, OutletCount

    wire = _copy("https://wire.example/g", "Wire", title="Rates", published="2026-03-10")
    other = make_article("Another wire story about the harbour strike, filed in the morning.",
                         url="https://wire.example/h", outlet="Wire", title="Strike", published="2026-03-12")
    own = make_article("The Paper's own report on rates and mortgages.", outlet="The Paper", title="Own",
                       published="2026-03-09")
    any_store.add_articles([wire, other, own])
    copies = [_copy("https://echo.example/g", "Echo", title="Rates (Echo)", published="2026-03-09T22:00:00"),
              dataclasses.replace(other, url="https://echo.example/h", outlet="Echo", published="2026-03-13"),
              _copy("https://paper.example/g", "The Paper", published="2026-03-11")]
    assert [r.sighting for r in any_store.add_articles(copies)] == [True] * 3
    assert any_store.count_sightings() == 3
    any_store.put_stories([Story(wire.id, "Rates", first="2026-03-10", last="2026-03-10")],
                          [Membership(wire.id, wire.id, 0), Membership(own.id, wire.id, 1)], [], "1", "2026-03-14")

    # Most articles and sightings together first, then by name.
    assert any_store.outlets() == [OutletCount("Echo", 0, 2), OutletCount("The Paper", 1, 1), OutletCount("Wire", 2, 0)]
    profiles = {p.outlet: p for p in any_store.outlet_profiles(["copy"])}
    echo = profiles["Echo"]
    assert (echo.articles, echo.sighted, echo.first_published, echo.last_published) == (0, 2, "2026-03-09", "2026-03-13")
    assert (profiles["Wire"].sighted, profiles["Wire"].first_published) == (0, "2026-03-10")

    page = any_store.outlet_detail("Echo", ["copy"])
    assert page is not None and (page.articles, page.sighted, page.days, page.latest) == (0, 2, [], [])
    assert [(s.article_id, s.url) for s in page.sighted_latest] == [(other.id, "https://echo.example/h"),
                                                                    (wire.id, "https://echo.example/g")]
    [story] = page.stories
    # Echo ran the wire copy on the 9th, before Wire's own (10th) and The Paper (9th, own piece).
    assert (story.story_id, story.articles, story.first_day, story.story_first_day, story.rank, story.outlets) == (
        wire.id, 1, "2026-03-09", "2026-03-09", 1, 3)
    paper = any_store.outlet_detail("The Paper", ["copy"])
    assert (paper.articles, paper.sighted, paper.stories[0].articles, paper.stories[0].first_day) == (1, 1, 2, "2026-03-09")
    assert (paper.stories[0].rank, paper.stories[0].outlets) == (1, 3)  # ties share a rank
    # An outlet without sightings ranks among the same outlets: the sighted ones came first.
    [own_story] = any_store.outlet_detail("Wire", ["copy"]).stories
    assert (own_story.first_day, own_story.story_first_day, own_story.rank, own_story.outlets) == (
        "2026-03-10", "2026-03-09", 3, 3)
    assert [s.url for s in any_store.outlet_detail("The Paper", ["copy"], latest=0).sighted_latest] == []
    assert any_store.outlet_detail("Nobody", ["copy"]) is None
