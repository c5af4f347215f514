//! Interactions (calls, visits, messages...) on a customer's timeline, their follow-up tasks, and
//! the customer roll-ups they drive.
//!
//! Invariant: `customers.last_contact_date`, `total_interactions` and `next_follow_up_date` are
//! derived data. Every change to an interaction or a task recomputes them from the source rows in
//! the same transaction (`refresh_rollups`), so edits and deletes can never leave them wrong.
//!
//! Rows are read by name: `Interaction::COLUMNS` is the select list and `Interaction::from_row`
//! reads exactly those names.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CampaignId, CustomerId, InteractionId, TaskId};
use crate::base::page::Page;
use crate::base::text_enum::text_enum;
use crate::base::time::{UtcMillis, DAY_MS};
use crate::crm::customers::MAX_TEXT_CHARS;
use crate::crm::customers::{get_customer, Customer};
use crate::crm::rollups::refresh_rollups;
use crate::crm::tasks::{self, Priority, Task};
use crate::db::store::Store;

/// What kind of contact it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InteractionKind {
    Call,
    Visit,
    Meeting,
    Email,
    Zalo,
    Telegram,
    Sms,
    Note,
}

/// Who reached out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Direction {
    Inbound,
    #[default]
    Outbound,
}

text_enum!(InteractionKind { Call => "call", Visit => "visit", Meeting => "meeting", Email => "email", Zalo => "zalo", Telegram => "telegram", Sms => "sms", Note => "note" });
text_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });

/// The outcomes the form offers; any other text is kept as typed.
pub const KNOWN_OUTCOMES: [&str; 6] = [
    "interested",
    "not_interested",
    "callback",
    "no_answer",
    "successful",
    "follow_up_needed",
];

/// What the "log interaction" form sends.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InteractionInput {
    pub customer_id: CustomerId,
    pub kind: InteractionKind,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub content: Option<String>,
    /// One of [`KNOWN_OUTCOMES`] or free text.
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub duration_minutes: Option<i64>,
    /// When it happened; now when absent.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub occurred_at: Option<UtcMillis>,
    /// The next step; with it a follow-up task is created.
    #[serde(default)]
    pub next_action: Option<String>,
    /// When the next step is due; a day after the interaction when absent.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub next_action_date: Option<UtcMillis>,
    /// The open task this was logged from (a call from Today): it is marked done with it.
    #[serde(default)]
    #[ts(optional)]
    pub complete_task_id: Option<TaskId>,
}

/// An interaction on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Interaction {
    pub id: InteractionId,
    pub customer_id: CustomerId,
    pub kind: InteractionKind,
    pub direction: Direction,
    pub subject: Option<String>,
    pub content: Option<String>,
    pub outcome: Option<String>,
    #[ts(type = "number | null")]
    pub duration_minutes: Option<i64>,
    #[ts(type = "number")]
    pub occurred_at: UtcMillis,
    pub next_action: Option<String>,
    #[ts(type = "number | null")]
    pub next_action_date: Option<UtcMillis>,
    /// The follow-up task this interaction created, if it still exists.
    pub task_id: Option<TaskId>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
    /// The campaign that sent this message, if a campaign did.
    pub campaign_id: Option<CampaignId>,
    pub campaign_name: Option<String>,
    /// A customer's message that reads as "stop sending me messages" ("STOP", "hủy",
    /// "ngừng nhận tin"): the timeline offers to record it as a withdrawal of consent.
    pub asks_to_stop: bool,
}

