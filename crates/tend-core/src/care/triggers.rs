//! Triggers and exits, called by the application layer inside the transaction of the change
//! that causes them: a customer created or tagged enrols them; a reply ends the scenarios that
//! exit on reply.

use rusqlite::Connection;

use crate::base::calendar::Zone;
use crate::base::error::Result;
use crate::base::ids::{CustomerId, EnrollmentId, ScenarioId};
use crate::base::time::UtcMillis;
use crate::care::enrollments::{end, enroll_one};
use crate::care::model::scenario_definition;

/// An inbound interaction was logged: enrolments of scenarios that exit on reply end, those
/// that had started when the customer replied at `replied_at` (a reply read late, or logged
/// afterwards, does not end a scenario begun after it).
pub(crate) fn exit_on_reply(
    conn: &Connection,
    customer: &CustomerId,
    replied_at: UtcMillis,
    now: UtcMillis,
) -> Result<usize> {
    let live: Vec<EnrollmentId> = conn
        .prepare_cached(
            "SELECT id FROM enrollments WHERE customer_id = ?1 AND status IN ('active', 'paused')
               AND started_at <= ?2
               AND scenario_id IN (SELECT id FROM scenarios WHERE exit_on_reply = 1)",
        )?
        .query_map(rusqlite::params![customer, replied_at], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for e in &live {
        end(conn, e, "exited", now)?;
    }
    Ok(live.len())
}

/// A customer was deleted: every live enrolment of theirs ends (restoring them does not resume
/// it), with the messages its steps queued.
pub(crate) fn end_for_deleted_customer(
    conn: &Connection,
    customer: &CustomerId,
    now: UtcMillis,
) -> Result<usize> {
    let live: Vec<EnrollmentId> = conn
        .prepare_cached(
            "SELECT id FROM enrollments WHERE customer_id = ?1 AND status IN ('active', 'paused')",
        )?
        .query_map([customer], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for e in &live {
        end(conn, e, "cancelled", now)?;
    }
    Ok(live.len())
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
) -> Result<usize> {
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
    let mut enrolled = 0;
    for id in ids {
        let s = scenario_definition(conn, &id)?;
        if enroll_one(conn, &s, customer, zone, now)?.is_some() {
            enrolled += 1;
        }
    }
    Ok(enrolled)
}
