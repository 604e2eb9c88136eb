"""The people step (link/people/incremental.py): stored identities grown one batch of articles
at a time agree with merge_people over everything, keep stable ids, and survive kill -9."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import kill_when
from test_people import CAST, articles, background, numbered, person, together

import storyline
from storyline.link.people import merge_people
from storyline.link.people import incremental
from storyline.link.people.incremental import PEOPLE_VERSION, assign_people, people_due
from storyline.records import Analysis, Article, Entity, Identity
from storyline.run.local import run_step
from storyline.run.people_steps import PEOPLE_STEP
from storyline.store import open_store
from storyline.store.memory import MemoryStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def article_id(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def store_entities(store, entities: list[tuple[str, Entity]], order: list[str] | None = None) -> dict[str, str]:
    """Store one article per article name in ``entities`` (in ``order``), each analysed with its
    entities; returns article name -> stored id."""
    names = order or list(dict.fromkeys(a for a, _ in entities))
    ids = {n: article_id(n) for n in names}
    store.add_articles([Article(id=ids[n], content_hash=ids[n] * 4, source=f"/in/{n}", body=f"About {n}.")
                        for n in names])
    store.put_analyses([Analysis(ids[n], entities=tuple(e for a, e in entities if a == n)) for n in names], "test")
    return ids


def partition(identities, type_: str = "PERSON") -> set[frozenset]:
    return {frozenset(i.members) for i in identities if i.type == type_}


def replayed(entities, *, seed: int | None = None, batch: int = 1):
    """The identities the step builds over ``entities``, stored in a shuffled order."""
    store = MemoryStore()
    names = list(dict.fromkeys(a for a, _ in entities))
    if seed is not None:
        random.Random(seed).shuffle(names)
    ids = store_entities(store, entities, names)
    due = people_due(store)
    for start in range(0, len(due), batch):
        assert assign_people(store, due[start:start + batch]).problems == []
    expected = merge_people([(ids[a], e) for a, e in entities])
    return store, expected


CASES = {
    "cast": CAST,
    "typo on co-mentions": articles("a", *[[person("Volodymyr Zelensky"), person("Vladimir Putin"),
                                            person("Mark Rutte")]] * 3,
                                    [person("Volodymyr Zelenksy"), person("Putin"), person("Rutte")]) + background(),
    "partial names": numbered(person("John Healey", roles=("Defence Secretary",)), person("J. Healey"),
                              person("Healey", "Mr Healey"), person("Defence Secretary John Healey")),
    "partials alone": numbered(person("Zelensky"), person("Zelenskyy"), person("Mr Zelensky"),
                               person("J. Healey"), person("J. Healey")),
    "ambiguous initial": numbered(person("John Healey"), person("Jane Healey"), person("J. Healey"),
                                  person("Healey")),
    "given names": numbered(person("Juan Pablo"), person("Juan Pablo Galavis"), person("Juan Pablo"),
                            person("Mary Kate"), person("Mary Kate Olsen"), person("Mary Kate Jones"),
                            person("Galavis"), person("Juan Pablo Galavis"), person("Mary Kate Olsen"),
                            person("Mary Kate Jones"), person("Carl Icahn"), person("Carl Icahn Rift"),
                            person("Carl Icahn Rift")),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("seed,batch", [(None, 1), (1, 1), (2, 3), (3, 50)])
def test_incremental_identities_equal_the_batch_merge(case, seed, batch):
    store, expected = replayed(CASES[case], seed=seed, batch=batch)
    stored = store.people()
    if (case, seed) == ("typo on co-mentions", None):
        # The known difference (incremental.py): in stored order the typo's article comes
        # before the 30 articles that make Putin and Rutte rare, so when its neighbourhood was
        # merged their co-mentions were no evidence; no later batch touches it. One identity
        # stays split in two.
        assert len(partition(stored) - partition(expected)) == 2
        assert len(partition(expected) - partition(stored)) == 1
        return
    assert partition(stored) == partition(expected)
    assert sorted(i.name for i in stored) == sorted(i.name for i in expected if i.type == "PERSON")
    members = [m for i in stored for m in i.members]
    assert len(members) == len(set(members))
    assert people_due(store) == []


def test_ids_are_stable_and_a_merged_id_redirects():
    store = MemoryStore()
    ids = store_entities(store, numbered(person("Starmer"), person("Starmer")))
    run_step(store, PEOPLE_STEP)
    (starmer,) = store.people()
    assert starmer.id.startswith("p") and len(starmer.id) == 13
    # A full name arrives: "Starmer" joins "Keir Starmer", which keeps the older id.
    store_entities(store, [("a3", person("Keir Starmer"))])
    run_step(store, PEOPLE_STEP)
    (keir,) = store.people()
    assert keir.id == starmer.id and keir.name == "Keir Starmer" and len(keir.members) == 3
    # Another Starmer: the bare surname is ambiguous now, so the identities split; the old id
    # still finds a person holding its oldest member.
    store_entities(store, [("a4", person("Victoria Starmer"))])
    run_step(store, PEOPLE_STEP)
    found = store.person(starmer.id)
    assert found is not None and (ids["a1"], "e1") in found.members
    assert len(store.people()) == len(merge_people([(article_id(a), e) for a, e in numbered(
        person("Starmer"), person("Starmer"), person("Keir Starmer"), person("Victoria Starmer"))]))


def test_two_identities_merging_leave_a_redirect():
    # The typo comes first and stays alone, then the right spelling, alone too (one article
    # each could be chance); more articles give the evidence, and the two merge: the younger
    # id redirects to the older.
    entities = CASES["typo on co-mentions"]
    store = MemoryStore()
    ids: dict[str, str] = {}
    held: dict[str, str] = {}  # article name -> the id of the identity holding its Zelensky
    for name in [f"b{n}" for n in range(30)] + ["a4", "a1", "a2", "a3"]:
        ids |= store_entities(store, [(a, e) for a, e in entities if a == name])
        run_step(store, PEOPLE_STEP)
        if name in ("a4", "a1"):
            held[name] = next(i.id for i in store.people() if (ids[name], "e1") in i.members)
    assert held["a4"] != held["a1"]  # two identities before the evidence came
    zelensky = store.person(held["a4"])
    assert zelensky.id == held["a4"]  # the older keeps its id
    assert {(ids[a], "e1") for a in ("a1", "a2", "a3", "a4")} <= set(zelensky.members)
    assert store.person(held["a1"]) == zelensky  # the younger's id redirects
    assert held["a1"] not in {i.id for i in store.people()}


def test_a_failing_article_is_reported_and_the_batch_goes_on(monkeypatch):
    store = MemoryStore()
    ids = store_entities(store, numbered(person("Keir Starmer"), person("Boom Boom"), person("Keir Starmer")))
    real = incremental.name_keys

    def fragile(entity, *parse):
        if entity.name == "Boom Boom":
            raise ValueError("unreadable name")
        return real(entity, *parse)

    monkeypatch.setattr(incremental, "name_keys", fragile)
    report = run_step(store, PEOPLE_STEP)
    assert report.done == 2 and len(report.problems) == 1
    assert ids["a2"] in str(report.problems[0]) and "unreadable name" in str(report.problems[0])
    assert people_due(store) == [ids["a2"]]  # left due: the next run tries it again
    (starmer,) = store.people()
    assert len(starmer.members) == 2


def test_rerunning_a_done_batch_changes_nothing(any_store):
    entities = CASES["cast"]
    ids = store_entities(any_store, entities)
    run_step(any_store, PEOPLE_STEP)
    before = any_store.people()
    assert assign_people(any_store, [ids["a1"], ids["a5"]]).done == 2  # done again, on purpose
    assert any_store.people() == before
    assert partition(before) == partition(merge_people([(ids[a], e) for a, e in entities]))


def test_a_reanalysed_article_is_due_again_and_loses_its_old_entities(any_store):
    ids = store_entities(any_store, numbered(person("Keir Starmer"), person("Keir Starmer")))
    run_step(any_store, PEOPLE_STEP)
    any_store.put_analyses([Analysis(ids["a2"], entities=(person("Rishi Sunak", id="e9"),))], "test")
    assert people_due(any_store) == [ids["a2"]]
    run_step(any_store, PEOPLE_STEP)
    assert partition(any_store.people()) == {frozenset({(ids["a1"], "e1")}), frozenset({(ids["a2"], "e9")})}


# --- the demo corpus and the seeds, analysed for real ---------------------------------------


@pytest.fixture(scope="module")
def analysed_corpus(seeds_dir, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("people") / "corpus.db"
    with storyline.open(db) as desk:
        desk.ingest([EXAMPLES, seeds_dir])
        if desk.store.unanalysed():
            pytest.skip("the analyzer is not available")
    return db


def test_parity_on_the_demo_corpus_and_the_seeds(analysed_corpus, tmp_path):
    with storyline.open(analysed_corpus) as desk:
        entities = desk.store.entities("PERSON")
        expected = merge_people(entities)
        assert len(entities) > 50
        due = people_due(desk.store)
        for start in range(0, len(due), 3):  # small batches: the most incremental
            assert assign_people(desk.store, due[start:start + 3]).problems == []
        # Nothing left due: reads what the step stored (every identity: the list leaves out a
        # town the model tagged a person, link/people/places.py).
        stored = desk.store.people_of([a.id for a in desk.articles()])
        listed = {i.id for i in desk.people()}
    # Identical on this corpus (the module docstring says where it could differ).
    assert partition(stored) == partition(expected)
    assert sorted(i.name for i in stored) == sorted(i.name for i in expected)
    assert {i.name for i in stored if i.id not in listed} <= {"Harbourne"}


# --- kill -9 mid-step ---------------------------------------------------------------------

KILLABLE = """
import sys, time
from storyline.link.people import incremental, sharded
sharded.SHARD_BATCH = 100
sharded.SHARD_MIN = 100
from storyline.run.local import run_step
from storyline.run.people_steps import PEOPLE_STEP
from storyline.store import open_store

