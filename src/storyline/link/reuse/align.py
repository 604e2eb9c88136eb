"""Sentence alignment of two articles: which derived sentence restates which source sentence.

Scores come from the sentence-level paraphrase model (embedding cosine plus lexical evidence,
link/reuse/paraphrase.py), with the pairs that can become links re-scored by the rewrite
cross-encoder (link/reuse/rewrites.py). The alignment is order aware: the best monotone chain of links is taken first
(a rewrite keeps the order of its source), then a link out of order is added only when it is
strong (a moved paragraph), and a sentence merged from two source sentences keeps a second link to
a neighbour of its first. Hand-written because sentence alignment for monolingual rewrites is a
few dozen lines over a score matrix, and no maintained library does it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from storyline.analyze.sentences import sentence_spans
from storyline.link.reuse.rewrites import refine
from storyline.records import SentencePair

# A link needs this paraphrase probability. Calibrated on the seeds (the rewrite's sentence pairs
# score 0.55-0.99, independent same-story sentence pairs below 0.5) and the Clough-Stevenson
# light/heavy revisions (benchmarks/reuse_grades.py).
LINK_MIN = 0.5
# A link against the order of the chain, or a second source sentence for one derived sentence,
# must be stronger: moved paragraphs are rare in rewrites, coincidental matches less so.
OUT_OF_ORDER_MIN = 0.8
MERGE_MIN = 0.6
# Gap filling (see _fill_gaps): gaps of at most GAP_MAX sentences on each side between two links
# of the chain; a pair there is linked with cosine ≥ GAP_COSINE or model probability ≥ GAP_MIN.
# On the seed rewrite the reworded pairs the model misses have cosine 0.66-0.89; a same-story
# pair that is not a restatement rarely sits between two restated neighbours.
GAP_MAX = 3
GAP_COSINE = 0.65
GAP_MIN = 0.2
# Sentence pairs whose cosine is below this are not scored by the model (a paraphrase with cosine
# under 0.35 did not occur in MRPC's positives); it keeps scoring cheap for long articles.
PREFILTER_COSINE = 0.35
SHINGLE = 5
# Sentences aligned per article: bodies can be megabytes of untrusted text, and the score matrix
# grows with the product of both sentence counts. 500 sentences is ~10,000 words, far beyond a
# news article; the rest of a longer body is left unaligned.
MAX_ALIGN_SENTENCES = 500
# Too little text to tell (compare.kind_of): reuse by restating, not by copying words, needs
# this many restated sentences holding at least MIN_WORDS words on each side. One sentence, or
# a headline, said again in other words is what two independent reports of the same news do
# (two outlets' headlines, a wire flash and a paper's lead). No reused answer of Clough-Stevenson
# has fewer than three sentences; of the UCI headline pairs, 18,204 were called rewrites before.
# MIN_WORDS is more than a headline holds (UCI: median 10 words, 99th percentile 15).
MIN_RESTATED = 2
MIN_WORDS = 16

# Splits and merges (_regroup): a part restates a whole when this share of its content words
# is in it; parts with fewer content words are too short to tell.
REGROUP_MIN = 0.7
REGROUP_WORDS = 4
REGROUP_SCORE = 0.6
MOVED_COPY_MIN = 0.8
_STOP = frozenset("the and for that this with from was were are has have had but not his her its their they "
                  "which who will would said says been also than into".split())

_WORD = re.compile(r"\w+")

Scorer = Callable[[Sequence[str], Sequence[str], np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class Alignment:
    source_sentences: tuple[tuple[int, int], ...]
    derived_sentences: tuple[tuple[int, int], ...]
    pairs: tuple[SentencePair, ...]
    source_coverage: float
    derived_coverage: float
    verbatim: float  # share of derived word 5-shingles present in the source
    source_verbatim: float  # share of source word 5-shingles present in the derived
    ordered: float  # share of links in the monotone chain
    longest_run: int  # most consecutive derived sentences aligned in order
    copied_words: int  # derived words inside a word 5-shingle the source has too (how much text is copied)
    restated_words: int  # words of the aligned sentences, the fewer of the two sides (how much is restated)
    restated_sentences: int  # aligned sentences, the fewer of the two sides (a split or merge counts once)
    # The paraphrase probabilities of every sentence pair, kept so the reverse alignment (derived
    # as source) can reuse them: the features and the cosine are symmetric.
    scores: np.ndarray = field(default=None, repr=False, compare=False)

    @property
    def similarity(self) -> float:
        return float(np.mean([p.score for p in self.pairs])) if self.pairs else 0.0


def align_spans(body: str) -> list[tuple[int, int]]:
    """The sentences of ``body`` that alignment uses (and that sentence vectors must match)."""
    return sentence_spans(body)[:MAX_ALIGN_SENTENCES]


def align(
    source: str,
    derived: str,
    source_vectors: np.ndarray | None = None,
    derived_vectors: np.ndarray | None = None,
    *,
    scorer: Scorer | None = None,
    scores: np.ndarray | None = None,
) -> Alignment:
    """Align the sentences of two bodies. Vectors (one unit row per sentence of
    ``align_spans(body)``; extra rows are ignored) are computed when not given. ``scores``, the
    ``scores`` of an earlier alignment of the same two bodies, transposed if they swapped sides,
    saves scoring the sentence pairs again."""
    s_spans = align_spans(source)
    d_spans = align_spans(derived)
    s_text = [source[a:b] for a, b in s_spans]
    d_text = [derived[a:b] for a, b in d_spans]
    if source_vectors is None or derived_vectors is None:
        from storyline.analyze.embed import embed

        source_vectors = embed(s_text) if source_vectors is None else source_vectors
        derived_vectors = embed(d_text) if derived_vectors is None else derived_vectors
    source_vectors, derived_vectors = source_vectors[: len(s_spans)], derived_vectors[: len(d_spans)]
    cosine = source_vectors @ derived_vectors.T
    s_tokens = [_tokens(t) for t in s_text]
    d_tokens = [_tokens(t) for t in d_text]
    if scores is None:
        scores = score_matrix(s_text, d_text, source_vectors, derived_vectors, scorer=scorer, cosine=cosine,
                              tokens=(s_tokens, d_tokens))
    # Gap filling raises the scores of the links it adds: on a copy, so ``scores`` stays raw.
    linked = scores.copy()
    links, chain = _links(linked, cosine)
    links = _regroup(links, s_tokens, d_tokens, linked)
    pairs = tuple(
        SentencePair(s_spans[i], d_spans[j], round(float(linked[i, j]), 4), round(_copied(s_tokens[i], d_tokens[j]), 4))
        for i, j in links
    )
    src_all = [t for ts in s_tokens for t in ts]
    der_all = [t for ts in d_tokens for t in ts]
    src_shingles, der_shingles = _shingles(src_all), _shingles(der_all)
    s_linked, d_linked = {i for i, _ in links}, {j for _, j in links}
    return Alignment(
        source_sentences=tuple(s_spans),
        derived_sentences=tuple(d_spans),
        pairs=pairs,
        source_coverage=_coverage(s_spans, s_linked),
        derived_coverage=_coverage(d_spans, d_linked),
        verbatim=_share(der_shingles, src_shingles),
        source_verbatim=_share(src_shingles, der_shingles),
        ordered=len(chain) / len(links) if links else 0.0,
        longest_run=_longest_run(chain),
        copied_words=copied_words(der_all, src_all, grams=src_shingles),
        restated_words=min(sum(len(s_tokens[i]) for i in s_linked), sum(len(d_tokens[j]) for j in d_linked)),
        restated_sentences=min(len(s_linked), len(d_linked)),
        scores=scores,
    )


def score_matrix(
    s_text: Sequence[str], d_text: Sequence[str], sv: np.ndarray, dv: np.ndarray, *,
    scorer: Scorer | None = None, cosine: np.ndarray | None = None,
    tokens: tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]] | None = None,
) -> np.ndarray:
    """Paraphrase probability for every (source, derived) sentence pair; pairs under the cosine
    prefilter score 0. ``cosine`` is ``sv @ dv.T`` and ``tokens`` each sentence's words (both
    sides) when the caller has them already. Without a ``scorer``, the feature model scores
    every pair and the cross-encoder re-scores those that can become links
    (:func:`storyline.link.reuse.rewrites.refine`)."""
    scores = np.zeros((len(s_text), len(d_text)), dtype=np.float32)
    if not len(s_text) or not len(d_text):
        return scores
    cosine = sv @ dv.T if cosine is None else cosine
    ii, jj = np.nonzero(cosine >= PREFILTER_COSINE)
    if not len(ii):
        return scores
    probs = (scorer or default_scorer())([s_text[i] for i in ii], [d_text[j] for j in jj], sv[ii], dv[jj])
    scores[ii, jj] = probs
    # The cross-encoder tells a restated sentence from a same-story one, which decides rewrites.
    # With one sentence, or under MIN_WORDS words, on a side there is no rewrite to decide
    # (compare.kind_of), so it is not run there: a headline dump's pairs are all such, and the
    # cross-encoder was three quarters of comparing them (UCI headlines, session 34).
    s_tokens, d_tokens = tokens or ([_tokens(t) for t in s_text], [_tokens(t) for t in d_text])
    if scorer is None and _enough_text(s_tokens) and _enough_text(d_tokens):
        refine(scores, s_text, d_text)
    return scores


def _enough_text(sentences: Sequence[Sequence[str]]) -> bool:
    """Whether these sentences (their words) could be restated enough to be a rewrite
    (MIN_RESTATED, MIN_WORDS)."""
    return len(sentences) >= MIN_RESTATED and sum(len(words) for words in sentences) >= MIN_WORDS


@functools.lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    from storyline.link.reuse.paraphrase import ParaphraseModel
    from storyline.link.reuse.paraphrase_features import features

    model = ParaphraseModel.load()

    def score(a: Sequence[str], b: Sequence[str], va: np.ndarray, vb: np.ndarray) -> np.ndarray:
        return model.prob(features(a, b, va, vb))

    return score


def _links(scores: np.ndarray, cosine: np.ndarray) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(links, chain): the monotone chain, its small gaps filled, then strong out-of-order links
    and merges, sorted by derived index; and the chain alone, before gap filling."""
    chain = _chain(scores, LINK_MIN)
    filled = _fill_gaps(chain, scores, cosine)
    used_s = {i for i, _ in filled}
    used_d = {j for _, j in filled}
    links = list(filled)
    primary = {j: i for i, j in filled}
    n_s, n_d = scores.shape
    # Moved passages: a strong link between two sentences the chain left out.
    for i, j in sorted(zip(*np.nonzero(scores >= OUT_OF_ORDER_MIN)), key=lambda ij: -scores[ij]):
        if i not in used_s and j not in used_d:
            links.append((int(i), int(j)))
            used_s.add(int(i))
            used_d.add(int(j))
            primary[int(j)] = int(i)
    # Merges: a derived sentence that also restates a neighbour of its source sentence; and
    # splits: a source sentence restated over two derived sentences.
    for j, i in list(primary.items()):
        for k in (i - 1, i + 1):
            if 0 <= k < n_s and k not in used_s and scores[k, j] >= MERGE_MIN:
                links.append((k, j))
                used_s.add(k)
        for k in (j - 1, j + 1):
            if 0 <= k < n_d and k not in used_d and scores[i, k] >= MERGE_MIN:
                links.append((i, k))
                used_d.add(k)
    return sorted(links, key=lambda ij: (ij[1], ij[0])), chain


