-- Articles as cleaned, with the raw input kept beside them so a better cleaner can re-run.
-- {serial_pk} and {blob} are filled in per backend (see storyline/store/sql.py).
CREATE TABLE articles (
    seq {serial_pk},
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    url TEXT,
    url_key TEXT UNIQUE,
    source TEXT NOT NULL,
    locator TEXT,
    title TEXT,
    outlet TEXT,
    published TEXT,
    byline TEXT,
    abstract TEXT,
    body TEXT NOT NULL,
    fields TEXT NOT NULL,
    cuts TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE INDEX articles_published ON articles (published);

CREATE TABLE raw_documents (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    media_type TEXT NOT NULL,
    data {blob} NOT NULL
);

CREATE TABLE links (
    seq {serial_pk},
    url_key TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT,
    published TEXT,
    source TEXT NOT NULL,
    locator TEXT,
    seen_at TEXT NOT NULL
);
