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
