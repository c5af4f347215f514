//! Care scenarios: what they are and how they are read. A scenario is ordered follow-up steps (a
//! task, a message through the outbox, or a notification to the salesperson); an enrolment is
//! one customer going through them.
//!
//! Invariants:
//! - One live (active or paused) enrolment per customer and scenario (a partial unique index).
//! - An enrolment stores the position of its next step and when it is due, with the send window
//!   applied; the step runner reads only due enrolments (`step_runner.rs`).
//!
//! Rows are read by name: each row type has a `COLUMNS` select list (with a `FROM` when it
//! spans a join) and a `from_row` that reads exactly those names.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::{
    CustomerId, EnrollmentId, OutboxId, ScenarioId, StepId, TagId, TaskId, TemplateId,
};
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::care::timing::{Delay, DelayFrom, SendWindow};
use crate::crm::tasks::Priority;
use crate::db::store::Store;
use crate::messaging::consent::ContactBlock;
use crate::messaging::outbox::SendChannel;
use crate::messaging::templates::Rendered;
use crate::messaging::zalo_routing::RoutePreview;

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

text_enum!(Trigger { Manual => "manual", CustomerCreated => "customer_created", TagAdded => "tag_added" });

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

text_enum!(CatchUp { SendLate => "send_late", SkipLate => "skip_late" });

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepKind {
    Task,
    Message,
    Notification,
}

text_enum!(StepKind { Task => "task", Message => "message", Notification => "notification" });

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

text_enum!(EnrollmentStatus { Active => "active", Paused => "paused", Completed => "completed", Cancelled => "cancelled", Exited => "exited" });

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

text_enum!(StepOutcome { Done => "done", Skipped => "skipped", Failed => "failed" });

text_enum!(DelayFrom { Start => "start", Previous => "previous" });

/// A step as the builder sends it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepInput {
    /// The saved step this is, when editing: a step keeps its id when moved, so what
    /// enrolments already did stays done. `None` (or an id this scenario does not have) adds a
    /// new step.
    #[serde(default)]
    pub id: Option<StepId>,
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
    /// The scenario step this records (it may since have been removed from the scenario).
    pub step_id: String,
    /// Where the step stood when it ran.
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
    /// A Zalo (automatic or template) message: the route it would take if it went now, why,
    /// and its cost. The windows may have moved by the time it is due.
    pub route: Option<RoutePreview>,
    /// A message the customer said no to (do not contact, consent withdrawn): it is skipped.
    pub blocked: Option<ContactBlock>,
    /// A message over the frequency cap at its due time (counting what is queued or sent
    /// now): it waits until then.
    #[ts(type = "number | null")]
    pub waits_until: Option<UtcMillis>,
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

/// Where an enrolment is in its scenario: what the scheduler reads to run or reschedule it.
pub(crate) struct EnrollmentProgress {
    pub(crate) scenario_id: ScenarioId,
    pub(crate) customer_id: CustomerId,
    pub(crate) status: EnrollmentStatus,
    pub(crate) next_position: i64,
    pub(crate) next_due_at: Option<UtcMillis>,
    pub(crate) started_at: UtcMillis,
    pub(crate) last_step_at: Option<UtcMillis>,
}

impl EnrollmentProgress {
    /// The select list of `enrollments` that `from_row` reads.
    pub(crate) const COLUMNS: &str =
        "scenario_id, customer_id, status, next_position, next_due_at, started_at, last_step_at";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<EnrollmentProgress> {
        Ok(EnrollmentProgress {
            scenario_id: r.get("scenario_id")?,
            customer_id: r.get("customer_id")?,
            status: r.get("status")?,
            next_position: r.get("next_position")?,
            next_due_at: r.get("next_due_at")?,
            started_at: r.get("started_at")?,
            last_step_at: r.get("last_step_at")?,
        })
    }
}

impl Scenario {
    /// The select list over `scenarios s` that `from_row` reads, besides `enrolled_live` and
    /// `enrolled_total`, which a query adds as [`ENROLMENT_COUNTS`] or [`NO_ENROLMENT_COUNTS`].
    const COLUMNS: &str = "s.id, s.name, s.description, s.target, s.trigger, s.trigger_tag, \
        s.active, s.exit_on_reply, s.window_start_min, s.window_end_min, s.window_days, \
        s.catch_up, s.catch_up_max_hours, s.created_at, s.updated_at";

