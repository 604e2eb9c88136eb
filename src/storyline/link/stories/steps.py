"""The story stage as step functions (``due`` and ``run``), for run/story_steps.py to wrap in
a Step: key = article id, due = the unclustered articles in the order the clusterer takes them.

Each call starts from the stored checkpoint (link/stories/checkpoint.py), so no state is kept
between calls and a batch reads only its own articles and the members of the stories it
changes; ``run`` writes the batch in one transaction (scan.cluster_batch). Within one process
the clusterer the last batch stored is kept with the open store (Store.warm) and used while
the stored checkpoint is still the one it wrote, instead of restoring it again.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.link.stories.scan import (BATCH, CLUSTER_VERSION, BatchOutcome, cluster_batch, due_in_order, end_of_run,
                                         keep_warm, load_clusterer)
from storyline.store import Store

__all__ = ["BATCH", "CLUSTER_VERSION", "BatchOutcome", "due", "due_among", "end_of_run", "run"]


def due(store: Store) -> list[str]:
    """The ids of the articles not in a story by CLUSTER_VERSION, in publication order (stories
    of another version count as dropped, so everything is due again; ``run`` drops them).
    Writes nothing: `storyline steps` lists what is due through this."""
    return due_in_order(store, lambda: load_clusterer(store, write=False)[0])


def due_among(store: Store, ids: Sequence[str]) -> list[str]:
    """``due`` asked of the articles ``ids`` only (those the change log names, run/due.py)."""
    return due_in_order(store, lambda: load_clusterer(store, write=False)[0], ids)


def run(store: Store, keys: Sequence[str]) -> BatchOutcome:
    """Cluster one batch of due articles, in the order given, from the stored checkpoint."""
    clusterer, restarted = load_clusterer(store)
    outcome = cluster_batch(store, clusterer, keys)
    keep_warm(store, clusterer)
    outcome.restarted = restarted
    return outcome

