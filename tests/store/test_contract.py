"""The Store contract: one suite, run against every implementation (memory, SQLite, PostgreSQL).

Tests that take ``store_url`` are about a durable SQL store (reopening it, migrating its schema)
and run on SQLite and PostgreSQL only: a memory store has no schema and ends with its process.
"""

from __future__ import annotations

import dataclasses
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest.convert import content_hash
from storyline.records import Analysis, Article, Cut, Entity, FieldSource, Link, Mention, Quote, Role, Story, TimePoint
from storyline.store import AmbiguousIdError, StoreError, open_store
from storyline.store.records import (AnalysisState, Bucket, CandidatePair, ComparedPair, FingerprintRow, Membership,
                                     WriteResult)
from storyline.store.sql import migrate
from storyline.store.sql.migrate import migrations


@pytest.fixture
def store(any_store):
    """In this suite ``store`` is every implementation, memory included (see conftest.any_store)."""
    return any_store


def make_article(body: str, *, url: str | None = None, id_: str | None = None, **extra) -> Article:
    digest = content_hash(body)
    return Article(
        id=id_ or digest[:16], content_hash=digest, source="/in/a.txt", body=body, url=url,
        raw=body.encode("utf-8"), raw_type="text/plain", ingested_at="2026-01-01T00:00:00+00:00",
        **extra,
    )


def test_round_trip_keeps_every_field(store):
    article = make_article(
        "First paragraph.\n\nSecond “quoted” paragraph – with a dash.",
        url="https://example.org/news/1?utm_source=x",
        title="A headline", outlet="The Example", published="2026-03-11T07:42:00", byline="Jane Roe",
        abstract="Short summary.", locator="line 3",
        fields={"title": FieldSource("stated", "A headline"), "outlet": FieldSource("inferred", "site line"),
                "byline": FieldSource("missing")},
        cuts=(Cut("headline", "A headline"), Cut("aggregator-boilerplate", "Read More Details")),
    )
    assert store.add_articles([article]) == [WriteResult("added", article.id)]
    back = store.article(article.id)
    assert dataclasses.replace(back, ingested_at=None) == dataclasses.replace(article, ingested_at=None)
    assert back.raw == article.raw and back.raw_type == "text/plain"
    listed = store.articles()
    assert [a.id for a in listed] == [article.id]
    assert listed[0].raw is None  # listings do not carry raw input


def test_same_content_is_present_not_added_twice(store):
    a = make_article("Same body text here.")
    assert store.add_articles([a]) == [WriteResult("added", a.id)]
    twin = make_article("  same   BODY text here. ", url="https://x.org/other")  # normalised equal
    # Present, and kept as a sighting: the same text from a URL the store did not know.
    assert store.add_articles([twin]) == [WriteResult("present", a.id, sighting=True)]
    assert store.count() == 1


def test_same_normalised_url_is_present(store):
    a = make_article("Version one of the story.", url="https://www.example.org/story/?utm_source=feed")
    b = make_article("Version two, edited later.", url="http://example.org/story#comments")
    assert store.add_articles([a, b]) == [WriteResult("added", a.id), WriteResult("present", a.id)]
    assert store.count() == 1


def test_duplicates_inside_one_batch(store):
    a, b = make_article("One."), make_article("Two.")
    assert [r.status for r in store.add_articles([a, b, a])] == ["added", "added", "present"]
    assert store.count() == 2


def test_a_failing_batch_is_rolled_back_whole(store):
    good = make_article("Good article body.")
    bad = dataclasses.replace(make_article("Bad one."), body=None)  # violates NOT NULL
    store.add_articles([make_article("Committed earlier.")])
    with pytest.raises(StoreError, match="rolled back"):
        store.add_articles([good, bad])
    assert store.count() == 1
    assert store.article(good.id) is None
    assert store.add_articles([good]) == [WriteResult("added", good.id)]  # the store is still usable


def test_listing_order_limit_offset(store):
    arts = [make_article(f"Article number {i}.") for i in range(7)]
    store.add_articles(arts[:3])
    store.add_articles(arts[3:])
    ids = [a.id for a in arts]
    assert [a.id for a in store.articles()] == ids
    assert [a.id for a in store.articles(limit=2, offset=3)] == ids[3:5]
    assert [a.id for a in store.articles(offset=5)] == ids[5:]
    assert store.articles(limit=0) == []
    assert store.count() == 7


def test_lookup_by_prefix(store):
    a = make_article("Alpha.", id_="abcd000000000001")
    b = make_article("Beta.", id_="abcd000000000002")
    c = make_article("Gamma.", id_="ffff000000000003")
    store.add_articles([a, b, c])
    assert store.article("ffff").id == c.id
    assert store.article("ABCD000000000002").id == b.id
    with pytest.raises(AmbiguousIdError):
        store.article("abcd")
    assert store.article("0123") is None
    assert store.article("%") is None  # not hex: never a LIKE pattern or an injection
    assert store.article("'; DROP TABLE articles; --") is None
    assert store.count() == 3


def test_links_are_idempotent_and_ordered(store):
    links = [Link("https://example.org/a?utm_medium=rss", "feed.xml", "A", "2026-01-02", "entry 1"),
             Link("https://example.org/b", "feed.xml", None, None, "entry 2")]
    assert store.add_links(links) == 2
    assert store.add_links([Link("http://www.example.org/a", "other.xml")]) == 0
    assert store.add_links([Link("mailto:someone@example.org", "feed.xml")]) == 0
    assert [link.url for link in store.links()] == [links[0].url, links[1].url]
    assert store.links()[0].title == "A"


