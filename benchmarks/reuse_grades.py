"""Reuse kind against the Clough-Stevenson graded answers (near copy / light / heavy / independent).

Usage: python benchmarks/reuse_grades.py DIR [--dump FILE]

DIR is the corpus folder (../shared/eval/reuse-clough-stevenson): corpus-20090418/ holds the five
Wikipedia sources (orig_task*.txt) and 95 short answers; corpus-final09.xls (sheet "File list")
grades each answer: cut (near copy), light (light revision), heavy (heavy revision), non
(written independently). Each answer is compared with its task's source exactly as the product
compares two articles (storyline.link.reuse.compare.compare, no analysis: the kind and direction do not
need it), and its kind mapped to a grade by storyline.link.reuse.compare.grade.

Prints per-grade precision/recall/F1, macro-F1, the confusion matrix, the direction accuracy on
the reused answers (the source is known to be the Wikipedia text), and as the last line one JSON
object with all figures. The answers are hard-wrapped at ~70 columns; lines are joined into
paragraphs first, as the plain-text ingest does with wrapped text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GRADES = ("cut", "light", "heavy", "non")


def read_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw)]
    return "\n".join(p for p in paras if p)


def load(folder: Path) -> list[tuple[str, str, str]]:
    import xlrd

    sheet = xlrd.open_workbook(str(folder / "corpus-final09.xls")).sheet_by_name("File list")
    header = sheet.row_values(0)
    col = {name: header.index(name) for name in ("File", "Task", "Category")}
    rows = []
    for r in range(1, sheet.nrows):
        values = sheet.row_values(r)
        if values[col["Category"]] in GRADES:
            rows.append((values[col["File"]], values[col["Task"]], values[col["Category"]]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--dump", type=Path, help="write per-answer features and predictions (JSONL)")
    args = parser.parse_args()

    from storyline.analyze.embed import embed
    from storyline.ingest.convert import content_hash
    from storyline.link.reuse.align import align_spans
    from storyline.link.reuse.compare import compare, grade
    from storyline.records import Article

    corpus = args.dir / "corpus-20090418"
    rows = load(args.dir)

    def article(name: str) -> Article:
        body = read_text(corpus / name)
        digest = content_hash(body)
        return Article(id=digest[:16], content_hash=digest, source=name, body=body)

    def vectors(a: Article):
        return embed([a.body[x:y] for x, y in align_spans(a.body)])

    started = time.perf_counter()
    sources = {t: article(f"orig_task{t}.txt") for t in "abcde"}
    source_vecs = {t: vectors(a) for t, a in sources.items()}
    confusion = {g: {h: 0 for h in GRADES} for g in GRADES}
    direction_right = direction_total = 0
    known = Counter()  # direction reported as known: right / wrong; or unknown
    dump = args.dump.open("w") if args.dump else None
    for k, (name, task, gold) in enumerate(rows):
        answer = article(name)
        pair = compare(sources[task], answer, a_vectors=source_vecs[task], b_vectors=vectors(answer), with_changes=False)
        predicted = grade(pair)
        confusion[gold][predicted] += 1
        if gold != "non" and pair.kind != "independent":
            direction_total += 1
            direction_right += pair.source_id == sources[task].id
            known["unknown" if not pair.direction_known else "right" if pair.source_id == sources[task].id else "wrong"] += 1
        if dump:
            dump.write(json.dumps({"file": name, "gold": gold, "predicted": predicted, "kind": pair.kind,
                                   "coverage": pair.coverage, "source_coverage": pair.source_coverage,
                                   "verbatim": pair.verbatim, "similarity": pair.similarity,
                                   "aligned": len(pair.aligned),
                                   "source_first": pair.source_id == sources[task].id}) + "\n")
        print(f"\r{k + 1}/{len(rows)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    seconds = time.perf_counter() - started

    per_grade = {}
    for g in GRADES:
        tp = confusion[g][g]
        fp = sum(confusion[h][g] for h in GRADES if h != g)
        fn = sum(confusion[g][h] for h in GRADES if h != g)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per_grade[g] = {"precision": round(p, 3), "recall": round(r, 3),
                        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "n": tp + fn}
    macro = sum(v["f1"] for v in per_grade.values()) / len(GRADES)
    accuracy = sum(confusion[g][g] for g in GRADES) / len(rows)
    print("gold \\ predicted  " + "  ".join(f"{g:>5}" for g in GRADES))
    for g in GRADES:
        print(f"{g:>17}  " + "  ".join(f"{confusion[g][h]:>5}" for h in GRADES))
    for g, v in per_grade.items():
        print(f"{g:>6}: P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} (n={v['n']})")
    print(f"macro-F1 {macro:.3f}, accuracy {accuracy:.3f}; direction right on {direction_right}/{direction_total} reused answers")
    print(json.dumps({
        "data": str(args.dir), "answers": len(rows), "macro_f1": round(macro, 3), "accuracy": round(accuracy, 3),
        "per_grade": per_grade, "confusion": confusion,
        "direction_accuracy": round(direction_right / direction_total, 3) if direction_total else None,
        "direction_pairs": direction_total,
        # What a user sees: the direction said known and right or wrong, or said unknown.
        "direction_known_right": known["right"], "direction_known_wrong": known["wrong"],
        "direction_unknown": known["unknown"], "seconds": round(seconds, 1),
    }))


if __name__ == "__main__":
    main()
