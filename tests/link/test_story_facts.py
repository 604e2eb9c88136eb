"""Story facts stored and read (link/stories/facts.py, steps.py): built by find_stories, read by
Desk.story without computing anything, rebuilt only for the stories that changed, and the
JSON codec lossless on the seeds' story."""

from __future__ import annotations

import json

import pytest

import storyline
from storyline.link.stories import report as report_module
from storyline.link.stories.coverage import spread_over_days
from storyline.link.stories.facts import FACTS_VERSION, decode_facts, encode_facts, fact_state
from tests.helpers import copy_store

# An article of our own about something else (the seeds are read from ../shared at run time).
UNRELATED = {
    "url": "https://example.org/mudflats", "title": "Barrier could starve the mudflats of silt",
    "published": "2026-03-16", "outlet": "Estuary Post",
    "text": "Engineers at Calder Marsh Engineering warned on Monday that the proposed tidal barrier could "
            "starve the Wend mudflats of silt. \"The birds feed there every winter,\" said Femi Adeyemi, "
            "who counts dunlin on the estuary. The council will publish the full survey next month.",
}


def _no_embedding(monkeypatch):
    def boom(*_a, **_k):
        raise AssertionError("a read embedded sentences")

    monkeypatch.setattr("storyline.analyze.embed.embed", boom)
    monkeypatch.setattr("storyline.link.reuse.vectors.embed", boom)  # span_vectors' own reference


def _counting_builds(monkeypatch) -> list[str]:
    built: list[str] = []
    real = report_module.build_report

    def counting(store, story, previous=None, **options):
        built.append(story.id)
        return real(store, story, previous, **options)

    monkeypatch.setattr(report_module, "build_report", counting)
    return built


def test_facts_are_stored_by_find_stories_and_read_without_embedding(seeds_store, monkeypatch):
    with storyline.open(seeds_store) as desk:
        story = desk.stories()[0]
        stored = desk.store.story_facts([story.id])
        assert stored and stored[0].version == FACTS_VERSION
        assert stored[0].state == fact_state(desk.store, story)
        assert desk.link(["story_facts"]).of("story_facts").counts.get("built", 0) == 0  # nothing left to build
        _no_embedding(monkeypatch)
        report = desk.story(story.id)
    assert report.story == story and sorted(a.id for a in report.articles) == sorted(story.article_ids)
    assert report.events and report.people and report.dates


def test_the_json_round_trip_is_lossless(seeds_store):
    with storyline.open(seeds_store) as desk:
        story = desk.stories()[0]
        built = report_module.build_report(desk.store, story)
        doc = json.loads(json.dumps(encode_facts(built)))
        back = decode_facts(desk.store, story, doc)
    assert back == built
    assert list(back.quotes) == list(built.quotes)  # the speakers' order too
    assert back.reuse and back.findings and back.timeline == built.timeline


def test_a_big_story_is_built_from_its_covered_articles_bodies_only(seeds_store, monkeypatch):
    monkeypatch.setattr(report_module, "MAX_ARTICLES", 3)
    with storyline.open(seeds_store) as desk:
        story = desk.stories()[0]
        every = desk.store.articles(ids=list(story.article_ids))
        assert len(every) > 3
        headline = [a.id for a in every if story.headline and (a.title or "").strip() == story.headline.strip()]
        recent = spread_over_days(desk.store.publication_dates(list(story.article_ids)), 3, keep=headline[:1]).ids
        assert len(recent) == 3 and set(headline[:1]) <= set(recent)
        whole = report_module.build_report(desk.store, story)
        read: list[str] = []
        real = desk.store.articles

        def articles(**kw):
            read.extend(kw.get("ids") or ())
            return real(**kw)

        monkeypatch.setattr(desk.store, "articles", articles, raising=False)
        covered = report_module.build_report(desk.store, story, whole=False)
    assert sorted(read) == sorted(recent)  # the other articles' bodies are never read
    assert [a.id for a in covered.articles] == recent and sorted(a.id for a in whole.articles) == sorted(a.id for a in every)
    assert encode_facts(covered) == encode_facts(whole)  # what the step stores is the same
    assert f"cover 3 of {len(every)} articles" in " ".join(whole.notes)
    # Its article list: every member, bodies for the covered ones and the headline's article only,
    # the same whether just built or read back from the stored facts.
    with_body = {a.id for a in whole.articles if a.body}
    assert with_body == set(recent) | set(headline) and len(whole.articles) == len(every)
    assert {a.id: a.title for a in whole.articles} == {a.id: a.title for a in every}
    monkeypatch.undo()
    monkeypatch.setattr(report_module, "MAX_ARTICLES", 3)
    with storyline.open(seeds_store) as desk:
        back = decode_facts(desk.store, story, json.loads(json.dumps(encode_facts(whole))))
    assert back.articles == whole.articles


