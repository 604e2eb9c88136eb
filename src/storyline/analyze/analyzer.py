"""The per-article analysis stage: article in, :class:`Analysis` out, no cross-article state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator

from typing import TYPE_CHECKING

from storyline.analyze import bounds
from storyline.analyze import entities as entities_mod
from storyline.analyze import quotes as quotes_mod
from storyline.analyze import speakers as speakers_mod
from storyline.analyze import timex as timex_mod
from storyline.analyze.headline_case import cut_run_ons
from storyline.analyze.nlp import join_docs, pipeline
from storyline.analyze.titles import MAX_TITLE_CHARS, separate_title
from storyline.ingest.dates import published_time
from storyline.records import Analysis, Article, TimePoint

if TYPE_CHECKING:  # spaCy's types, for annotations only
    from storyline.analyze.nlp import Doc, Language

class Analyzer:
    """Runs spaCy over article bodies in batches and turns each parse into an :class:`Analysis`.

    Each body is first bounded (:mod:`storyline.analyze.bounds`: characters, quotation marks,
    then sentences) and parsed in chunks joined back into one Doc, so the cost of one article
    is bounded whatever it holds; what was left out is in ``Analysis.truncated``.
    The model is loaded once per process (see :mod:`storyline.analyze.nlp`), so creating several
    analyzers is cheap.
    """

    def __init__(self, *, batch_size: int = 16, nlp: Language | None = None):
        self.nlp = nlp if nlp is not None else pipeline()
        self.batch_size = batch_size

    def analyze(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        articles = list(articles)
        titles = self._title_entities(articles)
        items = ((a.body, a.id, _anchor(a)) for a in articles)
        for doc, article_id, anchor, truncated in self._docs(items):
            analysis = analyze_doc(cut_run_ons(doc, self.nlp), article_id, anchor)
            if titles.get(article_id):
                analysis = dataclasses.replace(analysis, title_entities=titles[article_id])
            yield _with_truncated(analysis, truncated)

    def _title_entities(self, articles: list[Article]) -> dict[str, tuple]:
        """The entities of each title that is text of its own (analyze/titles.py), each title
        parsed alone (a headline is one short sentence: a few ms in a batch of bodies)."""
        own = [(a.id, title[:MAX_TITLE_CHARS]) for a in articles
               if (title := separate_title(a.body, a.title)) is not None]
        try:
            return self._title_docs(own)
        except Exception:  # noqa: BLE001 - one title that fails must not cost its article (or batch) the body's analysis
            found = {}
            for one in own:
                try:
                    found.update(self._title_docs([one]))
                except Exception:  # noqa: BLE001 - this title's names are left out
                    continue
            return found

    def _title_docs(self, titles: list[tuple[str, str]]) -> dict[str, tuple]:
        found = {}
        for doc, article_id in self.nlp.pipe(((t, aid) for aid, t in titles), as_tuples=True,
                                              batch_size=self.batch_size):
            found[article_id] = entities_mod.extract(cut_run_ons(doc, self.nlp), article_id).records()
        return found

    def analyze_texts(self, texts: Iterable[str], ids: Iterable[str] | None = None) -> Iterator[Analysis]:
        texts = list(texts)
        ids = list(ids) if ids is not None else [f"text{i}" for i in range(len(texts))]
        items = ((t, i, None) for t, i in zip(texts, ids, strict=True))
        for doc, article_id, _, truncated in self._docs(items):
            yield _with_truncated(analyze_doc(cut_run_ons(doc, self.nlp), article_id), truncated)

    def analyze_text(self, text: str, article_id: str = "text") -> Analysis:
        return next(self.analyze_texts([text], [article_id]))

    def _docs(self, items: Iterable[tuple[str, str, dt.date | None]]) -> Iterator[tuple[Doc, str, dt.date | None, tuple[str, ...]]]:
        """One Doc per (text, id, anchor), parsed chunk by chunk (all chunks go through one
        ``nlp.pipe``, so short articles batch as before), with the notes of what was cut."""
        def pieces() -> Iterator[tuple[str, tuple[int, int, tuple]]]:
            for number, (text, article_id, anchor) in enumerate(items):
                kept = bounds.bound(text)
                parts = bounds.chunks(kept.text)
                for index, part in enumerate(parts):
                    yield part, (number, len(parts) - index - 1, (article_id, anchor, kept))

        parsed: list[Doc] = []
        for doc, (_number, left, (article_id, anchor, kept)) in self.nlp.pipe(
                pieces(), as_tuples=True, batch_size=self.batch_size):
            parsed.append(doc)
            if left == 0:
                whole, notes = _join(parsed, len(kept.text))
                parsed = []
                yield whole, article_id, anchor, kept.truncated + notes


def _join(docs: list[Doc], length: int) -> tuple[Doc, tuple[str, ...]]:
    """The chunks of one body as one Doc, cut after MAX_SENTENCES sentences (with a note)."""
    sentences = 0
    for index, doc in enumerate(docs):
        sents = _sentences(doc)
        if sentences + len(sents) > bounds.MAX_SENTENCES:
            sent = sents[bounds.MAX_SENTENCES - sentences]
            kept = docs[:index] + ([doc[: sent.start].as_doc()] if sent.start > 0 else [])
            whole = join_docs(kept)
            return whole, (f"analysed the first {len(whole.text):,} of {length:,} characters, which hold "
                           f"{bounds.MAX_SENTENCES:,} sentences (cap: {bounds.MAX_SENTENCES:,} per article)",)
        sentences += len(sents)
    return join_docs(docs), ()


def _sentences(doc: Doc) -> list:
    try:
        return list(doc.sents)
    except ValueError:  # a pipeline without parser or sentence boundaries: no cap to apply
        return []


def _with_truncated(analysis: Analysis, truncated: tuple[str, ...]) -> Analysis:
    return dataclasses.replace(analysis, truncated=truncated) if truncated else analysis


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
