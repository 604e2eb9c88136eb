-- Time expressions (part of an article's analysis) and stories (the online clustering).

-- One row per temporal expression, in the analyzer's order. value is NULL for a relative
-- expression in an undated article; detail is the JSON that re-resolves it against another
-- date (see analyze/timex.py).
CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES analyses (article_id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT,
    mod TEXT,
    anchored INTEGER NOT NULL,
    detail TEXT,
    PRIMARY KEY (article_id, pos)
);

-- Which story each clustered article joined. seq is the order the clusterer saw the articles
-- in: the clusterer's state is rebuilt from these rows alone, so a later batch continues
-- exactly where the last one stopped.
CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    version TEXT NOT NULL
);

CREATE INDEX story_members_story ON story_members (story_id, seq);

-- One row per story: its label and date span as of its last change. key_entities is a JSON
-- list of names.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    headline TEXT,
    key_entities TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    undated INTEGER NOT NULL,
    size INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX stories_last ON stories (last_date);
