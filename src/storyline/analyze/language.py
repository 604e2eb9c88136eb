"""Which language an article is written in, so that only English is analysed.

The analysis (spaCy's English pipeline, the English cue lexicon, the gazetteer of English place
names) reads any other language as noise: a German article would come out with "people" such as
"Die" and quotes on random verbs. ``py3langid`` (a maintained, numpy-only fork of langid.py,
97 languages) names the language; its model loads once per process on first use (about a
second). Short texts are not judged: below :data:`MIN_WORDS` words (in a script written without
spaces, two characters count as a word), or when the detector is unsure
(:data:`MIN_CONFIDENCE`), the article is treated as English.
"""

from __future__ import annotations

import functools
import re

MIN_WORDS = 12
MIN_CONFIDENCE = 0.90
SAMPLE_CHARS = 4000  # the start of the body decides: enough for the detector, and bounded
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Japanese kana, Chinese
# and Japanese ideographs): counted by characters, two to a word, since splitting on spaces finds
# a clause or a whole paragraph as one "word".
SPACELESS = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of the text's language; None for a text too short to judge."""
    sample = text[:SAMPLE_CHARS]
    words = len(sample.split())
    if words < MIN_WORDS:
        words += sum(len(run) for run in SPACELESS.findall(sample)) // 2
    if words < MIN_WORDS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)


def not_english(text: str) -> str | None:
    """Why the text will not be analysed ("written in de (p=1.00), not English"), or None. A
    text mostly in letters outside the Latin script is not English whatever the detector's
    confidence in its language (it hesitates between Chinese and Japanese: 0.82 for a
    paragraph of Chinese)."""
    found = detect(text)
    if found is None or found[0] == "en" or found[1] < MIN_CONFIDENCE and not _mostly_other_script(text[:SAMPLE_CHARS]):
        return None
    return f"written in {found[0]} (p={found[1]:.2f}), not English: the analysis reads English only, so it was skipped"


def _mostly_other_script(sample: str) -> bool:
    """Whether most of the letters of ``sample`` are outside the Latin script (U+0000-U+024F)."""
    letters = [c for c in sample if c.isalpha()]
    return bool(letters) and 2 * sum(1 for c in letters if c > "\u024f") > len(letters)
