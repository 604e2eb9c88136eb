"""A story's people shown as the stored persons (link/stories/story_people.py), on every
backend (``any_store``): the stored identity that goes by the story person's name wins, a bare
surname holding mentions of two story people is no one's, and story people that one stored
identity holds become one."""

from __future__ import annotations

import pytest

from helpers import add_bodies
from storyline.link.stories.story_people import canonical_people, named_as_places
from storyline.records import Entity, Identity
from storyline.store.records import PersonMember, StoredPerson


@pytest.fixture
def store(any_store):
    return any_store


add = add_bodies


def stored(pid: str, name: str, *members: tuple[str, str], aliases: tuple[str, ...] = ()) -> StoredPerson:
    return StoredPerson(pid, name, "PERSON", aliases, (), (), tuple(PersonMember(a, e, "same name") for a, e in members),
                        (), (), (f"surname:{name.split()[-1].lower()}",))


def story_person(pid: str, name: str, *members: tuple[str, str], roles: tuple[str, ...] = ()) -> Identity:
    return Identity(pid, name, "PERSON", aliases=(), roles=roles, members=tuple(members))


def test_the_stored_person_that_goes_by_the_name_wins_and_a_bare_surname_is_no_ones(store):
    a, b, c = add(store, "Alina Okafor spoke.", "Okafor said so.", "Chidi Okafor and Okafor.")
    store.put_people([stored("pa", "Alina Okafor", (a, "e1")), stored("pb", "Okafor", (b, "e1"), (c, "e2")),
                      stored("pc", "Chidi Okafor", (c, "e1"), aliases=("Mr Okafor",))],
                     [], [], "v1", "2026-01-01T00:00:00+00:00")
    alina = story_person("s1", "Alina Okafor", (a, "e1"), (b, "e1"), (c, "e2"))  # more mentions in "Okafor"
    chidi = story_person("s2", "Chidi Okafor", (c, "e1"))
    loner = story_person("s3", "Okafor", (b, "e1"))  # goes by the bare surname's own name
    shown = canonical_people(store, [alina, chidi, loner])
    by_id = {p.id: p for p in shown}
    assert by_id["pa"].name == "Alina Okafor" and set(by_id["pa"].members) == set(alina.members)
    assert by_id["pc"].name == "Chidi Okafor" and by_id["pc"].members == chidi.members
    assert by_id["pb"].name == "Okafor" and by_id["pb"].members == loner.members
    assert len(shown) == 3  # nobody joined through the bare surname


def test_one_stored_person_holding_two_story_people_makes_them_one(store):
    a, b = add(store, "Keir Starmer spoke.", "The Prime Minister, Sir Keir Starmer, said so.")
    store.put_people([stored("pk", "Keir Starmer", (a, "e1"), (b, "e2"), aliases=("Sir Keir Starmer",))],
                     [], [], "v1", "2026-01-01T00:00:00+00:00")
    first = story_person("s1", "Keir Starmer", (a, "e1"), roles=("Prime Minister",))
    second = story_person("s2", "Sir Keir Starmer", (b, "e2"), roles=("Labour leader",))
    lone = story_person("s3", "Jane Nobody", (b, "e9"))  # no stored identity: keeps its story id
    shown = canonical_people(store, [first, second, lone])
    assert [p.id for p in shown] == ["pk", "s3"]
    keir = shown[0]
    assert keir.name == "Keir Starmer" and keir.aliases == ("Sir Keir Starmer",)
    assert keir.members == tuple(sorted([(a, "e1"), (b, "e2")])) and keir.roles == ("Prime Minister", "Labour leader")
    assert shown[1] == lone
    assert canonical_people(store, []) == []


def test_a_one_word_person_the_story_names_as_a_place_as_often_is_no_one():
    """"Harbourne" tagged a person in two articles, a place in one and the start of a
    council's name in another: not a person of the story. A surname used as a person more
    often than as a company's first word, a titled one-word person and a full name stay."""
    town = Identity("p1", "Harbourne", "PERSON", members=(("a1", "p1"), ("a2", "p1")))
    surname = Identity("p2", "Okafor", "PERSON", members=(("a1", "p2"), ("a2", "p2"), ("a3", "p2")))
    titled = Identity("p3", "Lindqvist", "PERSON", roles=("chair",), members=(("a1", "p3"),))
    full = Identity("p4", "Calder Marsh", "PERSON", members=(("a1", "p4"),))
    entities = [("a3", Entity("l1", "Harbourne", "PLACE")), ("a4", Entity("o1", "Harbourne City Council", "ORG")),
                ("a4", Entity("o2", "Okafor Holdings", "ORG")), ("a2", Entity("o3", "Lindqvist", "ORG")),
                ("a3", Entity("o4", "Calder Marsh", "ORG")), ("a4", Entity("o5", "Calder Marsh Engineering", "ORG"))]
    assert named_as_places([town, surname, titled, full], entities) == {"p1"}
    # One place article against two person articles is not enough.
    assert named_as_places([town], entities[:1]) == set()
