"""The Store reads behind the web app's article list and person page, held to one contract on
memory, SQLite and PostgreSQL (``any_store``): ``list_articles`` (filters, order, paging, total)
and ``person_sources`` (members with reasons, aliases and roles with their sources)."""

from __future__ import annotations

from dataclasses import replace

from storyline.records import Story
from storyline.store.records import (
    Membership, PersonAlias, PersonMember, PersonRedirect, PersonRole, PersonTallies, StoredPerson,
)
from test_contract import make_article


def stored_person(pid: str, name: str, members: list[tuple[str, str]], roles: list[PersonRole]) -> StoredPerson:
    return StoredPerson(
        id=pid, name=name, type="PERSON", aliases=(name.split()[-1],), roles=tuple(dict.fromkeys(r.title for r in roles)),
        merges=(), members=tuple(PersonMember(a, e, "same name") for a, e in members),
        alias_sources=tuple(PersonAlias(name.split()[-1], a, e) for a, e in members), role_sources=tuple(roles),
        keys=(f"surname:{name.split()[-1].lower()}",))


def test_list_articles_filters_orders_and_pages(any_store):
    store = any_store
    arts = [
        make_article("One.", outlet="Selby Post", published="2026-03-10"),
        make_article("Two.", outlet="Bay News", published="2026-03-11T22:30:00+00:00"),
        make_article("Three.", outlet="Selby Post", published="2026-03-12"),
        make_article("Four.", outlet="Selby Post"),  # undated: listed last
        make_article("Five.", outlet="selby post", published="2026-03-11"),
    ]
    store.add_articles(arts)
    a, b, c, d, e = (x.id for x in arts)
    store.put_stories([Story(a, "the wall", (a, b, d), "2026-03-10", "2026-03-11")],
                      [Membership(a, a, 0), Membership(b, a, 1), Membership(d, a, 2)], [], "1", "2026-03-13")
    store.put_people([stored_person("p1", "Ana Ortiz", [(b, "e1"), (c, "e2"), (c, "e3")], [])], [], [], "v1",
                     "2026-03-13T00:00:00+00:00")

    def ids(**filters):
        page = store.list_articles(**filters)
        return page.total, [x.id for x in page.articles]

    assert ids() == (5, [c, b, e, a, d])  # newest stated day first (times sort within the day), undated last
    assert ids(outlet="Selby Post") == (3, [c, a, d])  # exact name: "selby post" is another outlet
    assert ids(since="2026-03-11") == (3, [c, b, e])
    assert ids(until="2026-03-11") == (3, [b, e, a])  # a time on the last day still counts
    assert ids(since="2026-03-11", until="2026-03-11") == (2, [b, e])
    assert ids(story_id=a) == (3, [b, a, d])
    assert ids(person_id="p1") == (2, [c, b])  # an article naming them twice is listed once
    assert ids(person_id="p1", outlet="Bay News", story_id=a) == (1, [b])
    assert ids(person_id="nobody") == (0, []) and ids(story_id="nostory") == (0, [])
    assert ids(limit=2) == (5, [c, b]) and ids(limit=2, offset=2) == (5, [e, a]) and ids(limit=2, offset=4) == (5, [d])
    assert ids(offset=9) == (5, [])
    page = store.list_articles(limit=1)
    assert page.articles[0].body == "Three." and page.articles[0].raw is None  # whole, without raw input


