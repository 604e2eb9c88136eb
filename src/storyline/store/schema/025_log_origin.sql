-- Which PostgreSQL cluster the change log's positions come from (store/sql/changes.py, adopt).
-- A cursor is a transaction id of one cluster: in a store restored into another cluster
-- (pg_dump / pg_restore, a move to a new server) the new transactions are numbered afresh, and
-- a cursor that is behind the new numbering but ahead of the rows logged before it caught up
-- skips those rows for good (the incremental benchmark's restored 10k base linked none of its
-- 100 new articles into stories). Opening a store compares this with the cluster's system
-- identifier and drops every cursor when they differ: each step scans in full once. SQLite's
-- positions are the file's own sequence and travel with it: the table stays empty there.
CREATE TABLE log_origin (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    origin TEXT NOT NULL
);

-- dialect: postgres
-- The cursors of a store upgraded to this schema may come from a restore before it: dropped,
-- so each step scans in full once.
DELETE FROM step_cursors;
