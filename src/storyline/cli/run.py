"""``storyline run``: the whole pipeline over some inputs in one command, on this machine or on
a Ray cluster."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import DbOption, JsonOption, app, fail, open_desk, out, progress_bar, sighted_note, warn
from storyline.cli.link import print_steps
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.link.reuse.rewrite_switch import SwitchError
from storyline.report.json import pipeline_report_json
from storyline.run.common import EngineError, IngestAborted, RayOptions
from storyline.store import StoreError


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command("run")
def run_cli(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (text, HTML, feeds, JSONL, WARC).")],
    db: DbOption = None,
    engine: Annotated[Engine, typer.Option(help="Where the steps run: this process, or a Ray cluster.")] = Engine.local,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", help="Join this Ray cluster (with --engine ray); without it a local one is started.")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Ray workers per step (default: the cluster's CPUs).", min=1)] = None,
    gpus_per_worker: Annotated[float, typer.Option(
        help="GPUs each Ray analyse/embed worker asks for (set STORYLINE_DEVICE=cuda too).", min=0)] = 0.0,
    fetch: Annotated[bool, typer.Option(help="Fetch pages that feed entries only link to.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Refuse any single document larger than this.", min=1)] = DEFAULT_MAX_BYTES,
    as_json: JsonOption = False,
) -> None:
    """Ingest PATHS, then run every step over what is due: analysis, reuse, stories, people,
    story facts. Safe to interrupt: running it again carries on where it stopped, with nothing
    stored twice. With --engine ray the store must be a SQLite file or a postgresql:// URL (the
    workers open it themselves).

    Skipped inputs are listed with the reason and do not fail the run. Exits 1 when nothing
    could be read or some article or pair failed a step (it stays due and is listed on stderr),
    2 when the store or the engine cannot be used.
    """
    if ray_address and engine is not Engine.ray:
        fail("--ray-address needs --engine ray", code=2)
    options = RayOptions(address=ray_address, workers=workers, gpus_per_worker=gpus_per_worker)
    with open_desk(db, create=True) as desk, progress_bar("run") as advance:
        try:
            report = desk.run(paths, engine=engine.value, ray=options, fetch=fetch, max_bytes=max_bytes,
                              progress=advance)
        except (EngineError, IngestAborted, StoreError, SwitchError) as exc:
            fail(str(exc), code=2)
        except Exception as exc:  # a Ray job that failed surfaces as Ray's own error types
            if engine is not Engine.ray:
                raise
            fail(f"the Ray job failed ({type(exc).__name__}: {exc}); run again to finish what is due", code=2)
    if as_json:
        print(json.dumps(pipeline_report_json(report), ensure_ascii=False, indent=1))
    for problem in report.ingest.problems:
        warn("skipped", str(problem))
    for problem in report.steps.problems:
        warn("failed", str(problem))
    if not as_json:
        ingest = report.ingest
        out.print(f"ingest: {len(ingest.added)} added, {len(ingest.present)} already present{sighted_note(ingest)}, "
                  f"{len(ingest.problems)} skipped from {ingest.files} files", markup=False)
        print_steps(report.steps.steps)
    if not report.ingest.read_anything:
        fail("nothing could be read from the inputs given", code=1)
    if report.steps.problems:
        raise typer.Exit(1)