def test_schema_is_migrated_once(store_url):
    newest = migrations()[-1][0]
    first = open_store(store_url)
    assert first.schema_version() == newest
    first.add_articles([make_article("Kept across reopen.")])
    first.close()
    again = open_store(store_url)
    assert again.schema_version() == newest
    assert again.count() == 1
    again.close()


def test_refuses_a_schema_newer_than_the_code(store_url):
    s = open_store(store_url)
    s.db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
           (999, "future", "2030-01-01"))
    s.close()
    with pytest.raises(StoreError, match="newer than this Storyline"):
        open_store(store_url)


def test_text_that_needs_escaping_round_trips(store):
    # Untrusted text must be stored as data, never interpreted.
    body = "Robert'); DROP TABLE articles;-- <script>alert(1)</script> \\ % _ ?"
    a = make_article(body, title="%s ? $1")
    store.add_articles([a])
    back = store.article(a.id)
    assert back.body == body and back.title == "%s ? $1"


def test_unstorable_characters_in_names_do_not_break_a_batch(store):
    a = dataclasses.replace(make_article("Body."), source="/in/caf\udce9.txt", title="nul\x00here")
    assert store.add_articles([a])[0].status == "added"
    back = store.article(a.id)
    assert back.source == "/in/caf\ufffd.txt" and back.title == "nulhere"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=400),
       title=st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)))
def test_any_text_round_trips(store, body, title):
    a = make_article(body, title=title)
    result = store.add_articles([a])[0]
    back = store.article(result.article_id)
    if result.status == "added":
        assert back.body == body and back.title == title
    else:  # hypothesis may repeat a body that normalises equal to an earlier example
        assert content_hash(back.body) == a.content_hash


# --- per-article analysis: entities, quotes, and which articles are analysed ------------------


def sample_analysis(article_id: str, *, speaker: str = "Ana Ortiz", suffix: str = "") -> Analysis:
    """A hand-built analysis with every field set (and some left None), offsets into a made-up body."""
    ortiz = Entity(
        id="p1", name=speaker, type="PERSON", aliases=("Ortiz", "Mayor Ortiz" + suffix),
        mentions=(Mention(article_id, 31, 46, "Mayor " + speaker), Mention(article_id, 60, 65, "Ortiz")),
        roles=(Role("Mayor", article_id, 31, 36, 0, 47), Role("chair of the harbour board", article_id, 70, 96)),
    )
    council = Entity(id="o1", name="Port Selby Council" + suffix, type="ORG",
                     mentions=(Mention(article_id, 100, 118, "Port Selby Council"),))
    town = Entity(id="g1", name="Port Selby", type="PLACE")
    quotes = (
        Quote(article_id, "We will build the wall," + suffix, 1, 24, "direct", cue="said", speaker=speaker,
              speaker_mention=Mention(article_id, 31, 46, "Mayor " + speaker), speaker_id="p1", group=1),
        Quote(article_id, "it would be finished by May", 140, 167, "indirect", cue="added", speaker=speaker,
              speaker_mention=Mention(article_id, 120, 123, "She"), speaker_id="p1", group=None),
        Quote(article_id, "a waste of money", 80, 96, "partial", cue=None, speaker="a senior councillor",
              speaker_mention=Mention(article_id, 60, 78, "a senior councillor"), anonymous=True),
        Quote(article_id, "Nobody owns up", 200, 214, "direct"),  # no speaker at all
    )
    times = (
        TimePoint(article_id, "on Wednesday", 230, 242, "DATE", "2026-03-11", anchored=True,
                  detail='{"rule": "weekday"}'),
        TimePoint(article_id, "next week", 250, 259, "DATE", None, mod="START", anchored=True),
        TimePoint(article_id, "two years", 270, 279, "DURATION", "P2Y"),
    )
    return Analysis(article_id, entities=(ortiz, council, town), quotes=quotes, times=times)


def test_analysis_round_trips_every_field(store):
    a = make_article("An article about a wall.")
    store.add_articles([a])
    assert store.analysis(a.id) is None
    analysis = sample_analysis(a.id)
    store.put_analyses([analysis], "v1")
    assert store.analysis(a.id) == analysis  # entities and quotes in the analyzer's order
    assert store.analysis("0000000000000000") is None


def test_analyses_are_read_together_as_each_alone(store):
    a, b, c = (make_article(f"An article about a wall, part {k}.") for k in range(3))
    store.add_articles([a, b, c])
    first = sample_analysis(a.id)
    second = Analysis(b.id, entities=tuple(reversed(first.entities)), times=first.times[:1])
    store.put_analyses([first, second], "v1")
    found = store.analyses_of([c.id, b.id, a.id, b.id, "0000000000000000"])
    assert found == {a.id: store.analysis(a.id), b.id: store.analysis(b.id)}
    assert found[a.id] == first and [e.id for e in found[b.id].entities] == [e.id for e in reversed(first.entities)]
    assert store.analyses_of([]) == {}


def test_empty_analysis_counts_as_analysed(store):
    a, b = make_article("Nothing to find here."), make_article("Nor here.")
    store.add_articles([a, b])
    store.put_analyses([Analysis(a.id)], "v1")
    assert store.analysis(a.id) == Analysis(a.id)
    assert store.unanalysed() == [b.id]


