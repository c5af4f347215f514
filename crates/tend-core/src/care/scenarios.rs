//! Care scenarios: ordered follow-up steps (a task, a message through the outbox, or a
//! notification to the salesperson), enrolments per customer, and the plan an enrolment will
//! follow.
//!
//! Invariants:
//! - One live (active or paused) enrolment per customer and scenario (a partial unique index).
//! - An enrolment stores the position of its next step and when it is due, with the send window
//!   applied; the scheduler reads only due enrolments (`scheduler.rs`).
//! - Pausing freezes the schedule; resuming moves the start and the previous step's time by the
//!   paused time, so the remaining steps keep their spacing instead of firing in a burst.
//! - Editing a scenario keeps the steps already done (the log) and recomputes the next step of
//!   every live enrolment from the new definition.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::{get_customer, text_enum};
use crate::error::{Error, Result};
use crate::fold;
use crate::ids::{
    CustomerId, EnrollmentId, OutboxId, ScenarioId, StepId, TagId, TaskId, TemplateId,
};
use crate::outbox::{recipient_for, SendChannel};
use crate::schedule::{self, Delay, DelayFrom, SendWindow, Zone};
use crate::store::Store;
use crate::tasks::Priority;
use crate::templates::{self, RenderInput, Rendered};
use crate::time::UtcMillis;

/// What starts an enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Trigger {
    /// The salesperson enrols customers.
    #[default]
    Manual,
    /// Every new customer is enrolled.
    CustomerCreated,
    /// A customer is enrolled when they get `trigger_tag`.
    TagAdded,
}

/// What to do with a step found late (the laptop slept, or Tend was closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CatchUp {
    /// Do it now, late.
    #[default]
    SendLate,
    /// Skip it (and record that) when it is more than `catch_up_max_hours` late.
    SkipLate,
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepKind {
    Task,
    Message,
    Notification,
}

/// Where an enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EnrollmentStatus {
    Active,
    Paused,
    Completed,
    Cancelled,
    /// The customer replied and the scenario exits on reply.
    Exited,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepOutcome {
    #[default]
    Done,
    Skipped,
    Failed,
}

text_enum!(Trigger { Manual => "manual", CustomerCreated => "customer_created", TagAdded => "tag_added" });
text_enum!(CatchUp { SendLate => "send_late", SkipLate => "skip_late" });
text_enum!(StepKind { Task => "task", Message => "message", Notification => "notification" });
text_enum!(EnrollmentStatus { Active => "active", Paused => "paused", Completed => "completed", Cancelled => "cancelled", Exited => "exited" });
text_enum!(StepOutcome { Done => "done", Skipped => "skipped", Failed => "failed" });
text_enum!(DelayFrom { Start => "start", Previous => "previous" });

/// A step as the builder sends it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepInput {
    pub kind: StepKind,
    #[serde(default)]
    #[ts(type = "number")]
    pub delay_days: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub delay_hours: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub delay_minutes: i64,
    #[serde(default)]
    pub delay_from: DelayFrom,
    /// The task's title, or the notification's text.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// A task is due this many minutes after it is created.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub due_offset_minutes: Option<i64>,
    #[serde(default)]
    pub template_id: Option<TemplateId>,
    #[serde(default)]
    pub channel: Option<SendChannel>,
}

/// A stored step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Step {
    pub id: StepId,
    #[ts(type = "number")]
    pub position: i64,
    pub kind: StepKind,
    #[ts(type = "number")]
    pub delay_days: i64,
    #[ts(type = "number")]
    pub delay_hours: i64,
    #[ts(type = "number")]
    pub delay_minutes: i64,
    pub delay_from: DelayFrom,
    pub title: Option<String>,
    pub priority: Option<Priority>,
    #[ts(type = "number | null")]
    pub due_offset_minutes: Option<i64>,
    pub template_id: Option<TemplateId>,
    pub channel: Option<SendChannel>,
}

impl Step {
    /// The step's delay.
    pub fn delay(&self) -> Delay {
        Delay {
            days: self.delay_days,
            hours: self.delay_hours,
            minutes: self.delay_minutes,
            from: self.delay_from,
        }
    }
}

