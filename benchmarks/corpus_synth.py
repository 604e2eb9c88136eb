"""Synthetic news corpus with planted near copies and rewrites, built at run time from real text.

Used by ``dedup_speed.py``. Nothing here holds article text: every sentence is read from the
evaluation data folder given on the command line.

* **Sentence pool.** Sentences of real news under ``DATA_DIR`` (whichever of these exist):
  ``attribution-polnear/**/text/*.txt`` (924 US political articles), ``stories-ecbplus/docs.jsonl``
  (772 articles, tokenised, one sentence a line), ``extraction-zyte/ground-truth.json`` (181
  article bodies), ``temporal-tempeval3/**/*.tml`` (256 TimeBank/AQUAINT articles, the ``<TEXT>``
  part with its tags removed). Split with a simple end-of-sentence rule, 6-80 words kept, exact
  duplicates (same lowercased words) dropped. The paraphrase and headline sets are not used:
  their paired sentences would plant unlabelled rewrites.
* **Base articles.** A lede of 2-5 consecutive sentences from one source article, then random
  sentences from the whole pool, 12-40 sentences in all, grouped into paragraphs. Two base
  articles share a sentence now and then (the pool is reused ~20 times at 50,000 articles), which
  is realistic background overlap, not a planted pair.
* **Near copies** (syndication): the same text with 1-4 words replaced, a sentence dropped
  (p 0.5) and/or one added (p 0.3), and a byline header and/or a copyright footer (p 0.8)
  from a few templates with random outlet names.
* **Rewrites**: each sentence is kept with p 0.8; adjacent sentences swap with p 0.1; a
  sentence with commas has its clauses rotated with p 0.4; then 20-40% of the words are
  substituted, synonym-like, from a small hand-written table (content words such as
  "officials" -> "authorities", and function words such as "the" -> "a"), preferring content
  substitutions, then other forms of common words ("attacked" -> "attacking"; common = in 20+
  pool sentences); capitalised words inside a sentence (names), numbers and rare words are
  never touched; 0-2 new sentences are added. The planted rewrites' content-word Jaccard is
  about 0.45 (median), close to a real rewrite pair among the seed articles (0.43).

Each planted text derives from a different base article; ``Corpus.planted`` lists the pairs.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_WORDS = re.compile(r"\w+")

# Content words: news vocabulary with near-synonyms (a rewrite's typical lexical changes).
SYNONYMS: dict[str, list[str]] = {
    "said": ["stated", "noted", "explained", "remarked"],
    "says": ["states", "notes", "argues"],
    "told": ["informed", "advised"],
    "people": ["individuals", "residents", "citizens"],
    "government": ["administration", "authorities"],
    "officials": ["authorities", "administrators"],
    "official": ["representative", "spokesperson"],
    "country": ["nation"],
    "nation": ["country"],
    "year": ["twelve months"],
    "years": ["decades", "seasons"],
    "week": ["seven days"],
    "month": ["four weeks"],
    "percent": ["per cent"],
    "million": ["m"],
    "billion": ["bn"],
    "big": ["large", "major"],
    "large": ["big", "sizeable"],
    "small": ["minor", "modest"],
    "new": ["fresh", "recent"],
    "important": ["significant", "key"],
    "help": ["assist", "aid"],
    "helped": ["assisted", "aided"],
    "show": ["indicate", "reveal"],
    "shows": ["indicates", "reveals"],
    "showed": ["indicated", "revealed"],
    "plan": ["proposal", "scheme"],
    "plans": ["proposals", "intends"],
    "support": ["backing", "endorsement"],
    "supporters": ["backers", "followers"],
    "campaign": ["bid", "race"],
    "election": ["vote", "poll"],
    "voters": ["electorate", "constituents"],
    "candidate": ["contender", "nominee"],
    "president": ["leader", "head of state"],
    "police": ["officers", "law enforcement"],
    "killed": ["slain", "left dead"],
    "died": ["passed away", "was killed"],
    "death": ["killing", "passing"],
    "attack": ["assault", "strike"],
    "attacks": ["assaults", "strikes"],
    "announced": ["unveiled", "revealed", "declared"],
    "began": ["started", "commenced"],
    "start": ["begin", "launch"],
    "started": ["began", "launched"],
    "end": ["conclusion", "close"],
    "ended": ["concluded", "finished"],
    "meeting": ["talks", "session"],
    "spokesman": ["spokesperson", "representative"],
    "spokeswoman": ["spokesperson", "representative"],
    "statement": ["release", "announcement"],
    "report": ["study", "account"],
    "reported": ["noted", "disclosed"],
    "claims": ["allegations", "assertions"],
    "claimed": ["alleged", "asserted"],
    "believe": ["think", "feel"],
    "believes": ["thinks", "feels"],
    "issue": ["matter", "question"],
    "issues": ["matters", "problems"],
    "problem": ["difficulty", "issue"],
    "problems": ["difficulties", "troubles"],
    "money": ["funds", "cash"],
    "company": ["firm", "business"],
    "companies": ["firms", "businesses"],
    "workers": ["employees", "staff"],
    "city": ["town", "municipality"],
    "state": ["region"],
    "states": ["regions"],
    "law": ["legislation", "statute"],
    "laws": ["rules", "regulations"],
    "bill": ["legislation", "measure"],
    "vote": ["ballot"],
    "voted": ["cast ballots"],
    "win": ["victory"],
    "won": ["secured", "clinched"],
    "lost": ["was defeated"],
    "leaders": ["chiefs", "heads"],
    "leader": ["chief", "head"],
    "party": ["faction"],
    "group": ["organisation", "body"],
    "groups": ["organisations", "bodies"],
    "recent": ["latest"],
    "former": ["ex", "previous"],
    "national": ["nationwide"],
    "public": ["general population"],
    "political": ["partisan"],
    "economic": ["financial"],
    "economy": ["markets"],
    "health": ["medical"],
    "care": ["treatment"],
    "women": ["females"],
    "children": ["kids", "youngsters"],
    "family": ["relatives", "household"],
    "home": ["house", "residence"],
    "called": ["described as", "labelled"],
    "asked": ["questioned", "queried"],
    "added": ["continued", "went on"],
    "made": ["produced", "created"],
    "make": ["create", "produce"],
    "take": ["grab", "seize"],
    "took": ["seized", "captured"],
    "give": ["provide", "offer"],
    "gave": ["provided", "offered"],
    "need": ["require"],
    "needs": ["requires"],
    "used": ["employed", "utilised"],
    "use": ["employ", "utilise"],
    "way": ["manner", "method"],
    "time": ["moment", "period"],
    "times": ["occasions"],
    "days": ["days'"],
    "day": ["date"],
    "night": ["evening"],
    "morning": ["early hours"],
    "later": ["subsequently", "afterwards"],
    "early": ["initial"],
    "many": ["numerous", "several"],
    "more": ["additional", "extra"],
    "major": ["key", "significant"],
    "high": ["elevated", "considerable"],
    "long": ["lengthy", "extended"],
    "likely": ["probable", "expected"],
    "clear": ["obvious", "evident"],
    "wanted": ["sought", "desired"],
    "want": ["wish", "seek"],
    "think": ["believe", "reckon"],
    "know": ["realise", "understand"],
    "news": ["media", "press"],
    "media": ["press"],
    "reporters": ["journalists"],
    "including": ["among them"],
    "despite": ["in spite of"],
    "however": ["nevertheless"],
    "also": ["additionally"],
}
# Function words: swapped freely (they do not count as content words anyway).
FUNCTION_SWAPS: dict[str, list[str]] = {
    "the": ["a", "this", "that"],
    "a": ["the", "one"],
    "an": ["the", "one"],
    "of": ["from", "for"],
    "in": ["within", "inside", "at"],
    "on": ["upon", "about"],
    "to": ["toward", "for"],
    "and": ["as well as", "plus"],
    "but": ["yet", "though"],
    "for": ["to", "of"],
    "with": ["alongside", "along with"],
    "is": ["was", "remains"],
    "was": ["is", "had been"],
    "are": ["were", "remain"],
    "were": ["are", "had been"],
    "has": ["had"],
    "have": ["had"],
    "had": ["has"],
    "by": ["through", "via"],
    "at": ["in", "on"],
    "from": ["out of", "of"],
    "that": ["which", "this"],
    "this": ["that", "the"],
    "it": ["this", "that"],
    "they": ["these people"],
    "he": ["the man"],
    "she": ["the woman"],
    "will": ["would", "is going to"],
    "would": ["will", "could"],
    "could": ["might", "may"],
    "not": ["never"],
    "about": ["around", "roughly"],
    "after": ["following"],
    "before": ["prior to"],
    "as": ["while", "since"],
}

_HEADERS = [
    "By {author} | {outlet}",
    "{outlet} staff report",
    "Published {date} by {outlet}",
    "{CITY} ({outlet}) —",
    "Updated {date}. Originally published by {outlet}.",
]
_FOOTERS = [
    "Copyright {year} {outlet}. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "© {year} {outlet}. Distributed by {outlet} Syndicate.",
    "This article originally appeared on {outlet}. Read more stories like this at {site}.",
    "Follow {outlet} on social media for the latest updates. Sign up for our newsletter.",
    "{outlet} contributed to this report.",
]
_OUTLET_A = ["Daily", "Morning", "Evening", "Weekly", "National", "Metro", "County", "Valley", "Coastal"]
_OUTLET_B = ["Herald", "Courier", "Tribune", "Gazette", "Observer", "Sentinel", "Post", "Chronicle", "Wire"]
_AUTHORS = ["Jane Miller", "Tom Okafor", "Ana Ruiz", "Lee Chen", "Sam Patel", "Kim Novak", "Raj Iyer"]
_CITIES = ["WASHINGTON", "NEW YORK", "CHICAGO", "LONDON", "ATLANTA", "DENVER", "BOSTON"]
_FILLERS = ["reportedly", "initially", "officially", "publicly", "roughly", "nearly", "quickly", "again"]


@dataclass
class Corpus:
    texts: list[str]
    ids: list[str]
    copies: list[tuple[int, int]] = field(default_factory=list)  # (base row, copy row)
    rewrites: list[tuple[int, int]] = field(default_factory=list)  # (base row, rewrite row)
    pool_size: int = 0
    sources: dict[str, int] = field(default_factory=dict)  # source name -> sentences taken

    @property
    def planted(self) -> set[tuple[int, int]]:
        return {tuple(sorted(p)) for p in self.copies + self.rewrites}  # type: ignore[misc]


# --- reading -----------------------------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    out = []
    for para in text.splitlines():
        para = para.strip()
        if para:
            out.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return out


def _detokenise(line: str) -> str:
    """ECB+ text is tokenised ("word , word ''"); glue punctuation back for natural text."""
    line = line.replace("``", "“").replace("''", "”").replace("-LRB-", "(").replace("-RRB-", ")")
    line = re.sub(r"\s+([.,;:!?%)”’]|'s|n't|'re|'ve|'ll|'d|'m)", r"\1", line)
    return re.sub(r"([(“$])\s+", r"\1", line)


def load_documents(data_dir: Path) -> dict[str, list[list[str]]]:
    """{source name: [document as a list of sentences]} for the sources present."""
    sources: dict[str, list[list[str]]] = {}
    polnear = sorted((data_dir / "attribution-polnear").glob("**/text/*.txt"))
    if polnear:
        sources["attribution-polnear"] = [split_sentences(p.read_text(encoding="utf-8")) for p in polnear]
    ecb = data_dir / "stories-ecbplus" / "docs.jsonl"
    if ecb.is_file():
        docs = []
        with ecb.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                docs.append([_detokenise(s) for s in row["text"].splitlines() if s.strip()])
        sources["stories-ecbplus"] = docs
    zyte = data_dir / "extraction-zyte" / "ground-truth.json"
    if zyte.is_file():
        truth = json.loads(zyte.read_text(encoding="utf-8"))
        sources["extraction-zyte"] = [split_sentences(v.get("articleBody") or "") for v in truth.values()]
    tml = sorted((data_dir / "temporal-tempeval3").glob("**/*.tml"))
    if tml:
        docs = []
        for p in tml:
            raw = p.read_bytes()
            raw = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            m = re.search(r"<TEXT>(.*?)</TEXT>", raw.decode("utf-8", "replace"), re.S)
            if m:
                body = re.sub(r"<[^>]+>", "", m.group(1))
                body = body.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                docs.append(split_sentences(body))
        sources["temporal-tempeval3"] = docs
    return sources


def sentence_pool(docs_by_source: dict[str, list[list[str]]],
                  origins: list[tuple[str, int]] | None = None) -> tuple[list[list[str]], dict[str, int]]:
    """Documents as lists of usable sentences (6-80 words, each sentence once overall). With
    ``origins``, (source name, position in that source) of each kept document is appended to it."""
    seen: set[str] = set()
    docs: list[list[str]] = []
    counts: dict[str, int] = {}
    for name, source_docs in docs_by_source.items():
        counts[name] = 0
        for position, doc in enumerate(source_docs):
            kept = []
            for s in doc:
                words = _WORDS.findall(s.lower())
                key = " ".join(words)
                if 6 <= len(words) <= 80 and key not in seen:
                    seen.add(key)
                    kept.append(s)
            if kept:
                docs.append(kept)
                counts[name] += len(kept)
                if origins is not None:
                    origins.append((name, position))
    return docs, counts


def common_words(pool: list[str], min_sentences: int = 20) -> frozenset[str]:
    """Lowercased words found in at least min_sentences pool sentences (the rest are "rare")."""
    counts: Counter[str] = Counter()
    for sentence in pool:
        counts.update(set(_WORDS.findall(sentence.lower())))
    return frozenset(w for w, c in counts.items() if c >= min_sentences)


# --- planting ----------------------------------------------------------------------------------


def _boiler(rng: random.Random, templates: list[str]) -> str:
    outlet = f"The {rng.choice(_OUTLET_A)} {rng.choice(_OUTLET_B)}"
    return rng.choice(templates).format(
        outlet=outlet,
        author=rng.choice(_AUTHORS),
        CITY=rng.choice(_CITIES),
        date=f"{rng.randint(1, 28)} {rng.choice(['March', 'June', 'October'])} {rng.randint(2015, 2024)}",
        year=rng.randint(2015, 2024),
        site=outlet.lower().replace(" ", "") + ".com",
    )


def _paragraphs(rng: random.Random, sentences: list[str]) -> str:
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(1, 3)
        paras.append(" ".join(sentences[i : i + k]))
        i += k
    return "\n\n".join(paras)


def near_copy(rng: random.Random, sentences: list[str], pool: list[str]) -> str:
    out = list(sentences)
    if len(out) > 3 and rng.random() < 0.5:
        del out[rng.randrange(len(out))]
    if rng.random() < 0.3:
        out.insert(rng.randrange(len(out) + 1), rng.choice(pool))
    for _ in range(rng.randint(1, 4)):  # a few words changed (edits, corrections, typos)
        i = rng.randrange(len(out))
        words = out[i].split(" ")
        j = rng.randrange(len(words))
        words[j] = rng.choice(_FILLERS) if rng.random() < 0.5 else words[j][::-1]
        out[i] = " ".join(words)
    text = _paragraphs(rng, out)
    if rng.random() < 0.8:
        if rng.random() < 0.6:
            text = _boiler(rng, _HEADERS) + "\n\n" + text
        if rng.random() < 0.6:
            text = text + "\n\n" + _boiler(rng, _FOOTERS)
    return text


def _rotate_clauses(sentence: str) -> str:
    parts = [p for p in sentence.rstrip(".").split(", ") if p]
    if len(parts) < 2:
        return sentence
    first = parts.pop(0)
    rest = ", ".join(parts)
    return rest[:1].upper() + rest[1:] + ", " + first[:1].lower() + first[1:] + "."


_WORD_SHAPE = re.compile(r"([\"“(]*)([A-Za-z]+)([^A-Za-z]*)")


def inflect(word: str) -> str:
    """Another form of the same word ("attacked" -> "attacking", "vote" -> "votes")."""
    for old, new in (("ing", "ed"), ("ed", "ing"), ("ies", "y"), ("es", "e"), ("s", ""), ("y", "ies"), ("e", "es")):
        if word.endswith(old) and len(word) - len(old) >= 3:
            return word[: len(word) - len(old)] + new
    return word + "s"


def _substitute(rng: random.Random, sentence: str, rate: float, common: frozenset[str]) -> str:
    """Replace about rate * len(words) words: table synonyms first, then other forms of common
    content words, then function words. Names, numbers and rare words are never touched."""
    words = sentence.split(" ")
    content, inflectable, function = [], [], []
    for i, w in enumerate(words):
        m = _WORD_SHAPE.fullmatch(w)
        if not m:
            continue  # numbers, hyphenated or odd tokens: kept
        core = m.group(2)
        if core[0].isupper() and i > 0:
            continue  # a name inside the sentence: kept
        low = core.lower()
        if low in SYNONYMS:
            content.append(i)
        elif low in FUNCTION_SWAPS:
            function.append(i)
        elif len(low) >= 4 and low in common:
            inflectable.append(i)
    for group in (content, inflectable, function):
        rng.shuffle(group)
    want = round(rate * len(words))
    # Two in five common words may change form: real rewrites keep most of the vocabulary.
    for i in (content + inflectable[: 2 * len(inflectable) // 5] + function)[:want]:
        m = _WORD_SHAPE.fullmatch(words[i])
        assert m is not None
        core = m.group(2)
        low = core.lower()
        if low in SYNONYMS:
            new = rng.choice(SYNONYMS[low])
        elif low in FUNCTION_SWAPS:
            new = rng.choice(FUNCTION_SWAPS[low])
        else:
            new = inflect(low)
        if core[0].isupper():
            new = new[:1].upper() + new[1:]
        words[i] = m.group(1) + new + m.group(3)
    return " ".join(words)


def rewrite(rng: random.Random, sentences: list[str], pool: list[str], common: frozenset[str]) -> str:
    out = [s for s in sentences if rng.random() < 0.8] or sentences[:1]
    for i in range(len(out) - 1):
        if rng.random() < 0.1:
            out[i], out[i + 1] = out[i + 1], out[i]
    rate = rng.uniform(0.2, 0.4)
    out = [_substitute(rng, _rotate_clauses(s) if rng.random() < 0.4 else s, rate, common) for s in out]
    for _ in range(rng.randint(0, 2)):  # background the rewriter adds
        out.insert(rng.randrange(len(out) + 1), rng.choice(pool))
    return _paragraphs(rng, out)


def build(data_dir: Path, n_articles: int, seed: int, copy_share: float = 0.05, rewrite_share: float = 0.05) -> Corpus:
    """n_articles texts: bases, then near copies and rewrites of distinct random bases, shuffled."""
    rng = random.Random(seed)
    docs, counts = sentence_pool(load_documents(data_dir))
    if not docs:
        raise SystemExit(f"no news text found under {data_dir}")
    pool = [s for d in docs for s in d]
    n_copies = round(n_articles * copy_share)
    n_rewrites = round(n_articles * rewrite_share)
    n_base = n_articles - n_copies - n_rewrites
    bases: list[list[str]] = []
    for _ in range(n_base):
        doc = rng.choice(docs)
        lede_len = min(len(doc), rng.randint(2, 5))
        at = rng.randrange(len(doc) - lede_len + 1)
        total = rng.randint(12, 40)
        sentences = doc[at : at + lede_len] + [rng.choice(pool) for _ in range(total - lede_len)]
        bases.append(sentences)
    texts = [_paragraphs(rng, s) for s in bases]
    sources = rng.sample(range(n_base), n_copies + n_rewrites)
    kinds: list[tuple[str, int]] = [("copy", b) for b in sources[:n_copies]] + [("rewrite", b) for b in sources[n_copies:]]
    common = common_words(pool)
    for kind, b in kinds:
        if kind == "copy":
            texts.append(near_copy(rng, bases[b], pool))
        else:
            texts.append(rewrite(rng, bases[b], pool, common))
    # Shuffle rows so planted texts are not all at the end (insertion order must not matter).
    order = list(range(len(texts)))
    rng.shuffle(order)
    new_row = {old: new for new, old in enumerate(order)}
    corpus = Corpus(
        texts=[texts[i] for i in order],
        ids=[f"a{new:07d}" for new in range(len(order))],
        pool_size=len(pool),
        sources=counts,
    )
    for k, (kind, b) in enumerate(kinds):
        pair = (new_row[b], new_row[n_base + k])
        (corpus.copies if kind == "copy" else corpus.rewrites).append(pair)
    return corpus


# --- streaming, for corpora that do not fit in memory -------------------------------------------


@dataclass
class Stream:
    """The same kinds of articles as :func:`build`, generated shard by shard so that a million
    articles never sit in memory: only each base article's sentence numbers are kept (int32, in
    one flat array), so a planted copy or rewrite can be made of a base from any earlier shard.
    Row numbers are global and in generation order; each shard holds bases and planted texts
    (``copy_share`` + ``rewrite_share`` of it, derived from distinct random bases made before
    them). ``copies`` and ``rewrites`` (base row, planted row) fill in as shards are made."""

    data_dir: Path
    n_articles: int
    seed: int
    shard: int = 50_000
    copy_share: float = 0.05
    rewrite_share: float = 0.05
    copies: list[tuple[int, int]] = field(default_factory=list)
    rewrites: list[tuple[int, int]] = field(default_factory=list)

    @property
    def planted(self) -> set[tuple[int, int]]:
        return {tuple(sorted(p)) for p in self.copies + self.rewrites}  # type: ignore[misc]

    def shards(self):
        """Yield (first row, texts) per shard."""
        import numpy as np

        rng = random.Random(self.seed)
        docs, _ = sentence_pool(load_documents(self.data_dir))
        if not docs:
            raise SystemExit(f"no news text found under {self.data_dir}")
        pool = [s for d in docs for s in d]
        starts = [0]
        for d in docs:
            starts.append(starts[-1] + len(d))
        common = common_words(pool)
        base_rows: list[int] = []  # row of each base, in base order
        flat = np.empty(0, np.int32)  # sentence numbers of every base, concatenated
        offsets = [0]
        used: set[int] = set()  # bases already given a planted text (each at most one)
        row = 0
        while row < self.n_articles:
            size = min(self.shard, self.n_articles - row)
            # Planted texts derive from bases of this shard or any earlier one (a copy made a
            # month after its source is as common as one made the same day).
            n_planted = round(size * (self.copy_share + self.rewrite_share))
            texts: list[str] = []
            numbers: list[int] = []
            for _ in range(size - n_planted):
                d = rng.randrange(len(docs))
                lede = min(len(docs[d]), rng.randint(2, 5))
                at = rng.randrange(len(docs[d]) - lede + 1)
                total = rng.randint(12, 40)
                sent = [starts[d] + at + k for k in range(lede)] + [rng.randrange(len(pool)) for _ in range(total - lede)]
                texts.append(_paragraphs(rng, [pool[i] for i in sent]))
                numbers.extend(sent)
                offsets.append(offsets[-1] + len(sent))
                base_rows.append(row + len(texts) - 1)
            share_copy = self.copy_share / (self.copy_share + self.rewrite_share)
            n_planted = min(n_planted, len(base_rows) - len(used))
            for _ in range(n_planted):
                b = rng.randrange(len(base_rows))
                while b in used:
                    b = rng.randrange(len(base_rows))
                used.add(b)
                sentences = [pool[i] for i in _base_numbers(flat, numbers, offsets, b)]
                kind = "copy" if rng.random() < share_copy else "rewrite"
                text = near_copy(rng, sentences, pool) if kind == "copy" else rewrite(rng, sentences, pool, common)
                (self.copies if kind == "copy" else self.rewrites).append((base_rows[b], row + len(texts)))
                texts.append(text)
            flat = np.concatenate([flat, np.asarray(numbers, np.int32)])
            yield row, texts
            row += size


def _base_numbers(flat, pending: list[int], offsets: list[int], b: int) -> list[int]:
    """Sentence numbers of base b: in the flat array, or among this shard's pending numbers."""
    lo, hi = offsets[b], offsets[b + 1]
    if hi <= len(flat):
        return flat[lo:hi].tolist()
    return pending[lo - len(flat) : hi - len(flat)]
