-- The names of an article's title when it is text of its own (a given title, or a first line
-- the ingest cut off as a headline; analyze/titles.py): parsed apart from the body, so their
-- mentions' offsets are the title's. Only the story features read them (a name a headline
-- says and the body does not repeat). Columns as in entities; replaced with the analysis.
CREATE TABLE title_entities (
    article_id TEXT NOT NULL REFERENCES analyses (article_id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL,
    roles TEXT NOT NULL,
    mentions TEXT NOT NULL,
    PRIMARY KEY (article_id, pos)
);
