"""Reading and cleaning input files on a Ray cluster, for the Ray engine (run/ray_exec.py, which
runs the steps; this module and that one are the only ones that import ray)."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import ray

from storyline.ingest.files import InputFile
from storyline.ingest.parts import CUT_FORMATS, Cut, Part, cut, expected_parts, nothing_found
from storyline.run.common import EngineError, RayOptions
from storyline.run.crash_hook import crash_once
from storyline.run.ingest import read_file

# A JSONL file bigger than this many MiB is read in parts side by side (file_reader).
READ_PART_MB = "STORYLINE_READ_PART_MB"


def file_reader(options: RayOptions, max_bytes: int, part_bytes: int | None = None
                ) -> Callable[[Sequence[InputFile]], Iterator[Iterable]]:
    """Reading and cleaning input files on the cluster (text extraction from HTML and WARC is
    the costly part of ingest) by a pool of reader actors, which import the readers once (plain
    tasks paid it again whenever Ray recycled an idle worker: 5x slower than reading locally);
    at most two calls per actor in flight; each file's items handed back in the files' order,
    so the driver stores the same articles under the same ids as the local engine (run/ingest.py
    ``Ingesting.paths``). An actor that dies is restarted and its calls retried.

    A call is a file, or a part of a big JSONL or WARC file: one of more than ``part_bytes``
    (``STORYLINE_READ_PART_MB``, 64 MiB by default; of the decompressed stream for gzip JSONL,
    of the file for WARC) is cut at line or record starts (``ingest/parts.py``: a pass over the
    file on a thread of the driver, two for gzip JSONL, ahead of the readers: ``_Cutting``) and
    its parts are read side by side, their lines or records numbered as in the whole file (a
    gzip JSONL file's index is put in the object store once, for all its parts). A file's items
    are handed on part by part, so the driver holds a part, not a whole dump."""
    if part_bytes is None:
        part_bytes = int(float(os.environ.get(READ_PART_MB, "64")) * (1 << 20))

    def read(files: Sequence[InputFile]) -> Iterator[Iterable]:
        if not ray.is_initialized():
            raise EngineError("Ray is not initialised: run inside storyline.run.ray_exec.cluster()")
        workers = options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        reader = ray.remote(_Reader).options(num_cpus=options.cpus_per_worker, max_restarts=-1,
                                             max_task_retries=options.max_retries)
        cutting = _Cutting(files, part_bytes)
        calls = (call for k, file in enumerate(files) for call in _calls(k, file, cutting.of(k)))
        actors = [reader.remote(max_bytes) for _ in range(min(workers, max(1, _calls_hint(files, part_bytes))))]
        waiting = enumerate(calls)
        in_flight: deque = deque()  # (file index, result ref, problem if nothing found), in call order

        def submit() -> None:
            if (call := next(waiting, None)) is not None:
                n, (k, file, part, index, on_empty) = call
                in_flight.append((k, actors[n % len(actors)].read.remote(file, part, index), on_empty))

        def items(k: int) -> Iterator:
            # The calls are taken in order, so file k's parts are at the head until it is done.
            if in_flight and in_flight[0][0] < k:
                raise EngineError(f"{files[in_flight[0][0]].path}: not read to its end before the next file")
            seen = False
            while in_flight and in_flight[0][0] == k:
                _, ref, on_empty = in_flight.popleft()
                found = ray.get(ref)
                submit()
                seen = seen or bool(found)
                yield from found
                if on_empty is not None and not seen:
                    yield on_empty  # no part of the file held anything: what one reader says

        for _ in range(2 * len(actors)):
            submit()
        try:
            for k in range(len(files)):
                yield items(k)
        finally:
            cutting.close()
            for actor in actors:
                ray.kill(actor)

    return read


class _Cutting:
    """Files cut into parts (a pass over each big file, decompressing it if compressed) on a
    thread of the driver, up to two files ahead of the one being handed out, so the readers
    are not left idle while the driver cuts the next big file (zlib and file reads release
    the GIL). A file of a format never cut is not handed to the thread."""

    AHEAD = 2

    def __init__(self, files: Sequence[InputFile], part_bytes: int):
        self.files, self.part_bytes = files, part_bytes
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-cut")
        self.futures: dict[int, Future] = {}

    def of(self, k: int) -> Cut:
        for ahead in range(k, min(k + self.AHEAD + 1, len(self.files))):
            # The cut itself decides (by a stat) whether a file is big enough: the pool-size hint
            # guesses a gzip file's decompressed size, and would leave some cuttable ones whole.
            if ahead not in self.futures and self.files[ahead].format in CUT_FORMATS:
                self.futures[ahead] = self.pool.submit(cut, self.files[ahead], self.part_bytes)
        future = self.futures.pop(k, None)
        try:
            return future.result() if future is not None else Cut()
        except Exception:  # noqa: BLE001 - a cutter's bug on one hostile file: read it whole
            return Cut()  # (its one reader reports what is wrong with it), never stop the run

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _calls(k: int, file: InputFile, found: Cut) -> Iterator[tuple]:
    """The reader calls of file ``k``: (k, file, part, index or its object ref, the problem to
    report if no part gives anything: on the last part only); one call with no part for a
    file read whole."""
    if not found.parts:
        yield k, file, None, None, None
        return
    index = ray.put(found.index) if found.index is not None else None
    last = len(found.parts) - 1
    for n, part in enumerate(found.parts):
        yield k, file, part, index, nothing_found(file, found) if n == last else None


def _calls_hint(files: Sequence[InputFile], part_bytes: int) -> int:
    """About how many reader calls ``files`` make (a big file one a part), by size."""
    return sum(expected_parts(file, part_bytes) for file in files)


class _Reader:
    """A Ray actor that reads and cleans input files (run/ingest.py ``read_file``)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes

    def read(self, file: InputFile, part: Part | None = None, index: bytes | None = None) -> list:
        items = read_file(file, self.max_bytes, part, index)
        crash_once("read")
        return items
