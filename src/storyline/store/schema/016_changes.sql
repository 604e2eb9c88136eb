-- The change log and the steps' cursors (issue 15: due work without whole-table scans).
--
-- Every writer that can make work due for a later step appends (kind, key) rows to `changes` in
-- its own transaction: "article" (stored), "analysis" (analysed again), "fingerprint", "candidate"
-- and "pair" (keys: the pair's article ids), "story" (a story written or its members moved).
-- A step keeps a cursor: the version it ran at, the log position it has read up to, and the keys
-- still due when it last finished (failures, left for the next run). Its due work is then
-- "pending keys plus the keys changed since the cursor", checked against the store with the same
-- query a full scan uses; a step with no cursor, or whose version changed, scans in full.
CREATE TABLE step_cursors (
    step TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    pending TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- dialect: sqlite
-- SQLite has one writer at a time, so the sequence is commit order: a cursor is the last seq read.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL
);

-- dialect: postgres
-- Concurrent PostgreSQL transactions commit out of sequence order, so a cursor is a transaction
-- id instead: the snapshot's xmin when the step read the log. Every transaction below it has
-- ended, so the next read (xid >= cursor) sees everything the previous one could not.
CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    kind TEXT NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX changes_by_xid ON changes (xid);