/// A scenario as the builder sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ScenarioInput {
    pub name: String,
    pub description: Option<String>,
    pub target: Option<String>,
    pub trigger: Trigger,
    pub trigger_tag: Option<String>,
    pub exit_on_reply: bool,
    pub window: Option<SendWindow>,
    pub catch_up: CatchUp,
    #[ts(type = "number | null")]
    pub catch_up_max_hours: Option<i64>,
    pub steps: Vec<StepInput>,
}

/// A stored scenario with its steps and enrolment counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Scenario {
    pub id: ScenarioId,
    pub name: String,
    pub description: Option<String>,
    pub target: Option<String>,
    pub trigger: Trigger,
    pub trigger_tag: Option<String>,
    pub active: bool,
    pub exit_on_reply: bool,
    pub window: Option<SendWindow>,
    pub catch_up: CatchUp,
    #[ts(type = "number | null")]
    pub catch_up_max_hours: Option<i64>,
    pub steps: Vec<Step>,
    /// Active and paused enrolments.
    #[ts(type = "number")]
    pub enrolled_live: i64,
    #[ts(type = "number")]
    pub enrolled_total: i64,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
}

/// One line of an enrolment's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepLog {
    #[ts(type = "number")]
    pub position: i64,
    pub kind: StepKind,
    #[ts(type = "number")]
    pub due_at: UtcMillis,
    #[ts(type = "number")]
    pub done_at: UtcMillis,
    pub outcome: StepOutcome,
    pub task_id: Option<TaskId>,
    pub outbox_id: Option<OutboxId>,
    pub detail: Option<String>,
}

/// A customer's enrolment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Enrollment {
    pub id: EnrollmentId,
    pub scenario_id: ScenarioId,
    pub scenario_name: String,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub status: EnrollmentStatus,
    #[ts(type = "number")]
    pub started_at: UtcMillis,
    #[ts(type = "number")]
    pub next_position: i64,
    #[ts(type = "number | null")]
    pub next_due_at: Option<UtcMillis>,
    /// The next step, when there is one.
    pub next_step: Option<Step>,
    #[ts(type = "number")]
    pub steps_total: i64,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number | null")]
    pub ended_at: Option<UtcMillis>,
    pub log: Vec<StepLog>,
}

/// A step of the plan shown before enrolling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedStep {
    #[ts(type = "number")]
    pub position: i64,
    pub kind: StepKind,
    #[ts(type = "number")]
    pub due_at: UtcMillis,
    pub title: Option<String>,
    pub channel: Option<SendChannel>,
    /// The message as this customer would get it.
    pub rendered: Option<Rendered>,
    /// What would make this step fail for this customer (a missing variable, no address).
    pub problem: Option<String>,
}

/// The result of enrolling several customers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnrollReport {
    #[ts(type = "number")]
    pub enrolled: i64,
    /// Already enrolled (active or paused) in this scenario.
    #[ts(type = "number")]
    pub already: i64,
}

/// Whom to enrol.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum EnrollTarget {
    Customers { ids: Vec<CustomerId> },
    Tag { tag_id: TagId },
}

/// An automatic step coming today, or one that needs the salesperson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioItem {
    pub enrollment_id: EnrollmentId,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub scenario_name: String,
    #[ts(type = "number")]
    pub position: i64,
    pub kind: StepKind,
    pub title: Option<String>,
    #[ts(type = "number")]
    pub at: UtcMillis,
    /// For attention items: skipped or failed.
    pub outcome: Option<StepOutcome>,
    pub detail: Option<String>,
}

/// The scenario part of Today.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioToday {
    pub upcoming: Vec<ScenarioItem>,
    pub attention: Vec<ScenarioItem>,
}

struct Clean {
    name: String,
    description: Option<String>,
    target: Option<String>,
    trigger_tag: Option<String>,
    steps: Vec<StepInput>,
}

/// An error about step `n` (1-based): the UI puts it on that step from the `step` parameter.
fn step_error(n: usize, key: &'static str, what: &str) -> Error {
    Error::field("steps", key, format!("step {n}: {what}")).with("step", n)
}

