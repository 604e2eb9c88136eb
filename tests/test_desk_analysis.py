"""Desk.analyze, analysis during ingest, and the queries over stored analyses, on both stores.

A fake analyzer stands in for spaCy here, so these tests check the Desk's bookkeeping (what is
due, batches, failures, resuming), not what the extractors find (tests of the CLI run the real
one).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import store_two_articles, write_text_articles

import storyline
import storyline.analyze
from storyline.desk import ANALYZE_BATCH, AnalysisUnavailable, Desk
from storyline.records import Analysis, Entity, Identity, Mention, Quote, Role
from storyline.store import open_store


def fake_analysis(article) -> Analysis:
    """One PERSON and one quote per article, with offsets into its body."""
    first = article.body.split()[0]
    return Analysis(
        article.id,
        entities=(Entity("p1", "Residents", "PERSON", mentions=(Mention(article.id, 0, len(first), first),)),),
        quotes=(Quote(article.id, article.body[:12], 0, 12, "direct", cue="said", speaker="Residents"),),
    )


class FakeAnalyzer:
    """Analyses like :func:`fake_analysis`; raises on any body that contains "EXPLODE"."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def analyze(self, articles):
        articles = list(articles)
        self.calls.append([a.id for a in articles])
        for article in articles:
            if "EXPLODE" in article.body:
                raise ValueError("the parser gave up")
            yield fake_analysis(article)

    @property
    def analysed(self) -> list[str]:
        return [i for call in self.calls for i in call]


@pytest.fixture
def fake():
    return FakeAnalyzer()


@pytest.fixture
def fake_desk(store_url, fake):
    with Desk(open_store(store_url), analyzer=fake) as desk:
        yield desk


@pytest.fixture
def no_real_analyzer(monkeypatch):
    """Fail the test if the real analyzer (spaCy) is created."""
    def refuse(*args, **kwargs):
        raise AssertionError("the analyzer was created although nothing needed analysing")

    monkeypatch.setattr(storyline.analyze, "Analyzer", refuse)


def spy_on_batches(desk: Desk) -> list[int]:
    sizes: list[int] = []
    real = desk.store.put_analyses

    def put(analyses, version):
        sizes.append(len(analyses))
        return real(analyses, version)

    desk.store.put_analyses = put
    return sizes


def test_ingest_analyses_what_it_adds(fake_desk, fake, tmp_path):
    write_text_articles(tmp_path / "in", 3)
    report = fake_desk.ingest([tmp_path / "in"])
    assert len(report.added) == 3
    assert report.analysis.analysed == report.added and report.analysis.problems == []
    assert report.analysis.entities == 3 and report.analysis.quotes == 3
    for article in fake_desk.articles():
        assert fake_desk.analysis(article.id) == fake_analysis(article)
        assert fake_desk.analysis(article.id[:8]) == fake_analysis(article)  # a prefix works too
    assert fake_desk.store.unanalysed(storyline.ANALYZER_VERSION) == []

    again = fake_desk.ingest([tmp_path / "in"])
    assert len(again.present) == 3 and again.analysis.analysed == []
    assert len(fake.analysed) == 3  # nothing analysed twice


def test_a_failing_article_is_kept_and_reported(fake_desk, tmp_path):
    paths = write_text_articles(tmp_path / "in", 3)
    paths[1].write_text("Harbour wall report\n\nThe parser will EXPLODE on this article.\n", encoding="utf-8")
    report = fake_desk.ingest([tmp_path / "in"])
    assert len(report.added) == 3 and report.problems == []  # stored, not skipped
    [problem] = report.analysis.problems
    assert problem.source == str(paths[1]) and "ValueError: the parser gave up" in problem.reason
    bad = next(a for a in fake_desk.articles() if "EXPLODE" in a.body)
    assert bad.id in problem.reason
    assert sorted(report.analysis.analysed) == sorted(set(report.added) - {bad.id})
    assert fake_desk.store.unanalysed() == [bad.id] and fake_desk.analysis(bad.id) is None

    retry = fake_desk.analyze()  # still due, fails again, still kept
    assert retry.due == 1 and retry.analysed == [] and len(retry.problems) == 1
    assert fake_desk.store.count() == 3


def test_analyze_does_what_is_due_in_batches(fake_desk, fake, tmp_path, no_real_analyzer):
    count = 2 * ANALYZE_BATCH + 7
    write_text_articles(tmp_path / "in", count)
    report = fake_desk.ingest([tmp_path / "in"], analyze=False, batch_size=500)
    assert report.analysis is None and fake.calls == []
    assert len(fake_desk.store.unanalysed()) == count

    sizes = spy_on_batches(fake_desk)
    done = fake_desk.analyze()
    assert sizes == [ANALYZE_BATCH, ANALYZE_BATCH, 7]  # one transaction per batch
    assert done.due == count and len(done.analysed) == count and done.quotes == count
    assert done.analysed == [a.id for a in fake_desk.articles()]  # in store order
    assert fake_desk.analyze().due == 0 and sizes == [ANALYZE_BATCH, ANALYZE_BATCH, 7]

    again = fake_desk.analyze(all=True)
    assert again.due == count and len(again.analysed) == count
    assert len(fake_desk.entities("PERSON")) == count  # replaced, not duplicated