/// Whether a customer's message asks to stop receiving messages. Short messages only: a long
/// one that mentions "hủy" is usually about cancelling an order, not the messages. A bare "huy"
/// typed without marks is left out: it is also the given name Huy.
pub fn asks_to_stop(text: &str) -> bool {
    fn words(t: &str) -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }
    fn has_phrase(words: &[String], phrase: &str) -> bool {
        let p: Vec<&str> = phrase.split(' ').collect();
        words
            .windows(p.len())
            .any(|w| w.iter().zip(&p).all(|(a, b)| a == b))
    }
    let exact = words(&fold::exact(text));
    if exact.is_empty() || exact.len() > 8 {
        return false;
    }
    let folded = words(&fold::fold(text));
    // With their marks, single words are clear; without them only phrases are.
    const MARKED: [&str; 3] = ["hủy", "huỷ", "ngừng"];
    const FOLDED: [&str; 10] = [
        "stop",
        "unsubscribe",
        "huy dang ky",
        "huy nhan tin",
        "ngung nhan",
        "ngung gui",
        "dung gui",
        "dung nhan",
        "khong nhan tin",
        "tu choi nhan tin",
    ];
    MARKED.iter().any(|p| has_phrase(&exact, p)) || FOLDED.iter().any(|p| has_phrase(&folded, p))
}

#[cfg(test)]
mod stop_tests {
    use super::asks_to_stop;

    #[test]
    fn stop_messages_are_told_from_names_and_orders() {
        for yes in [
            "STOP",
            "hủy",
            "Huỷ nhé",
            "ngừng nhận tin",
            "dung gui tin nua",
            "Hủy đăng ký",
        ] {
            assert!(asks_to_stop(yes), "{yes}");
        }
        for no in [
            "Anh Huy đây",
            "huy",
            "Cho em hỏi giá sản phẩm",
            "Em muốn hủy đơn hàng hôm qua vì giao chậm quá, anh kiểm tra giúp em với",
        ] {
            assert!(!asks_to_stop(no), "{no}");
        }
    }
}

/// Everything the customer screen shows on opening.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub timeline: Page<Interaction>,
    pub open_tasks: Vec<Task>,
}

/// Validated interaction fields, ready to write.
struct ValidInteraction {
    kind: InteractionKind,
    direction: Direction,
    subject: Option<String>,
    content: Option<String>,
    outcome: Option<String>,
    duration_minutes: Option<i64>,
    occurred_at: UtcMillis,
    next_action: Option<String>,
    next_action_date: Option<UtcMillis>,
}

fn validate(input: &InteractionInput, now: UtcMillis) -> Result<ValidInteraction> {
    if input
        .content
        .as_deref()
        .is_some_and(|c| c.chars().count() > MAX_TEXT_CHARS)
    {
        return Err(Error::field(
            "content",
            "interaction.content_too_long",
            format!("the text is too long: at most {MAX_TEXT_CHARS} characters"),
        )
        .with("max", MAX_TEXT_CHARS));
    }
    if let Some(d) = input.duration_minutes {
        if !(0..=24 * 60).contains(&d) {
            return Err(Error::field(
                "duration_minutes",
                "interaction.duration_out_of_range",
                "the duration is in minutes, between 0 and 1440",
            )
            .with("max", 1440));
        }
    }
    let occurred_at = input.occurred_at.unwrap_or(now);
    let next_action = fold::clean(input.next_action.as_deref());
    let next_action_date = match (&next_action, input.next_action_date) {
        (Some(_), Some(d)) => Some(d),
        (Some(_), None) => Some(occurred_at + DAY_MS),
        (None, Some(_)) => {
            return Err(Error::field(
                "next_action",
                "interaction.next_action_missing",
                "say what the next action is, or clear its date",
            ))
        }
        (None, None) => None,
    };
    Ok(ValidInteraction {
        kind: input.kind,
        direction: input.direction,
        subject: fold::clean(input.subject.as_deref()),
        content: fold::clean(input.content.as_deref()),
        outcome: fold::clean(input.outcome.as_deref()),
        duration_minutes: input.duration_minutes,
        occurred_at,
        next_action,
        next_action_date,
    })
}

/// Logs an interaction inside the caller's transaction: the interaction, the follow-up task when
/// a next action is given, and the customer's roll-ups.
pub fn log_in(tx: &Connection, input: &InteractionInput, now: UtcMillis) -> Result<Interaction> {
    let valid = validate(input, now)?;
    let id = insert(tx, &input.customer_id, &valid, now)?;
    refresh_rollups(tx, &input.customer_id)?;
    get(tx, &id)
}

