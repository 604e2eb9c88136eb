"""A one-word "person" that the articles name as a place as often is no one in the people lists
(link/people/places.py): the small model tags a town it has never seen PERSON in some articles
and a place, or the start of an organisation's name, in others. Real stores, every backend."""

from __future__ import annotations

from test_people_incremental import store_entities

from storyline.link.people.incremental import assign_people, people_due
from storyline.link.people.places import place_key, place_words
from storyline.records import Entity, Role


def town(i: str, kind: str, name: str = "Harbourne") -> Entity:
    return Entity(i, name, kind)


def listed(store) -> set[str]:
    return {p.name for p in store.person_summaries()}


def test_place_words_and_keys():
    assert place_words([town("a", "PLACE"), town("b", "ORG", "Harbourne City Council"), town("c", "ORG", "the Wend Trust"),
                        town("d", "PERSON", "Alina Okafor"), town("e", "PLACE", "2026")]) == {"harbourne", "wend"}
    assert place_key("Harbourne", (), (), ()) == "harbourne"
    assert place_key("Okafor", (), ("Mayor",), ()) is None  # a title: a person
    assert place_key("Alina Okafor", (), (), ()) is None
    assert place_key("Okafor", ("Alina Okafor",), (), ()) is None
    assert place_key("Okafor", (), (), ("Okafor ~ Okafor: ...",)) is None
    assert place_key("Jacob", (), (), ()) is None  # a known first name: a person named by it


def test_a_town_tagged_a_person_leaves_the_people_list_and_comes_back_when_it_is_one(any_store):
    store = any_store
    ids = store_entities(store, [
        ("a1", town("p1", "PERSON")), ("a1", Entity("p2", "Alina Okafor", "PERSON", roles=(Role("Mayor", "a1", 0, 5),))),
        ("a2", town("p1", "PERSON")), ("a2", Entity("p2", "Okafor", "PERSON")),
        ("a3", town("l1", "PLACE")),
    ])
    assert not assign_people(store, people_due(store)).problems
    # Two person articles against one place article: a person still.
    assert listed(store) == {"Harbourne", "Alina Okafor"} and store.count_people() == 2
    # One more article names it as the start of a council's name: as often a place as a person.
    more = store_entities(store, [("a4", town("o1", "ORG", "Harbourne City Council")), ("a4", Entity("p3", "Okafor", "PERSON"))])
    assert not assign_people(store, people_due(store)).problems
    assert listed(store) == {"Alina Okafor"} and store.count_people() == 1
    assert store.count_place_people() == 1 == len(store.place_people())
    harbourne = next(i for i in store.people_of([ids["a1"]]) if i.name == "Harbourne")
    assert store.person(harbourne.id) is not None  # out of the lists, not gone: its page stays
    assert store.person_summaries(keys=["surname:harbourne"]) == []
    # Then a third article names a person Harbourne: more person articles than place ones.
    store_entities(store, [("a5", town("p1", "PERSON"))])
    assert not assign_people(store, people_due(store)).problems
    assert listed(store) == {"Harbourne", "Alina Okafor"} and store.count_people() == 2
    assert store.count_place_people() == 0 == len(store.place_people())
    assert more  # the ids are stored


def test_re_doing_an_article_replaces_its_place_words(any_store):
    """An article done again (re-analysed) has its place words replaced, not added to."""
    from storyline.records import Analysis

    store = any_store
    ids = store_entities(store, [("a1", town("p1", "PERSON")), ("a2", town("l1", "PLACE"))])
    assert not assign_people(store, people_due(store)).problems
    assert listed(store) == set() and store.count_people() == 0
    store.put_analyses([Analysis(ids["a2"], entities=(Entity("o1", "Wend Trust", "ORG"),))], "test2")
    assert not assign_people(store, people_due(store)).problems
    assert listed(store) == {"Harbourne"} and store.count_people() == 1


def test_a_surname_a_person_goes_by_is_no_place(any_store):
    """"Fairfax" tagged a person once and the start of "Fairfax County" twice is out of the list,
    until people of that surname are stored ("Ann Fairfax", "Tom Fairfax": the bare
    surname, which fits both, stays its own identity): then it is a surname, not a place."""
    store = any_store
    store_entities(store, [("a1", Entity("p1", "Fairfax", "PERSON")), ("a2", town("o1", "ORG", "Fairfax County")),
                           ("a3", town("o1", "PLACE", "Fairfax County"))])
    assert not assign_people(store, people_due(store)).problems
    assert listed(store) == set() and store.count_people() == 0
    store_entities(store, [("a4", Entity("p1", "Ann Fairfax", "PERSON")), ("a5", Entity("p1", "Tom Fairfax", "PERSON"))])
    assert not assign_people(store, people_due(store)).problems
    assert listed(store) == {"Fairfax", "Ann Fairfax", "Tom Fairfax"} and store.count_people() == 3


def test_the_names_left_out_as_places_are_listed_with_their_counts(any_store):
    """What `storyline people --places` shows: each identity the lists leave out, with its
    articles as a person and as a place, so that a user can check the rule."""
    store = any_store
    store_entities(store, [("a1", town("p1", "PERSON")), ("a2", town("l1", "PLACE")),
                           ("a3", town("o1", "ORG", "Harbourne Post")), ("a3", Entity("p2", "Alina Okafor", "PERSON"))])
    assert not assign_people(store, people_due(store)).problems
    found = store.place_people()
    assert [(p.name, p.articles, n) for p, n in found] == [("Harbourne", 1, 2)]
    assert store.place_people(offset=1) == [] and store.place_people(limit=0) == []
    assert listed(store) == {"Alina Okafor"}


def test_people_places_on_the_command_line(tmp_path):
    import json

    from typer.testing import CliRunner

    import storyline
    from storyline.cli import app

    db = tmp_path / "s.db"
    with storyline.open(db) as desk:
        store_entities(desk.store, [("a1", town("p1", "PERSON")), ("a2", town("l1", "PLACE"))])
    run = CliRunner().invoke(app, ["people", "--db", str(db), "--places", "--json"])
    assert run.exit_code == 0, run.output
    assert [(p["name"], p["articles"], p["named_as_place"]) for p in json.loads(run.stdout)] == [("Harbourne", 1, 1)]
    table = CliRunner().invoke(app, ["people", "--db", str(db), "--places"])
    assert table.exit_code == 0 and "Harbourne" in table.stdout and "1 names left out" in table.stdout
