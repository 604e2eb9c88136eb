"""The Store's people methods (migration 008), held to one contract on memory, SQLite and
PostgreSQL (``any_store``): identities written, read, redirected, and the step's progress."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers import add_bodies
from storyline.records import Analysis, Entity, Mention, Role
from storyline.store import StoreError
from storyline.store.records import (
    PersonAlias,
    PersonMember,
    PersonRedirect,
    PersonRole,
    PersonSummary,
    StoredPerson,
)


@pytest.fixture
def store(any_store):
    return any_store


add = add_bodies


def person(pid: str, name: str, *members: tuple[str, str], keys: tuple[str, ...] = ()) -> StoredPerson:
    return StoredPerson(
        id=pid, name=name, type="PERSON", aliases=(f"Mr {name.split()[-1]}",), roles=("Mayor",),
        merges=(f"{name.split()[-1]} ~ {name}: the only one",),
        members=tuple(PersonMember(a, e, "same name") for a, e in members),
        alias_sources=tuple(PersonAlias(f"Mr {name.split()[-1]}", a, e) for a, e in members),
        role_sources=tuple(PersonRole("Mayor", a, e, 0, 5) for a, e in members),
        keys=keys or (f"surname:{name.split()[-1].lower()}",))


def test_person_members_come_a_page_at_a_time_in_the_persons_order(store):
    ids = add(store, *(f"Mayor Ana Ortiz spoke, part {k}." for k in range(5)))
    members = [(ids[k % 5], f"e{k}") for k in range(9)]
    store.put_people([person("p1", "Ana Ortiz", *members), person("p2", "Ben Cole", (ids[0], "e99"))],
                     [], [], "v1", "2026-01-01T00:00:00+00:00")
    whole = store.person("p1").members
    assert store.person_members("p1") == list(whole) and len(whole) == 9
    for limit, offset in ((4, 0), (4, 4), (4, 8), (3, 20), (0, 0)):
        assert store.person_members("p1", limit=limit, offset=offset) == list(whole[offset:offset + limit])
    assert store.person_members("p1", offset=7) == list(whole[7:])
    assert store.person_members("nope") == []
    assert store.person_article_counts(["p1", "p2", "nope"]) == {"p1": 5, "p2": 1}
    # Absorbed: its members are the absorbing identity's now; its own id lists none.
    store.put_people([person("p1", "Ana Ortiz", *members, (ids[0], "e99"))], [PersonRedirect("p2", "p1")], [], "v1",
                     "2026-01-02T00:00:00+00:00")
    assert store.person_members("p2") == [] and len(store.person_members("p1")) == 10


def test_people_round_trip_in_listing_order(store):
    a, b = add(store, "Mayor Ana Ortiz spoke.", "Ortiz and Ben Cole met.")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), (b, "e1")), person("p2", "Ben Cole", (b, "e2"))],
                     [], [], "v1", "2026-01-01T00:00:00+00:00")
    listed = store.people()
    assert [i.id for i in listed] == ["p1", "p2"]  # most articles first
    ortiz = listed[0]
    assert (ortiz.name, ortiz.type, ortiz.aliases, ortiz.roles) == ("Ana Ortiz", "PERSON", ("Mr Ortiz",), ("Mayor",))
    assert ortiz.members == ((a, "e1"), (b, "e1")) if a < b else ((b, "e1"), (a, "e1"))
    assert ortiz.merges == ("Ortiz ~ Ana Ortiz: the only one",)
    assert store.people(limit=1, offset=1) == [listed[1]]
    assert store.person("p2") == listed[1] and store.person("nope") is None
    assert [i.id for i in store.people_of([b])] == ["p1", "p2"]
    assert [i.id for i in store.people_of([a])] == ["p1"]
    assert [i.id for i in store.people_by_keys(["surname:cole", "surname:nobody"])] == ["p2"]
    assert store.known_person_ids(["p1", "p9"]) == {"p1"}


def test_big_identities_are_read_with_the_asked_articles_members_and_their_size(store):
    a, b, c = add(store, "Mayor Ana Ortiz spoke.", "Ortiz and Ben Cole met.", "Ortiz again.")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), (b, "e1"), (c, "e1")), person("p2", "Ben Cole", (b, "e2"))],
                     [], [], "v1", "2026-01-01T00:00:00+00:00")
    assert store.person_sizes(["p1", "p2", "p9"]) == {"p1": 3, "p2": 1}
    whole = store.person("p1")
    # p1 has 3 members: at whole_below=3 it carries those in the asked articles only; p2 (1) is whole.
    ortiz, cole = store.people_by_keys(["surname:ortiz", "surname:cole"], whole_below=3, among=[b])
    assert ortiz.members == ((b, "e1"),) and cole.members == ((b, "e2"),)
    assert (ortiz.name, ortiz.aliases, ortiz.roles, ortiz.merges) == (whole.name, whole.aliases, whole.roles, whole.merges)
    assert store.people_by_keys(["surname:ortiz"], whole_below=3)[0].members == ()
    assert store.people_by_keys(["surname:ortiz"], whole_below=4) == [whole]
    assert [i.members for i in store.people_of([c], whole_below=2)] == [((c, "e1"),)]
    assert store.people_of([c]) == [whole]
    # whole_below=0: every identity carries the asked articles' members only.
    assert [i.members for i in store.people_by_keys(["surname:ortiz", "surname:cole"], 0, among=[c])] == [((c, "e1"),), ()]
    assert store.person_ids_by_keys(["surname:ortiz", "surname:cole", "surname:nobody"]) == {"p1", "p2"}
    assert store.people_by_ids(["p2", "p1", "p9"]) == [whole, store.person("p2")]


def test_ids_by_keys_and_by_id_leave_absorbed_identities_out(store):
    a, b = add(store, "Ana Ortiz spoke.", "A. Ortiz spoke.")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), keys=("surname:ortiz",)),
                      person("p2", "A. Ortiz", (b, "e1"), keys=("surname:ortiz",))], [], [], "v1",
                     "2026-01-01T00:00:00+00:00")
    assert store.person_ids_by_keys(["surname:ortiz"]) == {"p1", "p2"}
    merged = person("p1", "Ana Ortiz", (a, "e1"), (b, "e1"), keys=("surname:ortiz",))
    store.put_people([merged], [PersonRedirect("p2", "p1")], [], "v1", "2026-01-02T00:00:00+00:00")
    assert store.person_ids_by_keys(["surname:ortiz"]) == {"p1"}
    assert [i.id for i in store.people_by_ids(["p1", "p2"])] == ["p1"]


def test_summaries_list_the_people_in_order_with_their_stored_article_counts(store):
    a, b, c = add(store, "Mayor Ana Ortiz spoke.", "Ortiz and Ben Cole met.", "Cole again.")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), (b, "e1"), (b, "e3")), person("p2", "Ben Cole", (b, "e2")),
                      person("p3", "Cy Dunn", (c, "e1"))], [], [a, b, c], "v1", "t1")
    assert store.count_people() == 3
    listed = store.person_summaries()
    assert [(p.id, p.articles) for p in listed] == [("p1", 2), ("p2", 1), ("p3", 1)]  # articles, then name
    assert listed[0] == PersonSummary("p1", "Ana Ortiz", "PERSON", ("Mr Ortiz",), ("Mayor",), 2)
    assert [p.id for p in store.person_summaries(limit=1, offset=1)] == ["p2"]
    assert [p.id for p in store.person_summaries()] == [i.id for i in store.people()]
    # A grown identity's count follows its added members; an absorbed one leaves the list.
    store.put_people([person("p3", "Cy Dunn", (c, "e1"))], [PersonRedirect("p2", "p3")], [], "v1", "t2",
                     grown=[person("p1", "Ana Ortiz", (c, "e2"))])
    assert [(p.id, p.articles) for p in store.person_summaries()] == [("p1", 3), ("p3", 1)]
    assert store.count_people() == 2
    assert [p.id for p in store.people_named("ortiz")] == ["p1"] and store.people_named("ortiz")[0].articles == 3
    # By name key, as the name lookup reads them (no members), in the same order.
    assert [(p.id, p.articles) for p in store.person_summaries(keys=["surname:ortiz", "surname:dunn"])] \
        == [("p1", 3), ("p3", 1)]
    assert store.person_summaries(keys=["surname:cole"]) == []  # p2 was absorbed
    assert [p.id for p in store.person_summaries(keys=["surname:ortiz", "surname:dunn"], limit=1, offset=1)] == ["p3"]


def test_rewriting_people_replaces_and_never_duplicates(store):
    (a,) = add(store, "Ana Ortiz spoke.")
    for _ in range(2):
        store.put_people([person("p1", "Ana Ortiz", (a, "e1"), keys=("surname:ortiz", "name:ana ortiz"))],
                         [], [a], "v1", "2026-01-01T00:00:00+00:00")
    (ortiz,) = store.people()
    assert ortiz.members == ((a, "e1"),)
    # Rewritten with fewer keys: the dropped key no longer finds it.
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), keys=("surname:ortiz",))], [], [], "v1", "2026-01-02")
    assert store.people_by_keys(["name:ana ortiz"]) == []
    assert [i.id for i in store.people_by_keys(["surname:ortiz"])] == ["p1"]


def test_a_redirect_follows_to_the_absorbing_identity(store):
    a, b = add(store, "Ana Ortiz spoke.", "Ortiz spoke.")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1")), person("p2", "Ortiz", (b, "e1"))], [], [a, b], "v1", "t1")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), (b, "e1"))], [PersonRedirect("p2", "p1")], [], "v1", "t2")
    assert [i.id for i in store.people()] == ["p1"]
    assert store.person("p2") == store.person("p1")
    assert store.people_by_keys(["surname:ortiz"]) == [store.person("p1")]  # p2's keys went with it
    # A chain: p1 absorbed in turn; p2 still finds the person.
    store.put_people([person("p3", "Ana Ortiz", (a, "e1"), (b, "e1"))], [PersonRedirect("p1", "p3")], [], "v1", "t3")
    assert store.person("p2").id == store.person("p1").id == "p3"
    # An identity that lost every member is gone, but its id stays taken.
    store.put_people([], [PersonRedirect("p3", None)], [], "v1", "t4")
    assert store.people() == [] and store.person("p3") is None
    assert store.known_person_ids(["p1", "p2", "p3"]) == {"p1", "p2", "p3"}


def test_people_due_follows_version_and_reanalysis(store):
    a, b, c = add(store, "One.", "Two.", "Three.")
    ortiz = Entity("e1", "Ana Ortiz", "PERSON", roles=(Role("Mayor", a, 0, 5),), mentions=(Mention(a, 6, 11, "Ortiz"),))
    store.put_analyses([Analysis(a, entities=(ortiz,)), Analysis(b)], "an1")
    assert store.people_due("v1") == [a, b]  # c is not analysed
    store.put_people([], [], [a, b], "v1", "t1")
    assert store.people_due("v1") == [] and store.people_due("v2") == [a, b]
    store.put_analyses([Analysis(b)], "an1")  # re-analysed: due again
    assert store.people_due("v1") == [b]
    assert store.people_due("v1", limit=0) == []
    assert [(f.article_id, f.entity) for f in store.entities_of([c, a, "unknown"], "PERSON")] == [(a, ortiz)]
    assert store.entities_of([b]) == []
    # Without mentions (what the people step reads): the same entities, their mentions left out.
    assert [f.entity for f in store.entities_of([a], "PERSON", mentions=False)] == [replace(ortiz, mentions=())]


def test_mention_counts_are_kept_per_done_article(store):
    a, b, c = add(store, "One.", "Two.", "Three.")
    store.put_analyses([Analysis(x) for x in (a, b, c)], "an1")
    store.put_people([], [], [a, b, c], "v1", "t1", surnames={a: ["ortiz", "cole"], b: ["ortiz"]})
    assert store.mention_counts(["ortiz", "cole", "nobody"]) == ({"ortiz": 2, "cole": 1}, 2)
    assert store.mention_counts(["ortiz"], excluding=[a, c]) == ({"ortiz": 1}, 1)
    # Re-doing an article replaces its counts, never adds to them.
    store.put_people([], [], [a], "v1", "t2", surnames={a: ["cole"]})
    store.put_people([], [], [a], "v1", "t3", surnames={a: ["cole"]})
    assert store.mention_counts(["ortiz", "cole"]) == ({"ortiz": 1, "cole": 1}, 2)
    store.put_people([], [], [b], "v1", "t4")
    assert store.mention_counts(["ortiz", "cole"]) == ({"cole": 1}, 1)


def test_people_of_an_unknown_article_are_refused_whole(store):
    (a,) = add(store, "Ana Ortiz spoke.")
    with pytest.raises(StoreError):
        store.put_people([person("p1", "Ana Ortiz", (a, "e1")), person("p2", "Ben Cole", ("f" * 16, "e1"))],
                         [], [], "v1", "t1")
    assert store.people() == [] and store.known_person_ids(["p1"]) == set()


def test_a_store_with_people_before_the_running_count_is_upgraded_with_it(store_url, monkeypatch):
    from storyline.store import open_store
    from storyline.store.sql import migrate

    before_count = [m for m in migrate.migrations() if m[0] < 20]
    with monkeypatch.context() as m:
        m.setattr(migrate, "migrations", lambda: before_count)
        old = open_store(store_url)
        # The rows as the code of that schema wrote them (today's put_people writes columns of
        # later migrations: the place marks of 023).
        with old.db.writing("as written before the count"):
            for pid, name in (("p1", "Ana Ortiz"), ("p2", "Ben Cole")):
                old.db.run("INSERT INTO persons (id, name, type, aliases, roles, merges, articles, created_at, updated_at)"
                           " VALUES (?, ?, 'PERSON', '[]', '[]', '[]', 1, 't1', 't1')", (pid, name))
        assert old.db.run("SELECT COUNT(*) FROM people_stats WHERE name = 'people'").fetchone()[0] == 0
        old.close()
    upgraded = open_store(store_url)
    try:
        assert upgraded.count_people() == 2 == len(upgraded.person_summaries())
    finally:
        upgraded.close()


def test_quotes_of_people_through_their_members_with_the_written_speaker_paged(store):
    from storyline.records import Quote

    a, b, c = add(store, "Mayor Ana Ortiz said yes. Cole said no.", "Ortiz said maybe.", "The mayor said later.")
    store.put_analyses([
        Analysis(a, entities=(Entity("e1", "Ana Ortiz", "PERSON"), Entity("e2", "Ben Cole", "PERSON")), quotes=(
            Quote(a, "no", 40, 42, "direct", speaker="Ben Cole", speaker_id="e2"),
            Quote(a, "yes", 20, 23, "direct", speaker="Ana Ortiz", speaker_id="e1"))),
        Analysis(b, entities=(Entity("e1", "Ortiz", "PERSON"),), quotes=(
            Quote(b, "maybe", 12, 17, "direct", speaker="Ortiz", speaker_id="e1"),)),
        Analysis(c, quotes=(Quote(c, "later", 16, 21, "direct", speaker="ana ortiz"),)),
    ], "v1")
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), (b, "e1")), person("p2", "Ben Cole", (a, "e2"))],
                     [], [a, b], "v1", "t1")
    texts = lambda found: [q.text for q in found]  # noqa: E731
    # Through the identity: each member's quotes, in article order, then by place in the body.
    assert texts(store.quotes(people=["p1"])) == ["yes", "maybe"]
    # With the speaker as written ("ana ortiz", no entity): either, each once.
    assert texts(store.quotes("Ana Ortiz", people=["p1"])) == ["yes", "maybe", "later"]
    assert store.count_quotes("Ana Ortiz", people=["p1"]) == 3
    assert texts(store.quotes("Ana Ortiz", people=["p1"], limit=1, offset=1)) == ["maybe"]
    assert texts(store.quotes(people=["p1", "p2"])) == ["yes", "no", "maybe"]
    assert store.quotes(people=["nobody"]) == [] and store.count_quotes(people=["nobody"]) == 0
    assert texts(store.quotes("Ana Ortiz")) == ["yes", "later"]  # as before: the written speaker only


def test_what_a_sharded_people_run_reads_and_writes(store):
    """link/people/sharded.py: surname keys written for a whole run first (put_surnames, moving
    the count as put_people does, and replaced, never added, when written again), which
    articles were done before, which mentions an identity holds, the identities under each key
    (absorbed ones left out), and articles marked done against their current analysis."""
    a, b, c = add(store, "One.", "Two.", "Three.")
    store.put_analyses([Analysis(x) for x in (a, b, c)], "an1")
    store.put_surnames([a, b, c], {a: ["ortiz", "cole"], b: ["ortiz"]})
    store.put_surnames([a, b], {a: ["ortiz", "cole"], b: ["ortiz"]})
    assert store.mention_counts(["ortiz", "cole"]) == ({"ortiz": 2, "cole": 1}, 2)
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), keys=("surname:ortiz", "name:ana ortiz")),
                      person("p2", "Ben Cole", (b, "e1"), keys=("surname:cole",))], [], [], "v1", "t1")
    assert store.mention_counts(["ortiz"]) == ({"ortiz": 2}, 2)  # put_people without done leaves them
    assert store.assigned_members([(a, "e1"), (a, "e2"), (b, "e1"), (c, "e1")]) == {(a, "e1"), (b, "e1")}
    assert store.person_ids_by_key(["surname:ortiz", "name:ana ortiz", "surname:cole", "nobody"]) == {
        "surname:ortiz": {"p1"}, "name:ana ortiz": {"p1"}, "surname:cole": {"p2"}}
    store.put_people([person("p1", "Ana Ortiz", (a, "e1"), (b, "e1"), keys=("surname:ortiz", "surname:cole"))],
                     [PersonRedirect("p2", "p1")], [], "v1", "t2")
    assert store.person_ids_by_key(["surname:cole"]) == {"surname:cole": {"p1"}}
    assert store.people_done_among([a, b, c]) == set() and store.people_due("v1") == [a, b, c]
    store.mark_people_done([a, b], "v1")
    store.mark_people_done([a, b], "v1")
    assert store.people_done_among([a, b, c]) == {a, b} and store.people_due("v1") == [c]
    assert store.people_done_among([a]) == {a} and store.people_due("v2") == [a, b, c]
    store.put_analyses([Analysis(b)], "an1")  # re-analysed: due again, but done before
    assert store.people_due("v1") == [b, c] and store.people_done_among([b]) == {b}


def test_hundreds_of_identities_are_written_in_bulk_and_a_member_twice_is_refused(store):
    """A batch of many identities (PostgreSQL loads their sources with COPY past 256 rows)
    stores every member, alias, role and key; in a SQL store an entity given to two identities
    fails the write and leaves what was stored as it was."""
    ids = add(store, *(f"Mayor Ana Ortiz spoke, part {k}." for k in range(6)))
    people = [person(f"p{n}", f"Ana Ortiz{n}", *[(ids[k], f"e{n}") for k in range(6)]) for n in range(60)]
    store.put_people(people, [], [], "v1", "2026-01-01T00:00:00+00:00")
    assert store.person_article_counts([p.id for p in people]) == {p.id: 6 for p in people}
    assert [len(store.person_members(p.id)) for p in people] == [6] * 60
    assert store.person("p59").aliases == ("Mr Ortiz59",) and store.person("p59").roles == ("Mayor",)
    assert {i.id for i in store.people_by_keys(["surname:ortiz7"])} == {"p7"}
    if not hasattr(store, "db"):
        return  # the memory store keeps an entity's last identity; the SQL stores' key refuses a second
    clash = [person(f"q{n}", f"Ben Cole{n}", *[(ids[k], f"x{k}") for k in range(6)]) for n in range(50)]
    with pytest.raises(StoreError):
        store.put_people(clash, [], [], "v1", "2026-01-02T00:00:00+00:00")
    assert store.person("q0") is None and len(store.person_members("p0")) == 6