impl Store {
    /// Replaces an interaction's fields. Its open follow-up task follows the next action: created,
    /// updated, or removed when the next action is cleared. A task already done or skipped is left
    /// as history.
    pub fn update_interaction(
        &mut self,
        id: &InteractionId,
        input: &InteractionInput,
        now: UtcMillis,
    ) -> Result<Interaction> {
        let valid = validate(input, now)?;
        let tx = self.write_tx()?;
        let old = get(&tx, id)?;
        if old.customer_id != input.customer_id {
            return Err(Error::field(
                "customer_id",
                "interaction.customer_changed",
                "an interaction cannot move to another customer",
            ));
        }
        tx.execute(
            "UPDATE customer_interactions SET kind = ?2, direction = ?3, subject = ?4, content = ?5,
                 outcome = ?6, duration_minutes = ?7, occurred_at = ?8, next_action = ?9,
                 next_action_date = ?10, updated_at = ?11
             WHERE id = ?1",
            params![
                id,
                valid.kind,
                valid.direction,
                valid.subject,
                valid.content,
                valid.outcome,
                valid.duration_minutes,
                valid.occurred_at,
                valid.next_action,
                valid.next_action_date,
                now
            ],
        )?;
        let open_task: Option<TaskId> = tx
            .query_row(
                "SELECT id FROM tasks WHERE interaction_id = ?1 AND status = 'open'",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match (&valid.next_action, valid.next_action_date, open_task) {
            (Some(title), Some(due), Some(task)) => {
                tx.execute(
                    "UPDATE tasks SET title = ?2, due_at = ?3, updated_at = ?4 WHERE id = ?1",
                    params![task, title, due, now],
                )?;
            }
            (Some(title), Some(due), None) if old.task_id.is_none() => {
                tasks::insert(
                    &tx,
                    Some(&input.customer_id),
                    Some(id),
                    title,
                    due,
                    Priority::Normal,
                    now,
                )?;
            }
            (None, _, Some(task)) => {
                tx.execute("DELETE FROM tasks WHERE id = ?1", [task])?;
            }
            _ => {}
        }
        refresh_rollups(&tx, &input.customer_id)?;
        let out = get(&tx, id)?;
        tx.commit()?;
        Ok(out)
    }

    /// Deletes an interaction and the open follow-up task it created (a done or skipped one stays,
    /// unlinked, as history), then recomputes the customer's roll-ups.
    pub fn delete_interaction(&mut self, id: &InteractionId) -> Result<()> {
        let tx = self.write_tx()?;
        let old = get(&tx, id)?;
        tx.execute(
            "DELETE FROM tasks WHERE interaction_id = ?1 AND status = 'open'",
            [id],
        )?;
        tx.execute("DELETE FROM customer_interactions WHERE id = ?1", [id])?;
        refresh_rollups(&tx, &old.customer_id)?;
        tx.commit()?;
        Ok(())
    }

    /// One interaction.
    pub fn get_interaction(&self, id: &InteractionId) -> Result<Interaction> {
        get(&self.conn, id)
    }

    /// A customer's timeline, newest first.
    pub fn timeline(
        &self,
        customer: &CustomerId,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Interaction>> {
        timeline(&self.conn, customer, offset, limit)
    }

    /// The customer screen in one call: profile, first timeline page, open tasks.
    pub fn open_customer(&self, id: &CustomerId, timeline_limit: i64) -> Result<CustomerDetail> {
        Ok(CustomerDetail {
            customer: get_customer(&self.conn, id)?,
            timeline: timeline(&self.conn, id, 0, timeline_limit)?,
            open_tasks: tasks::open_for_customer(&self.conn, id)?,
        })
    }
}

fn timeline(
    conn: &Connection,
    customer: &CustomerId,
    offset: i64,
    limit: i64,
) -> Result<Page<Interaction>> {
    let total: i64 = conn
        .prepare_cached("SELECT total_interactions FROM customers WHERE id = ?1")?
        .query_row([customer], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound("customer"))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM customer_interactions i
         WHERE i.customer_id = ?1 ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?2 OFFSET ?3",
        Interaction::COLUMNS
    ))?;
    let items = stmt
        .query_map(
            params![customer, limit.clamp(1, 500), offset.max(0)],
            Interaction::from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page { items, total })
}

