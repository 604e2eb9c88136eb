"""``storyline reuse`` and ``storyline diff``: who copied or rewrote whom, and what changed."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import (
    DbOption, JsonOption, LimitOption, OffsetOption, app, clip, fail, open_desk, out, progress_bar, warn,
)
from storyline.link.reuse.rewrite_switch import SwitchError
from storyline.records import Article, Change, ReusePair
from storyline.report.json import diff_json, pair_json
from storyline.report.words import word_ops
from storyline.store import AmbiguousIdError, StoreError


@app.command("reuse")
def reuse_cli(
    db: DbOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Also list compared pairs judged independent.")] = False,
    article: Annotated[str | None, typer.Option(help="Only pairs involving this article (id or prefix).")] = None,
    update: Annotated[bool, typer.Option(help="First fingerprint new articles and compare new candidate pairs.")] = True,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
) -> None:
    """List reuse between stored articles: source, derived, kind, direction and changes.

    Kinds: duplicate, syndicated (near-verbatim copy), rewrite (paraphrased, same facts and
    structure), partial (some passages). New articles are fingerprinted and their candidate
    pairs compared first (incremental; --no-update only lists what is stored).

    Sentence rewrites are decided by a feature model and a small cross-encoder together;
    STORYLINE_REWRITE_MODEL=off leaves the cross-encoder out (faster, a little less accurate),
    and switching either way compares the stored pairs again."""
    with open_desk(db) as desk:
        try:
            if update:
                with progress_bar("reuse") as advance:
                    report = desk.find_reuse(progress=advance)
                for problem in report.problems:
                    warn("skipped", f"{problem.source}: {problem.reason}")
            pairs = desk.reuse(all=all_, article=article, limit=limit, offset=offset)
            total = desk.reuse_count(all=all_, article=article) if limit is not None or offset else len(pairs)
            titles = {a.id: a for a in desk.store.articles(ids=sorted({i for p in pairs for i in (p.source_id, p.derived_id)}))}
        except (LookupError, AmbiguousIdError) as exc:
            fail(str(exc).strip("'\""), code=2)
        except (StoreError, SwitchError) as exc:
            fail(str(exc), code=2)
    if as_json:
        print(json.dumps([pair_json(p, titles) for p in pairs], ensure_ascii=False, indent=1))
        if update and report.problems:
            raise typer.Exit(1)
        return
    table = Table("source", "derived", "kind", "direction", "coverage", "verbatim", "changes", box=None, pad_edge=False)
    for p in pairs:
        table.add_row(
            _label(titles.get(p.source_id), p.source_id), _label(titles.get(p.derived_id), p.derived_id), p.kind,
            _direction(p), f"{p.coverage:.2f}", f"{p.verbatim:.2f}", _change_summary(p.changes),
        )
    out.print(table)
    shown = f"{len(pairs)} pairs" if len(pairs) == total else f"{len(pairs)} of {total} pairs (from {offset + 1})"
    out.print(shown, markup=False)
    if update and report.problems:
        raise typer.Exit(1)


@app.command("diff")
def diff_cli(
    a: Annotated[str, typer.Argument(help="An article id or prefix.")],
    b: Annotated[str, typer.Argument(help="Another article id or prefix.")],
    db: DbOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Show every aligned sentence, not only those that differ.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Compare two stored articles: the changes of meaning a fact-checker cares about (roles,
    numbers, dates, quotes, negations, attributions, claims; most severe first), the wording-only
    ones apart, who copied whom with the evidence, and the aligned sentences that differ side by
    side (moved ones marked; --all for every sentence)."""
    with open_desk(db) as desk:
        try:
            source, derived, pair = desk.diff(a, b)
        except (LookupError, AmbiguousIdError) as exc:
            fail(str(exc).strip("'\""), code=2)
        except StoreError as exc:
            fail(str(exc), code=2)
    if as_json:
        print(json.dumps(diff_json(source, derived, pair), ensure_ascii=False, indent=1))
        return
    known = pair.direction_known
    out.print(f"[bold]{'source' if known else 'first'}[/]  {escape(_label(source, source.id, 80))}")
    out.print(f"[bold]{'derived' if known else 'second'}[/] {escape(_label(derived, derived.id, 80))}")
    out.print(f"{pair.kind}; direction {_direction(pair)}; coverage {pair.coverage:.2f} of the derived, "
              f"{pair.source_coverage:.2f} of the source; verbatim {pair.verbatim:.2f}")
    for why in pair.evidence:
        out.print(f"  [dim]{escape(why)}[/]")
    from storyline.link.reuse.align import in_order  # numpy: not on `storyline --help`

    kept = in_order([(s.source_span[0], s.derived_span[0]) for s in pair.aligned])
    table = Table("source", "derived", "score", box=None, pad_edge=False, show_lines=True)
    hidden = 0
    for s in pair.aligned:
        moved = (s.source_span[0], s.derived_span[0]) not in kept
        text_a, text_b = source.body[slice(*s.source_span)], derived.body[slice(*s.derived_span)]
        if not all_ and not moved and all(op == "equal" for op, _, _ in word_ops(text_a, text_b)):
            hidden += 1
            continue
        left, right = _marked(text_a, text_b)
        if moved:
            left, right = f"[cyan]moved:[/] {left}", f"[cyan]moved here:[/] {right}"
        table.add_row(left, right, f"{s.score:.2f}")
    out.print(table)
    if hidden:
        out.print(f"[dim]{hidden} aligned sentences the same in both not shown (--all shows them)[/]")
    meaning = sorted((c for c in pair.changes if c.meaning), key=lambda c: _SEVERITY.get(c.severity, 2))
    wording = [c for c in pair.changes if not c.meaning]
    out.print(f"[bold]{len(meaning)} changes of meaning[/]" + (f", {len(wording)} of wording only" if wording else ""))
    for c in meaning:
        _print_change(c, f"{c.meaning_kind}, {c.severity or 'low'}")
    if wording:
        out.print("[bold]wording only[/]")
        for c in wording:
            _print_change(c, "wording")


_SEVERITY = {"high": 0, "medium": 1, "low": 2}


def _print_change(c: Change, tag: str) -> None:
    subject = f" [{escape(c.subject)}]" if c.subject else ""
    out.print(f"- {c.type} ({tag}){subject}: [red]{escape(clip(c.source_text))}[/] -> [green]{escape(clip(c.derived_text))}[/]")


def _label(article: Article | None, aid: str, width: int = 40) -> str:
    title = (article.title or article.outlet or "") if article else ""
    return f"{aid[:10]} {clip(title, width)}".strip()


def _direction(p: ReusePair) -> str:
    return f"{p.direction_confidence:.2f}" if p.direction_known else f"unknown ({p.direction_confidence:.2f})"


def _change_summary(changes: tuple[Change, ...]) -> str:
    """Changes of meaning by type (wording-only ones are not counted here)."""
    counts: dict[str, int] = {}
    for c in changes:
        if c.meaning:
            counts[c.type] = counts.get(c.type, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def _marked(source: str, derived: str) -> tuple[str, str]:
    """Both sentences as Rich markup: words only in the source struck out in red, words only in
    the derived in green. Text is escaped (article text is untrusted)."""
    left: list[str] = []
    right: list[str] = []
    for op, a, b in word_ops(source, derived):
        sa, sb = escape(a), escape(b)
        if op == "equal":
            left.append(sa)
            right.append(sb)
        else:
            if sa:
                left.append(f"[red strike]{sa}[/]")
            if sb:
                right.append(f"[green]{sb}[/]")
    return "".join(left), "".join(right)
