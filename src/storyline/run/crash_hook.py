"""A test hook of the Ray engine (run/ray_exec.py, run/ray_read.py): with both variables set,
the first batch of each named step (comma-separated) makes its worker process exit right after
the batch committed, once per marker folder (a file per step marks it done), so a test can
show that a dead worker costs neither results nor duplicates. Never set in normal use."""

from __future__ import annotations

import os
from pathlib import Path

CRASH_STEPS = "STORYLINE_RAY_CRASH_STEPS"
CRASH_DIR = "STORYLINE_RAY_CRASH_DIR"


def crash_once(step: str) -> None:
    """Exit this process if ``step`` is named and has not crashed yet (see the module docstring)."""
    folder, names = os.environ.get(CRASH_DIR), os.environ.get(CRASH_STEPS, "")
    if not folder or step not in names.split(","):
        return
    try:
        os.close(os.open(Path(folder) / step, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    os._exit(1)
