"""Fixing a quote's speaker: the stored analysis is changed now, and every later analysis of
the article (a re-analysis under a new analyzer version) gets the same fix before it is stored
(run/analyze.py calls :func:`corrected_analyses`).

A quote is found again by its span in the body (the body never changes), or, when the analyzer
now cuts the quote a little differently, by the quote overlapping the corrected span most (at
least half of the shorter). The speaker is a name; when one of the article's PERSON entities
goes by that name, the quote is tied to it (``speaker_id``) so that the people and the story's
"quotes by speaker" follow. Undo puts back the speaker the analyzer gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from storyline.link.corrections.common import QUOTE, CorrectionError, record, who_and_why
from storyline.records import Analysis, Mention, Quote
from storyline.store import Store
from storyline.store.records import Correction

MAX_SPEAKER = 200
QUOTE_TEXT_KEPT = 500  # characters of the quote kept in the correction, for the listing


def quote_key(article_id: str) -> str:
    return f"quote:{article_id}"


def quote_speaker(store: Store, article: str, number: int, speaker: str, *, author: str | None,
                  reason: str | None) -> Correction:
    """The ``number``-th quote of an article (1-based, in the order the article page lists them)
    was said by ``speaker``."""
    who_and_why(author, reason)  # a missing reason is said first, before any lookup
    try:
        found = store.article(article)
    except LookupError as exc:
        raise CorrectionError(str(exc)) from None
    if found is None:
        raise CorrectionError(f"no article {article!r}")
    analysis = store.analysis(found.id)
    if analysis is None or not analysis.quotes:
        raise CorrectionError(f"article {found.id} has no quotes (is it analysed? `storyline analyze`)")
    if not 1 <= number <= len(analysis.quotes):
        raise CorrectionError(f"article {found.id} has {len(analysis.quotes)} quotes; there is no quote {number}")
    speaker = " ".join((speaker or "").split())
    if not speaker:
        raise CorrectionError("give the speaker's name")
    if len(speaker) > MAX_SPEAKER:
        raise CorrectionError(f"the speaker's name is {len(speaker)} characters long; at most {MAX_SPEAKER}")
    q = analysis.quotes[number - 1]
    if q.speaker == speaker and not q.anonymous:
        raise CorrectionError(f"quote {number} of article {found.id} is attributed to {speaker} already")
    mention = q.speaker_mention
    payload = {"article": found.id, "start": q.start, "end": q.end, "text": q.text[:QUOTE_TEXT_KEPT],
               "speaker": speaker, "was": q.speaker, "was_id": q.speaker_id, "was_anonymous": q.anonymous,
               "was_mention": [mention.start, mention.end, mention.text] if mention else None}
    c = record(store, QUOTE, (found.id,), payload, [quote_key(found.id)], author, reason)
    _restore(store, found.id, None)
    return c


def corrected_analyses(store: Store, analyses: Sequence[Analysis]) -> list[Analysis]:
    """The analyses with the active quote corrections of their articles applied (one indexed
    lookup for the batch)."""
    fixes = [c for c in store.corrections_by_keys([quote_key(a.article_id) for a in analyses]) if c.kind == QUOTE]
    if not fixes:
        return list(analyses)
    return [_applied(a, [c for c in fixes if c.payload.get("article") == a.article_id]) for a in analyses]


def reapply(store: Store, undone: Correction) -> None:
    """After an undo: the analyzer's speaker back, then the article's other corrections."""
    _restore(store, str(undone.payload.get("article")), undone)


def _restore(store: Store, article_id: str, undone: Correction | None) -> None:
    analysis = store.analysis(article_id)
    stamps = store.analysis_stamps([article_id])
    if analysis is None or not stamps:
        return
    if undone is not None:
        analysis = _put_back(analysis, undone)
    fixes = [c for c in store.corrections_by_keys([quote_key(article_id)]) if c.kind == QUOTE]
    # Stored anew: a new analysis time makes the people step and the story's facts see it.
    store.put_analyses([_applied(analysis, fixes)], stamps[0].version)


def _applied(analysis: Analysis, fixes: Sequence[Correction]) -> Analysis:
    quotes = list(analysis.quotes)
    for c in fixes:  # oldest first: a later fix of the same quote wins
        n = _find(quotes, c)
        if n is not None:
            quotes[n] = replace(quotes[n], speaker=c.payload["speaker"], anonymous=False, speaker_mention=None,
                                speaker_id=_entity_named(analysis, c.payload["speaker"]))
    return replace(analysis, quotes=tuple(quotes))


def _put_back(analysis: Analysis, c: Correction) -> Analysis:
    quotes = list(analysis.quotes)
    n = _find(quotes, c)
    if n is None:
        return analysis
    p = c.payload
    was = p.get("was_mention")
    mention = Mention(analysis.article_id, int(was[0]), int(was[1]), str(was[2])) if was else None
    was_id = p.get("was_id")
    # The analyzer's entity, if the article still has it (else none rather than another's).
    known = {e.id for e in analysis.entities}
    quotes[n] = replace(quotes[n], speaker=p.get("was"), speaker_id=was_id if was_id in known else None,
                        anonymous=bool(p.get("was_anonymous")), speaker_mention=mention)
    return replace(analysis, quotes=tuple(quotes))


def _find(quotes: Sequence[Quote], c: Correction) -> int | None:
    """The quote a correction meant: the same span, else the one overlapping it most."""
    start, end = int(c.payload["start"]), int(c.payload["end"])
    best, best_overlap = None, 0
    for n, q in enumerate(quotes):
        if (q.start, q.end) == (start, end):
            return n
        overlap = min(q.end, end) - max(q.start, start)
        if overlap * 2 >= min(q.end - q.start, end - start) and overlap > best_overlap:
            best, best_overlap = n, overlap
    return best


def _entity_named(analysis: Analysis, name: str) -> str | None:
    wanted = name.casefold()
    for e in analysis.entities:
        if e.type == "PERSON" and wanted in {s.strip().casefold() for s in (e.name, *e.aliases)}:
            return e.id
    return None
