//! Campaigns, their runs and recipients, and what the screens read about them.

use rusqlite::Row;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::{CampaignId, CampaignRunId, CustomerId, OutboxId, SegmentId, TemplateId};
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::messaging::outbox::SendChannel;

/// A channel a campaign may use, with the Tend template written for it. A campaign's channels
/// are in its preferred order: each customer gets the first one they can be reached on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignChannel {
    pub channel: SendChannel,
    pub template_id: TemplateId,
}

/// How often a campaign runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Repeat {
    #[default]
    Once,
    Daily,
    /// On the weekdays of `weekdays`.
    Weekly,
    /// On `month_day` (the month's last day when it has fewer days).
    Monthly,
}

text_enum!(Repeat { Once => "once", Daily => "daily", Weekly => "weekly", Monthly => "monthly" });

/// Where a campaign stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CampaignStatus {
    /// Being written; nothing is sent.
    #[default]
    Draft,
    /// Waiting for its next run.
    Scheduled,
    /// A run is putting its messages in the outbox.
    Running,
    /// Its queued messages are held and no run starts.
    Paused,
    /// Every run is done (a one-off campaign that ran).
    Done,
    /// Stopped: queued messages were withdrawn.
    Cancelled,
}

text_enum!(CampaignStatus { Draft => "draft", Scheduled => "scheduled", Running => "running", Paused => "paused", Done => "done", Cancelled => "cancelled" });

/// What the campaign form sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CampaignInput {
    pub name: String,
    pub segment_id: Option<SegmentId>,
    pub channels: Vec<CampaignChannel>,
    pub repeat: Repeat,
    /// A one-off campaign: when to send (`None`: when started). A recurring one: the first day
    /// it may run.
    #[ts(type = "number | null")]
    pub start_at: Option<UtcMillis>,
    /// A recurring campaign: the time of day it runs, minutes from local midnight.
    #[ts(type = "number | null")]
    pub time_min: Option<i64>,
    /// Weekly: a bit per weekday (Monday = 1 … Sunday = 64).
    #[ts(type = "number | null")]
    pub weekdays: Option<i64>,
    /// Monthly: the day of the month (1–31).
    #[ts(type = "number | null")]
    pub month_day: Option<i64>,
    /// The send window, minutes from local midnight; both or neither.
    #[ts(type = "number | null")]
    pub window_start_min: Option<i64>,
    #[ts(type = "number | null")]
    pub window_end_min: Option<i64>,
    /// Only customers who gave consent on the channel get the message.
    pub require_consent: bool,
}

/// A campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Campaign {
    pub id: CampaignId,
    pub name: String,
    pub segment_id: Option<SegmentId>,
    pub segment_name: Option<String>,
    pub channels: Vec<CampaignChannel>,
    pub repeat: Repeat,
    #[ts(type = "number | null")]
    pub start_at: Option<UtcMillis>,
    #[ts(type = "number | null")]
    pub time_min: Option<i64>,
    #[ts(type = "number | null")]
    pub weekdays: Option<i64>,
    #[ts(type = "number | null")]
    pub month_day: Option<i64>,
    #[ts(type = "number | null")]
    pub window_start_min: Option<i64>,
    #[ts(type = "number | null")]
    pub window_end_min: Option<i64>,
    pub require_consent: bool,
    pub status: CampaignStatus,
    #[ts(type = "number | null")]
    pub next_run_at: Option<UtcMillis>,
    /// Why the scheduler paused it (its segment or a template deleted…), until it starts again;
    /// worded by the UI from its key like any error.
    pub last_error: Option<crate::base::error::ErrorPayload>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
}

impl Campaign {
    pub(crate) const COLUMNS: &str = "m.id, m.name, m.segment_id, s.name AS segment_name, \
        m.channels, m.repeat, m.start_at, m.time_min, m.weekdays, m.month_day, \
        m.window_start_min, m.window_end_min, m.require_consent, m.status, m.next_run_at, \
        m.last_error, m.created_at, m.updated_at";

