//! The scenario scheduler: runs the steps that have come due, exactly once, in order.
//!
//! A pass reads only enrolments whose `next_due_at` has come (a partial index), so its cost
//! follows the number of due steps, not the number of enrolments. Each enrolment is handled in
//! one transaction: the effects of its due steps (task rows, outbox rows), their log lines and
//! the enrolment's advance commit together or not at all, and the log's unique
//! (enrolment, position) key makes a second run of the same step impossible. A process killed
//! mid-way leaves the enrolment as it was before the transaction, to be run again in full.
//!
//! Time comes from the caller (`now`), so laptop sleep, days closed, and a clock that jumps
//! backwards are just values: late steps follow the catch-up policy; a backwards jump makes
//! nothing due that was not, and nothing done is undone.

use crate::care::model::step_done;
use crate::messaging::templates::Me;
use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::calendar::Zone;
use crate::base::error::Result;
use crate::base::ids::{CustomerId, EnrollmentId, ScenarioId};
use crate::base::time::UtcMillis;
use crate::care::enrollments::reschedule;
use crate::care::model::step_message_key;
use crate::care::model::{
    scenario_definition, CatchUp, EnrollmentProgress, Scenario, Step, StepKind, StepOutcome,
};
use crate::care::plan::{local_date, render_step, step_zalo_payload};
use crate::care::timing;
use crate::crm::customers::get_customer;
use crate::crm::rollups::refresh_rollups;
use crate::crm::tasks::{self, Priority};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::consent::contact_block;
use crate::messaging::frequency;
use crate::messaging::outbox::{
    self, recipient_for, MessageOrigin, NewMessage, OutboxStatus, SendChannel,
};

/// A notification step for the salesperson, shown by the app after its step committed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepNotification {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub scenario_name: String,
    pub text: String,
}

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepReport {
    pub done: usize,
    pub skipped: usize,
    pub failed: usize,
    pub completed: usize,
    /// Messages queued in the outbox (the sender should be woken).
    pub messages: usize,
    /// Personal messages now waiting in Today for the salesperson.
    pub waiting: usize,
    pub notifications: Vec<StepNotification>,
    /// When the next step is due, if any.
    pub next_due: Option<UtcMillis>,
}

impl StepReport {
    /// Adds what one enrolment's run did.
    fn merge(&mut self, other: StepReport) {
        self.done += other.done;
        self.skipped += other.skipped;
        self.failed += other.failed;
        self.completed += other.completed;
        self.messages += other.messages;
        self.waiting += other.waiting;
        self.notifications.extend(other.notifications);
    }

    /// Whether anything the UI shows changed.
    pub fn changed(&self) -> bool {
        self.done + self.skipped + self.failed + self.completed > 0
    }
}

/// Called after a due enrolment's effects are written and before they commit. Tests use it to
/// kill the process at the worst moment; the app passes nothing.
pub type BeforeCommit<'a> = Option<&'a dyn Fn(&EnrollmentId)>;

/// How many due enrolments a pass reads at once.
const BATCH: i64 = 500;

impl Store {
    /// When the next enrolment step is due, if any.
    pub fn next_step_due_at(&self) -> Result<Option<UtcMillis>> {
        Ok(self
            .conn
            .prepare_cached("SELECT min(next_due_at) FROM enrollments WHERE status = 'active'")?
            .query_row([], |r| r.get(0))?)
    }