def test_only_the_changed_story_is_rebuilt(seeds_store, tmp_path, monkeypatch):
    db = copy_store(seeds_store, tmp_path / "facts.db")
    with storyline.open(db) as desk:
        seeds_story = desk.stories()[0]
        built = _counting_builds(monkeypatch)

        # A new member of the seeds' story (a seed told again with a line added): exactly that
        # story's facts are stale, and only they are rebuilt.
        seed = desk.article(seeds_story.article_ids[0])
        retold = {"url": "https://example.org/retold", "title": seed.title, "outlet": "Retold",
                  "published": seed.published, "text": seed.body + "\n\nMore on this story as it develops."}
        desk.ingest_objects([retold], source="test")
        assert fact_state(desk.store, desk.store.story(seeds_story.id)) == desk.store.story_facts([seeds_story.id])[0].state
        desk.find_stories()
        grown = desk.store.story(seeds_story.id)
        assert len(grown.article_ids) == len(seeds_story.article_ids) + 1
        assert built == [seeds_story.id]

        # A new article about something else: a story of its own, the only one built.
        desk.ingest_objects([UNRELATED], source="test")
        desk.find_stories()
        new_story = desk.store.story_of(desk.articles()[-1].id)
        assert new_story != seeds_story.id and built == [seeds_story.id, new_story]
        # A one-article story with a quotation: built and stored (its quotes are traced nowhere).
        (alone,) = desk.store.story_facts([new_story])
        assert alone.version == FACTS_VERSION and desk.story(new_story).quotes

        _no_embedding(monkeypatch)
        assert len(desk.story(grown.id).articles) == len(grown.article_ids)


def test_a_read_of_stale_facts_builds_and_stores_them(seeds_store, tmp_path, monkeypatch):
    db = copy_store(seeds_store, tmp_path / "stale.db")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
        desk.store.put_story_facts([], removed=[story.id])  # linking killed before the facts step
        built = _counting_builds(monkeypatch)
        first = desk.story(story.id)
        assert built == [story.id] and desk.store.story_facts([story.id])
        _no_embedding(monkeypatch)
        assert desk.story(story.id) == first and built == [story.id]


def test_a_story_that_fails_is_reported_and_stays_due(monkeypatch):
    from storyline.records import Analysis, Article, Story
    from storyline.run.fact_steps import STORY_FACTS
    from storyline.run.local import run_step
    from storyline.store import open_store
    from storyline.store.records import Membership

    store = open_store("memory://")
    a, b = (Article(id=f"{n:016x}", content_hash=f"h{n}", source="test", body=f"Body {n}.") for n in (1, 2))
    store.add_articles([a, b])
    store.put_analyses([Analysis(a.id), Analysis(b.id)], "1")
    store.put_stories([Story(a.id, "A", (a.id,)), Story(b.id, "B", (b.id,))],
                      [Membership(a.id, a.id, 0), Membership(b.id, b.id, 1)], [], "1", "2026-03-12T00:00:00+00:00")

    def build(store, story, previous=None, **_options):
        if story.id == b.id:
            raise ValueError("no sentences")
        return report_module.StoryReport(story, [], {}, {}, [], [], {}, [], [])

    monkeypatch.setattr(report_module, "build_report", build)
    report = run_step(store, STORY_FACTS)
    assert report.done == 1 and report.counts["built"] == 1
    assert [(p.source, p.reason) for p in report.problems] == [(f"story {b.id}", "ValueError: no sentences")]
    assert [f.story_id for f in store.story_facts([a.id, b.id])] == [a.id]
    assert b.id in store.story_facts_due(FACTS_VERSION)


