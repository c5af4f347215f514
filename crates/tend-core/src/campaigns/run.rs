//! Running a campaign: a run is created once per (campaign, day) with the segment's customers
//! as its recipients, in one transaction; then the pending recipients are decided and their
//! messages queued in batches, each batch one transaction with its recipients' rows. The
//! message key `campaign:<id>:<run>:<customer>` is unique in the outbox, so a run killed
//! half-way, or started twice, reaches each customer at most once: a resumed run takes up only
//! the recipients still pending.

use rusqlite::{params, Connection, OptionalExtension};

use crate::base::error::{Error, Result};
use crate::base::ids::{CampaignId, CampaignRunId, CustomerId};
use crate::base::time::UtcMillis;
use crate::campaigns::model::{Campaign, CampaignStatus, Repeat, RunStatus, SkipReason};
use crate::campaigns::recipients::{decide, Decision, Plan};
use crate::campaigns::schedule::Schedule;
use crate::care::plan::local_date;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::outbox;

/// How many recipients one transaction decides and queues.
const BATCH: usize = 500;

/// What a pass of the campaign scheduler did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignTick {
    /// Runs that queued messages or finished.
    pub runs: usize,
    /// Messages queued (automatic and personal).
    pub queued: usize,
    /// When a campaign is next due.
    pub next_due: Option<UtcMillis>,
}

/// The idempotency key of a campaign's message to a customer in a run.
pub(crate) fn message_key(campaign: &CampaignId, run_key: &str, customer: &CustomerId) -> String {
    format!("campaign:{campaign}:{run_key}:{customer}")
}

pub(crate) fn get_campaign(conn: &Connection, id: &CampaignId) -> Result<Campaign> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM {} WHERE m.id = ?1",
        Campaign::COLUMNS,
        Campaign::FROM
    ))?
    .query_row([id], Campaign::from_row)
    .optional()?
    .ok_or(Error::NotFound("campaign"))
}

impl Store {
    /// Starts the runs that are due and takes up runs cut short; returns what it did and when
    /// the next is due. A recurring campaign the laptop slept through runs once, for the latest
    /// day it was due, and only while that day (and its window) lasts; missed days are not
    /// made up one by one.
    pub fn run_due_campaigns(&mut self, now: UtcMillis) -> Result<CampaignTick> {
        self.run_due_campaigns_with(now, None)
    }

