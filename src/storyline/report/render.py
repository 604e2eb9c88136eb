"""Renderers of a :class:`Briefing`: Markdown, one self-contained HTML file, and JSON (a dict).

Article text is untrusted: HTML escapes every piece of it (``html.escape``) and links only
http(s) article URLs; Markdown escapes the characters that would make markup or links. The HTML
file has its CSS inline and no script, image, font or stylesheet to fetch.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable

from storyline.report.briefing_records import Briefing, Source
from storyline.report.words import counted, quoted

KIND_NAMES = {
    "role_conflict": "role conflict", "number_conflict": "number conflict", "date_conflict": "date conflict",
    "quote": "reworded quote",
}
_DEL = re.compile(r"\[-(.*?)-\]")
_INS = re.compile(r"\{\+(.*?)\+\}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} .. {last}"


def _change_name(kind: str) -> str:
    return kind.replace("_", " ")


# --- Markdown ------------------------------------------------------------------------------------


def _md(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def _md_diff(text: str) -> str:
    """Escaped, then the word diff marks turned into ~~removed~~ and **added**."""
    escaped = _md(text)
    escaped = re.sub(r"\\\[-(.*?)-\\\]", r"~~\1~~", escaped)
    return re.sub(r"\{\+(.*?)\+\}", r"**\1**", escaped)


_quoted = quoted  # a direct quotation in quotation marks; reported speech as it is


def ref_runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted reference numbers as runs ``(first, last)``, a run of three or more consecutive
    numbers kept whole. A repeated headline is supported by every copy of it, and its copies are
    numbered one after another: "[1–25]" says what twenty-five "[1][2]...[25]" said, citing each
    source still (the list below numbers them all), as a printed bibliography's ranges do. Two in
    a row stay two ("[4][5]"): a range saves nothing there."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    out: list[tuple[int, int]] = []
    for first, last in runs:
        out.extend([(first, first), (last, last)] if last == first + 1 else [(first, last)])
    return out


def _md_refs(b: Briefing, ids: Iterable[str]) -> str:
    return "".join(f"[{a}]" if a == z else f"[{a}–{z}]" for a, z in ref_runs(b.refs(ids)))


def _md_ref(b: Briefing, aid: str) -> str:
    refs = b.refs([aid])
    return f"[{refs[0]}]" if refs else f"`{aid[:10]}`"


def to_markdown(b: Briefing) -> str:
    lines = [f"# Briefing: {_md(b.title)}", "",
             f"Story `{b.story_id}`: {counted(b.article_count, 'article')}, published {_span(b.first, b.last)}.", ""]
    for note in b.notes:
        lines += [f"> {_md(note)}", ""]

    lines += ["## What happened", ""]
    if b.what_happened:
        lines += [" ".join(f"{_md(s.text)} {_md_refs(b, s.sources)}" for s in b.what_happened), ""]
    else:
        lines += ["Nothing to report.", ""]

    lines += ["## Key developments", ""]
    for d in b.developments:
        mark = " (inferred)" if d.inferred else ""
        lines.append(f"- **{d.date}**{mark}: {_md(d.label)} {_md_refs(b, d.sources)}")
    if not b.developments:
        lines.append("No dated events.")
    lines.append("")

    lines += ["## Who said what", ""]
    if b.actors:
        lines += ["Key people:", ""]
        for a in b.actors:
            roles = f" ({_md('; '.join(a.roles))})" if a.roles else ""
            lines.append(f"- **{_md(a.name)}**{roles}: {counted(a.articles, 'article')}, {counted(a.quotes, 'quote')}")
        lines.append("")
    for s in b.speakers:
        roles = f" ({_md('; '.join(s.actor.roles))})" if s.actor.roles else ""
        lines += [f"### {_md(s.actor.name)}{roles}", ""]
        for q in s.quotes:
            extra = ""
            if q.differs and q.diff:
                extra += f"; worded differently: {_md_diff(q.diff)}"
            if q.paraphrased_in:
                extra += f"; paraphrased in {_md_refs(b, q.paraphrased_in)}"
            lines.append(f"- {_quoted(_md(q.text), q.kind)} ({q.kind}) {_md_refs(b, q.sources)}{extra}")
        lines.append("")
    if not b.speakers:
        lines += ["No attributed quotes.", ""]

    lines += ["## Where the sources disagree", ""]
    for d in b.disagreements:
        lines.append(f"- **{KIND_NAMES.get(d.kind, d.kind)}**, {_md(d.subject)}: {_md_diff(d.summary)} "
                     f"{_md_refs(b, d.sources)}")
        for c in d.citations:
            context = f" in: {_md(c.context)}" if c.context else ""
            lines.append(f"  - {_md_ref(b, c.article_id)} “{_md(c.text)}”{context}")
    if not b.disagreements:
        lines.append("No disagreements found.")
    if b.same_quotes:
        lines.append(f"\n{b.same_quotes} quotations are carried by several articles word for word.")
    lines.append("")

    lines += ["## Provenance of copies", ""]
    for p in b.provenance:
        lines.append(f"- {_md_ref(b, p.source_id)} → {_md_ref(b, p.derived_id)}: {p.kind}, coverage {p.coverage:.2f}, "
                     f"direction confidence {p.direction_confidence:.2f}")
        for c in p.changes:
            subject = f" ({_md(c.subject)})" if c.subject else ""
            lines.append(f"  - {_change_name(c.type)}{subject}: “{_md(c.source_text)}” → “{_md(c.derived_text)}”")
        if p.more_changes:
            lines.append(f"  - and {p.more_changes} more changes")
    if not b.provenance:
        lines.append("No copies found.")
    lines.append("")

    lines += ["## Sources", ""]
    for s in b.sources:
        lines.append(f"{s.number}. {_md_source(s)}")
    lines.append("")
    return "\n".join(lines)


def _md_source(s: Source) -> str:
    parts = [_md(s.outlet) if s.outlet else "unknown outlet", f"*{_md(s.title)}*" if s.title else "untitled", s.date,
             f"`{s.id}`"]
    if s.url:
        parts.append(f"<{_md(s.url)}>" if _safe_url(s.url) else _md(s.url))
    if s.also_published:
        parts.append("also run by " + ", ".join(_md(o) for o in s.also_published))
    return ", ".join(parts)


def _safe_url(url: str) -> bool:
    return re.match(r"https?://[^\s<>\"']+$", url) is not None


# --- HTML ----------------------------------------------------------------------------------------

CSS = """
body{font:16px/1.5 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222;background:#fff}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:1.6em}
h3{font-size:1.05em;margin-bottom:.3em}.meta,.note{color:#666;font-size:.9em}
sup.ref a{text-decoration:none;color:#05a}.inferred{color:#a60;font-size:.85em}
.kind{font-variant:small-caps;color:#444}del{background:#fdd;text-decoration:line-through}
ins{background:#dfd;text-decoration:none}blockquote{margin:.3em 0 .3em 1em;color:#333}
ol.sources li{margin-bottom:.3em}code{font-size:.85em;color:#555}ul.changes{font-size:.92em}
"""


def _h(text: object) -> str:
    return html.escape(" ".join(str(text if text is not None else "").split()), quote=True)


def html_diff(text: str) -> str:
    """Escaped, then the word diff marks turned into <del>/<ins>."""
    escaped = _h(text)
    return _INS.sub(r"<ins>\1</ins>", _DEL.sub(r"<del>\1</del>", escaped))


def _h_refs(b: Briefing, ids: Iterable[str]) -> str:
    return "".join(f'<sup class="ref"><a href="#src-{a}">[{a}]</a></sup>' if a == z else
                   f'<sup class="ref">[<a href="#src-{a}">{a}</a>–<a href="#src-{z}">{z}</a>]</sup>'
                   for a, z in ref_runs(b.refs(ids)))


def _h_ref(b: Briefing, aid: str) -> str:
    refs = b.refs([aid])
    return f'<a href="#src-{refs[0]}">[{refs[0]}]</a>' if refs else f"<code>{_h(aid[:10])}</code>"


def to_html(b: Briefing) -> str:
    p: list[str] = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Briefing: {_h(b.title)}</title>", f"<style>{CSS}</style></head><body>",
        f"<h1>{_h(b.title)}</h1>",
        f'<p class="meta">Story <code>{_h(b.story_id)}</code>: {counted(b.article_count, "article")}, published '
        f"{_h(_span(b.first, b.last))}.</p>",
    ]
    p += [f'<p class="note">{_h(n)}</p>' for n in b.notes]

    p.append("<h2>What happened</h2>")
    if b.what_happened:
        p.append("<p>" + " ".join(f"{_h(s.text)}{_h_refs(b, s.sources)}" for s in b.what_happened) + "</p>")
    else:
        p.append("<p>Nothing to report.</p>")

    p.append("<h2>Key developments</h2>")
    if b.developments:
        p.append("<ul>")
        for d in b.developments:
            mark = ' <span class="inferred">(inferred)</span>' if d.inferred else ""
            p.append(f"<li><strong>{_h(d.date)}</strong>{mark}: {_h(d.label)}{_h_refs(b, d.sources)}</li>")
        p.append("</ul>")
    else:
        p.append("<p>No dated events.</p>")

    p.append("<h2>Who said what</h2>")
    if b.actors:
        p.append("<p>Key people:</p><ul>")
        for a in b.actors:
            roles = f" ({_h('; '.join(a.roles))})" if a.roles else ""
            p.append(f"<li><strong>{_h(a.name)}</strong>{roles}: {counted(a.articles, 'article')}, {counted(a.quotes, 'quote')}</li>")
        p.append("</ul>")
    for s in b.speakers:
        roles = f" <span class=\"meta\">({_h('; '.join(s.actor.roles))})</span>" if s.actor.roles else ""
        p.append(f"<h3>{_h(s.actor.name)}{roles}</h3><ul>")
        for q in s.quotes:
            extra = ""
            if q.differs and q.diff:
                extra += f"<br><span class=\"meta\">worded differently: {html_diff(q.diff)}</span>"
            if q.paraphrased_in:
                extra += f"<br><span class=\"meta\">paraphrased in {_h_refs(b, q.paraphrased_in)}</span>"
            p.append(f"<li>{_quoted(_h(q.text), q.kind)} <span class=\"kind\">{_h(q.kind)}</span>{_h_refs(b, q.sources)}{extra}</li>")
        p.append("</ul>")
    if not b.speakers:
        p.append("<p>No attributed quotes.</p>")

    p.append("<h2>Where the sources disagree</h2>")
    if b.disagreements:
        p.append("<ul>")
        for d in b.disagreements:
            p.append(f"<li><span class=\"kind\">{_h(KIND_NAMES.get(d.kind, d.kind))}</span>, {_h(d.subject)}: "
                     f"{html_diff(d.summary)}{_h_refs(b, d.sources)}<ul>")
            p += [f"<li>{_h_ref(b, c.article_id)} “{_h(c.text)}”"
                  + (f' <span class="meta">in: {_h(c.context)}</span>' if c.context else "") + "</li>"
                  for c in d.citations]
            p.append("</ul></li>")
        p.append("</ul>")
    else:
        p.append("<p>No disagreements found.</p>")
    if b.same_quotes:
        p.append(f'<p class="meta">{b.same_quotes} quotations are carried by several articles word for word.</p>')

    p.append("<h2>Provenance of copies</h2>")
    if b.provenance:
        p.append("<ul>")
        for pr in b.provenance:
            p.append(f"<li>{_h_ref(b, pr.source_id)} → {_h_ref(b, pr.derived_id)}: <span class=\"kind\">{_h(pr.kind)}"
                     f"</span>, coverage {pr.coverage:.2f}, direction confidence {pr.direction_confidence:.2f}"
                     '<ul class="changes">')
            for c in pr.changes:
                subject = f" ({_h(c.subject)})" if c.subject else ""
                p.append(f"<li>{_h(_change_name(c.type))}{subject}: <del>{_h(c.source_text)}</del> → "
                         f"<ins>{_h(c.derived_text)}</ins></li>")
            if pr.more_changes:
                p.append(f"<li>and {pr.more_changes} more changes</li>")
            p.append("</ul></li>")
        p.append("</ul>")
    else:
        p.append("<p>No copies found.</p>")

    p.append('<h2>Sources</h2><ol class="sources">')
    for s in b.sources:
        title = f"<em>{_h(s.title)}</em>" if s.title else "untitled"
        url = ""
        if s.url:
            url = f', <a href="{_h(s.url)}" rel="noopener noreferrer">{_h(s.url)}</a>' if _safe_url(s.url) else f", {_h(s.url)}"
        also = f', <span class="also">also run by {_h(", ".join(s.also_published))}</span>' if s.also_published else ""
        p.append(f'<li id="src-{s.number}">{_h(s.outlet or "unknown outlet")}, {title}, {_h(s.date)}, '
                 f"<code>{_h(s.id)}</code>{url}{also}</li>")
    p.append("</ol></body></html>")
    return "\n".join(p) + "\n"


# --- JSON ----------------------------------------------------------------------------------------


def to_json(b: Briefing) -> dict:
    """The briefing as plain data: article ids everywhere, and ``refs`` (reference numbers into
    ``sources``) beside every ``sources`` list."""
    data = dataclasses.asdict(b)

    def add_refs(items: list[dict]) -> None:
        for item in items:
            item["refs"] = b.refs(item["sources"])

    add_refs(data["what_happened"])
    add_refs(data["developments"])
    add_refs(data["disagreements"])
    for s in data["speakers"]:
        add_refs(s["quotes"])
    for p in data["provenance"]:
        p["source_ref"], p["derived_ref"] = (b.refs([p["source_id"]]) or [None])[0], (b.refs([p["derived_id"]]) or [None])[0]
    return data
