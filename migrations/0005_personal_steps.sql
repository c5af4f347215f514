-- Migration 5: scenario message steps may use the salesperson's own Zalo or Telegram (the
-- message waits in Today until they send it by hand). SQLite cannot change a CHECK, so the steps
-- table is rebuilt with the same rows.

ALTER TABLE scenario_steps RENAME TO scenario_steps_before_personal;

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
                                               'telegram_personal')),
    UNIQUE (scenario_id, position)
);

INSERT INTO scenario_steps (id, scenario_id, position, kind, delay_days, delay_hours, delay_minutes,
        delay_from, title, priority, due_offset_minutes, template_id, channel)
SELECT id, scenario_id, position, kind, delay_days, delay_hours, delay_minutes, delay_from, title,
       priority, due_offset_minutes, template_id, channel
FROM scenario_steps_before_personal;

DROP TABLE scenario_steps_before_personal;
