-- Tend: the canonical schema of the newest database version.
--
-- A fresh database is created from this file; an existing one is brought here by the append-only
-- migrations in migrations/. A test checks that both roads end at the same schema.
--
-- Conventions: ids are UUIDv7 text; every *_at and *_date column holding an instant is UTC
-- milliseconds since the Unix epoch (INTEGER); calendar dates with no time (birthday) are
-- 'YYYY-MM-DD' text. Pragmas (WAL, foreign_keys, busy_timeout, synchronous) are set by the code
-- that opens the database, never here.

CREATE TABLE customers (
    id                  TEXT PRIMARY KEY NOT NULL,
    full_name           TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    -- Folded given name, then folded full name: Vietnamese lists are ordered by the given name.
    sort_name           TEXT NOT NULL,
    -- The primary phone in E.164, copied from customer_phones for lists and duplicate checks.
    phone_number        TEXT,
    email               TEXT,
    company_name        TEXT,
    address             TEXT,
    birthday            TEXT,
    zalo_id             TEXT,
    zalo_phone          TEXT,
    telegram_id         TEXT,
    telegram_username   TEXT,
    source              TEXT,
    lifecycle_stage     TEXT NOT NULL DEFAULT 'new'
                        CHECK (lifecycle_stage IN ('prospect', 'new', 'active', 'at_risk', 'churned')),
    temperature         TEXT CHECK (temperature IN ('hot', 'warm', 'cold')),
    notes               TEXT,
    -- Roll-ups derived from customer_interactions and tasks, recomputed in the same transaction
    -- as every change to those tables.
    last_contact_date   INTEGER,
    total_interactions  INTEGER NOT NULL DEFAULT 0,
    next_follow_up_date INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    deleted_at          INTEGER,
    -- Grows as customers are added; their search row's rowid is its negative, so FTS5's
    -- natural rowid order lists the newest first.
    search_seq          INTEGER,
    -- The customer asked not to be contacted: no campaign or scenario message goes to them
    -- (a message sent by hand warns). When they asked is also in customer_consents.
    do_not_contact      INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
    do_not_contact_at   INTEGER
);

