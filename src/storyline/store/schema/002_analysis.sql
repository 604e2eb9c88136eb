-- Per-article analysis: entities (with mentions and roles) and quotes (with speakers).
-- {serial_pk} and {blob} are filled in per backend (see storyline/store/sql.py); these tables
-- need neither. Offsets index articles.body. `pos` keeps the analyzer's order within an article.

-- One row per analysed article: which analyzer version produced what is stored for it. An
-- article without a row here has not been analysed; one with an older version is stale.
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    analysed_at TEXT NOT NULL
);

CREATE INDEX analyses_version ON analyses (version);

-- aliases: JSON list of strings; roles: JSON list of {title, start, end, sentence_start,
-- sentence_end}; mentions: JSON list of {start, end, text}. They are only ever read whole, with
-- their entity, so they are not split into tables of their own.
CREATE TABLE entities (
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

CREATE INDEX entities_type ON entities (type);

-- speaker_key is the speaker name case-folded in Python, so that a speaker filter matches the
-- same rows on SQLite (whose LOWER() folds ASCII only) and on PostgreSQL.
CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES analyses (article_id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    cue TEXT,
    speaker TEXT,
    speaker_key TEXT,
    speaker_id TEXT,
    mention_text TEXT,
    mention_start INTEGER,
    mention_end INTEGER,
    anonymous INTEGER NOT NULL,
    grp INTEGER,
    PRIMARY KEY (article_id, pos)
);

CREATE INDEX quotes_speaker ON quotes (speaker_key);
