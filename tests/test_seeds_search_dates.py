"""On the seeds (read from ../shared/seeds at run time): a search for "backstop" finds the
articles that use the word, with the word highlighted in a snippet; the seeds' story shows its
real days of coverage (17 Feb - 9 Mar 2025, most dates inferred), not just its one stated date."""

from __future__ import annotations

import json
import re

import pytest

import storyline
from helpers import run_cli
from storyline.report.json import search_hit_json

pytestmark = pytest.mark.slow


def test_backstop_search_returns_the_articles_using_the_word(seeds_store, seeds_dir):
    using = {p.name for p in seeds_dir.iterdir() if re.search(r"\bbackstops?\b", p.read_text(encoding="utf-8"), re.I)}
    assert using  # the seeds do use the word
    with storyline.open(seeds_store) as desk:
        hits = desk.search_hits("backstop")
        sources = {desk.article(h.article.id).source.rsplit("/", 1)[-1] for h in hits}
    assert sources == using
    for hit in map(search_hit_json, hits):
        words = [hit["snippet"][s:e].casefold() for s, e in hit["highlights"]]
        assert words and set(words) <= {"backstop", "backstops"}
    done = run_cli("search", "backstop", "--db", str(seeds_store), "--json")
    assert done.returncode == 0 and len(json.loads(done.stdout)) == len(using)


def test_the_seeds_story_shows_its_days_of_coverage(seeds_store):
    done = run_cli("stories", "--db", str(seeds_store), "--no-update", "--json")
    [story] = [s for s in json.loads(done.stdout) if len(s["article_ids"]) == 5]
    assert story["first"] == story["last"] == "2025-02-27"  # the one stated date
    assert (story["coverage_first"], story["coverage_last"]) == ("2025-02-17", "2025-03-09")
    table = run_cli("stories", "--db", str(seeds_store), "--no-update")
    assert "2025-02-17 .. 2025-03-09" in table.stdout


def test_the_seeds_briefing_and_timeline_read_in_date_order(seeds_store):
    from storyline.report.briefing import build_briefing
    from storyline.report.render import to_markdown

    with storyline.open(seeds_store) as desk:
        [story] = [s for s in desk.stories() if len(s.article_ids) == 5]
        report = desk.story(story.id)
    days = [e.date for e in report.timeline]
    assert days == sorted(days) and days
    briefing = build_briefing(report)
    dated = [s.date[:10] for s in briefing.what_happened if s.date]
    assert len(dated) >= 3 and dated == sorted(dated)
    assert (briefing.first, briefing.last) == ("2025-02-17", "2025-03-09")
    assert "5 articles, published 2025-02-17 .. 2025-03-09" in to_markdown(briefing)