def test_analysis_state_changes_with_every_analysis(store):
    a, b = make_article("One body."), make_article("Another body.")
    store.add_articles([a, b])
    assert store.analysis_state() == AnalysisState(analysed=0, latest=None)
    store.put_analyses([sample_analysis(a.id)], "v1")
    one = store.analysis_state()
    assert one.analysed == 1 and one.latest
    store.put_analyses([sample_analysis(a.id, suffix="x")], "v2")  # re-analysed: same count, later time
    again = store.analysis_state()
    assert again.analysed == 1 and again != one
    store.put_analyses([Analysis(b.id)], "v2")
    assert store.analysis_state().analysed == 2


def test_put_analyses_replaces_and_never_duplicates(store):
    a, b = make_article("First article."), make_article("Second article.")
    store.add_articles([a, b])
    store.put_analyses([sample_analysis(a.id), sample_analysis(b.id)], "v1")
    store.put_analyses([sample_analysis(a.id)], "v1")  # the same again: a re-run
    assert len(store.entities()) == 6 and len(store.quotes()) == 8

    changed = sample_analysis(a.id, speaker="Ana Ortiz-Reyes", suffix=" (corrected)")
    changed = dataclasses.replace(changed, quotes=changed.quotes[:1], entities=changed.entities[:2])
    store.put_analyses([changed], "v2")
    assert store.analysis(a.id) == changed
    assert store.analysis(b.id) == sample_analysis(b.id)  # untouched
    assert len(store.entities()) == 2 + 3 and len(store.quotes()) == 1 + 4
    assert store.quotes(speaker="Ana Ortiz") == [q for q in sample_analysis(b.id).quotes if q.speaker == "Ana Ortiz"]


def test_unanalysed_by_version_in_store_order(store):
    arts = [make_article(f"Article number {i}.") for i in range(5)]
    store.add_articles(arts)
    ids = [a.id for a in arts]
    assert store.unanalysed() == ids and store.unanalysed("v1") == ids
    assert store.unanalysed(limit=2) == ids[:2]
    store.put_analyses([Analysis(ids[1]), Analysis(ids[3])], "v1")
    store.put_analyses([Analysis(ids[4])], "v2")
    assert store.unanalysed() == [ids[0], ids[2]]  # any version counts
    assert store.unanalysed("v1") == [ids[0], ids[2], ids[4]]  # v2 is not v1
    assert store.unanalysed("v2") == [ids[0], ids[1], ids[2], ids[3]]
    assert store.unanalysed("v1", limit=1) == [ids[0]]


def test_entities_by_type_in_article_order(store):
    a, b = make_article("Article A."), make_article("Article B.")
    store.add_articles([a, b])
    store.put_analyses([sample_analysis(b.id, speaker="Ben Cole"), sample_analysis(a.id)], "v1")
    people = store.entities("PERSON")
    assert [(aid, e.name) for aid, e in people] == [(a.id, "Ana Ortiz"), (b.id, "Ben Cole")]
    assert people[0][1] == sample_analysis(a.id).entities[0]  # mentions and roles come back whole
    assert [(aid, e.type) for aid, e in store.entities()] == [
        (a.id, "PERSON"), (a.id, "ORG"), (a.id, "PLACE"), (b.id, "PERSON"), (b.id, "ORG"), (b.id, "PLACE")]
    assert store.entities("EVENT") == []


def test_quotes_by_speaker_in_article_then_body_order(store):
    a, b = make_article("Article A."), make_article("Article B.")
    store.add_articles([a, b])
    store.put_analyses([sample_analysis(b.id, speaker="Ángela Núñez"), sample_analysis(a.id)], "v1")
    every = store.quotes()
    assert [(q.article_id, q.start) for q in every] == [(a.id, s) for s in (1, 80, 140, 200)] + [
        (b.id, s) for s in (1, 80, 140, 200)]
    assert store.quotes(limit=3, offset=2) == every[2:5]
    assert store.quotes(offset=6) == every[6:]
    assert store.quotes(limit=0) == []
    # Case ignored, beyond ASCII too (the same on both backends).
    assert [q.article_id for q in store.quotes(speaker="ana ORTIZ")] == [a.id, a.id]
    assert [q.text for q in store.quotes(speaker="ÁNGELA NÚÑEZ")] == [
        "We will build the wall,", "it would be finished by May"]
    assert store.quotes(speaker="A senior councillor")[0].anonymous is True
    assert store.quotes(speaker="Ortiz") == []  # the whole name, not a part of it
    assert store.quotes(speaker="'; DROP TABLE quotes; --") == []


def test_analyses_of_unknown_articles_are_refused_whole(store):
    a = make_article("Stored article.")
    store.add_articles([a])
    with pytest.raises(StoreError, match="rolled back"):
        store.put_analyses([sample_analysis(a.id), Analysis("ffffffffffffffff")], "v1")
    assert store.analysis(a.id) is None and store.entities() == [] and store.quotes() == []
    store.put_analyses([sample_analysis(a.id)], "v1")  # still usable
    assert store.unanalysed() == []


def test_articles_by_id(store):
    arts = [make_article(f"Article number {i}.") for i in range(4)]
    store.add_articles(arts)
    got = store.articles(ids=[arts[3].id, arts[0].id, "ffffffffffffffff", arts[3].id])
    assert [a.id for a in got] == [arts[0].id, arts[3].id]  # store order, once each, unknown ids passed over
    assert got[0] == dataclasses.replace(store.article(arts[0].id), raw=None, raw_type=None)
    assert store.articles(ids=[]) == []