    pub(crate) const FROM: &str = "campaigns m LEFT JOIN segments s ON s.id = m.segment_id";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Campaign> {
        let channels: String = r.get("channels")?;
        Ok(Campaign {
            id: r.get("id")?,
            name: r.get("name")?,
            segment_id: r.get("segment_id")?,
            segment_name: r.get("segment_name")?,
            channels: serde_json::from_str(&channels).unwrap_or_default(),
            repeat: r.get("repeat")?,
            start_at: r.get("start_at")?,
            time_min: r.get("time_min")?,
            weekdays: r.get("weekdays")?,
            month_day: r.get("month_day")?,
            window_start_min: r.get("window_start_min")?,
            window_end_min: r.get("window_end_min")?,
            require_consent: r.get("require_consent")?,
            status: r.get("status")?,
            next_run_at: r.get("next_run_at")?,
            last_error: r
                .get::<_, Option<String>>("last_error")?
                .and_then(|j| serde_json::from_str(&j).ok()),
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        })
    }

    pub(crate) fn channels_json(channels: &[CampaignChannel]) -> Result<String> {
        serde_json::to_string(channels).map_err(|e| Error::Internal(e.to_string()))
    }
}

impl From<&Campaign> for CampaignInput {
    fn from(c: &Campaign) -> CampaignInput {
        CampaignInput {
            name: c.name.clone(),
            segment_id: c.segment_id.clone(),
            channels: c.channels.clone(),
            repeat: c.repeat,
            start_at: c.start_at,
            time_min: c.time_min,
            weekdays: c.weekdays,
            month_day: c.month_day,
            window_start_min: c.window_start_min,
            window_end_min: c.window_end_min,
            require_consent: c.require_consent,
        }
    }
}

/// A campaign in the list, with its latest run's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub progress: CampaignProgress,
}

/// Whether a run has put all its messages in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RunStatus {
    Enqueuing,
    Enqueued,
}

text_enum!(RunStatus { Enqueuing => "enqueuing", Enqueued => "enqueued" });

/// One run of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignRun {
    pub id: CampaignRunId,
    pub campaign_id: CampaignId,
    /// The local date it ran for (`YYYY-MM-DD`), or `once`.
    pub run_key: String,
    pub status: RunStatus,
    #[ts(type = "number")]
    pub started_at: UtcMillis,
    #[ts(type = "number | null")]
    pub enqueued_at: Option<UtcMillis>,
}

impl CampaignRun {
    pub(crate) const COLUMNS: &str = "id, campaign_id, run_key, status, started_at, enqueued_at";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<CampaignRun> {
        Ok(CampaignRun {
            id: r.get("id")?,
            campaign_id: r.get("campaign_id")?,
            run_key: r.get("run_key")?,
            status: r.get("status")?,
            started_at: r.get("started_at")?,
            enqueued_at: r.get("enqueued_at")?,
        })
    }
}

/// Why a customer of the segment gets nothing from a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SkipReason {
    /// No address on any of the campaign's channels.
    NoChannel,
    /// The template needs a value this customer does not have.
    MissingValue,
    /// The message is longer than the channel takes.
    TooLong,
    DoNotContact,
    ConsentWithdrawn,
    NoConsent,
    /// The customer already had the most automated messages the cap allows this week.
    FrequencyCap,
    /// Deleted after the run started.
    Deleted,
    /// The message could not be made for them (`detail` says why).
    Error,
    /// A recurring run cut short whose day ended before it reached them.
    Expired,
}

text_enum!(SkipReason {
    NoChannel => "no_channel", MissingValue => "missing_value", TooLong => "too_long",
    DoNotContact => "do_not_contact", ConsentWithdrawn => "consent_withdrawn",
    NoConsent => "no_consent", FrequencyCap => "frequency_cap", Deleted => "deleted",
    Error => "error", Expired => "expired"
});

/// How many of something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChannelCount {
    pub channel: SendChannel,
    #[ts(type = "number")]
    pub count: i64,
}

/// How many were skipped for a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkipCount {
    pub reason: SkipReason,
    #[ts(type = "number")]
    pub count: i64,
}

