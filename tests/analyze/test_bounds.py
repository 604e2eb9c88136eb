"""Caps on the analysis of one article: hostile bodies (generated here) are analysed in part,
in bounded chunks, with what was left out reported; offsets stay offsets into the body."""

from __future__ import annotations

import pytest

from storyline.analyze import bounds

PARAGRAPH = ('"We will not stop the ferry," Councillor Ravi Duckett said on Monday. '
             "The union said its members had voted for a strike over the new rota. ")


def test_chunks_join_back_into_the_text_and_respect_the_size():
    texts = [
        "\n\n".join(PARAGRAPH * 30 for _ in range(20)),  # paragraph breaks
        PARAGRAPH * 600,  # one paragraph: cut at sentence ends
        "word " * 20_000,  # no sentence end: cut at spaces
        "x" * 50_001,  # nothing to cut at
        "",
    ]
    for text in texts:
        pieces = bounds.chunks(text, 5_000)
        assert "".join(pieces) == text
        assert all(len(p) <= 5_000 for p in pieces)
        assert all(p for p in pieces) or pieces == [""]
    assert all(p.endswith("\n\n") for p in bounds.chunks(texts[0], 5_000)[:-1])
    assert all(p.endswith(". ") for p in bounds.chunks(texts[1], 5_000)[:-1])


def test_bound_leaves_real_articles_alone():
    text = "\n\n".join([PARAGRAPH] * 40)
    assert bounds.bound(text) == bounds.Bounded(text)


def test_bound_cuts_characters_at_a_paragraph_break():
    text = "\n\n".join(["word " * 1_000] * 100)  # 500,000 characters
    kept = bounds.bound(text)
    assert len(kept.text) <= bounds.MAX_ANALYSED_CHARS and text.startswith(kept.text)
    assert kept.text.endswith("word ") and text[len(kept.text):].startswith("\n\n")
    assert kept.truncated == (f"analysed the first {len(kept.text):,} of 500,198 characters "
                              f"(cap: {bounds.MAX_ANALYSED_CHARS:,} per article)",)


def test_bound_cuts_quotation_marks():
    text = "\n\n".join(['He said "yes" and "no".'] * 2_000)  # 8,000 marks
    kept = bounds.bound(text)
    marks = sum(kept.text.count(m) for m in '"“”„«»‟')
    assert marks <= bounds.MAX_QUOTE_MARKS and marks >= bounds.MAX_QUOTE_MARKS - 4
    assert kept.truncated == (f"analysed the first {len(kept.text):,} characters, which hold 1,000 of the "
                              f"8,000 quotation marks (cap: 1,000 per article)",)


def test_hostile_bodies_are_analysed_in_part_with_valid_offsets(analyzer, monkeypatch):
    # Caps and chunks ten times smaller than shipped, so that the test parses little text.
    monkeypatch.setattr(bounds, "MAX_ANALYSED_CHARS", 20_000)
    monkeypatch.setattr(bounds, "MAX_CHUNK_CHARS", 2_000)
    bodies = {
        "marks": 'He said "yes" and "no" and "maybe". ' * 500,  # 3,000 marks in one paragraph
        "line": "Ravi Duckett said the ferry would run. " * 700,  # 27,300 characters, one line
        "chunks": "\n\n".join([PARAGRAPH] * 40),  # 6,000 characters: parsed in four chunks
    }
    found = dict(zip(bodies, analyzer.analyze_texts(list(bodies.values()), list(bodies)), strict=True))
    assert "1,000 of the 3,000 quotation marks" in found["marks"].truncated[0]
    assert "of 27,300 characters" in found["line"].truncated[0]
    assert found["chunks"].truncated == ()
    for name, analysis in found.items():
        body = bodies[name]
        for quote in analysis.quotes:
            assert body[quote.start:quote.end] == quote.text or quote.text in body[quote.start - 1:quote.end + 1]
    # Every paragraph's quote and speaker is found on both sides of the chunk boundary.
    direct = [q for q in found["chunks"].quotes if q.kind == "direct"]
    assert len(direct) == 40
    assert {q.speaker for q in direct} == {"Councillor Ravi Duckett"}


def test_sentence_cap_cuts_at_a_sentence_boundary(analyzer, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_SENTENCES", 10)
    monkeypatch.setattr(bounds, "MAX_CHUNK_CHARS", 300)
    text = "\n\n".join(f"Sentence number {i} is about the ferry." for i in range(30))
    analysis = analyzer.analyze_text(text)
    assert len(analysis.truncated) == 1 and "hold 10 sentences (cap: 10 per article)" in analysis.truncated[0]
    kept = int(analysis.truncated[0].split("first ")[1].split(" of")[0].replace(",", ""))
    assert text[:kept].rstrip().endswith("Sentence number 9 is about the ferry.")
    assert all(t.end <= kept for t in analysis.times)


@pytest.mark.parametrize("hostile", ["A. " * 100_000, "Dr. " * 50_000, "x" * 200_000 + ". Then"])
def test_sentence_spans_of_hostile_text_are_cut_and_cover_it(hostile):
    """Stops that end no sentence ("A.", "Dr.") a hundred thousand times over: the splitter
    looks only at the word before each stop (it searched the whole sentence so far, 650 s
    here), and a run-on sentence is cut at MAX_SENTENCE_CHARS."""
    from storyline.analyze.sentences import MAX_SENTENCE_CHARS, sentence_spans

    spans = sentence_spans(hostile)
    assert spans and all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(hostile.rstrip())
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