def test_a_store_made_before_analysis_is_upgraded(store_url, monkeypatch):
    first_only = migrations()[:1]
    with monkeypatch.context() as m:
        m.setattr(migrate, "migrations", lambda: first_only)
        old = open_store(store_url)
        assert old.schema_version() == 1
        old.add_articles([make_article("Stored before analysis existed.")])
        old.close()
    upgraded = open_store(store_url)
    try:
        assert upgraded.schema_version() == migrations()[-1][0] >= 2
        assert upgraded.count() == 1 and len(upgraded.unanalysed()) == 1
    finally:
        upgraded.close()


# --- reuse -------------------------------------------------------------------------------------


def _fingerprint(article_id: str, seed: int):
    from storyline.records import Fingerprint

    sig = tuple((seed * 7919 + k * 104729) % 2**32 for k in range(8))
    fp = Fingerprint(article_id, sig, sig[::-1], (0.5, -0.5))
    blob = b"".join(x.to_bytes(4, "little") for x in sig)
    return FingerprintRow(fp, blob, blob[::-1], b"\x00\x01" * 4)


def test_fingerprints_replace_and_buckets_find_mates(store):
    a, b, c = (make_article(f"Reuse body {k}.") for k in range(3))
    store.add_articles([a, b, c])
    assert store.unfingerprinted("1") == [a.id, b.id, c.id]
    big = 2**62 + 12345  # buckets are 63-bit: they must survive PostgreSQL's signed BIGINT
    store.put_fingerprints(
        [_fingerprint(a.id, 1), _fingerprint(b.id, 2)],
        [Bucket(a.id, "shingles", 0, big), Bucket(b.id, "shingles", 0, big), Bucket(a.id, "words", 3, 7),
         Bucket(b.id, "words", 3, 8)],
        "1",
    )
    assert store.unfingerprinted("1") == [c.id]
    assert store.unfingerprinted("2") == [a.id, b.id, c.id]
    assert store.bucket_mates(a.id, max_bucket=10) == {"shingles": {b.id}}
    assert store.bucket_mates(a.id, max_bucket=1) == {}  # a full bucket is boilerplate, skipped
    blobs = {r.article_id: r for r in store.fingerprint_blobs([b.id, a.id])}
    expected = _fingerprint(a.id, 1)
    assert (blobs[a.id].shingles, blobs[a.id].words, blobs[a.id].vector) == expected[1:]
    # Re-fingerprinting replaces buckets rather than adding to them.
    store.put_fingerprints([_fingerprint(a.id, 1)], [Bucket(a.id, "words", 3, 8)], "1")
    assert store.bucket_mates(a.id, max_bucket=10) == {"words": {b.id}}
    assert [r.article_id for r in store.fingerprint_blobs()] == [a.id, b.id]


def test_vector_mates_need_their_votes_and_skip_hot_buckets(store):
    arts = [make_article(f"Vector body {k}.") for k in range(6)]
    store.add_articles(arts)
    a, b, c, d, *hot = [x.id for x in arts]
    # a shares bands 0 and 1 with b, only band 2 with c; d shares band 3 with a and band 4,
    # whose bucket holds every other article (hot at max_bucket=3).
    rows = [Bucket(a, "vector", 0, 1), Bucket(b, "vector", 0, 1), Bucket(a, "vector", 1, 7),
            Bucket(b, "vector", 1, 7), Bucket(a, "vector", 2, 9), Bucket(c, "vector", 2, 9),
            Bucket(a, "vector", 3, 5), Bucket(d, "vector", 3, 5), Bucket(a, "shingles", 0, 4),
            Bucket(c, "shingles", 0, 4)]
    rows += [Bucket(x, "vector", 4, 2) for x in (a, d, *hot)]
    store.put_fingerprints([_fingerprint(x, k) for k, x in enumerate([a, b, c, d, *hot])], rows, "1")
    assert store.bucket_mates(a, max_bucket=10) == {"shingles": {c}, "vector": {b, c, d, *hot}}
    assert store.bucket_mates(a, max_bucket=10, vector_votes=2) == {"shingles": {c}, "vector": {b, d}}
    assert store.bucket_mates(a, max_bucket=3, vector_votes=2) == {"shingles": {c}, "vector": {b}}
    assert store.bucket_mates(a, max_bucket=10, vector_votes=3) == {"shingles": {c}}
    assert store.bucket_mates(c, max_bucket=10, vector_votes=2) == {"shingles": {a}}