def _regroup(links: list[tuple[int, int]], s_tokens: list[list[str]], d_tokens: list[list[str]],
             scores: np.ndarray) -> list[tuple[int, int]]:
    """Splits and merges the paraphrase model misses: it scores a half sentence low against the
    whole one (their lengths differ), so a sentence split in two, or two merged into one, left
    one part unlinked and was reported as a claim dropped and another added. An unlinked
    sentence whose words (:data:`REGROUP_MIN` of them) lie inside the counterpart of a
    neighbour, or inside an unlinked neighbour of that counterpart, is linked to it. Two passes,
    so a sentence split in three joins up too. The links added score REGROUP_SCORE (or the model's
    probability, if higher)."""
    links = list(links)
    s_words, d_words = _Words(s_tokens), _Words(d_tokens)
    for _ in range(3):
        s_of = {}
        d_of = {}
        for i, j in links:
            s_of.setdefault(j, []).append(i)
            d_of.setdefault(i, []).append(j)
        added = []
        for j in range(len(d_tokens)):
            if j in s_of:
                continue
            near = {i + k for n in (j - 1, j + 1) for i in s_of.get(n, ()) for k in (-1, 0, 1)}
            best = max(((_within(d_words, j, s_words, i), i) for i in near if 0 <= i < len(s_tokens)), default=(0.0, -1))
            if best[0] >= REGROUP_MIN:
                added.append((best[1], j))
        for i in range(len(s_tokens)):
            if i in d_of or any(a == i for a, _ in added):
                continue
            near = {j + k for n in (i - 1, i + 1) for j in d_of.get(n, ()) for k in (-1, 0, 1)}
            best = max(((_within(s_words, i, d_words, j), j) for j in near if 0 <= j < len(d_tokens)), default=(0.0, -1))
            if best[0] >= REGROUP_MIN:
                added.append((i, best[1]))
        if not added:
            added = _moved_copies(s_words, d_words, {i for i, _ in links}, {j for _, j in links})
        if not added:
            break
        for i, j in added:
            scores[i, j] = max(float(scores[i, j]), REGROUP_SCORE)
        links += added
    return sorted(set(links), key=lambda ij: (ij[1], ij[0]))


