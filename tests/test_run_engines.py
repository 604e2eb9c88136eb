"""``storyline run`` on both engines: the local executor and a real local Ray cluster store the
same articles, reuse pairs, stories, people and quotes from the seed articles; a Ray worker
killed mid-run costs neither results nor duplicates, on PostgreSQL (the store of a cluster)
against the local engine's SQLite file; a store Ray workers cannot open is a clear error. Ray tests are few and small (five articles, 2 CPUs) and always shut their cluster down."""

from __future__ import annotations

import json

import pytest

import storyline
from helpers import run_cli

ORDER = ["analyze", "embed", "fingerprint", "candidates", "compare", "stories", "people", "story_facts"]
# Rows per table, to show that nothing was written twice (a retried batch rewrites its rows).
TABLES = ("articles", "analyses", "entities", "quotes", "sentence_vectors", "fingerprints", "lsh_buckets",
          "reuse_candidates", "reuse_pairs", "story_members", "stories", "persons", "person_members", "story_facts")


def snapshot(db) -> dict:
    """What a run stored, in a form two stores can be compared by (sorted lists, so a row
    stored twice would show)."""
    with storyline.open(db) as desk:
        store = desk.store
        found = {
            "articles": sorted((a.id, a.content_hash, a.title, a.body) for a in store.articles()),
            "reuse": sorted(repr(p) for p in store.reuse()),
            "stories": sorted((tuple(sorted(s.article_ids)), s.label, s.first, s.last) for s in store.stories()),
            "people": sorted((i.name, i.type, i.aliases, i.roles, tuple(sorted(i.members))) for i in store.people()),
            "quotes": sorted(repr(q) for q in store.quotes()),
            "rows": {t: store.db.run(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES},  # noqa: S608
        }
    return found


def _run(db, *args: str) -> dict:
    result = run_cli("run", *args, "--db", str(db), "--json", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module", autouse=True)
def people_in_many_shards():
    """The seeds' people in as many name-key shards as they have groups (up to 16), so that
    the Ray run assigns them in several Ray tasks side by side (link/people/sharded.py); and
    the five seeds clustered in two time shards, the second replaying the first's last article
    (link/stories/time_shards.py), as Ray tasks side by side too."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORYLINE_PEOPLE_SHARD_MIN", "1")
        mp.setenv("STORYLINE_STORY_SHARD_MIN", "2")
        mp.setenv("STORYLINE_STORY_LEAD", "1")
        yield


@pytest.fixture(scope="module")
def local_db(seeds_dir, tmp_path_factory):
    """The seeds run through the local engine once for this module."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    report = _run(db, str(seeds_dir), "--engine", "local")
    assert report["engine"] == "local" and len(report["ingest"]["added"]) == 5
    assert [s["step"] for s in report["steps"]] == ORDER and report["failed"] == []
    return db


@pytest.mark.slow
def test_ray_engine_stores_what_the_local_engine_stores(ray_available, local_db, seeds_dir, tmp_path):
    db = tmp_path / "ray.db"
    report = _run(db, str(seeds_dir), "--engine", "ray", "--workers", "2")
    assert report["engine"] == "ray" and len(report["ingest"]["added"]) == 5 and report["failed"] == []
    steps = {s["step"]: s for s in report["steps"]}
    assert list(steps) == ORDER
    assert steps["analyze"]["done"] == 5 and steps["people"]["done"] == 5 and steps["compare"]["done"] >= 1
    assert steps["people"]["counts"]["people shards"] > 2  # Ray tasks side by side
    assert steps["stories"]["counts"]["story shards"] == 2
    ray_run, local_run = snapshot(db), snapshot(local_db)
    assert ray_run["rows"]["reuse_pairs"] >= 1 and ray_run["rows"]["quotes"] > 0 and ray_run["people"]
    for part in ("articles", "reuse", "stories", "people", "quotes", "rows"):
        assert ray_run[part] == local_run[part], part


@pytest.fixture
def crashing_ray(ray_available, tmp_path, monkeypatch):
    """A local Ray cluster (2 CPUs) whose workers die once: after reading their first file (a
    Ray task), right after the first committed batch of analyze (a Ray Data actor) and of
    compare (a Ray task), after the first story time shard ended (a Ray task that writes
    nothing: retried, it does the same) and after the first people shard committed its batches
    (a Ray task retried: it skips what it stored)."""
    import ray

    from storyline.run.ray_exec import CRASH_DIR, CRASH_STEPS

    marks = tmp_path / "crashed"
    marks.mkdir()
    # Set before ray.init: the cluster's worker processes inherit this environment.
    monkeypatch.setenv(CRASH_DIR, str(marks))
    monkeypatch.setenv(CRASH_STEPS, "read,analyze,compare,run_time_shard,run_shard")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield marks
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_a_killed_worker_costs_no_results_and_no_duplicates(crashing_ray, local_db, seeds_dir, tmp_path,
                                                            postgres_url, monkeypatch):
    """On PostgreSQL: the store a cluster uses (every worker writes to it over the network),
    against the local engine's SQLite file."""
    from storyline.run.common import RayOptions
    from storyline.run.ray_exec import run_steps_ray

    db = postgres_url
    # A shard with bad records beside the seeds: each is skipped and reported, the job goes on.
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.jsonl").write_text('{"title": "no closing brace"\n{"byline": "No text at all"}\n', encoding="utf-8")
    # ... read in two parts side by side (a file over 20 bytes is cut), its lines numbered as one.
    monkeypatch.setenv("STORYLINE_READ_PART_MB", str(20 / (1 << 20)))
    with storyline.open(db) as desk:
        # The cluster of the fixture is used as it is (Desk.run joins an initialised Ray).
        run = desk.run([seeds_dir, bad], engine="ray", ray=RayOptions(workers=2))
        assert sorted(p.name for p in crashing_ray.iterdir()) == [
            "analyze", "compare", "read", "run_shard", "run_time_shard"]  # all died once
        assert len(run.ingest.added) == 5
        assert [(p.source.endswith("broken.jsonl"), p.locator) for p in run.ingest.problems] == [
            (True, "line 1"), (True, "line 2")]
        report = run.steps
        assert report.problems == [] and report.of("analyze").done == 5
        again = run_steps_ray(desk.store, desk.steps(), options=RayOptions(workers=2))
        assert all(s.due == 0 for s in again.steps if s.step != "story_facts")
    crashed, local_run = snapshot(db), snapshot(local_db)
    for part in ("articles", "reuse", "stories", "people", "quotes", "rows"):
        assert crashed[part] == local_run[part], part


def test_big_files_are_read_in_parts_as_one_reader_reads_them(ray_available, tmp_path):
    """JSONL plain and gzip-compressed, and a WARC archive, each cut into parts read side by
    side on a real cluster: the items (problems and their places included) are one reader's."""
    import gzip
    from dataclasses import replace

    import ray

    from storyline.ingest.files import InputFile
    from storyline.ingest.parts import cut
    from storyline.run.common import RayOptions
    from storyline.run.ingest import read_file
    from storyline.run.ray_exec import file_reader

    from ingest.builders import archive

    big = tmp_path / "big.jsonl"
    rows = [json.dumps({"url": f"https://example.test/{n}", "title": f"Report {n}",
                        "text": f"Report number {n} says the council met. " * (n % 5 + 1)}) for n in range(60)]
    rows[17] = "{broken"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    packed = tmp_path / "big.jsonl.gz"
    packed.write_bytes(gzip.compress(big.read_bytes()))
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(archive(12, compress=True))
    small = tmp_path / "small.jsonl"
    small.write_text(rows[3] + "\n", encoding="utf-8")
    blank = tmp_path / "blank.jsonl"  # no part holds anything: "empty input", as one reader says
    blank.write_text("\n" * 5000, encoding="utf-8")
    files = [InputFile(big, "jsonl"), InputFile(small, "jsonl"), InputFile(packed, "jsonl"),
             InputFile(crawl, "warc"), InputFile(blank, "jsonl"), InputFile(big, "jsonl")]
    assert [len(cut(f, 1000).parts) > 3 for f in files] == [True, False, True, True, True, True]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        read = file_reader(RayOptions(workers=2), 1 << 20, part_bytes=1000)
        got = [list(items) for items in read(files)]
    finally:
        ray.shutdown()
    def timeless(items):  # an article says when it was cleaned; the rest must be equal
        return [replace(x, ingested_at="") if hasattr(x, "ingested_at") else x for x in items]

    assert [timeless(g) for g in got] == [timeless(read_file(f, 1 << 20)) for f in files]
    assert [p.locator for p in got[0] if hasattr(p, "reason")] == ["line 18"]
    assert [p.locator for p in got[2] if hasattr(p, "reason")] == ["line 18"]
    assert len(got[3]) >= 8 and all(a.url for a in got[3])
    assert [p.reason for p in got[4]] == ["empty input"]


def test_ray_needs_a_store_other_processes_can_open(seeds_dir):
    result = run_cli("run", str(seeds_dir), "--engine", "ray", "--db", "memory://")
    assert result.returncode == 2
    assert "memory://" in result.stderr and "several processes" in result.stderr
    wrong = run_cli("run", str(seeds_dir), "--ray-address", "127.0.0.1:6379", "--db", "memory://")
    assert wrong.returncode == 2 and "--ray-address needs --engine ray" in wrong.stderr


def test_people_runs_beside_the_stories_they_do_not_touch_and_before_the_story_facts(ray_available):
    """The Ray executor runs the people step in a Ray task beside the driver's stories only
    because their declared tables do not meet (run/ray_exec.py BESIDE_STEPS); the story facts
    name the stored people, so they wait for it."""
    from dataclasses import replace

    from storyline.run import ray_exec
    from storyline.run.fact_steps import STORY_FACTS
    from storyline.run.people_steps import PEOPLE_STEP as PEOPLE
    from storyline.run.story_steps import STORIES

    assert "people" in ray_exec.BESIDE_STEPS
    assert not ray_exec._conflict(STORIES, PEOPLE) and ray_exec._conflict(STORY_FACTS, PEOPLE)
    # A step that wrote what the people read would wait for them too.
    assert ray_exec._conflict(replace(STORIES, writes=(*STORIES.writes, "entities")), PEOPLE)


@pytest.mark.slow
def test_story_shard_tasks_each_run_in_a_worker_process_of_their_own(ray_available, tmp_path):
    """A story time shard (and its stitching) holds a clusterer's window of state, and a worker
    process kept for the next task keeps that memory: such tasks run in a process each, which
    exits after it (ray_exec.FRESH_WORKER); other store tasks reuse their workers."""
    import os

    import ray

    from storyline.run.common import RayOptions
    from storyline.run.ray_exec import FRESH_WORKER, _ray_store_map

    db = tmp_path / "empty.db"
    storyline.open(str(db)).close()

    def run_time_shard(store, n):  # named as the step's task: pickled by value for the workers
        return os.getpid(), n

    def count_doc_freqs(store, n):
        return os.getpid(), n

    assert {"run_time_shard", "stitch"} <= FRESH_WORKER and "count_doc_freqs" not in FRESH_WORKER
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        mapper = _ray_store_map(str(db), RayOptions(workers=1, cpus_per_worker=1.0))
        fresh = [mapper(run_time_shard, [(n,)])[0] for n in range(3)]
        kept = [mapper(count_doc_freqs, [(n,)])[0] for n in range(3)]
    finally:
        ray.shutdown()
    assert [n for _, n in fresh + kept] == [0, 1, 2, 0, 1, 2]
    assert len({pid for pid, _ in fresh}) == 3
    assert len({pid for pid, _ in kept}) < 3  # one process takes several
