"""A title that is text of its own (analyze/titles.py) is read for names apart from the body
(Analysis.title_entities), stored and read back on every backend, and its names are story keys:
a lede's name the body never repeats ("Tara Reid checked into rehab", then "the actress")."""

from __future__ import annotations

import pytest

from storyline.analyze.titles import separate_title
from storyline.ingest.convert import content_hash
from storyline.link.stories.features import article_keys, entity_keys
from storyline.records import Analysis, Article, Entity, Mention

BODY = ("The 33-year-old actress checked into a treatment centre in Malibu on Friday, her "
        "representative said. She asked for privacy.")


def article(body: str, title: str | None) -> Article:
    return Article(id=content_hash(body)[:16], content_hash=content_hash(body), source="/in/a.txt", body=body,
                   title=title)


def test_a_title_is_its_own_text_unless_the_body_opens_with_it():
    assert separate_title(BODY, "Tara Reid checks into rehab") == "Tara Reid checks into rehab"
    assert separate_title("Tara Reid checks into rehab. She said so.", "Tara Reid checks into rehab") is None
    assert separate_title(BODY, "The 33-year-old actress checked into …") is None  # cut from the first sentence
    assert separate_title(BODY, "  ") is None and separate_title(BODY, None) is None


def test_the_analysis_reads_a_titles_names_apart_from_the_body(analyzer):
    titled, repeated = analyzer.analyze([article(BODY, "Tara Reid checks into Malibu rehab centre"),
                                         article("Tara Reid checks into rehab. " + BODY, "Tara Reid checks into rehab")])
    assert "Tara Reid" in {e.name for e in titled.title_entities if e.type == "PERSON"}
    assert "Tara Reid" not in {e.name for e in titled.entities}  # the body never names her
    mention = next(m for e in titled.title_entities if e.name == "Tara Reid" for m in e.mentions)
    assert "Tara Reid checks into Malibu rehab centre"[mention.start : mention.end] == "Tara Reid"
    assert repeated.title_entities == ()  # the body opens with its title: read there


def test_title_entities_are_stored_replaced_and_read_back(any_store):
    body = BODY
    a = article(body, "Tara Reid checks into rehab")
    any_store.add_articles([a])
    reid = Entity("t0", "Tara Reid", "PERSON", mentions=(Mention(a.id, 0, 9, "Tara Reid"),))
    any_store.put_analyses([Analysis(a.id, title_entities=(reid,))], "test")
    assert any_store.analysis(a.id).title_entities == (reid,)
    assert any_store.title_entities_of([a.id, "unknown"]) == {a.id: (reid,)}
    any_store.put_analyses([Analysis(a.id)], "test")  # analysed again: replaced, not appended
    assert any_store.analysis(a.id).title_entities == () and any_store.title_entities_of([a.id]) == {}


def test_a_titles_names_are_story_keys_and_count_as_one_more_mention():
    reid = Entity("t0", "Tara Reid", "PERSON", mentions=(Mention("a", 0, 9, "Tara Reid"),))
    malibu = Entity("b0", "Malibu", "PLACE", mentions=(Mention("a", 60, 66, "Malibu"),))
    body_only = Analysis("a", entities=(malibu,))
    with_title = Analysis("a", entities=(malibu,), title_entities=(reid, Entity("t1", "Malibu", "PLACE")))
    keys = article_keys(with_title, BODY, "Tara Reid checks into Malibu rehab")
    assert keys["reid"] == keys["tara reid"] == 1.0  # said only in the title
    assert keys["malibu"] == pytest.approx(1.0 + __import__("math").log(2))  # once in each
    assert "reid" not in article_keys(body_only, BODY, "Tara Reid checks into Malibu rehab")
    assert entity_keys(body_only) == {"malibu": 1.0}


def test_a_title_that_fails_to_parse_costs_its_article_nothing_but_the_titles_names(analyzer, monkeypatch):
    from storyline.analyze import entities as entities_mod

    real = entities_mod.extract

    def extract(doc, article_id):
        if "Broken" in doc.text:
            raise ValueError("a title the extractor cannot read")
        return real(doc, article_id)

    monkeypatch.setattr(entities_mod, "extract", extract)
    good, bad = analyzer.analyze([article(BODY, "Tara Reid checks into Malibu rehab centre"),
                                  article(BODY + " Again.", "Broken headline about Tara Reid")])
    assert "Tara Reid" in {e.name for e in good.title_entities}
    assert bad.title_entities == () and bad.entities  # the body analysed as ever
