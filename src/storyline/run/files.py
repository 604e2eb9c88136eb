"""Analysis of input files without a store (``storyline analyze FILE...``): one result per
article, in input order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.ingest.convert import ID_LENGTH, content_hash
from storyline.ingest.decode import UndecodableError, decode_text
from storyline.ingest.files import DEFAULT_MAX_BYTES, InputError, discover, read_capped
from storyline.ingest.pipeline import articles as clean_articles
from storyline.ingest.pipeline import documents
from storyline.records import Analysis, Article, Link, Problem
from storyline.run.analyze import analyze_each, load_analyzer
from storyline.run.common import Skipped

if TYPE_CHECKING:
    from storyline.analyze import Analyzer


@dataclass(slots=True, frozen=True)
class AnalysedText:
    """One input text and its analysis; offsets in ``analysis`` index ``body``."""

    source: str
    body: str
    analysis: Analysis
    locator: str | None = None


def analyze_inputs(
    paths: Iterable[str | os.PathLike],
    *,
    verbatim: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    analyzer: Analyzer | None = None,
) -> Iterator[AnalysedText | Problem]:
    """Analyse input files without storing anything, one result per article, in input order.

    Without ``verbatim`` each file is read and cleaned as ``ingest`` does (a file holding several
    articles, such as JSONL, gives several results; link-only feed entries are passed over), and
    offsets index the cleaned body. With ``verbatim`` each file's decoded text, exactly as is
    (line ends untouched; a byte-order mark is not counted), is the body, so offsets index the
    file. An input that cannot be read or analysed gives a :class:`Problem`. The analyzer is
    loaded when the first text is ready (:class:`AnalysisUnavailable` if it cannot be).
    """
    held: list[Analyzer] = [analyzer] if analyzer is not None else []
    for article in _input_articles(paths, verbatim=verbatim, max_bytes=max_bytes):
        if isinstance(article, Problem):
            yield article
            continue
        if not held:
            held.append(load_analyzer())
        for item in analyze_each(held[0], [article]):
            if isinstance(item, Skipped):
                yield item.note  # not English: reported, not analysed
            elif isinstance(item, Problem):
                yield item
            else:
                yield AnalysedText(article.source, article.body, item, article.locator)


def _input_articles(
    paths: Iterable[str | os.PathLike], *, verbatim: bool, max_bytes: int
) -> Iterator[Article | Problem]:
    for raw in paths:
        if verbatim:
            yield _verbatim_article(Path(raw), max_bytes)
            continue
        for item in discover([raw]):
            if isinstance(item, tuple):
                yield Problem(item[0], item[1])
                continue
            found = links = 0
            for out in clean_articles(documents(item, max_bytes=max_bytes)):
                if isinstance(out, Link):
                    links += 1
                    continue
                found += isinstance(out, Article)
                yield out
            if links and not found:
                yield Problem(str(item.path),
                              f"holds only link-only feed entries ({links}); analyze does not fetch them")


def _verbatim_article(path: Path, max_bytes: int) -> Article | Problem:
    if path.is_dir():
        return Problem(str(path), "is a folder (--verbatim reads files only)")
    if not path.exists():
        return Problem(str(path), "no such file or folder")
    try:
        text = decode_text(read_capped(path, max_bytes))
    except (InputError, UndecodableError) as exc:
        return Problem(str(path), str(exc))
    digest = content_hash(text)
    return Article(id=digest[:ID_LENGTH], content_hash=digest, source=str(path), body=text)