def test_find_stories_reports_what_a_linking_step_could_not_do(seeds_store, tmp_path, monkeypatch):
    db = copy_store(seeds_store, tmp_path / "fails.db")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
        desk.store.put_story_facts([], removed=[story.id])  # due again

        def build(store, story, previous=None, **_options):
            raise ValueError("no sentences")

        monkeypatch.setattr(report_module, "build_report", build)
        report = desk.find_stories()
    assert [(p.source, p.reason) for p in report.problems] == [(f"story {story.id}", "ValueError: no sentences")]


def _counting_compares(monkeypatch) -> list[tuple[str, str]]:
    from storyline.link.reuse import compare as compare_module

    calls: list[tuple[str, str]] = []
    real = compare_module.compare

    def counting(a, b, *args, **kwargs):
        calls.append((a.id, b.id))
        return real(a, b, *args, **kwargs)

    monkeypatch.setattr(compare_module, "compare", counting)
    return calls


def test_a_grown_story_compares_only_its_new_members_value_pairs(seeds_store, tmp_path, monkeypatch):
    """The facts document keeps the value pairs it compared: when the story gains a member,
    the rebuild compares only pairs with the new member, and its findings are those of a build
    from nothing."""
    db = copy_store(seeds_store, tmp_path / "values.db")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
        kept = desk.store.story_facts([story.id])[0].facts["values"]["pairs"]
        assert len(kept) >= len(story.article_ids) - 1  # every member is compared with a neighbour
        assert any(entry[4] for entry in kept)  # the seeds disagree on numbers: some evidence kept
        seed = desk.article(story.article_ids[0])
        retold = {"url": "https://example.org/retold", "title": seed.title, "outlet": "Retold",
                  "published": seed.published, "text": seed.body + "\n\nMore on this story as it develops."}
        desk.ingest_objects([retold], source="test")
        new_id = desk.articles()[-1].id
        calls = _counting_compares(monkeypatch)
        desk.find_stories()
        grown = desk.store.story(story.id)
        assert new_id in grown.article_ids
        value_calls = [c for c in calls if new_id in c or set(c) <= set(story.article_ids)]
        assert value_calls and all(new_id in c for c in value_calls)
        stored = desk.store.story_facts([story.id])[0].facts
        calls.clear()
        fresh = report_module.build_report(desk.store, grown, stored=False)
        assert len(calls) == len(stored["values"]["pairs"]) > len(value_calls)
        assert stored["findings"] == encode_facts(fresh)["findings"]
        assert stored["values"] == fresh.values


def test_a_member_analysed_again_has_its_value_pairs_compared_again(seeds_store, tmp_path, monkeypatch):
    db = copy_store(seeds_store, tmp_path / "again.db")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
        doc = desk.store.story_facts([story.id])[0].facts
        calls = _counting_compares(monkeypatch)
        same = report_module.build_report(desk.store, story, doc)
        assert calls == [] and same.values == doc["values"]
        # A stamp that no longer matches (the article analysed again since): its pairs only.
        target = story.article_ids[0]
        stale = json.loads(json.dumps(doc))
        for entry in stale["values"]["pairs"]:
            if target in entry[:2]:
                entry[2 if entry[0] == target else 3] = "0" * 16
        again = report_module.build_report(desk.store, story, stale, stored=False)
        assert calls and all(target in c for c in calls)
        assert len(calls) == sum(target in e[:2] for e in doc["values"]["pairs"])
        assert again.values == doc["values"] and again.findings == same.findings
        # Entries of another reuse version are not used at all.
        calls.clear()
        other = dict(doc, values=dict(doc["values"], version="0"))
        report_module.build_report(desk.store, story, other, stored=False)
        assert len(calls) == len(doc["values"]["pairs"])


