-- People: cross-article identities, kept and grown one batch of articles at a time
-- (link/people/incremental.py). Ids are stable: an identity keeps the id it was given when it
-- first appeared; when two identities merge, the younger row stays with merged_into set to
-- the older one's id, so that a link to the old id still finds the person.

-- One row per identity. aliases, roles and merges are JSON lists in display order (the
-- Identity record's fields); articles is the number of distinct member articles (the sort key
-- of the listing). A row with merged_into set has no members, aliases, roles or keys.
CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL,
    roles TEXT NOT NULL,
    merges TEXT NOT NULL,
    articles INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    merged_into TEXT
);

CREATE INDEX persons_order ON persons (articles DESC, name);

-- Each in-article entity belongs to one identity at most, with the reason it joined.
CREATE TABLE person_members (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);

CREATE INDEX person_members_person ON person_members (person_id);

-- The names an identity goes by, each with the entity (article id + entity id) that used it.
CREATE TABLE person_aliases (
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    article_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (person_id, alias, article_id, entity_id)
);

-- The roles given to an identity, with where the article says so (offsets of the title).
CREATE TABLE person_roles (
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    article_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    PRIMARY KEY (person_id, article_id, entity_id, span_start, span_end, title)
);

-- The name-key index: a new entity finds the identities it may join by its name keys alone
-- (folded full name, surname skeleton, surname letters, first name + surname start).
CREATE TABLE person_keys (
    name_key TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (name_key, person_id)
);

CREATE INDEX person_keys_person ON person_keys (person_id);

-- Which articles the people step has done, by which version and against which analysis
-- (analysed_at of the analysis it read: a re-analysed article is due again).
CREATE TABLE people_done (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    analysed_at TEXT NOT NULL
);

-- Which people (surname keys) each done article mentions: how often a person is mentioned in
-- the whole corpus, the yardstick co-mention evidence is weighed against, is an indexed count.
CREATE TABLE person_surnames (
    surname_key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (surname_key, article_id)
);

CREATE INDEX person_surnames_article ON person_surnames (article_id);

-- Running totals kept with the rows they count ("articles": articles in person_surnames), so
-- that reading them does not count a whole table.
CREATE TABLE people_stats (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