def _moved_copies(s_words: _Words, d_words: _Words, s_used: set[int], d_used: set[int]) -> list[tuple[int, int]]:
    """Unlinked sentences copied nearly word for word (MOVED_COPY_MIN of the words of each in
    the other) anywhere in the other text: a moved passage the model scored low because it was
    also merged with or split from a neighbour."""
    out = []
    # Every unlinked sentence against every free one was 0.7 s of 5 for 200 story pairs: an index
    # of the free sentences by word counts each one's share of the words of sentence i in one
    # pass, and only those with MOVED_COPY_MIN of them are looked at the other way. A sentence of
    # too few content words is within nothing (_within is 0 for it either way).
    free = {j for j in range(len(d_words.sets)) if j not in d_used and d_words.countable(j)}
    having: dict[str, list[int]] = {}
    for j in sorted(free):
        for t in d_words.sets[j]:
            having.setdefault(t, []).append(j)
    for i in range(len(s_words.sets)):
        if i in s_used or not s_words.countable(i):
            continue
        mine = s_words.content[i]
        hits: dict[int, int] = {}
        for t in mine:
            for j in having.get(t, ()):
                hits[j] = hits.get(j, 0) + 1
        best = max(((min(n / len(mine), _within(d_words, j, s_words, i)), j) for j, n in hits.items()
                    if j in free and n / len(mine) >= MOVED_COPY_MIN), default=(0.0, -1))
        if best[0] >= MOVED_COPY_MIN:
            out.append((i, best[1]))
            free.discard(best[1])
    return out