    /// `run_due_campaigns` with a hook called after each batch commits (tests kill the
    /// process there to check that a run cut short reaches everyone once).
    pub fn run_due_campaigns_with(
        &mut self,
        now: UtcMillis,
        after_batch: Option<&dyn Fn(usize)>,
    ) -> Result<CampaignTick> {
        let mut tick = CampaignTick::default();
        // Runs cut short (the app closed or killed mid-way), of campaigns still live.
        let unfinished: Vec<(CampaignId, String)> = self
            .conn
            .prepare_cached(
                "SELECT r.campaign_id, r.run_key FROM campaign_runs r
                 JOIN campaigns m ON m.id = r.campaign_id
                 WHERE r.status = 'enqueuing' AND m.status NOT IN ('paused', 'cancelled', 'draft')",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut wait_for_window: Option<UtcMillis> = None;
        for (c, key) in unfinished {
            // One campaign's failure (a deleted template) stops that campaign, not the others.
            match self.take_up_run(&c, &key, now, after_batch) {
                Ok(Ok(n)) => {
                    tick.queued += n;
                    tick.runs += 1;
                }
                Ok(Err(open)) => {
                    wait_for_window = Some(wait_for_window.map_or(open, |w| w.min(open)))
                }
                Err(e) => self.stop_on_error(&c, &e, now)?,
            }
        }
        let due: Vec<CampaignId> = self
            .conn
            .prepare_cached(
                "SELECT id FROM campaigns WHERE status = 'scheduled' AND next_run_at <= ?1
                 ORDER BY next_run_at, id",
            )?
            .query_map([now], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in due {
            match self.start_due_run(&id, now, after_batch) {
                Ok(Some(n)) => {
                    tick.queued += n;
                    tick.runs += 1;
                }
                Ok(None) => {}
                Err(e) => self.stop_on_error(&id, &e, now)?,
            }
        }
        let next: Option<UtcMillis> = self
            .conn
            .prepare_cached("SELECT min(next_run_at) FROM campaigns WHERE status = 'scheduled'")?
            .query_row([], |r| r.get(0))?;
        tick.next_due = match (next, wait_for_window) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if tick.queued > 0 {
            self.record(Effects::WAKE_OUTBOX);
        }
        if tick.runs > 0 {
            self.record(Effects::DATA_CHANGED);
        }
        Ok(tick)
    }

    /// A campaign that cannot run (its segment or a template deleted, a database error) is
    /// paused with the reason, rather than failing every pass and holding up the others.
    fn stop_on_error(&mut self, id: &CampaignId, e: &Error, now: UtcMillis) -> Result<()> {
        self.conn.execute(
            "UPDATE campaigns SET status = 'paused', last_error = ?2, updated_at = ?3
             WHERE id = ?1 AND status NOT IN ('cancelled', 'done')",
            params![
                id,
                serde_json::to_string(&crate::base::error::ErrorPayload::from(e))
                    .map_err(|e| Error::Internal(e.to_string()))?,
                now
            ],
        )?;
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }

    /// Takes up a run cut short, inside the campaign's window; a recurring campaign's run whose
    /// day has passed is closed instead (its pending recipients are marked as such), so nobody
    /// gets yesterday's message today besides today's. `Err(t)`: wait for the window at `t`.
    fn take_up_run(
        &mut self,
        id: &CampaignId,
        run_key: &str,
        now: UtcMillis,
        after_batch: Option<&dyn Fn(usize)>,
    ) -> Result<std::result::Result<usize, UtcMillis>> {
        let c = get_campaign(&self.conn, id)?;
        let zone = self.zone.clone();
        let s = Schedule::of(&c);
        let today = zone.to_local(now).date().format("%Y-%m-%d").to_string();
        if c.repeat != Repeat::Once && run_key != today {
            let tx = self.write_tx()?;
            tx.execute(
                "UPDATE campaign_recipients SET skip_reason = 'expired'
                 WHERE channel IS NULL AND skip_reason IS NULL
                   AND run_id = (SELECT id FROM campaign_runs WHERE campaign_id = ?1 AND run_key = ?2)",
                params![id, run_key],
            )?;
            tx.execute(
                "UPDATE campaign_runs SET status = 'enqueued', enqueued_at = ?3
                 WHERE campaign_id = ?1 AND run_key = ?2",
                params![id, run_key, now],
            )?;
            tx.commit()?;
            self.finish_run(id, run_key, now)?;
            return Ok(Ok(0));
        }
        if let Some(w) = s.window {
            let open = w.next_open(now, zone.as_ref());
            if open > now {
                return Ok(Err(open));
            }
        }
        let n = self.run_campaign(id, run_key, now, after_batch)?;
        Ok(Ok(n))
    }

    /// A run has queued everything: a campaign still marked running goes on to its next run
    /// (recurring) or is done (one-off).
    fn finish_run(&mut self, id: &CampaignId, run_key: &str, now: UtcMillis) -> Result<()> {
        let c = get_campaign(&self.conn, id)?;
        if c.status != CampaignStatus::Running {
            return Ok(());
        }
        let (status, next) = match c.repeat {
            Repeat::Once => (CampaignStatus::Done, None),
            _ => {
                let day = chrono::NaiveDate::parse_from_str(run_key, "%Y-%m-%d").ok();
                let next = Schedule::of(&c).next_run(self.zone.as_ref(), now, day);
                match next {
                    Some(t) => (CampaignStatus::Scheduled, Some(t)),
                    None => (CampaignStatus::Done, None),
                }
            }
        };
        self.conn.execute(
            "UPDATE campaigns SET status = ?2, next_run_at = ?3, updated_at = ?4
             WHERE id = ?1 AND status = 'running'",
            params![id, status, next, now],
        )?;
        Ok(())
    }

    /// A scheduled campaign whose time has come: runs it if its window allows, and sets its
    /// next run. `None` when nothing ran.
    fn start_due_run(
        &mut self,
        id: &CampaignId,
        now: UtcMillis,
        after_batch: Option<&dyn Fn(usize)>,
    ) -> Result<Option<usize>> {
        // Read now, not from the due list: an earlier campaign's run may have taken minutes,
        // and this one may have been paused or cancelled meanwhile.
        let c = get_campaign(&self.conn, id)?;
        if c.status != CampaignStatus::Scheduled {
            return Ok(None);
        }
        let zone = self.zone.clone();
        let s = Schedule::of(&c);
        let today = zone.to_local(now).date();
        let inside = |t: UtcMillis| s.window.is_none_or(|w| w.next_open(t, zone.as_ref()) == t);
        let run_key = match c.repeat {
            Repeat::Once => {
                if !inside(now) {
                    let open = s.window.map(|w| w.next_open(now, zone.as_ref()));
                    self.reschedule(id, open, now)?;
                    return Ok(None);
                }
                "once".to_string()
            }
            _ => match s.latest_due(zone.as_ref(), now) {
                // Due today and inside the window: run today's.
                Some(day) if day == today && inside(now) => day.format("%Y-%m-%d").to_string(),
                // Due today, the window not open yet (or closed): wait for it today, else
                // the next run day.
                Some(day) if day == today => {
                    let open = s.window.map(|w| w.next_open(now, zone.as_ref()));
                    let next = match open.filter(|t| zone.to_local(*t).date() == today) {
                        Some(t) => Some(t),
                        None => s.next_run(zone.as_ref(), now, Some(today)),
                    };
                    self.reschedule(id, next, now)?;
                    return Ok(None);
                }
                // A day slept through is skipped; today's run, if its time is still to come,
                // is the next one.
                _ => {
                    let next = s.next_run(zone.as_ref(), now, None);
                    self.reschedule(id, next, now)?;
                    return Ok(None);
                }
            },
        };
        Ok(Some(self.run_campaign(id, &run_key, now, after_batch)?))
    }

    /// Sets the next run of a campaign the scheduler holds, unless it was paused or cancelled
    /// meanwhile (no next run: done).
    fn reschedule(
        &mut self,
        id: &CampaignId,
        next: Option<UtcMillis>,
        now: UtcMillis,
    ) -> Result<()> {
        let status = if next.is_some() {
            CampaignStatus::Scheduled
        } else {
            CampaignStatus::Done
        };
        self.conn.execute(
            "UPDATE campaigns SET status = ?2, next_run_at = ?3, updated_at = ?4
             WHERE id = ?1 AND status IN ('scheduled', 'running')",
            params![id, status, next, now],
        )?;
        Ok(())
    }

    pub(crate) fn set_next_run(
        &mut self,
        id: &CampaignId,
        status: CampaignStatus,
        next: Option<UtcMillis>,
        now: UtcMillis,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE campaigns SET status = ?2, next_run_at = ?3, last_error = NULL, updated_at = ?4
             WHERE id = ?1",
            params![id, status, next, now],
        )?;
        Ok(())
    }

    /// Runs (or takes up) the run `run_key` of a campaign: creates it with the segment's
    /// customers if it is new, then decides and queues the pending recipients batch by batch.
    /// Stops early when the campaign is paused or cancelled meanwhile. Returns the messages
    /// queued.
    pub(crate) fn run_campaign(
        &mut self,
        id: &CampaignId,
        run_key: &str,
        now: UtcMillis,
        after_batch: Option<&dyn Fn(usize)>,
    ) -> Result<usize> {
        let c = get_campaign(&self.conn, id)?;
        let run = self.create_run(&c, run_key, now)?;
        let status: RunStatus = self.conn.query_row(
            "SELECT status FROM campaign_runs WHERE id = ?1",
            [&run],
            |r| r.get(0),
        )?;
        if status == RunStatus::Enqueued {
            self.conn.execute(
                "UPDATE campaigns SET status = 'running', updated_at = ?2
                 WHERE id = ?1 AND status = 'scheduled'",
                params![id, now],
            )?;
            self.finish_run(id, run_key, now)?;
            return Ok(0);
        }
        let today = local_date(self.zone.as_ref(), now);
        let plan = Plan::new(
            &self.conn,
            id,
            &c.channels,
            self.me()?,
            today,
            c.require_consent,
        )?;
        self.conn.execute(
            "UPDATE campaigns SET status = 'running', updated_at = ?2
             WHERE id = ?1 AND status IN ('scheduled', 'done')",
            params![id, now],
        )?;
        let mut queued = 0;
        loop {
            let tx = self.write_tx()?;
            // Read inside the write transaction: a pause or cancel that committed before it
            // is seen, and one after it waits for this batch.
            let live: CampaignStatus =
                tx.query_row("SELECT status FROM campaigns WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            if matches!(live, CampaignStatus::Paused | CampaignStatus::Cancelled) {
                return Ok(queued);
            }
            let pending: Vec<(String, CustomerId)> = tx
                .prepare_cached(
                    "SELECT id, customer_id FROM campaign_recipients
                     WHERE run_id = ?1 AND channel IS NULL AND skip_reason IS NULL
                     ORDER BY id LIMIT ?2",
                )?
                .query_map(params![run, BATCH as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            if pending.is_empty() {
                tx.execute(
                    "UPDATE campaign_runs SET status = 'enqueued', enqueued_at = ?2 WHERE id = ?1",
                    params![run, now],
                )?;
                tx.commit()?;
                self.finish_run(id, run_key, now)?;
                return Ok(queued);
            }
            for (row, customer) in &pending {
                // One customer whose message cannot be made (a helper refusing their data) is
                // skipped with the reason; the others go on.
                let decision = match decide(&tx, &plan, customer, now) {
                    Ok(d) => d,
                    Err(Error::Sqlite(e)) => return Err(Error::Sqlite(e)),
                    Err(e) => Decision::Skip(SkipReason::Error, Some(e.to_string())),
                };
                match decision {
                    Decision::Send(mut m) => {
                        m.idempotency_key = message_key(id, run_key, customer);
                        let channel = m.channel;
                        let outbox_id = outbox::enqueue_in(&tx, &m, now)?;
                        tx.prepare_cached(
                            "UPDATE campaign_recipients SET channel = ?2, outbox_id = ?3 WHERE id = ?1",
                        )?
                        .execute(params![row, channel, outbox_id])?;
                        queued += 1;
                    }
                    Decision::Skip(reason, detail) => {
                        tx.prepare_cached(
                            "UPDATE campaign_recipients SET skip_reason = ?2, skip_detail = ?3
                             WHERE id = ?1",
                        )?
                        .execute(params![row, reason, detail])?;
                    }
                }
            }
            tx.commit()?;
            if let Some(hook) = after_batch {
                hook(queued);
            }
        }
    }

    /// The run `run_key` of a campaign, created with its recipients (the segment's customers
    /// now) in one transaction if it does not exist yet.
    fn create_run(&mut self, c: &Campaign, run_key: &str, now: UtcMillis) -> Result<CampaignRunId> {
        if let Some(id) = run_id(&self.conn, &c.id, run_key)? {
            return Ok(id);
        }
        let segment = c.segment_id.as_ref().ok_or_else(|| {
            Error::field(
                "segment_id",
                "campaign.segment_missing",
                "choose the segment the campaign goes to",
            )
        })?;
        let def = self.get_segment(segment)?.definition;
        let ids = self.segment_ids(&def, now)?;
        let tx = self.write_tx()?;
        // Two starts at once (the scheduler and a click) both get here: the unique key lets one
        // create the run, and only the one that created it adds the recipients.
        let created = tx.execute(
            "INSERT OR IGNORE INTO campaign_runs (id, campaign_id, run_key, status, started_at)
             VALUES (?1, ?2, ?3, 'enqueuing', ?4)",
            params![CampaignRunId::new(), c.id, run_key, now],
        )? == 1;
        let run = run_id(&tx, &c.id, run_key)?
            .ok_or_else(|| Error::Internal("the campaign run vanished".into()))?;
        if created {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO campaign_recipients (id, run_id, customer_id, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for customer in &ids {
                stmt.execute(params![
                    uuid::Uuid::now_v7().to_string(),
                    run,
                    customer,
                    now
                ])?;
            }
        }
        tx.commit()?;
        Ok(run)
    }
}

pub(crate) fn run_id(
    conn: &Connection,
    campaign: &CampaignId,
    run_key: &str,
) -> Result<Option<CampaignRunId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM campaign_runs WHERE campaign_id = ?1 AND run_key = ?2")?
        .query_row(params![campaign, run_key], |r| r.get(0))
        .optional()?)
}
