-- The value pairs of story facts (link/stories/value_pairs.py), one row per pair of articles
-- ever compared for them: a stamp of each article (what the compare read of it besides its
-- body) and what crosscheck.value_evidence kept of the result (JSON, or NULL for nothing). A
-- pair's evidence depends on its two articles only, so any story holding both reuses it: a
-- story that absorbed another, or was split, compares only the pairs nobody compared before.
CREATE TABLE value_pairs (
    first_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    second_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    first_stamp TEXT NOT NULL,
    second_stamp TEXT NOT NULL,
    evidence TEXT,
    PRIMARY KEY (first_id, second_id)
);
