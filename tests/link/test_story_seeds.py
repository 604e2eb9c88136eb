"""The seeds (read from ../shared/seeds at run time) as a story: one story of five articles, its
events, the stated date kept and the others inferred to the right week, relative days in the
dated article resolved, and the rewrite's wrong title for the US president reported.

Known dates (from the events the articles report): 004 was written in the week of the Paris
summit (Monday 17 February 2025), 002 is stated (27 February, the White House meeting), 003
reports that meeting, and 000/001 the defence secretary's Washington talks the week after."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app

TRUE_WEEK = {"000": (2025, 10), "001": (2025, 10), "003": (2025, 9), "004": (2025, 8)}


@pytest.fixture(scope="module")
def story(seeds_store):
    db = seeds_store
    with storyline.open(db) as desk:
        stories = desk.stories()
        report = desk.story(stories[0].id)
        names = {a.id: a.source.rsplit("/", 1)[-1][:3] for a in desk.articles()}
    return db, stories, report, names


def test_one_story_with_all_five_articles(story):
    _, stories, report, names = story
    assert len(stories) == 1
    assert sorted(names[a] for a in stories[0].article_ids) == ["000", "001", "002", "003", "004"]
    s = stories[0]
    assert s.first == s.last == "2025-02-27" and s.undated == 4  # only 002 states a date
    assert "Starmer" in s.label and "Trump" in s.label and s.headline


def test_the_stated_date_is_kept_and_the_others_inferred_to_the_right_week(story):
    _, _, report, names = story
    for aid, d in report.dates.items():
        name = names[aid]
        if name == "002":
            assert (d.first, d.last, d.inferred) == ("2025-02-27", "2025-02-27", False)
            continue
        assert d.inferred and d.evidence and d.likely
        first, last = dt.date.fromisoformat(d.first), dt.date.fromisoformat(d.last)
        assert (last - first).days <= 7, (name, d)
        assert dt.date.fromisoformat(d.likely).isocalendar()[:2] == TRUE_WEEK[name], (name, d)
        if name != "003":  # 003's range runs from the meeting it reports to the week after
            assert first.isocalendar()[:2] == last.isocalendar()[:2] == TRUE_WEEK[name], (name, d)


def test_relative_days_in_the_dated_article_are_resolved(story):
    _, _, report, names = story
    dated = next(a for a in report.articles if names[a.id] == "002")
    times = {t.text.lower(): t for t in report.times[dated.id]}
    assert times["thursday"].value == "2025-02-27" and not times["thursday"].inferred
    assert times["earlier this week"].value == "2025-W09"
    assert dated.body[times["thursday"].start : times["thursday"].end] == "Thursday"


def test_events_in_date_order_with_the_three_the_story_is_made_of(story):
    _, _, report, names = story
    timeline = report.timeline
    assert len(timeline) >= 3
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)

    def event(day: str, *words: str):
        return [e for e in timeline if e.date == day and all(
            any(w in c.text for c in e.sentences) for w in words)]

    assert event("2025-02-17", "Paris")  # the Paris summit
    white_house = event("2025-02-27", "White House")
    assert white_house and not white_house[0].date_inferred  # dated by the stated article
    assert len(white_house[0].article_ids) >= 2
    assert event("2025-03-05", "Healey", "Washington")  # the defence secretary's talks
    bodies = {a.id: a.body for a in report.articles}
    for e in timeline:
        for c in e.sentences + e.date_evidence:
            assert bodies[c.article_id][c.start : c.end] == c.text


def test_the_rewrites_wrong_title_for_the_us_president_is_a_conflict(story):
    _, _, report, names = story
    conflicts = [f for f in report.findings if f.kind == "role_conflict" and f.subject == "Donald Trump"]
    assert conflicts
    cited = {(names[c.article_id], c.text) for c in conflicts[0].citations}
    assert any(name == "000" and "former" in text.lower() for name, text in cited)
    assert any("former" not in text.lower() for _, text in cited)
    bodies = {a.id: a.body for a in report.articles}
    for c in conflicts[0].citations:
        assert bodies[c.article_id][c.start : c.end] == c.text


def test_the_reworded_quote_is_matched_across_outlets(story):
    _, _, report, names = story
    reworded = [f for f in report.findings if f.kind == "quote" and f.differs]
    assert any({names[c.article_id] for c in f.citations} == {"000", "001"} and "Putin" in f.summary for f in reworded)
    assert report.reuse and {(names[p.source_id], names[p.derived_id]) for p in report.reuse if p.is_reuse} == {("001", "000")}
    assert "Keir Starmer" in report.quotes and "Donald Trump" in report.quotes


def test_cli_stories_and_story_json(story):
    db, stories, _, names = story
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", str(db), "--no-update", "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert [s["id"] for s in data] == [stories[0].id] and len(data[0]["article_ids"]) == 5
    shown = runner.invoke(app, ["story", stories[0].id[:8], "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    full = json.loads(shown.stdout)
    assert {"articles", "events", "timeline", "people", "quotes", "reuse", "findings"} <= set(full)
    assert any(f["kind"] == "role_conflict" for f in full["findings"])
    missing = runner.invoke(app, ["story", "zzzz", "--db", str(db)])
    assert missing.exit_code == 2 and "no story" in missing.stderr


def test_every_article_says_why_it_joined_and_a_merged_away_id_resolves(story, tmp_path):
    """The clusterer's evidence is stored with each membership and shown by `storyline story`
    (JSON and text): the first article started the story, the others joined it with a score
    above the threshold, shared names or words and their nearest member. A story id absorbed by
    a merge still leads to the story it went into, with a note."""
    db, stories, _, _ = story
    sid = stories[0].id
    runner = CliRunner()
    shown = json.loads(runner.invoke(app, ["story", sid, "--db", str(db), "--json"]).stdout)
    why = {a["id"]: a["why"] for a in shown["articles"]}
    assert set(why) == set(stories[0].article_ids) and all(why.values())
    assert [w["kind"] for w in why.values()].count("founded") == 1 and why[sid]["kind"] == "founded"
    for aid, w in why.items():
        if w["kind"] == "joined":
            assert w["score"] >= w["join_threshold"] and w["story"] == sid
            assert (w["shared_entities"] or w["shared_terms"]) and w["nearest_article"] in why
            assert w["nearest_article"] != aid
    text = runner.invoke(app, ["story", sid, "--db", str(db)])
    assert text.exit_code == 0 and "Why these articles" in text.stdout and "Joined as it arrived (score" in text.stdout
    # The head line gives the coverage, inferred dates included (one seed states its date), as
    # the story list and the briefing do; counts read as English.
    assert f"story {sid}; 5 articles from " in text.stdout and "; 2025-02-17 .. 2025-03-09\n" in text.stdout
    assert " 1 articles" not in text.stdout
    from helpers import copy_store

    from storyline.store.records import StoryMerge

    absorbed = "f" * 16
    db = tmp_path / "merged.db"
    copy_store(story[0], db)
    with storyline.open(db) as desk:
        desk.store.put_stories([], [], [], "x", "2026-01-02T00:00:00+00:00",
                               merges=[StoryMerge(absorbed, sid, "2026-01-02T00:00:00+00:00", "{}")])
    resolved = json.loads(runner.invoke(app, ["story", absorbed, "--db", str(db), "--json"]).stdout)
    assert resolved["id"] == sid and any(absorbed in n and "merged into" in n for n in resolved["notes"])
