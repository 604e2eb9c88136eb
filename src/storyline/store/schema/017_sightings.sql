-- Sightings: every other place a stored text was seen. An article is stored once per cleaned
-- text (content hash); when the same text arrives again from a URL the store does not know
-- yet, or without a URL from an outlet the article and its sightings do not name yet, the
-- copy's URL, outlet, title, publication time and origin are kept here, so that "which outlets
-- ran this story" sees every outlet that ran the wire copy word for word.
-- `sighting_key` makes recording idempotent (a re-ingest or a resumed run adds nothing):
-- "url " + the normalised URL for a copy with a URL (a URL is one sighting, as it is one
-- article), "outlet " + article id + " " + the outlet case-folded for a copy without one.
CREATE TABLE sightings (
    seq {serial_pk},
    sighting_key TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    url TEXT,
    url_key TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    source TEXT NOT NULL,
    locator TEXT,
    seen_at TEXT NOT NULL
);

-- An article's sightings are read by article id, first seen first.
CREATE INDEX sightings_article ON sightings (article_id, seq);
-- The outlet filters (articles, search, stories) find an outlet's sightings too, by name.
CREATE INDEX sightings_outlet ON sightings (outlet);
