"""``storyline relink`` and ``storyline steps``: the pipeline's steps, what is due for each,
and running them again after a step's version changed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, app, fail, open_desk, out, progress_bar, warn
from storyline.link.reuse.rewrite_switch import SwitchError
from storyline.report.json import step_report_json
from storyline.store import StoreError

if TYPE_CHECKING:
    from storyline.run.local import StepReport


def print_steps(steps: list[StepReport]) -> None:
    """One line per step: what was due, what was done, its counters and time."""
    for s in steps:
        counts = "".join(f", {k} {v}" for k, v in s.counts.items())
        out.print(f"{s.step} (version {s.version}): {s.done} of {s.due} done{counts}"
                  + (f", {len(s.problems)} failed" if s.problems else "") + f"; {s.seconds:.1f} s", markup=False)


@app.command("steps")
def steps_cli(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the pipeline's steps in the order they run: name, version, what a key is, how many
    keys are due (new, or made by an outdated version), and what each reads and writes."""
    with open_desk(db) as desk:
        try:
            from storyline.run.due import due

            rows = []
            for s in desk.steps():
                found = due(desk.store, s)  # from the change log, or a scan (no cursor, or a new version)
                rows.append({"name": s.name, "version": s.version, "key": s.key, "due": len(found.keys),
                             "full_scan": found.scanned, "reads": list(s.reads), "writes": list(s.writes)})
        except (StoreError, SwitchError) as exc:
            fail(str(exc), code=2)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table("step", "version", "key", "due", "writes", box=None, pad_edge=False)
    for r in rows:
        table.add_row(r["name"], r["version"], r["key"], str(r["due"]), ", ".join(r["writes"]))
    out.print(table)


@app.command("relink")
def relink_cli(
    db: DbOption = None,
    step: Annotated[list[str] | None, typer.Option(
        "--step", help="Only this step (repeat for several); see `storyline steps`.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Run the steps over what is due: what is new, and everything an outdated version of a
    step produced (after an upgrade that changed the analyzer, the clusterer, ...). Safe to
    interrupt: the next run carries on where this one stopped. Exits 1 if any key failed (it
    stays due and is listed on stderr)."""
    with open_desk(db) as desk, progress_bar("relink") as advance:
        try:
            report = desk.link(step, progress=advance)
        except ValueError as exc:
            fail(str(exc), code=2)
        except StoreError as exc:
            fail(str(exc), code=2)
    for problem in report.problems:
        warn("failed", str(problem))
    if as_json:
        print(json.dumps([step_report_json(s) for s in report.steps], ensure_ascii=False, indent=1))
    else:
        print_steps(report.steps)
    if report.problems:
        raise typer.Exit(1)
