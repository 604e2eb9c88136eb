-- Full-text search over article titles and bodies. The backends index text differently, so
-- this migration has one section per backend: the lines after "-- dialect: sqlite" run on
-- SQLite only, those after "-- dialect: postgres" on PostgreSQL only (see
-- storyline/store/search_sql.py, for_dialect). Both index the articles already stored.

-- dialect: sqlite
-- An external-content FTS5 table over articles (rowid = articles.seq): it holds only the index,
-- not a second copy of the text. Articles are written once and never updated or deleted; each
-- new article is indexed in the transaction that stores it (SQLStore.add_articles).
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='articles', content_rowid='seq',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

-- dialect: postgres
-- An expression index, kept in step by PostgreSQL itself. Queries must spell the expression
-- exactly so (search_sql.PG_DOCUMENT). The body is capped so that a huge article cannot exceed
-- the 1 MB tsvector limit (its first 200,000 characters are searchable).
CREATE INDEX articles_search ON articles USING GIN (
    (to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || left(body, 200000)))
);