def test_a_story_without_a_document_reuses_the_stores_value_pairs(seeds_store, tmp_path, monkeypatch):
    """The pairs a build compared are stored by pair of articles (Store.value_pairs), so a story
    that has no document of its own holding them (one that absorbed another, or split from
    one) compares none again; a pair whose article changed since is compared again."""
    db = copy_store(seeds_store, tmp_path / "stored.db")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
        doc = desk.store.story_facts([story.id])[0].facts
        pairs = [tuple(e[:2]) for e in doc["values"]["pairs"]]
        from storyline.link.stories.value_pairs import VERSION

        entries = {(e.first_id, e.second_id): e for e in desk.store.value_pairs(pairs, VERSION)}
        assert set(entries) == set(pairs)  # every compared pair is stored
        assert desk.store.value_pairs(pairs, "other version") == []
        calls = _counting_compares(monkeypatch)
        again = report_module.build_report(desk.store, story)  # no document handed over
        assert calls == [] and again.values == doc["values"]
        target = story.article_ids[0]
        desk.store.put_value_pairs([e._replace(first_stamp="0" * 16) if e.first_id == target
                                    else e._replace(second_stamp="0" * 16) if e.second_id == target else e
                                    for e in entries.values()])
        redone = report_module.build_report(desk.store, story)
        assert calls and all(target in c for c in calls)
        assert redone.values == doc["values"]  # compared again, stored again as they were
        assert {(e.first_id, e.second_id): e for e in desk.store.value_pairs(pairs, VERSION)} == entries


def test_a_story_told_by_headlines_has_the_events_of_its_days(tmp_path):
    """A headline dump's rows (a title, a time, no text) are briefs whose sentences name no day:
    the story's events are its headlines, dated by publication day, told apart by what they say."""
    rows = [("Harbourne council approves Wend tidal barrier", "2026-03-02T09:00:00Z", "Estuary Post"),
            ("Harbourne council approves the Wend tidal barrier plan", "2026-03-02T10:30:00Z", "Coast Courier"),
            ("Wend tidal barrier approved by Harbourne council", "2026-03-02T12:00:00Z", "Marsh Daily"),
            ("Wend tidal barrier costs double to 2 billion, Harbourne council says", "2026-03-03T08:00:00Z", "Estuary Post"),
            ("Harbourne council says Wend tidal barrier costs doubled to 2 billion", "2026-03-03T09:15:00Z", "Coast Courier")]
    records = [{"url": f"https://example.org/h{k}", "title": t, "published": when, "outlet": outlet}
               for k, (t, when, outlet) in enumerate(rows)]
    with storyline.open(tmp_path / "heads.db") as desk:
        desk.ingest_objects(records, source="test")
        desk.find_stories()
        ids = {a.title: a.id for a in desk.articles()}
        [story] = [s for s in desk.stories() if len(s.article_ids) > 1]
        assert len(story.article_ids) == 5  # the clusterer's part: one story of five headlines
        report = desk.story(story.id)
    by_day = {}
    for e in report.events:
        assert e.date_source == "published" and e.date_evidence == () and not e.date_inferred
        by_day.setdefault(e.date, []).append(set(e.article_ids))
    assert by_day == {"2026-03-02": [{ids[t] for t, *_ in rows[:3]}], "2026-03-03": [{ids[t] for t, *_ in rows[3:]}]}
