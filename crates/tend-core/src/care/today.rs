//! The care part of Today: automatic steps coming today, and steps that need the salesperson.
//!
//! Rows are read by name: the two lists come from different tables, so each has its own select
//! list (`ScenarioItem::UPCOMING_COLUMNS`, `ScenarioItem::ATTENTION_COLUMNS`), aliased to the
//! names `ScenarioItem::from_row` reads.

use rusqlite::{params, Row};

use crate::base::error::Result;
use crate::base::ids::EnrollmentId;
use crate::base::time::UtcMillis;
use crate::care::model::ScenarioItem;
use crate::care::model::ScenarioToday;
use crate::db::store::Store;

impl ScenarioItem {
    /// An active enrolment's next step, over `enrollments e` joined to its customer `c`,
    /// scenario `s` and step `st`.
    const UPCOMING_COLUMNS: &str = "e.id AS enrollment_id, e.customer_id, \
        c.full_name AS customer_name, s.name AS scenario_name, e.next_position AS position, \
        st.kind, st.title, e.next_due_at AS at, NULL AS outcome, NULL AS detail";

    /// A skipped or failed step, over its log line `l` joined to its enrolment `e`, customer `c`
    /// and scenario `s`.
    const ATTENTION_COLUMNS: &str = "e.id AS enrollment_id, e.customer_id, \
        c.full_name AS customer_name, s.name AS scenario_name, l.position, l.kind, \
        NULL AS title, l.done_at AS at, l.outcome, l.detail";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<ScenarioItem> {
        Ok(ScenarioItem {
            enrollment_id: r.get("enrollment_id")?,
            customer_id: r.get("customer_id")?,
            customer_name: r.get("customer_name")?,
            scenario_name: r.get("scenario_name")?,
            position: r.get("position")?,
            kind: r.get("kind")?,
            title: r.get("title")?,
            at: r.get("at")?,
            outcome: r.get("outcome")?,
            detail: r.get("detail")?,
        })
    }
}

impl Store {
    /// Automatic steps due before `until` (today's end) and steps that need the salesperson.
    pub fn scenario_today(&self, until: UtcMillis, limit: i64) -> Result<ScenarioToday> {
        let upcoming = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM enrollments e
                 JOIN customers c ON c.id = e.customer_id
                 JOIN scenarios s ON s.id = e.scenario_id
                 JOIN scenario_steps st ON st.scenario_id = e.scenario_id AND st.position = e.next_position
                 WHERE e.status = 'active' AND e.next_due_at < ?1 AND c.deleted_at IS NULL
                 ORDER BY e.next_due_at LIMIT ?2",
                ScenarioItem::UPCOMING_COLUMNS
            ))?
            .query_map(params![until, limit], ScenarioItem::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let attention = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM enrollment_steps l
                 JOIN enrollments e ON e.id = l.enrollment_id
                 JOIN customers c ON c.id = e.customer_id
                 JOIN scenarios s ON s.id = e.scenario_id
                 WHERE l.outcome IN ('skipped', 'failed') AND l.seen_at IS NULL AND c.deleted_at IS NULL
                 ORDER BY l.done_at DESC LIMIT ?1",
                ScenarioItem::ATTENTION_COLUMNS
            ))?
            .query_map(params![limit], ScenarioItem::from_row)?
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
