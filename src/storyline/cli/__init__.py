"""The ``storyline`` command: thin wrappers that parse options, call Desk, and print.

One module per command group (``articles``, ``analysis``, ``reuse``, ``stories``, ``link``, ``run``,
``brief``, ``export``, ``serve``, ``corrections``); what they share (the app, options, consoles, progress) is in
``common``. Importing a group registers its commands on ``app``. Heavy libraries (spaCy, torch,
the readers, the web framework) are imported inside the commands that use them, so that
``storyline --help`` and the listing commands start at once.
"""

from __future__ import annotations

import sys

from storyline.cli import analysis, articles, brief, check, corrections, export, link, reuse, run, search, serve, stories, watch  # noqa: F401 - registers the commands
from storyline.cli.common import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