    /// Runs every step due at `now`.
    pub fn run_due_steps(
        &mut self,
        now: UtcMillis,
        before_commit: BeforeCommit<'_>,
    ) -> Result<StepReport> {
        let zone = self.zone.clone();
        let me = self.me()?;
        let mut report = StepReport::default();
        let mut scenarios: HashMap<ScenarioId, Scenario> = HashMap::new();
        let mut seen: Vec<EnrollmentId> = Vec::new();
        loop {
            let due: Vec<(EnrollmentId, ScenarioId)> = self
                .conn
                .prepare_cached(
                    "SELECT id, scenario_id FROM enrollments WHERE status = 'active' AND next_due_at <= ?1
                     ORDER BY next_due_at, id LIMIT ?2",
                )?
                .query_map(params![now, BATCH], |r| {
                    Ok((r.get("id")?, r.get("scenario_id")?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let fresh: Vec<_> = due
                .into_iter()
                .filter(|(id, _)| !seen.contains(id))
                .collect();
            if fresh.is_empty() {
                break;
            }
            // One transaction per batch, paying for one commit instead of hundreds; inside it each
            // enrolment runs in a savepoint of its own, so its step's effects and its advance
            // stay together, and a failure in one becomes a recorded failed step instead of
            // rolling back (and so blocking) every other enrolment of the batch.
            let mut tx = self.write_tx()?;
            for (id, scenario_id) in &fresh {
                let mut one = StepReport::default();
                let sp = tx.savepoint()?;
                let ran = run_one(
                    &sp,
                    id,
                    scenario_id,
                    &mut scenarios,
                    zone.as_ref(),
                    &me,
                    now,
                    &mut one,
                );
                match ran {
                    Ok(()) => {
                        sp.commit()?;
                        report.merge(one);
                    }
                    Err(e) => {
                        // Dropping the savepoint undoes whatever the step had written.
                        drop(sp);
                        record_failure(&tx, id, &e, zone.as_ref(), now)?;
                        report.failed += 1;
                    }
                }
                if let Some(hook) = before_commit {
                    hook(id);
                }
            }
            tx.commit()?;
            seen.extend(fresh.into_iter().map(|(id, _)| id));
        }
        report.next_due = self.next_step_due_at()?;
        if report.messages > 0 {
            self.record(Effects::WAKE_OUTBOX);
        }
        if report.changed() {
            self.record(Effects::DATA_CHANGED);
        }
        Ok(report)
    }
}

/// Runs one due enrolment, loading its scenario once per pass.
#[allow(clippy::too_many_arguments)]
fn run_one(
    conn: &Connection,
    id: &EnrollmentId,
    scenario_id: &ScenarioId,
    scenarios: &mut HashMap<ScenarioId, Scenario>,
    zone: &dyn Zone,
    me: &Me,
    now: UtcMillis,
    report: &mut StepReport,
) -> Result<()> {
    if !scenarios.contains_key(scenario_id) {
        scenarios.insert(scenario_id.clone(), scenario_definition(conn, scenario_id)?);
    }
    run_enrollment(conn, id, &scenarios[scenario_id], zone, me, now, report)
}

/// Where an enrolment stands, if it is still active (it may have been paused or cancelled since
/// the due list was read).
fn active_progress(conn: &Connection, id: &EnrollmentId) -> Result<Option<EnrollmentProgress>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM enrollments WHERE id = ?1 AND status = 'active'",
            EnrollmentProgress::COLUMNS
        ))?
        .query_row([id], EnrollmentProgress::from_row)
        .optional()?)
}

