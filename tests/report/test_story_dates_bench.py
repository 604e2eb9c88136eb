"""``benchmarks/story_dates.py``: the publication dates of a story's articles, each dated one
hidden in turn and inferred as the report infers it (the seed articles' story)."""

import importlib.util
import shutil
import sqlite3
from pathlib import Path


def test_each_dated_seed_article_hidden_in_turn_is_dated_again(seeds_store, tmp_path, capsys):
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "story_dates.py"
    spec = importlib.util.spec_from_file_location("story_dates_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    db = tmp_path / "seeds.db"
    shutil.copy(seeds_store, db)
    # One seed states its date; a second is given the day its report infers for it (the
    # Thursday of the talks), so that each of the two can be hidden in turn.
    with sqlite3.connect(db) as c:
        assert c.execute("UPDATE articles SET published = '2025-02-27T12:00:00' WHERE id LIKE '0c66b4%'").rowcount == 1
    out = bench.main([str(db)])
    assert out["articles"] == 2 and out["inferred"] == 1.0
    assert 0.0 <= out["likely_exact"] <= out["likely_within_3"] <= 1.0
    assert out["in_range"] > 0 and sum(k["articles"] for k in out["by_evidence"].values()) == out["articles"]
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("{")
