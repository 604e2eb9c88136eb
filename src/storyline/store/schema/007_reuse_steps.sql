-- Reuse as resumable steps (run/reuse_steps.py): sentence vectors embedded once per article,
-- candidate pairs stored with how they were found, and which articles had their candidates
-- looked up (by which version), so a run killed between steps finds every remaining piece.

-- One row per embedded article. spans: the sentences of link/reuse/align.align_spans(body) as
-- int32 little-endian (start, end) pairs; vectors: one unit row per span, float16
-- little-endian, 384 values a row (see store/records.SentenceVectors for why float16).
CREATE TABLE sentence_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    spans {blob} NOT NULL,
    vectors {blob} NOT NULL
);

CREATE INDEX sentence_vectors_version ON sentence_vectors (version);

-- Candidate pairs, unordered (first_id < second_id), with the first way they were found
-- ("shingles", "words", "vector"). The compare step's work is the candidates with no
-- reuse_pairs row of its version.
CREATE TABLE reuse_candidates (
    first_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    second_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    found_by TEXT NOT NULL,
    PRIMARY KEY (first_id, second_id)
);

CREATE INDEX reuse_candidates_second ON reuse_candidates (second_id);

-- Articles whose candidates were looked up, by the candidates step's version. A new
-- fingerprint of the article deletes its row (its buckets changed).
CREATE TABLE candidates_done (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL
);

-- Pairs compared before this migration stay candidates, so that a new REUSE_VERSION compares
-- them again.
INSERT INTO reuse_candidates (first_id, second_id, found_by)
SELECT first_id, second_id, 'compared' FROM reuse_pairs;
