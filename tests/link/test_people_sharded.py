"""The people step by name-key shards (link/people/sharded.py): a run's mentions split into
groups no name key or identity joins, even when every article names people of several groups;
the shards run in any order give the same people, which is what lets the Ray executor run them
side by side; and the result agrees with merge_people over everything."""

from __future__ import annotations

import random
from dataclasses import replace

from test_people import person
from test_people_incremental import partition, store_entities

from storyline.link.people import merge_people, sharded
from storyline.link.people.incremental import PEOPLE_VERSION
from storyline.records import Entity
from storyline.run.local import run_step
from storyline.run.people_steps import PEOPLE_STEP
from storyline.run.step import local_store_map
from storyline.store.memory import MemoryStore

# Three families of names that share no name key; every article names someone of two of them.
FAMILIES = [
    ["Keir Starmer", "Starmer", "Mr Starmer", "Rachel Reeves", "Reeves"],
    ["Olaf Scholz", "Scholz", "Chancellor Scholz", "Annalena Baerbock", "Baerbock"],
    ["Giorgia Meloni", "Meloni", "Matteo Salvini", "Salvini", "Mr Salvini"],
]


def corpus(count: int, seed: int = 3) -> list[tuple[str, Entity]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        a, b = rng.sample(range(len(FAMILIES)), 2)
        names = [rng.choice(FAMILIES[a]), rng.choice(FAMILIES[b]), rng.choice(FAMILIES[a])]
        out += [(f"s{n:03d}", replace(person(name), id=f"e{k}")) for k, name in enumerate(names, 1)]
    return out


def people_of(store) -> list[tuple]:
    return sorted((i.id, i.name, tuple(sorted(i.members)), i.aliases) for i in store.people())


def test_mentions_split_by_name_keys_though_every_article_joins_two_families(monkeypatch):
    monkeypatch.setattr(sharded, "SHARD_MIN", 7)  # room for a shard per group
    store = MemoryStore()
    store_entities(store, corpus(40))
    due = store.people_due(PEOPLE_VERSION)
    plan = sharded.plan(store, due, most=8)
    assert plan.again == [] and plan.fresh == due
    # Each surname is a group of its own (the two people of a family share no key either):
    # six shards, each holding the mentions of one surname.
    surnames = [{name.split()[-1] for name in _names(store, shard)} for shard in plan.shards]
    assert sorted(map(sorted, surnames)) == sorted([[s] for s in ("Baerbock", "Meloni", "Reeves", "Salvini",
                                                                       "Scholz", "Starmer")])
    # An article's mentions are in two shards: no article is a unit of this plan.
    by_article = {}
    for n, shard in enumerate(plan.shards):
        for aid, _ in shard:
            by_article.setdefault(aid, set()).add(n)
    assert all(len(s) >= 2 for s in by_article.values())
    # Each shard lists its mentions in the run's order.
    order = {aid: n for n, aid in enumerate(due)}
    assert all([order[a] for a, _ in shard] == sorted(order[a] for a, _ in shard) for shard in plan.shards)


def _names(store, shard):
    wanted = set(shard)
    return [f.entity.name for f in store.entities_of(sorted({a for a, _ in shard}), "PERSON", mentions=False)
            if (f.article_id, f.entity.id) in wanted]


def test_shards_in_any_order_give_the_same_people_as_the_batch_merge(monkeypatch):
    monkeypatch.setattr(sharded, "SHARD_BATCH", 7)  # several batches per shard
    monkeypatch.setattr(sharded, "SHARD_MIN", 20)
    entities = corpus(60)
    forward, backward = MemoryStore(), MemoryStore()
    ids = store_entities(forward, entities)
    store_entities(backward, entities)
    run_step(forward, PEOPLE_STEP)

    def reversed_map(store):
        run = local_store_map(store)
        return lambda fn, args, done=None: list(reversed(run(fn, list(reversed(args)))))

    step = replace(PEOPLE_STEP, shards=lambda store, keys, _, progress: PEOPLE_STEP.shards(
        store, keys, reversed_map(store), progress))
    report = run_step(backward, step)
    assert report.problems == [] and report.done == 60
    assert forward.people_due(PEOPLE_VERSION) == backward.people_due(PEOPLE_VERSION) == []
    assert people_of(forward) == people_of(backward)
    assert partition(forward.people()) == partition(merge_people([(ids[a], e) for a, e in entities]))


def test_new_mentions_join_stored_identities_and_done_articles_are_assigned_again(monkeypatch):
    monkeypatch.setenv(sharded.SHARD_MIN_ENV, "1")
    store = MemoryStore()
    first = store_entities(store, [("t0", person("Keir Starmer")), ("t1", person("Olaf Scholz"))])
    run_step(store, PEOPLE_STEP)
    later = store_entities(store, [("t2", person("Keir Starmer")), ("t3", person("Olaf Scholz"))])
    # t1 analysed again (a new analyzer): done before, so it is assigned again by article.
    store.put_analyses([store.analysis(first["t1"])], "test-2")
    due = store.people_due(PEOPLE_VERSION)
    plan = sharded.plan(store, due, most=8)
    assert plan.again == [first["t1"]] and plan.fresh == [later["t2"], later["t3"]]
    assert sorted(map(len, plan.shards)) == [1, 1]  # Starmer and Scholz share no key
    run_step(store, PEOPLE_STEP)
    assert store.people_due(PEOPLE_VERSION) == []
    assert {i.name: len(i.members) for i in store.people()} == {"Keir Starmer": 2, "Olaf Scholz": 2}


def test_articles_done_before_are_assigned_before_the_others_are_planned(monkeypatch):
    """An article analysed again may write an identity whose keys join two groups of the new
    mentions ("John Smith" reaches "Jane Smith" by surname and "John Smithers" by first name):
    the new mentions are planned after it, so the two share a shard and never run side by
    side on one identity."""
    monkeypatch.setenv(sharded.SHARD_MIN_ENV, "1")
    store = MemoryStore()
    first = store_entities(store, [("r0", person("Keir Starmer"))])
    run_step(store, PEOPLE_STEP)
    store.put_analyses([replace(store.analysis(first["r0"]), entities=(person("John Smith"),))], "test-2")
    fresh = store_entities(store, [("r1", person("Jane Smith")), ("r2", person("John Smithers"))])
    plans = []
    real = sharded.plan
    monkeypatch.setattr(sharded, "plan", lambda *a, **k: plans.append(real(*a, **k)) or plans[-1])
    report = run_step(store, PEOPLE_STEP)
    assert report.problems == [] and store.people_due(PEOPLE_VERSION) == []
    (made,) = plans
    assert made.again == [] and made.fresh == [fresh["r1"], fresh["r2"]]
    assert [sorted(shard) for shard in made.shards] == [sorted([(fresh["r1"], "e1"), (fresh["r2"], "e1")])]


def test_a_name_that_breaks_the_parser_costs_its_article_only(monkeypatch):
    from storyline.link.people import incremental

    real = incremental.parse_person_name

    def parse(text):
        if "Zzbad" in text:
            raise ValueError("unparseable test name")
        return real(text)

    monkeypatch.setattr(incremental, "parse_person_name", parse)
    store = MemoryStore()
    ids = store_entities(store, [("b0", person("Keir Starmer")), ("b1", person("Anna Zzbad")),
                                 ("b2", person("Keir Starmer"))])
    report = run_step(store, PEOPLE_STEP)
    assert [p.locator for p in report.problems] == [ids["b1"]] and "unparseable" in report.problems[0].reason
    assert store.people_due(PEOPLE_VERSION) == [ids["b1"]]  # it stays due; the others are done
    assert [(i.name, len(i.members)) for i in store.people()] == [("Keir Starmer", 2)]


def test_a_shard_run_again_skips_what_it_stored(any_store, monkeypatch):
    """A Ray task retried after its worker died runs its shard again: the batches it committed,
    and the articles of a batch whose other article failed, are not assigned twice."""
    from storyline.link.people import incremental

    real = incremental.parse_person_name
    monkeypatch.setattr(incremental, "parse_person_name",
                        lambda text: (_ for _ in ()).throw(ValueError("bad")) if "Zzbad" in text else real(text))
    monkeypatch.setattr(sharded, "SHARD_BATCH", 2)
    monkeypatch.setattr(incremental, "GROWN_MEMBERS", 2)  # Starmer is big: grown by appending
    store = any_store
    store_entities(store, [(f"c{n}", person("Keir Starmer")) for n in range(3)] + [("c9", person("Keir Zzbad"))])
    work = sharded.plan(store, store.people_due(PEOPLE_VERSION))
    (shard,) = work.shards
    first = sharded.run_shard(store, shard)
    stored = people_of(store)
    again = sharded.run_shard(store, shard)
    assert people_of(store) == stored
    assert [p.locator for p in first.problems] == [p.locator for p in again.problems] and len(first.problems) == 1


def test_a_shards_batches_are_about_the_batch_size_and_never_a_short_tail():
    members = [(f"a{n:04d}", "e1") for n in range(1600)]
    cut = sharded.batches(members[:1124], 1000)
    assert [len(b) for b in cut] == [1124]  # not 1,000 + 124: each batch reads a whole neighbourhood
    assert [m for b in cut for m in b] == members[:1124]  # in order, each once
    assert [len(b) for b in sharded.batches(members, 1000)] == [800, 800]
    assert [len(b) for b in sharded.batches(members[:10], 3)] == [3, 3, 4]
    assert sharded.batches(members[:1], 1000) == [members[:1]]
    assert sharded.batches([], 1000) == []