real = incremental.merge_people
def slow(*args, **kwargs):
    time.sleep(float(sys.argv[2]))
    return real(*args, **kwargs)
incremental.merge_people = slow
store = open_store(sys.argv[1])
run_step(store, PEOPLE_STEP)
store.close()
"""

FIRST = ["Keir", "Anna", "Boris", "Mike", "Jane", "John", "Olaf", "Maria"]
SURNAMES = ["Starmer", "Healey", "Johnson", "Scholz", "Meloni", "Lavrov", "Rutte", "Tusk", "Sanchez"]


def synthetic(count: int) -> list[tuple[str, Entity]]:
    rng = random.Random(7)
    out = []
    for n in range(count):
        names = rng.sample([f"{f} {s}" for f in FIRST for s in SURNAMES], 3) + [rng.choice(SURNAMES)]
        out += [(f"k{n:04d}", replace(person(name), id=f"e{k}")) for k, name in enumerate(names, 1)]
    return out


def _assigned(store_url: str) -> tuple[int, dict[str, int]]:
    """(articles marked done, members assigned per article)."""
    store = open_store(store_url)
    try:
        per_article: dict[str, int] = {}
        for identity in store.people():
            for aid, _ in identity.members:
                per_article[aid] = per_article.get(aid, 0) + 1
        return store.count() - len(store.people_due(PEOPLE_VERSION)), per_article
    finally:
        store.close()


def test_kill_mid_people_step_then_resume(store_url):
    """A run is planned by name-key shards (link/people/sharded.py), each in batches of
    mentions (100 here), one transaction each; its articles are marked done when every shard
    is. Killed mid-shard, whole batches are stored and no article is done; the next run plans
    again without the assigned mentions and ends where a run never killed ends."""
    total = 300
    entities = synthetic(total)
    store = open_store(store_url)
    ids = store_entities(store, entities)
    store.close()
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, store_url, "0.2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kill_when(proc, lambda: sum(_assigned(store_url)[1].values()) >= 200)

    done, per_article = _assigned(store_url)
    assigned = sum(per_article.values())
    assert done == 0 and 200 <= assigned < 4 * total

    finished = subprocess.run([sys.executable, "-c", KILLABLE, store_url, "0"], env=env, capture_output=True,
                              text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    store = open_store(store_url)
    try:
        assert store.people_due(PEOPLE_VERSION) == []
        resumed = store.people()
    finally:
        store.close()
    members = [m for i in resumed for m in i.members]
    assert len(members) == len(set(members)) == 4 * total  # nothing twice, nothing left out
    clean = MemoryStore()
    store_entities(clean, entities)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("storyline.link.people.sharded.SHARD_BATCH", 100)
        mp.setattr("storyline.link.people.sharded.SHARD_MIN", 100)
        run_step(clean, PEOPLE_STEP)
    assert partition(resumed) == partition(clean.people())
    assert {i.id for i in resumed} == {i.id for i in clean.people()}
    assert partition(resumed) == partition(merge_people([(ids[a], e) for a, e in entities]))


# --- big identities are grown, not re-merged ------------------------------------------------


def test_a_big_identity_gains_exact_names_and_lone_surnames_without_a_remerge(any_store, monkeypatch):
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 3)
    first = numbered(*[person("Hillary Clinton", roles=("Secretary of State",))] * 4)
    ids = store_entities(any_store, first)
    run_step(any_store, PEOPLE_STEP)
    (hillary,) = any_store.people()
    # The re-merge must not see the big identity again: reading its members' articles would be
    # the pass over a third of the corpus that the grown path exists to avoid.
    real = any_store.entities_of

    def entities_of(article_ids, *a, **k):
        assert not set(article_ids) & set(ids.values()), "a big identity's articles were read"
        return real(article_ids, *a, **k)

    monkeypatch.setattr(any_store, "entities_of", entities_of, raising=False)
    # Nor its members: it is read with those in the batch's articles only (and its size).
    read: list = []
    for name in ("people_by_keys", "people_of"):
        def reader(*a, _real=getattr(any_store, name), **k):
            found = _real(*a, **k)
            read.extend(found)
            return found

        monkeypatch.setattr(any_store, name, reader, raising=False)
    later = [("b1", person("Hillary Clinton", roles=("Senator",))), ("b2", person("Clinton", "Mrs Clinton")),
             ("b3", person("Bill Clinton")), ("b3", person("Clinton", id="e2"))]
    more = store_entities(any_store, later)
    report = assign_people(any_store, [more["b1"], more["b2"], more["b3"]])
    assert not report.problems and report.counts["people grown"] == 1
    assert hillary.id in {i.id for i in read}
    assert not {m for i in read if i.id == hillary.id for m in i.members} & set(hillary.members)
    people = {i.name: i for i in any_store.people()}
    grown = people["Hillary Clinton"]
    assert grown.id == hillary.id  # the id is kept
    assert set(grown.members) == set(hillary.members) | {(more["b1"], "e1"), (more["b2"], "e1")}
    assert "Senator" in grown.roles and "Secretary of State" in grown.roles
    # b3 names another Clinton in full: its bare "Clinton" is left to the re-merge, never
    # given to the big one.
    assert (more["b3"], "e2") not in grown.members and (more["b3"], "e1") in people["Bill Clinton"].members
    assert any_store.person(hillary.id) == grown
    assert not people_due(any_store)


@pytest.mark.parametrize("pieces", [1, 3])
def test_a_fragment_of_a_big_identity_joins_it_when_a_batch_reaches_it(any_store, monkeypatch, pieces):
    """merge_people joins equal full names outright; a big identity is grown, never re-merged,
    so a piece of it split off earlier (a cut neighbourhood) stayed apart and new mentions of
    the name joined neither. A batch reaching such a fragment (small, or big itself but
    smaller) hands it to the biggest identity of the name, whose id the fragment's now
    redirects to."""
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 3)
    first = numbered(*[person("Hillary Clinton")] * 4)
    ids = store_entities(any_store, first)
    run_step(any_store, PEOPLE_STEP)
    (hillary,) = any_store.people()
    # The fragment: "Hillary Clinton" stored apart (as a cut neighbourhood left one).
    lone = store_entities(any_store, [(f"f{n}", person("Hillary Clinton")) for n in range(pieces)])
    members = tuple((aid, "e1") for aid in lone.values())
    any_store.put_people([incremental._stored(
        "pfragment", Identity("pfragment", "Hillary Clinton", "PERSON", (), (), members, ()),
        {m: person("Hillary Clinton") for m in members}, incremental.NameCache())], [], list(lone.values()),
        PEOPLE_VERSION, "2026-01-01T00:00:00+00:00")
    assert len(any_store.people()) == 2
    more = store_entities(any_store, [("g1", person("Hillary Clinton"))])
    report = assign_people(any_store, [more["g1"]])
    assert not report.problems and report.counts["people merged away"] == 1
    (joined,) = any_store.people()
    assert joined.id == hillary.id
    assert set(joined.members) == {(ids[n], "e1") for n in ids} | set(members) | {(more["g1"], "e1")}
    assert any_store.person("pfragment").id == hillary.id  # the fragment's id finds it


def test_a_reanalysed_article_leaves_a_big_identity(any_store, monkeypatch):
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 3)
    ids = store_entities(any_store, numbered(*[person("Keir Starmer")] * 4))
    run_step(any_store, PEOPLE_STEP)
    any_store.put_analyses([Analysis(ids["a2"], entities=(person("Rishi Sunak", id="e9"),))], "test")
    run_step(any_store, PEOPLE_STEP)
    people = {i.name: i for i in any_store.people()}
    assert (ids["a2"], "e1") not in people["Keir Starmer"].members and len(people["Keir Starmer"].members) == 3
    assert people["Rishi Sunak"].members == ((ids["a2"], "e9"),)


def test_a_big_identity_reports_a_conflicting_top_title_instead_of_listing_it(any_store, monkeypatch):
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 3)
    ids = store_entities(any_store, numbered(*[person("Keir Starmer", roles=("Prime Minister",))] * 4))
    run_step(any_store, PEOPLE_STEP)
    later = store_entities(any_store, [("b1", person("Keir Starmer", roles=("Labour leader", "MP for Holborn")))])
    assert assign_people(any_store, [later["b1"]]).counts["people grown"] == 1
    (starmer,) = any_store.people()
    assert (later["b1"], "e1") in starmer.members and len(starmer.members) == len(ids) + 1
    assert "Prime Minister" in starmer.roles and "MP for Holborn" in starmer.roles
    assert "Labour leader" not in starmer.roles
    assert any("conflicting titles" in m and "Labour leader" in m for m in starmer.merges)


@pytest.mark.parametrize("later", [
    [("b1", person("Martin Luther"))],  # a suffix: another person
    [("b1", person("Juan Pablo Galavis", id="e1")), ("b1", person("Juan Pablo", id="e2"))],  # kept apart
])
def test_a_big_fuller_identity_takes_no_two_given_names_where_the_batch_merge_would_not(any_store, monkeypatch,
                                                                                      later):
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 3)
    first = numbered(*[person("Juan Pablo Galavis")] * 4, *[person("Martin Luther King Jr")] * 4)
    ids = store_entities(any_store, first)
    run_step(any_store, PEOPLE_STEP)
    ids.update(store_entities(any_store, later))
    assert not assign_people(any_store, [ids["b1"]]).problems
    pair = next((ids["b1"], e.id) for _, e in later if e.name in ("Juan Pablo", "Martin Luther"))
    assert len(next(i for i in any_store.people() if pair in i.members).members) == 1
    assert partition(any_store.people()) == partition(merge_people([(ids[a], e) for a, e in first + later]))


def test_a_big_fuller_identity_is_grown_and_takes_no_two_given_names(any_store, monkeypatch):
    """The known difference (given_names.py): the batch merge joins "Juan Pablo" to Juan Pablo
    Galavis, but once he is a big identity (grown, never re-merged) a new "Juan Pablo" stays
    apart; and a big "Juan Pablo" keeps its own new mentions."""
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 3)
    first = numbered(*[person("Juan Pablo Galavis")] * 4)
    ids = store_entities(any_store, first)
    run_step(any_store, PEOPLE_STEP)
    (galavis,) = any_store.people()
    ids.update(store_entities(any_store, [("b1", person("Juan Pablo"))]))
    assert not assign_people(any_store, [ids["b1"]]).problems
    assert (ids["b1"], "e1") not in next(i for i in any_store.people() if i.id == galavis.id).members
    assert together(merge_people(first + [("b1", person("Juan Pablo"))]), "a1", "b1")


def test_two_given_names_meet_the_fuller_name_while_both_are_small(any_store):
    entities = numbered(person("Juan Pablo"), person("Juan Pablo Galavis"), person("Juan Pablo"),
                        person("Juan Pablo Galavis"))
    store, expected = replayed(entities, seed=1, batch=1)
    assert partition(store.people()) == partition(expected)
    (only,) = store.people()
    assert only.name == "Juan Pablo Galavis"


def test_a_bare_surname_joins_the_prominent_big_identity_as_in_the_batch_merge(any_store, monkeypatch):
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 10)
    first = numbered(*[person("Donald Trump")] * 25, *[person("Ivanka Trump")] * 2)
    store_entities(any_store, first)
    run_step(any_store, PEOPLE_STEP)
    (donald,) = [i for i in any_store.people() if i.name == "Donald Trump"]
    more = store_entities(any_store, [("b1", person("Trump")), ("b2", person("Trump", "Mrs Trump"))])
    report = assign_people(any_store, [more["b1"], more["b2"]])
    assert not report.problems and report.counts["people grown"] == 1
    people = any_store.people()
    grown = next(i for i in people if i.id == donald.id)
    assert (more["b1"], "e1") in grown.members  # by far the most mentioned Trump
    assert (more["b2"], "e1") not in grown.members  # "Mrs Trump": maybe the other one
    batch = merge_people(first + [("b1", person("Trump")), ("b2", person("Trump", "Mrs Trump"))])
    assert ("b1", "e1") in next(i for i in batch if ("a1", "e1") in i.members).members


def test_a_cut_neighbourhood_keeps_every_identity_of_a_batch_name(any_store, monkeypatch):
    """Identities carrying a batch name's exact full name are never left out of the re-merge
    by the bound: merge_people joins equal full names outright, so a piece left out would stay
    a separate person for good (the 10k benchmark base had "Ben Carson" in 23 identities)."""
    cast = [person("Obama")] * 12
    store_entities(any_store, numbered(*cast))
    run_step(any_store, PEOPLE_STEP)
    # Three pieces of "Ana Ortiz" stored apart, as cut neighbourhoods left them.
    pieces = store_entities(any_store, [(f"o{n}", person("Ana Ortiz")) for n in range(3)])
    for n, aid in enumerate(pieces.values()):
        any_store.put_people([incremental._stored(
            f"portiz{n}", Identity(f"portiz{n}", "Ana Ortiz", "PERSON", (), (), ((aid, "e1"),), ()),
            {(aid, "e1"): person("Ana Ortiz")}, incremental.NameCache())], [], [aid], PEOPLE_VERSION, "t")
    monkeypatch.setattr(incremental, "NEIGHBOURHOOD_MEMBERS", 1)
    more = store_entities(any_store, [("n1", person("Ana Ortiz")), ("n1", person("Obama", id="e2"))])
    assert not assign_people(any_store, [more["n1"]]).problems
    ortiz = [i for i in any_store.people() if i.name == "Ana Ortiz"]
    assert len(ortiz) == 1 and len(ortiz[0].members) == 4


def test_a_crowded_neighbourhood_is_bounded_and_loses_nobody(any_store, monkeypatch):
    # Forty one-mention "Obama"s that nothing could place, and one new article naming Obama.
    cast = [person("Barack Obama"), person("Michelle Obama")] + [person("Obama")] * 40
    ids = store_entities(any_store, numbered(*cast))
    run_step(any_store, PEOPLE_STEP)
    before = {i.id: i for i in any_store.people()}
    assert len(before) == 42
    monkeypatch.setattr(incremental, "NEIGHBOURHOOD_MEMBERS", 5)
    read: list[str] = []
    real = any_store.entities_of

    def entities_of(article_ids, *a, **k):
        read.extend(article_ids)
        return real(article_ids, *a, **k)

    monkeypatch.setattr(any_store, "entities_of", entities_of, raising=False)
    more = store_entities(any_store, [("n1", person("Obama")), ("n1", person("Michelle Obama", id="e2"))])
    report = assign_people(any_store, [more["n1"]])
    assert not report.problems
    # The full names came first, and at most the bound's worth of members was read around.
    around = set(read) - {more["n1"]}
    assert {ids["a1"], ids["a2"]} <= around and len(around) <= 5
    people = any_store.people()
    members = [m for i in people for m in i.members]
    assert len(members) == len(set(members)) == 44  # nobody lost, nobody twice
    michelle = next(i for i in people if (ids["a2"], "e1") in i.members)
    assert (more["n1"], "e2") in michelle.members
    # The identities left outside the bound keep their last decision (and their ids).
    kept = [pid for pid, i in before.items() if i.name == "Obama" and any_store.person(pid) == i]
    assert len(kept) >= 35
