-- Migration 7: imports, so "undo this import" can take one back completely. An import records
-- every customer it created or filled in, with what it filled, and the tags it created.

CREATE TABLE imports (
    id            TEXT PRIMARY KEY NOT NULL,
    file_name     TEXT NOT NULL,
    tag           TEXT,
    created_count INTEGER NOT NULL,
    updated_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    invalid_count INTEGER NOT NULL,
    -- JSON array of the names of the tags this import created.
    created_tags  TEXT NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    undone_at     INTEGER
);

CREATE TABLE import_changes (
    import_id   TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    -- For an update: JSON {fields, phones, tags} of what the import filled in or added.
    filled      TEXT,
    PRIMARY KEY (import_id, customer_id)
);
