"""The whole pipeline as steps, in the order they run: analysis, then the linking steps
(reuse: embed, fingerprint, candidates, compare; stories; people; story facts).

Every step asks the store what is due by its own version, so running the pipeline again after
any step's version changed (``storyline relink``) redoes exactly what an outdated version
produced, and a run killed anywhere is finished by the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.run.analyze import Analysing
from storyline.run.common import ANALYZE_BATCH, AnalyzeReport
from storyline.run.step import BatchResult, Step, named
from storyline.store import Store


def analysis_step(analysing: Analysing) -> Step:
    """Analysis as a step: key = article id, due = articles not analysed by the analyzer's
    version (the analyzer loads on the first batch)."""

    def run(store: Store, keys: Sequence[str]) -> BatchResult:
        report = AnalyzeReport()
        analysing.batch(store.articles(ids=list(keys)), report)
        result = BatchResult(done=len(report.analysed), problems=list(report.problems))
        result.count("entities", report.entities)
        result.count("quotes", report.quotes)
        return result

    return Step("analyze", analysing.version, "article", reads=("articles",),
                writes=("analyses", "entities", "quotes", "times", "title_entities"), due=lambda store: analysing.due(),
                run=run, batch_size=ANALYZE_BATCH, label="articles analysed", watches=("article",),
                due_among=lambda store, changed, pending: analysing.due_among(named(changed, pending, "article")))


def linking_steps(*, vectors: bool = True, compare: bool = True) -> list[Step]:
    """The steps across articles, in order."""
    from storyline.run.fact_steps import FACT_STEPS
    from storyline.run.people_steps import PEOPLE_STEP
    from storyline.run.reuse_steps import reuse_steps
    from storyline.run.story_steps import stories_step

    return [*reuse_steps(vectors, compare), stories_step(), PEOPLE_STEP, *FACT_STEPS]


def all_steps(analysing: Analysing) -> list[Step]:
    """Every step of the pipeline after ingest, in order."""
    return [analysis_step(analysing), *linking_steps()]


def select(steps: Sequence[Step], names: Sequence[str] | None) -> list[Step]:
    """The steps named (in pipeline order), or all of them; an unknown name is a ValueError
    that lists the known ones."""
    if not names:
        return list(steps)
    known = [s.name for s in steps]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"no step {', '.join(map(repr, unknown))}; the steps are {', '.join(known)}")
    return [s for s in steps if s.name in names]
