-- Migration 3: care scenarios, their steps, enrolments and the log of what each step did.

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
    -- message: a template and a channel.
    template_id        TEXT REFERENCES message_templates (id) ON DELETE SET NULL,
    channel            TEXT CHECK (channel IN ('telegram', 'zalo_oa', 'email')),
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

-- What each step of an enrolment did. The unique key is what makes a step happen at most once.
CREATE TABLE enrollment_steps (
    id            TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
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
    UNIQUE (enrollment_id, position)
);

CREATE INDEX enrollment_steps_attention
    ON enrollment_steps (done_at) WHERE outcome IN ('skipped', 'failed') AND seen_at IS NULL;
