-- The story clusterer's state after the last clustered batch (link/stories/checkpoint.py), so
-- that the next batch continues from it instead of replaying every membership. One row, written
-- in the same transaction as the memberships it follows; bounded by the clusterer's window and
-- vocabulary, not by the number of articles. state is JSON; vectors (float32) and sums (float64)
-- are little-endian matrices of 384 columns.
CREATE TABLE story_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    next_seq BIGINT NOT NULL,
    state TEXT NOT NULL,
    vectors {blob} NOT NULL,
    sums {blob} NOT NULL
);

-- The articles not clustered yet (by a version) are found through this index.
CREATE INDEX story_members_version ON story_members (version);
