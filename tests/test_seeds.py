"""The seed articles (read from ../shared/seeds at run time): the sample ingest must get right.

Expected headlines are read from the raw files, never copied into this repository.
"""

from __future__ import annotations

import re

import pytest

import storyline

BOILERPLATE = [
    "Read More Details", "Finally We wish", "Also on site", "Leave a Comment", "belongs to",
    "The original article", "inews - News", "Source:", "Abstract:", "...Middle East",
]


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    joined, part = " " + " ".join(haystack) + " ", " " + " ".join(needle) + " "
    return part in joined


@pytest.fixture(scope="module")
def seeds(seeds_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with storyline.open(db) as desk:
        report = desk.ingest([seeds_dir])
        assert not report.problems
        by_name = {}
        for article in desk.articles():
            name = article.source.rsplit("/", 1)[-1]
            by_name[name[:3]] = (desk.article(article.id), (seeds_dir / name).read_text("utf-8"))
    return by_name


def raw_lines(raw: str) -> list[str]:
    return [" ".join(line.split()) for line in raw.splitlines() if line.strip()]


def test_five_articles(seeds):
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]


def test_headlines(seeds):
    article, raw = seeds["000"]
    assert article.title == raw_lines(raw)[0] and article.fields["title"].origin == "stated"
    article, raw = seeds["001"]
    first, _site, repeated = raw_lines(raw)[:3]
    assert article.title == repeated and first.startswith(repeated) and "..." in first
    for key in ("002", "004"):
        article, raw = seeds[key]
        assert article.title == raw_lines(raw)[0]
    # 003 states no headline: its first line is the lede. The title is made from it.
    article, raw = seeds["003"]
    assert article.fields["title"].origin == "inferred"
    lede = re.sub(r"^[A-Z]+ – ", "", raw_lines(raw)[0])
    assert lede.startswith(article.title) and 8 <= len(article.title.split()) <= 20
    assert article.body.startswith(raw_lines(raw)[0])  # the lede stays in the body


def test_stated_date_and_outlets(seeds):
    assert seeds["002"][0].published == "2025-02-27T05:14:00"
    assert seeds["002"][0].fields["published"].origin == "stated"
    for key in ("000", "001", "003", "004"):
        assert seeds[key][0].published is None and seeds[key][0].fields["published"].origin == "missing"
    # "inews" (a site line) is one of The i Paper's names: one canonical outlet, the alias kept
    # as the evidence.
    assert seeds["001"][0].outlet == "The i Paper" and "'inews'" in seeds["001"][0].fields["outlet"].evidence
    assert seeds["001"][0].fields["outlet"].origin == "stated"
    assert seeds["004"][0].outlet == "The i Paper"
    assert seeds["004"][0].byline == "Leo Cendrowicz"
    assert seeds["002"][0].abstract and seeds["002"][0].fields["abstract"].origin == "stated"


def test_no_boilerplate_left(seeds):
    for key, (article, _raw) in seeds.items():
        for junk in BOILERPLATE:
            assert junk not in article.body, (key, junk)
        last = article.body.rsplit("\n\n", 1)[-1]
        assert last not in ("Comments", "Leave a Comment") and not last.startswith("By ")
        assert article.title not in article.body.split("\n\n")[:1]


def test_no_body_sentence_lost(seeds):
    """Every line of running text in the raw file is in the body, word for word."""
    for key, (article, raw) in seeds.items():
        body = tokens(article.body)
        headlines = {c.text for c in article.cuts if c.kind in ("headline", "repeated-headline")}
        for line in raw_lines(raw):
            if len(line.split()) < 10 or line in headlines or line.startswith(("Abstract:", "Finally We wish")):
                continue
            if line.endswith("By Leo Cendrowicz"):
                line = line[: -len("By Leo Cendrowicz")]
            assert contains_run(body, tokens(line)), (key, line[:80])


def test_every_cut_is_recorded_and_raw_kept(seeds):
    for key, (article, raw) in seeds.items():
        assert article.raw.decode("utf-8") == raw
        for cut in article.cuts:
            assert cut.text.strip() and cut.text in raw, (key, cut)
