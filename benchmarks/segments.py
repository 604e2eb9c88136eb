"""A long benchmark's time in segments that survive a killed process (scale.py,
scale_story_shards.py): runs of hours span several sittings of a machine, and the product's
steps resume where a kill left them, so a measurement resumes too and sums its segments.

Not a benchmark itself (no data argument): imported by the scripts beside it."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path


class Heartbeat:
    """The time a configuration has run, in segments: the progress callback of its steps, and a
    thread that samples the memory of this process and its children every second (less often
    where a sample is costly: :meth:`_beat`) and writes the segments every 10 s (and at each
    progress report), atomically. A segment holds its wall and CPU seconds (CPU: this
    process's, not its children's), the peak memory of the process tree (proportional set
    size, so pages shared by Ray's processes are counted once), and its steps' seconds: from
    the run's report when it finished, else from the progress reports (a report ends a batch
    or shard of the step it names, so the time since the report before is that step's; the
    time after the last report is "after the last report")."""

    def __init__(self, path: Path, key: dict, resume: bool) -> None:
        kept = json.loads(path.read_text(encoding="utf-8")) if resume and path.exists() else {}
        self.path, self.key = path, key
        self.segments: list[dict] = kept.get("segments", []) if kept.get("key") == key else []
        self.started, self.cpu = time.perf_counter(), time.process_time()
        self.steps: dict[str, float] = {}
        self.since = self.started
        self.names: dict[str, str] = {}  # a step's progress label -> its name
        self.ingested = 0
        self.peak_mb = 0.0
        self.lock = threading.Lock()
        # The beat thread and the progress callback both write; one file name for the temporary
        # copy, so one writer at a time (two at once lost the race: FileNotFoundError on the
        # second rename, which stopped a 20,000-article run after 73 minutes).
        self.writing = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def __call__(self, done: int, total: int, label: str) -> None:
        """The steps' progress callback."""
        with self.lock:
            now, name = time.perf_counter(), self.names.get(label, label)
            self.steps[name] = self.steps.get(name, 0.0) + now - self.since
            self.since = now
        self.write()

    def segment(self, finished: dict | None = None) -> dict:
        with self.lock:
            now = time.perf_counter()
            steps = {**self.steps, "after the last report": now - self.since}
            return {"seconds": round(now - self.started, 2), "cpu_s": round(time.process_time() - self.cpu, 2),
                    "peak_tree_mb": round(self.peak_mb, 1), "ingested": self.ingested,
                    "steps": finished if finished is not None else {k: round(v, 2) for k, v in steps.items()},
                    "finished": finished is not None}

    def write(self, finished: dict | None = None) -> list[dict]:
        with self.writing:
            segments = [*self.segments, self.segment(finished)]
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"key": self.key, "segments": segments}), encoding="utf-8")
            tmp.replace(self.path)  # atomic: a kill leaves the last whole heartbeat
        return segments

    def _beat(self) -> None:
        # Reading smaps_rollup walks every page of a process: on the million-article story run
        # (a 2 GB process tree) a sample a second was 5% of the run's CPU. So a sample waits at
        # least 50 times what the one before took (a second at the least; about 2% of a core).
        wait, written = 1.0, time.perf_counter()
        while not self.stop.wait(wait):
            start = time.perf_counter()
            self.peak_mb = max(self.peak_mb, tree_pss_mb(os.getpid()))
            ended = time.perf_counter()
            wait = max(1.0, 50 * (ended - start))
            if ended - written >= 10:
                self.write()
                written = ended


def total(segments: list[dict]) -> dict:
    """A configuration's figures over its segments: seconds and CPU summed, the peak memory the
    largest, each step's seconds summed."""
    steps: dict[str, float] = {}
    for segment in segments:
        for step, took in segment["steps"].items():
            steps[step] = round(steps.get(step, 0.0) + took, 2)
    return {"seconds": round(sum(s["seconds"] for s in segments), 2),
            "cpu_s": round(sum(s.get("cpu_s", 0.0) for s in segments), 2),
            "peak_tree_mb": max((s.get("peak_tree_mb", 0.0) for s in segments), default=0.0),
            "segments": len(segments), "steps": steps}


def tree_pss_mb(root: int) -> float:
    """The proportional set size of process ``root`` and all its descendants, in MiB (Linux
    /proc; 0 for what cannot be read). A local Ray cluster started by this process (its GCS,
    raylet and workers) is among them."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    # The command name (field 2) may hold spaces and parentheses: split after it.
                    parents[int(entry.name)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier and pid not in tree}
        tree |= frontier
    kib = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        kib += int(line.split()[1])
                        break
        except (OSError, ValueError):
            continue
    return kib / 1024
