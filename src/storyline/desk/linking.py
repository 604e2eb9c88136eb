"""The Desk's linking: reuse, stories, the pipeline's steps and the whole pipeline on an
engine (storyline/run/ does the work)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.run.common import Progress, RayOptions, shared_url

if TYPE_CHECKING:
    from storyline.run.local import PipelineReport, RunReport
    from storyline.run.reuse_steps import ReuseReport
    from storyline.run.step import Step


class Linking:
    """Desk methods that relate articles (mixed into :class:`storyline.desk.Desk`)."""

    # --- reuse -----------------------------------------------------------------------------
    def find_reuse(self, *, progress: Progress | None = None) -> ReuseReport:
        """Fingerprint the articles not yet fingerprinted, find their candidate pairs (LSH and
        article-vector neighbours) and compare the pairs not yet compared (see run/reuse_steps.py).
        Incremental and safe to re-run; a killed run resumes where it stopped."""
        from storyline.run.reuse_steps import find_reuse

        return find_reuse(self.store, progress=progress)

    # --- stories ---------------------------------------------------------------------------
    def find_stories(self, *, progress: Progress | None = None, reuse: bool = True):
        """Bring the stories up to date: analyse the articles not analysed yet, find reuse
        (fingerprints give the article vectors; ``reuse=False`` only fingerprints), then
        cluster the articles not in a story yet, online and in publication order (see
        link/stories/scan.py), assign people and build the facts of changed stories.
        Incremental and safe to re-run; what a step could not do is in ``report.problems`` (it
        stays due)."""
        from storyline.link.stories.scan import StoriesReport

        skipped = () if reuse else ("candidates", "compare")
        linked = self.link([s.name for s in self.steps() if s.name not in skipped], progress=progress)
        clustered = linked.of("stories")
        counts = clustered.counts if clustered else {}
        return StoriesReport(clustered=counts.get("clustered", 0), stories=self.store.count_stories(),
                             merged=counts.get("merged", 0), restarted=bool(counts.get("restarted")),
                             problems=linked.problems)

    # --- the pipeline as steps -------------------------------------------------------------
    def steps(self) -> list[Step]:
        """Every step after ingest, in the order they run (analysis, then the linking steps)."""
        from storyline.run.pipeline import all_steps

        return all_steps(self.analysing)

    def link(self, steps: Sequence[str] | None = None, *, progress: Progress | None = None) -> RunReport:
        """Run the pipeline's steps (all, or those named, in pipeline order) over what is due
        for each: what is new, and what an outdated version of a step produced. Resumable: a
        run killed anywhere is finished by the next. A key that fails is reported in the
        returned report and stays due. Raises ValueError for an unknown step name."""
        from storyline.run.local import run_steps
        from storyline.run.pipeline import select

        return run_steps(self.store, select(self.steps(), steps), progress=progress)

    def run(self, paths: Sequence[str | os.PathLike], *, engine: str = "local", ray: RayOptions | None = None,
            fetch: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
            progress: Progress | None = None) -> PipelineReport:
        """The whole pipeline over ``paths``: ingest (stored in batches on this process; with Ray
        the files are read and cleaned on the cluster, a task a file), then
        every step (analysis, reuse, stories, people, story facts) over what is due, by the local
        executor or, with ``engine="ray"``, spread over a Ray cluster (``ray.address`` to join
        one; a local one is started and stopped otherwise). Resumable: a run killed anywhere is
        finished by running it again, with nothing stored twice. Raises ValueError for an
        unknown engine and :class:`EngineError` for a store Ray workers cannot open
        (``memory://``), before anything is read."""
        from storyline.run.local import PipelineReport, run_steps

        if engine not in ("local", "ray"):
            raise ValueError(f"unknown engine {engine!r}; the engines are local, ray")
        steps = self.steps()  # a bad setting (STORYLINE_REWRITE_MODEL) fails before ingesting, not after
        if engine == "local":
            ingest = self.ingest(paths, fetch=fetch, max_bytes=max_bytes, analyze=False, progress=progress)
            report = PipelineReport(engine, ingest)
            report.steps = run_steps(self.store, steps, progress=progress)
            return report
        shared_url(self.store)  # fail before ingesting, not after
        from storyline.run.ingest import Ingesting
        from storyline.run.ray_exec import cluster, file_reader, run_steps_ray  # imports ray (seconds)

        options = ray or RayOptions()
        with cluster(options):
            # Files are read and cleaned on the cluster; the articles are stored here, in order.
            ingesting = Ingesting(self.store, None, max_bytes=max_bytes)
            report = PipelineReport(engine, ingesting.paths(paths, fetch=fetch, progress=progress,
                                                            read=file_reader(options, max_bytes)))
            report.steps = run_steps_ray(self.store, self.steps(), options=options, progress=progress)
        return report
