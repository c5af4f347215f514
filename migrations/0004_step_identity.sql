-- Migration 4: a scenario's steps keep their identity when the scenario is edited, and what an
-- enrolment did is recorded per step, not per position: moving, adding or removing steps then
-- never repeats a step already done nor skips one still to do.

ALTER TABLE enrollment_steps RENAME TO enrollment_steps_by_position;
DROP INDEX enrollment_steps_attention;

CREATE TABLE enrollment_steps (
    id            TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    -- The scenario step this row records (its id survives edits; the step may since be removed).
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
    seen_at       INTEGER,
    UNIQUE (enrollment_id, step_id)
);

-- Until now steps were rewritten on every save, so a log row's step is the one at its position
-- in the scenario today; a position past the end names a step that was removed.
INSERT INTO enrollment_steps (id, enrollment_id, step_id, position, kind, due_at, done_at,
        outcome, task_id, outbox_id, detail, seen_at)
SELECT l.id, l.enrollment_id,
       coalesce((SELECT s.id FROM scenario_steps s JOIN enrollments e ON e.scenario_id = s.scenario_id
                 WHERE e.id = l.enrollment_id AND s.position = l.position),
                'removed:' || l.position),
       l.position, l.kind, l.due_at, l.done_at, l.outcome, l.task_id, l.outbox_id, l.detail, l.seen_at
FROM enrollment_steps_by_position l;

DROP TABLE enrollment_steps_by_position;

CREATE INDEX enrollment_steps_attention
    ON enrollment_steps (done_at) WHERE outcome IN ('skipped', 'failed') AND seen_at IS NULL;
