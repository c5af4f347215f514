//! The frequency cap: at most N automated messages (campaigns and scenario steps together; what
//! the salesperson sends by hand does not count) per customer in any 7 days.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;
use crate::base::time::{UtcMillis, DAY_MS};
use crate::db::settings;
use crate::db::store::Store;

/// The setting's key; absent means the default.
const KEY: &str = "frequency_cap_7_days";

/// The default cap.
pub const DEFAULT_CAP: i64 = 3;

/// The window the cap counts over.
pub const CAP_WINDOW_MS: i64 = 7 * DAY_MS;

/// The cap, `None` when the salesperson turned it off (0).
pub(crate) fn cap(conn: &Connection) -> Result<Option<i64>> {
    let n = settings::get_in(conn, KEY)?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(DEFAULT_CAP);
    Ok((n > 0).then_some(n))
}

/// Where a customer stands against the cap at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CapCheck {
    /// Automated messages in the 7 days before `at`.
    pub used: i64,
    /// When the next automated message may go, if one may not go at `at`.
    pub wait_until: Option<UtcMillis>,
}

/// Counts a customer's automated messages in the 7 days up to `at` (queued, being sent, sent or
/// needing the salesperson; not failed or cancelled ones, which reached nobody) against `cap`.
pub(crate) fn check(
    conn: &Connection,
    customer: &CustomerId,
    cap: Option<i64>,
    at: UtcMillis,
) -> Result<CapCheck> {
    let Some(cap) = cap else {
        return Ok(CapCheck {
            used: 0,
            wait_until: None,
        });
    };
    let times: Vec<UtcMillis> = conn
        .prepare_cached(
            "SELECT created_at FROM outbox
             WHERE customer_id = ?1 AND origin <> 'manual' AND created_at > ?2 AND created_at <= ?3
               AND status IN ('queued', 'sending', 'sent', 'needs_manual')
             ORDER BY created_at DESC",
        )?
        .query_map(params![customer, at - CAP_WINDOW_MS, at], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let used = times.len() as i64;
    // Over the cap: the next message may go when enough of these leave the window, that is
    // 7 days after the cap-th newest one.
    let wait_until = (used >= cap).then(|| times[(cap - 1) as usize] + CAP_WINDOW_MS + 1);
    Ok(CapCheck { used, wait_until })
}

/// The cap as Settings shows and edits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FrequencyCap {
    /// Automated messages per customer per 7 days; 0 means no cap.
    #[ts(type = "number")]
    pub per_7_days: i64,
}

impl Store {
    /// The frequency cap.
    pub fn frequency_cap(&self) -> Result<FrequencyCap> {
        Ok(FrequencyCap {
            per_7_days: cap(&self.conn)?.unwrap_or(0),
        })
    }

    /// Sets the frequency cap (0 turns it off).
    pub fn set_frequency_cap(&mut self, cap: &FrequencyCap) -> Result<FrequencyCap> {
        if !(0..=100).contains(&cap.per_7_days) {
            return Err(Error::field(
                "per_7_days",
                "frequency_cap.out_of_range",
                "the cap is a number of messages from 0 (no cap) to 100",
            ));
        }
        self.set_setting(KEY, Some(&cap.per_7_days.to_string()))?;
        self.record(crate::db::effects::Effects::WAKE_CARE);
        self.frequency_cap()
    }
}
