"""The ``storyline`` command: thin wrappers that parse options, call Desk, and print.

One module per command group (``articles``, ``analysis``, ``reuse``, ``stories``, ``link``, ``run``,
``brief``, ``export``, ``serve``, ``corrections``); what they share (the app, options, consoles, progress) is in
``common``. Importing a group registers its commands on ``app``. Heavy libraries (spaCy, torch,
the readers, the web framework) are imported inside the commands that use them, so that
``storyline --help`` and the listing commands start at once.
"""

from __future__ import annotations

import inspect
import sys

from storyline.cli import analysis, articles, brief, check, copying, corrections, export, link, reuse, run, search, serve, stories, watch  # noqa: F401 - registers the commands
from storyline.cli.common import app

__all__ = ["app", "main"]


def _one_line_summaries() -> None:
    """Each command's line in ``storyline --help``: its docstring's first paragraph as one
    flowing line. Typer keeps the docstring's line breaks there, so the list read as ragged
    fragments ("people with" / "their roles, quotes by speaker"); a command's own ``--help``
    already reflows its text."""
    for command in app.registered_commands:
        if command.short_help is None and command.help is None and command.callback is not None:
            doc = inspect.getdoc(command.callback) or ""
            command.short_help = " ".join(doc.split("\n\n", 1)[0].replace("``", "").split()) or None


_one_line_summaries()


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
