-- Migration 2: message templates, the outbox, settings and Telegram binding links.

CREATE TABLE message_templates (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description  TEXT,
    channel      TEXT NOT NULL DEFAULT 'any' CHECK (channel IN ('telegram', 'zalo', 'email', 'any')),
    category     TEXT NOT NULL DEFAULT 'other'
                 CHECK (category IN ('greeting', 'follow_up', 'quotation', 'thank_you', 'birthday', 'reminder', 'other')),
    subject      TEXT,
    body         TEXT NOT NULL,
    usage_count  INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE INDEX message_templates_by_use ON message_templates (usage_count DESC, name);

-- Every message, manual or automatic, is first a row here. The sender moves a row queued →
-- sending → sent / queued (retry) / failed; a row found `sending` at start-up becomes
-- needs_manual, because no channel can tell whether the send happened.
CREATE TABLE outbox (
    id                  TEXT PRIMARY KEY NOT NULL,
    channel             TEXT NOT NULL
                        CHECK (channel IN ('telegram', 'zalo_oa', 'email', 'zalo_personal', 'telegram_personal')),
    recipient           TEXT NOT NULL,
    subject             TEXT,
    body_text           TEXT NOT NULL,
    body_html           TEXT,
    customer_id         TEXT REFERENCES customers (id) ON DELETE SET NULL,
    template_id         TEXT REFERENCES message_templates (id) ON DELETE SET NULL,
    idempotency_key     TEXT NOT NULL UNIQUE,
    status              TEXT NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'needs_manual', 'cancelled')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER,
    last_error          TEXT,
    -- A suggested next step for the salesperson, as a code the UI words: 'use_personal_zalo',
    -- 'check_settings', 'add_recipient', 'check_with_customer'.
    error_hint          TEXT,
    provider_message_id TEXT,
    interaction_id      TEXT REFERENCES customer_interactions (id) ON DELETE SET NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    sent_at             INTEGER
);

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_by_status ON outbox (status, created_at);
CREATE INDEX outbox_by_created ON outbox (created_at DESC, id DESC);
CREATE INDEX outbox_by_customer ON outbox (customer_id, created_at);

-- Plain settings (no secrets: those live in the OS credential store or the secrets file).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- A `t.me/<bot>?start=<token>` link shown for a customer; the chat id is picked up from
-- getUpdates when the customer presses Start.
CREATE TABLE telegram_bindings (
    token       TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    bound_at    INTEGER,
    chat_id     TEXT
);
