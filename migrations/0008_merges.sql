-- Migration 8: merges of duplicate customers, each with the rows of every customer involved as
-- they were before it (JSON), so "undo merge" puts them back exactly.

CREATE TABLE merges (
    id         TEXT PRIMARY KEY NOT NULL,
    kept_id    TEXT NOT NULL,
    -- JSON array of the ids merged into the kept customer.
    merged_ids TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    undone_at  INTEGER
);

CREATE INDEX merges_by_kept ON merges (kept_id, created_at);
