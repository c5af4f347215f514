//! What a campaign did and would do: the recipient preview before it starts, the live numbers
//! of a run, its report by channel, and its recipients one by one.

use rusqlite::{params, OptionalExtension, Row};

use crate::base::error::Result;
use crate::base::ids::{CampaignId, CampaignRunId};
use crate::base::page::Page;
use crate::base::time::{UtcMillis, DAY_MS};
use crate::campaigns::model::{
    CampaignPreviewRow, CampaignProgress, CampaignReport, CampaignRun, ChannelCount,
    ChannelOutcome, PreviewQuery, RecipientOutcome, RecipientPreview, RecipientQuery, RecipientRow,
    SkipCount, SkipReason,
};
use crate::campaigns::recipients::{decide, Decision, Plan};
use crate::campaigns::run::get_campaign;
use crate::care::plan::local_date;
use crate::db::store::Store;
use crate::messaging::outbox::SendChannel;

/// A send to more customers than this asks the salesperson twice.
pub const LARGE_SEND: i64 = 500;

/// The outcome of a recipient row, from its own columns and its message's status.
const OUTCOME_SQL: &str = "CASE
    WHEN r.skip_reason IS NOT NULL THEN 'skipped'
    WHEN r.channel IS NULL THEN 'pending'
    WHEN o.id IS NULL THEN 'cancelled'
    WHEN o.status = 'queued' AND o.channel IN ('zalo_personal', 'telegram_personal') THEN 'waiting'
    ELSE o.status END";

/// Whether the recipient wrote back within 7 days of their message.
const REPLIED_SQL: &str = "(o.status = 'sent' AND EXISTS (
    SELECT 1 FROM customer_interactions i WHERE i.customer_id = r.customer_id
      AND i.direction = 'inbound' AND i.occurred_at > o.sent_at AND i.occurred_at <= o.sent_at + ?2))";

impl Store {
    /// Who the campaign would reach if it started now: counts by channel and by skip reason.
    pub fn campaign_preview(&self, id: &CampaignId, now: UtcMillis) -> Result<RecipientPreview> {
        let rows = self.preview_all(id, now)?;
        let mut p = RecipientPreview {
            total: rows.len() as i64,
            large_threshold: LARGE_SEND,
            ..Default::default()
        };
        let mut channels: Vec<ChannelCount> = Vec::new();
        let mut reasons: Vec<SkipCount> = Vec::new();
        for r in &rows {
            match (r.channel, r.skip_reason) {
                (Some(ch), _) => {
                    if ch.is_automatic() {
                        p.sending += 1;
                    } else {
                        p.assisted += 1;
                    }
                    match channels.iter_mut().find(|c| c.channel == ch) {
                        Some(c) => c.count += 1,
                        None => channels.push(ChannelCount {
                            channel: ch,
                            count: 1,
                        }),
                    }
                }
                (None, Some(reason)) => {
                    p.skipped += 1;
                    match reasons.iter_mut().find(|c| c.reason == reason) {
                        Some(c) => c.count += 1,
                        None => reasons.push(SkipCount { reason, count: 1 }),
                    }
                }
                (None, None) => {}
            }
        }
        p.by_channel = channels;
        p.skipped_by_reason = reasons;
        p.large = p.sending + p.assisted > LARGE_SEND;
        Ok(p)
    }

    /// A page of the preview: the customers on one channel, or skipped (for one reason).
    pub fn campaign_preview_rows(
        &self,
        id: &CampaignId,
        q: &PreviewQuery,
        now: UtcMillis,
    ) -> Result<Page<CampaignPreviewRow>> {
        let rows: Vec<CampaignPreviewRow> = self
            .preview_all(id, now)?
            .into_iter()
            .filter(|r| q.channel.is_none_or(|c| r.channel == Some(c)))
            .filter(|r| q.skip_reason.is_none_or(|s| r.skip_reason == Some(s)))
            .filter(|r| !q.skipped || r.skip_reason.is_some())
            .collect();
        let total = rows.len() as i64;
        let items = rows
            .into_iter()
            .skip(q.offset.max(0) as usize)
            .take(q.limit.clamp(1, 500) as usize)
            .collect();
        Ok(Page { items, total })
    }

