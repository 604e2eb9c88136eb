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
    ("The Bachelor Juan Pablo 2014 Finale Spoilers Are Out", "Juan Pablo 2014", "Juan Pablo"),
    ("Sir Tobias Renfrew Opens The Harbour Today", "Sir Tobias Renfrew Opens", "Sir Tobias Renfrew"),
    ("Prince William Says The Harbour Must Change", "Prince William Says", "Prince William"),
    ("Aung San Suu Kyi Sentenced To Four More Years", "Aung San Suu Kyi Sentenced", "Aung San Suu Kyi"),
])
def test_a_title_case_name_is_cut_at_a_number_or_a_verb_after_a_title(analyzer, text, swallowed, person):
    """A year after a name is no part of it; a first name after a title is read as written
    ("Sir Tobias": "tobias" alone reads as a verb and cut the name to "Sir"), and so is the
    surname after it, but for a title said with a given name alone ("Prince William Says")."""
    assert _cut_person(analyzer, text, swallowed) == person


@pytest.mark.parametrize("text, person", [
    ("Pope Francis Tobias Visits The Harbour Today", "Pope Francis"),  # "Tobias" after a pope's name may go
    ("Queen Elizabeth II Opens The Harbour Today", "Queen Elizabeth II"),  # a regnal number is no digit
    ("Harriet Quill Seven Wins The Harbour Race", "Harriet Quill Seven"),  # only digits are numbers
    ("Sen. Harriet Quill Renfrew Opens The Harbour Today", "Sen. Harriet Quill Renfrew"),
])
def test_titles_regnal_numbers_and_number_words_stay(analyzer, text, person):
    assert _cut_person(analyzer, text, person).startswith(person)


@pytest.mark.parametrize("text, swallowed, person", [
    ("Bachelor Juan Pablo Quellaro Picks His Winner Tonight", "Bachelor Juan Pablo Quellaro Picks", "Juan Pablo Quellaro"),
    ("Unpopular Harriet Jane Quill picks a winner on the show", "Unpopular Harriet Jane Quill", "Harriet Jane Quill"),
    # Family names written first are no dictionary words; a hyphenated given name is one name.
    ("Aung San Suu Kyi Sentenced To Four More Years", "Aung San Suu Kyi", "Aung San Suu Kyi"),
    ("Nguyen Xuan Phuc visited the harbour on Monday.", "Nguyen Xuan Phuc", "Nguyen Xuan Phuc"),
    ("Park Geun-hye Released From Prison On Friday", "Park Geun-hye", "Park Geun-hye"),
    ("Ho Chi Minh City grew fast, officials said.", "Ho Chi Minh", "Ho Chi Minh"),
])
def test_a_describing_word_in_front_of_a_first_name_is_cut_in_any_case(analyzer, text, swallowed, person):
    """A headline's describing word runs into the name ("Bachelor Juan Pablo Galavis", whose
    first name "Bachelor" then meets no other report's "Juan Pablo Galavis"): a dictionary word
    that is no first name and no title, in front of a first name, is cut."""
    assert _cut_person(analyzer, text, swallowed) == person


def test_a_spaced_dash_ends_a_persons_name_in_any_case(analyzer):
    """An aggregator's dash runs two people together ("Juan Pablo Quellaro - Clare Renfrew");
    a hyphenated surname has no spaces and stays whole."""
    assert _cut_person(analyzer, "Juan Pablo Quellaro - Clare Renfrew split after the final rose",
                       "Juan Pablo Quellaro - Clare Renfrew") == "Juan Pablo Quellaro"
    assert _cut_person(analyzer, "Harriet Quill-Renfrew spoke at the harbour on Monday.",
                       "Harriet Quill-Renfrew") == "Harriet Quill-Renfrew"


def test_an_inflected_word_the_tagger_ran_in_front_of_a_name_is_cut(analyze):
    # The small model reads "Eliminates Harriet Quill" as one person here (checked without the cut).
    found = names(analyze("Council Eliminates Harriet Quill From Ferry Shortlist"), "PERSON")
    assert "Harriet Quill" in found and not any(n.endswith(" Harriet Quill") for n in found), found


def test_a_person_of_dictionary_words_in_a_title_case_headline_is_none(analyzer):
    from storyline.analyze.headline_case import _common_words, cut_run_ons

    words = frozenset({"nasty", "weather", "record", "loss", "skill", "parent", "xi", "tiger", "wood", "woods", "trump",
                       "give"})
    nlp = analyzer.nlp

    def kept(text: str) -> str:
        doc = nlp.make_doc(text)
        start, end = _common_words(doc, 0, len(doc), words)
        return doc[start:end].text

    assert kept("Nasty Weather") == "" and kept("Record Loss") == "" and kept("Parenting Skills") == ""
    assert kept("Xi Jinping") == "Xi Jinping"  # a family name that is a word, before a given name that is not
    assert kept("Harriet Quill") == "Harriet Quill" and kept("Tobias Record") == "Tobias Record"  # a first name in it
    assert kept("Tiger Woods") == ""  # the price: said in a Title Case headline, lost there
    assert kept("Trump") == "Trump" and kept("Gives Harriet") == "Harriet"  # one word is left as it is
    # The headline's verb after a name that starts with no first name, read as a plural noun.
    assert kept("Northsea Gives") == "Northsea" and kept("Harriet Gives") == "Harriet Gives"  # a first name: a surname
    # Sentence case is left as the model found it, whatever its words: a "person" of dictionary
    # words stays there (set by hand, as the model might).
    from storyline.analyze.nlp import new_span

    doc = nlp("Record loss hits the coast as Harriet Quill visits Port Selby today, the council said.")
    doc.ents = [new_span(doc, 0, 2, "PERSON")]
    assert [(e.text, e.label_) for e in cut_run_ons(doc, nlp).ents] == [("Record loss", "PERSON")]
    doc = nlp("Record Loss Hits Coast As Harriet Quill Visits Port Selby")
    doc.ents = [new_span(doc, 0, 2, "PERSON")]
    assert list(cut_run_ons(doc, nlp).ents) == []  # the same words in a Title Case headline: none