def test_bulk_writes_of_buckets_and_candidates_keep_every_row_once(store):
    # Enough rows that PostgreSQL takes its COPY path (insert_new), on every backend alike.
    arts = [make_article(f"Bulk body {k}.") for k in range(24)]
    store.add_articles(arts)
    buckets = [Bucket(a.id, kind, band, 1000 + band + (k % 3)) for k, a in enumerate(arts)
               for kind in ("shingles", "words") for band in range(8)]
    store.put_fingerprints([_fingerprint(a.id, k) for k, a in enumerate(arts)], buckets, "1")
    store.put_fingerprints([_fingerprint(a.id, k) for k, a in enumerate(arts)], buckets, "1")  # a re-run
    # Articles k, k+3, k+6, ... share every bucket: mates are the other seven of their group.
    assert store.bucket_mates(arts[0].id, max_bucket=100) == {
        "shingles": {a.id for a in arts[3::3]}, "words": {a.id for a in arts[3::3]}}
    pairs = [CandidatePair(*sorted((a.id, b.id)), "words") for i, a in enumerate(arts) for b in arts[i + 1:]]
    store.put_candidates(pairs + pairs[:40], [a.id for a in arts], "1")  # duplicates are skipped
    store.put_candidates(pairs[:300], [], "1")  # and pairs already stored too
    assert len(store.uncompared("1")) == len(pairs) == 276
    assert store.candidates_due("1", "1") == []
    with pytest.raises(StoreError):
        store.put_candidates(pairs + [CandidatePair(arts[0].id, "missing", "words")], [], "1")
    assert len(store.uncompared("1")) == 276  # the failed batch left nothing behind

    # A bulk search over some articles reads the rest of their buckets: every other article's
    # row of a bucket they touch, once, none of their own, and no bucket they do not touch.
    first = [a.id for a in arts[:2]]
    found = store.bucket_neighbours(first)
    assert len(found) == len(set(found))
    group = {a.id for a in arts[3::3]} | {a.id for a in arts[4::3]}
    assert {b.article_id for b in found} == group
    assert sorted(found) == sorted(b for b in buckets if b.article_id in group)
    assert store.bucket_neighbours([]) == []
    # Bounded: a bucket of more rows than max_bucket in all (the asked articles' own counted) is
    # left out whole; each bucket here holds 8.
    assert sorted(store.bucket_neighbours(first, max_bucket=8)) == sorted(found)
    assert store.bucket_neighbours(first, max_bucket=7) == []
    assert {b.article_id for b in store.bucket_neighbours([arts[0].id, arts[1].id, arts[2].id], max_bucket=8)} \
        == group | {a.id for a in arts[5::3]}
    # The other side: every row of the articles not due for candidates (all looked up by "1").
    assert sorted(store.settled_buckets("1", "1")) == sorted(set(buckets))
    assert store.settled_buckets("2", "1") == []  # none looked up by "2": all due
    assert len(store.settled_buckets("2", "0")) == len(set(buckets))  # fingerprints of another version


def test_reuse_pairs_round_trip_and_replace(store):
    from storyline.records import Change, ReusePair, SentencePair

    a, b, c = (make_article(f"Pair body {k}.") for k in range(3))
    store.add_articles([a, b, c])
    change = Change("misquote", "bigger than", "outweighs “it”", (3, 14), (5, 20), "a senior MP", "quote", "high")
    wording = Change("split", "One, and two.", "One. And two.", (0, 13), (0, 13), kind="wording", severity="low")
    pair = ReusePair(b.id, a.id, "rewrite", 0.91, 0.8, (change, wording), source_coverage=0.7, verbatim=0.05,
                     similarity=0.83, evidence=("quotations (+2.50)",),
                     aligned=(SentencePair((0, 10), (0, 12), 0.9, 0.2),))
    other = ReusePair(a.id, c.id, "independent", 0.55, 0.1)
    store.put_reuse([pair, other], "1")
    assert store.reuse(kinds=["rewrite"]) == [pair]
    back = store.reuse(kinds=["rewrite"])[0].changes
    assert [(c.meaning_kind, c.severity, c.meaning) for c in back] == [("quote", "high", True), ("wording", "low", False)]
    assert {p.kind for p in store.reuse()} == {"rewrite", "independent"}
    assert store.reuse(article_id=c.id) == [other]
    assert store.compared("1") == {ComparedPair(*sorted((a.id, b.id))), ComparedPair(*sorted((a.id, c.id)))}
    assert store.compared("2") == set()
    assert store.compared() == store.compared("1")
    # The same unordered pair, reversed and re-judged, replaces the row.
    flipped = dataclasses.replace(pair, source_id=a.id, derived_id=b.id, kind="partial")
    store.put_reuse([flipped], "2")
    assert [p.kind for p in store.reuse(article_id=b.id)] == ["partial"]
    assert store.compared("1") == {ComparedPair(*sorted((a.id, c.id)))}
    assert store.compared() == {ComparedPair(*sorted((a.id, b.id))), ComparedPair(*sorted((a.id, c.id)))}



def test_reuse_pages_are_slices_of_the_whole_list_and_counted_in_the_store(store):
    """A page of pairs is read from the store in the whole list's order (coverage, then the
    pair's ids: ties included), and counted there, for every filter."""
    from storyline.records import ReusePair

    arts = [make_article(f"Paged pair body {k}.") for k in range(9)]
    store.add_articles(arts)
    pairs = [ReusePair(arts[i].id, arts[j].id, "rewrite" if (i + j) % 3 else "independent", 0.8,
                       round(0.3 + 0.1 * ((i * j) % 4), 2))  # coverages repeat: ties by the ids
             for i in range(9) for j in range(i + 1, 9) if (i + j) % 2]
    store.put_reuse(pairs, "1")
    for kinds, article_id in ((None, None), (["rewrite"], None), (None, arts[2].id), (["independent"], arts[3].id)):
        whole = store.reuse(kinds=kinds, article_id=article_id)
        assert store.count_reuse(kinds=kinds, article_id=article_id) == len(whole)
        for limit, offset in ((3, 0), (3, 3), (5, 7), (4, len(whole) - 2), (2, len(whole) + 5), (0, 0)):
            assert store.reuse(kinds=kinds, article_id=article_id, limit=limit, offset=offset) == \
                whole[offset:offset + limit]
        assert store.reuse(kinds=kinds, article_id=article_id, offset=2) == whole[2:]
    assert len(store.reuse()) == len(pairs) and store.count_reuse(kinds=["partial"]) == 0