fn validate(conn: &Connection, input: &ScenarioInput) -> Result<Clean> {
    let name = fold::clean(Some(&input.name))
        .ok_or_else(|| Error::field("name", "scenario.name_missing", "give the scenario a name"))?;
    if input.steps.is_empty() {
        return Err(Error::field(
            "steps",
            "scenario.no_steps",
            "add at least one step",
        ));
    }
    if input.steps.len() > 50 {
        return Err(Error::field(
            "steps",
            "scenario.too_many_steps",
            "a scenario has at most 50 steps",
        )
        .with("max", 50));
    }
    let trigger_tag = fold::clean(input.trigger_tag.as_deref());
    if input.trigger == Trigger::TagAdded && trigger_tag.is_none() {
        return Err(Error::field(
            "trigger_tag",
            "scenario.trigger_tag_missing",
            "choose the tag that enrols a customer",
        ));
    }
    if let Some(w) = &input.window {
        if !w.is_valid() {
            return Err(Error::field(
                "window",
                "scenario.window_invalid",
                "the send window needs hours and at least one day",
            ));
        }
    }
    if input.catch_up == CatchUp::SkipLate && input.catch_up_max_hours.is_none_or(|h| h < 0) {
        return Err(Error::field(
            "catch_up_max_hours",
            "scenario.catch_up_hours_missing",
            "say how many hours late a step may be before it is skipped",
        ));
    }
    let mut steps = Vec::with_capacity(input.steps.len());
    for (i, s) in input.steps.iter().enumerate() {
        let n = i + 1;
        if s.delay_days < 0 || s.delay_hours < 0 || s.delay_minutes < 0 {
            return Err(step_error(
                n,
                "step.delay_negative",
                "delays cannot be negative",
            ));
        }
        if s.delay_days > 3650 {
            return Err(step_error(
                n,
                "step.delay_too_long",
                "the delay is longer than ten years",
            ));
        }
        let mut s = s.clone();
        s.title = fold::clean(s.title.as_deref());
        match s.kind {
            StepKind::Task | StepKind::Notification => {
                if s.title.is_none() {
                    return Err(step_error(
                        n,
                        "step.title_missing",
                        &format!("write what the {} says", s.kind.as_str()),
                    )
                    .with("kind", s.kind.as_str()));
                }
            }
            StepKind::Message => {
                let Some(t) = &s.template_id else {
                    return Err(step_error(n, "step.template_missing", "choose a template"));
                };
                let channel = s
                    .channel
                    .ok_or_else(|| step_error(n, "step.channel_missing", "choose a channel"))?;
                if !channel.is_automatic() {
                    return Err(step_error(
                        n,
                        "step.channel_not_automatic",
                        "automatic steps send over the Telegram bot, Zalo OA or email",
                    ));
                }
                let template = templates::get(conn, t)?;
                if !channel.accepts(template.channel) {
                    return Err(step_error(
                        n,
                        "step.template_wrong_channel",
                        &format!(
                            "the template “{}” is not written for this channel",
                            template.name
                        ),
                    )
                    .with("template", &template.name));
                }
            }
        }
        steps.push(s);
    }
    Ok(Clean {
        name,
        description: fold::clean(input.description.as_deref()),
        target: fold::clean(input.target.as_deref()),
        trigger_tag,
        steps,
    })
}

/// Writes a validated definition over a scenario row: its fields and its steps.
fn write_definition(
    conn: &Connection,
    id: &ScenarioId,
    c: &Clean,
    input: &ScenarioInput,
    now: UtcMillis,
) -> Result<()> {
    let (ws, we, wd) = window_columns(input.window.as_ref());
    conn.execute(
        "UPDATE scenarios SET name = ?2, description = ?3, target = ?4, trigger = ?5,
             trigger_tag = ?6, exit_on_reply = ?7, window_start_min = ?8, window_end_min = ?9,
             window_days = ?10, catch_up = ?11, catch_up_max_hours = ?12, updated_at = ?13
         WHERE id = ?1",
        params![
            id,
            c.name,
            c.description,
            c.target,
            input.trigger,
            c.trigger_tag,
            input.exit_on_reply,
            ws,
            we,
            wd,
            input.catch_up,
            input.catch_up_max_hours,
            now
        ],
    )?;
    write_steps(conn, id, &c.steps)
}