/// Records a step that could not run as a failed step with the reason (the enrolment's log and
/// Today's "needs you" list show it), and moves the enrolment on to its next step, so one bad
/// record never blocks the others, nor itself, pass after pass.
fn record_failure(
    conn: &Connection,
    id: &EnrollmentId,
    error: &crate::base::error::Error,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let Some(e) = active_progress(conn, id)? else {
        return Ok(());
    };
    let step: Option<(String, StepKind)> = conn
        .query_row(
            "SELECT s.id, s.kind FROM scenario_steps s JOIN enrollments e ON e.scenario_id = s.scenario_id
             WHERE e.id = ?1 AND s.position = ?2",
            params![id, e.next_position],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((step_id, kind)) = step else {
        // No step there any more: working out the next one again is all there is to do.
        return reschedule(conn, id, zone, now);
    };
    conn.prepare_cached(
        "INSERT OR IGNORE INTO enrollment_steps (id, enrollment_id, step_id, position, kind, due_at,
             done_at, outcome, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'failed', ?8)",
    )?
    .execute(params![
        uuid::Uuid::now_v7().to_string(),
        id,
        step_id,
        e.next_position,
        kind,
        e.next_due_at.unwrap_or(now),
        now,
        format!("this step could not run: {error}")
    ])?;
    conn.execute(
        "UPDATE enrollments SET last_step_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    // The failed step is in the log now, so the next step is the first one after it not done.
    reschedule(conn, id, zone, now)
}

fn run_enrollment(
    conn: &Connection,
    id: &EnrollmentId,
    s: &Scenario,
    zone: &dyn Zone,
    me: &Me,
    now: UtcMillis,
    report: &mut StepReport,
) -> Result<()> {
    // Paused or cancelled since the due list was read: nothing to run.
    let Some(e) = active_progress(conn, id)? else {
        return Ok(());
    };
    // The whole customer record is read only when a message step needs it.
    let mut customer: Option<crate::crm::customers::Customer> = None;
    // `next_position` is the first step not done (an edit recomputes it); later steps done
    // before an edit moved them are passed over below, never run again.
    let mut position = e.next_position;
    let mut last_step_at = e.last_step_at;
    let mut due_at = e.next_due_at;
    let mut touched_customer = false;
    loop {
        let Some(step) = s.steps.get(position as usize) else {
            conn.prepare_cached(
                "UPDATE enrollments SET status = 'completed', next_position = ?2, last_step_at = ?3,
                     next_due_at = NULL, ended_at = ?4, updated_at = ?4
                 WHERE id = ?1",
            )?
            .execute(params![id, position, last_step_at, now])?;
            report.completed += 1;
            break;
        };
        // The stored due time is authoritative for the first step (it carries the window); later
        // steps in this pass are computed from what was just done.
        let due = due_at.unwrap_or_else(|| {
            timing::due(
                &step.delay(),
                e.started_at,
                last_step_at,
                s.window.as_ref(),
                zone,
            )
        });
        if due > now {
            conn.prepare_cached(
                "UPDATE enrollments SET next_position = ?2, last_step_at = ?3, next_due_at = ?4, updated_at = ?5
                 WHERE id = ?1",
            )?
            .execute(params![id, position, last_step_at, due, now])?;
            break;
        }
        // Outside the send window (the window changed, or the clock moved): wait for it to open.
        if let Some(w) = &s.window {
            let open = w.next_open(now, zone);
            if open > now {
                conn.prepare_cached(
                    "UPDATE enrollments SET next_position = ?2, last_step_at = ?3, next_due_at = ?4, updated_at = ?5
                     WHERE id = ?1",
                )?
                .execute(params![id, position, last_step_at, open, now])?;
                break;
            }
        }
        let late_ms = now - due;
        // A message to someone who said no is skipped; one over the frequency cap waits.
        let mut blocked: Option<StepResult> = None;
        if let (StepKind::Message, Some(channel)) = (step.kind, step.channel) {
            if let Some(block) = contact_block(conn, &e.customer_id, channel, false)? {
                blocked = Some(StepResult {
                    outcome: StepOutcome::Skipped,
                    detail: Some(format!("skipped: {}", block.describe())),
                    ..Default::default()
                });
            } else if !outbox::key_exists(conn, &step_message_key(id, &step.id))? {
                let cap = frequency::check(conn, &e.customer_id, frequency::cap(conn)?, now)?;
                if let Some(until) = cap.wait_until {
                    let at = match &s.window {
                        Some(w) => w.next_open(until, zone),
                        None => until,
                    };
                    conn.prepare_cached(
                        "UPDATE enrollments SET next_position = ?2, last_step_at = ?3, next_due_at = ?4,
                             updated_at = ?5
                         WHERE id = ?1",
                    )?
                    .execute(params![id, position, last_step_at, at, now])?;
                    break;
                }
            }
        }
        let outcome = match (s.catch_up, s.catch_up_max_hours) {
            _ if blocked.is_some() => blocked.take().expect("checked just above"),
            (CatchUp::SkipLate, Some(h)) if late_ms > h * 3_600_000 => StepResult {
                outcome: StepOutcome::Skipped,
                detail: Some(format!(
                    "skipped: {} hours late (the scenario skips steps more than {h} hours late)",
                    late_ms / 3_600_000
                )),
                ..Default::default()
            },
            _ => {
                if customer.is_none() {
                    customer = Some(get_customer(conn, &e.customer_id)?);
                }
                let c = customer.as_ref().expect("loaded just above");
                do_step(conn, id, step, s, c, zone, me, now, report)?
            }
        };
        if outcome.waiting {
            // Nothing more runs until the salesperson confirms or skips the message in Today.
            conn.prepare_cached(
                "UPDATE enrollments SET next_position = ?2, last_step_at = ?3, next_due_at = NULL,
                     updated_at = ?4
                 WHERE id = ?1",
            )?
            .execute(params![id, position, last_step_at, now])?;
            report.waiting += 1;
            break;
        }
        if outcome.task_id.is_some() {
            touched_customer = true;
        }
        match outcome.outcome {
            StepOutcome::Done => report.done += 1,
            StepOutcome::Skipped => report.skipped += 1,
            StepOutcome::Failed => report.failed += 1,
        }
        conn.prepare_cached(
            "INSERT INTO enrollment_steps (id, enrollment_id, step_id, position, kind, due_at, done_at,
                 outcome, task_id, outbox_id, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            uuid::Uuid::now_v7().to_string(),
            id,
            step.id,
            position,
            step.kind,
            due,
            now,
            outcome.outcome,
            outcome.task_id,
            outcome.outbox_id,
            outcome.detail
        ])?;
        position += 1;
        while let Some(next) = s.steps.get(position as usize) {
            if !step_done(conn, id, &next.id)? {
                break;
            }
            position += 1;
        }
        last_step_at = Some(now);
        due_at = None;
    }
    if touched_customer {
        refresh_rollups(conn, &e.customer_id)?;
    }
    Ok(())
}

