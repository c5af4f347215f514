//! Writing campaigns and moving them through their states: save, start, pause, resume, cancel.

use rusqlite::params;

use crate::base::error::{Error, Result};
use crate::base::ids::CampaignId;
use crate::base::time::UtcMillis;
use crate::campaigns::model::{Campaign, CampaignInput, CampaignStatus, CampaignSummary, Repeat};
use crate::campaigns::run::get_campaign;
use crate::campaigns::schedule::{window, Schedule, DEFAULT_TIME_MIN};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::templates;

/// The next-attempt time of a held message: far enough that it is never due, and still an
/// ordinary number for the outbox's index.
pub(crate) const HELD: UtcMillis = 8_000_000_000_000_000;

fn validate(conn: &rusqlite::Connection, input: &CampaignInput) -> Result<String> {
    let name = crate::base::fold::clean(Some(&input.name))
        .ok_or_else(|| Error::field("name", "campaign.name_missing", "give the campaign a name"))?;
    if input.channels.is_empty() {
        return Err(Error::field(
            "channels",
            "campaign.channels_missing",
            "choose at least one channel and its template",
        ));
    }
    for (i, ch) in input.channels.iter().enumerate() {
        if input.channels[..i].iter().any(|o| o.channel == ch.channel) {
            return Err(Error::field(
                "channels",
                "campaign.channel_twice",
                format!("{} is in the list twice", ch.channel.as_str()),
            )
            .with("channel", ch.channel.as_str()));
        }
        let t = templates::get(conn, &ch.template_id)?;
        if !ch.channel.accepts(t.channel) {
            return Err(Error::field(
                "channels",
                "send.template_wrong_channel",
                format!(
                    "the template “{}” is written for {}, not for this channel",
                    t.name,
                    t.channel.as_str()
                ),
            )
            .with("template", &t.name)
            .with("channel", t.channel.as_str()));
        }
    }
    match (input.window_start_min, input.window_end_min) {
        (None, None) => {}
        (Some(s), Some(e)) if (0..1440).contains(&s) && (1..=1440).contains(&e) && s != e => {}
        _ => {
            return Err(Error::field(
                "window",
                "campaign.window_invalid",
                "give the send window's start and end",
            ))
        }
    }
    if input.repeat == Repeat::Weekly && input.weekdays.unwrap_or(0) & 0x7f == 0 {
        return Err(Error::field(
            "weekdays",
            "campaign.weekdays_missing",
            "choose the days of the week",
        ));
    }
    if input.repeat == Repeat::Monthly && !(1..=31).contains(&input.month_day.unwrap_or(0)) {
        return Err(Error::field(
            "month_day",
            "campaign.month_day_invalid",
            "choose a day of the month from 1 to 31",
        ));
    }
    if let Some(t) = input.time_min {
        if !(0..1440).contains(&t) {
            return Err(Error::field(
                "time_min",
                "campaign.time_invalid",
                "choose a time of day",
            ));
        }
    }
    // A recurring campaign runs at its time: a time outside its window would never run.
    if let (true, Some(w)) = (
        input.repeat != Repeat::Once,
        window(input.window_start_min, input.window_end_min),
    ) {
        let t = input.time_min.unwrap_or(DEFAULT_TIME_MIN);
        let (start, end) = (w.start_min as i64, w.end_min as i64);
        let inside = if end > start {
            t >= start && t < end
        } else {
            t >= start || t < end
        };
        if !inside {
            return Err(Error::field(
                "time_min",
                "campaign.time_outside_window",
                "the time of day is outside the send window: it would never run",
            ));
        }
    }
    Ok(name)
}

