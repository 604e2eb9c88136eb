"""The story clusterer's rules added for held-out recall (issue 18): each on tiny items built
here, with the rule on and off."""

from __future__ import annotations

import dataclasses

import pytest
from story_synth import basis, blend, unit

from storyline.link.stories.cluster import DEFAULT, Item, Params, StoryClusterer
from storyline.link.stories.features import number_keys, term_weights


def text_item(i: str, vec, text: str, ents=()) -> Item:
    return Item(i, vec, {e: 1.0 for e in ents}, None, text, term_weights(text))


def background(c: StoryClusterer, n: int = 20) -> None:
    """Unrelated items, so that common words and names get a low IDF."""
    for k in range(n):
        c.add(text_item(f"bg{k}", basis(500 + k), f"markets stocks shares report week {k}"))


# ------------------------------------------------------------------ short items

def test_short_items_are_held_to_the_short_threshold():
    head = text_item("h", basis(1), "Titanfall review lands")
    body = text_item("b", basis(1), " ".join(f"word{k}" for k in range(DEFAULT.short_terms + 1)))
    bare = Item("n", basis(1), {"x": 1.0}, None)  # no text: no lexical evidence, full bar
    assert DEFAULT.join_bar(head) == DEFAULT.short_join_threshold < DEFAULT.join_threshold
    assert DEFAULT.join_bar(body) == DEFAULT.join_bar(bare) == DEFAULT.join_threshold
    with pytest.raises(ValueError, match="short_join_threshold"):
        Params(short_join_threshold=DEFAULT.join_threshold + 0.1)


def test_a_headline_joins_the_story_of_its_headlines_at_the_short_threshold():
    """Two headlines on one story share a rare word and a loosely related vector: too little
    for an article, enough for a headline. With the short threshold at the full one they stay
    apart; a headline on another subject stays apart either way."""
    a, b = basis(30), basis(31)
    outcome = {}
    for name, params in [("short", DEFAULT), ("off", dataclasses.replace(DEFAULT, short_join_threshold=DEFAULT.join_threshold))]:
        c = StoryClusterer(params)
        background(c)
        c.add(text_item("h1", a, "Plosser sees high bar for taper"))
        outcome[name] = (c.add(text_item("h2", blend(a, b, 0.6), "Plosser taper comments weigh on bonds")),
                         c.add(text_item("h3", blend(a, basis(32), 0.6), "Console sales fall for the quarter")))
    assert outcome["short"] == ("h1", "h3")
    assert outcome["off"] == ("h2", "h3")


# ------------------------------------------------------------------ number keys

def test_clock_times_are_not_number_keys():
    keys = number_keys("Posted 7:35 am, updated 13:45:10 and 1:00pm CST; 288 candidates in 2013, 12/16/08")
    assert "#2013" in keys and "#288" in keys and "#16" in keys
    assert not {"#35", "#45", "#10", "#00", "#13"} & set(keys)
