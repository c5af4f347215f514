//! Follow-up tasks and the Today view.
//!
//! Rows are read by name: `Task::COLUMNS` (over `Task::FROM`) is the select list and
//! `Task::from_row` reads exactly those names.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::calendar::TodayBounds;
use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CustomerId, InteractionId, TaskId};
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::crm::rollups::refresh_rollups;
use crate::db::store::Store;

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TaskStatus {
    Open,
    Done,
    Skipped,
}

/// How much a task matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
}

text_enum!(TaskStatus { Open => "open", Done => "done", Skipped => "skipped" });
text_enum!(Priority { Low => "low", Normal => "normal", High => "high" });

/// A follow-up task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Task {
    pub id: TaskId,
    pub customer_id: Option<CustomerId>,
    /// The customer's name, for lists.
    pub customer_name: Option<String>,
    /// The customer's primary phone as a Vietnamese user reads it (`0912 345 678`), so a call
    /// can start from the list.
    pub customer_phone: Option<String>,
    /// The customer's temperature (hot, warm, cold).
    pub customer_temperature: Option<crate::crm::customers::Temperature>,
    /// The first line of the customer's latest note (at most 120 characters): what to remember
    /// before calling.
    pub customer_note: Option<String>,
    pub interaction_id: Option<InteractionId>,
    pub title: String,
    pub notes: Option<String>,
    #[ts(type = "number")]
    pub due_at: UtcMillis,
    pub priority: Priority,
    pub status: TaskStatus,
    #[ts(type = "number | null")]
    pub completed_at: Option<UtcMillis>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
}

/// A task typed by hand.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaskInput {
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    pub title: String,
    #[serde(default)]
    pub notes: Option<String>,
    #[ts(type = "number")]
    pub due_at: UtcMillis,
    #[serde(default)]
    pub priority: Priority,
}

/// Open tasks: overdue, due today, and the next 7 days. Each list is capped; the totals say how
/// many there are in all.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TodayView {
    pub overdue: Vec<Task>,
    pub today: Vec<Task>,
    pub upcoming: Vec<Task>,
    #[ts(type = "number")]
    pub overdue_total: i64,
    #[ts(type = "number")]
    pub today_total: i64,
    #[ts(type = "number")]
    pub upcoming_total: i64,
}

/// How many tasks a Today section lists unless asked for more: enough for a day's work, few enough
/// that the view stays light with thousands of overdue tasks.
pub const TODAY_SECTION_LIMIT: i64 = 50;

impl Store {
    /// Creates a task by hand.
    pub fn create_task(&mut self, input: &TaskInput, now: UtcMillis) -> Result<Task> {
        let title = fold::clean(Some(&input.title))
            .ok_or_else(|| Error::field("title", "task.title_missing", "give the task a title"))?;
        let tx = self.write_tx()?;
        if let Some(c) = &input.customer_id {
            crate::crm::customers::get_customer(&tx, c)?;
        }
        let id = insert(
            &tx,
            input.customer_id.as_ref(),
            None,
            &title,
            input.due_at,
            input.priority,
            now,
        )?;
        if let Some(notes) = fold::clean(input.notes.as_deref()) {
            tx.execute(
                "UPDATE tasks SET notes = ?2 WHERE id = ?1",
                params![id, notes],
            )?;
        }
        if let Some(c) = &input.customer_id {
            refresh_rollups(&tx, c)?;
        }
        let task = get(&tx, &id)?;
        tx.commit()?;
        Ok(task)
    }

    /// Marks a task done.
    pub fn complete_task(&mut self, id: &TaskId, now: UtcMillis) -> Result<Task> {
        self.set_status(id, TaskStatus::Done, now)
    }

    /// Marks a task skipped: not needed any more, kept as history.
    pub fn skip_task(&mut self, id: &TaskId, now: UtcMillis) -> Result<Task> {
        self.set_status(id, TaskStatus::Skipped, now)
    }

    /// Opens a done or skipped task again.
    pub fn reopen_task(&mut self, id: &TaskId, now: UtcMillis) -> Result<Task> {
        self.set_status(id, TaskStatus::Open, now)
    }

    /// Moves a task's due time (and reopens nothing: a closed task stays closed).
    pub fn reschedule_task(
        &mut self,
        id: &TaskId,
        due_at: UtcMillis,
        now: UtcMillis,
    ) -> Result<Task> {
        let tx = self.write_tx()?;
        let task = get(&tx, id)?;
        tx.execute(
            "UPDATE tasks SET due_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, due_at, now],
        )?;
        if let Some(c) = &task.customer_id {
            refresh_rollups(&tx, c)?;
        }
        let task = get(&tx, id)?;
        tx.commit()?;
        Ok(task)
    }

    fn set_status(&mut self, id: &TaskId, status: TaskStatus, now: UtcMillis) -> Result<Task> {
        let tx = self.write_tx()?;
        let task = set_status_in(&tx, id, status, now)?;
        tx.commit()?;
        Ok(task)
    }

    /// A task.
    pub fn get_task(&self, id: &TaskId) -> Result<Task> {
        get(&self.conn, id)
    }

