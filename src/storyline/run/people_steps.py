"""The people step: each analysed article's PERSON entities assigned to stored cross-article
identities (link/people/incremental.py), as a :class:`Step` the executors run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.link.people.incremental import PEOPLE_VERSION, assign_people, people_due
from storyline.run.step import BatchResult, Step, named
from storyline.store import Store

PEOPLE_BATCH = 50  # articles per transaction


def _run(store: Store, keys: Sequence[str]) -> BatchResult:
    done = assign_people(store, list(keys))
    return BatchResult(done.done, dict(done.counts), list(done.problems))


def _due_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    # An article is due again when it is analysed again (its entities changed).
    return store.people_due(PEOPLE_VERSION, among=named(changed, pending, "analysis"))


PEOPLE_STEP = Step(
    name="people",
    version=PEOPLE_VERSION,
    key="article",
    reads=("entities", "persons", "person_keys"),
    writes=("persons", "person_members", "person_aliases", "person_roles", "person_keys", "people_done"),
    due=people_due,
    run=_run,
    batch_size=PEOPLE_BATCH,
    label="articles' people assigned",
    watches=("analysis",),
    due_among=_due_among,
)
