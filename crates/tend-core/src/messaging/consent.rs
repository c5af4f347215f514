//! Consent to be messaged, per channel, and "do not contact": recorded as a history (when and
//! how each was given or withdrawn), read as the latest record per channel. Campaigns and care
//! scenarios ask `contact_block` before they queue a message; a message sent by hand only warns.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::{ConsentId, CustomerId, InteractionId};
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::db::store::Store;
use crate::messaging::outbox::SendChannel;

/// The channels consent is kept for; `all` is "do not contact" as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConsentChannel {
    Telegram,
    Zalo,
    Email,
    All,
}

text_enum!(ConsentChannel { Telegram => "telegram", Zalo => "zalo", Email => "email", All => "all" });

impl ConsentChannel {
    /// The channel whose consent a send needs (Zalo's routes and personal chats share one).
    pub fn of(channel: SendChannel) -> ConsentChannel {
        match channel {
            SendChannel::Telegram | SendChannel::TelegramPersonal => ConsentChannel::Telegram,
            SendChannel::Email => ConsentChannel::Email,
            SendChannel::ZaloOa
            | SendChannel::ZaloPersonal
            | SendChannel::ZaloAuto
            | SendChannel::ZaloTemplate => ConsentChannel::Zalo,
        }
    }
}

/// Given or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConsentState {
    Given,
    Withdrawn,
}

text_enum!(ConsentState { Given => "given", Withdrawn => "withdrawn" });

/// How consent was given or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConsentMethod {
    InPerson,
    Form,
    Imported,
    /// Read from the customer's own message ("STOP").
    Message,
    Phone,
    Other,
}

text_enum!(ConsentMethod { InPerson => "in_person", Form => "form", Imported => "imported", Message => "message", Phone => "phone", Other => "other" });

/// One line of a customer's consent history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentRecord {
    pub id: ConsentId,
    pub customer_id: CustomerId,
    pub channel: ConsentChannel,
    pub state: ConsentState,
    pub method: ConsentMethod,
    pub note: Option<String>,
    pub interaction_id: Option<InteractionId>,
    #[ts(type = "number")]
    pub recorded_at: UtcMillis,
}

impl ConsentRecord {
    const COLUMNS: &str =
        "id, customer_id, channel, state, method, note, interaction_id, recorded_at";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<ConsentRecord> {
        Ok(ConsentRecord {
            id: r.get("id")?,
            customer_id: r.get("customer_id")?,
            channel: r.get("channel")?,
            state: r.get("state")?,
            method: r.get("method")?,
            note: r.get("note")?,
            interaction_id: r.get("interaction_id")?,
            recorded_at: r.get("recorded_at")?,
        })
    }
}

/// What the salesperson records.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentInput {
    pub customer_id: CustomerId,
    pub channel: ConsentChannel,
    pub state: ConsentState,
    pub method: ConsentMethod,
    #[serde(default)]
    pub note: Option<String>,
}

/// A customer's consent as it stands, with its history (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerConsent {
    pub do_not_contact: bool,
    #[ts(type = "number | null")]
    pub do_not_contact_at: Option<UtcMillis>,
    /// The latest record of each channel that has one.
    pub current: Vec<ConsentRecord>,
    pub history: Vec<ConsentRecord>,
}

/// Why a customer may not get an automated message on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactBlock {
    DoNotContact,
    ConsentWithdrawn,
    /// Consent is required (a campaign asking for it) and was never given.
    NoConsent,
}

text_enum!(ContactBlock { DoNotContact => "do_not_contact", ConsentWithdrawn => "consent_withdrawn", NoConsent => "no_consent" });

impl ContactBlock {
    /// In English, for step logs and the command line.
    pub fn describe(self) -> &'static str {
        match self {
            ContactBlock::DoNotContact => "the customer asked not to be contacted",
            ContactBlock::ConsentWithdrawn => "the customer withdrew consent on this channel",
            ContactBlock::NoConsent => "the customer has not given consent on this channel",
        }
    }
}

