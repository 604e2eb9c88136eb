"""Helpers shared by tests: the real ``storyline`` command in a subprocess, small inputs, store copies."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from contextlib import contextmanager


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args], capture_output=True, text=True,
        env=full_env, timeout=timeout,
    )


def write_text_articles(folder, count: int, *, start: int = 0) -> list:
    """Write ``count`` distinct small plain-text articles (headline + two paragraphs)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"article-{i:05d}.txt"
        path.write_text(
            f"Council report number {i} published\n\n"
            f"The council published report number {i} on Tuesday, officials said.\n\n"
            f"Residents will be asked for their views on item {i} next week.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def store_two_articles(store) -> tuple[list[str], list]:
    """Store two small articles with hand-built analyses (real offsets into their bodies), so
    that queries over analyses can be tested whatever the extractors find. Returns the article
    ids and the analyses, in store order."""
    from storyline.ingest.convert import content_hash
    from storyline.records import Analysis, Article, Entity, Mention, Quote, Role

    def span(aid, body, text, after=0):
        start = body.index(text, after)
        return Mention(aid, start, start + len(text), text)

    bodies = [
        '"We will build the wall," said Mayor Ana Ortiz.\n\n'
        "Ben Cole, the harbour master, said the tide was rising every year.",
        "Ortiz said work on the wall would start in May, and that Port Selby would pay half.",
    ]
    articles = [Article(id=content_hash(b)[:16], content_hash=content_hash(b), source=f"/in/{i}.txt", body=b)
                for i, b in enumerate(bodies)]
    store.add_articles(articles)
    (a1, b1), (a2, b2) = [(a.id, a.body) for a in articles]

    ortiz1 = span(a1, b1, "Mayor Ana Ortiz")
    cole = span(a1, b1, "Ben Cole")
    wall = span(a1, b1, "We will build the wall,")
    tide = span(a1, b1, "the tide was rising every year")
    first = Analysis(
        a1,
        entities=(
            Entity("p1", "Ana Ortiz", "PERSON", mentions=(ortiz1,),
                   roles=(Role("Mayor", a1, ortiz1.start, ortiz1.start + 5, 0, b1.index(".") + 1),)),
            Entity("p2", "Ben Cole", "PERSON", mentions=(cole,),
                   roles=(Role("harbour master", a1, *_bounds(b1, "harbour master")),)),
        ),
        quotes=(
            Quote(a1, wall.text, wall.start, wall.end, "direct", cue="said", speaker="Ana Ortiz",
                  speaker_mention=ortiz1, speaker_id="p1"),
            Quote(a1, tide.text, tide.start, tide.end, "indirect", cue="said", speaker="Ben Cole",
                  speaker_mention=cole, speaker_id="p2"),
        ),
    )
    ortiz2 = span(a2, b2, "Ortiz")
    may = span(a2, b2, "work on the wall would start in May")
    selby = span(a2, b2, "Port Selby")
    second = Analysis(
        a2,
        entities=(Entity("p1", "Ana Ortiz", "PERSON", aliases=("Ortiz",), mentions=(ortiz2,)),
                  Entity("g1", "Port Selby", "PLACE", mentions=(selby,))),
        quotes=(Quote(a2, may.text, may.start, may.end, "indirect", cue="said", speaker="Ana Ortiz",
                      speaker_mention=ortiz2, speaker_id="p1"),),
    )
    store.put_analyses([first, second], "test")
    return [a1, a2], [first, second]


def _bounds(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def copy_store(source, target):
    """A consistent copy of a SQLite store (the backup API, so a WAL is taken into account)."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def kill_when(proc: subprocess.Popen, ready, *, timeout: float = 120, poll: float = 0.01) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` is true (fails if it ends first or ``timeout``
    passes), and wait for it to go: the kill -9 of the resume tests."""
    import signal
    import time

    deadline = time.monotonic() + timeout
    try:
        while not ready():
            assert proc.poll() is None, f"finished before it could be killed: {proc.stderr and proc.stderr.read()}"
            assert time.monotonic() < deadline
            time.sleep(poll)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def free_port() -> int:
    """A free TCP port on loopback (for a server started by a test)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, *, port: int | None = None, start_timeout: float = 30):
    """Serve the ASGI ``app`` with uvicorn on loopback in a thread of this process; yields
    (base URL, port) once the server has started, and stops it afterwards."""
    import threading
    import time

    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def seeds_with_people(seeds_store, path) -> str:
    """A copy of the seeds store at ``path`` with its people assigned (what corrections start from)."""
    import storyline

    copied = str(copy_store(seeds_store, path))
    with storyline.open(copied) as desk:
        desk.link(["people"])
    return copied


def reuse_texts(n: int, seed: int = 3) -> list[str]:
    """Made-up articles: random bases, near copies (a few words changed), rewrites (a third of
    the words replaced, sentences reordered), and one boilerplate notice shared by more texts
    than MAX_BUCKET."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]

    def sentence() -> str:
        return " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 18))) + "."

    texts: list[str] = []
    for _ in range(n):
        texts.append("\n\n".join(sentence() for _ in range(rng.randint(6, 14))))
    for i in range(0, n, 7):  # near copies
        words = texts[i].split(" ")
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        texts.append(" ".join(words))
    for i in range(3, n, 11):  # rewrites
        paras = texts[i].split("\n\n")
        rng.shuffle(paras)
        words = "\n\n".join(paras).split(" ")
        for k in rng.sample(range(len(words)), len(words) // 3):
            words[k] = rng.choice(vocab)
        texts.append(" ".join(words))
    from storyline.link.reuse.candidates import MAX_BUCKET

    notice = "Subscribe to our newsletter for the latest local news and weather every morning."
    texts += [f"{notice} Edition {k}." for k in range(MAX_BUCKET + 20)]
    return texts


def add_bodies(store, *bodies: str) -> list[str]:
    """Store one article per body (ids from the content hash, as ingest makes them); their ids."""
    from storyline.ingest.convert import content_hash
    from storyline.records import Article

    articles = [Article(id=content_hash(b)[:16], content_hash=content_hash(b), source="/in/a.txt", body=b)
                for b in bodies]
    store.add_articles(articles)
    return [a.id for a in articles]
