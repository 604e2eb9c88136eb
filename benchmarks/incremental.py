#!/usr/bin/env python3
"""Incremental linking: the cost of adding 100 articles to stores of 1k, 10k and 50k articles.

Usage::

    python benchmarks/incremental.py DATA_DIR [--sizes 1000,10000,50000] [--new 100]
                                     [--backend sqlite|postgres|both] [--work DIR] [--seed N]
                                     [--showcase 100] [--repeats 20] [--render-budget 120]
                                     [--compare-previous] [--build-only] [--relink-bases]
                                     [--postgres-from-sqlite] [--adds N]

``--adds N`` measures the add N times per size, each on a fresh copy of the base, and reports
the run of median cross-article fraction (with every run's fractions in its ``adds``): one add's
CPU times move by a few percent from run to run on a shared machine.

``--compare-previous`` also measures the design before session 10 on the same base and new
articles (story facts built from nothing, the story checkpoint written whole and restored each
batch; see ``previous_design``) and reports ``step_cpu_ratio_previous_current`` per size.

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/incremental.py ../shared/eval --work /tmp/incr``.
Progress goes to stderr; the LAST stdout line is one JSON object with every figure.

It measures through the public Desk API only (``storyline.open``, ``Desk(store, analyzer=...)``,
``ingest``, ``find_stories``, ``stories``, ``story``, ``people``, ``report.build_briefing`` and
``report.to_html``), so the same script measures today's design and the "link incrementally"
design once it is merged, unchanged.

**The corpus** (nothing read from ``DATA_DIR`` is written into this repository; texts are made at
run time and written only under ``--work``):

* *Base rows*: ``corpus_synth.build`` chunks of 1,000 articles (real news sentences, 5% planted near
  copies and 5% planted rewrites within the chunk), chunk ``k`` made with seed
  ``seed * 100003 + k``. A store of N articles holds the first ``N - showcase`` rows of the
  concatenated chunks plus the showcase story, so every store holds the smaller ones and the
  corpus does not depend on ``--sizes``. Base rows are published uniformly over the two years from
  2023-01-01 (``CORPUS_DAYS``); a planted copy or rewrite 1-48 h after its base. So a bigger base
  is also a denser one (50k: 68 articles a day; 1k: 1.4), and the stories the new articles can
  join grow with it. ``--steady N`` separates the two: every base arrives at the rate of N
  articles over two years, a smaller one over its last ``730 * size / N`` days (at least 7), so
  the sizes differ by how long the store has been filled (a newsroom's archive at a steady
  feed), not by density. A steady base below N is built from nothing (its rows' dates differ
  from a smaller base's); at N and above it is the default base.
* *The showcase story* (``--showcase``, default 100 articles, in every base store): one long real
  article of the pool (25+ sentences) is the story's core. Each showcase article is 2 consecutive
  core sentences as lede, 6-10 further core sentences in core order, and 2-4 random pool
  sentences, published within 3 days, 2-5 days before the corpus ends (the new articles come
  after it, inside the clusterer's 7-day window). The articles share names, words and some
  sentences, so the clusterer groups them; how many of them end in one story is reported
  (``showcase_in_story``) and that story is the one whose report and brief are rendered.
* *The new articles* (``--new``, default 100, the same at every size, published in the 2 days after
  the corpus ends): 10% near copies and 10% rewrites (``corpus_synth.near_copy`` / ``rewrite``)
  of base rows that every store holds (rows below the smallest size), 10% new showcase-style
  articles (they should join the showcase story), the rest fresh base articles of a chunk no
  store holds.

**Building the base stores** (cached under ``--work``; a sidecar ``.json`` says what is in each,
and a base is used only when the sidecar says it is complete). Articles are ingested with
``ingest(..., analyze=False)`` from JSONL files, then ``find_stories()`` brings everything up to
date on a ``Desk(store, analyzer=SyntheticAnalyzer())``: analyses are ``api_load.synthetic_analysis``
(regex quotes and PERSON names: spaCy on 50k articles takes about an hour), then reuse and
stories are computed for real by the product. While a base is built, and only in this process,
``storyline.analyze.embed.encoder`` is replaced by a caching wrapper around the real MiniLM
encoder: each distinct sentence is embedded once for real and its vector kept (and saved to
``--work/embed-cache.*`` so later builds reuse it); the vectors are the real ones. ``embed()``
looks ``encoder`` up at call time, so every caller goes through the cache. A bigger base starts
from a copy of the biggest smaller one that is cached (same seed and showcase) and adds the rows
in between. SQLite: the base is a file, checkpointed and copied; a build killed after its
ingest goes on from its store when the script is run again (``runs/build-N.db`` and its
``.ingested.json``: the linking steps resume where they stopped), so a 50k base, hours of
linking here, can be built over several sittings. PostgreSQL: a throwaway server
(``storyline.store.pgserver.ThrowawayPostgres``) for the run; each base is kept as a
``pg_dump -Fc`` file under ``--work`` and restored into a fresh database for each use. With
``--postgres-from-sqlite`` a PostgreSQL base that is not cached is ``storyline copy`` of the
complete SQLite base of the same corpus (then one linking run, with nothing due, sets the steps'
cursors that a copy leaves out): both backends are measured on the same stored facts, and the
50k PostgreSQL base costs minutes instead of hours.

**The measurement** of one size, in a fresh subprocess of this script (so peak RSS does not carry
over): a copy of the base (SQLite file copy / ``pg_restore`` into a new database); the real
analyzer is loaded and warmed (one short text), the real embedder warmed (``embed`` of one
sentence) and the compare step's cross-encoder loaded (exported to ONNX on a machine's first
run) before the clock starts: model loading is reported (``load_s``), not counted. Then

* (a) ``desk.ingest([new.jsonl], analyze=True)`` — ingest and real spaCy analysis;
* (b) ``desk.find_stories()`` — linking (reuse, stories; after the merge also people and story
  facts), with the real embedder;

each timed by wall clock (``time.perf_counter``) and CPU (``time.process_time`` plus
``RUSAGE_CHILDREN``). On PostgreSQL the server's CPU is not in the client's process: it is
reported beside it (``server_cpu_s``, the server's processes' CPU from ``/proc`` before and
after, see :func:`_server_cpu`) and is not in the fraction; ``cross_article_cpu_fraction_with_server``
adds the server's linking CPU above the line and its ingest CPU below it (SQLite's own work is in
the client's figures, so this is the PostgreSQL fraction to compare with SQLite's). Figures per size: ``ms_per_added`` =
(a+b wall) / new, ``linking_ms_per_added`` = b wall / new, ``linking_cpu_fraction`` = b CPU / a CPU,
``step_cpu_s`` = each linking step's CPU, and ``cross_article_cpu_fraction`` = the CPU of the
steps that relate articles (candidates, compare, stories, people, story facts) / the CPU of the
per-article work (a, plus the per-article steps of b: embed and fingerprint, which look at one
article at a time, as analysis does; :data:`PER_ARTICLE_STEPS`),
``peak_rss_mb`` = the subprocess's ``ru_maxrss`` (models included; ``rss_after_load_mb`` is the
peak before the timed part).

**Rendering** (a second fresh subprocess per size, on the store after the new articles were
added): the showcase story is the one among the 20 largest holding most showcase articles. *Cold*
= the first ``desk.story(id)`` + ``build_briefing`` + ``to_html`` in that process (imports and any
model load included; opening the store is not); *warm* = p50/p95 over ``--repeats`` (default 20)
further calls of the same. Today's ``Desk.story`` recomputes the report on every call (it embeds the
members' sentences: tens of seconds on 2 cores), so no further warm call starts once
``--render-budget`` seconds (default 120) of warm calls have run, after at least 2; ``warm_repeats``
says how many ran (p95 of 2 calls is their maximum). Also timed once each: the people list's first
page of 50 and its total (``desk.person_summaries``, ``desk.count_people``: what ``/people`` and
``/api/v1/people`` read; first and second call) and the story list's first 20
(``desk.story_summaries(limit=20)``, what ``/stories`` and ``/api/v1/stories`` read).

**Summary** per backend: ``ms_per_added`` per size, ``ratio`` = largest / smallest size (goal <=
1.3 for 50k/1k), ``linking_cpu_fraction`` per size (goal <= 0.5), ``peak_rss_mb`` per size (goal:
flat), and the story page at the largest size (goal: warm p95 < 100 ms, cold < 1 s).

Caveats: on a shared machine wall times are noisy (the CPU figures less so); the new articles are
only 100, so one slow batch shows. Run the sizes from small to large: the bigger bases are built
from the smaller ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # corpus_synth, api_load beside this script
import api_load  # noqa: E402
import corpus_synth  # noqa: E402

CHUNK = 1000  # base rows per corpus_synth chunk
CORPUS_START = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
CORPUS_DAYS = 730
URL_BASE = "https://incremental-bench.invalid"
SHOWCASE_SPREAD_DAYS = 3.0
NEW_SPREAD_DAYS = 2.0
CORE_MIN_SENTENCES = 25
# Linking steps that look at one article at a time, as analysis does (the rest relate articles).
PER_ARTICLE_STEPS = frozenset({"analyze", "embed", "fingerprint"})


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the corpus ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def pool_docs(data_dir: str) -> tuple[list[list[str]], list[str], frozenset[str]]:
    docs, _ = corpus_synth.sentence_pool(corpus_synth.load_documents(Path(data_dir)))
    if not docs:
        raise SystemExit(f"no news text found under {data_dir}")
    pool = [s for d in docs for s in d]
    return docs, pool, corpus_synth.common_words(pool)


def _patch_corpus_loader(data_dir: Path) -> None:
    """corpus_synth.build reads the sentence sources each call; read them once per process."""
    cached = functools.lru_cache(maxsize=4)(corpus_synth.load_documents)
    corpus_synth.load_documents = cached


def span_days(size: int, steady: int | None) -> float:
    """The days a base of ``size`` articles is published over: the two years of the corpus, or
    with ``--steady N`` the days a base of N articles over two years takes to reach ``size`` at
    its rate (N / 730 a day), ending when the two years end: every base then holds articles
    arriving at the same rate, and the stores differ by how long they have been filled."""
    if steady is None or size >= steady:
        return float(CORPUS_DAYS)
    return max(7.0, CORPUS_DAYS * size / steady)


def _when(rng: random.Random, span: float = CORPUS_DAYS) -> dt.datetime:
    # With span == CORPUS_DAYS: the same draw as before --steady existed (the bases stay valid).
    return CORPUS_START + dt.timedelta(days=(CORPUS_DAYS - span) + rng.uniform(0, span - 6))


def chunk_rows(data_dir: Path, seed: int, k: int, span: float = CORPUS_DAYS) -> list[dict]:
    """Chunk k of the base rows as JSONL objects (url, title, text, outlet, published); the base
    rows (not their copies, 1-48 h later) are published over the last ``span`` days of the corpus.
    The texts do not depend on ``span``."""
    corpus = corpus_synth.build(data_dir, CHUNK, seed * 100003 + k)
    rng = random.Random(f"times:{seed}:{k}")
    derived_of = {d: b for b, d in corpus.copies + corpus.rewrites}
    copy_base = {d: b for b, d in corpus.copies}
    when = {r: _when(rng, span) for r in range(len(corpus.texts)) if r not in derived_of}
    for d, b in derived_of.items():
        when[d] = when[b] + dt.timedelta(hours=rng.uniform(1, 48))
    rows = []
    for r, text in enumerate(corpus.texts):
        rows.append({
            "url": f"{URL_BASE}/c{k:03d}/{corpus.ids[r]}",
            "title": api_load.title_of(corpus.texts[copy_base.get(r, r)]),
            "text": text, "outlet": rng.choice(api_load.OUTLETS),
            "published": when[r].isoformat(timespec="seconds"),
        })
    return rows


def base_rows(data_dir: Path, seed: int, start: int, stop: int, span: float = CORPUS_DAYS) -> list[dict]:
    out = []
    for k in range(start // CHUNK, (stop + CHUNK - 1) // CHUNK):
        rows = chunk_rows(data_dir, seed, k, span)
        lo, hi = max(start - k * CHUNK, 0), min(stop - k * CHUNK, CHUNK)
        out += rows[lo:hi]
    return out


def showcase_core(data_dir: Path, seed: int) -> list[str]:
    docs, _, _ = pool_docs(str(data_dir))
    long_docs = [d for d in docs if len(d) >= CORE_MIN_SENTENCES]
    return random.Random(f"core:{seed}").choice(long_docs)


def showcase_article(rng: random.Random, core: list[str], pool: list[str]) -> str:
    at = rng.randrange(len(core) - 1)
    lede = core[at : at + 2]
    rest = sorted(rng.sample([i for i in range(len(core)) if i not in (at, at + 1)], rng.randint(6, 10)))
    sentences = lede + [core[i] for i in rest]
    for _ in range(rng.randint(2, 4)):
        sentences.insert(rng.randrange(2, len(sentences) + 1), rng.choice(pool))
    return corpus_synth._paragraphs(rng, sentences)


def showcase_rows(data_dir: Path, seed: int, n: int, tag: str, start: dt.datetime) -> list[dict]:
    _, pool, _ = pool_docs(str(data_dir))
    core = showcase_core(data_dir, seed)
    rng = random.Random(f"showcase:{tag}:{seed}")
    rows = []
    for i in range(n):
        text = showcase_article(rng, core, pool)
        rows.append({
            "url": f"{URL_BASE}/{tag}/{i:04d}", "title": api_load.title_of(text), "text": text,
            "outlet": rng.choice(api_load.OUTLETS),
            "published": (start + dt.timedelta(days=rng.uniform(0, SHOWCASE_SPREAD_DAYS))).isoformat(
                timespec="seconds"),
        })
    return rows


def new_rows(data_dir: Path, seed: int, n: int, reusable: int) -> list[dict]:
    """The articles every size gets: copies and rewrites of rows below ``reusable`` (held by
    every store), showcase joiners, fresh articles."""
    _, pool, common = pool_docs(str(data_dir))
    rng = random.Random(f"new:{seed}")
    end = CORPUS_START + dt.timedelta(days=CORPUS_DAYS)
    n_copy = n_rewrite = n_story = n // 10
    n_fresh = n - n_copy - n_rewrite - n_story
    sources = base_rows(data_dir, seed, 0, reusable)
    picked = rng.sample(range(len(sources)), n_copy + n_rewrite)
    rows = []
    for j, r in enumerate(picked):
        sentences = corpus_synth.split_sentences(sources[r]["text"])
        if j < n_copy:
            text, kind, title = corpus_synth.near_copy(rng, sentences, pool), "copy", sources[r]["title"]
        else:
            text, kind = corpus_synth.rewrite(rng, sentences, pool, common), "rewrite"
            title = api_load.title_of(text)
        rows.append({"url": f"{URL_BASE}/new/{kind}-{j:03d}", "title": title, "text": text,
                     "outlet": rng.choice(api_load.OUTLETS)})
    rows += showcase_rows(data_dir, seed, n_story, "new-showcase", end - dt.timedelta(days=1))
    fresh_chunk = chunk_rows(data_dir, seed + 7919, 99_999)  # a chunk no base holds
    rows += [dict(r, url=r["url"].replace(URL_BASE, URL_BASE + "/new")) for r in fresh_chunk[:n_fresh]]
    for r in rows:
        if "new-showcase" not in r["url"]:
            r["published"] = (end + dt.timedelta(days=rng.uniform(0, NEW_SPREAD_DAYS))).isoformat(
                timespec="seconds")
    return rows


def write_jsonl(rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    return path


# --- the embedding cache used while building bases -------------------------------------------


class CachedEncoder:
    """Stands in for the sentence encoder while bases are built: real vectors, each distinct
    text embedded once (and kept on disk for the next build)."""

    def __init__(self, real, folder: Path):
        self.real, self.folder = real, folder
        self.index: dict[str, int] = {}
        self.rows: list = []
        self.saved = 0
        self.hits = self.misses = 0
        texts_file, vec_file = folder / "embed-cache.jsonl", folder / "embed-cache.npy"
        if texts_file.exists() and vec_file.exists():
            import numpy as np

            vectors = np.load(vec_file)
            texts = [json.loads(x) for x in texts_file.read_text(encoding="utf-8").splitlines()]
            if len(texts) == len(vectors):
                self.rows = list(vectors)
                self.index = {t: i for i, t in enumerate(texts)}
                self.saved = len(texts)

    def encode(self, texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False,
               convert_to_numpy=True, **kw):
        import numpy as np

        texts = list(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self.index))
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            vectors = self.real().encode(missing, batch_size=batch_size, normalize_embeddings=normalize_embeddings,
                                         show_progress_bar=False, convert_to_numpy=True)
            for t, v in zip(missing, np.asarray(vectors, dtype=np.float32)):
                self.index[t] = len(self.rows)
                self.rows.append(v)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.rows[self.index[t]] for t in texts])

    def save(self) -> None:
        import numpy as np

        if len(self.rows) == self.saved:
            return
        on_disk = CachedEncoder(self.real, self.folder)  # another run may have saved meanwhile
        for t, i in on_disk.index.items():
            if t not in self.index:
                self.index[t] = len(self.rows)
                self.rows.append(on_disk.rows[i])
        texts = sorted(self.index, key=self.index.get)
        tmp_t, tmp_v = self.folder / "embed-cache.jsonl.tmp", self.folder / "embed-cache.tmp.npy"
        tmp_t.write_text("".join(json.dumps(t) + "\n" for t in texts), encoding="utf-8")
        np.save(tmp_v, np.stack(self.rows).astype(np.float32))
        os.replace(tmp_v, self.folder / "embed-cache.npy")
        os.replace(tmp_t, self.folder / "embed-cache.jsonl")
        self.saved = len(self.rows)


class SyntheticAnalyzer:
    """``api_load.synthetic_analysis`` behind the analyzer interface Desk takes."""

    def analyze(self, articles):
        return [api_load.synthetic_analysis(a) for a in articles]


# --- backends --------------------------------------------------------------------------------


class SqliteBackend:
    name = "sqlite"

    def __init__(self, work: Path):
        self.work = work

    def base_path(self, key: str) -> Path:
        return self.work / f"{key}.db"

    def has(self, key: str) -> bool:
        return self.base_path(key).exists()

    def fresh_path(self, label: str) -> str:
        return str(self.work / "runs" / f"{label}.db")

    def fresh(self, label: str) -> str:
        path = Path(self.fresh_path(label))
        path.parent.mkdir(parents=True, exist_ok=True)
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        return str(path)

    def copy_of(self, key: str, label: str) -> str:
        url = self.fresh(label)
        shutil.copyfile(self.base_path(key), url)
        return url

    def keep(self, url: str, key: str) -> None:
        api_load.checkpoint(Path(url))
        tmp = self.base_path(key).with_suffix(".tmp")
        shutil.copyfile(url, tmp)
        os.replace(tmp, self.base_path(key))

    def drop(self, url: str) -> None:
        for p in (Path(url), Path(f"{url}-wal"), Path(f"{url}-shm")):
            p.unlink(missing_ok=True)

    def server_pid(self) -> int | None:
        return None

    def close(self) -> None:
        pass


class PostgresBackend:
    name = "postgres"

    def __init__(self, work: Path):
        from storyline.store.pgserver import ThrowawayPostgres

        self.work = work
        self.server = ThrowawayPostgres().start()
        self.n = 0
        log(f"postgres: throwaway server on port {self.server.port}")

    def base_path(self, key: str) -> Path:
        return self.work / f"{key}.pgdump"

    def has(self, key: str) -> bool:
        return self.base_path(key).exists()

    def fresh(self, label: str) -> str:
        self.n += 1
        return self.server.new_database(f"{label.replace('-', '_')}_{self.n}")

    def _tool(self, name: str, *args: str) -> None:
        cmd = [str(self.server.bindir / name), *args]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"{name} failed ({out.returncode}): {out.stderr[-2000:]}")

    def copy_of(self, key: str, label: str) -> str:
        url = self.fresh(label)
        self._tool("pg_restore", "--no-owner", "-d", url, str(self.base_path(key)))
        # A restored database has no planner statistics until autovacuum gets to it (a minute
        # or more): measured before that, the story facts' due query ran 4.7 s instead of 57 ms
        # at 10k. Analysed, as after any restore (the pg_restore documentation says so). And
        # vacuumed: every restored row counts as inserted since the last vacuum, so autovacuum
        # (PostgreSQL 13+: autovacuum_vacuum_insert_threshold) would otherwise vacuum every
        # table of the base a minute later, inside the measured window, and its workers' CPU
        # would count as the server's (session 27: server CPU of the 50k link 4.6-5.9 s).
        # A store in use has been vacuumed as it grew.
        self._tool("vacuumdb", "--analyze", "--quiet", "-d", url)
        return url

    def keep(self, url: str, key: str) -> None:
        tmp = self.base_path(key).with_suffix(".tmp")
        self._tool("pg_dump", "-Fc", "--no-owner", "-f", str(tmp), url)
        os.replace(tmp, self.base_path(key))

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._tool("dropdb", "-h", "127.0.0.1", "-p", str(self.server.port), "-U", "storyline", name)

    def server_pid(self) -> int | None:
        try:
            return int((self.server.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def close(self) -> None:
        self.server.stop()


# --- building the bases ----------------------------------------------------------------------


def base_key(seed: int, size: int, showcase: int, steady: int | None = None) -> str:
    # A steady-rate base shorter than two years is a corpus of its own: its rows' dates differ.
    tail = f"-st{steady}" if span_days(size, steady) < CORPUS_DAYS else ""
    return f"base-s{seed}-sc{showcase}-n{size}{tail}"


def sidecar(backend, key: str) -> Path:
    return backend.work / f"{backend.name}-{key}.json"


def _ingest_base(args, url: str, info: dict, prev: int | None, start: int, size: int, tmp: Path) -> None:
    """Ingest a base's rows (and, for a base from nothing, the showcase) into ``url``, without
    analysis; ``info`` gets the showcase ids and the times."""
    import storyline

    t1 = time.perf_counter()
    files = []
    if prev is None:
        end = CORPUS_START + dt.timedelta(days=CORPUS_DAYS)
        sc = showcase_rows(args.data_dir, args.seed, args.showcase, "showcase", end - dt.timedelta(days=5))
        files.append(write_jsonl(sc, tmp / "showcase.jsonl"))
    rows = base_rows(args.data_dir, args.seed, start, size - args.showcase, span_days(size, args.steady))
    files.append(write_jsonl(rows, tmp / "rows.jsonl"))
    info["corpus_s"] = round(time.perf_counter() - t1, 1)
    with storyline.open(url) as desk:
        t1 = time.perf_counter()
        for f in files:
            report = desk.ingest([str(f)], analyze=False)
            if f.name == "showcase.jsonl":
                info["showcase_ids"] = list(report.added)
            log(f"  ingest {f.name}: {len(report.added)} added, {len(report.present)} present, "
                f"{len(report.problems)} problems")
        info["ingest_s"] = round(time.perf_counter() - t1, 1)


def ensure_base(backend, args, size: int, encoder_box: dict) -> dict:
    key = base_key(args.seed, size, args.showcase, args.steady)
    side = sidecar(backend, key)
    if backend.has(key) and side.exists():
        info = json.loads(side.read_text())
        if info.get("complete"):
            log(f"{backend.name} base {size}: cached ({backend.base_path(key)})")
            return {**info, "reused": True}
    if backend.name == "postgres" and args.postgres_from_sqlite:
        copied = _postgres_base_from_sqlite(backend, args, key, encoder_box)
        if copied is not None:
            return copied
    # The biggest smaller base that is cached (checked in the order of the size list, then any).
    pattern = f"{backend.name}-base-s{args.seed}-sc{args.showcase}-n*.json"
    candidates = sorted(int(n) for p in backend.work.glob(pattern)
                        if (n := p.name[:-len(".json")].rsplit("-n", 1)[1]).isdigit())
    prev = None
    for n in candidates:
        k = base_key(args.seed, n, args.showcase)
        # A steady-rate base grows from nothing: a smaller one's rows carry other dates.
        if span_days(size, args.steady) < CORPUS_DAYS:
            break
        if n < size and backend.has(k) and json.loads(sidecar(backend, k).read_text()).get("complete"):
            prev = n
    t0 = time.perf_counter()
    label = f"build-{size}"
    # A SQLite build killed after its ingest goes on from its store (the linking steps resume
    # where they stopped): a 50k base links for hours, longer than a sitting of the machine.
    ingested = backend.work / "runs" / f"{label}-{key}.ingested.json"
    resumed = backend.name == "sqlite" and ingested.exists() and Path(backend.fresh_path(label)).exists()
    if resumed:
        info = json.loads(ingested.read_text())
        url, prev, start = backend.fresh_path(label), info["built_from"], info["start"]
        log(f"{backend.name} base {size}: going on with the build killed after its ingest ({url})")
    elif prev is not None:
        info = json.loads(sidecar(backend, base_key(args.seed, prev, args.showcase)).read_text())
        url = backend.copy_of(base_key(args.seed, prev, args.showcase), label)
        start = prev - args.showcase
        log(f"{backend.name} base {size}: from the base of {prev}")
    else:
        info = {}
        url = backend.fresh(label)
        start = 0
    if not resumed:
        info = {k: v for k, v in info.items() if k in ("showcase_ids",)}
        info.update(size=size, seed=args.seed, showcase=args.showcase, built_from=prev, steady=args.steady,
                    span_days=round(span_days(size, args.steady), 1))

    import storyline
    from storyline.analyze import embed as embed_mod
    from storyline.store import open_store

    with tempfile.TemporaryDirectory(prefix="incremental-", dir=args.work) as tmp:
        if not resumed:
            _ingest_base(args, url, info, prev, start, size, Path(tmp))
            if backend.name == "sqlite":
                ingested.write_text(json.dumps({**info, "start": start}))
        if "cached" not in encoder_box:
            encoder_box["real"] = embed_mod.encoder
            encoder_box["cached"] = CachedEncoder(embed_mod.encoder, args.work)
            log(f"  embedding cache: {encoder_box['cached'].saved} vectors on disk")
        cached = encoder_box["cached"]
        hits0, misses0 = cached.hits, cached.misses
        embed_mod.encoder = lambda: cached
        try:
            t1 = time.perf_counter()
            desk = storyline.Desk(open_store(url), analyzer=SyntheticAnalyzer())
            with desk:
                desk.find_stories()
                info["stories"] = len(desk.stories())
                info["articles"] = desk.store.count()
            info["link_s"] = round(time.perf_counter() - t1, 1)
        finally:
            embed_mod.encoder = encoder_box["real"]
            cached.save()
        info["embed_hits"], info["embed_misses"] = cached.hits - hits0, cached.misses - misses0
    backend.keep(url, key)
    backend.drop(url)
    ingested.unlink(missing_ok=True)
    info["build_s"] = round(time.perf_counter() - t0, 1)  # the last sitting's, when resumed
    info["resumed"] = resumed
    info["added_rows"] = size - args.showcase - start + (args.showcase if prev is None else 0)
    info["build_s_per_1k_added"] = round(info["build_s"] / max(1, info["added_rows"]) * 1000, 1)
    info["complete"] = True
    sidecar(backend, key).write_text(json.dumps(info, indent=1))
    log(f"{backend.name} base {size}: built in {info['build_s']} s ({info['added_rows']} rows added; "
        f"ingest {info['ingest_s']} s, linking {info['link_s']} s; {info['stories']} stories; "
        f"embeddings {info['embed_misses']} computed, {info['embed_hits']} cached)")
    return {**info, "reused": False}


def _postgres_base_from_sqlite(backend, args, key: str, encoder_box: dict) -> dict | None:
    """The PostgreSQL base of ``key`` as ``storyline copy`` makes it from the complete SQLite
    base of the same key (None when there is none): the same rows, so both backends are
    measured on one corpus, and a 50k base costs minutes here instead of hours of linking.
    Then one linking run with nothing due (it sets the steps' cursors, which a copy leaves
    out), as a user's first ``storyline link`` after the copy would."""
    import storyline
    from storyline.analyze import embed as embed_mod
    from storyline.store import copy_store, open_store

    side = sidecar(SqliteBackend(backend.work), key)
    source = SqliteBackend(backend.work).base_path(key)
    if not (source.exists() and side.exists() and json.loads(side.read_text()).get("complete")):
        log(f"postgres base {key}: no complete SQLite base to copy; building it")
        return None
    info = json.loads(side.read_text())
    url = backend.fresh(f"copy-{key}")
    t0 = time.perf_counter()
    report = copy_store(source, url)
    copy_s = time.perf_counter() - t0
    if "cached" not in encoder_box:
        encoder_box["real"] = embed_mod.encoder
        encoder_box["cached"] = CachedEncoder(embed_mod.encoder, args.work)
    embed_mod.encoder = lambda: encoder_box["cached"]
    try:
        t1 = time.perf_counter()
        with storyline.Desk(open_store(url), analyzer=SyntheticAnalyzer()) as desk:
            due = {s.step: s.due for s in desk.link([s.name for s in desk.steps() if s.name != "analyze"]).steps
                   if s.due}
        link_s = time.perf_counter() - t1
    finally:
        embed_mod.encoder = encoder_box["real"]
    backend.keep(url, key)
    backend.drop(url)
    info.update(copied_from_sqlite=str(source), copy_s=round(copy_s, 1), copy_rows=report.total,
                first_link_s=round(link_s, 1), first_link_due=due, complete=True)
    sidecar(backend, key).write_text(json.dumps(info, indent=1))
    log(f"postgres base {key}: copied from SQLite in {copy_s:.1f} s ({report.total:,} rows); "
        f"first link {link_s:.1f} s, due {due or 'nothing'}")
    return {**info, "reused": False}


