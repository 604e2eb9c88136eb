"""Helpers shared by tests that run the real ``storyline`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args], capture_output=True, text=True,
        env=full_env, timeout=timeout,
    )


def write_text_articles(folder, count: int, *, start: int = 0) -> list:
    """Write ``count`` distinct small plain-text articles (headline + two paragraphs)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"article-{i:05d}.txt"
        path.write_text(
            f"Council report number {i} published\n\n"
            f"The council published report number {i} on Tuesday, officials said.\n\n"
            f"Residents will be asked for their views on item {i} next week.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths
