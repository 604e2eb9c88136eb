#!/usr/bin/env python3
"""Quote / attribution extraction: quality on PolNeAR, and speed against spaCy alone.

Usage::

    python benchmarks/attribution.py DIR [--split dev|train] [--limit N] [--errors FILE]
                                     [--no-peer] [--no-speed] [--speed-docs 200] [--speed-repeats 3]

e.g. ``.venv/bin/python benchmarks/attribution.py ../shared/eval/attribution-polnear --split dev``

DIR is a copy of PolNeAR v1.0.0 (Newell, Margolin, Ruths, LREC 2018): ``data/<split>/text/*.txt``
and ``data/<split>/attributions/<article>_<annotator>.ann`` (brat standoff). Nothing of it is
stored in this repository; the script only reads it.

**Gold.** For each article, the first ``.ann`` file in filename order (one annotator; train
has a second annotation for 79 agreement articles, which is not used). Each ``E`` line with a
``Content`` role is one attribution: its content (``Content`` plus any ``Content2``, every part
of a discontinuous ``s e;s e`` span), its ``Cue`` and its optional ``Source``. Gold kind is
"direct" when the content text contains a double quotation mark (``" “ ” « »``), else
"indirect" (an apostrophe or single quote does not count).

**Systems.** ``storyline``: ``Analyzer(nlp=pipeline()).analyze_texts(texts, ids)`` on the texts
exactly as read (UTF-8, ``newline=""``), every ``Quote`` a prediction (``start``/``end``,
``kind``, ``cue``, ``speaker_mention``). ``textacy``: ``textacy.extract.triples.direct_quotations``
on spaCy docs from the same model object; content = first to last content token (the quotation
marks included), speaker = first to last speaker token. textacy raises ``ValueError`` on a
document with an odd number of quotation-mark tokens; that document then gives no predictions
and is counted in ``textacy.failed_docs``. ``textacy_ok_docs`` scores it on the other documents
only.

**Scores** (the pure functions below; offsets are character offsets, whitespace ignored):

* coverage(pred, gold) = non-space gold-content characters inside [pred.start, pred.end) /
  non-space gold-content characters. It is measured on the gold side only: a prediction much
  longer than the gold still covers it fully (``mean_pred_char_precision`` of the matched pairs
  shows how much of the predictions lies inside their gold);
* at threshold t (0.3 and 0.8): greedy one-to-one matching over the pairs with coverage > t,
  highest coverage first (ties: shorter prediction first). P = matched / predictions,
  R = matched / gold, F1. Recall is also broken down by gold kind, precision by predicted kind;
* speaker accuracy (reported at both thresholds, headline at t=0.3): over the matched pairs whose
  gold has a Source, the share whose predicted speaker mention shares at least one non-space
  character with the Source (a prediction without a speaker mention is wrong); also by gold kind.

**Speed.** words/s (whitespace-split words) of ``Analyzer.analyze_texts`` and of ``nlp.pipe``
alone, same texts (the first ``--speed-docs`` evaluated articles), same model object, same batch
size, both warmed up first. Timed chunk by chunk (two batches each), the two back to back in
alternating order, ``--speed-repeats`` times; each chunk counts with its best time, so that load
from other processes on a shared machine drops out. ratio = storyline_words_per_s / spacy_words_per_s.

``--errors FILE`` writes one JSON line per article with Storyline's misses at t=0.3 (false
negatives, false positives, wrong speakers), texts shortened. It holds corpus text, so it must
not be written inside this repository (the script refuses).

Progress bars go to stderr, tables to stdout; the LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Figures published for the Gender Gap Tracker's quote extractor (Asr et al. 2021), for
# orientation only: a different corpus (Canadian news) and a different matching rule.
REFERENCE = {
    "ggt_f1": 83.7,
    "ggt_speaker_accuracy": 86.5,
    "note": "Gender Gap Tracker quote extraction, published; other corpus and metric, not directly comparable",
}

THRESHOLDS = (0.3, 0.8)
SPEAKER_THRESHOLD = 0.3
DOUBLE_QUOTES = frozenset('"“”«»')
# Typewriter double quotes: some outlets (NYT in this corpus) write ''quoted words,'' with two
# apostrophes (and spaCy treats the pair as one quotation-mark token). A single ' or ‘ ’ never counts.
DOUBLE_QUOTE_DIGRAPHS = ("''", "``")
KINDS_GOLD = ("direct", "indirect")
KINDS_PRED = ("direct", "partial", "indirect")

Parts = tuple[tuple[int, int], ...]


# --- spans and the metric (pure functions) ---------------------------------------------------


def merge_parts(parts: Iterable[tuple[int, int]]) -> Parts:
    """Sort (start, end) parts and merge those that overlap or touch; empty parts are dropped."""
    out: list[list[int]] = []
    for s, e in sorted(p for p in parts if p[1] > p[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def nonspace_prefix(text: str) -> list[int]:
    """``prefix[i]`` = number of non-whitespace characters in ``text[:i]`` (len(text)+1 entries).

    Non-space characters in ``text[a:b]`` are then ``prefix[b] - prefix[a]``.
    """
    out = [0] * (len(text) + 1)
    n = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            n += 1
        out[i + 1] = n
    return out


def nonspace_len(parts: Parts, prefix: Sequence[int]) -> int:
    """Non-space characters in the union of ``parts`` (which must be merged: see merge_parts)."""
    return sum(prefix[e] - prefix[s] for s, e in parts)


def nonspace_overlap(parts: Parts, start: int, end: int, prefix: Sequence[int]) -> int:
    """Non-space characters of (merged) ``parts`` that lie inside [start, end)."""
    n = 0
    for s, e in parts:
        a, b = max(s, start), min(e, end)
        if b > a:
            n += prefix[b] - prefix[a]
    return n


def coverage(gold: Parts, start: int, end: int, prefix: Sequence[int]) -> float:
    """Share of the gold content's non-space characters covered by the prediction [start, end).

    Gold-relative: 1.0 whenever the prediction contains the whole gold, however long it is.
    A gold with no non-space character has coverage 0.
    """
    total = nonspace_len(gold, prefix)
    return nonspace_overlap(gold, start, end, prefix) / total if total else 0.0


def greedy_match(pairs: Iterable[tuple[int, int, float, int]], threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one matching of predictions to gold items.

    ``pairs`` holds (pred_index, gold_index, coverage, pred_length). Pairs with coverage > threshold
    are taken highest coverage first (ties: shorter prediction first, then by index, so the result
    is deterministic), each when neither side is matched yet. Returns (pred, gold, coverage).
    """
    cands = sorted((p for p in pairs if p[2] > threshold), key=lambda p: (-p[2], p[3], p[0], p[1]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for pi, gi, cov, _ in cands:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        out.append((pi, gi, cov))
    return out


def speaker_correct(pred_speaker: Parts | None, gold_source: Parts, prefix: Sequence[int]) -> bool:
    """True when the predicted speaker span shares at least one non-space character with any
    part of the gold Source. No predicted speaker is wrong."""
    if not pred_speaker:
        return False
    return any(nonspace_overlap(gold_source, s, e, prefix) > 0 for s, e in pred_speaker)


def prf(matched: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 (0 where undefined)."""
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f}


def has_double_quote(text: str) -> bool:
    """True when ``text`` holds a double quotation mark: " “ ” « » or a doubled apostrophe/backtick."""
    return any(ch in DOUBLE_QUOTES for ch in text) or any(d in text for d in DOUBLE_QUOTE_DIGRAPHS)


def _starts_with_dq(text: str) -> bool:
    return text[:1] in DOUBLE_QUOTES or text[:2] in DOUBLE_QUOTE_DIGRAPHS


def _ends_with_dq(text: str) -> bool:
    return text[-1:] in DOUBLE_QUOTES or text[-2:] in DOUBLE_QUOTE_DIGRAPHS


def gold_kind(content_text: str) -> str:
    """"direct" when the content contains a double quotation mark (see has_double_quote), else
    "indirect". Partial quotations inside paraphrase ('she called it “a disgrace”') are "direct"."""
    return "direct" if has_double_quote(content_text) else "indirect"


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    id: str  # the E id in the .ann file
    content: Parts
    kind: str
    cue: Parts | None
    source: Parts | None


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    kind: str
    cue: str | None = None
    speaker: Parts | None = None


@dataclass
class Article:
    name: str
    text: str
    ann_file: str
    golds: list[Gold]
    prefix: list[int] = field(default_factory=list)


# --- reading PolNeAR ---------------------------------------------------------------------------

_T_RE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t(.*)$")
_E_RE = re.compile(r"^(E\d+)\t(.*)$")


def _parts(spec: str) -> Parts:
    out = []
    for chunk in spec.split(";"):
        s, e = chunk.split()
        out.append((int(s), int(e)))
    return tuple(out)


def parse_ann(ann: str, text: str, stats: Counter) -> list[Gold]:
    """The attributions of one brat standoff file (see the module docstring for the rules).

    Counts what it sees in ``stats``: lines that are neither T nor E (annotator notes, the
    continuation of a text field with a line break), E lines without content, T offsets whose
    text differs from the annotation's text field, Content2 roles, discontinuous spans.
    """
    spans: dict[str, tuple[str, Parts, str]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.splitlines():
        if not line.strip():
            continue
        if m := _T_RE.match(line):
            tid, typ, spec, shown = m.groups()
            parts = _parts(spec)
            spans[tid] = (typ, parts, shown)
            if " ".join(text[s:e] for s, e in parts) != shown:
                stats["t_text_mismatch"] += 1  # also where a text field spans a line break
            continue
        if m := _E_RE.match(line):
            roles = [tuple(r.split(":", 1)) for r in m.group(2).split() if ":" in r]
            events.append((m.group(1), roles))  # type: ignore[arg-type]
            continue
        stats["other_lines"] += 1
    golds = []
    for eid, roles in events:
        content: list[tuple[int, int]] = []
        cue: list[tuple[int, int]] = []
        source: list[tuple[int, int]] = []
        for role, ref in roles:
            if ref not in spans:
                stats["dangling_refs"] += 1
                continue
            parts = spans[ref][1]
            base = role.rstrip("0123456789")
            if base == "Content":
                content.extend(parts)
                if role != "Content":
                    stats["content2_roles"] += 1
            elif base == "Cue":
                cue.extend(parts)
            elif base == "Source":
                source.extend(parts)
        if not content:
            stats["e_without_content"] += 1
            continue
        if len(content) > 1:
            stats["gold_discontinuous_content"] += 1
        if len(source) > 1:
            stats["gold_discontinuous_source"] += 1
        merged = merge_parts(content)
        ctext = "".join(text[s:e] for s, e in merged)
        golds.append(Gold(id=eid, content=merged, kind=gold_kind(ctext),
                          cue=merge_parts(cue) or None, source=merge_parts(source) or None))
    return golds


def load_split(root: Path, split: str, limit: int | None, stats: Counter) -> list[Article]:
    base = root / "data" / split
    text_dir, ann_dir = base / "text", base / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise SystemExit(f"{base}: expected text/ and attributions/ folders (is DIR the PolNeAR copy?)")
    by_article: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        by_article.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    articles = []
    for txt in sorted(text_dir.glob("*.txt")):
        anns = by_article.get(txt.stem)
        if not anns:
            stats["texts_without_ann"] += 1
            continue
        if limit is not None and len(articles) >= limit:
            break
        stats["ann_files_unused"] += len(anns) - 1
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        with open(anns[0], encoding="utf-8", newline="") as fh:
            golds = parse_ann(fh.read(), text, stats)
        articles.append(Article(txt.stem, text, anns[0].name, golds, nonspace_prefix(text)))
    return articles


def gold_profile(articles: Sequence[Article]) -> dict:
    """Counts that describe the gold: kinds, sources, discontinuity, how quotation marks sit."""
    c: Counter = Counter()
    for a in articles:
        t = a.text
        for g in a.golds:
            c["gold"] += 1
            c[f"gold_{g.kind}"] += 1
            c["gold_with_source"] += g.source is not None
            c["gold_discontinuous"] += len(g.content) > 1
            if g.kind != "direct":
                continue
            ctext = "".join(t[s:e] for s, e in g.content).strip()
            if not any(ch in DOUBLE_QUOTES for ch in ctext):
                c["direct_by_doubled_apostrophe_only"] += 1
            first, last = _starts_with_dq(ctext), _ends_with_dq(ctext)
            c["direct_starts_with_quote"] += first
            c["direct_ends_with_quote"] += last
            c["direct_fully_in_quotes"] += first and last
        for g in a.golds:
            if g.kind == "indirect":
                ctext = "".join(t[s:e] for s, e in g.content)
                c["indirect_with_single_quote_marks"] += "‘" in ctext or "’ " in ctext or " '" in ctext
                s, e = g.content[0][0], g.content[-1][1]
                # quotation marks right around an indirect content: annotators left them outside
                c["indirect_between_quote_marks"] += _ends_with_dq(t[:s].rstrip()) and _starts_with_dq(t[e:].lstrip())
    n = c["gold"] or 1
    d = c["gold_direct"] or 1
    out = dict(c)
    out["share_with_source"] = c["gold_with_source"] / n
    out["share_no_source"] = 1 - c["gold_with_source"] / n
    out["share_direct"] = c["gold_direct"] / n
    out["share_discontinuous"] = c["gold_discontinuous"] / n
    out["share_direct_fully_in_quotes"] = c["direct_fully_in_quotes"] / d
    return out


# --- scoring a system over a corpus ------------------------------------------------------------


def _pair_list(article: Article, preds: Sequence[Pred]) -> list[tuple[int, int, float, int]]:
    pairs = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(article.golds):
            if p.end <= g.content[0][0] or p.start >= g.content[-1][1]:
                continue
            cov = coverage(g.content, p.start, p.end, article.prefix)
            if cov > 0:
                pairs.append((pi, gi, cov, p.end - p.start))
    return pairs


def score_corpus(articles: Sequence[Article], preds: dict[str, list[Pred]],
                 thresholds: Sequence[float] = THRESHOLDS) -> dict:
    """Micro-averaged figures of one system over all articles, at each threshold.

    ``preds`` maps article name to its predictions (an absent article has none).
    """
    res = {}
    for t in thresholds:
        c: Counter = Counter()
        kinds: Counter = Counter()  # (gold kind, pred kind) of matched pairs
        pred_char_prec = 0.0
        for a in articles:
            ps = preds.get(a.name, [])
            matches = greedy_match(_pair_list(a, ps), t)
            c["pred"] += len(ps)
            c["gold"] += len(a.golds)
            c["matched"] += len(matches)
            for p in ps:
                c[f"pred_{p.kind}"] += 1
            for g in a.golds:
                c[f"gold_{g.kind}"] += 1
            mp = {pi for pi, _, _ in matches}
            mg = [a.golds[gi] for _, gi, _ in matches]
            for pi, p in enumerate(ps):
                # an unmatched prediction lying mostly inside a matched gold: typically one quoted
                # part of a discontinuous gold content whose other part took the match
                plen = a.prefix[p.end] - a.prefix[p.start]
                if pi not in mp and plen and any(
                        nonspace_overlap(g.content, p.start, p.end, a.prefix) * 2 > plen for g in mg):
                    c["fp_inside_matched_gold"] += 1
            for pi, gi, _ in matches:
                p, g = ps[pi], a.golds[gi]
                c[f"matched_pred_{p.kind}"] += 1
                c[f"matched_gold_{g.kind}"] += 1
                kinds[f"{g.kind}->{p.kind}"] += 1
                plen = a.prefix[p.end] - a.prefix[p.start]
                pred_char_prec += nonspace_overlap(g.content, p.start, p.end, a.prefix) / plen if plen else 0.0
                if g.source is not None:
                    ok = speaker_correct(p.speaker, g.source, a.prefix)
                    c["spk_eval"] += 1
                    c["spk_ok"] += ok
                    c[f"spk_eval_{g.kind}"] += 1
                    c[f"spk_ok_{g.kind}"] += ok
                    c["spk_missing"] += p.speaker is None
        r = {**prf(c["matched"], c["pred"], c["gold"]), "matched": c["matched"], "pred": c["pred"],
             "gold": c["gold"]}
        r["fp_inside_matched_gold"] = c["fp_inside_matched_gold"]
        r["p_not_counting_those"] = (c["matched"] / (c["pred"] - c["fp_inside_matched_gold"])
                                     if c["pred"] > c["fp_inside_matched_gold"] else 0.0)
        r["recall_by_gold_kind"] = {k: {"r": c[f"matched_gold_{k}"] / c[f"gold_{k}"] if c[f"gold_{k}"] else 0.0,
                                        "matched": c[f"matched_gold_{k}"], "gold": c[f"gold_{k}"]}
                                    for k in KINDS_GOLD}
        r["precision_by_pred_kind"] = {k: {"p": c[f"matched_pred_{k}"] / c[f"pred_{k}"] if c[f"pred_{k}"] else 0.0,
                                           "matched": c[f"matched_pred_{k}"], "pred": c[f"pred_{k}"]}
                                       for k in KINDS_PRED}
        # F1 per kind, pairing recall over gold of that kind with precision of predictions of that kind
        # ("partial" predictions count with "direct": both are quotations with quotation marks).
        for k in KINDS_GOLD:
            kp = ("direct", "partial") if k == "direct" else ("indirect",)
            n_p = sum(c[f"pred_{x}"] for x in kp)
            m_p = sum(c[f"matched_pred_{x}"] for x in kp)
            p_k = m_p / n_p if n_p else 0.0
            r_k = r["recall_by_gold_kind"][k]["r"]
            r["recall_by_gold_kind"][k]["f1_with_pred_kind_precision"] = 2 * p_k * r_k / (p_k + r_k) if p_k + r_k else 0.0
        r["kind_confusion"] = dict(sorted(kinds.items()))
        r["mean_pred_char_precision"] = pred_char_prec / c["matched"] if c["matched"] else 0.0
        r["speaker"] = {
            "accuracy": c["spk_ok"] / c["spk_eval"] if c["spk_eval"] else 0.0,
            "correct": c["spk_ok"], "evaluated": c["spk_eval"], "no_speaker_predicted": c["spk_missing"],
            "by_gold_kind": {k: {"accuracy": c[f"spk_ok_{k}"] / c[f"spk_eval_{k}"] if c[f"spk_eval_{k}"] else 0.0,
                                 "correct": c[f"spk_ok_{k}"], "evaluated": c[f"spk_eval_{k}"]}
                             for k in KINDS_GOLD},
        }
        res[f"t{t}"] = r
    return res


# --- systems ---------------------------------------------------------------------------------


def progress_bar():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True))


def _clip(s: int, e: int, n: int, stats: Counter, key: str) -> tuple[int, int] | None:
    if not (0 <= s < e <= n):
        stats[key] += 1
        s, e = max(0, s), min(n, e)
        if e <= s:
            return None
    return s, e


def storyline_preds(articles: Sequence[Article], analyzer, stats: Counter) -> tuple[dict[str, list[Pred]], list[str]]:
    """Run Storyline's analysis stage in batches; a failing batch is retried one text at a time.

    Returns the predictions and, for each text that still fails, "name: error".
    """
    out: dict[str, list[Pred]] = {}
    failures: list[str] = []
    by_name = {a.name: a for a in articles}
    size = max(1, analyzer.batch_size)

    def take(analyses) -> None:
        for an in analyses:
            a = by_name[an.article_id]
            ps = []
            for q in an.quotes:
                span = _clip(q.start, q.end, len(a.text), stats, "storyline_bad_quote_offsets")
                if span is None:
                    continue
                spk = None
                m = q.speaker_mention
                if m is not None and (ms := _clip(m.start, m.end, len(a.text), stats, "storyline_bad_mention_offsets")):
                    spk = (ms,)
                ps.append(Pred(span[0], span[1], q.kind, q.cue, spk))
            out[a.name] = ps

    with progress_bar() as bar:
        task = bar.add_task("storyline analysis", total=len(articles))
        for i in range(0, len(articles), size):
            chunk = articles[i : i + size]
            try:
                take(list(analyzer.analyze_texts([a.text for a in chunk], [a.name for a in chunk])))
            except Exception:  # noqa: BLE001 - a benchmark reports failures, it does not stop
                for a in chunk:
                    try:
                        take(list(analyzer.analyze_texts([a.text], [a.name])))
                    except Exception as exc:  # noqa: BLE001
                        failures.append(f"{a.name}: {exc!r}"[:300])
            bar.advance(task, len(chunk))
    return out, failures


def textacy_preds(articles: Sequence[Article], nlp, batch_size: int) -> tuple[dict[str, list[Pred]], dict]:
    """textacy's direct_quotations on spaCy docs of the same model; failures counted per doc."""
    from textacy.extract.triples import direct_quotations

    out: dict[str, list[Pred]] = {}
    failed: list[str] = []
    reasons: Counter = Counter()
    with progress_bar() as bar:
        task = bar.add_task("spaCy + textacy", total=len(articles))
        for a, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=batch_size), strict=True):
            ps = []
            try:
                for tr in direct_quotations(doc):
                    content = list(tr.content)
                    s, e = content[0].idx, content[-1].idx + len(content[-1])
                    spk = None
                    if tr.speaker:
                        spk = ((min(t.idx for t in tr.speaker), max(t.idx + len(t) for t in tr.speaker)),)
                    cue = " ".join(t.text for t in tr.cue) if tr.cue else None
                    ps.append(Pred(s, e, "direct", cue, spk))
            except Exception as exc:  # noqa: BLE001
                failed.append(a.name)
                reasons[re.sub(r"\d+", "N", str(exc))[:120]] += 1
                ps = []
            out[a.name] = ps
            bar.advance(task)
    return out, {"failed_docs": len(failed), "failed_share": len(failed) / len(articles) if articles else 0.0,
                 "failure_reasons": dict(reasons), "failed_articles": failed}


# --- speed -----------------------------------------------------------------------------------


def measure_speed(texts: list[str], analyzer, nlp, repeats: int, chunk: int | None = None) -> dict:
    """words/s of Storyline's analysis stage and of spaCy's pipeline alone.

    The texts are cut into chunks (two batches each); every chunk is run by both, back to back and
    in alternating order, ``repeats`` times. A chunk's time is its best (minimum) over the repeats,
    which discards slowdowns from other processes on a shared machine; words/s = words / sum of
    the chunk times. The median of the per-repeat totals is reported beside it.
    """
    words = sum(len(t.split()) for t in texts)
    bs = analyzer.batch_size
    size = chunk or 2 * bs
    chunks = [list(range(i, min(i + size, len(texts)))) for i in range(0, len(texts), size)]

    def run_storyline(idx: list[int]) -> float:
        batch, ids = [texts[i] for i in idx], [f"s{i}" for i in idx]
        t0 = time.perf_counter()
        for _ in analyzer.analyze_texts(batch, ids):
            pass
        return time.perf_counter() - t0

    def run_spacy(idx: list[int]) -> float:
        batch = [texts[i] for i in idx]
        t0 = time.perf_counter()
        for _ in nlp.pipe(batch, batch_size=bs):
            pass
        return time.perf_counter() - t0

    run_spacy(chunks[0])  # warm-up of both
    run_storyline(chunks[0])
    names = ("storyline", "spacy")
    fns = {"storyline": run_storyline, "spacy": run_spacy}
    per: dict[str, list[list[float]]] = {n: [[] for _ in chunks] for n in names}
    with progress_bar() as bar:
        task = bar.add_task("speed", total=repeats * len(chunks))
        for r in range(repeats):
            for ci, idx in enumerate(chunks):
                for n in names if (r + ci) % 2 == 0 else names[::-1]:
                    per[n][ci].append(fns[n](idx))
                bar.advance(task)
    best = {n: sum(min(ts) for ts in per[n]) for n in names}
    median_total = {n: statistics.median(sum(ts[r] for ts in per[n]) for r in range(repeats)) for n in names}
    wps = {n: words / v if v else 0.0 for n, v in best.items()}
    wps_med = {n: words / v if v else 0.0 for n, v in median_total.items()}
    return {
        "docs": len(texts), "words": words, "batch_size": bs, "chunk_docs": size, "repeats": repeats,
        "storyline_words_per_s": wps["storyline"], "spacy_words_per_s": wps["spacy"],
        "ratio": wps["storyline"] / wps["spacy"] if wps["spacy"] else 0.0,
        "storyline_s": best["storyline"], "spacy_s": best["spacy"],
        "median_of_totals": {"storyline_words_per_s": wps_med["storyline"], "spacy_words_per_s": wps_med["spacy"],
                             "ratio": wps_med["storyline"] / wps_med["spacy"] if wps_med["spacy"] else 0.0},
    }