def test_a_new_analyzer_version_makes_every_article_due(fake_desk, tmp_path, monkeypatch):
    write_text_articles(tmp_path / "in", 4)
    fake_desk.ingest([tmp_path / "in"])
    assert fake_desk.analyze().due == 0
    fake_desk.analysing.version = "next"  # as if the analyzer had changed
    report = fake_desk.analyze()
    assert report.due == 4 and len(report.analysed) == 4
    assert fake_desk.store.unanalysed("next") == []


def test_progress_is_reported_per_batch(fake_desk, tmp_path):
    write_text_articles(tmp_path / "in", ANALYZE_BATCH + 1)
    fake_desk.ingest([tmp_path / "in"], analyze=False)
    seen = []
    fake_desk.analyze(progress=lambda done, total, label: seen.append((done, total)))
    assert seen == [(ANALYZE_BATCH, ANALYZE_BATCH + 1), (ANALYZE_BATCH + 1, ANALYZE_BATCH + 1)]


def test_reingest_analyses_articles_a_killed_run_left_unanalysed(fake_desk, fake, tmp_path):
    write_text_articles(tmp_path / "in", 5)
    fake_desk.ingest([tmp_path / "in"], analyze=False)
    report = fake_desk.ingest([tmp_path / "in"])
    assert report.added == [] and len(report.present) == 5
    assert sorted(report.analysis.analysed) == sorted(report.present)
    assert fake_desk.store.unanalysed() == []


def test_the_analyzer_is_created_only_when_needed(store_url, tmp_path, monkeypatch):
    created = []

    class Counting(FakeAnalyzer):
        def __init__(self):
            super().__init__()
            created.append(self)

    monkeypatch.setattr(storyline.analyze, "Analyzer", Counting)
    write_text_articles(tmp_path / "in", 2)
    with storyline.open(store_url) as desk:
        desk.ingest([tmp_path / "in"], analyze=False)
        desk.ingest([tmp_path / "in"], analyze=False)
        assert created == []
        assert desk.analyze().due == 2 and len(created) == 1
        assert desk.analyze().due == 0 and len(created) == 1
    with storyline.open(store_url) as desk:
        desk.ingest([tmp_path / "in"])  # all present and analysed: nothing to load the model for
        desk.analyze()
        assert len(created) == 1


def test_ingest_goes_on_when_the_analyzer_cannot_load(store_url, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no English spaCy model is installed")

    monkeypatch.setattr(storyline.analyze, "Analyzer", broken)
    write_text_articles(tmp_path / "in", 3)
    with storyline.open(store_url) as desk:
        report = desk.ingest([tmp_path / "in"], batch_size=1)
        assert len(report.added) == 3 and report.problems == []
        [problem] = report.analysis.problems  # once, not once per batch
        assert problem.source == "analyzer" and "no English spaCy model" in problem.reason
        assert len(desk.store.unanalysed()) == 3
        with pytest.raises(AnalysisUnavailable, match="no English spaCy model"):
            desk.analyze()


def test_people_and_quotes_over_stored_analyses(desk):
    ids, analyses = store_two_articles(desk.store)
    people = desk.people()
    assert people and all(isinstance(i, Identity) and i.type == "PERSON" for i in people)
    stored = {(found.article_id, found.entity.id) for found in desk.entities("PERSON")}
    members = [m for i in people for m in i.members]
    assert set(members) <= stored
    assert len(members) == len(set(members))  # each entity in one identity at most
    counts = [len({a for a, _ in i.members}) for i in people]
    assert counts == sorted(counts, reverse=True)  # most articles first

    assert [q.text for q in desk.quotes()] == [q.text for a in analyses for q in a.quotes]
    assert [q.article_id for q in desk.quotes(speaker="ANA ORTIZ")] == [ids[0], ids[1]]
    assert desk.quotes(limit=1, offset=1) == [analyses[0].quotes[1]]


# --- a killed analysis run resumes ---------------------------------------------------------

# A slow fake analyzer in a real process, so that the kill lands mid-run whatever the speed of
# the real extractors.
KILLABLE = """
import sys, time
from storyline.desk import Desk
from storyline.records import Analysis, Entity, Quote
from storyline.store import open_store

class Slow:
    def analyze(self, articles):
        for a in articles:
            time.sleep(float(sys.argv[2]))
            yield Analysis(a.id, entities=(Entity("p1", "Resident", "PERSON"),),
                           quotes=(Quote(a.id, a.body[:5], 0, 5, "direct"),))

with Desk(open_store(sys.argv[1]), analyzer=Slow()) as desk:
    desk.analyze()
"""


def _analysed(store_url: str) -> int:
    store = open_store(store_url)
    try:
        return store.count() - len(store.unanalysed())
    finally:
        store.close()


def test_kill_mid_analyze_then_resume(store_url, tmp_path):
    total = 400
    write_text_articles(tmp_path / "in", total)
    with storyline.open(store_url) as desk:
        assert len(desk.ingest([tmp_path / "in"], analyze=False).added) == total
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, store_url, "0.01"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while _analysed(store_url) < 2 * ANALYZE_BATCH:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    kept = _analysed(store_url)
    assert 2 * ANALYZE_BATCH <= kept < total and kept % ANALYZE_BATCH == 0  # whole batches only

    done = subprocess.run([sys.executable, "-c", KILLABLE, store_url, "0"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    store = open_store(store_url)
    try:
        assert store.unanalysed() == []
        assert len(store.entities()) == total and len(store.quotes()) == total  # nothing twice
    finally:
        store.close()
