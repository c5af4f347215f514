-- Migration 10: Zalo template messages and the automatic Zalo route. Templates gain the Zalo
-- template channel and a Zalo template mapping; the outbox and scenario steps gain the channels
-- "Zalo (automatic)" and "Zalo template", and the outbox records the route a message took. SQLite
-- cannot change a CHECK: each table is rebuilt with the same rows. Foreign keys are off while a
-- migration runs (and checked before it commits); legacy_alter_table keeps the rename of the old
-- table from rewriting the references other tables make to it.

CREATE TABLE zalo_templates (
    template_id  TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    quality      TEXT,
    tag          TEXT,
    price_vnd    INTEGER,
    params       TEXT NOT NULL,
    preview_url  TEXT,
    fetched_at   INTEGER NOT NULL
);

PRAGMA legacy_alter_table = ON;
ALTER TABLE message_templates RENAME TO message_templates_before_zalo;
PRAGMA legacy_alter_table = OFF;

CREATE TABLE message_templates (
    id                TEXT PRIMARY KEY NOT NULL,
    name              TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description       TEXT,
    channel           TEXT NOT NULL DEFAULT 'any'
                      CHECK (channel IN ('telegram', 'zalo', 'email', 'any', 'zalo_template')),
    category          TEXT NOT NULL DEFAULT 'other'
                      CHECK (category IN ('greeting', 'follow_up', 'quotation', 'thank_you', 'birthday', 'reminder', 'other')),
    subject           TEXT,
    body              TEXT NOT NULL,
    usage_count       INTEGER NOT NULL DEFAULT 0,
    last_used_at      INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    zalo_template_id  TEXT,
    zalo_params       TEXT
);

INSERT INTO message_templates (id, name, description, channel, category, subject, body,
        usage_count, last_used_at, created_at, updated_at)
SELECT id, name, description, channel, category, subject, body, usage_count, last_used_at,
       created_at, updated_at
FROM message_templates_before_zalo;

DROP TABLE message_templates_before_zalo;
CREATE INDEX message_templates_by_use ON message_templates (usage_count DESC, name);

PRAGMA legacy_alter_table = ON;
ALTER TABLE outbox RENAME TO outbox_before_zalo;
PRAGMA legacy_alter_table = OFF;

CREATE TABLE outbox (
    id                  TEXT PRIMARY KEY NOT NULL,
    channel             TEXT NOT NULL
                        CHECK (channel IN ('telegram', 'zalo_oa', 'email', 'zalo_personal', 'telegram_personal',
                                           'zalo_auto', 'zalo_template')),
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
    error_hint          TEXT,
    provider_message_id TEXT,
    interaction_id      TEXT REFERENCES customer_interactions (id) ON DELETE SET NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    sent_at             INTEGER,
    zalo_payload        TEXT,
    route               TEXT CHECK (route IN ('free_reply', 'consultation', 'template', 'personal')),
    routes_tried        TEXT
);

INSERT INTO outbox (id, channel, recipient, subject, body_text, body_html, customer_id,
        template_id, idempotency_key, status, attempts, next_attempt_at, last_error, error_hint,
        provider_message_id, interaction_id, created_at, updated_at, sent_at)
SELECT id, channel, recipient, subject, body_text, body_html, customer_id, template_id,
       idempotency_key, status, attempts, next_attempt_at, last_error, error_hint,
       provider_message_id, interaction_id, created_at, updated_at, sent_at
FROM outbox_before_zalo;

DROP TABLE outbox_before_zalo;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_by_status ON outbox (status, created_at);
CREATE INDEX outbox_by_created ON outbox (created_at DESC, id DESC);
CREATE INDEX outbox_by_customer ON outbox (customer_id, created_at);

PRAGMA legacy_alter_table = ON;
ALTER TABLE scenario_steps RENAME TO scenario_steps_before_zalo;
PRAGMA legacy_alter_table = OFF;

CREATE TABLE scenario_steps (
    id                 TEXT PRIMARY KEY NOT NULL,
    scenario_id        TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('task', 'message', 'notification')),
    delay_days         INTEGER NOT NULL DEFAULT 0 CHECK (delay_days >= 0),
    delay_hours        INTEGER NOT NULL DEFAULT 0 CHECK (delay_hours >= 0),
    delay_minutes      INTEGER NOT NULL DEFAULT 0 CHECK (delay_minutes >= 0),
    delay_from         TEXT NOT NULL DEFAULT 'previous' CHECK (delay_from IN ('start', 'previous')),
    title              TEXT,
    priority           TEXT CHECK (priority IN ('low', 'normal', 'high')),
    due_offset_minutes INTEGER,
    template_id        TEXT REFERENCES message_templates (id) ON DELETE SET NULL,
    channel            TEXT CHECK (channel IN ('telegram', 'zalo_oa', 'email', 'zalo_personal',
                                               'telegram_personal', 'zalo_auto', 'zalo_template')),
    UNIQUE (scenario_id, position)
);

INSERT INTO scenario_steps (id, scenario_id, position, kind, delay_days, delay_hours,
        delay_minutes, delay_from, title, priority, due_offset_minutes, template_id, channel)
SELECT id, scenario_id, position, kind, delay_days, delay_hours, delay_minutes, delay_from, title,
       priority, due_offset_minutes, template_id, channel
FROM scenario_steps_before_zalo;

DROP TABLE scenario_steps_before_zalo;
