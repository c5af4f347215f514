//! The enrolment lifecycle: enrol, pause, resume, cancel, and the next due step.
//!
//! Pausing freezes the schedule; resuming moves the start and the previous step's time by the
//! paused time, so the remaining steps keep their spacing instead of firing in a burst.

use rusqlite::{params, Connection, OptionalExtension};

use crate::base::calendar::Zone;
use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, EnrollmentId, OutboxId, ScenarioId, StepId};
use crate::base::time::UtcMillis;
use crate::care::model::EnrollReport;
use crate::care::model::EnrollTarget;
use crate::care::model::Enrollment;
use crate::care::model::EnrollmentProgress;
use crate::care::model::EnrollmentStatus;
use crate::care::model::Scenario;
use crate::care::model::{first_undone, scenario_definition, step_message_prefix, steps_done};
use crate::care::model::{StepKind, StepOutcome};
use crate::care::timing::{self};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::outbox;

/// Enrols one customer (inside the caller's transaction). `None` when already enrolled.
pub(crate) fn enroll_one(
    conn: &Connection,
    s: &Scenario,
    customer: &CustomerId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<Option<EnrollmentId>> {
    let first = s.steps.first();
    let due = first.map(|st| timing::due(&st.delay(), now, None, s.window.as_ref(), zone));
    let id = EnrollmentId::new();
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO enrollments (id, scenario_id, customer_id, status, started_at,
                 next_position, next_due_at, created_at, updated_at)
             SELECT ?1, ?2, ?3, 'active', ?4, 0, ?5, ?4, ?4
             WHERE EXISTS (SELECT 1 FROM customers WHERE id = ?3 AND deleted_at IS NULL)",
        )?
        .execute(params![id, s.id, customer, now, due])?;
    Ok((n == 1).then_some(id))
}

/// Makes a customer's enrolments that wait on a personal message run their step again now:
/// after a "no" from the customer, the step is then skipped with the reason (its message was
/// withdrawn), instead of waiting in Today for ever.
pub(crate) fn wake_waiting(
    conn: &Connection,
    customer: &CustomerId,
    now: UtcMillis,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE enrollments SET next_due_at = ?2, updated_at = ?2
             WHERE customer_id = ?1 AND status = 'active' AND next_due_at IS NULL",
        )?
        .execute(params![customer, now])?)
}

/// Ends a live enrolment (`cancelled` or `exited`) and cancels the messages its steps queued
/// that have not gone out. Returns whether it was live.
pub(crate) fn end(
    conn: &Connection,
    id: &EnrollmentId,
    status: &str,
    now: UtcMillis,
) -> Result<usize> {
    let n = conn
        .prepare_cached(
            "UPDATE enrollments SET status = ?2, next_due_at = NULL, ended_at = ?3, updated_at = ?3
             WHERE id = ?1 AND status IN ('active', 'paused')",
        )?
        .execute(params![id, status, now])?;
    if n > 0 {
        cancel_queued_messages(conn, id, now)?;
    }
    Ok(n)
}

/// Cancels the queued, unsent messages of an enrolment's steps.
fn cancel_queued_messages(conn: &Connection, id: &EnrollmentId, now: UtcMillis) -> Result<usize> {
    outbox::cancel_queued_with_key_prefix(conn, &step_message_prefix(id), now)
}