def relink_base(backend, args, size: int, encoder_box: dict) -> dict:
    """Bring a cached base up to date with this code, as ``storyline relink`` does after an
    upgrade (every step's due work: a changed fingerprint version re-fingerprints every
    article), and keep it: the base then holds what a user's store holds after the upgrade."""
    import storyline
    from storyline.analyze import embed as embed_mod
    from storyline.store import open_store

    key = base_key(args.seed, size, args.showcase, args.steady)
    url = backend.copy_of(key, f"relink-{size}")
    if "cached" not in encoder_box:
        encoder_box["real"] = embed_mod.encoder
        encoder_box["cached"] = CachedEncoder(embed_mod.encoder, args.work)
    embed_mod.encoder = lambda: encoder_box["cached"]
    t0 = time.perf_counter()
    try:
        desk = storyline.Desk(open_store(url), analyzer=SyntheticAnalyzer())
        with desk:
            _relabel_value_pairs(desk.store)
            done = desk.link([s.name for s in desk.steps() if s.name != "analyze"])
            out_pairs = _backfill_value_pairs(desk)
    finally:
        embed_mod.encoder = encoder_box["real"]
        encoder_box["cached"].save()
    out = {"s": round(time.perf_counter() - t0, 1), "due": {s.step: s.due for s in done.steps if s.due},
           "problems": len(done.problems), "value_pairs_backfilled": out_pairs}
    log(f"{backend.name} base {size}: relinked in {out['s']} s, due {out['due']}")
    backend.keep(url, key)
    backend.drop(url)
    return out