class _Words:
    """Each sentence's content words (3+ letters, no stop words) and set of words, made once:
    _regroup and _moved_copies look at every unlinked sentence against many others."""

    def __init__(self, tokens: list[list[str]]):
        self.content = [[t for t in part if len(t) > 2 and t not in _STOP] for part in tokens]
        self.sets = [set(part) for part in tokens]

    def countable(self, i: int) -> bool:
        return len(self.content[i]) >= REGROUP_WORDS


def _within(part: _Words, i: int, whole: _Words, j: int) -> float:
    """Share of the content words of sentence ``i`` of ``part`` found in sentence ``j`` of
    ``whole``; 0 for a sentence of fewer than REGROUP_WORDS such words (a dateline, a lone name)."""
    mine = part.content[i]
    if len(mine) < REGROUP_WORDS:
        return 0.0
    theirs = whole.sets[j]
    return sum(t in theirs for t in mine) / len(mine)


def _fill_gaps(chain: list[tuple[int, int]], scores: np.ndarray, cosine: np.ndarray) -> list[tuple[int, int]]:
    """Between two consecutive links of the chain, a few sentences on each side that are not
    linked are most likely restatements the model scored low (a long sentence reworded with a
    clause added or cut): link them in order when their embeddings agree (GAP_COSINE), or the
    model gives them at least GAP_MIN. Only small gaps, so two independent reports with a
    couple of shared facts far apart gain nothing."""
    if not chain:
        return chain
    n_s, n_d = scores.shape
    bounds = [(-1, -1), *chain, (n_s, n_d)]
    out: list[tuple[int, int]] = []
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        gap_s, gap_d = i1 - i0 - 1, j1 - j0 - 1
        at_edge = i0 < 0 or i1 >= n_s
        if gap_s > 0 and gap_d > 0 and (max(gap_s, gap_d) <= GAP_MAX or at_edge):
            lo_s = max(i0 + 1, i1 - GAP_MAX) if i0 < 0 else i0 + 1
            hi_s = min(i1, i0 + 1 + GAP_MAX) if i1 >= n_s else i1
            lo_d = max(j0 + 1, j1 - GAP_MAX) if j0 < 0 else j0 + 1
            hi_d = min(j1, j0 + 1 + GAP_MAX) if j1 >= n_d else j1
            if lo_s < hi_s and lo_d < hi_d:
                sub = np.where(cosine[lo_s:hi_s, lo_d:hi_d] >= GAP_COSINE, 1.0, 0.0) + scores[lo_s:hi_s, lo_d:hi_d]
                for i, j in _chain(sub, GAP_MIN):
                    out.append((lo_s + i, lo_d + j))
        if i1 < n_s:
            out.append((i1, j1))
    for i, j in out:
        scores[i, j] = max(float(scores[i, j]), GAP_MIN)
    return sorted(out, key=lambda ij: ij[1])


