"""Bring reuse and stories up to date after articles arrive through the API, in the background.

Linking (reuse scan, then online clustering; Desk.find_stories) takes seconds to minutes and
looks across the whole store, so it must neither hold up the POST that added the articles nor
run twice at once. One worker thread runs it; a request that arrives while it runs is folded
into one more run after it (however many arrive), so a burst of POSTs costs at most two runs.
A failed run is logged and leaves the store as its last committed batch left it (every step
of find_stories is incremental and resumable), and the next request tries again.

After a run, ``after(desk, article_ids)`` is called with the ids of the articles the run was
asked for (the server uses it to read the reports of the stories they joined into its cache;
find_stories has already stored their facts, see link/stories/fact_steps.py).

Plain Python, no web framework: one instance per app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from storyline.desk import Desk
from storyline.web.pool import DeskPool

log = logging.getLogger("storyline.web")


class BackgroundLinker:
    def __init__(self, pool: DeskPool, *, after: Callable[[Desk, set[str]], None] | None = None):
        self.pool = pool
        self.after = after
        self._lock = threading.Lock()
        self._wanted = False
        self._ids: set[str] = set()
        self._thread: threading.Thread | None = None
        self.idle = threading.Event()
        self.idle.set()
        self.runs = 0
        self.last_error: str | None = None

    @property
    def busy(self) -> bool:
        return not self.idle.is_set()

    def request(self, article_ids: Iterable[str] = ()) -> None:
        """Ask for a run for these new articles; returns at once."""
        with self._lock:
            self._wanted = True
            self._ids.update(article_ids)
            if self._thread is not None and self._thread.is_alive():
                return
            self.idle.clear()
            self._thread = threading.Thread(target=self._work, name="storyline-linker", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no run is pending (True) or ``timeout`` seconds pass (False)."""
        return self.idle.wait(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self.idle.set()
                    return
                self._wanted = False
                ids, self._ids = self._ids, set()
            try:
                with self.pool.desk() as desk:
                    desk.find_stories()
                    if self.after is not None and ids:
                        self.after(desk, ids)
                self.last_error = None
            except Exception as exc:  # noqa: BLE001 - a worker must not die silently; the next request retries
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.error("linking new articles failed: %s", self.last_error)
            finally:
                self.runs += 1