impl Store {
    /// Every campaign, newest first, with its latest run's numbers.
    pub fn list_campaigns(&self) -> Result<Vec<CampaignSummary>> {
        let campaigns: Vec<Campaign> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM {} ORDER BY m.created_at DESC, m.id DESC",
                Campaign::COLUMNS,
                Campaign::FROM
            ))?
            .query_map([], Campaign::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        campaigns
            .into_iter()
            .map(|campaign| {
                let progress = self.campaign_progress(&campaign.id, None)?;
                Ok(CampaignSummary { campaign, progress })
            })
            .collect()
    }

    /// A campaign.
    pub fn get_campaign(&self, id: &CampaignId) -> Result<Campaign> {
        get_campaign(&self.conn, id)
    }

    /// Creates (`id` None) or edits a campaign. A campaign that has started keeps its status;
    /// a scheduled one's next run follows the new schedule.
    pub fn save_campaign(
        &mut self,
        id: Option<&CampaignId>,
        input: &CampaignInput,
        now: UtcMillis,
    ) -> Result<Campaign> {
        let name = validate(&self.conn, input)?;
        let channels = Campaign::channels_json(&input.channels)?;
        let before = match id {
            Some(id) => Some(get_campaign(&self.conn, id)?),
            None => None,
        };
        if before
            .as_ref()
            .is_some_and(|b| b.status == CampaignStatus::Cancelled)
        {
            return Err(Error::conflict(
                "campaign.cancelled",
                "this campaign was cancelled: make a new one",
            ));
        }
        let id = id.cloned().unwrap_or_else(CampaignId::new);
        let tx = self.write_tx()?;
        if before.is_none() {
            tx.execute(
                "INSERT INTO campaigns (id, name, channels, status, created_at, updated_at)
                 VALUES (?1, ?2, '[]', 'draft', ?3, ?3)",
                params![id, name, now],
            )?;
        }
        tx.execute(
            "UPDATE campaigns SET name = ?2, segment_id = ?3, channels = ?4, repeat = ?5,
                 start_at = ?6, time_min = ?7, weekdays = ?8, month_day = ?9,
                 window_start_min = ?10, window_end_min = ?11, require_consent = ?12,
                 updated_at = ?13
             WHERE id = ?1",
            params![
                id,
                name,
                input.segment_id,
                channels,
                input.repeat,
                input.start_at,
                input.time_min,
                input.weekdays,
                input.month_day,
                input.window_start_min,
                input.window_end_min,
                input.require_consent,
                now
            ],
        )?;
        tx.commit()?;
        if before.is_some_and(|b| b.status == CampaignStatus::Scheduled) {
            let c = get_campaign(&self.conn, &id)?;
            let next = first_run(self, &c, now);
            self.set_next_run(&id, CampaignStatus::Scheduled, next, now)?;
        }
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_CARE));
        get_campaign(&self.conn, &id)
    }

    /// Deletes a campaign that never ran; one that ran is kept for its report (cancel it).
    pub fn delete_campaign(&mut self, id: &CampaignId) -> Result<()> {
        let runs: i64 = self.conn.query_row(
            "SELECT count(*) FROM campaign_runs WHERE campaign_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if runs > 0 {
            return Err(Error::conflict(
                "campaign.has_runs",
                "this campaign has sent messages: cancel it instead, its report stays",
            ));
        }
        let n = self
            .conn
            .execute("DELETE FROM campaigns WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound("campaign"));
        }
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }

    /// Starts a campaign: it is scheduled for its first run (a one-off campaign without a time:
    /// now). Starting again a one-off campaign that ran takes up the same run, which sends
    /// nothing to anyone it already reached. The caller then runs what is due.
    pub fn start_campaign(&mut self, id: &CampaignId, now: UtcMillis) -> Result<Campaign> {
        let c = get_campaign(&self.conn, id)?;
        validate(&self.conn, &CampaignInput::from(&c))?;
        let Some(segment) = &c.segment_id else {
            return Err(Error::field(
                "segment_id",
                "campaign.segment_missing",
                "choose the segment the campaign goes to",
            ));
        };
        self.get_segment(segment)?;
        match c.status {
            CampaignStatus::Cancelled => {
                return Err(Error::conflict(
                    "campaign.cancelled",
                    "this campaign was cancelled: make a new one",
                ))
            }
            CampaignStatus::Paused => return self.resume_campaign(id, now),
            _ => {}
        }
        let mine = self.me()?;
        for ch in &c.channels {
            let t = templates::get(&self.conn, &ch.template_id)?;
            let text = format!("{} {}", t.subject.unwrap_or_default(), t.body);
            let needs_name = text.contains("me.name") && mine.name.is_none();
            let needs_phone = text.contains("me.phone") && mine.phone.is_none();
            if needs_name || needs_phone {
                return Err(Error::field(
                    "settings",
                    "send.my_details_missing",
                    "your own details are not set: add them in Settings",
                )
                .with(
                    "missing",
                    if needs_name {
                        "{{me.name}}"
                    } else {
                        "{{me.phone}}"
                    },
                ));
            }
        }
        // A one-off set for a time already gone is asked again rather than sent at once.
        if c.repeat == Repeat::Once && c.status == CampaignStatus::Draft {
            if let Some(at) = c.start_at.filter(|at| *at < now - 60_000) {
                return Err(Error::field(
                    "start_at",
                    "campaign.start_in_past",
                    "the time chosen to send has passed: choose another, or send now",
                )
                .with("at", at));
            }
        }
        let next = first_run(self, &c, now);
        let status = if next.is_some() {
            CampaignStatus::Scheduled
        } else {
            CampaignStatus::Done
        };
        self.set_next_run(id, status, next, now)?;
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_CARE));
        get_campaign(&self.conn, id)
    }

    /// Pauses a campaign: no run starts and its queued messages are held until it resumes.
    pub fn pause_campaign(&mut self, id: &CampaignId, now: UtcMillis) -> Result<Campaign> {
        let c = get_campaign(&self.conn, id)?;
        if matches!(c.status, CampaignStatus::Cancelled | CampaignStatus::Draft) {
            return Err(Error::conflict(
                "campaign.not_running",
                "only a started campaign can be paused",
            ));
        }
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE campaigns SET status = 'paused', updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        tx.execute(
            "UPDATE outbox SET next_attempt_at = ?2, updated_at = ?3
             WHERE campaign_id = ?1 AND status = 'queued'
               AND channel NOT IN ('zalo_personal', 'telegram_personal')",
            params![id, HELD, now],
        )?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_OUTBOX));
        get_campaign(&self.conn, id)
    }

    /// Resumes a paused campaign: its held messages are due again and its schedule goes on.
    pub fn resume_campaign(&mut self, id: &CampaignId, now: UtcMillis) -> Result<Campaign> {
        let c = get_campaign(&self.conn, id)?;
        if c.status != CampaignStatus::Paused {
            return Err(Error::conflict(
                "campaign.not_paused",
                "this campaign is not paused",
            ));
        }
        // Held messages go when the window is next open (now, without a window).
        let due = Schedule::of(&c)
            .window
            .map_or(now, |w| w.next_open(now, self.zone.as_ref()));
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE outbox SET next_attempt_at = ?2, updated_at = ?4
             WHERE campaign_id = ?1 AND status = 'queued' AND next_attempt_at = ?3",
            params![id, due, HELD, now],
        )?;
        let unfinished: i64 = tx.query_row(
            "SELECT count(*) FROM campaign_runs WHERE campaign_id = ?1 AND status = 'enqueuing'",
            [id],
            |r| r.get(0),
        )?;
        let status = if c.next_run_at.is_some() || unfinished > 0 {
            CampaignStatus::Scheduled
        } else {
            CampaignStatus::Done
        };
        tx.execute(
            "UPDATE campaigns SET status = ?2, last_error = NULL, updated_at = ?3 WHERE id = ?1",
            params![id, status, now],
        )?;
        tx.commit()?;
        self.record(
            Effects::DATA_CHANGED
                .merge(Effects::WAKE_OUTBOX)
                .merge(Effects::WAKE_CARE),
        );
        get_campaign(&self.conn, id)
    }

    /// Cancels a campaign: no run starts again and what is still queued is withdrawn (messages
    /// already sent stay sent).
    pub fn cancel_campaign(&mut self, id: &CampaignId, now: UtcMillis) -> Result<Campaign> {
        get_campaign(&self.conn, id)?;
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE campaigns SET status = 'cancelled', next_run_at = NULL, updated_at = ?2
             WHERE id = ?1",
            params![id, now],
        )?;
        tx.execute(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?2
             WHERE campaign_id = ?1 AND status = 'queued'",
            params![id, now],
        )?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        get_campaign(&self.conn, id)
    }
}

