-- Listings that page through a whole table in a fixed order must not sort the table on every
-- request (benchmarks/api_load.py: at 50,000 articles, GET /api/quotes sorted 287,000 quotes per
-- page, 1.4 s; GET /api/stories sorted every story).

-- Quotes are listed in article order (articles.seq), then by position. A copy of the article's
-- seq on each quote lets one index give that order, on both backends, without a join.
ALTER TABLE quotes ADD COLUMN article_seq BIGINT;
UPDATE quotes SET article_seq = (SELECT a.seq FROM articles a WHERE a.id = quotes.article_id);
CREATE INDEX quotes_order ON quotes (article_seq, span_start, pos);
-- One speaker's quotes in the same order (replaces the index on speaker_key alone).
CREATE INDEX quotes_speaker_order ON quotes (speaker_key, article_seq, span_start, pos);
DROP INDEX quotes_speaker;

-- Stories are listed largest first, then latest, undated last (StoryQueries.stories).
CREATE INDEX stories_order ON stories (size DESC, (last_date IS NULL), last_date DESC, id);
