-- Migration 9: the Zalo users the OA has heard from, and the Zalo messages already read, so
-- customers' Zalo replies reach their timelines once each.

CREATE TABLE zalo_contacts (
    user_id                 TEXT PRIMARY KEY NOT NULL,
    display_name            TEXT,
    last_inbound_at         INTEGER,
    last_inbound_message_id TEXT,
    last_inbound_text       TEXT,
    free_replies_used       INTEGER NOT NULL DEFAULT 0,
    read_up_to              INTEGER NOT NULL DEFAULT 0,
    dismissed_at            INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);

CREATE TABLE zalo_seen_messages (
    message_id TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL,
    seen_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX customers_by_zalo_id ON customers (zalo_id) WHERE zalo_id IS NOT NULL;