/// Who a campaign would reach if it started now, shown before it starts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientPreview {
    /// Customers in the segment now.
    #[ts(type = "number")]
    pub total: i64,
    /// Messages the outbox would send.
    #[ts(type = "number")]
    pub sending: i64,
    /// Personal Zalo or Telegram messages for the salesperson's worklist.
    #[ts(type = "number")]
    pub assisted: i64,
    pub by_channel: Vec<ChannelCount>,
    #[ts(type = "number")]
    pub skipped: i64,
    pub skipped_by_reason: Vec<SkipCount>,
    /// Over the large-send threshold: the start asks twice.
    pub large: bool,
    #[ts(type = "number")]
    pub large_threshold: i64,
}

/// One customer of a preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignPreviewRow {
    pub customer_id: CustomerId,
    pub full_name: String,
    pub channel: Option<SendChannel>,
    pub skip_reason: Option<SkipReason>,
    /// What is missing or why, in English (the UI words the reason itself).
    pub detail: Option<String>,
}

/// A page of a preview, by channel or skip reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct PreviewQuery {
    pub channel: Option<SendChannel>,
    pub skip_reason: Option<SkipReason>,
    /// Only the skipped ones (any reason).
    pub skipped: bool,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}

/// Where a recipient of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecipientOutcome {
    Queued,
    Sending,
    Sent,
    Failed,
    NeedsManual,
    Cancelled,
    /// A personal message waiting in the salesperson's worklist.
    Waiting,
    Skipped,
    /// Considered by a run that was cut short; taken up when it resumes.
    Pending,
}

text_enum!(RecipientOutcome {
    Queued => "queued", Sending => "sending", Sent => "sent", Failed => "failed",
    NeedsManual => "needs_manual", Cancelled => "cancelled", Waiting => "waiting",
    Skipped => "skipped", Pending => "pending"
});

/// A run's numbers, live.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignProgress {
    pub run: Option<CampaignRun>,
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub queued: i64,
    #[ts(type = "number")]
    pub sent: i64,
    #[ts(type = "number")]
    pub failed: i64,
    #[ts(type = "number")]
    pub skipped: i64,
    #[ts(type = "number")]
    pub waiting: i64,
    #[ts(type = "number")]
    pub needs_manual: i64,
    #[ts(type = "number")]
    pub cancelled: i64,
    #[ts(type = "number")]
    pub pending: i64,
    /// Recipients who wrote back (an inbound interaction) within 7 days of their message.
    #[ts(type = "number")]
    pub replied: i64,
}

/// A run's numbers by channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChannelOutcome {
    pub channel: SendChannel,
    #[ts(type = "number")]
    pub queued: i64,
    #[ts(type = "number")]
    pub sent: i64,
    #[ts(type = "number")]
    pub failed: i64,
    #[ts(type = "number")]
    pub waiting: i64,
    #[ts(type = "number")]
    pub other: i64,
    #[ts(type = "number")]
    pub replied: i64,
}

/// The report of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignReport {
    pub campaign: Campaign,
    pub progress: CampaignProgress,
    pub by_channel: Vec<ChannelOutcome>,
    pub skipped_by_reason: Vec<SkipCount>,
    /// Every run, newest first.
    pub runs: Vec<CampaignRun>,
}

/// One recipient of a run, as the report lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientRow {
    pub customer_id: CustomerId,
    pub full_name: String,
    pub channel: Option<SendChannel>,
    pub outcome: RecipientOutcome,
    pub skip_reason: Option<SkipReason>,
    pub detail: Option<String>,
    pub outbox_id: Option<OutboxId>,
    pub last_error: Option<String>,
    #[ts(type = "number | null")]
    pub sent_at: Option<UtcMillis>,
    pub replied: bool,
}

/// A page of a run's recipients.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct RecipientQuery {
    /// The run (`None`: the latest).
    pub run_id: Option<CampaignRunId>,
    pub outcome: Option<RecipientOutcome>,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}