fn write_steps(conn: &Connection, scenario: &ScenarioId, steps: &[StepInput]) -> Result<()> {
    conn.execute(
        "DELETE FROM scenario_steps WHERE scenario_id = ?1",
        [scenario],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO scenario_steps (id, scenario_id, position, kind, delay_days, delay_hours,
             delay_minutes, delay_from, title, priority, due_offset_minutes, template_id, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, s) in steps.iter().enumerate() {
        stmt.execute(params![
            StepId::new(),
            scenario,
            i as i64,
            s.kind,
            s.delay_days,
            s.delay_hours,
            s.delay_minutes,
            s.delay_from,
            s.title,
            s.priority,
            s.due_offset_minutes,
            s.template_id,
            s.channel
        ])?;
    }
    Ok(())
}

impl Store {
    /// Creates a scenario (active).
    pub fn create_scenario(&mut self, input: &ScenarioInput, now: UtcMillis) -> Result<Scenario> {
        let tx = self.conn.transaction()?;
        let c = validate(&tx, input)?;
        let id = ScenarioId::new();
        tx.execute(
            "INSERT INTO scenarios (id, name, active, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?3)",
            params![id, c.name, now],
        )?;
        write_definition(&tx, &id, &c, input, now)?;
        let s = get_scenario(&tx, &id)?;
        tx.commit()?;
        Ok(s)
    }

    /// Replaces a scenario's definition. Steps already done stay in the logs; every live
    /// enrolment's next step is recomputed from the new steps.
    pub fn update_scenario(
        &mut self,
        id: &ScenarioId,
        input: &ScenarioInput,
        now: UtcMillis,
    ) -> Result<Scenario> {
        let zone = self.zone.clone();
        let tx = self.conn.transaction()?;
        get_scenario(&tx, id)?;
        let c = validate(&tx, input)?;
        write_definition(&tx, id, &c, input, now)?;
        reschedule_scenario(&tx, id, zone.as_ref(), now)?;
        let s = get_scenario(&tx, id)?;
        tx.commit()?;
        Ok(s)
    }

    /// Copies a scenario (inactive until switched on), without its enrolments.
    pub fn duplicate_scenario(
        &mut self,
        id: &ScenarioId,
        suffix: &str,
        now: UtcMillis,
    ) -> Result<Scenario> {
        let s = self.get_scenario(id)?;
        let input = ScenarioInput {
            name: format!("{} {suffix}", s.name),
            description: s.description,
            target: s.target,
            trigger: Trigger::Manual,
            trigger_tag: s.trigger_tag,
            exit_on_reply: s.exit_on_reply,
            window: s.window,
            catch_up: s.catch_up,
            catch_up_max_hours: s.catch_up_max_hours,
            steps: s
                .steps
                .into_iter()
                .map(|st| StepInput {
                    kind: st.kind,
                    delay_days: st.delay_days,
                    delay_hours: st.delay_hours,
                    delay_minutes: st.delay_minutes,
                    delay_from: st.delay_from,
                    title: st.title,
                    priority: st.priority,
                    due_offset_minutes: st.due_offset_minutes,
                    template_id: st.template_id,
                    channel: st.channel,
                })
                .collect(),
        };
        let copy = self.create_scenario(&input, now)?;
        self.set_scenario_active(&copy.id, false, now)
    }

    /// Switches a scenario on or off. Off: no one can be enrolled and its live enrolments wait
    /// (no step runs); on again: they continue from where they were.
    pub fn set_scenario_active(
        &mut self,
        id: &ScenarioId,
        active: bool,
        now: UtcMillis,
    ) -> Result<Scenario> {
        let zone = self.zone.clone();
        let tx = self.conn.transaction()?;
        get_scenario(&tx, id)?;
        tx.execute(
            "UPDATE scenarios SET active = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, active, now],
        )?;
        reschedule_scenario(&tx, id, zone.as_ref(), now)?;
        let s = get_scenario(&tx, id)?;
        tx.commit()?;
        Ok(s)
    }

    /// Deletes a scenario that has no live enrolments (cancel them first).
    pub fn delete_scenario(&mut self, id: &ScenarioId) -> Result<()> {
        let s = self.get_scenario(id)?;
        if s.enrolled_live > 0 {
            return Err(Error::conflict(
                "scenario.still_enrolled",
                format!(
                    "{} customers are still enrolled in “{}”: cancel their enrolments first",
                    s.enrolled_live, s.name
                ),
            )
            .with("count", s.enrolled_live)
            .with("name", &s.name));
        }
        self.conn
            .execute("DELETE FROM scenarios WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Cancels every live enrolment of a scenario. Returns how many.
    pub fn cancel_scenario_enrollments(
        &mut self,
        id: &ScenarioId,
        now: UtcMillis,
    ) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE enrollments SET status = 'cancelled', next_due_at = NULL, ended_at = ?2, updated_at = ?2
             WHERE scenario_id = ?1 AND status IN ('active', 'paused')",
            params![id, now],
        )?)
    }

    /// A scenario.
    pub fn get_scenario(&self, id: &ScenarioId) -> Result<Scenario> {
        get_scenario(&self.conn, id)
    }

    /// Every scenario, by name, with enrolment counts.
    pub fn list_scenarios(&self) -> Result<Vec<Scenario>> {
        let ids: Vec<ScenarioId> = self
            .conn
            .prepare_cached("SELECT id FROM scenarios ORDER BY name COLLATE NOCASE")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|id| get_scenario(&self.conn, id)).collect()
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
        let tx = self.conn.transaction()?;
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
        Ok(report)
    }

    /// Pauses an active enrolment: no step runs until it is resumed.
    pub fn pause_enrollment(&mut self, id: &EnrollmentId, now: UtcMillis) -> Result<Enrollment> {
        let n = self.conn.execute(
            "UPDATE enrollments SET status = 'paused', paused_at = ?2, next_due_at = NULL, updated_at = ?2
             WHERE id = ?1 AND status = 'active'",
            params![id, now],
        )?;
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
        let tx = self.conn.transaction()?;
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
        self.get_enrollment(id)
    }

    /// Cancels an active or paused enrolment.
    pub fn cancel_enrollment(&mut self, id: &EnrollmentId, now: UtcMillis) -> Result<Enrollment> {
        let n = self.conn.execute(
            "UPDATE enrollments SET status = 'cancelled', next_due_at = NULL, ended_at = ?2, updated_at = ?2
             WHERE id = ?1 AND status IN ('active', 'paused')",
            params![id, now],
        )?;
        self.expect_changed(
            n,
            id,
            "enrollment.ended",
            "this enrolment has already ended",
        )
    }

    fn expect_changed(
        &self,
        n: usize,
        id: &EnrollmentId,
        key: &'static str,
        why: &str,
    ) -> Result<Enrollment> {
        let e = self.get_enrollment(id)?;
        if n == 0 {
            return Err(Error::conflict(key, why));
        }
        Ok(e)
    }

    /// An enrolment with its log.
    pub fn get_enrollment(&self, id: &EnrollmentId) -> Result<Enrollment> {
        get_enrollment(&self.conn, id)
    }

    /// A customer's enrolments, newest first.
    pub fn customer_enrollments(&self, customer: &CustomerId) -> Result<Vec<Enrollment>> {
        let ids: Vec<EnrollmentId> = self
            .conn
            .prepare_cached(
                "SELECT id FROM enrollments WHERE customer_id = ?1
                 ORDER BY status NOT IN ('active', 'paused'), created_at DESC LIMIT 100",
            )?
            .query_map([customer], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|id| get_enrollment(&self.conn, id))
            .collect()
    }

    /// A scenario's enrolments: live ones first, newest first (at most 500).
    pub fn scenario_enrollments(&self, scenario: &ScenarioId) -> Result<Vec<Enrollment>> {
        let ids: Vec<EnrollmentId> = self
            .conn
            .prepare_cached(
                "SELECT id FROM enrollments WHERE scenario_id = ?1
                 ORDER BY status NOT IN ('active', 'paused'), created_at DESC LIMIT 500",
            )?
            .query_map([scenario], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|id| get_enrollment(&self.conn, id))
            .collect()
    }

    /// What enrolling `customer` now would do: each step's time (window applied, each step
    /// assumed done when due) and its message for this customer, with anything that would fail.
    pub fn plan(
        &self,
        scenario: &ScenarioId,
        customer: &CustomerId,
        now: UtcMillis,
    ) -> Result<Vec<PlannedStep>> {
        let s = get_scenario(&self.conn, scenario)?;
        let c = get_customer(&self.conn, customer)?;
        let my_name = self.setting("my_name")?;
        let mut out = Vec::with_capacity(s.steps.len());
        let mut last: Option<UtcMillis> = None;
        for step in &s.steps {
            let due = schedule::due(
                &step.delay(),
                now,
                last,
                s.window.as_ref(),
                self.zone.as_ref(),
            );
            let today = local_date(self.zone.as_ref(), due);
            let (rendered, problem) = match (step.kind, &step.template_id, step.channel) {
                (StepKind::Message, Some(t), Some(ch)) => {
                    match render_step(&self.conn, t, &c, ch, my_name.as_deref(), &today) {
                        Ok(r) => {
                            let problem = if !r.missing.is_empty() {
                                Some(format!(
                                    "{} has no value for {}",
                                    c.full_name,
                                    r.missing
                                        .iter()
                                        .map(|m| format!("{{{{{m}}}}}"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ))
                            } else {
                                recipient_for(&c, ch).err().map(|e| e.to_string())
                            };
                            (Some(r), problem)
                        }
                        Err(e) => (None, Some(e.to_string())),
                    }
                }
                (StepKind::Message, None, _) => {
                    (None, Some("the step's template was deleted".into()))
                }
                _ => (None, None),
            };
            out.push(PlannedStep {
                position: step.position,
                kind: step.kind,
                due_at: due,
                title: step.title.clone(),
                channel: step.channel,
                rendered,
                problem,
            });
            last = Some(due);
        }
        Ok(out)
    }

    /// Automatic steps due before `until` (today's end) and steps that need the salesperson.
    pub fn scenario_today(&self, until: UtcMillis, limit: i64) -> Result<ScenarioToday> {
        let upcoming = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.customer_id, c.full_name, s.name, e.next_position, st.kind, st.title,
                        e.next_due_at, NULL, NULL
                 FROM enrollments e
                 JOIN customers c ON c.id = e.customer_id
                 JOIN scenarios s ON s.id = e.scenario_id
                 JOIN scenario_steps st ON st.scenario_id = e.scenario_id AND st.position = e.next_position
                 WHERE e.status = 'active' AND e.next_due_at < ?1 AND c.deleted_at IS NULL
                 ORDER BY e.next_due_at LIMIT ?2",
            )?
            .query_map(params![until, limit], item_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let attention = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.customer_id, c.full_name, s.name, l.position, l.kind, NULL,
                        l.done_at, l.outcome, l.detail
                 FROM enrollment_steps l
                 JOIN enrollments e ON e.id = l.enrollment_id
                 JOIN customers c ON c.id = e.customer_id
                 JOIN scenarios s ON s.id = e.scenario_id
                 WHERE l.outcome IN ('skipped', 'failed') AND l.seen_at IS NULL AND c.deleted_at IS NULL
                 ORDER BY l.done_at DESC LIMIT ?1",
            )?
            .query_map(params![limit], item_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ScenarioToday {
            upcoming,
            attention,
        })
    }

    /// The salesperson has seen a skipped or failed step: it leaves Today.
    pub fn mark_step_seen(
        &mut self,
        enrollment: &EnrollmentId,
        position: i64,
        now: UtcMillis,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE enrollment_steps SET seen_at = ?3 WHERE enrollment_id = ?1 AND position = ?2",
            params![enrollment, position, now],
        )?;
        Ok(())
    }
}

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<ScenarioItem> {
    Ok(ScenarioItem {
        enrollment_id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        scenario_name: r.get(3)?,
        position: r.get(4)?,
        kind: r.get(5)?,
        title: r.get(6)?,
        at: r.get(7)?,
        outcome: r.get(8)?,
        detail: r.get(9)?,
    })
}