    fn preview_all(&self, id: &CampaignId, now: UtcMillis) -> Result<Vec<CampaignPreviewRow>> {
        let c = get_campaign(&self.conn, id)?;
        let Some(segment) = &c.segment_id else {
            return Ok(Vec::new());
        };
        let def = self.get_segment(segment)?.definition;
        let plan = Plan::new(
            &self.conn,
            id,
            &c.channels,
            self.me()?,
            local_date(self.zone.as_ref(), now),
            c.require_consent,
        )?;
        let ids = self.segment_ids(&def, now)?;
        let mut out = Vec::with_capacity(ids.len());
        let mut name_stmt = self
            .conn
            .prepare_cached("SELECT full_name FROM customers WHERE id = ?1")?;
        for customer in ids {
            let full_name: String = name_stmt.query_row([&customer], |r| r.get(0))?;
            let (channel, skip_reason, detail) = match decide(&self.conn, &plan, &customer, now)? {
                Decision::Send(m) => (Some(m.channel), None, None),
                Decision::Skip(reason, detail) => (None, Some(reason), detail),
            };
            out.push(CampaignPreviewRow {
                customer_id: customer,
                full_name,
                channel,
                skip_reason,
                detail,
            });
        }
        Ok(out)
    }

    /// The runs of a campaign, newest first.
    pub fn campaign_runs(&self, id: &CampaignId) -> Result<Vec<CampaignRun>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM campaign_runs WHERE campaign_id = ?1 ORDER BY started_at DESC, id DESC",
                CampaignRun::COLUMNS
            ))?
            .query_map([id], CampaignRun::from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn pick_run(
        &self,
        id: &CampaignId,
        run: Option<&CampaignRunId>,
    ) -> Result<Option<CampaignRun>> {
        let sql = format!(
            "SELECT {} FROM campaign_runs WHERE campaign_id = ?1 AND (?2 IS NULL OR id = ?2)
             ORDER BY started_at DESC, id DESC LIMIT 1",
            CampaignRun::COLUMNS
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![id, run], CampaignRun::from_row)
            .optional()?)
    }

    /// The live numbers of a run (`None`: the latest).
    pub fn campaign_progress(
        &self,
        id: &CampaignId,
        run: Option<&CampaignRunId>,
    ) -> Result<CampaignProgress> {
        let Some(run) = self.pick_run(id, run)? else {
            return Ok(CampaignProgress::default());
        };
        let sql = format!(
            "SELECT {OUTCOME_SQL} AS outcome, count(*) AS n, sum({REPLIED_SQL}) AS replied
             FROM campaign_recipients r LEFT JOIN outbox o ON o.id = r.outbox_id
             WHERE r.run_id = ?1 GROUP BY 1"
        );
        let mut p = CampaignProgress::default();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![run.id, 7 * DAY_MS])?;
        while let Some(r) = rows.next()? {
            let outcome: RecipientOutcome = r.get("outcome")?;
            let n: i64 = r.get("n")?;
            p.total += n;
            p.replied += r.get::<_, Option<i64>>("replied")?.unwrap_or(0);
            match outcome {
                RecipientOutcome::Queued | RecipientOutcome::Sending => p.queued += n,
                RecipientOutcome::Sent => p.sent += n,
                RecipientOutcome::Failed => p.failed += n,
                RecipientOutcome::NeedsManual => p.needs_manual += n,
                RecipientOutcome::Cancelled => p.cancelled += n,
                RecipientOutcome::Waiting => p.waiting += n,
                RecipientOutcome::Skipped => p.skipped += n,
                RecipientOutcome::Pending => p.pending += n,
            }
        }
        p.run = Some(run);
        Ok(p)
    }

    /// The report of a run (`None`: the latest): its numbers, by channel, skips by reason.
    pub fn campaign_report(
        &self,
        id: &CampaignId,
        run: Option<&CampaignRunId>,
    ) -> Result<CampaignReport> {
        let campaign = get_campaign(&self.conn, id)?;
        let progress = self.campaign_progress(id, run)?;
        let mut by_channel: Vec<ChannelOutcome> = Vec::new();
        let mut skipped_by_reason: Vec<SkipCount> = Vec::new();
        if let Some(run) = &progress.run {
            let sql = format!(
                "SELECT r.channel AS channel, {OUTCOME_SQL} AS outcome, count(*) AS n,
                        sum({REPLIED_SQL}) AS replied
                 FROM campaign_recipients r LEFT JOIN outbox o ON o.id = r.outbox_id
                 WHERE r.run_id = ?1 AND r.channel IS NOT NULL GROUP BY 1, 2 ORDER BY 1"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![run.id, 7 * DAY_MS])?;
            while let Some(r) = rows.next()? {
                let channel: SendChannel = r.get("channel")?;
                let outcome: RecipientOutcome = r.get("outcome")?;
                let n: i64 = r.get("n")?;
                let replied = r.get::<_, Option<i64>>("replied")?.unwrap_or(0);
                let entry = match by_channel.iter_mut().position(|c| c.channel == channel) {
                    Some(i) => &mut by_channel[i],
                    None => {
                        by_channel.push(ChannelOutcome {
                            channel,
                            queued: 0,
                            sent: 0,
                            failed: 0,
                            waiting: 0,
                            other: 0,
                            replied: 0,
                        });
                        by_channel.last_mut().expect("just pushed")
                    }
                };
                entry.replied += replied;
                match outcome {
                    RecipientOutcome::Queued | RecipientOutcome::Sending => entry.queued += n,
                    RecipientOutcome::Sent => entry.sent += n,
                    RecipientOutcome::Failed => entry.failed += n,
                    RecipientOutcome::Waiting => entry.waiting += n,
                    _ => entry.other += n,
                }
            }
            let mut stmt = self.conn.prepare_cached(
                "SELECT skip_reason, count(*) FROM campaign_recipients
                 WHERE run_id = ?1 AND skip_reason IS NOT NULL GROUP BY 1 ORDER BY 2 DESC",
            )?;
            skipped_by_reason = stmt
                .query_map([&run.id], |r| {
                    Ok(SkipCount {
                        reason: r.get(0)?,
                        count: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(CampaignReport {
            campaign,
            progress,
            by_channel,
            skipped_by_reason,
            runs: self.campaign_runs(id)?,
        })
    }

    /// A page of a run's recipients, by name, optionally of one outcome.
    pub fn campaign_recipients(
        &self,
        id: &CampaignId,
        q: &RecipientQuery,
    ) -> Result<Page<RecipientRow>> {
        let Some(run) = self.pick_run(id, q.run_id.as_ref())? else {
            return Ok(Page {
                items: Vec::new(),
                total: 0,
            });
        };
        let base = format!(
            "FROM campaign_recipients r LEFT JOIN outbox o ON o.id = r.outbox_id
             JOIN customers c ON c.id = r.customer_id
             WHERE r.run_id = ?1 AND (?3 IS NULL OR {OUTCOME_SQL} = ?3)"
        );
        let outcome = q.outcome.map(|o| o.as_str());
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {base}"))?
            .query_row(params![run.id, 0, outcome], |r| r.get(0))?;
        let sql = format!(
            "SELECT r.customer_id, c.full_name, r.channel, {OUTCOME_SQL} AS outcome,
                    r.skip_reason, r.skip_detail, r.outbox_id, o.last_error, o.sent_at,
                    {REPLIED_SQL} AS replied
             {base} ORDER BY c.sort_name, c.id LIMIT ?4 OFFSET ?5"
        );
        let items = self
            .conn
            .prepare_cached(&sql)?
            .query_map(
                params![
                    run.id,
                    7 * DAY_MS,
                    outcome,
                    q.limit.clamp(1, 500),
                    q.offset.max(0)
                ],
                recipient_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Page { items, total })
    }
}

fn recipient_row(r: &Row<'_>) -> rusqlite::Result<RecipientRow> {
    let skip_reason: Option<SkipReason> = r.get("skip_reason")?;
    Ok(RecipientRow {
        customer_id: r.get("customer_id")?,
        full_name: r.get("full_name")?,
        channel: r.get("channel")?,
        outcome: r.get("outcome")?,
        skip_reason,
        detail: r.get("skip_detail")?,
        outbox_id: r.get("outbox_id")?,
        last_error: r.get("last_error")?,
        sent_at: r.get("sent_at")?,
        replied: r.get::<_, Option<bool>>("replied")?.unwrap_or(false),
    })
}