#[derive(Default)]
struct StepResult {
    /// The step waits for the salesperson (a personal message): not logged yet, the enrolment
    /// stays on it.
    waiting: bool,
    outcome: StepOutcome,
    task_id: Option<crate::base::ids::TaskId>,
    outbox_id: Option<crate::base::ids::OutboxId>,
    detail: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn do_step(
    conn: &Connection,
    enrollment: &EnrollmentId,
    step: &Step,
    s: &Scenario,
    customer: &crate::crm::customers::Customer,
    zone: &dyn Zone,
    me: &Me,
    now: UtcMillis,
    report: &mut StepReport,
) -> Result<StepResult> {
    let failed = |detail: String| StepResult {
        outcome: StepOutcome::Failed,
        detail: Some(detail),
        ..Default::default()
    };
    Ok(match step.kind {
        StepKind::Task => {
            let title = step.title.clone().unwrap_or_else(|| s.name.clone());
            let due = now + step.due_offset_minutes.unwrap_or(0).max(0) * 60_000;
            let task = tasks::insert(
                conn,
                Some(&customer.id),
                None,
                &title,
                due,
                step.priority.unwrap_or(Priority::Normal),
                now,
            )?;
            StepResult {
                task_id: Some(task),
                detail: Some(title),
                ..Default::default()
            }
        }
        StepKind::Notification => {
            let text = step.title.clone().unwrap_or_else(|| s.name.clone());
            report
                .notifications
                .push(scenarios_notification(customer, s, &text));
            StepResult {
                detail: Some(text),
                ..Default::default()
            }
        }
        StepKind::Message => {
            let (Some(template), Some(channel)) = (&step.template_id, step.channel) else {
                return Ok(failed(
                    "the step's template was deleted: edit the scenario".into(),
                ));
            };
            let rendered = match render_step(
                conn,
                template,
                customer,
                channel,
                me,
                &local_date(zone, now),
            ) {
                Ok(r) => r,
                Err(e) => return Ok(failed(format!("the template could not be rendered: {e}"))),
            };
            if rendered.missing.iter().any(|m| m.starts_with("me.")) {
                return Ok(failed(
                    "not sent: your own details (name, phone) are not set: add them in Settings"
                        .to_string(),
                ));
            }
            if !rendered.missing.is_empty() {
                return Ok(failed(format!(
                    "not sent: {} has no value for {}",
                    customer.full_name,
                    rendered
                        .missing
                        .iter()
                        .map(|m| format!("{{{{{m}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if rendered.text.trim().is_empty() && channel != SendChannel::ZaloTemplate {
                return Ok(failed(format!(
                    "not sent: the message is empty for {} (the template's conditions left \
                     nothing to say); edit the template or the customer",
                    customer.full_name
                )));
            }
            let recipient = match recipient_for(customer, channel) {
                Ok(r) => r,
                Err(e) => return Ok(failed(format!("not sent: {e}"))),
            };
            let today = local_date(zone, now);
            let (body_text, zalo_payload) =
                match step_zalo_payload(conn, template, customer, channel, me, &today) {
                    Ok(Some((payload, Some(summary)))) => (summary, Some(payload)),
                    Ok(Some((payload, None))) => (rendered.text, Some(payload)),
                    Ok(None) => (rendered.text, None),
                    Err(e) => return Ok(failed(format!("not sent: {e}"))),
                };
            let id = outbox::enqueue_in(
                conn,
                &NewMessage {
                    channel,
                    recipient,
                    subject: rendered.subject,
                    body_text,
                    body_html: rendered.html,
                    customer_id: Some(customer.id.clone()),
                    template_id: Some(template.clone()),
                    idempotency_key: step_message_key(enrollment, &step.id),
                    zalo_payload,
                    origin: MessageOrigin::Scenario,
                    campaign_id: None,
                },
                now,
            )?;
            report.messages += 1;
            if channel.is_automatic() {
                return Ok(StepResult {
                    outbox_id: Some(id),
                    ..Default::default()
                });
            }
            // A personal Zalo or Telegram message waits in Today for the salesperson to send it
            // from their own app; the step is done when they confirm. Run again (after a resume
            // or an edit), the message prepared before says where it stands.
            match outbox::get_in(conn, &id)?.status {
                OutboxStatus::Queued => StepResult {
                    outbox_id: Some(id),
                    waiting: true,
                    ..Default::default()
                },
                OutboxStatus::Sent => StepResult {
                    outbox_id: Some(id),
                    ..Default::default()
                },
                _ => StepResult {
                    outcome: StepOutcome::Skipped,
                    outbox_id: Some(id),
                    detail: Some("skipped: the personal message was dismissed".into()),
                    ..Default::default()
                },
            }
        }
    })
}

fn scenarios_notification(
    customer: &crate::crm::customers::Customer,
    s: &Scenario,
    text: &str,
) -> StepNotification {
    StepNotification {
        customer_id: customer.id.clone(),
        customer_name: customer.full_name.clone(),
        scenario_name: s.name.clone(),
        text: text.to_string(),
    }
}
