"""Which language an article is written in, so that only English is analysed.

The analysis (spaCy's English pipeline, the English cue lexicon, the gazetteer of English place
names) reads any other language as noise: a German article would come out with "people" such as
"Die" and quotes on random verbs. ``py3langid`` (a maintained, numpy-only fork of langid.py,
97 languages) names the language; its model loads once per process on first use (about a
second). Short texts are not judged: below :data:`MIN_WORDS` words, or when the detector is
unsure (:data:`MIN_CONFIDENCE`), the article is treated as English.
"""

from __future__ import annotations

import functools

MIN_WORDS = 12
MIN_CONFIDENCE = 0.90
SAMPLE_CHARS = 4000  # the start of the body decides: enough for the detector, and bounded


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of the text's language; None for a text too short to judge."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < MIN_WORDS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)


def not_english(text: str) -> str | None:
    """Why the text will not be analysed ("written in de (p=1.00), not English"), or None."""
    found = detect(text)
    if found is None or found[0] == "en" or found[1] < MIN_CONFIDENCE:
        return None
    return f"written in {found[0]} (p={found[1]:.2f}), not English: the analysis reads English only, so it was skipped"
