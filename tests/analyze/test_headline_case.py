"""Names in Title Case headlines are cut where the tagger ran them into a verb or a punctuation
mark (analyze/headline_case.py), in a title read apart and in a brief whose body is a headline;
names in sentence case, first names that are verbs and names of two words are left alone.
Headlines written for these tests."""

from __future__ import annotations

import pytest

from storyline.analyze.headline_case import title_cased
from storyline.ingest.convert import content_hash
from storyline.records import Article


def names(analysis, type_=None) -> set[str]:
    return {e.name for e in analysis.entities if type_ is None or e.type == type_}


@pytest.mark.parametrize("headline, person", [
    ("Harriet Quill Wants Revenge After Council Vote", "Harriet Quill"),
    ("Mayor Tobias Renfrew Defends Ferry Sale To Critics", "Tobias Renfrew"),
    ("Harriet Quill - Harriet Quill Speaks At Port Selby Rally", "Harriet Quill"),
    ("Harriet Quill Performing At The Harbour Festival", "Harriet Quill"),
    ("Tobias Renfrew Resigns After Ferry Vote", "Tobias Renfrew"),
    ("Harriet Quill  Wants Revenge After Council Vote", "Harriet Quill"),  # a scraped double space
    ("Harriet Quill\tWants Revenge After Council Vote", "Harriet Quill"),
])
def test_a_name_run_into_a_headlines_verb_is_cut_before_it(analyze, headline, person):
    found = names(analyze(headline), "PERSON")
    assert person in found, found
    assert not any(name.startswith(person + " ") for name in found), found


def test_a_first_name_that_is_a_verb_and_an_organisation_with_of_stay_whole(analyze):
    assert "Grant Holloway" in names(analyze("Grant Holloway's New Ferry Timetable Revealed"), "PERSON")
    # "welles" read in lower case looks like a verb; after a first name it is a surname
    assert any(n.startswith("Orson Welles") for n in names(analyze("Orson Welles Film Restored For Festival")))
    assert "Bank Of England" in names(analyze("Bank Of England Record Keeping Has Shades Of Nixon"), "ORG")


def test_a_name_written_twice_across_a_dash_is_cut_at_the_dash_in_any_case(analyze):
    for text in ("Harriet Quill - Harriet Quill fan arrested after ferry protest",
                 "Harriet Quill - Harriet Quill Fan Arrested After Ferry Protest"):
        found = names(analyze(text), "PERSON")
        assert "Harriet Quill" in found and not any("-" in n for n in found), (text, found)


def test_sentence_case_is_left_as_the_model_reads_it(analyze, analyzer):
    text = "Harriet Quill wants revenge after the council vote in Port Selby, her office said on Monday."
    assert not title_cased(analyzer.nlp(text))
    assert title_cased(analyzer.nlp("Harriet Quill Wants Revenge After Council Vote"))
    assert "Harriet Quill" in names(analyze(text), "PERSON")


def test_a_title_read_apart_gets_the_same_cut(analyzer):
    body = "The former councillor said on Monday that she would stand again. She gave no date."
    article = Article(id=content_hash(body)[:16], content_hash=content_hash(body), source="/in/a.txt", body=body,
                      title="Harriet Quill Wants Revenge After Council Vote")
    [analysis] = analyzer.analyze([article])
    people = {e.name for e in analysis.title_entities if e.type == "PERSON"}
    assert "Harriet Quill" in people and not any(p.startswith("Harriet Quill ") for p in people)


def _cut_person(analyzer, text: str, name: str) -> str | None:
    """The PERSON ``name`` of ``text`` (set by hand, whatever the model reads) after the cut."""
    from storyline.analyze.headline_case import cut_run_ons
    from storyline.analyze.nlp import new_span

    doc = analyzer.nlp(text)
    span = doc.char_span(text.index(name), text.index(name) + len(name))
    doc.ents = [new_span(doc, span.start, span.end, "PERSON")]
    cut = cut_run_ons(doc, analyzer.nlp)
    return next((e.text for e in cut.ents if e.label_ == "PERSON"), None)


@pytest.mark.parametrize("text, swallowed, person", [
    ("Bachelor Juan Pablo Quellaro Picks His Winner Tonight", "Bachelor Juan Pablo Quellaro", "Juan Pablo Quellaro"),
    ("Unpopular Harriet Jane Quill picks a winner on the show", "Unpopular Harriet Jane Quill", "Harriet Jane Quill"),
    ("The Bachelor Juan Pablo 2014 Finale Spoilers Are Out", "Juan Pablo 2014", "Juan Pablo"),
])
def test_a_description_in_front_of_a_name_and_a_year_after_it_are_cut(analyzer, text, swallowed, person):
    """A headline's describing word runs into the name ("Bachelor Juan Pablo Galavis", whose
    first name "Bachelor" then meets no other report's "Juan Pablo Galavis"), in any case; and
    in Title Case a number after it."""
    assert _cut_person(analyzer, text, swallowed) == person


@pytest.mark.parametrize("text, person", [
    ("Pope Francis Tobias Visits The Harbour Today", "Pope Francis Tobias"),  # a title, kept
    ("Sir Tobias Renfrew Opens The Harbour Today", "Sir Tobias Renfrew"),
    ("Queen Elizabeth II Opens The Harbour Today", "Queen Elizabeth II"),  # a regnal number
    ("Harbour Tobias Opens The Festival Today", "Harbour Tobias"),  # two words: only a first name would be left
    ("Quellaro Juan Pablo was named in the report.", "Quellaro Juan"),
])
def test_titles_regnal_numbers_and_two_word_names_stay(analyzer, text, person):
    assert _cut_person(analyzer, text, person) == person


def test_a_spaced_dash_ends_a_persons_name_in_any_case(analyzer):
    """An aggregator's dash runs two people together ("Juan Pablo Quellaro - Clare Renfrew");
    a hyphenated surname has no spaces and stays whole."""
    assert _cut_person(analyzer, "Juan Pablo Quellaro - Clare Renfrew split after the final rose",
                       "Juan Pablo Quellaro - Clare Renfrew") == "Juan Pablo Quellaro"
    assert _cut_person(analyzer, "Harriet Quill-Renfrew spoke at the harbour on Monday.",
                       "Harriet Quill-Renfrew") == "Harriet Quill-Renfrew"