fn window_columns(w: Option<&SendWindow>) -> (Option<i64>, Option<i64>, Option<i64>) {
    match w {
        Some(w) => (
            Some(w.start_min as i64),
            Some(w.end_min as i64),
            Some(w.days as i64),
        ),
        None => (None, None, None),
    }
}

/// The local date as templates show it (dd/MM/yyyy).
pub(crate) fn local_date(zone: &dyn Zone, t: UtcMillis) -> String {
    zone.to_local(t).format("%d/%m/%Y").to_string()
}

/// Renders a step's template for a customer.
pub(crate) fn render_step(
    conn: &Connection,
    template: &TemplateId,
    customer: &crate::customers::Customer,
    channel: SendChannel,
    my_name: Option<&str>,
    today: &str,
) -> Result<Rendered> {
    let t = templates::get(conn, template)?;
    let input = RenderInput::for_customer(customer, my_name, today);
    templates::render(
        t.subject.as_deref(),
        &t.body,
        &input,
        channel == SendChannel::Email,
    )
}

pub(crate) fn get_scenario(conn: &Connection, id: &ScenarioId) -> Result<Scenario> {
    load_scenario(conn, id, true)
}

/// A scenario's definition without its enrolment counts, which cost a scan of its enrolments:
/// what the scheduler and the enrol paths need.
pub(crate) fn scenario_definition(conn: &Connection, id: &ScenarioId) -> Result<Scenario> {
    load_scenario(conn, id, false)
}