    /// A customer's tasks: open ones by due time, then the closed ones, newest first.
    pub fn customer_tasks(&self, customer: &CustomerId, include_closed: bool) -> Result<Vec<Task>> {
        if !include_closed {
            return open_for_customer(&self.conn, customer);
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM {} WHERE t.customer_id = ?1
             ORDER BY t.status <> 'open', CASE WHEN t.status = 'open' THEN t.due_at ELSE -t.due_at END
             LIMIT 500",
            Task::COLUMNS,
            Task::FROM
        ))?;
        let tasks = stmt
            .query_map([customer], Task::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tasks)
    }

    /// The Today view: open tasks of live customers (or of no customer), split by the bounds,
    /// at most `limit` (1 to 1000) per section.
    pub fn today(&self, b: &TodayBounds, limit: i64) -> Result<TodayView> {
        let limit = limit.clamp(1, 1000);
        let section = |from: Option<UtcMillis>, to: UtcMillis| -> Result<(Vec<Task>, i64)> {
            let from = from.unwrap_or(i64::MIN);
            let filter = "t.status = 'open' AND t.due_at >= ?1 AND t.due_at < ?2
                 AND (t.customer_id IS NULL OR c.deleted_at IS NULL)";
            let total: i64 = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM {} WHERE {filter}",
                    Task::FROM
                ))?
                .query_row(params![from, to], |r| r.get(0))?;
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {} FROM {} WHERE {filter} ORDER BY t.due_at, t.id LIMIT ?3",
                Task::COLUMNS,
                Task::FROM
            ))?;
            let items = stmt
                .query_map(params![from, to, limit], Task::from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok((items, total))
        };
        let (overdue, overdue_total) = section(None, b.today_start)?;
        let (today, today_total) = section(Some(b.today_start), b.tomorrow_start)?;
        let (upcoming, upcoming_total) = section(Some(b.tomorrow_start), b.horizon_end)?;
        Ok(TodayView {
            overdue,
            today,
            upcoming,
            overdue_total,
            today_total,
            upcoming_total,
        })
    }
}

impl Task {
    /// The select list that `from_row` reads, over [`Task::FROM`].
    const COLUMNS: &str = "t.id, t.customer_id, c.full_name AS customer_name, \
        c.phone_number AS customer_phone, c.temperature AS customer_temperature, \
        coalesce((SELECT n.body FROM customer_notes n WHERE n.customer_id = t.customer_id \
                  ORDER BY n.created_at DESC LIMIT 1), c.notes) AS customer_note, \
        t.interaction_id, t.title, t.notes, t.due_at, t.priority, t.status, t.completed_at, \
        t.created_at";

    /// Tasks with their customer's name, for lists; a task may have no customer.
    const FROM: &str = "tasks t LEFT JOIN customers c ON c.id = t.customer_id";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Task> {
        Ok(Task {
            id: r.get("id")?,
            customer_id: r.get("customer_id")?,
            customer_name: r.get("customer_name")?,
            customer_phone: r
                .get::<_, Option<String>>("customer_phone")?
                .map(|p| crate::base::phone::display(&p)),
            customer_temperature: r.get("customer_temperature")?,
            customer_note: r
                .get::<_, Option<String>>("customer_note")?
                .as_deref()
                .and_then(first_line),
            interaction_id: r.get("interaction_id")?,
            title: r.get("title")?,
            notes: r.get("notes")?,
            due_at: r.get("due_at")?,
            priority: r.get("priority")?,
            status: r.get("status")?,
            completed_at: r.get("completed_at")?,
            created_at: r.get("created_at")?,
        })
    }
}

pub(crate) fn get(conn: &Connection, id: &TaskId) -> Result<Task> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM {} WHERE t.id = ?1",
        Task::COLUMNS,
        Task::FROM
    ))?
    .query_row([id], Task::from_row)
    .optional()?
    .ok_or(Error::NotFound("task"))
}

pub(crate) fn open_for_customer(conn: &Connection, customer: &CustomerId) -> Result<Vec<Task>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM {} WHERE t.customer_id = ?1 AND t.status = 'open'
         ORDER BY t.due_at, t.id LIMIT 200",
        Task::COLUMNS,
        Task::FROM
    ))?;
    let tasks = stmt
        .query_map([customer], Task::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tasks)
}

pub(crate) fn insert(
    conn: &Connection,
    customer: Option<&CustomerId>,
    interaction: Option<&InteractionId>,
    title: &str,
    due_at: UtcMillis,
    priority: Priority,
    now: UtcMillis,
) -> Result<TaskId> {
    let id = TaskId::new();
    conn.prepare_cached(
        "INSERT INTO tasks (id, customer_id, interaction_id, title, due_at, priority, status,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?7)",
    )?
    .execute(params![
        id,
        customer,
        interaction,
        title,
        due_at,
        priority,
        now
    ])?;
    Ok(id)
}

/// Sets a task's status inside the caller's transaction, with the customer's roll-ups.
pub(crate) fn set_status_in(
    conn: &Connection,
    id: &TaskId,
    status: TaskStatus,
    now: UtcMillis,
) -> Result<Task> {
    let task = get(conn, id)?;
    let completed_at = (status != TaskStatus::Open).then_some(now);
    conn.execute(
        "UPDATE tasks SET status = ?2, completed_at = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, status, completed_at, now],
    )?;
    if let Some(c) = &task.customer_id {
        refresh_rollups(conn, c)?;
    }
    get(conn, id)
}

/// The first non-blank line of `text`, cut to 120 characters with an ellipsis.
fn first_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        out.push('…');
    }
    Some(out)
}