# --- error dump ------------------------------------------------------------------------------

MAX_TEXT = 300


def _short(s: str, n: int = MAX_TEXT) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _span_text(text: str, parts: Parts | None) -> str | None:
    return None if not parts else _short(" … ".join(text[s:e] for s, e in parts))


def _context(text: str, parts: Parts | None, width: int = 50) -> str | None:
    if not parts:
        return None
    s, e = parts[0][0], parts[-1][1]
    return _short(text[max(0, s - width) : s] + "[[" + text[s:e] + "]]" + text[e : e + width], 400)


def error_records(articles: Sequence[Article], preds: dict[str, list[Pred]], threshold: float) -> Iterable[dict]:
    """Per article: false negatives, false positives and wrong-speaker matches at ``threshold``."""
    for a in articles:
        ps = preds.get(a.name, [])
        pairs = _pair_list(a, ps)
        matches = greedy_match(pairs, threshold)
        mp = {pi for pi, _, _ in matches}
        mg = {gi for _, gi, _ in matches}
        best_cov: dict[int, float] = {}
        for pi, gi, cov, _ in pairs:
            best_cov[gi] = max(best_cov.get(gi, 0.0), cov)
        fn = [{"id": g.id, "kind": g.kind, "span": [g.content[0][0], g.content[-1][1]],
               "content": _span_text(a.text, g.content), "source": _span_text(a.text, g.source),
               "cue": _span_text(a.text, g.cue), "best_coverage": round(best_cov.get(gi, 0.0), 3)}
              for gi, g in enumerate(a.golds) if gi not in mg]
        fp = [{"kind": p.kind, "span": [p.start, p.end], "text": _short(a.text[p.start : p.end]),
               "cue": p.cue, "speaker": _span_text(a.text, p.speaker)}
              for pi, p in enumerate(ps) if pi not in mp]
        wrong = []
        for pi, gi, cov in matches:
            p, g = ps[pi], a.golds[gi]
            if g.source is not None and not speaker_correct(p.speaker, g.source, a.prefix):
                wrong.append({"id": g.id, "kind": g.kind, "coverage": round(cov, 3),
                              "pred_speaker": _span_text(a.text, p.speaker),
                              "gold_source": _span_text(a.text, g.source),
                              "pred_speaker_context": _context(a.text, p.speaker),
                              "gold_source_context": _context(a.text, g.source),
                              "content": _short(a.text[p.start : p.end], 160)})
        if fn or fp or wrong:
            yield {"article": a.name, "gold": len(a.golds), "pred": len(ps), "matched": len(matches),
                   "false_negatives": fn, "false_positives": fp, "wrong_speaker": wrong}


