"""What every command shares: the Typer app, the two consoles, the shared options, opening a
store, failing with a message and a progress bar.

Listings print a Rich table, or JSON with ``--json``. Progress and problems go to stderr, so
``--json`` output on stdout stays machine-readable. Errors exit non-zero.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.segment import Segment

from storyline.store import StoreError

if TYPE_CHECKING:
    from storyline.desk import Desk
    from storyline.run.common import IngestReport, Progress

app = typer.Typer(
    help="Storyline: make sense of a pile of news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# C0 controls but tab and newline, DEL and C1 controls: ESC (and the one-byte CSI) start
# terminal escape sequences, which can move the cursor, rewrite the window title or the
# clipboard. Article text, URLs and titles are untrusted and stored text may predate the
# cleaning at ingest, so every console strips them from what it prints.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without the control characters a terminal would act on."""
    return _TERMINAL_CONTROLS.sub("", text)


class SafeConsole(Console):
    """A Rich console that strips control characters from the text it prints, while keeping
    its own styling and cursor control (Rich marks those segments as control or styles them
    after this point). Rich itself strips only BEL, BS, VT, FF and CR."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(printable(segment.text), segment.style)
            for segment in buffer
        )


out = SafeConsole(highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="STORYLINE_DB",
        help="SQLite file or postgresql:// URL [default: storyline.db]",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LimitOption = Annotated[int | None, typer.Option(help="Show at most this many.", min=0)]
OffsetOption = Annotated[int, typer.Option(help="Skip this many first.", min=0)]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private", envvar="STORYLINE_ALLOW_PRIVATE",
    help="Allow fetching private, loopback and link-local addresses (an intranet, a local test server).")]
PerHostOption = Annotated[int, typer.Option(help="Requests at once to one host.", min=1)]
DelayOption = Annotated[float, typer.Option(help="Seconds between request starts to one host "
                                                 "(robots.txt Crawl-delay if longer).", min=0)]


def open_desk(db: str | None, *, create: bool = False) -> Desk:
    """The Desk over ``db``; a store that cannot be opened fails the command (exit 2). A SQLite
    file that does not exist is an error (a typo must not read as an empty store) unless
    ``create`` (``init``, ``ingest``, ``watch``)."""
    from storyline.desk import open as open_
    from storyline.store import missing_store

    missing = None if create else missing_store(db)
    if missing:
        fail(f"{missing}: no such store (create one with `storyline init --db {missing}` or `storyline ingest`)",
             code=2)
    try:
        return open_(db)
    except StoreError as exc:
        fail(str(exc), code=2)


def fetch_policy(*, allow_private: bool, per_host: int, delay: float, max_bytes: int):
    """The fetch policy the fetching commands' options ask for."""
    from storyline.ingest.fetch import FetchPolicy

    return FetchPolicy(allow_private=allow_private, per_host=per_host, delay_s=delay, max_bytes=max_bytes)


def read_url_list(path) -> list[str]:
    """The URLs of a ``--urls`` file: one a line; blank lines and # comments skipped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        fail(f"{path}: cannot read the URL list ({exc.strerror or exc})", code=2)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def fail(message: str, *, code: int = 1) -> NoReturn:
    """Print ``message`` as an error on stderr and exit with ``code``."""
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False)
    raise typer.Exit(code)


def warn(label: str, message: str) -> None:
    """One line on stderr: a yellow ``label`` ("skipped", "not analysed") and the message."""
    err.print(f"[yellow]{label}[/] {escape(message)}", markup=True, highlight=False)


# Progress when stderr is no terminal (a log file, a pipe, cron): nothing for work done within
# QUIET_S seconds, then a plain line, and another at most every LOG_EVERY_S seconds. A quick
# command stays quiet; a long one (the first `stories` after a clusterer change re-clustered
# 2,000 articles in 4 minutes) says what it is doing. By time alone: some labels change with
# every item (a file name, a title, a URL), so a line per new label would be a line per item.
QUIET_S = 5.0
LOG_EVERY_S = 30.0


@contextmanager
def progress_bar(description: str, clock: Callable[[], float] = time.monotonic) -> Iterator[Progress]:
    """A progress bar on stderr, as the ``progress`` callback that Desk methods take:
    ``advance(done, total, label)``. Drawn when stderr is a terminal; otherwise a plain line
    now and then (QUIET_S, LOG_EVERY_S). ``clock``: seconds, for the plain lines (tests)."""
    if not err.is_terminal:
        yield _logged(description, clock)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task(description, total=None)

    def advance(done: int, total: int, label: str) -> None:
        bar.update(task, completed=done, total=total, description=str(label)[:40])

    with bar:
        yield advance


def _logged(description: str, clock: Callable[[], float]) -> Callable[[int, int, str], None]:
    started = clock()
    printed_at: float | None = None

    def advance(done: int, total: int, label: str) -> None:
        nonlocal printed_at
        now = clock()
        if now - started < QUIET_S or (printed_at is not None and now - printed_at < LOG_EVERY_S):
            return
        printed_at = now
        err.print(f"{description}: {str(label)[:60]} {done:,}/{total:,} ({now - started:.0f} s)",
                  markup=False, highlight=False)

    return advance


def clip(text: str, width: int = 120) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def sighted_note(report: IngestReport) -> str:
    """How many of an ingest's present articles were kept as new sightings (the same text
    from a new URL or outlet), for the summary line: " (2 from new outlets or URLs)"."""
    return f" ({len(report.sighted)} from new outlets or URLs)" if report.sighted else ""
