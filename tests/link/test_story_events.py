"""Event mentions: what the article says itself, not its speakers' words; labels without the
wire's dateline (texts written for these tests)."""

from __future__ import annotations

import pytest

from storyline.link.stories.events import _label, quoted

BODY = ("The council met on Tuesday.\n"
        "\u201cFor ten years we waited,\u201d she said. \u201cToday we have the vote and the money. Now we build.\u201d\n"
        "On Tuesday the council voted 31 to 19.\n"
        "Whitlow called it \u201creckless\u201d on Monday. Then it passed.\n"
        "\"We start in May,\" he said on Wednesday. The work began on Thursday.")


@pytest.mark.parametrize("sentence, inside", [
    ("\u201cToday we have the vote", True),  # opens with a mark
    ("Now we build.", True),  # a mark opened earlier in the paragraph is still open
    ("On Tuesday the council voted", False),
    ("Whitlow called it", False),  # a partial quote inside the sentence
    ("Then it passed.", False),  # after a closed partial quote
    ("The work began on Thursday.", False),  # after straight marks that closed
    ("The council met on Tuesday.", False),
])
def test_a_sentence_inside_quotation_marks_is_the_speaker_s(sentence, inside):
    start = BODY.index(sentence)
    assert quoted(BODY, start, start + len(sentence)) is inside


@pytest.mark.parametrize("sentence, label", [
    ("HARBOURNE, March 17 (Meridian Press) - Regional Infrastructure Minister Dev Raman on Tuesday ordered an audit.",
     "Regional Infrastructure Minister Dev Raman on Tuesday ordered an audit."),
    ("LONDON (Reuters) - Prices rose on Monday.", "Prices rose on Monday."),
    ("The US said on Monday it would act.", "The US said on Monday it would act."),
    ("NATO said on Monday it would act.", "NATO said on Monday it would act."),
])
def test_an_event_label_leaves_out_the_wire_dateline(sentence, label):
    assert _label(sentence) == label


def test_the_dateline_pattern_is_linear_on_hostile_input():
    import time

    text = "A" * 5000 + " " + "-" * 5000
    started = time.perf_counter()
    _label(text)
    assert time.perf_counter() - started < 1.0


def test_an_event_is_labelled_by_a_whole_sentence_not_a_headline_cut_with_dots():
    import datetime as dt

    import numpy as np

    from storyline.link.stories.events import Mention, group_events
    from storyline.records import Article

    cut = "Port Selby ferry sold on Monday as islanders fear the winter ..."
    whole = "Port Selby ferry sold on Monday."
    bodies = {aid: Article(id=aid, content_hash=aid, source="t", body=text) for aid, text in
              (("a", cut), ("b", cut), ("c", whole))}
    day = dt.date(2026, 3, 2)
    # "a" and "b" are the most central (two alike); "c" is a little apart
    vectors = {"a": np.array([1.0, 0.0]), "b": np.array([1.0, 0.0]), "c": np.array([0.8, 0.6])}
    found = [Mention(aid, 0, len(bodies[aid].body), vectors[aid], day, (18, 24, "Monday"), False) for aid in "abc"]
    [event] = group_events("s", found, [], bodies)
    assert event.label == whole and set(event.article_ids) == {"a", "b", "c"}


# --- headlines: a story told by briefs (a headline dump, feed entries without their pages) ------

def _brief(aid: str, text: str, published: str | None = "2026-03-02"):
    from storyline.records import Article, FieldSource

    fields = {"body": FieldSource("inferred", "the headline stands for the body")}
    return Article(id=aid, content_hash=aid, source="t", body=text, title=text, published=published, fields=fields)


def _sentence(aid: str, text: str, vector):
    import numpy as np

    from storyline.link.stories.dates import DatedSentence

    return DatedSentence(aid, 0, len(text), np.asarray(vector, dtype=np.float32), ())


def test_a_brief_s_headline_is_an_event_mention_of_its_publication_day():
    import datetime as dt

    from storyline.link.stories.events import headline_mention
    from storyline.records import Article

    day = dt.date(2026, 3, 2)
    head = "Harbourne council approves the tidal barrier"
    brief = _brief("a", head)
    got = headline_mention(brief, [_sentence("a", head, [1.0, 0.0])], day, inferred=False)
    assert got is not None and (got.day, got.when, got.brief, got.start, got.end) == (day, None, True, 0, len(head))
    assert headline_mention(brief, [_sentence("a", head, [1.0, 0.0])], None, inferred=False) is None  # undated
    short = _brief("b", "Barrier review roundup")
    assert headline_mention(short, [_sentence("b", short.body, [1.0, 0.0])], day, inferred=False) is None
    full = Article(id="c", content_hash="c", source="t", body=head)  # a full article's sentence names no day
    assert headline_mention(full, [_sentence("c", head, [1.0, 0.0])], day, inferred=False) is None


def _headline(aid: str, vector, day):
    import numpy as np

    from storyline.link.stories.events import Mention

    return Mention(aid, 0, 10, np.asarray(vector, dtype=np.float64) / np.linalg.norm(vector), day, None, False, True)


def test_headlines_group_by_average_link_and_never_chain():
    import datetime as dt

    from storyline.link.stories.events import group_events

    day = dt.date(2026, 3, 2)
    # a ~ b (cosine 0.6) and b ~ c (0.8), a and c unrelated (0.0): single link would make one
    # event of three headlines on two subjects; d restates a.
    vectors = {"a": [1.0, 0.0, 0.0], "b": [0.6, 0.8, 0.0], "c": [0.0, 1.0, 0.0], "d": [0.98, 0.0, 0.2]}
    bodies = {aid: _brief(aid, f"headline {aid} of the barrier story") for aid in vectors}
    found = [_headline(aid, v, day) for aid, v in vectors.items()]
    events = group_events("s", found, [], bodies)
    groups = sorted(sorted(e.article_ids) for e in events)
    assert ["a", "d"] in groups and not any({"a", "c"} <= set(g) for g in groups)
    event = next(e for e in events if set(e.article_ids) == {"a", "d"})
    assert event.date == "2026-03-02" and event.date_source == "published" and event.date_evidence == ()


