-- Reuse: fingerprints and LSH buckets for candidate search, and the compared pairs.

-- One row per fingerprinted article. shingles/words: MinHash signatures (uint32 little-endian,
-- NUM_PERM values); vector: the article vector (float32 little-endian, 384 values).
CREATE TABLE fingerprints (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    shingles {blob} NOT NULL,
    words {blob} NOT NULL,
    vector {blob}
);

CREATE INDEX fingerprints_version ON fingerprints (version);

-- LSH buckets: a new article finds its candidates with one indexed lookup per band, without
-- touching the rest of the corpus. bucket is a 63-bit hash of the band's signature rows.
CREATE TABLE lsh_buckets (
    kind TEXT NOT NULL,
    band INTEGER NOT NULL,
    bucket BIGINT NOT NULL,
    article_id TEXT NOT NULL REFERENCES fingerprints (article_id) ON DELETE CASCADE,
    PRIMARY KEY (kind, band, bucket, article_id)
);

CREATE INDEX lsh_buckets_article ON lsh_buckets (article_id);

-- Every compared pair, reuse or not, so that it is not compared again. first_id < second_id is
-- the key whichever way the reuse runs; source_id/derived_id say the direction. evidence,
-- aligned and changes are JSON (read whole with their pair).
CREATE TABLE reuse_pairs (
    first_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    second_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    derived_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    direction_confidence REAL NOT NULL,
    coverage REAL NOT NULL,
    source_coverage REAL NOT NULL,
    verbatim REAL NOT NULL,
    similarity REAL NOT NULL,
    evidence TEXT NOT NULL,
    aligned TEXT NOT NULL,
    changes TEXT NOT NULL,
    version TEXT NOT NULL,
    compared_at TEXT NOT NULL,
    PRIMARY KEY (first_id, second_id)
);

CREATE INDEX reuse_pairs_kind ON reuse_pairs (kind);
CREATE INDEX reuse_pairs_second ON reuse_pairs (second_id);