def test_reuse_among_keeps_only_pairs_inside_the_ids(store):
    from storyline.records import ReusePair

    a, b, c, d = (make_article(f"Among body {k}.") for k in range(4))
    store.add_articles([a, b, c, d])
    inside = ReusePair(b.id, a.id, "rewrite", 0.9, 0.5)
    stronger = ReusePair(c.id, a.id, "syndicated", 0.9, 0.9)
    leaving = ReusePair(a.id, d.id, "partial", 0.9, 0.95)  # d is not among the ids
    store.put_reuse([inside, stronger, leaving], "1")
    assert store.reuse_among([a.id, b.id, c.id]) == [stronger, inside]  # most covered first
    assert store.reuse_among([d.id, a.id]) == [leaving]
    assert store.reuse_among([b.id]) == [] and store.reuse_among([]) == []
    # Read again (the SQL stores keep decoded pairs): the same; a pair compared again, even
    # under the same version, is read as it is now, not as it was decoded before.
    assert store.reuse_among([a.id, b.id, c.id]) == [stronger, inside]
    again = dataclasses.replace(inside, kind="partial", coverage=0.95)
    store.put_reuse([again], "1")
    assert store.reuse_among([a.id, b.id, c.id]) == [again, stronger]
    assert store.reuse_among([a.id, d.id]) == [leaving]


# --- stories ---------------------------------------------------------------------------------


def test_stories_memberships_merges_and_lookup(store):
    arts = [make_article(f"Story body {k}.") for k in range(4)]
    store.add_articles(arts)
    a, b, c, d = (x.id for x in arts)
    s1 = Story(a, "Ana Ortiz, Port Selby: the harbour wall", (a, b), "2026-03-10", "2026-03-11",
               headline="The harbour wall", key_entities=("Ana Ortiz", "Port Selby"))
    s2 = Story(c, "A second story", (c,), None, None, undated=1)
    members = [Membership(a, a, 0), Membership(b, a, 1), Membership(c, c, 2)]
    store.put_stories([s1, s2], members, [], "1", "2026-03-12T00:00:00")
    assert store.story_members() == members
    assert store.story_members("2") == []
    assert store.stories() == [s1, s2]  # largest first
    assert store.story(a) == s1 and store.story(c[:6]) == s2 if c[:6] != a[:6] else True
    assert store.story_of(b) == a and store.story_of(d) is None
    assert store.story("zzzz") is None

    # The second story merges into the first: its members move, its row goes.
    merged = dataclasses.replace(s1, article_ids=(a, b, c, d), last="2026-03-13")
    store.put_stories([merged], [Membership(c, a, 2), Membership(d, a, 3)], [c], "1", "2026-03-13T00:00:00")
    assert store.stories() == [merged]
    assert [m.story_id for m in store.story_members()] == [a, a, a, a]
    store.clear_stories()
    assert store.stories() == [] and store.story_members() == []


def test_stories_filtered_by_words_outlet_person_and_dates(store):
    arts = [
        make_article("The harbour wall vote passed on Monday.", title="Wall vote", outlet="Selby Post"),
        make_article("Councillors argued about the harbour wall.", outlet="Bay News"),
        make_article("The orchestra toured the coast.", title="Orchestra tour", outlet="bay news"),
        make_article("A quiet week at the library.", outlet="Ákos Daily"),
    ]
    store.add_articles(arts)
    a, b, c, d = (x.id for x in arts)
    store.put_analyses([sample_analysis(a), sample_analysis(c, speaker="Ángela Núñez")], "v1")
    wall = Story(a, "the harbour wall", (a, b), "2026-03-10", "2026-03-11")
    tour = Story(c, "the orchestra", (c,), "2026-03-20", "2026-03-20")
    quiet = Story(d, "the library", (d,), None, None, undated=1)
    members = [Membership(a, a, 0), Membership(b, a, 1), Membership(c, c, 2), Membership(d, d, 3)]
    store.put_stories([wall, tour, quiet], members, [], "1", "2026-03-21")

    def ids(**filters):
        return [s.id for s in store.stories(**filters)]

    assert ids() == [a, c, d]  # largest first, then the latest; undated last on every backend
    assert ids(query="harbour") == [a] and ids(query="HARBOURS wall") == [a]  # stemmed, every word
    assert ids(query="orchestra") == [c] and ids(query="zeppelin") == [] and ids(query="...") == []
    assert ids(outlet="Bay News") == [a, c] and ids(outlet="selby post") == [a] and ids(outlet="Selby") == []
    assert ids(person="ortiz") == [a] and ids(person="Ana Ortiz") == [a] and ids(person="Núñez") == [c]
    assert ids(person="%") == [] and ids(person="_na") == []  # wildcards are plain characters
    assert ids(since="2026-03-11") == [a, c] and ids(since="2026-03-12") == [c]
    assert ids(until="2026-03-10") == [a] and ids(until="2026-03-09") == []
    assert ids(outlet="bay news", query="wall", since="2026-03-01", until="2026-03-31") == [a]
    assert ids(outlet="Bay News", limit=1, offset=1) == [c]
    found = store.stories(query="orchestra")[0]
    assert found == tour
    assert {o.outlet for o in store.outlets()} == {"Selby Post", "Bay News", "bay news", "Ákos Daily"}
    assert all(o.articles == 1 for o in store.outlets())


def test_a_failing_story_batch_is_rolled_back_whole(store):
    a = make_article("A story body.")
    store.add_articles([a])
    story = Story(a.id, "Label", (a.id,))
    with pytest.raises(StoreError):
        # The second membership names no stored article: nothing of the batch may stay.
        store.put_stories([story], [Membership(a.id, a.id, 0), Membership("0" * 16, a.id, 1)], [], "1", "2026-01-01")
    assert store.stories() == [] and store.story_members() == []


