"""People corrections as constraints of the people step (link/people/corrected.py), on the
in-memory reference store: kept however the articles are batched and whatever arrives later,
and found again when a re-analysis renumbers an article's entities."""

from __future__ import annotations

from test_people import person
from test_people_incremental import store_entities

from storyline.link.corrections.people import merge_people, split_person
from storyline.link.corrections.undo import undo
from storyline.link.people.incremental import assign_people
from storyline.records import Analysis
from storyline.store.memory import MemoryStore


def setup():
    store = MemoryStore()
    ids = store_entities(store, [("a1", person("Ana Ortiz")), ("a2", person("Ben Cole")),
                                 ("a3", person("Ben Cole")), ("a4", person("Carla Diaz"))])
    assert assign_people(store, list(ids.values())).done == 4
    return store, ids


def holder(store, ids, article: str) -> str:
    (found,) = [p.id for p in store.people() if any(a == ids[article] for a, _ in p.members)]
    return found


def test_a_merge_holds_in_any_batch_order_and_takes_in_later_mentions():
    store, ids = setup()
    ortiz, cole = holder(store, ids, "a1"), holder(store, ids, "a2")
    merge_people(store, ortiz, cole, author="ana", reason="pen name")
    assert holder(store, ids, "a2") == holder(store, ids, "a3") == ortiz
    # Every article done again, one at a time, newest first (as a relink in another order).
    store.put_analyses([store.analysis(i) for i in ids.values()], "test-2")
    for article in reversed(ids.values()):
        assign_people(store, [article])
    assert holder(store, ids, "a1") == holder(store, ids, "a2") == holder(store, ids, "a3") == ortiz
    assert holder(store, ids, "a4") != ortiz
    # A later "Ben Cole" joins the Coles, and so the merged person.
    ids |= store_entities(store, [("a5", person("Ben Cole"))])
    assign_people(store, [ids["a5"]])
    assert holder(store, ids, "a5") == ortiz
    (merged,) = [p for p in store.people() if p.id == ortiz]
    assert merged.name == "Ana Ortiz" and "Ben Cole" in merged.aliases


def test_a_split_holds_when_the_entities_are_renumbered():
    store, ids = setup()
    cole = holder(store, ids, "a2")
    split_person(store, cole, articles=[ids["a3"]], name="Ben Cole (the younger)", author="ana",
                 reason="a namesake")
    assert holder(store, ids, "a2") == cole and holder(store, ids, "a3") != cole
    # The article analysed again with its entity numbered anew: the name still finds it.
    store.put_analyses([Analysis(ids["a3"], entities=(person("Ben Cole", id="e7"),))], "test-2")
    assign_people(store, [ids["a3"]])
    assert holder(store, ids, "a3") != cole
    (younger,) = [p for p in store.people() if p.id == holder(store, ids, "a3")]
    assert younger.name == "Ben Cole (the younger)" and younger.members == ((ids["a3"], "e7"),)


def test_the_rest_of_a_split_person_keeps_its_id_whichever_part_is_older():
    """Split off the mentions of the person's oldest article: the rest keeps the id (stories
    and links naming the person keep naming the rest), the part split off gets a new one."""
    store, ids = setup()
    cole = holder(store, ids, "a2")
    split_person(store, cole, articles=[ids["a2"]], name="Ben Cole (the elder)", author="ana", reason="a namesake")
    assert holder(store, ids, "a3") == cole and holder(store, ids, "a2") != cole
    assert store.person(cole).members == ((ids["a3"], "e1"),) and store.person(cole).name == "Ben Cole"


def test_undo_of_a_merge_gives_each_its_id_back():
    store, ids = setup()
    ortiz, cole = holder(store, ids, "a1"), holder(store, ids, "a2")
    made = merge_people(store, cole, ortiz, author="ana", reason="r")  # into the younger one
    assert holder(store, ids, "a1") == cole and store.person(ortiz).id == cole
    undo(store, made.id, author="ben")
    assert holder(store, ids, "a1") == ortiz and holder(store, ids, "a2") == cole
    assert store.person(ortiz).id == ortiz
