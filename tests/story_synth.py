"""Synthetic stories for the checkpoint tests: made-up articles in topics (word lists, names and
random topic vectors), stored with analyses and fingerprints the way the pipeline stores them,
so that the story step runs without the language or embedding model."""

from __future__ import annotations

import datetime as dt

import numpy as np

from storyline.analyze.embed import DIM
from storyline.ingest.convert import content_hash
from storyline.link.stories.cluster import Item
from storyline.records import Analysis, Article, Entity, Fingerprint
from storyline.store.records import FingerprintRow

TOPICS = 24


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def basis(seed: int) -> np.ndarray:
    """A random unit vector, the same for the same seed."""
    return unit(np.random.default_rng(seed).standard_normal(DIM))


def blend(a: np.ndarray, b: np.ndarray, cos: float) -> np.ndarray:
    """A unit vector with cosine ~cos to a, the rest towards b (b ~ orthogonal to a)."""
    return unit(cos * a + np.sqrt(1 - cos * cos) * b)
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def corpus(n: int, *, seed: int = 7, undated_every: int = 0, step_hours: float = 3.0):
    """``n`` articles in stored order, with each one's entities and unit vector. Times advance
    ``step_hours`` an article (so stories retire from the 7-day window); every
    ``undated_every``-th article has no date."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(TOPICS, DIM))
    words = [[f"topic{t}word{k}" for k in range(10)] for t in range(TOPICS)]
    out = []
    for i in range(n):
        t = int(rng.integers(TOPICS))
        v = centres[t] + 0.7 * rng.normal(size=DIM)
        vector = (v / np.linalg.norm(v)).astype(np.float32)
        body = " ".join(rng.choice(words[t], 12)) + f" report {i} common words everywhere."
        names = [f"Person{t}x{k} Surname{t}x{k}" for k in rng.choice(4, 2, replace=False)]
        entities = tuple(Entity(id=f"p{j}", name=name, type="PERSON") for j, name in enumerate(names))
        when = None if undated_every and i % undated_every == 0 else (START + dt.timedelta(hours=i * step_hours))
        digest = content_hash(body)
        article = Article(id=digest[:16], content_hash=digest, source=f"/in/{i}.txt", body=body,
                          title=f"Topic {t} headline {i}", published=when.isoformat() if when else None,
                          ingested_at="2026-03-01T00:00:00+00:00")
        out.append((article, entities, vector))
    return out


def store_batch(store, rows) -> None:
    """Store articles with their analyses and fingerprints (as ingest, analyze, fingerprint would)."""
    store.add_articles([a for a, _, _ in rows])
    store.put_analyses([Analysis(a.id, entities=ents) for a, ents, _ in rows], "synthetic")
    store.put_fingerprints([_fingerprint(a.id, v) for a, _, v in rows], [], "synthetic")


def items(n: int, *, seed: int = 7, undated_every: int = 0) -> list[Item]:
    """The clusterer's items of ``corpus`` (time, vector, entity and word features)."""
    rng = np.random.default_rng(seed + 1)
    out = []
    for article, ents, vector in corpus(n, seed=seed, undated_every=undated_every):
        keys = {e.name.split()[-1].lower(): 1.0 for e in ents}
        terms = {w: 1.0 + float(rng.random()) for w in article.body.split()[:6]}
        when = dt.datetime.fromisoformat(article.published).timestamp() if article.published else None
        # The first name leads (Item.lead): checkpoints and restores carry it.
        out.append(Item(article.id, vector, keys, when, article.title, terms, frozenset(list(keys)[:1])))
    return out


def _fingerprint(article_id: str, vector: np.ndarray) -> FingerprintRow:
    sig = tuple(range(8))
    blob = b"".join(x.to_bytes(4, "little") for x in sig)
    return FingerprintRow(Fingerprint(article_id, sig, sig), blob, blob, vector.astype("<f4").tobytes())