fn load_scenario(conn: &Connection, id: &ScenarioId, with_counts: bool) -> Result<Scenario> {
    let sql = if with_counts {
        "SELECT id, name, description, target, trigger, trigger_tag, active, exit_on_reply,
             window_start_min, window_end_min, window_days, catch_up, catch_up_max_hours,
             created_at, updated_at,
             (SELECT count(*) FROM enrollments e WHERE e.scenario_id = s.id AND e.status IN ('active', 'paused')),
             (SELECT count(*) FROM enrollments e WHERE e.scenario_id = s.id)
         FROM scenarios s WHERE id = ?1"
    } else {
        "SELECT id, name, description, target, trigger, trigger_tag, active, exit_on_reply,
             window_start_min, window_end_min, window_days, catch_up, catch_up_max_hours,
             created_at, updated_at, -1, -1
         FROM scenarios s WHERE id = ?1"
    };
    let mut s = conn
        .prepare_cached(sql)?
        .query_row([id], |r| {
            let window = match (
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, Option<i64>>(10)?,
            ) {
                (Some(s), Some(e), Some(d)) => Some(SendWindow {
                    start_min: s as u16,
                    end_min: e as u16,
                    days: d as u8,
                }),
                _ => None,
            };
            Ok(Scenario {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                target: r.get(3)?,
                trigger: r.get(4)?,
                trigger_tag: r.get(5)?,
                active: r.get(6)?,
                exit_on_reply: r.get(7)?,
                window,
                catch_up: r.get(11)?,
                catch_up_max_hours: r.get(12)?,
                steps: Vec::new(),
                enrolled_live: r.get(15)?,
                enrolled_total: r.get(16)?,
                created_at: r.get(13)?,
                updated_at: r.get(14)?,
            })
        })
        .optional()?
        .ok_or(Error::NotFound("scenario"))?;
    s.steps = steps_of(conn, id)?;
    Ok(s)
}

