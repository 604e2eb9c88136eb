"""The people step: each analysed article's PERSON entities assigned to stored cross-article
identities (link/people/incremental.py), as a :class:`Step` the executors run: by name-key
shards (link/people/sharded.py), side by side on Ray."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.link.people.incremental import PEOPLE_VERSION, assign_people, people_due
from storyline.link.people.sharded import ARTICLE_BATCH
from storyline.run.common import Progress
from storyline.run.step import BatchResult, Step, StoreMapper, named
from storyline.store import Store

PEOPLE_BATCH = ARTICLE_BATCH  # articles per transaction (articles done before; see sharded.run_sharded)
LABEL = "articles' people assigned"


def _run(store: Store, keys: Sequence[str]) -> BatchResult:
    done = assign_people(store, list(keys))
    return BatchResult(done.done, dict(done.counts), list(done.problems))


def _shards(store: Store, keys: Sequence[str], store_mapper: StoreMapper, progress: Progress | None) -> BatchResult:
    from storyline.link.people.sharded import run_sharded

    def moved(finished: int, total: int) -> None:
        if progress:
            progress(finished, total, "people's mentions assigned")

    done = run_sharded(store, list(keys), store_mapper, moved)
    return BatchResult(done.done, dict(done.counts), list(done.problems))


def _due_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    # An article is due again when it is analysed again (its entities changed).
    return store.people_due(PEOPLE_VERSION, among=named(changed, pending, "analysis"))


PEOPLE_STEP = Step(
    name="people",
    version=PEOPLE_VERSION,
    key="article",
    reads=("entities", "persons", "person_keys"),
    writes=("persons", "person_members", "person_aliases", "person_roles", "person_keys", "people_done",
            "place_words"),
    due=people_due,
    run=_run,
    batch_size=PEOPLE_BATCH,
    label=LABEL,
    watches=("analysis",),
    due_among=_due_among,
    shards=_shards,
)
