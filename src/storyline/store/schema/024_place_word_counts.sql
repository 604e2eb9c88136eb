-- How many articles give each place word (place_words, migration 023), kept with its rows: the
-- place mark compares an identity's articles with it, and counting a common word's rows
-- ("washington") again on every batch that touched it grew with the store.
CREATE TABLE place_word_counts (
    word_key TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

INSERT INTO place_word_counts (word_key, n)
SELECT word_key, COUNT(*) FROM place_words GROUP BY word_key;

-- How many identities are marked places (the count `storyline people --places` and
-- /api/v1/place-names page through), kept with the marks as "people" is.
INSERT INTO people_stats (name, value)
SELECT 'places', COUNT(*) FROM persons WHERE merged_into IS NULL AND articles > 0 AND place_like = 1
ON CONFLICT (name) DO UPDATE SET value = excluded.value;
