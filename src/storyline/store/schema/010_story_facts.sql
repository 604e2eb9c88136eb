-- Story facts: everything a story's report holds that is not stored elsewhere (dates, times,
-- events with citations, people, quotes by speaker, findings, notes) as one JSON document,
-- built by the story_facts step (link/stories/steps.py) and read by Desk.story. The articles
-- and reuse pairs are not copied: they are read by id (facts names the reuse pairs it shows).
-- state: the fingerprint of what the facts were built from (link/stories/facts.py,
-- fact_state); version: FACTS_VERSION of the builder; built_at: when (microseconds, UTC), which
-- finds the stories changed since (Store.story_facts_due).
CREATE TABLE story_facts (
    story_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    version TEXT NOT NULL,
    built_at TEXT NOT NULL,
    facts TEXT NOT NULL
);

CREATE INDEX story_facts_version ON story_facts (version);