impl Interaction {
    /// The select list over `customer_interactions i` that `from_row` reads, with the follow-up
    /// task the interaction created, if it still exists.
    const COLUMNS: &str = "i.id, i.customer_id, i.kind, i.direction, i.subject, i.content, \
        i.outcome, i.duration_minutes, i.occurred_at, i.next_action, i.next_action_date, \
        (SELECT t.id FROM tasks t WHERE t.interaction_id = i.id LIMIT 1) AS task_id, \
        i.created_at, i.updated_at, i.campaign_id, \
        (SELECT m.name FROM campaigns m WHERE m.id = i.campaign_id) AS campaign_name, \
        EXISTS (SELECT 1 FROM customer_consents k WHERE k.interaction_id = i.id) AS consent_recorded";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Interaction> {
        Ok(Interaction {
            id: r.get("id")?,
            customer_id: r.get("customer_id")?,
            kind: r.get("kind")?,
            direction: r.get("direction")?,
            subject: r.get("subject")?,
            content: r.get("content")?,
            outcome: r.get("outcome")?,
            duration_minutes: r.get("duration_minutes")?,
            occurred_at: r.get("occurred_at")?,
            next_action: r.get("next_action")?,
            next_action_date: r.get("next_action_date")?,
            task_id: r.get("task_id")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
            campaign_id: r.get("campaign_id")?,
            campaign_name: r.get("campaign_name")?,
            asks_to_stop: false,
        })
        .and_then(|i| Ok((i, r.get::<_, bool>("consent_recorded")?)))
        .map(|(mut i, consent_recorded): (Interaction, bool)| {
            // Offered once: a message already recorded as a withdrawal is not offered again.
            i.asks_to_stop = !consent_recorded
                && i.direction == Direction::Inbound
                && matches!(i.kind, InteractionKind::Telegram | InteractionKind::Zalo)
                && i.content.as_deref().is_some_and(asks_to_stop);
            i
        })
    }
}

fn get(conn: &Connection, id: &InteractionId) -> Result<Interaction> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM customer_interactions i WHERE i.id = ?1",
        Interaction::COLUMNS
    ))?
    .query_row([id], Interaction::from_row)
    .optional()?
    .ok_or(Error::NotFound("interaction"))
}

fn insert(
    conn: &Connection,
    customer: &CustomerId,
    c: &ValidInteraction,
    now: UtcMillis,
) -> Result<InteractionId> {
    let live: Option<bool> = conn
        .prepare_cached("SELECT deleted_at IS NULL FROM customers WHERE id = ?1")?
        .query_row([customer], |r| r.get(0))
        .optional()?;
    match live {
        None => return Err(Error::NotFound("customer")),
        Some(false) => {
            return Err(Error::conflict(
                "customer.in_bin",
                "this customer is in the bin: restore them before logging an interaction",
            ))
        }
        Some(true) => {}
    }
    let id = InteractionId::new();
    conn.prepare_cached(
        "INSERT INTO customer_interactions (id, customer_id, kind, direction, subject, content,
             outcome, duration_minutes, occurred_at, next_action, next_action_date, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        id,
        customer,
        c.kind,
        c.direction,
        c.subject,
        c.content,
        c.outcome,
        c.duration_minutes,
        c.occurred_at,
        c.next_action,
        c.next_action_date,
        now
    ])?;
    if let (Some(title), Some(due)) = (&c.next_action, c.next_action_date) {
        tasks::insert(
            conn,
            Some(customer),
            Some(&id),
            title,
            due,
            Priority::Normal,
            now,
        )?;
    }
    Ok(id)
}

/// Validates and inserts an interaction without recomputing roll-ups; for bulk loads that call
/// [`refresh_rollups`] once per customer afterwards.
pub(crate) fn insert_input(
    conn: &Connection,
    input: &InteractionInput,
    now: UtcMillis,
) -> Result<InteractionId> {
    let valid = validate(input, now)?;
    insert(conn, &input.customer_id, &valid, now)
}