def test_person_sources_read_back_members_aliases_and_roles(any_store):
    store = any_store
    arts = [make_article("Mayor Ana Ortiz spoke."), make_article("Ortiz, the former mayor, replied.")]
    store.add_articles(arts)
    a, b = (x.id for x in arts)
    roles = [PersonRole("Mayor", a, "e1", 0, 5), PersonRole("former mayor", b, "e1", 8, 20)]
    store.put_people([stored_person("p1", "Ana Ortiz", [(a, "e1"), (b, "e1")], roles)], [], [], "v1",
                     "2026-03-13T00:00:00+00:00")
    got = store.person_sources("p1")
    assert got is not None
    assert [tuple(m) for m in got.members] == sorted([(a, "e1", "same name"), (b, "e1", "same name")])
    assert sorted(r.title for r in got.roles) == ["Mayor", "former mayor"]
    assert {(r.title, r.article_id, r.start, r.end) for r in got.roles} == {("Mayor", a, 0, 5), ("former mayor", b, 8, 20)}
    assert {(x.alias, x.article_id) for x in got.aliases} == {("Ortiz", a), ("Ortiz", b)}
    assert store.person_sources("nobody") is None
    # A page's few articles: their members and aliases only, every role.
    few = store.person_sources("p1", articles=[b, "unknown"])
    assert [tuple(m) for m in few.members] == [(b, "e1", "same name")]
    assert {(x.alias, x.article_id) for x in few.aliases} == {("Ortiz", b)} and few.roles == got.roles
    assert store.person_sources("p1", articles=[]).members == ()
    # Counted in the store: aliases and reasons, most first, ties in text order.
    assert store.person_tallies("p1") == PersonTallies((("Ortiz", 2),), (("same name", 2),))
    assert store.person_tallies("nobody") is None
    whole = store.person("p1")
    assert store.person("p1", members=False) == replace(whole, members=())
    # Absorbed into another identity: the old id has no sources of its own.
    store.put_people([stored_person("p0", "Ana Ortiz", [(a, "e1"), (b, "e1")], roles)], [PersonRedirect("p1", "p0")],
                     [], "v1", "2026-03-14T00:00:00+00:00")
    assert store.person_sources("p1") is None and len(store.person_sources("p0").members) == 2
    assert store.person_tallies("p1") is None and store.person("p1", members=False).id == "p0"


def test_person_tallies_count_every_member_most_first_ties_in_text_order(any_store):
    arts = [make_article(f"Ana Ortiz said {n}.") for n in range(3)]
    any_store.add_articles(arts)
    a, b, c = (x.id for x in arts)
    person = stored_person("p1", "Ana Ortiz", [(a, "e1"), (b, "e1"), (c, "e1")], [])
    person = person._replace(members=(PersonMember(a, "e1", "same name"), PersonMember(b, "e1", "Ortiz ~ Ana Ortiz"),
                                      PersonMember(c, "e1", "Ana ~ Ana Ortiz")),
                     alias_sources=(PersonAlias("Ortiz", a, "e1"), PersonAlias("A. Ortiz", b, "e1"),
                                    PersonAlias("A. Ortiz", c, "e1"), PersonAlias("Ana", c, "e1")))
    any_store.put_people([person], [], [], "v1", "2026-03-13T00:00:00+00:00")
    assert any_store.person_tallies("p1") == PersonTallies(
        (("A. Ortiz", 2), ("Ana", 1), ("Ortiz", 1)),
        (("Ana ~ Ana Ortiz", 1), ("Ortiz ~ Ana Ortiz", 1), ("same name", 1)))


def test_people_named_finds_a_part_of_a_name_or_alias(any_store):
    store = any_store
    arts = [make_article(f"Body {i}.") for i in range(3)]
    store.add_articles(arts)
    a, b, c = (x.id for x in arts)
    store.put_people([stored_person("p1", "Keir Starmer", [(a, "e1"), (b, "e1")], []),
                      stored_person("p2", "Ana Ortiz", [(c, "e1")], []),
                      stored_person("p3", "Ben_Cole 100%", [(c, "e2")], [])], [], [], "v1", "2026-03-13T00:00:00+00:00")

    def names(part, **kw):
        return [p.name for p in store.people_named(part, **kw)]

    assert names("starmer") == ["Keir Starmer"] and names("  KEIR  ") == ["Keir Starmer"]
    assert names("r") == ["Keir Starmer", "Ana Ortiz"]  # most articles first
    assert names("r", limit=1) == ["Keir Starmer"]
    assert names("Ortiz") == ["Ana Ortiz"] and names("z") == ["Ana Ortiz"]
    assert names("_") == [] and names("%") == [] and names('"') == [] and names(" ") == []  # no wildcards
    assert names("n_c") == ["Ben_Cole 100%"] and names("0%") == ["Ben_Cole 100%"]  # taken literally
    assert names("Cole 1") == ["Ben_Cole 100%"] and names("zeppelin") == []
    # An alias counts (stored_person gives each the surname as an alias).
    store.put_people([stored_person("p1", "Sir Keir", [(a, "e1"), (b, "e1")], [])._replace(aliases=("Starmer",))],
                     [], [], "v1", "2026-03-14T00:00:00+00:00")
    assert names("starmer") == ["Sir Keir"]
