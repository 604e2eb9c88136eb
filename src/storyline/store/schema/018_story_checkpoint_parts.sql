-- The story clusterer's checkpoint in keyed parts (format 3, link/stories/checkpoint.py): one
-- row per active story and one per held member's item, beside the header row in
-- story_checkpoint. A clustered batch rewrites the header and only the parts it changed, not
-- the whole active state (84 MB at 100k articles). A format-2 checkpoint (everything in the
-- header row) is still read; the next batch then writes it whole in parts.
CREATE TABLE story_checkpoint_parts (
    part TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    blob {blob} NOT NULL
);

-- Which write the header is (StoryCheckpoint.token, random): a delta applies only over the
-- checkpoint it names as its base.
ALTER TABLE story_checkpoint ADD COLUMN token TEXT NOT NULL DEFAULT '';