/// Recomputes the next step and its due time of one live enrolment from its scenario's current
/// definition.
pub(crate) fn reschedule(
    conn: &Connection,
    id: &EnrollmentId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let e = conn
        .prepare_cached(&format!(
            "SELECT {} FROM enrollments WHERE id = ?1",
            EnrollmentProgress::COLUMNS
        ))?
        .query_row([id], EnrollmentProgress::from_row)?;
    if !matches!(
        e.status,
        EnrollmentStatus::Active | EnrollmentStatus::Paused
    ) {
        return Ok(());
    }
    let s = scenario_definition(conn, &e.scenario_id)?;
    // The next step is the first one, in the scenario's current order, this enrolment has not
    // done: after an edit that moved, added or removed steps, nothing done runs again and
    // nothing not done is skipped.
    let position = first_undone(&s.steps, &steps_done(conn, id)?, 0);
    if position as i64 != e.next_position {
        conn.execute(
            "UPDATE enrollments SET next_position = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, position as i64, now],
        )?;
    }
    if e.status == EnrollmentStatus::Paused {
        // Its due time is worked out when it resumes.
        return Ok(());
    }
    let next = s.steps.get(position);
    match next {
        None => {
            conn.execute(
                "UPDATE enrollments SET status = 'completed', next_due_at = NULL, ended_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        Some(step) => {
            let due = if s.active {
                Some(timing::due(
                    &step.delay(),
                    e.started_at,
                    e.last_step_at,
                    s.window.as_ref(),
                    zone,
                ))
            } else {
                None
            };
            conn.execute(
                "UPDATE enrollments SET next_due_at = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, due, now],
            )?;
        }
    }
    Ok(())
}

pub(crate) fn reschedule_scenario(
    conn: &Connection,
    id: &ScenarioId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let ids: Vec<EnrollmentId> = conn
        .prepare_cached(
            "SELECT id FROM enrollments WHERE scenario_id = ?1 AND status IN ('active', 'paused')",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for e in &ids {
        reschedule(conn, e, zone, now)?;
    }
    Ok(())
}

impl Store {
    /// Cancels every live enrolment of a scenario. Returns how many.
    pub fn cancel_scenario_enrollments(
        &mut self,
        id: &ScenarioId,
        now: UtcMillis,
    ) -> Result<usize> {
        let tx = self.write_tx()?;
        let live: Vec<EnrollmentId> = tx
            .prepare_cached(
                "SELECT id FROM enrollments WHERE scenario_id = ?1 AND status IN ('active', 'paused')",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for e in &live {
            end(&tx, e, "cancelled", now)?;
        }
        tx.commit()?;
        self.record(Effects::WAKE_CARE);
        Ok(live.len())
    }

    /// Enrols customers (a list, or everyone with a tag) in an active scenario, in one
    /// transaction. Customers already enrolled are counted, not enrolled twice.
    pub fn enroll(
        &mut self,
        scenario: &ScenarioId,
        target: &EnrollTarget,
        now: UtcMillis,
    ) -> Result<EnrollReport> {
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        let s = scenario_definition(&tx, scenario)?;
        if !s.active {
            return Err(Error::conflict(
                "scenario.switched_off",
                format!(
                    "“{}” is switched off: switch it on to enrol customers",
                    s.name
                ),
            )
            .with("name", &s.name));
        }
        let ids: Vec<CustomerId> = match target {
            EnrollTarget::Customers { ids } => ids.clone(),
            EnrollTarget::Tag { tag_id } => tx
                .prepare_cached(
                    "SELECT ct.customer_id FROM customer_tags ct JOIN customers c ON c.id = ct.customer_id
                     WHERE ct.tag_id = ?1 AND c.deleted_at IS NULL",
                )?
                .query_map([tag_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        };
        let mut report = EnrollReport::default();
        for c in &ids {
            if enroll_one(&tx, &s, c, zone.as_ref(), now)?.is_some() {
                report.enrolled += 1;
            } else {
                report.already += 1;
            }
        }
        tx.commit()?;
        self.record(Effects::WAKE_CARE);
        Ok(report)
    }

    /// Pauses an active enrolment: no step runs until it is resumed.
    pub fn pause_enrollment(&mut self, id: &EnrollmentId, now: UtcMillis) -> Result<Enrollment> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE enrollments SET status = 'paused', paused_at = ?2, next_due_at = NULL, updated_at = ?2
             WHERE id = ?1 AND status = 'active'",
            params![id, now],
        )?;
        // A paused enrolment sends nothing: a step message still waiting on a retry is cancelled,
        // and resuming does not bring it back.
        cancel_queued_messages(&tx, id, now)?;
        tx.commit()?;
        self.expect_changed(
            n,
            id,
            "enrollment.not_active",
            "only an active enrolment can be paused",
        )
    }

    /// Resumes a paused enrolment; the paused time shifts the remaining steps.
    pub fn resume_enrollment(&mut self, id: &EnrollmentId, now: UtcMillis) -> Result<Enrollment> {
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        let paused_at: Option<UtcMillis> = tx
            .query_row(
                "SELECT paused_at FROM enrollments WHERE id = ?1 AND status = 'paused'",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let Some(paused_at) = paused_at else {
            drop(tx);
            return Err(Error::conflict(
                "enrollment.not_paused",
                "only a paused enrolment can be resumed",
            ));
        };
        // A clock that went backwards must not move the schedule backwards.
        let shift = (now - paused_at).max(0);
        tx.execute(
            "UPDATE enrollments SET status = 'active', paused_at = NULL, started_at = started_at + ?2,
                 last_step_at = last_step_at + ?2, updated_at = ?3
             WHERE id = ?1",
            params![id, shift, now],
        )?;
        reschedule(&tx, id, zone.as_ref(), now)?;
        tx.commit()?;
        self.record(Effects::WAKE_CARE);
        self.get_enrollment(id)
    }

    /// Cancels an active or paused enrolment.
    pub fn cancel_enrollment(&mut self, id: &EnrollmentId, now: UtcMillis) -> Result<Enrollment> {
        let tx = self.write_tx()?;
        let n = end(&tx, id, "cancelled", now)?;
        tx.commit()?;
        self.expect_changed(
            n,
            id,
            "enrollment.ended",
            "this enrolment has already ended",
        )
    }

    /// The enrolment after a status change, or the conflict `key` when nothing changed.
    pub(crate) fn expect_changed(
        &mut self,
        n: usize,
        id: &EnrollmentId,
        key: &'static str,
        why: &str,
    ) -> Result<Enrollment> {
        let e = self.get_enrollment(id)?;
        if n == 0 {
            return Err(Error::conflict(key, why));
        }
        self.record(Effects::WAKE_CARE);
        Ok(e)
    }
}

/// Finishes a step that waited for the salesperson (a personal message they sent, or skipped):
/// records it and moves the enrolment on, so the next step's delay counts from now.
pub(crate) fn finish_waiting_step(
    conn: &Connection,
    enrollment: &EnrollmentId,
    step: &StepId,
    outcome: StepOutcome,
    outbox_id: &OutboxId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let found: Option<(i64, StepKind)> = conn
        .query_row(
            "SELECT s.position, s.kind FROM scenario_steps s
             JOIN enrollments e ON e.scenario_id = s.scenario_id
             WHERE e.id = ?1 AND s.id = ?2",
            params![enrollment, step],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // The step may have been removed from the scenario meanwhile: it is still recorded.
    let (position, kind) = found.unwrap_or((-1, StepKind::Message));
    let detail = (outcome == StepOutcome::Skipped).then_some("skipped by the salesperson");
    conn.execute(
        "INSERT INTO enrollment_steps (id, enrollment_id, step_id, position, kind, due_at, done_at,
             outcome, outbox_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9)
         ON CONFLICT (enrollment_id, step_id) DO UPDATE SET outcome = excluded.outcome,
             outbox_id = excluded.outbox_id, done_at = excluded.done_at, detail = excluded.detail,
             seen_at = excluded.done_at",
        params![
            uuid::Uuid::now_v7().to_string(),
            enrollment,
            step,
            position,
            kind,
            now,
            outcome,
            outbox_id,
            detail
        ],
    )?;
    conn.execute(
        "UPDATE enrollments SET last_step_at = ?2, updated_at = ?2
         WHERE id = ?1 AND status IN ('active', 'paused')",
        params![enrollment, now],
    )?;
    reschedule(conn, enrollment, zone, now)
}
