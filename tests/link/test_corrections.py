"""Corrections made by hand (link/corrections): applied at once to the stored facts, kept when
the articles are analysed again and linked again (the people step, the story step under a new
clusterer version, a re-analysis), and undone. On a copy of the seeds store (real SQLite, the
real analyzer, embedding model, clusterer and people step)."""

from __future__ import annotations

import pytest
from helpers import copy_store

import storyline
from storyline.link.corrections.common import CorrectionError
from storyline.link.stories import scan
from storyline.run.common import AnalyzeReport

pytestmark = pytest.mark.slow  # each test copies the seeds store and links it (seconds)


@pytest.fixture
def desk(seeds_store, tmp_path):
    with storyline.open(copy_store(seeds_store, tmp_path / "seeds.db")) as d:
        d.link(["people"])
        yield d


def analyse_again(desk) -> None:
    """Every article analysed again by the real analyzer (as after a new ANALYZER_VERSION), then
    everything due linked."""
    report = AnalyzeReport()
    desk.analysing.batch(desk.store.articles(), report)
    assert not report.problems and len(report.analysed) == desk.store.count()
    desk.link()


def two_people(desk):
    people = [p for p in desk.store.people() if p.type == "PERSON"]
    assert len(people) >= 2
    return people[0], people[1]


def test_merged_people_stay_merged_after_reanalysis_and_undo_separates_them(desk):
    a, b = two_people(desk)
    c = desk.merge_people(a.id, b.id, author="ana", reason="one person, two spellings")
    assert (c.kind, c.targets, c.author, c.reason) == ("merge-people", (a.id, b.id), "ana", "one person, two spellings")
    merged = desk.store.person(b.id)
    assert merged is not None and merged == desk.store.person(a.id)
    assert set(a.members) | set(b.members) <= set(merged.members)
    assert merged.name == a.name and b.name in merged.aliases
    assert any("merged by hand" in m and "one person, two spellings" in m for m in merged.merges)
    analyse_again(desk)
    again = desk.store.person(a.id)
    assert again == desk.store.person(b.id) and set(a.members) | set(b.members) <= set(again.members)
    # A story's own people honour it too.
    story = desk.stories()[0]
    shown = [p for p in desk.story(story.id).people if set(p.members) & set(a.members)]
    assert len(shown) == 1 and set(b.members) & set(shown[0].members)
    desk.undo_correction(c.id, author="ben")
    apart = desk.store.person(a.id), desk.store.person(b.id)
    assert apart[0] is not None and apart[1] is not None and apart[0].id != apart[1].id
    assert desk.corrections(active=False)[0].undone_by == "ben"
    with pytest.raises(CorrectionError, match="undone already"):
        desk.undo_correction(c.id, author="ben")


def test_a_split_person_stays_split_after_reanalysis(desk):
    person = next(p for p in desk.store.people() if len({a for a, _ in p.members}) >= 2)
    article = sorted({a for a, _ in person.members})[-1]
    c = desk.split_person(person.id, articles=[article], name="Someone Else", author="ana",
                          reason="a namesake in that article")
    kept = desk.store.person(person.id)
    assert kept is not None and all(a != article for a, _ in kept.members)
    gone = [p for p in desk.store.people() if p.name == "Someone Else"]
    assert len(gone) == 1 and {a for a, _ in gone[0].members} == {article}
    analyse_again(desk)
    kept = desk.store.person(person.id)
    assert all(a != article for a, _ in kept.members)
    assert [p.members for p in desk.store.people() if p.name == "Someone Else"] == [gone[0].members]
    desk.undo_correction(c.id, author="ana")
    assert article in {a for a, _ in desk.store.person(person.id).members}


def test_a_fixed_speaker_survives_reanalysis_and_undo_restores_the_analyzers(desk):
    article = next(a for a in desk.store.articles() if (desk.store.analysis(a.id) or None) and
                   desk.store.analysis(a.id).quotes)
    before = desk.store.analysis(article.id).quotes[0]
    c = desk.fix_quote_speaker(article.id[:8], 1, "Jane Testperson", author="ana", reason="the next paragraph says so")
    assert desk.store.analysis(article.id).quotes[0].speaker == "Jane Testperson"
    assert any(q.speaker == "Jane Testperson" for q in desk.quotes("Jane Testperson"))
    analyse_again(desk)
    after = desk.store.analysis(article.id).quotes[0]
    assert (after.start, after.end, after.speaker) == (before.start, before.end, "Jane Testperson")
    story = desk.store.story(desk.store.story_of(article.id))
    assert "Jane Testperson" in desk.story(story.id).quotes  # the story's facts were rebuilt
    desk.undo_correction(c.id, author="ana")
    assert desk.store.analysis(article.id).quotes[0].speaker == before.speaker
    with pytest.raises(CorrectionError, match="no quote 99"):
        desk.fix_quote_speaker(article.id, 99, "X", author="ana", reason="r")


def test_split_story_and_moved_article_hold_when_the_clusterer_starts_again(desk, monkeypatch):
    (story,) = desk.stories()
    first, second, *rest = story.article_ids
    split = desk.split_story(story.id, [first, second], author="ana", reason="two events")
    new_id = split.payload["story"]
    assert set(desk.store.story(new_id).article_ids) == {first, second}
    assert set(desk.store.story(story.id).article_ids) == set(rest)
    move = desk.move_article(rest[0], new_id, author="ana", reason="same event as the first two")
    assert set(desk.store.story(new_id).article_ids) == {first, second, rest[0]}
    assert "same event" in desk.store.correction(move.id).reason
    # A new clusterer version: every story dropped and the corpus clustered again; the pins hold.
    monkeypatch.setattr(scan, "CLUSTER_VERSION", "corrections-test")
    desk.link(["stories", "story_facts"])
    assert set(desk.store.story(new_id).article_ids) == {first, second, rest[0]}
    assert {m.story_id for m in desk.store.memberships_of(rest[1:])} == {story.id}
    assert set(desk.story(new_id).articles[i].id for i in range(3)) == {first, second, rest[0]}
    # Undo the move: the article goes back to where the clusterer has it.
    desk.undo_correction(move.id, author="ana")
    assert desk.store.story_of(rest[0]) == story.id
    desk.undo_correction(split.id, author="ana")
    assert desk.store.story(new_id) is None
    assert set(desk.store.story(story.id).article_ids) == set(story.article_ids)


def test_bad_corrections_say_what_is_wrong_and_store_nothing(desk):
    a, b = two_people(desk)
    with pytest.raises(CorrectionError, match="needs a reason"):
        desk.merge_people(a.id, b.id, author="ana", reason="  ")
    with pytest.raises(CorrectionError, match="no person 'nobody'"):
        desk.merge_people(a.id, "nobody", author="ana", reason="r")
    with pytest.raises(CorrectionError, match="one person already"):
        desk.merge_people(a.id, a.id, author="ana", reason="r")
    (story,) = desk.stories()
    with pytest.raises(CorrectionError, match="all the articles"):
        desk.split_story(story.id, list(story.article_ids), author="ana", reason="r")
    with pytest.raises(CorrectionError, match="is in story"):
        desk.move_article(story.article_ids[0], story.id, author="ana", reason="r")
    assert desk.corrections() == []
