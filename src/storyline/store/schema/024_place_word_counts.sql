-- How many articles give each place word (place_words, migration 023), kept with its rows: the
-- place mark compares an identity's articles with it, and counting a common word's rows
-- ("washington") again on every batch that touched it grew with the store.
CREATE TABLE place_word_counts (
    word_key TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

INSERT INTO place_word_counts (word_key, n)
SELECT word_key, COUNT(*) FROM place_words GROUP BY word_key;