def _relabel_value_pairs(store) -> None:
    """Bases built during session 10 before commit 2625c14 keep their story facts' value pairs
    under the compare's version alone ("6"); the key then became compare/embedder ("6/1"). The
    embedder was the same (EMBED_VERSION 1), so the entries are relabelled rather than made
    again by the first measured change to each story (which is what a user's store pays once)."""
    from storyline.link.reuse.steps import REUSE_VERSION
    from storyline.link.reuse.vectors import EMBED_VERSION

    if (REUSE_VERSION, EMBED_VERSION) != ("6", "1"):
        return
    old, new = '"values": {"version": "6",', '"values": {"version": "6/1",'
    with store.db.transaction():
        store.db.run("UPDATE story_facts SET facts = REPLACE(facts, ?, ?) WHERE facts LIKE ?", (old, new, f"%{old}%"))


def _backfill_value_pairs(desk) -> int:
    """Put the value pairs the stories' facts documents hold into the store's value_pairs
    table (migration 019), as a store built with this code holds them; a store upgraded in use
    fills it as its stories are rebuilt."""
    from storyline.link.stories.facts import FACTS_KEY
    from storyline.link.stories.value_pairs import VERSION
    from storyline.store.records import ValuePairEntry

    ids = [s.id for s in desk.stories()]
    written = 0
    for lo in range(0, len(ids), 500):
        entries = []
        for row in desk.store.story_facts(ids[lo : lo + 500]):
            block = row.facts.get(FACTS_KEY) or {}
            if block.get("version") == VERSION:
                entries += [ValuePairEntry(a, b, VERSION, sa, sb, json.dumps(ev, ensure_ascii=False) if ev is not None else None)
                            for a, b, sa, sb, ev in block.get("pairs", ())]
        desk.store.put_value_pairs(entries)
        written += len(entries)
    return written