# --- search ------------------------------------------------------------------------------------


def test_search_finds_words_in_titles_and_bodies(store):
    a = make_article("The harbour authority approved the new ferry timetable on Monday.", title="Ferry changes")
    b = make_article("Volunteers planted four hundred oak saplings along the river.", title="Saplings by the river")
    store.add_articles([a, b])
    assert [x.id for x in store.search("timetable")] == [a.id]
    assert [x.id for x in store.search("FERRY")] == [a.id]          # case ignored; title and body
    assert [x.id for x in store.search("saplings")] == [b.id]       # title word
    assert [x.id for x in store.search("sapling")] == [b.id]        # stemmed
    assert [x.id for x in store.search("oak river")] == [b.id]      # every word must occur
    assert store.search("oak timetable") == []
    assert store.search("zeppelin") == []
    found = store.search("timetable")[0]
    assert found.body == a.body and found.title == "Ferry changes" and found.raw is None


def test_search_ranks_and_pages(store):
    articles = [make_article(f"Report {i}: the orchestra toured the coast." + " orchestra" * i) for i in range(4)]
    store.add_articles(articles)
    ids = [x.id for x in store.search("orchestra")]
    assert sorted(ids) == sorted(a.id for a in articles)
    assert [x.id for x in store.search("orchestra", limit=2)] == ids[:2]
    assert [x.id for x in store.search("orchestra", limit=2, offset=2)] == ids[2:]
    assert [x.id for x in store.search("orchestra", offset=3)] == ids[3:]


def test_search_takes_any_text_as_plain_words(store):
    a = make_article('He said "NEAR" and OR, then AND: the meeting (held at noon) ended.')
    store.add_articles([a])
    for query in ['"', "meeting OR", "NEAR(meeting", "meeting*", "-meeting", "body:meeting", "'; DROP TABLE x"]:
        store.search(query)  # never a syntax error
    assert [x.id for x in store.search('meeting" noon')] == [a.id]
    assert store.search("") == [] and store.search("  ...  ") == []


def test_search_skips_present_duplicates_and_survives_reopen(store_url):
    s = open_store(store_url)
    a = make_article("A lighthouse keeper retired after forty years.")
    s.add_articles([a, a])
    s.add_articles([a])
    assert [x.id for x in s.search("lighthouse")] == [a.id]
    s.close()
    again = open_store(store_url)
    try:
        assert [x.id for x in again.search("keeper")] == [a.id]
    finally:
        again.close()


def test_a_store_made_before_search_gets_its_articles_indexed(store_url, monkeypatch):
    before = [m for m in migrations() if m[0] < 5]
    with monkeypatch.context() as m:
        m.setattr(migrate, "migrations", lambda: before)
        old = open_store(store_url)
        assert old.schema_version() == 4
        old.add_articles([make_article("The glacier retreated by twelve metres.", title="Glacier")])
        old.close()
    upgraded = open_store(store_url)
    try:
        assert upgraded.schema_version() == migrations()[-1][0] >= 5
        assert [x.title for x in upgraded.search("glacier metres")] == ["Glacier"]
        upgraded.add_articles([make_article("Another glacier was measured in spring.")])
        assert len(upgraded.search("glacier")) == 2
    finally:
        upgraded.close()


