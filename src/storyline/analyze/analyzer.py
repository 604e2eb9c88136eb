"""The per-article analysis stage: article in, :class:`Analysis` out, no cross-article state."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from typing import TYPE_CHECKING

from storyline.analyze import entities as entities_mod
from storyline.analyze import quotes as quotes_mod
from storyline.analyze import speakers as speakers_mod
from storyline.analyze import timex as timex_mod
from storyline.analyze.nlp import pipeline
from storyline.ingest.dates import published_time
from storyline.records import Analysis, Article, TimePoint

if TYPE_CHECKING:  # spaCy's types, for annotations only
    from storyline.analyze.nlp import Doc, Language

# spaCy's own default limit (nlp.max_length); the parser's memory grows with the text, so a body
# longer than this is analysed up to the paragraph break before the limit and the rest ignored.
MAX_ANALYSED_CHARS = 1_000_000


def _bounded(text: str) -> str:
    if len(text) <= MAX_ANALYSED_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_ANALYSED_CHARS)
    return text[: cut if cut > 0 else MAX_ANALYSED_CHARS]


class Analyzer:
    """Runs spaCy over article bodies in batches and turns each parse into an :class:`Analysis`.

    The model is loaded once per process (see :mod:`storyline.analyze.nlp`), so creating several
    analyzers is cheap.
    """

    def __init__(self, *, batch_size: int = 16, nlp: Language | None = None):
        self.nlp = nlp if nlp is not None else pipeline()
        self.batch_size = batch_size

    def analyze(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        pairs = ((_bounded(a.body), (a.id, _anchor(a))) for a in articles)
        for doc, (article_id, anchor) in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield analyze_doc(doc, article_id, anchor)

    def analyze_texts(self, texts: Iterable[str], ids: Iterable[str] | None = None) -> Iterator[Analysis]:
        texts = list(texts)
        ids = list(ids) if ids is not None else [f"text{i}" for i in range(len(texts))]
        pairs = ((_bounded(t), i) for t, i in zip(texts, ids, strict=True))
        for doc, article_id in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield analyze_doc(doc, article_id)

    def analyze_text(self, text: str, article_id: str = "text") -> Analysis:
        return analyze_doc(self.nlp(_bounded(text)), article_id)


def analyze_doc(doc: Doc, article_id: str, anchor: dt.date | None = None) -> Analysis:
    """Entities, roles, quotes and speakers of one parsed article, and its temporal expressions
    resolved against ``anchor`` (its publication date; relative ones stay unresolved without)."""
    people = entities_mod.extract(doc, article_id)
    found = quotes_mod.extract(doc)
    quotes = speakers_mod.attribute(doc, article_id, found, people)
    times = tuple(time_point(article_id, t) for t in timex_mod.find_timexes(doc.text, anchor, doc=doc))
    return Analysis(article_id=article_id, entities=people.records(), quotes=tuple(quotes), times=times)


def time_point(article_id: str, t: timex_mod.Timex) -> TimePoint:
    """The stored form of a Timex; ``detail`` keeps what resolve() needs to value it again."""
    detail = json.dumps({"rule": t.rule, "tense": t.tense}, separators=(",", ":"))
    return TimePoint(article_id, t.text, t.start, t.end, t.type, t.value, t.mod, t.anchored, detail=detail)


def _anchor(article: Article) -> dt.date | None:
    when = published_time(article.published)
    return when.date() if when is not None else None
