"""The story clusterer's bulk TF-IDF dot products (lexdots.py) equal sparse_dot's to the last
bit, keep a story's arrays only while it is unchanged, and the remembered IDFs follow the counts."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.link.stories.features import Item
from storyline.link.stories.lexdots import LexDots
from storyline.link.stories.state import DocFreq, Story, sparse_dot

TERMS = [f"t{k}" for k in range(40)]
weights = st.floats(min_value=1e-6, max_value=1.0, allow_nan=False)
vectors = st.dictionaries(st.sampled_from(TERMS), weights, max_size=25)


@settings(max_examples=200, deadline=None)
@given(query=vectors, others=st.lists(vectors, max_size=8))
def test_bulk_dots_equal_one_at_a_time(query, others):
    dots = LexDots()
    got = dots.dots(dots.member(0, query), [dots.member(k + 1, v) for k, v in enumerate(others)])
    assert got == [sparse_dot(query, v) for v in others]  # exact, not approximate


@settings(max_examples=200, deadline=None)
@given(query=vectors, sums=st.dictionaries(st.sampled_from(TERMS), st.integers(1, 2**70), max_size=25))
def test_bulk_dots_with_a_storys_integer_sums_equal_one_at_a_time(query, sums):
    # A story's summed vector is fixed-point integers, past 2**53 (and past int64) on a long
    # profile: converted to float as Python's float * int converts them.
    dots = LexDots()
    assert dots.dots(dots.member(0, query), [dots.arrays(sums)]) == [sparse_dot(query, sums)]


def test_numbering_starts_again_when_the_vocabulary_outgrows_the_active_terms():
    dots = LexDots()
    vecs = {seq: {f"w{seq}": 1.0, "shared": 0.5} for seq in range(70000)}
    for seq, vec in vecs.items():
        dots.member(seq, vec)
    dots.forget(vecs, {}, len(vecs), terms=10)
    assert not dots._num and not dots._members
    query = dots.member(1, vecs[1])
    assert dots.dots(query, [dots.member(2, vecs[2]), dots.member(1, vecs[1])]) == [0.25, 1.25]


def test_story_arrays_follow_its_changes_and_a_new_story_under_its_key():
    dots = LexDots()
    query = {"storm": 0.6, "harbour": 0.8}
    q = dots.member(0, query)
    story = Story("a", 0)
    story.add(0, Item("a", None, {}, None), {"storm": 1.0})
    first = dots.dots(q, [dots.story(story)])[0]
    assert first == sparse_dot(query, story.lex) and first > 0
    story.add(1, Item("b", None, {}, None), {"harbour": 1.0})  # changed in place
    assert dots.dots(q, [dots.story(story)])[0] == sparse_dot(query, story.lex) > first
    merged = Story("a", 0)  # what a merge leaves under the old key
    merged.add(0, Item("a", None, {}, None), {"storm": 1.0})
    assert dots.dots(q, [dots.story(merged)])[0] == first
    merged.lex, merged.lex_sq = {}, 0  # what retiring a story leaves (a new, empty vector)
    assert dots.dots(q, [dots.story(merged)]) == [0.0]


def test_forgetting_keeps_what_is_held():
    dots = LexDots()
    vecs = {seq: {f"w{seq}": 1.0} for seq in range(5000)}
    for seq, vec in vecs.items():
        dots.member(seq, vec)
    held = {4999: vecs[4999]}
    dots.forget(held, {}, len(held), terms=1)
    assert list(dots._members) == [4999]
    assert dots.dots(dots.member(4999, vecs[4999]), [dots.member(4999, vecs[4999])]) == [1.0]


def test_remembered_idf_follows_the_counts():
    df = DocFreq(prior=2.0)
    df.add(["#x", "y"])
    before = df.idf("y")
    assert before == math.log(3.0 / 2)
    df.add(["z"])  # the count of documents changed
    assert df.idf("y") == math.log(4.0 / 2)
    df.df = {"y": 3}  # replaced wholesale (a shard's counts)
    assert df.idf("y") == math.log(4.0 / 4)
    df.n = 10
    assert df.idf("y") == math.log(12.0 / 4)