# --- the measurement subprocesses ------------------------------------------------------------


def _cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def _rss_mb() -> float:
    """This process's peak RSS (MB). VmHWM where /proc has it: ru_maxrss is not reset by exec,
    so a child forked from this big parent reported the parent's size (1k measured at 2.1 GB
    after a 10k base was built in the same run, 1.2 GB alone)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KB on Linux


def _server_cpu(pid: int | None) -> float | None:
    """CPU seconds the PostgreSQL server has used, from /proc: the postmaster's own utime+stime,
    the cutime+cstime of its children that have exited (a backend ends with its connection,
    an autovacuum worker after its table: the postmaster reaps them, so their time moves
    there), and the utime+stime of those still running. Counting the live ones alone went
    backwards when one exited (session 25: -1.89 s for a linking run)."""
    if not pid:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        own = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(x) for x in own[11:15])  # utime, stime, cutime, cstime
        kids = set()
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids.update((task / "children").read_text().split())
        for k in kids:
            try:
                fields = Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
            except (OSError, IndexError, ValueError):
                pass
    except OSError:
        return None
    return total / tick


def previous_design() -> None:
    """Make this process link as the design before session 10 did, on the same input: story
    facts built from nothing (no compared value pairs reused), the story checkpoint written
    whole after every batch (no delta) and restored at the start of every batch (no clusterer
    kept warm)."""
    from storyline.link.stories import checkpoint, scan, steps, value_pairs

    whole = checkpoint.snapshot
    value_pairs.known_pairs = lambda previous: {}
    checkpoint.snapshot = lambda clusterer, version, delta=False: whole(clusterer, version, False)
    scan.keep_warm = steps.keep_warm = lambda store, clusterer: None


def measure_child(url: str, new_file: str, showcase_file: str, server_pid: int | None, design: str = "current") -> dict:
    import storyline
    from storyline.run.analyze import load_analyzer
    from storyline.store import open_store

    if design == "previous":
        previous_design()
    out: dict = {"design": design}
    t0 = time.perf_counter()
    analyzer = load_analyzer()
    if hasattr(analyzer, "analyze_texts"):
        list(analyzer.analyze_texts(["Warm-up text. Jane Doe said the council met on Monday."]))
    from storyline.analyze.embed import embed
    from storyline.link.reuse.rewrites import cross_encoder

    embed(["A warm-up sentence for the embedding model."])
    # The compare step's cross-encoder, loaded (and on a machine's first run exported to ONNX,
    # 3-12 s) here as the other models are, not inside the first size's compare step.
    cross_encoder()
    out["load_s"] = round(time.perf_counter() - t0, 2)
    out["rss_after_load_mb"] = _rss_mb()

    desk = storyline.Desk(open_store(url), analyzer=analyzer)
    with desk:
        out["articles_before"] = desk.store.count()
        # Not timed: a restored PostgreSQL base was opened on this run's server, not the one its
        # steps' cursors were written on, so they were dropped (store/sql/changes.py, adopt) and
        # each step scans once here (nothing is due); a SQLite copy finds its cursors valid.
        t_settle = time.perf_counter()
        settled = desk.link([s.name for s in desk.steps()])
        out["settle_s"] = round(time.perf_counter() - t_settle, 2)
        out["settle_due"] = sum(s.due for s in settled.steps)
        c0, w0, s0 = _cpu(), time.perf_counter(), _server_cpu(server_pid)
        report = desk.ingest([new_file], analyze=True)
        c1, w1, s1 = _cpu(), time.perf_counter(), _server_cpu(server_pid)
        linked = desk.link([s.name for s in desk.steps()])  # what find_stories() runs, per step
        c2, w2, s2 = _cpu(), time.perf_counter(), _server_cpu(server_pid)
        step_cpu = {s.step: round(s.cpu_seconds, 3) for s in linked.steps}
        per_article = sum(v for k, v in step_cpu.items() if k in PER_ARTICLE_STEPS)
        n = max(1, len(report.added))
        out.update(
            added=len(report.added), present=len(report.present), problems=len(report.problems),
            analysis_problems=len(report.analysis.problems) if report.analysis else None,
            link_problems=len(linked.problems),
            ingest_analysis_wall_s=round(w1 - w0, 3), ingest_analysis_cpu_s=round(c1 - c0, 3),
            linking_wall_s=round(w2 - w1, 3), linking_cpu_s=round(c2 - c1, 3),
            ms_per_added=round((w2 - w0) * 1000 / n, 1), linking_ms_per_added=round((w2 - w1) * 1000 / n, 1),
            linking_cpu_fraction=round((c2 - c1) / max(c1 - c0, 1e-9), 3),
            step_cpu_s=step_cpu,
            cross_article_cpu_fraction=round((c2 - c1 - per_article) / max(c1 - c0 + per_article, 1e-9), 3),
        )
        if s0 is not None and s1 is not None and s2 is not None:
            out["server_cpu_s"] = {"ingest_analysis": round(s1 - s0, 3), "linking": round(s2 - s1, 3)}
            # SQLite does its database work in the client's process, PostgreSQL in its own: the
            # fraction with the server's CPU on both sides is the one to compare across backends.
            out["cross_article_cpu_fraction_with_server"] = round(
                (c2 - c1 - per_article + s2 - s1) / max(c1 - c0 + per_article + s1 - s0, 1e-9), 3)
        out["peak_rss_mb"] = _rss_mb()
        out["articles_after"] = desk.store.count()
        added = set(report.added)
        showcase = set(json.loads(Path(showcase_file).read_text()))
        top = desk.stories(limit=20)
        best = max(top, key=lambda s: len(showcase & set(s.article_ids)), default=None)
        if best is not None:
            out["showcase_story"] = best.id
            out["showcase_story_articles"] = len(best.article_ids)
            out["showcase_in_story"] = len(showcase & set(best.article_ids))
            out["new_in_showcase_story"] = len(added & set(best.article_ids))
        out["stories_after"] = len(desk.stories())
    return out


def render_child(url: str, showcase_file: str, repeats: int, budget_s: float = 120.0) -> dict:
    out: dict = {}
    t0 = time.perf_counter()
    import storyline

    desk = storyline.open(url)
    out["open_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    showcase = set(json.loads(Path(showcase_file).read_text()))
    with desk:
        top = desk.stories(limit=20)
        best = max(top, key=lambda s: len(showcase & set(s.article_ids)))
        out["story"] = best.id
        out["story_articles"] = len(best.article_ids)

        def render() -> tuple[float, float, int]:
            from storyline import report as rep

            a = time.perf_counter()
            story = desk.story(best.id)
            b = time.perf_counter()
            html = rep.to_html(rep.build_briefing(story))
            c = time.perf_counter()
            return (b - a) * 1000, (c - b) * 1000, len(html)

        story_ms, brief_ms, size = render()
        out["cold_ms"] = round(story_ms + brief_ms, 1)
        out["cold_story_ms"], out["cold_brief_ms"] = round(story_ms, 1), round(brief_ms, 1)
        out["html_kb"] = round(size / 1024, 1)
        warm: list[tuple[float, float, int]] = []
        t_warm = time.perf_counter()
        while len(warm) < repeats:  # today's reports are recomputed per call (tens of s): bounded
            warm.append(render())
            if len(warm) >= 2 and time.perf_counter() - t_warm > budget_s:
                break
        totals = sorted(s + b for s, b, _ in warm)
        out["warm_p50_ms"] = round(statistics.median(totals), 1)
        out["warm_p95_ms"] = round(totals[min(len(totals) - 1, max(0, round(0.95 * len(totals)) - 1))], 1)
        out["warm_story_p50_ms"] = round(statistics.median(s for s, _, _ in warm), 1)
        out["warm_brief_p50_ms"] = round(statistics.median(b for _, b, _ in warm), 1)
        out["warm_repeats"] = len(warm)
        if len(warm) < repeats:
            out["warm_note"] = f"stopped after {len(warm)} warm calls: over the {budget_s:.0f} s budget"
        # The people list as the web page and the API read it: the first page and the total.
        def people_page():
            return desk.person_summaries(limit=50), desk.count_people()

        for name, call in (("people_first_ms", people_page), ("people_second_ms", people_page),
                           # What the story lists read (summaries since session 13; whole stories before).
                           ("stories_top20_ms", lambda: getattr(desk, "story_summaries", desk.stories)(limit=20))):
            a = time.perf_counter()
            found = call()
            out[name] = round((time.perf_counter() - a) * 1000, 1)
            if name.startswith("people"):
                out["people"] = found[1]
    return out


def run_child(args_list: list[str]) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args_list]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"child {args_list[:2]} failed with {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median_run(runs: list[dict]) -> dict:
    """Of several measured adds of the same articles to copies of the same base, the one with
    the median cross-article fraction (the server's CPU counted where there is one), whole,
    with every run's fractions and ms per article beside it (``adds``): one add's CPU times
    move by a few percent from run to run on a shared machine."""
    key = ("cross_article_cpu_fraction_with_server" if all("cross_article_cpu_fraction_with_server" in r for r in runs)
           else "cross_article_cpu_fraction")
    m = dict(sorted(runs, key=lambda r: r[key])[(len(runs) - 1) // 2])
    if len(runs) > 1:
        m["adds"] = {f: [r.get(f) for r in runs] for f in (
            "cross_article_cpu_fraction", "cross_article_cpu_fraction_with_server", "ms_per_added") if f in runs[0]}
    return m


# --- main ------------------------------------------------------------------------------------


def run_backend(backend, args, new_file: Path) -> dict:
    encoder_box: dict = {}
    builds, per_size = {}, {}
    for size in args.sizes:
        builds[size] = ensure_base(backend, args, size, encoder_box)
        if args.relink_bases and builds[size].get("reused"):
            builds[size]["relink"] = relink_base(backend, args, size, encoder_box)
    if args.build_only:
        return {"builds": {str(k): {f: x for f, x in v.items() if f != "showcase_ids"} for k, v in builds.items()}}
    for size in args.sizes:
        key = base_key(args.seed, size, args.showcase, args.steady)
        showcase_file = backend.work / f"{backend.name}-{key}.showcase-ids"
        showcase_file.write_text(json.dumps(builds[size]["showcase_ids"]))
        if args.compare_previous:
            url = backend.copy_of(key, f"measure-previous-{size}")
            log(f"{backend.name} {size}: adding {args.new} articles, previous design (fresh process)")
            before = run_child(["--_measure", url, str(new_file), str(showcase_file), str(backend.server_pid() or 0),
                                "previous"])
            log(f"  previous design: {before['ms_per_added']} ms/article, step CPU {before['step_cpu_s']}")
            backend.drop(url)
        runs = []
        for k in range(args.adds):
            if runs:
                backend.drop(url)
            url = backend.copy_of(key, f"measure-{size}")
            log(f"{backend.name} {size}: adding {args.new} articles (fresh process"
                + (f", {k + 1} of {args.adds})" if args.adds > 1 else ")"))
            runs.append(run_child(["--_measure", url, str(new_file), str(showcase_file), str(backend.server_pid() or 0)]))
            if args.adds > 1:
                log(f"  cross-article {runs[-1]['cross_article_cpu_fraction']}"
                    f" (with the server's CPU {runs[-1].get('cross_article_cpu_fraction_with_server', '-')})")
        m = _median_run(runs)
        if args.compare_previous:
            m["previous_design"] = before
            m["step_cpu_ratio_previous_current"] = {
                k: round(before["step_cpu_s"].get(k, 0.0) / v, 2) for k, v in m["step_cpu_s"].items() if v > 0.05}
            log(f"  step CPU previous / current: {m['step_cpu_ratio_previous_current']}")
        log(f"  {m['ms_per_added']} ms/article ({m['linking_ms_per_added']} linking), linking CPU fraction "
            f"{m['linking_cpu_fraction']} (cross-article {m['cross_article_cpu_fraction']}), peak RSS {m['peak_rss_mb']} MB; showcase story "
            f"{m.get('showcase_in_story')}/{args.showcase} showcase + {m.get('new_in_showcase_story')} new")
        with (backend.work / "partial-results.jsonl").open("a", encoding="utf-8") as fh:  # survives a stopped run
            fh.write(json.dumps({"backend": backend.name, "size": size, "new": args.new, "add": m}) + "\n")
        r = run_child(["--_render", url, str(showcase_file), str(args.repeats), str(args.render_budget)])
        log(f"  story {r['story_articles']} articles: cold {r['cold_ms']} ms, warm p50 {r['warm_p50_ms']} ms, "
            f"p95 {r['warm_p95_ms']} ms; people {r['people_first_ms']} ms")
        backend.drop(url)
        per_size[str(size)] = {"add": m, "render": r}
    first, last = str(args.sizes[0]), str(args.sizes[-1])
    ms = {s: v["add"]["ms_per_added"] for s, v in per_size.items()}
    return {
        "ms_per_added": ms,
        "linking_ms_per_added": {s: v["add"]["linking_ms_per_added"] for s, v in per_size.items()},
        "ratio_largest_smallest": round(ms[last] / ms[first], 3) if ms[first] else None,
        "linking_ratio_largest_smallest": round(per_size[last]["add"]["linking_ms_per_added"]
                                                / max(per_size[first]["add"]["linking_ms_per_added"], 1e-9), 3),
        "linking_cpu_fraction": {s: v["add"]["linking_cpu_fraction"] for s, v in per_size.items()},
        "cross_article_cpu_fraction": {s: v["add"]["cross_article_cpu_fraction"] for s, v in per_size.items()},
        **({"cross_article_cpu_fraction_with_server": {
            s: v["add"]["cross_article_cpu_fraction_with_server"] for s, v in per_size.items()}}
           if all("cross_article_cpu_fraction_with_server" in v["add"] for v in per_size.values()) else {}),
        "peak_rss_mb": {s: v["add"]["peak_rss_mb"] for s, v in per_size.items()},
        "story_page_largest": {k: per_size[last]["render"][k] for k in (
            "story_articles", "cold_ms", "warm_p50_ms", "warm_p95_ms")},
        "showcase_in_story": {s: v["add"].get("showcase_in_story") for s, v in per_size.items()},
        "per_size": per_size,
        "builds": {str(k): {**{f: x for f, x in v.items() if f != "showcase_ids"},
                            "showcase_articles": len(v.get("showcase_ids", []))} for k, v in builds.items()},
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_measure":
        url, new_file, showcase_file, pid, *design = sys.argv[2:]
        print(json.dumps(measure_child(url, new_file, showcase_file, int(pid) or None, *design)))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--_render":
        url, showcase_file, repeats, *budget = sys.argv[2:]
        print(json.dumps(render_child(url, showcase_file, int(repeats), *map(float, budget))))
        return

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path, help="evaluation data folder with news text (e.g. ../shared/eval)")
    ap.add_argument("--sizes", default="1000,10000,50000", help="store sizes, comma-separated (default 1000,10000,50000)")
    ap.add_argument("--new", type=int, default=100, help="articles added at each size (default 100)")
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "storyline-incremental",
                    help="where bases, caches and run stores go (outside the repo; default /tmp/storyline-incremental)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--showcase", type=int, default=100, help="articles in the planted showcase story (default 100)")
    ap.add_argument("--steady", type=int, default=None, metavar="N",
                    help="publish every base at the rate of N articles over two years (a smaller base over "
                         "fewer days, ending on the same day), so sizes differ by how long the store has been "
                         "filled, not by how dense its days are (default: every base over two years)")
    ap.add_argument("--adds", type=int, default=1, help="measured adds per size, each to a fresh copy of the base; "
                    "the one of median cross-article fraction is reported, every run's beside it (default 1)")
    ap.add_argument("--repeats", type=int, default=20, help="warm renders (default 20)")
    ap.add_argument("--render-budget", type=float, default=120.0,
                    help="seconds of warm renders after which no more are started (at least 2 run; default 120)")
    ap.add_argument("--compare-previous", action="store_true",
                    help="at each size, also add the same articles to another copy of the base with the design "
                         "before session 10 (story facts from nothing, whole story checkpoints) and report the "
                         "step CPU ratios")
    ap.add_argument("--relink-bases", action="store_true",
                    help="bring cached bases up to date with this code first (what `storyline relink` does after "
                         "an upgrade) and keep them so")
    ap.add_argument("--postgres-from-sqlite", action="store_true",
                    help="make a PostgreSQL base that is not cached by copying the SQLite base of the same "
                         "corpus (`storyline copy`) instead of building it: minutes instead of hours at 50k")
    ap.add_argument("--build-only", action="store_true",
                    help="build (or find) the base stores and stop: a big base can be built while the machine is "
                         "busy, and measured later when it is quiet")
    args = ap.parse_args()
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.sizes[0] < 2 * args.showcase:
        raise SystemExit(f"every size must be at least twice --showcase ({2 * args.showcase})")
    if args.new < 10:
        raise SystemExit("--new must be at least 10")
    if args.adds < 1:
        raise SystemExit("--adds must be at least 1")
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    args.data_dir = args.data_dir.resolve()
    _patch_corpus_loader(args.data_dir)

    t0 = time.perf_counter()
    new_file = write_jsonl(new_rows(args.data_dir, args.seed, args.new, args.sizes[0] - args.showcase),
                           args.work / f"new-s{args.seed}-n{args.new}.jsonl")
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    figures: dict = {"sizes": args.sizes, "new": args.new, "seed": args.seed, "showcase": args.showcase,
                     "steady": args.steady, "span_days": {n: round(span_days(n, args.steady), 1) for n in args.sizes},
                     "cores": os.cpu_count(), "load_avg_start": [round(x, 2) for x in os.getloadavg()]}
    for name in backends:
        if name == "sqlite":
            backend = SqliteBackend(args.work)
        else:
            from storyline.store.pgserver import PostgresUnavailable

            try:
                backend = PostgresBackend(args.work)
            except PostgresUnavailable as exc:
                figures["postgres"] = f"skipped: {exc}"
                continue
        try:
            figures[name] = run_backend(backend, args, new_file)
        finally:
            backend.close()
    figures["goals"] = {
        "ratio_largest_smallest_max": 1.3, "linking_cpu_fraction_max": 0.5,
        "peak_rss": "flat across sizes", "story_page_warm_p95_ms_max": 100, "story_page_cold_ms_max": 1000,
    }
    figures["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    figures["total_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
