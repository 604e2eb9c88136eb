"""The dated streams ``benchmarks/stories.py --news-stream`` makes of ECB+ (issue 18's proxies for
a multi-document news set): which events each mode keeps and when their reports come."""

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

DAY = 86_400.0


@pytest.fixture(scope="module")
def bench():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "stories.py"
    spec = importlib.util.spec_from_file_location("stories_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _docs():
    """Three topics of two events each (sizes 3 and 2), as load_ecb gives them."""
    docs = []
    for topic in ("1", "2", "3"):
        for event, size in (("ecb", 3), ("ecbplus", 2)):
            for n in range(size):
                docs.append({"id": f"{topic}_{n}{event}", "gold": f"{topic}_{event}", "body": "text",
                             "time": None, "title": None, "group": topic, "split": "train",
                             "order": len(docs)})
    return docs


def _days(stream):
    days = defaultdict(list)
    for d in stream:
        days[d["gold"]].append((d["time"] - 1_700_000_000.0) / DAY)
    return days


def test_the_default_stream_keeps_the_larger_event_of_each_topic(bench):
    stream = bench.news_stream(_docs(), 20, 3, 0)
    assert {d["gold"] for d in stream} == {"1_ecb", "2_ecb", "3_ecb"}
    assert [d["time"] for d in stream] == sorted(d["time"] for d in stream)
    assert all(d["stated_time"] == d["time"] for d in stream)
    for days in _days(stream).values():
        assert max(days) - min(days) <= 3 and 0 <= min(days) <= 23


def test_the_events_stream_keeps_every_event_each_on_its_own_day(bench):
    stream = bench.news_stream(_docs(), 365, 2, 1, mode="events")
    assert len(stream) == 15 and {d["gold"] for d in stream} == {f"{t}_{e}" for t in "123" for e in ("ecb", "ecbplus")}
    days = _days(stream)
    assert all(max(v) - min(v) <= 2 for v in days.values())
    # siblings get days of their own: with seed 1 no topic's two events land within the spread
    assert all(abs(min(days[f"{t}_ecb"]) - min(days[f"{t}_ecbplus"])) > 2 for t in "123")
    assert stream == bench.news_stream(_docs(), 365, 2, 1, mode="events")  # deterministic for a seed


def test_the_siblings_stream_puts_both_events_of_a_topic_on_one_day(bench):
    days = _days(bench.news_stream(_docs(), 365, 1, 1, mode="siblings"))
    assert len(days) == 6
    assert all(abs(min(days[f"{t}_ecb"]) - min(days[f"{t}_ecbplus"])) <= 1 for t in "123")


def test_the_raw_text_is_kept_beside_the_prepared_body(bench, tmp_path):
    """load_ecb prepares each text (address line dropped, detokenised) and keeps the corpus's own
    beside it, for ``--raw-text`` (what a user feeding docs.jsonl gives the product)."""
    import json

    text = "http : / / www . x . com / 2013 / 05 / 02 / wall\nHarbour wall approved\nIt cost $ 40m , officials said ."
    row = {"doc_id": "1_1ecbplus", "cluster_id": "1_ecbplus", "topic": 1, "split": "dev", "text": text}
    (tmp_path / "docs.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    docs, _ = bench.load_ecb(tmp_path)
    assert docs[0]["raw_text"] == text
    assert docs[0]["body"] == "Harbour wall approved\nIt cost $40m, officials said."
    with pytest.raises(SystemExit, match="--raw-text takes ECB"):
        bench.main([str(tmp_path), "--raw-text"])  # the direct path's features are of the prepared text


def test_orders_scores_the_given_order_and_each_shuffle(bench):
    """--orders N: the given order first, then the permutations --shuffle 0..N-1 makes, each
    scored on its own; two stories far apart in meaning come out whole in every order."""
    from story_synth import basis, blend

    from storyline.link.stories.cluster import DEFAULT, Item

    items, docs = [], []
    for g, axis in (("a", 1), ("b", 2)):
        for k in range(4):
            items.append(Item(f"{g}{k}", blend(basis(axis), basis(10 + len(items)), 0.97), {f"name-{g}": 1.0}, None))
            docs.append({"id": f"{g}{k}", "gold": g})
    got = bench.orders_figures(docs, items, DEFAULT, 3)
    assert got["shuffles"] == 3 and len(got["pair_f1"]) == len(got["bcubed_f1"]) == 4
    assert got["pair_f1"] == [1.0] * 4 and got["mean_pair_f1"] == 1.0 and got["mean_bcubed_f1"] == 1.0
    with pytest.raises(SystemExit, match="--orders takes the direct path"):
        bench.main(["no-such-folder", "--orders", "2", "--shuffle", "1"])  # refused before any reading