/// The latest consent state of a customer on a channel, if any was recorded.
pub(crate) fn consent_state(
    conn: &Connection,
    customer: &CustomerId,
    channel: ConsentChannel,
) -> Result<Option<ConsentState>> {
    Ok(conn
        .prepare_cached(
            "SELECT state FROM customer_consents WHERE customer_id = ?1 AND channel = ?2
             ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )?
        .query_row(params![customer, channel], |r| r.get(0))
        .optional()?)
}

/// Whether an automated message to `customer` on `channel` must not go, and why.
/// `require_given`: only customers who gave consent on the channel may get it.
pub(crate) fn contact_block(
    conn: &Connection,
    customer: &CustomerId,
    channel: SendChannel,
    require_given: bool,
) -> Result<Option<ContactBlock>> {
    let dnc: bool = conn
        .prepare_cached("SELECT do_not_contact FROM customers WHERE id = ?1")?
        .query_row([customer], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    if dnc {
        return Ok(Some(ContactBlock::DoNotContact));
    }
    Ok(
        match consent_state(conn, customer, ConsentChannel::of(channel))? {
            Some(ConsentState::Withdrawn) => Some(ContactBlock::ConsentWithdrawn),
            Some(ConsentState::Given) => None,
            None if require_given => Some(ContactBlock::NoConsent),
            None => None,
        },
    )
}

/// Cancels the automated messages still queued for a customer who just said no (on one
/// channel, or on all of them), so nothing already waiting reaches them.
pub(crate) fn cancel_automated(
    conn: &Connection,
    customer: &CustomerId,
    channel: ConsentChannel,
    now: UtcMillis,
) -> Result<usize> {
    // The send channels this consent covers, from the one mapping (`ConsentChannel::of`).
    let channels: Vec<&str> = SendChannel::ALL
        .into_iter()
        .filter(|c| channel == ConsentChannel::All || ConsentChannel::of(*c) == channel)
        .map(SendChannel::as_str)
        .collect();
    let list = serde_json::to_string(&channels).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(conn
        .prepare_cached(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?3
             WHERE status = 'queued' AND customer_id = ?1 AND origin <> 'manual'
               AND channel IN (SELECT value FROM json_each(?2))",
        )?
        .execute(params![customer, list, now])?)
}

pub(crate) fn insert(
    conn: &Connection,
    input: &ConsentInput,
    interaction: Option<&InteractionId>,
    now: UtcMillis,
) -> Result<ConsentId> {
    let id = ConsentId::new();
    conn.prepare_cached(
        "INSERT INTO customer_consents (id, customer_id, channel, state, method, note,
             interaction_id, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        input.customer_id,
        input.channel,
        input.state,
        input.method,
        crate::base::fold::clean(input.note.as_deref()),
        interaction,
        now
    ])?;
    Ok(id)
}

impl Store {
    /// A customer's consent and its history.
    pub fn customer_consent(&self, customer: &CustomerId) -> Result<CustomerConsent> {
        let (dnc, dnc_at): (bool, Option<UtcMillis>) = self
            .conn
            .query_row(
                "SELECT do_not_contact, do_not_contact_at FROM customers WHERE id = ?1",
                [customer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound("customer"))?;
        let history: Vec<ConsentRecord> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM customer_consents WHERE customer_id = ?1
                 ORDER BY recorded_at DESC, id DESC",
                ConsentRecord::COLUMNS
            ))?
            .query_map([customer], ConsentRecord::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut current: Vec<ConsentRecord> = Vec::new();
        for r in &history {
            if r.channel != ConsentChannel::All && !current.iter().any(|c| c.channel == r.channel) {
                current.push(r.clone());
            }
        }
        Ok(CustomerConsent {
            do_not_contact: dnc,
            do_not_contact_at: dnc_at,
            current,
            history,
        })
    }
}