    /// A scenario from its row, steps left empty for the caller to fill.
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Scenario> {
        // The window is stored as three columns, all set or all null.
        let window = match (
            r.get::<_, Option<i64>>("window_start_min")?,
            r.get::<_, Option<i64>>("window_end_min")?,
            r.get::<_, Option<i64>>("window_days")?,
        ) {
            (Some(s), Some(e), Some(d)) => Some(SendWindow {
                start_min: s as u16,
                end_min: e as u16,
                days: d as u8,
            }),
            _ => None,
        };
        Ok(Scenario {
            id: r.get("id")?,
            name: r.get("name")?,
            description: r.get("description")?,
            target: r.get("target")?,
            trigger: r.get("trigger")?,
            trigger_tag: r.get("trigger_tag")?,
            active: r.get("active")?,
            exit_on_reply: r.get("exit_on_reply")?,
            window,
            catch_up: r.get("catch_up")?,
            catch_up_max_hours: r.get("catch_up_max_hours")?,
            steps: Vec::new(),
            enrolled_live: r.get("enrolled_live")?,
            enrolled_total: r.get("enrolled_total")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        })
    }
}

/// A scenario's enrolment counts, for [`Scenario::COLUMNS`]: live (active or paused) and all.
const ENROLMENT_COUNTS: &str = "(SELECT count(*) FROM enrollments e \
        WHERE e.scenario_id = s.id AND e.status IN ('active', 'paused')) AS enrolled_live, \
    (SELECT count(*) FROM enrollments e WHERE e.scenario_id = s.id) AS enrolled_total";

/// The counts left out (-1), where they are not needed and would cost a scan of the enrolments.
const NO_ENROLMENT_COUNTS: &str = "-1 AS enrolled_live, -1 AS enrolled_total";

impl Step {
    /// The select list of `scenario_steps` that `from_row` reads.
    const COLUMNS: &str = "id, position, kind, delay_days, delay_hours, delay_minutes, \
        delay_from, title, priority, due_offset_minutes, template_id, channel";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Step> {
        Ok(Step {
            id: r.get("id")?,
            position: r.get("position")?,
            kind: r.get("kind")?,
            delay_days: r.get("delay_days")?,
            delay_hours: r.get("delay_hours")?,
            delay_minutes: r.get("delay_minutes")?,
            delay_from: r.get("delay_from")?,
            title: r.get("title")?,
            priority: r.get("priority")?,
            due_offset_minutes: r.get("due_offset_minutes")?,
            template_id: r.get("template_id")?,
            channel: r.get("channel")?,
        })
    }
}

impl Enrollment {
    /// The select list that `from_row` reads, over [`Enrollment::FROM`].
    const COLUMNS: &str = "e.id, e.scenario_id, s.name AS scenario_name, e.customer_id, \
        c.full_name AS customer_name, e.status, e.started_at, e.next_position, e.next_due_at, \
        e.created_at, e.ended_at, \
        (SELECT count(*) FROM scenario_steps st WHERE st.scenario_id = e.scenario_id) AS steps_total";

    /// Enrolments with the names of their scenario and customer.
    const FROM: &str = "enrollments e JOIN scenarios s ON s.id = e.scenario_id \
        JOIN customers c ON c.id = e.customer_id";

    /// An enrolment from its row; the next step and the log are left for the caller to fill.
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Enrollment> {
        Ok(Enrollment {
            id: r.get("id")?,
            scenario_id: r.get("scenario_id")?,
            scenario_name: r.get("scenario_name")?,
            customer_id: r.get("customer_id")?,
            customer_name: r.get("customer_name")?,
            status: r.get("status")?,
            started_at: r.get("started_at")?,
            next_position: r.get("next_position")?,
            next_due_at: r.get("next_due_at")?,
            next_step: None,
            steps_total: r.get("steps_total")?,
            created_at: r.get("created_at")?,
            ended_at: r.get("ended_at")?,
            log: Vec::new(),
        })
    }
}

impl StepLog {
    /// The select list of `enrollment_steps` that `from_row` reads.
    const COLUMNS: &str =
        "step_id, position, kind, due_at, done_at, outcome, task_id, outbox_id, detail";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<StepLog> {
        Ok(StepLog {
            step_id: r.get("step_id")?,
            position: r.get("position")?,
            kind: r.get("kind")?,
            due_at: r.get("due_at")?,
            done_at: r.get("done_at")?,
            outcome: r.get("outcome")?,
            task_id: r.get("task_id")?,
            outbox_id: r.get("outbox_id")?,
            detail: r.get("detail")?,
        })
    }
}