# --- report ----------------------------------------------------------------------------------


def _rounded(x):
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_rounded(v) for v in x]
    return x


def print_tables(console, results: dict, profile: dict, speed: dict | None, peer_info: dict | None) -> None:
    from rich.table import Table

    g = profile
    console.print(f"gold: {g.get('gold', 0)} attributions, {g.get('gold_direct', 0)} direct "
                  f"({g['share_direct']:.1%}), {g['share_no_source']:.1%} without source, "
                  f"{g['share_discontinuous']:.1%} discontinuous content")
    tab = Table(title="Attribution quality (micro; coverage of non-space gold chars)",
                caption="R by gold kind, P by predicted kind; speaker accuracy over matched gold with a Source; "
                        "char P = mean share of a matched prediction inside its gold")
    for col in ("system", "t", "P", "R", "F1", "match/pred/gold", "R dir", "R ind", "P dir",
                "P part", "P ind", "speaker", "spk n", "spk dir", "spk ind", "char P"):
        tab.add_column(col, justify="left" if col == "system" else "right", no_wrap=True)
    for name, res in results.items():
        for key, r in res.items():
            rg, pk, sp = r["recall_by_gold_kind"], r["precision_by_pred_kind"], r["speaker"]

            def pct(x: float, n: int) -> str:
                return f"{x:.3f}" if n else "-"

            tab.add_row(name, key[1:], f"{r['p']:.3f}", f"{r['r']:.3f}", f"{r['f1']:.3f}",
                        f"{r['matched']}/{r['pred']}/{r['gold']}",
                        pct(rg["direct"]["r"], rg["direct"]["gold"]), pct(rg["indirect"]["r"], rg["indirect"]["gold"]),
                        pct(pk["direct"]["p"], pk["direct"]["pred"]), pct(pk["partial"]["p"], pk["partial"]["pred"]),
                        pct(pk["indirect"]["p"], pk["indirect"]["pred"]),
                        f"{sp['accuracy']:.3f}", f"{sp['correct']}/{sp['evaluated']}",
                        pct(sp["by_gold_kind"]["direct"]["accuracy"], sp["by_gold_kind"]["direct"]["evaluated"]),
                        pct(sp["by_gold_kind"]["indirect"]["accuracy"], sp["by_gold_kind"]["indirect"]["evaluated"]),
                        f"{r['mean_pred_char_precision']:.3f}")
    console.print(tab)
    console.print(f"reference (published, other corpus/metric): GGT F1 {REFERENCE['ggt_f1']}, "
                  f"speaker accuracy {REFERENCE['ggt_speaker_accuracy']}")
    if peer_info is not None:
        console.print(f"textacy failed (raised) on {peer_info['failed_docs']} docs "
                      f"({peer_info['failed_share']:.1%}): {peer_info['failure_reasons']}")
    if speed:
        console.print(f"speed on {speed['docs']} docs / {speed['words']} words (batch {speed['batch_size']}, "
                      f"best of {speed['repeats']} per {speed['chunk_docs']}-doc chunk): storyline {speed['storyline_words_per_s']:.0f} words/s, "
                      f"spaCy alone {speed['spacy_words_per_s']:.0f} words/s, ratio {speed['ratio']:.3f} "
                      f"(median of totals: ratio {speed['median_of_totals']['ratio']:.3f})")