def _chain(scores: np.ndarray, floor: float) -> list[tuple[int, int]]:
    """Heaviest chain of links increasing in both indices (weighted longest increasing
    subsequence over the links above ``floor``; O(k^2) in the number of links, which the floor
    keeps small)."""
    cells = sorted((int(j), int(i)) for i, j in zip(*np.nonzero(scores >= floor)))
    if not cells:
        return []
    best = [0.0] * len(cells)
    back = [-1] * len(cells)
    for c, (j, i) in enumerate(cells):
        best[c] = float(scores[i, j])
        for p in range(c):
            pj, pi = cells[p]
            if pj < j and pi < i and best[p] + scores[i, j] > best[c]:
                best[c] = best[p] + float(scores[i, j])
                back[c] = p
    c = int(np.argmax(best))
    out = []
    while c >= 0:
        j, i = cells[c]
        out.append((i, j))
        c = back[c]
    return out[::-1]


def in_order(links: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The links (source, derived index) that keep the order of both texts: the longest chain
    increasing in both, over ``links`` sorted by derived index. The rest were moved."""
    ordered = sorted(set(links), key=lambda ij: (ij[1], ij[0]))
    best: list[int] = []
    back: list[int] = []
    for c, (i, j) in enumerate(ordered):
        best.append(1)
        back.append(-1)
        for p in range(c):
            pi, pj = ordered[p]
            if pi <= i and pj <= j and (pi, pj) != (i, j) and best[p] + 1 > best[c]:
                best[c], back[c] = best[p] + 1, p
    out = set()
    c = max(range(len(best)), key=best.__getitem__, default=-1)
    while c >= 0:
        out.add(ordered[c])
        c = back[c]
    return out


def _longest_run(chain: list[tuple[int, int]]) -> int:
    run = best = 0
    prev = None
    for i, j in chain:
        run = run + 1 if prev is not None and j == prev[1] + 1 and i <= prev[0] + 2 else 1
        best = max(best, run)
        prev = (i, j)
    return best


def _coverage(spans: Sequence[tuple[int, int]], aligned: set[int]) -> float:
    total = sum(b - a for a, b in spans)
    return sum(spans[k][1] - spans[k][0] for k in aligned) / total if total else 0.0


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(tokens: Sequence[str], k: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(tokens) < k:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def _share(part: set, whole: set) -> float:
    """Share of the shingles ``part`` that are in ``whole`` (containment)."""
    return len(part & whole) / len(part) if part else 0.0


def copied_words(part: Sequence[str], whole: Sequence[str], k: int = SHINGLE, grams: set | None = None) -> int:
    """How many of ``part``'s words lie inside a word k-shingle that ``whole`` has too (a
    ``part`` shorter than k counts whole when ``whole`` has it as a shingle). ``grams``:
    ``whole``'s k-shingles, when the caller has them already."""
    grams = _shingles(whole, k) if grams is None else grams
    if len(part) < k:
        return len(part) if part and tuple(part) in grams else 0
    covered = [False] * len(part)
    for i in range(len(part) - k + 1):
        if tuple(part[i : i + k]) in grams:
            covered[i : i + k] = [True] * k
    return sum(covered)


def _copied(source: Sequence[str], derived: Sequence[str]) -> float:
    """Share of the derived sentence's words inside runs of 3+ words copied from the source."""
    if not derived:
        return 0.0
    grams = {tuple(source[i : i + 3]) for i in range(len(source) - 2)}
    covered = [False] * len(derived)
    for i in range(len(derived) - 2):
        if tuple(derived[i : i + 3]) in grams:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    return sum(covered) / len(derived)