CREATE INDEX customers_by_sort_name ON customers (sort_name, id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_by_search_seq ON customers (search_seq);
CREATE INDEX customers_by_created ON customers (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_last_contact ON customers (last_contact_date, id) WHERE deleted_at IS NULL;
-- Customers with no follow-up sort last: the expression must match the ORDER BY in the store.
CREATE INDEX customers_by_next_follow_up
    ON customers (ifnull(next_follow_up_date, 9223372036854775807), id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_phone ON customers (phone_number) WHERE phone_number IS NOT NULL;
CREATE INDEX customers_by_email ON customers (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX customers_by_zalo_id ON customers (zalo_id) WHERE zalo_id IS NOT NULL;
-- Segments count and list by these columns: a covering index (about 7 MB for 100k customers,
-- against 25 MB of customer rows) keeps a count of a segment over them under 50 ms.
CREATE INDEX customers_segment
    ON customers (lifecycle_stage, temperature, last_contact_date, created_at, next_follow_up_date,
                  do_not_contact, id)
    WHERE deleted_at IS NULL;

CREATE TABLE customer_phones (
    id          TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    number      TEXT NOT NULL,
    label       TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    position    INTEGER NOT NULL,
    UNIQUE (customer_id, number)
);

CREATE INDEX customer_phones_by_number ON customer_phones (number);
CREATE UNIQUE INDEX customer_phones_one_primary ON customer_phones (customer_id) WHERE is_primary = 1;

CREATE TABLE tags (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    color      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE customer_tags (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag_id      TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX customer_tags_by_tag ON customer_tags (tag_id, customer_id);

-- Pinned notes are records of their own; the free-text notes live on customers.notes.
CREATE TABLE customer_notes (
    id          TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    body        TEXT NOT NULL CHECK (length(trim(body)) > 0),
    pinned      INTEGER NOT NULL DEFAULT 1 CHECK (pinned IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE INDEX customer_notes_by_customer ON customer_notes (customer_id, created_at);

CREATE TABLE customer_interactions (
    id               TEXT PRIMARY KEY NOT NULL,
    customer_id      TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL
                     CHECK (kind IN ('call', 'visit', 'meeting', 'email', 'zalo', 'telegram', 'sms', 'note')),
    direction        TEXT NOT NULL DEFAULT 'outbound' CHECK (direction IN ('inbound', 'outbound')),
    subject          TEXT,
    content          TEXT,
    outcome          TEXT,
    duration_minutes INTEGER CHECK (duration_minutes IS NULL OR duration_minutes >= 0),
    occurred_at      INTEGER NOT NULL,
    next_action      TEXT,
    next_action_date INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    -- A message a campaign sent: the timeline shows it as part of the campaign.
    campaign_id      TEXT REFERENCES campaigns (id) ON DELETE SET NULL
);

CREATE INDEX customer_interactions_timeline ON customer_interactions (customer_id, occurred_at DESC, id DESC);

CREATE TABLE tasks (
    id             TEXT PRIMARY KEY NOT NULL,
    customer_id    TEXT REFERENCES customers (id) ON DELETE CASCADE,
    -- The interaction whose "next action" created this task, if any.
    interaction_id TEXT REFERENCES customer_interactions (id) ON DELETE SET NULL,
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    notes          TEXT,
    due_at         INTEGER NOT NULL,
    priority       TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    completed_at   INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE INDEX tasks_open_by_due ON tasks (due_at, id) WHERE status = 'open';
CREATE INDEX tasks_by_customer ON tasks (customer_id, status, due_at);
CREATE INDEX tasks_by_interaction ON tasks (interaction_id) WHERE interaction_id IS NOT NULL;

-- Search index, kept by the store in the same transaction as each customer change (rowid =
-- minus customers.search_seq, so the index's own order is newest first; deleted customers are
-- removed). The text is folded by Tend itself (lower case,
-- no diacritics, đ → d) because SQLite's unicode61 does not fold đ; name_exact keeps the
-- diacritics so an exact match can rank first. phones holds digit suffixes so any 4+ digits
-- of a number match as a prefix.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    name_exact,
    name_folded,
    other_folded,
    phones,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4',
    detail = 'column'
);

CREATE TABLE message_templates (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description  TEXT,
    -- 'zalo_template': a template approved by Zalo, sent to a phone number; its words are
    -- Zalo's, Tend keeps which customer field fills each of its parameters.
    channel      TEXT NOT NULL DEFAULT 'any'
                 CHECK (channel IN ('telegram', 'zalo', 'email', 'any', 'zalo_template')),
    category     TEXT NOT NULL DEFAULT 'other'
                 CHECK (category IN ('greeting', 'follow_up', 'quotation', 'thank_you', 'birthday', 'reminder', 'other')),
    subject      TEXT,
    body         TEXT NOT NULL,
    usage_count  INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- The Zalo template this one maps to (required for 'zalo_template', optional for a Zalo or
    -- any-channel text, which the automatic Zalo route then sends as that template outside
    -- Zalo's windows), and the mapping: JSON {param: {"field": "customer.name"} | {"text": "…"}}.
    zalo_template_id TEXT,
    zalo_params      TEXT
);

CREATE INDEX message_templates_by_use ON message_templates (usage_count DESC, name);

-- Every message, manual or automatic, is first a row here. The sender moves a row queued →
-- sending → sent / queued (retry) / failed; a row found `sending` at start-up becomes
-- needs_manual, because no channel can tell whether the send happened.
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
    -- A suggested next step for the salesperson, as a code the UI words: 'use_personal_zalo',
    -- 'check_settings', 'add_recipient', 'check_with_customer'.
    error_hint          TEXT,
    provider_message_id TEXT,
    interaction_id      TEXT REFERENCES customer_interactions (id) ON DELETE SET NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    sent_at             INTEGER,
    -- Zalo messages: what each Zalo route needs (JSON: user_id, phone, template_id,
    -- template_data), the route of the last attempt ('free_reply', 'consultation', 'template',
    -- 'personal') and the routes that failed for good, comma-separated, never tried again.
    zalo_payload        TEXT,
    route               TEXT CHECK (route IN ('free_reply', 'consultation', 'template', 'personal')),
    routes_tried        TEXT,
    -- Who queued it: the salesperson ('manual'), a care scenario or a campaign. Automated
    -- messages count against the frequency cap.
    origin              TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'scenario', 'campaign')),
    campaign_id         TEXT REFERENCES campaigns (id) ON DELETE SET NULL
);

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_by_status ON outbox (status, created_at);
CREATE INDEX outbox_by_created ON outbox (created_at DESC, id DESC);
CREATE INDEX outbox_by_customer ON outbox (customer_id, created_at);
CREATE INDEX outbox_automated ON outbox (customer_id, created_at) WHERE origin <> 'manual';

-- The Zalo users the OA has heard from, as the reply reader last saw them. A customer is theirs
-- when customers.zalo_id = user_id; a user no live customer has is an "unknown Zalo contact".
-- last_inbound_* is their latest message to the OA: it opens Zalo's 7-day consultation window
-- and the 48-hour free-reply allowance (free_replies_used of Zalo's 8 since that message); a
-- free reply quotes last_inbound_message_id. read_up_to is the newest message time read.
CREATE TABLE zalo_contacts (
    user_id                 TEXT PRIMARY KEY NOT NULL,
    display_name            TEXT,
    last_inbound_at         INTEGER,
    last_inbound_message_id TEXT,
    last_inbound_text       TEXT,
    free_replies_used       INTEGER NOT NULL DEFAULT 0,
    read_up_to              INTEGER NOT NULL DEFAULT 0,
    -- Hidden from the unknown contacts by the salesperson (a spammer, a colleague).
    dismissed_at            INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);

-- The OA's templates as Zalo last listed them (approved ones can be sent): params is JSON
-- [{name, type, required, max_length, min_length}], price_vnd Zalo's price per message.
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

-- Zalo message ids already taken in, so a message is logged once however often it is read.
CREATE TABLE zalo_seen_messages (
    message_id TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL,
    seen_at    INTEGER NOT NULL
) WITHOUT ROWID;

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

CREATE TABLE scenarios (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description        TEXT,
    -- Informative: who the scenario is meant for (a segment or a tag name).
    target             TEXT,
    trigger            TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'customer_created', 'tag_added')),
    trigger_tag        TEXT,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    exit_on_reply      INTEGER NOT NULL DEFAULT 0 CHECK (exit_on_reply IN (0, 1)),
    -- The send window in the laptop's time zone: minutes from midnight, and a bit per weekday
    -- (Monday = 1 … Sunday = 64). NULL start means no window.
    window_start_min   INTEGER,
    window_end_min     INTEGER,
    window_days        INTEGER,
    catch_up           TEXT NOT NULL DEFAULT 'send_late' CHECK (catch_up IN ('send_late', 'skip_late')),
    catch_up_max_hours INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE scenario_steps (
    id                 TEXT PRIMARY KEY NOT NULL,
    scenario_id        TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('task', 'message', 'notification')),
    delay_days         INTEGER NOT NULL DEFAULT 0 CHECK (delay_days >= 0),
    delay_hours        INTEGER NOT NULL DEFAULT 0 CHECK (delay_hours >= 0),
    delay_minutes      INTEGER NOT NULL DEFAULT 0 CHECK (delay_minutes >= 0),
    delay_from         TEXT NOT NULL DEFAULT 'previous' CHECK (delay_from IN ('start', 'previous')),
    -- task: title, priority, due offset; notification: title is the text.
    title              TEXT,
    priority           TEXT CHECK (priority IN ('low', 'normal', 'high')),
    due_offset_minutes INTEGER,
    -- message: a template and a channel; the personal ones wait in Today for the salesperson.
    template_id        TEXT REFERENCES message_templates (id) ON DELETE SET NULL,
    channel            TEXT CHECK (channel IN ('telegram', 'zalo_oa', 'email', 'zalo_personal',
                                               'telegram_personal', 'zalo_auto', 'zalo_template')),
    UNIQUE (scenario_id, position)
);

CREATE TABLE enrollments (
    id                TEXT PRIMARY KEY NOT NULL,
    scenario_id       TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    customer_id       TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status            TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'paused', 'completed', 'cancelled', 'exited')),
    -- The schedule's anchor for "from start" delays; a resume moves it by the paused time.
    started_at        INTEGER NOT NULL,
    -- When the previous step was done; the anchor for "from previous" delays.
    last_step_at      INTEGER,
    paused_at         INTEGER,
    -- The position of the next step to do, and when it is due (window applied). The scheduler
    -- reads only enrolments whose next_due_at has come, through the partial index below.
    next_position     INTEGER NOT NULL DEFAULT 0,
    next_due_at       INTEGER,
    ended_at          INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE UNIQUE INDEX enrollments_one_live
    ON enrollments (scenario_id, customer_id) WHERE status IN ('active', 'paused');
CREATE INDEX enrollments_due ON enrollments (next_due_at) WHERE status = 'active';
CREATE INDEX enrollments_by_customer ON enrollments (customer_id, created_at);

-- What each step of an enrolment did. The unique key is what makes a step happen at most once:
-- it names the scenario step by its id, which survives edits (moving, adding, removing steps).
CREATE TABLE enrollment_steps (
    id            TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    -- The scenario step this row records (the step may since have been removed).
    step_id       TEXT NOT NULL,
    -- Where the step stood when it ran.
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('task', 'message', 'notification')),
    due_at        INTEGER NOT NULL,
    done_at       INTEGER NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('done', 'skipped', 'failed')),
    task_id       TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    outbox_id     TEXT REFERENCES outbox (id) ON DELETE SET NULL,
    detail        TEXT,
    -- Set when the salesperson has seen a skipped or failed step (it leaves Today).
    seen_at       INTEGER,
    UNIQUE (enrollment_id, step_id)
);

CREATE INDEX enrollment_steps_attention
    ON enrollment_steps (done_at) WHERE outcome IN ('skipped', 'failed') AND seen_at IS NULL;

-- Imports, so "undo this import" can take one back completely: every customer an import created
-- or filled in, with what it filled (JSON {fields, phones, tags}), and the tags it created.
CREATE TABLE imports (
    id            TEXT PRIMARY KEY NOT NULL,
    file_name     TEXT NOT NULL,
    tag           TEXT,
    created_count INTEGER NOT NULL,
    updated_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    invalid_count INTEGER NOT NULL,
    created_tags  TEXT NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    undone_at     INTEGER
);

CREATE TABLE import_changes (
    import_id   TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    filled      TEXT,
    PRIMARY KEY (import_id, customer_id)
);

-- Merges of duplicate customers, each with the rows of every customer involved as they were
-- before it (JSON), so "undo merge" puts them back exactly.
CREATE TABLE merges (
    id         TEXT PRIMARY KEY NOT NULL,
    kept_id    TEXT NOT NULL,
    merged_ids TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    undone_at  INTEGER
);

CREATE INDEX merges_by_kept ON merges (kept_id, created_at);

-- Consent per channel ('all' records "do not contact" set or cleared), as a history: the
-- customer's state on a channel is their latest row. Vietnam's personal data rules ask that
-- when and how consent was given or withdrawn be kept.
CREATE TABLE customer_consents (
    id             TEXT PRIMARY KEY NOT NULL,
    customer_id    TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel        TEXT NOT NULL CHECK (channel IN ('telegram', 'zalo', 'email', 'all')),
    state          TEXT NOT NULL CHECK (state IN ('given', 'withdrawn')),
    method         TEXT NOT NULL CHECK (method IN ('in_person', 'form', 'imported', 'message', 'phone', 'other')),
    note           TEXT,
    -- The customer's message a withdrawal was read from ("STOP", "hủy").
    interaction_id TEXT REFERENCES customer_interactions (id) ON DELETE SET NULL,
    recorded_at    INTEGER NOT NULL
);

CREATE INDEX customer_consents_by_customer ON customer_consents (customer_id, channel, recorded_at);
CREATE INDEX customer_consents_by_interaction ON customer_consents (interaction_id)
    WHERE interaction_id IS NOT NULL;

-- A saved set of criteria (JSON), evaluated live each time it is used.
CREATE TABLE segments (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One message to a segment: channels is JSON [{channel, template_id}] in the preferred order.
-- Times of day are minutes from local midnight; weekdays a bit per day (Monday = 1 … Sunday =
-- 64). next_run_at is when the scheduler starts the next run.
CREATE TABLE campaigns (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    segment_id       TEXT REFERENCES segments (id) ON DELETE SET NULL,
    channels         TEXT NOT NULL,
    repeat           TEXT NOT NULL DEFAULT 'once' CHECK (repeat IN ('once', 'daily', 'weekly', 'monthly')),
    start_at         INTEGER,
    time_min         INTEGER,
    weekdays         INTEGER,
    month_day        INTEGER,
    window_start_min INTEGER,
    window_end_min   INTEGER,
    require_consent  INTEGER NOT NULL DEFAULT 0 CHECK (require_consent IN (0, 1)),
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'done', 'cancelled')),
    next_run_at      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE INDEX campaigns_due ON campaigns (next_run_at) WHERE status = 'scheduled';

-- One run of a campaign: run_key is its local date (a recurring campaign runs once a day at
-- most) or 'once'. The unique key makes starting the same run twice start it once.
CREATE TABLE campaign_runs (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    run_key     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'enqueuing' CHECK (status IN ('enqueuing', 'enqueued')),
    started_at  INTEGER NOT NULL,
    enqueued_at INTEGER,
    UNIQUE (campaign_id, run_key)
);

-- Each customer a run considered: the channel chosen and its outbox message, or why they were
-- skipped. The message's key is campaign:<campaign>:<run_key>:<customer>.
CREATE TABLE campaign_recipients (
    id          TEXT PRIMARY KEY NOT NULL,
    run_id      TEXT NOT NULL REFERENCES campaign_runs (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel     TEXT,
    skip_reason TEXT,
    skip_detail TEXT,
    outbox_id   TEXT REFERENCES outbox (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (run_id, customer_id)
);

CREATE INDEX campaign_recipients_by_customer ON campaign_recipients (customer_id, run_id);