pub(crate) fn steps_of(conn: &Connection, id: &ScenarioId) -> Result<Vec<Step>> {
    let steps = conn
        .prepare_cached(
            "SELECT id, position, kind, delay_days, delay_hours, delay_minutes, delay_from, title,
                 priority, due_offset_minutes, template_id, channel
             FROM scenario_steps WHERE scenario_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Step {
                id: r.get(0)?,
                position: r.get(1)?,
                kind: r.get(2)?,
                delay_days: r.get(3)?,
                delay_hours: r.get(4)?,
                delay_minutes: r.get(5)?,
                delay_from: r.get(6)?,
                title: r.get(7)?,
                priority: r.get(8)?,
                due_offset_minutes: r.get(9)?,
                template_id: r.get(10)?,
                channel: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(steps)
}

/// Enrols one customer (inside the caller's transaction). `None` when already enrolled.
pub(crate) fn enroll_one(
    conn: &Connection,
    s: &Scenario,
    customer: &CustomerId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<Option<EnrollmentId>> {
    let first = s.steps.first();
    let due = first.map(|st| schedule::due(&st.delay(), now, None, s.window.as_ref(), zone));
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

/// Recomputes the next due time of one enrolment from its scenario's current definition.
pub(crate) fn reschedule(
    conn: &Connection,
    id: &EnrollmentId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let (scenario, status, next_position, started_at, last_step_at): (ScenarioId, EnrollmentStatus, i64, i64, Option<i64>) = conn
        .prepare_cached(
            "SELECT scenario_id, status, next_position, started_at, last_step_at FROM enrollments WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    if status != EnrollmentStatus::Active {
        return Ok(());
    }
    let s = scenario_definition(conn, &scenario)?;
    let next = s.steps.get(next_position as usize);
    match next {
        None => {
            conn.execute(
                "UPDATE enrollments SET status = 'completed', next_due_at = NULL, ended_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        Some(step) => {
            let due = if s.active {
                Some(schedule::due(
                    &step.delay(),
                    started_at,
                    last_step_at,
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

fn reschedule_scenario(
    conn: &Connection,
    id: &ScenarioId,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let ids: Vec<EnrollmentId> = conn
        .prepare_cached("SELECT id FROM enrollments WHERE scenario_id = ?1 AND status = 'active'")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for e in &ids {
        reschedule(conn, e, zone, now)?;
    }
    Ok(())
}

pub(crate) fn get_enrollment(conn: &Connection, id: &EnrollmentId) -> Result<Enrollment> {
    let mut e = conn
        .prepare_cached(
            "SELECT e.id, e.scenario_id, s.name, e.customer_id, c.full_name, e.status, e.started_at,
                 e.next_position, e.next_due_at, e.created_at, e.ended_at,
                 (SELECT count(*) FROM scenario_steps st WHERE st.scenario_id = e.scenario_id)
             FROM enrollments e JOIN scenarios s ON s.id = e.scenario_id
             JOIN customers c ON c.id = e.customer_id
             WHERE e.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Enrollment {
                id: r.get(0)?,
                scenario_id: r.get(1)?,
                scenario_name: r.get(2)?,
                customer_id: r.get(3)?,
                customer_name: r.get(4)?,
                status: r.get(5)?,
                started_at: r.get(6)?,
                next_position: r.get(7)?,
                next_due_at: r.get(8)?,
                next_step: None,
                steps_total: r.get(11)?,
                created_at: r.get(9)?,
                ended_at: r.get(10)?,
                log: Vec::new(),
            })
        })
        .optional()?
        .ok_or(Error::NotFound("enrolment"))?;
    if matches!(
        e.status,
        EnrollmentStatus::Active | EnrollmentStatus::Paused
    ) {
        e.next_step = steps_of(conn, &e.scenario_id)?
            .into_iter()
            .find(|s| s.position == e.next_position);
    }
    e.log = conn
        .prepare_cached(
            "SELECT position, kind, due_at, done_at, outcome, task_id, outbox_id, detail
             FROM enrollment_steps WHERE enrollment_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(StepLog {
                position: r.get(0)?,
                kind: r.get(1)?,
                due_at: r.get(2)?,
                done_at: r.get(3)?,
                outcome: r.get(4)?,
                task_id: r.get(5)?,
                outbox_id: r.get(6)?,
                detail: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(e)
}

/// An inbound interaction was logged: enrolments of scenarios that exit on reply end.
pub(crate) fn exit_on_reply(
    conn: &Connection,
    customer: &CustomerId,
    now: UtcMillis,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE enrollments SET status = 'exited', next_due_at = NULL, ended_at = ?2, updated_at = ?2
             WHERE customer_id = ?1 AND status IN ('active', 'paused')
               AND scenario_id IN (SELECT id FROM scenarios WHERE exit_on_reply = 1)",
        )?
        .execute(params![customer, now])?)
}

/// Enrols a new customer in the active scenarios triggered by customer creation, and a customer
/// who just got tags in the scenarios those tags trigger.
pub(crate) fn on_customer_saved(
    conn: &Connection,
    customer: &CustomerId,
    created: bool,
    added_tags: &[String],
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let mut ids: Vec<ScenarioId> = Vec::new();
    if created {
        ids.extend(
            conn.prepare_cached(
                "SELECT id FROM scenarios WHERE active = 1 AND trigger = 'customer_created'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<ScenarioId>>>()?,
        );
    }
    for tag in added_tags {
        ids.extend(
            conn.prepare_cached(
                "SELECT id FROM scenarios WHERE active = 1 AND trigger = 'tag_added' AND trigger_tag = ?1 COLLATE NOCASE",
            )?
            .query_map([tag], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<ScenarioId>>>()?,
        );
    }
    for id in ids {
        let s = scenario_definition(conn, &id)?;
        enroll_one(conn, &s, customer, zone, now)?;
    }
    Ok(())
}