# --- the speaker set (benchmarks/data/speakers.jsonl) -------------------------------------------

SPEAKER_CLASSES = ("named", "pronoun", "description", "document", "followon", "split", "anonymous")


def _norm_speaker(name: str | None) -> str:
    """Case, accents, a leading "the" and a possessive dropped: "The Ministry" == "ministry"."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"[’']s\b|[^\w ]", " ", text)
    words = [w for w in text.split() if w]
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def speaker_matches(pred_speaker: str | None, pred_anonymous: bool, gold: dict) -> bool:
    """The canonical speaker is right: the same name (or one ends with the other: "Marchenko"
    for "Bohdan Marchenko" is not enough, the full canonical name is expected, but "Ministry of
    Transport" for "the Ministry of Transport" is); an anonymous gold needs an anonymous pred."""
    if gold.get("anonymous"):
        return bool(pred_anonymous)
    p, g = _norm_speaker(pred_speaker), _norm_speaker(gold.get("speaker"))
    return bool(p) and (p == g or (len(p.split()) > 1 and (g.endswith(" " + p) or p.endswith(" " + g))))


def _covered(start: int, end: int, qs: int, qe: int) -> float:
    return max(0, min(end, qe) - max(start, qs)) / max(1, qe - qs)


def score_speaker_set(items: Sequence[dict], analyses: dict) -> dict:
    """Quote P/R/F1, canonical speaker accuracy and errors by class on the speaker set.

    A gold quote is its fragment ``q`` (a substring of the text); a predicted quote finds it when
    it covers at least half of the fragment. A prediction that finds no gold fragment is a false
    positive; ``not_quotes`` are traps (reported separately when a prediction covers one).
    ``persons``/``places`` check entity types.
    """
    from collections import defaultdict

    found = missed = correct = preds = fps = traps = 0
    by_class: dict[str, Counter] = defaultdict(Counter)
    type_errors: list[str] = []
    wrong: list[dict] = []
    for item in items:
        text, an = item["text"], analyses[item["id"]]
        quotes = list(an.quotes)
        preds += len(quotes)
        used: set[int] = set()
        for gold in item["quotes"]:
            qs = text.index(gold["q"])
            qe = qs + len(gold["q"])
            cls = by_class[gold["class"]]
            cls["gold"] += 1
            best = max(range(len(quotes)), key=lambda i: _covered(quotes[i].start, quotes[i].end, qs, qe), default=None)
            if best is None or _covered(quotes[best].start, quotes[best].end, qs, qe) < 0.5:
                missed += 1
                cls["missed"] += 1
                continue
            used.add(best)
            found += 1
            q = quotes[best]
            if speaker_matches(q.speaker, q.anonymous, gold):
                correct += 1
                cls["correct"] += 1
            else:
                cls["wrong_speaker"] += 1
                wrong.append({"id": item["id"], "quote": gold["q"][:40], "gold": gold.get("speaker"), "pred": q.speaker})
        for i, q in enumerate(quotes):
            if i in used:
                continue
            fps += 1
            if any(_covered(q.start, q.end, (s := text.index(t)), s + len(t)) >= 0.5 for t in item.get("not_quotes", ())):
                traps += 1
        entities = {_norm_speaker(e.name): e.type for e in an.entities}
        for name in item.get("persons", ()):
            if entities.get(_norm_speaker(name)) != "PERSON":
                type_errors.append(f"{item['id']}: {name} not a PERSON ({entities.get(_norm_speaker(name))})")
        for name in item.get("places", ()):
            if entities.get(_norm_speaker(name)) == "PERSON":
                type_errors.append(f"{item['id']}: {name} typed PERSON")
    gold_n = found + missed
    return {
        "articles": len(items),
        "quotes": {**prf(found, preds, gold_n), "found": found, "gold": gold_n, "pred": preds},
        "canonical_speaker_accuracy": round(correct / found, 4) if found else 0.0,
        "speaker_right_of_all_gold": round(correct / gold_n, 4) if gold_n else 0.0,
        "false_positives": fps,
        "false_positives_on_traps": traps,
        "by_class": {c: dict(by_class[c]) for c in SPEAKER_CLASSES if c in by_class},
        "entity_type_errors": type_errors,
        "wrong_speakers": wrong,
    }


def run_speaker_set(path: Path, model: Path | None) -> int:
    from storyline.analyze import Analyzer
    from storyline.analyze import nlp as nlp_mod

    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    analyzer = Analyzer(nlp=nlp_mod.pipeline() if model is None else nlp_mod.pipeline_at(str(model)))
    analyses = {a.article_id: a for a in analyzer.analyze_texts([i["text"] for i in items], [i["id"] for i in items])}
    result = score_speaker_set(items, analyses)
    for key in ("quotes", "canonical_speaker_accuracy", "false_positives", "false_positives_on_traps", "by_class"):
        print(f"{key}: {result[key]}", file=sys.stderr)
    for line in result["entity_type_errors"] + [json.dumps(w, ensure_ascii=False) for w in result["wrong_speakers"]]:
        print(f"  {line}", file=sys.stderr)
    print(json.dumps(_rounded(result), ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path, help="PolNeAR copy (holds data/<split>/text and attributions), "
                    "or a speaker-set .jsonl file (benchmarks/data/speakers.jsonl)")
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--errors", type=Path, default=None, help="write Storyline's misses (JSONL) here")
    ap.add_argument("--errors-system", choices=("storyline", "textacy"), default="storyline")
    ap.add_argument("--no-peer", action="store_true", help="skip textacy")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    ap.add_argument("--speed-docs", type=int, default=200)
    ap.add_argument("--speed-repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=None, help="Analyzer batch size (default: Analyzer's)")
    ap.add_argument("--model", type=Path, default=None,
                    help="a spaCy model directory to use instead of the installed pipeline (to compare models)")
    args = ap.parse_args(argv)
    if args.dir.is_file() and args.dir.suffix == ".jsonl":
        # The speaker set: short articles written for this project, with canonical speakers.
        return run_speaker_set(args.dir, args.model)

    if args.errors is not None:
        target = args.errors.resolve()
        if target == REPO_ROOT or REPO_ROOT in target.parents:
            ap.error(f"--errors {args.errors}: the error file quotes corpus text; write it outside the repository")
        if args.errors_system == "textacy" and args.no_peer:
            ap.error("--errors-system textacy needs the peer (drop --no-peer)")

    from rich.console import Console

    from storyline.analyze import Analyzer
    from storyline.analyze.nlp import pipeline, pipeline_at

    console = Console(width=None if sys.stdout.isatty() else 180)
    stats: Counter = Counter()
    t0 = time.perf_counter()
    articles = load_split(args.dir, args.split, args.limit, stats)
    if not articles:
        raise SystemExit("no articles found")
    profile = gold_profile(articles)
    nlp = pipeline() if args.model is None else pipeline_at(str(args.model))
    analyzer = Analyzer(nlp=nlp) if args.batch_size is None else Analyzer(nlp=nlp, batch_size=args.batch_size)

    preds: dict[str, dict[str, list[Pred]]] = {}
    preds["storyline"], failures = storyline_preds(articles, analyzer, stats)
    peer_info = None
    results = {"storyline": score_corpus(articles, preds["storyline"])}
    if not args.no_peer:
        import textacy

        preds["textacy"], peer_info = textacy_preds(articles, nlp, analyzer.batch_size)
        peer_info["version"] = textacy.__version__
        results["textacy"] = score_corpus(articles, preds["textacy"])
        failed = set(peer_info["failed_articles"])
        ok = [a for a in articles if a.name not in failed]
        if ok and failed:
            results["textacy_ok_docs"] = score_corpus(ok, preds["textacy"])

    if args.errors is not None:
        n = 0
        with open(args.errors, "w", encoding="utf-8") as fh:
            for rec in error_records(articles, preds[args.errors_system], SPEAKER_THRESHOLD):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        print(f"wrote {n} article records to {args.errors}", file=sys.stderr)

    speed = None
    if not args.no_speed:
        speed = measure_speed([a.text for a in articles[: args.speed_docs]], analyzer, nlp, args.speed_repeats)

    print_tables(console, results, profile, speed, peer_info)
    import spacy

    summary = {
        "split": args.split,
        "articles": len(articles),
        "limit": args.limit,
        "gold": profile,
        "data_checks": {k: v for k, v in stats.items() if not k.startswith("storyline_")},
        "storyline": {**results["storyline"],
                      "failed_docs": len(failures),
                      "failure_examples": failures[:5],
                      "bad_quote_offsets": stats.get("storyline_bad_quote_offsets", 0),
                      "bad_mention_offsets": stats.get("storyline_bad_mention_offsets", 0)},
        "thresholds": list(THRESHOLDS),
        "speaker_threshold": SPEAKER_THRESHOLD,
        "whitespace_ignored": True,
        "reference": REFERENCE,
        "speed": speed,
        "speed_ratio": speed["ratio"] if speed else None,
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "spacy_version": spacy.__version__,
        "seconds": time.perf_counter() - t0,
    }
    if peer_info is not None:
        summary["textacy"] = {**results["textacy"], **{k: v for k, v in peer_info.items() if k != "failed_articles"}}
        if "textacy_ok_docs" in results:
            summary["textacy_ok_docs"] = {**results["textacy_ok_docs"],
                                          "articles": len(articles) - peer_info["failed_docs"]}
    sys.stdout.flush()
    print(json.dumps(_rounded(summary), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
