-- Why each article joined its story, and which stories merged (link/stories/cluster.py): the
-- story page explains a membership from these instead of recomputing it. evidence is JSON.
ALTER TABLE story_members ADD COLUMN evidence TEXT;

-- A story absorbed by another keeps resolving: its id leads to the story it went into.
CREATE TABLE story_merges (
    absorbed_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    evidence TEXT NOT NULL
);

CREATE INDEX story_merges_story ON story_merges (story_id);
