"""Who said what in ../shared/seeds. Expectations name public figures and roles only; the
article text itself is read from ../shared at run time."""

import pytest

from storyline.ingest.files import DEFAULT_MAX_BYTES, discover
from storyline.ingest.pipeline import articles, documents
from storyline.records import Article

PRONOUNS = {"he", "she", "they", "him", "her", "it", "i", "we", "you", "his", "their", "them"}


@pytest.fixture(scope="module")
def seeds(seeds_dir, analyzer):
    found = []
    for f in discover([seeds_dir]):
        if isinstance(f, tuple):
            continue
        found.extend(a for a in articles(documents(f, max_bytes=DEFAULT_MAX_BYTES)) if isinstance(a, Article))
    found.sort(key=lambda a: a.source)
    assert len(found) == 5
    return {a.source.rsplit("/", 1)[-1][:3]: (a, analysis) for a, analysis in zip(found, analyzer.analyze(found), strict=True)}


def speakers(analysis, kind=None):
    return {q.speaker for q in analysis.quotes if kind is None or q.kind == kind}


def test_offsets_index_the_body_and_no_pronoun_speaker(seeds):
    for article, analysis in seeds.values():
        assert analysis.quotes, article.source
        for q in analysis.quotes:
            assert article.body[q.start : q.end] == q.text
            assert (q.speaker or "").casefold() not in PRONOUNS
            if q.speaker_mention is not None:
                m = q.speaker_mention
                assert article.body[m.start : m.end] == m.text


def test_scare_quotes_are_not_speech(seeds):
    for _, analysis in seeds.values():
        for q in analysis.quotes:
            words = q.text.strip("“”\"' .,").casefold()
            assert words not in {"backstop", "coalition of the willing", "heated legal argument"}


def test_named_titled_and_anonymous_speakers_in_the_i_paper_report(seeds):
    _, a = seeds["004"]
    direct = speakers(a, "direct")
    assert {"Sergei Lavrov", "John Healey", "Iain Duncan Smith", "José Manuel Albares"} <= direct
    anonymous = {q.speaker for q in a.quotes if q.anonymous}
    assert "A UK Government source" in anonymous
    assert "One Nato official" in anonymous
    assert not any(q.speaker_id for q in a.quotes if q.anonymous)
    # Partial quotes inside reported speech, each with its speaker.
    partial = speakers(a, "partial")
    assert {"Olaf Scholz", "Mette Frederiksen", "Dick Schoof"} <= partial


def test_multi_paragraph_quotes_and_titles_in_the_washington_report(seeds):
    _, a = seeds["003"]
    groups = {}
    for q in a.quotes:
        if q.group is not None:
            groups.setdefault(q.group, []).append(q)
    wallace = [g for g in groups.values() if g[0].speaker == "Ben Wallace"]
    assert wallace and len(wallace[0]) >= 3 and {q.speaker for q in wallace[0]} == {"Ben Wallace"}
    # "The former Conservative MP went on" is the MP just quoted, not a new anonymous speaker.
    assert any(q.speaker == "Tobias Ellwood" and q.speaker_mention.text.casefold().endswith("conservative mp") for q in a.quotes)
    # "the Prime Minister smiled and said" is Keir Starmer, named earlier in the article.
    assert any(q.speaker == "Keir Starmer" and q.speaker_mention.text == "the Prime Minister" for q in a.quotes if q.kind == "direct")
    assert "Donald Trump" in speakers(a, "direct")
    assert any(q.anonymous and "official" in q.speaker for q in a.quotes)


def test_the_senior_mp_stays_anonymous_in_source_and_rewrite(seeds):
    for key in ("000", "001"):
        _, a = seeds[key]
        mp = [q for q in a.quotes if q.speaker and "MP" in q.speaker]
        assert mp, key
        assert all(q.anonymous for q in mp)
        assert any(q.kind == "direct" for q in mp)


def test_roles_give_the_rewrite_away(seeds):
    """The rewrite (000) calls the US president "former President"; its source (001) does not."""
    def roles_of(analysis, name):
        return [r.title for e in analysis.entities if e.name == name for r in e.roles]

    assert any("former" in r.casefold() and "president" in r.casefold() for r in roles_of(seeds["000"][1], "Donald Trump"))
    assert not any("former" in r.casefold() for r in roles_of(seeds["001"][1], "Donald Trump"))
    assert any("Defence Secretary" in r for r in roles_of(seeds["004"][1], "John Healey"))
    assert any("foreign minister" in r for r in roles_of(seeds["004"][1], "Sergei Lavrov"))


def test_people_named_several_ways_are_one_entity(seeds):
    for key, (_, a) in seeds.items():
        starmers = [e for e in a.entities if e.type == "PERSON" and "Starmer" in e.name]
        assert len(starmers) == 1, (key, starmers)
        assert starmers[0].name == "Keir Starmer"
