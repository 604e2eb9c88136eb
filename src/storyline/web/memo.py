"""A small thread-safe memo for the server: values kept by key (least recently used dropped),
each computed once even when many requests ask for it at the same moment.

The server keeps what is slow to compute and changes only when the store does (story reports,
rendered story pages, the people merged across the store), keyed by a cheap reading of the
state they were computed from, so a change to the store gives a new key and a fresh value.
Plain Python, no web framework: one instance per app, never module-global.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    def __init__(self, *, keep: int):
        self.keep = keep
        self._done: OrderedDict[Hashable, T] = OrderedDict()
        self._running: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many values were computed (tests and the load benchmark read it)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``, computed by ``compute()`` if not kept. A request that finds
        the value being computed waits for it; an exception reaches the caller that computed
        and is not kept (the next request tries again)."""
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            running = self._running.setdefault(key, threading.Lock())
        with running:
            with self._lock:
                if key in self._done:  # computed by the request we waited for
                    return self._done[key]
            done = False
            try:
                value = compute()
                done = True
            finally:
                # One step: a request that finds nothing running must find the value.
                with self._lock:
                    self._running.pop(key, None)
                    if done:
                        self.computed += 1
                        self._done[key] = value
                        while len(self._done) > self.keep:
                            self._done.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every kept value (a change the keys do not see, such as a correction)."""
        with self._lock:
            self._done.clear()