/// When a campaign being started (or rescheduled) first runs.
fn first_run(store: &Store, c: &Campaign, now: UtcMillis) -> Option<UtcMillis> {
    match c.repeat {
        Repeat::Once => Some(c.start_at.unwrap_or(now)),
        _ => Schedule::of(c).next_run(store.zone.as_ref(), now, None),
    }
}

impl Store {
    /// Keeps what is queued in step with what was decided since it was queued: messages of a
    /// paused campaign are held, of a cancelled one withdrawn, and automated messages to
    /// someone who said no (do not contact, consent withdrawn on the channel) withdrawn. The
    /// sender runs this before each pass, so a message it had claimed when the salesperson
    /// paused, cancelled or recorded the "no", and put back for a retry, does not go out.
    /// Personal messages waiting in Today are left to the scenario step that waits on them.
    pub fn enforce_holds(&mut self, now: UtcMillis) -> Result<usize> {
        let tx = self.write_tx()?;
        let mut n = tx.execute(
            "UPDATE outbox SET next_attempt_at = ?1, updated_at = ?2
             WHERE status = 'queued' AND next_attempt_at <> ?1
               AND channel NOT IN ('zalo_personal', 'telegram_personal')
               AND campaign_id IN (SELECT id FROM campaigns WHERE status = 'paused')",
            params![HELD, now],
        )?;
        n += tx.execute(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?1
             WHERE status = 'queued'
               AND campaign_id IN (SELECT id FROM campaigns WHERE status = 'cancelled')",
            params![now],
        )?;
        n += tx.execute(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?1
             WHERE status = 'queued' AND origin <> 'manual'
               AND channel NOT IN ('zalo_personal', 'telegram_personal')
               AND (customer_id IN (SELECT id FROM customers WHERE do_not_contact = 1)
                    OR (SELECT k.state FROM customer_consents k
                        WHERE k.customer_id = outbox.customer_id
                          AND k.channel = CASE
                              WHEN outbox.channel = 'telegram' THEN 'telegram'
                              WHEN outbox.channel = 'email' THEN 'email'
                              ELSE 'zalo' END
                        ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1) = 'withdrawn')",
            params![now],
        )?;
        tx.commit()?;
        if n > 0 {
            self.record(Effects::DATA_CHANGED);
        }
        Ok(n)
    }
}