def test_one_brief_s_headline_alone_is_no_event_but_a_full_article_s_sentence_is():
    import datetime as dt

    import numpy as np

    from storyline.link.stories.events import Mention, group_events
    from storyline.records import Article

    day = dt.date(2026, 3, 2)
    bodies = {"a": _brief("a", "Harbourne council approves the tidal barrier"),
              "f": Article(id="f", content_hash="f", source="t", body="The council met on Monday to vote.")}
    lone = _headline("a", [1.0, 0.0], day)
    assert group_events("s", [lone], [], bodies) == []
    told = Mention("f", 0, len(bodies["f"].body), np.array([0.0, 1.0]), day, (16, 22, "Monday"), False)
    [event] = group_events("s", [told], [], bodies)
    assert event.date_source == "text" and event.date_evidence[0].text == "Monday"


def test_a_headline_joins_the_event_the_day_s_articles_tell_without_joining_two():
    import datetime as dt

    import numpy as np

    from storyline.link.stories.events import Mention, group_events
    from storyline.records import Article

    day = dt.date(2026, 3, 2)
    vote = "The council voted for the barrier on Monday."
    strike = "Ferry crews went on strike on Monday."
    bodies = {"v": Article(id="v", content_hash="v", source="t", body=vote),
              "s": Article(id="s", content_hash="s", source="t", body=strike),
              "h": _brief("h", "Council backs barrier as ferry crews strike")}
    found = [Mention("v", 0, len(vote), np.array([1.0, 0.0]), day, (36, 42, "Monday"), False),
             Mention("s", 0, len(strike), np.array([0.0, 1.0]), day, (29, 35, "Monday"), False),
             _headline("h", [0.8, 0.6], day)]  # close to both: joins the nearer, the vote
    events = group_events("s", found, [], bodies)
    assert sorted(sorted(e.article_ids) for e in events) == [["h", "v"], ["s"]]
    joined = next(e for e in events if "h" in e.article_ids)
    assert joined.date_source == "text" and [c.article_id for c in joined.date_evidence] == ["v"]


def test_average_link_merges_by_mean_cosine():
    import numpy as np

    from storyline.link.stories.events import average_link

    v = np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [0.28, 0.96]])
    assert average_link(v, 0.9) == [[0, 1], [2, 3]]
    assert average_link(v, 0.0) == [[0, 1, 2, 3]]
    assert average_link(v, 0.99) == [[0], [1], [2], [3]]
    assert average_link(np.zeros((0, 2)), 0.5) == []


def test_a_story_of_one_brief_keeps_the_day_its_headline_names():
    import datetime as dt

    import numpy as np

    from storyline.link.stories.events import Mention, group_events

    day = dt.date(2026, 3, 2)
    text = "Harbourne council votes on the barrier on Monday"
    bodies = {"a": _brief("a", text)}
    named = Mention("a", 0, len(text), np.array([1.0, 0.0]), day, (42, 48, "Monday"), False, True)
    [event] = group_events("s", [named], [], bodies)
    assert event.date_source == "text" and event.article_ids == ("a",)
    # in a story of several, the same lone headline is no event (nothing restates it)
    bodies["b"] = _brief("b", "Ferry crews walk out at Port Selby")
    assert group_events("s", [named], [], bodies) == []


def test_average_link_is_not_single_link_and_a_nan_merges_nothing():
    import numpy as np

    from storyline.link.stories.events import average_link

    # 0 ~ 1 and 1 ~ 2 at 0.8, 0 and 2 at 0.28: single link at 0.7 chains all three, average
    # link merges a pair and then stops (the pair's mean with 2 is (0.28 + 0.8) / 2 = 0.54).
    v = np.array([[1.0, 0.0], [0.8, 0.6], [0.28, 0.96]])
    assert average_link(v, 0.7) == [[0, 1], [2]]
    assert average_link(np.array([[np.nan, 0.0], [1.0, 0.0]]), 0.5) == [[0], [1]]


def test_a_timestamp_line_is_no_event():
    """"Tuesday 28 April 2009 22.34 BST" states a time (six words, one beside the date): no
    event; a sentence that says what happened that day is one."""
    import datetime as dt

    import numpy as np

    from storyline.link.stories.dates import DatedSentence
    from storyline.link.stories.events import mentions
    from storyline.records import Article, TimePoint

    stamp = "Tuesday 28 April 2009 22.34 BST"
    told = "The council voted on 28 April 2009 to build the barrier."
    body = stamp + "\n" + told
    article = Article(id="a", content_hash="a", source="t", body=body)
    start = len(stamp) + 1
    sentences = [
        DatedSentence("a", 0, len(stamp), np.ones(2, dtype=np.float32),
                      (TimePoint("a", "Tuesday 28 April 2009", 0, 21, "DATE", "2009-04-28"),)),
        DatedSentence("a", start, len(body), np.ones(2, dtype=np.float32),
                      (TimePoint("a", "28 April 2009", start + 21, start + 34, "DATE", "2009-04-28"),)),
    ]
    found = mentions(article, sentences, dt.date(2009, 4, 29), False)
    assert [(m.start, m.day) for m in found] == [(start, dt.date(2009, 4, 28))]