pub(crate) fn get_scenario(conn: &Connection, id: &ScenarioId) -> Result<Scenario> {
    load_scenario(conn, id, true)
}

/// A scenario's definition without its enrolment counts, which cost a scan of its enrolments:
/// what the scheduler and the enrol paths need.
pub(crate) fn scenario_definition(conn: &Connection, id: &ScenarioId) -> Result<Scenario> {
    load_scenario(conn, id, false)
}

pub(crate) fn load_scenario(
    conn: &Connection,
    id: &ScenarioId,
    with_counts: bool,
) -> Result<Scenario> {
    let counts = if with_counts {
        ENROLMENT_COUNTS
    } else {
        NO_ENROLMENT_COUNTS
    };
    let mut s = conn
        .prepare_cached(&format!(
            "SELECT {}, {counts} FROM scenarios s WHERE s.id = ?1",
            Scenario::COLUMNS
        ))?
        .query_row([id], Scenario::from_row)
        .optional()?
        .ok_or(Error::NotFound("scenario"))?;
    s.steps = steps_of(conn, id)?;
    Ok(s)
}

pub(crate) fn steps_of(conn: &Connection, id: &ScenarioId) -> Result<Vec<Step>> {
    let steps = conn
        .prepare_cached(&format!(
            "SELECT {} FROM scenario_steps WHERE scenario_id = ?1 ORDER BY position",
            Step::COLUMNS
        ))?
        .query_map([id], Step::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(steps)
}

pub(crate) fn get_enrollment(conn: &Connection, id: &EnrollmentId) -> Result<Enrollment> {
    let mut e = conn
        .prepare_cached(&format!(
            "SELECT {} FROM {} WHERE e.id = ?1",
            Enrollment::COLUMNS,
            Enrollment::FROM
        ))?
        .query_row([id], Enrollment::from_row)
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
        .prepare_cached(&format!(
            "SELECT {} FROM enrollment_steps WHERE enrollment_id = ?1 ORDER BY done_at, position",
            StepLog::COLUMNS
        ))?
        .query_map([id], StepLog::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(e)
}

impl Store {
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
}

/// The idempotency key of the message an enrolment's step queues: one message per step of an
/// enrolment, whatever happens, and whatever edits move the step.
pub(crate) fn step_message_key(enrollment: &EnrollmentId, step: &StepId) -> String {
    format!("{}step:{step}", step_message_prefix(enrollment))
}

/// The ids of the steps an enrolment has done (or skipped, or failed): each happens once.
pub(crate) fn steps_done(
    conn: &Connection,
    enrollment: &EnrollmentId,
) -> Result<std::collections::HashSet<String>> {
    Ok(conn
        .prepare_cached("SELECT step_id FROM enrollment_steps WHERE enrollment_id = ?1")?
        .query_map([enrollment], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Whether an enrolment has done (or skipped, or failed) a step.
pub(crate) fn step_done(
    conn: &Connection,
    enrollment: &EnrollmentId,
    step: &StepId,
) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM enrollment_steps WHERE enrollment_id = ?1 AND step_id = ?2")?
        .query_row(params![enrollment, step], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The position of the first step in `steps` not in `done`, from `from` on: the enrolment's
/// next step. Equal to `steps.len()` when all are done.
pub(crate) fn first_undone(
    steps: &[Step],
    done: &std::collections::HashSet<String>,
    from: usize,
) -> usize {
    (from..steps.len())
        .find(|&i| !done.contains(steps[i].id.as_str()))
        .unwrap_or(steps.len())
}

/// The enrolment and step a message was queued for, read back from its idempotency key.
pub(crate) fn parse_step_message_key(key: &str) -> Option<(EnrollmentId, StepId)> {
    let rest = key.strip_prefix("enrollment:")?;
    let (enrollment, step) = rest.split_once(":step:")?;
    Some((
        EnrollmentId(enrollment.to_string()),
        StepId(step.to_string()),
    ))
}

/// The start shared by the keys of every message an enrolment queues.
pub(crate) fn step_message_prefix(enrollment: &EnrollmentId) -> String {
    format!("enrollment:{enrollment}:")
}
