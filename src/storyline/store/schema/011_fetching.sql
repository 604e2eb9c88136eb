-- Fetching and watching (issue 21): what each fetched URL answered last, so that the next
-- request is conditional (ETag / Last-Modified) and a failed page is retried later; and the
-- feeds being watched, with their last success and last error.
CREATE TABLE fetches (
    url_key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    status TEXT NOT NULL,       -- "ok", "not_modified" or "failed"
    fetched_at TEXT NOT NULL,   -- the last attempt
    reason TEXT,                -- why the last attempt failed
    etag TEXT,
    last_modified TEXT,
    attempts INTEGER NOT NULL,  -- failures in a row (0 after a success)
    next_try TEXT,              -- a failed page is due again from then
    feed TEXT                   -- the feed whose entry named the page, if any
);
CREATE INDEX fetches_failed ON fetches (status, next_try);
CREATE INDEX fetches_feed ON fetches (feed, fetched_at);

CREATE TABLE feeds (
    url_key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    title TEXT,
    added_at TEXT NOT NULL,
    last_polled TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    entries INTEGER NOT NULL,   -- entries in the feed at its last successful poll
    articles INTEGER NOT NULL   -- articles added from its entries, all polls together
);
-- Articles per day of a feed count the articles whose source is the feed, by ingest time.
CREATE INDEX articles_source ON articles (source, ingested_at);
-- What arrived since a time (the web app's "since your last visit").
CREATE INDEX articles_ingested ON articles (ingested_at);