def test_quotes_stored_before_the_listing_index_keep_their_order(store_url, monkeypatch):
    from storyline.store.sql import analysis

    before = [m for m in migrations() if m[0] < 6]
    first, second = make_article("First body."), make_article("Second body.")
    with monkeypatch.context() as m:
        m.setattr(migrate, "migrations", lambda: before)
        old = open_store(store_url)
        assert old.schema_version() == 5
        old.add_articles([first, second])
        # As version 5 wrote quotes (no article_seq column), second article first.
        for article in (second, first):
            old.db.run_many("INSERT INTO analyses (article_id, version, analysed_at) VALUES (?, ?, ?)",
                          [(article.id, "v1", "2026-01-01")])
            old.db.run_many(f"INSERT INTO quotes ({analysis.QUOTE_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                          [analysis.quote_row(article.id, pos, q) for pos, q in enumerate(sample_analysis(article.id).quotes)])
        old.close()
    upgraded = open_store(store_url)
    try:
        listed = upgraded.quotes()
        assert [q.article_id for q in listed] == [first.id] * 4 + [second.id] * 4
        assert [q.start for q in listed[:4]] == sorted(q.start for q in listed[:4])
        assert [q.article_id for q in upgraded.quotes("ana ortiz", limit=2, offset=1)] == [first.id, second.id]
        third = make_article("Third body.")
        upgraded.add_articles([third])
        upgraded.put_analyses([sample_analysis(third.id)], "v1")
        assert [q.article_id for q in upgraded.quotes()][-4:] == [third.id] * 4
    finally:
        upgraded.close()


def test_dialect_sections_of_a_migration():
    from storyline.store.sql.migrate import for_dialect

    ddl = "A;\n-- dialect: sqlite\nB;\n-- dialect: postgres\nC;\n"
    assert for_dialect(ddl, "sqlite").split() == ["A;", "B;"]
    assert for_dialect(ddl, "postgres").split() == ["A;", "C;"]
    assert for_dialect("X;\nY;", "sqlite") == "X;\nY;"


# --- reuse steps: sentence vectors, candidate pairs (migration 007) ---------------------------


def test_sentence_vectors_round_trip_as_float16(store):
    import numpy as np

    from storyline.store.records import SentenceVectors

    a, b, c = (make_article(f"Vector body {k}. Second sentence.") for k in range(3))
    store.add_articles([a, b, c])
    assert store.unembedded("1") == [a.id, b.id, c.id]
    rng = np.random.default_rng(1)
    matrix = rng.standard_normal((2, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    store.put_sentence_vectors({a.id: SentenceVectors(((0, 15), (16, 32)), matrix),
                                b.id: SentenceVectors((), np.zeros((0, 384), np.float32))}, "1")
    assert store.unembedded("1") == [c.id]
    assert store.unembedded("2") == [a.id, b.id, c.id]
    back = store.sentence_vectors([c.id, b.id, a.id, "nope"])
    assert set(back) == {a.id, b.id}
    assert back[a.id].spans == ((0, 15), (16, 32)) and back[a.id].matrix.dtype == np.float32
    assert np.abs(back[a.id].matrix - matrix).max() < 1e-3  # float16: about three digits
    assert back[b.id].spans == () and back[b.id].matrix.shape == (0, 384)
    assert store.sentence_vectors([a.id], "2") == {}
    # Replacing keeps one row per article.
    store.put_sentence_vectors({a.id: SentenceVectors(((0, 15),), matrix[:1])}, "2")
    assert store.sentence_vectors([a.id], "2")[a.id].spans == ((0, 15),)
    with pytest.raises(StoreError):
        store.put_sentence_vectors({"missing": SentenceVectors(((0, 1),), matrix[:1])}, "1")


def test_candidates_due_stored_and_uncompared(store):
    from storyline.records import ReusePair
    from storyline.store.records import CandidatePair

    a, b, c = (make_article(f"Candidate body {k}.") for k in range(3))
    store.add_articles([a, b, c])
    assert store.candidates_due("1", "1") == []  # nothing fingerprinted yet
    store.put_fingerprints([_fingerprint(a.id, 1), _fingerprint(b.id, 2), _fingerprint(c.id, 3)], [], "1")
    assert store.candidates_due("1", "1") == [a.id, b.id, c.id]
    assert store.candidates_due("1", "2") == []
    store.put_candidates([CandidatePair(b.id, a.id, "words"), CandidatePair(a.id, c.id, "vector")], [a.id], "1")
    # The same pair found again (either way round) is kept once, with how it was first found.
    store.put_candidates([CandidatePair(a.id, b.id, "shingles")], [b.id], "1")
    assert store.candidates_due("1", "1") == [c.id]
    assert store.candidates_due("2", "1") == [a.id, b.id, c.id]
    ab, ac = sorted((a.id, b.id)), sorted((a.id, c.id))
    assert store.candidates(a.id) == sorted([CandidatePair(*ab, "words"), CandidatePair(*ac, "vector")])
    assert store.candidates(b.id) == [CandidatePair(*ab, "words")]
    assert store.uncompared("1") == sorted([ComparedPair(*ab), ComparedPair(*ac)])
    store.put_reuse([ReusePair(b.id, a.id, "independent", 0.5, 0.1)], "1")
    assert store.uncompared("1") == [ComparedPair(*ac)]
    assert store.uncompared("2") == sorted([ComparedPair(*ab), ComparedPair(*ac)])  # older version: again
    # A new fingerprint changes the article's buckets: its candidates are due again.
    store.put_fingerprints([_fingerprint(a.id, 1)], [], "1")
    assert store.candidates_due("1", "1") == [a.id, c.id]
    with pytest.raises(StoreError):
        store.put_candidates([CandidatePair(a.id, "missing", "words")], [], "1")


def test_pairs_compared_before_stored_candidates_stay_due_for_a_new_version(store_url, monkeypatch):
    from storyline.records import ReusePair

    a, b = make_article("Old pair one."), make_article("Old pair two.")
    with monkeypatch.context() as m:  # a store as version 6 left it
        m.setattr(migrate, "migrations", lambda: migrations()[:6])
        with closing(open_store(store_url)) as old:
            old.add_articles([a, b])
            old.put_reuse([ReusePair(a.id, b.id, "rewrite", 0.9, 0.8)], "1")
    upgraded = open_store(store_url)
    try:
        key = ComparedPair(*sorted((a.id, b.id)))
        assert [c.found_by for c in upgraded.candidates(a.id)] == ["compared"]
        assert upgraded.uncompared("1") == [] and upgraded.uncompared("2") == [key]
    finally:
        upgraded.close()


def test_a_pair_is_compared_again_when_one_of_its_articles_is_analysed_again(store):
    from storyline.records import Analysis, ReusePair
    from storyline.store.records import CandidatePair

    a, b = (make_article(f"Reanalysed body {k}.") for k in range(2))
    store.add_articles([a, b])
    store.put_analyses([Analysis(a.id), Analysis(b.id)], "1")
    store.put_fingerprints([_fingerprint(a.id, 1), _fingerprint(b.id, 2)], [], "1")
    store.put_candidates([CandidatePair(a.id, b.id, "words")], [a.id, b.id], "1")
    key = ComparedPair(*sorted((a.id, b.id)))
    assert store.uncompared("1") == [key]
    store.put_reuse([ReusePair(a.id, b.id, "rewrite", 0.9, 0.5)], "1")
    assert store.uncompared("1") == []
    # A new analyzer re-analyses b: the pair's changes read b's analysis, so it is due again ...
    store.put_analyses([Analysis(b.id)], "2")
    assert store.uncompared("1") == [key]
    # ... until it is compared again.
    store.put_reuse([ReusePair(a.id, b.id, "rewrite", 0.9, 0.5)], "1")
    assert store.uncompared("1") == []
