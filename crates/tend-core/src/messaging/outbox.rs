//! The outbox: every message is first a row here, and moves through
//! `queued → sending → sent | queued (retry) | failed`, or to `needs_manual` when the app died
//! mid-send, or `cancelled` by the salesperson.
//!
//! Invariants:
//! - A row is claimed (`sending`, attempts + 1) in its own committed transaction before any
//!   network call, so a crash during the call leaves evidence; at the next start such rows
//!   become `needs_manual`, never re-sent blindly (neither Telegram nor Zalo can be asked
//!   whether a send happened).
//! - The idempotency key is unique: enqueueing the same key twice returns the first row.
//! - A sent row, its timeline interaction, the customer's roll-ups and the template's usage
//!   count are written in one transaction.
//!
//! Rows are read by name: `OutboxMessage::COLUMNS` (over `OutboxMessage::FROM`) is the select
//! list and `OutboxMessage::from_row` reads exactly those names.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::{CampaignId, CustomerId, InteractionId, OutboxId, TemplateId};
use crate::base::page::Page;
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::crm::customers::{get_customer, Customer};
use crate::crm::interactions::{Direction, InteractionKind};
use crate::crm::rollups::refresh_rollups;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::templates::{self, RenderInput, Rendered};
use crate::messaging::zalo::approved;
use crate::messaging::zalo::mapping;
use crate::messaging::zalo::route::ZaloRoute;

/// How a message is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SendChannel {
    /// The Telegram bot, to the customer's chat id.
    #[default]
    Telegram,
    /// The Zalo Official Account, to the customer's Zalo user id.
    ZaloOa,
    /// Email over SMTP.
    Email,
    /// The salesperson's own Zalo: copy the text, open the chat, confirm.
    ZaloPersonal,
    /// The salesperson's own Telegram: open a prefilled draft, confirm.
    TelegramPersonal,
    /// Zalo by the cheapest route that applies when it is sent: a free reply, a consultation
    /// message, a template message to the phone, or the salesperson's own Zalo.
    ZaloAuto,
    /// An approved Zalo template to the customer's phone number.
    ZaloTemplate,
}

impl SendChannel {
    /// Every channel.
    pub const ALL: [SendChannel; 7] = [
        SendChannel::Telegram,
        SendChannel::ZaloOa,
        SendChannel::Email,
        SendChannel::ZaloPersonal,
        SendChannel::TelegramPersonal,
        SendChannel::ZaloAuto,
        SendChannel::ZaloTemplate,
    ];
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutboxStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    NeedsManual,
    Cancelled,
}

/// A suggested next step after a failure, worded by the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorHint {
    /// The customer is outside Zalo's interaction window: send from your own Zalo.
    UsePersonalZalo,
    /// The customer blocked the bot or never started it: send from your own Telegram.
    UsePersonalTelegram,
    /// A token, password or server setting is wrong or missing.
    CheckSettings,
    /// The customer has no address on this channel, or it is wrong.
    AddRecipient,
    /// The app stopped mid-send: ask the customer whether it arrived, then retry or dismiss.
    CheckWithCustomer,
    /// No network: the message goes out when it is back.
    Offline,
}

text_enum!(SendChannel { Telegram => "telegram", ZaloOa => "zalo_oa", Email => "email", ZaloPersonal => "zalo_personal", TelegramPersonal => "telegram_personal", ZaloAuto => "zalo_auto", ZaloTemplate => "zalo_template" });
text_enum!(OutboxStatus { Queued => "queued", Sending => "sending", Sent => "sent", Failed => "failed", NeedsManual => "needs_manual", Cancelled => "cancelled" });
text_enum!(ErrorHint { UsePersonalZalo => "use_personal_zalo", UsePersonalTelegram => "use_personal_telegram", CheckSettings => "check_settings", AddRecipient => "add_recipient", CheckWithCustomer => "check_with_customer", Offline => "offline" });

impl SendChannel {
    /// Channels the background sender delivers; the personal ones are sent by hand.
    pub fn is_automatic(self) -> bool {
        matches!(
            self,
            SendChannel::Telegram
                | SendChannel::ZaloOa
                | SendChannel::Email
                | SendChannel::ZaloAuto
                | SendChannel::ZaloTemplate
        )
    }

    /// The timeline kind of a message sent on this channel.
    pub fn interaction_kind(self) -> InteractionKind {
        match self {
            SendChannel::Telegram | SendChannel::TelegramPersonal => InteractionKind::Telegram,
            SendChannel::ZaloOa
            | SendChannel::ZaloPersonal
            | SendChannel::ZaloAuto
            | SendChannel::ZaloTemplate => InteractionKind::Zalo,
            SendChannel::Email => InteractionKind::Email,
        }
    }

    /// Whether a template written for `t` fits this channel.
    pub fn accepts(self, t: templates::TemplateChannel) -> bool {
        use templates::TemplateChannel as T;
        match t {
            // A text goes as a Zalo template only when it maps to one (checked with the template).
            T::Any => true,
            T::Telegram => matches!(self, SendChannel::Telegram | SendChannel::TelegramPersonal),
            T::Zalo => matches!(
                self,
                SendChannel::ZaloOa
                    | SendChannel::ZaloPersonal
                    | SendChannel::ZaloAuto
                    | SendChannel::ZaloTemplate
            ),
            T::Email => self == SendChannel::Email,
            // Zalo's words, no text of Tend's: only as a template message.
            T::ZaloTemplate => self == SendChannel::ZaloTemplate,
        }
    }

    /// The longest text the channel takes.
    pub fn max_len(self) -> Option<usize> {
        match self {
            SendChannel::Telegram | SendChannel::TelegramPersonal => Some(4096),
            SendChannel::ZaloOa | SendChannel::ZaloPersonal | SendChannel::ZaloAuto => Some(2000),
            SendChannel::Email | SendChannel::ZaloTemplate => None,
        }
    }
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxMessage {
    pub id: OutboxId,
    pub channel: SendChannel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body_text: String,
    pub body_html: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub customer_name: Option<String>,
    pub template_id: Option<TemplateId>,
    pub idempotency_key: String,
    pub status: OutboxStatus,
    #[ts(type = "number")]
    pub attempts: i64,
    #[ts(type = "number | null")]
    pub next_attempt_at: Option<UtcMillis>,
    pub last_error: Option<String>,
    pub error_hint: Option<ErrorHint>,
    pub provider_message_id: Option<String>,
    pub interaction_id: Option<InteractionId>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
    #[ts(type = "number | null")]
    pub sent_at: Option<UtcMillis>,
    /// Zalo messages: what each Zalo route needs.
    pub zalo_payload: Option<ZaloPayload>,
    /// Zalo messages: the route of the last attempt.
    pub route: Option<ZaloRoute>,
    /// Zalo messages: the routes that failed for good, never tried again.
    pub routes_tried: Vec<ZaloRoute>,
    pub origin: MessageOrigin,
    pub campaign_id: Option<CampaignId>,
}

/// Who queued a message: automated ones count against the frequency cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MessageOrigin {
    #[default]
    Manual,
    Scenario,
    Campaign,
}

text_enum!(MessageOrigin { Manual => "manual", Scenario => "scenario", Campaign => "campaign" });

/// A message to put in the outbox.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub channel: SendChannel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body_text: String,
    pub body_html: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub template_id: Option<TemplateId>,
    pub idempotency_key: String,
    pub zalo_payload: Option<ZaloPayload>,
    pub origin: MessageOrigin,
    pub campaign_id: Option<CampaignId>,
}

/// What the Zalo routes of a message need, fixed when it is queued: the customer's Zalo user id
/// and phone (Zalo's 84… form), and the Zalo template with its values when the Tend template
/// maps to one and every value is there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZaloPayload {
    pub user_id: Option<String>,
    pub phone: Option<String>,
    pub template_id: Option<String>,
    #[ts(type = "Record<string, string> | null")]
    pub template_data: Option<std::collections::BTreeMap<String, String>>,
    /// What one template message costs, VNĐ.
    #[ts(type = "number | null")]
    pub template_price_vnd: Option<i64>,
    /// The customer's message a free reply quotes (set when that route is taken).
    pub quote_message_id: Option<String>,
    /// The Zalo template's name, for what the outbox shows once it went as a template.
    pub template_name: Option<String>,
}

/// What the compose form sends: a template, for a customer, on a channel.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ComposeRequest {
    pub customer_id: CustomerId,
    pub template_id: TemplateId,
    pub channel: SendChannel,
    /// Made once per compose by the UI, so a double click or a retried call sends once.
    pub idempotency_key: String,
}

/// An assisted send prepared for the salesperson: the text to paste and the chat to open.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssistedSend {
    pub text: String,
    pub url: String,
}

/// Outbox filter and page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct OutboxQuery {
    pub status: Option<OutboxStatus>,
    pub customer_id: Option<CustomerId>,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}

/// The counters shown in the navigation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxCounts {
    #[ts(type = "number")]
    pub queued: i64,
    #[ts(type = "number")]
    pub failed: i64,
    #[ts(type = "number")]
    pub needs_manual: i64,
}

/// The recipient of a customer on a channel, or a field error saying what to add.
pub fn recipient_for(c: &Customer, channel: SendChannel) -> Result<String> {
    // `key` says which detail is missing, so the UI can name it in the user's language.
    let missing = |key: &'static str, what: &str| {
        Error::field(
            "recipient",
            key,
            format!(
                "{} has no {what}: add it to the customer first",
                c.full_name
            ),
        )
        .with("name", &c.full_name)
    };
    match channel {
        SendChannel::Telegram => c.telegram_id.clone().ok_or_else(|| {
            missing(
                "recipient.no_telegram_chat",
                "Telegram chat id (bind their Telegram)",
            )
        }),
        SendChannel::ZaloOa => c
            .zalo_id
            .clone()
            .ok_or_else(|| missing("recipient.no_zalo_id", "Zalo user id")),
        SendChannel::Email => c
            .email
            .clone()
            .ok_or_else(|| missing("recipient.no_email", "email address")),
        SendChannel::ZaloPersonal => c
            .zalo_phone
            .clone()
            .or_else(|| {
                c.phones
                    .iter()
                    .find(|p| p.is_primary)
                    .map(|p| p.number.clone())
            })
            .ok_or_else(|| missing("recipient.no_zalo_phone", "Zalo phone number")),
        SendChannel::TelegramPersonal => c
            .telegram_username
            .clone()
            .ok_or_else(|| missing("recipient.no_telegram_username", "Telegram username")),
        SendChannel::ZaloTemplate => {
            zalo_phone(c).ok_or_else(|| missing("recipient.no_phone", "phone number"))
        }
        SendChannel::ZaloAuto => c
            .zalo_id
            .clone()
            .or_else(|| zalo_phone(c))
            .ok_or_else(|| missing("recipient.no_zalo", "Zalo user id or phone number")),
    }
}

/// The number a customer's Zalo is on: their Zalo phone, else their primary phone (E.164).
pub fn zalo_phone(c: &Customer) -> Option<String> {
    c.zalo_phone.clone().or_else(|| {
        c.phones
            .iter()
            .find(|p| p.is_primary)
            .map(|p| p.number.clone())
    })
}

/// Zalo's published price of a template message, VNĐ, when neither Settings nor Zalo say.
pub const DEFAULT_ZALO_TEMPLATE_PRICE_VND: i64 = 200;

/// What the Zalo routes of a message to `customer` from `template` on `channel` need, and, for a
/// Zalo template message, the text the outbox and the timeline show for it. `None` for the other
/// channels. A Zalo template message is blocked (with the parameter named) when a value is
/// missing or too long; for Zalo (automatic), the template route is simply left out then.
pub(crate) fn zalo_payload(
    conn: &Connection,
    channel: SendChannel,
    template: &templates::Template,
    customer: &Customer,
    context: &serde_json::Value,
) -> Result<Option<(ZaloPayload, Option<String>)>> {
    if !matches!(channel, SendChannel::ZaloAuto | SendChannel::ZaloTemplate) {
        return Ok(None);
    }
    let phone = zalo_phone(customer);
    let mut payload = ZaloPayload {
        user_id: (channel == SendChannel::ZaloAuto)
            .then(|| customer.zalo_id.clone())
            .flatten(),
        phone: phone.clone(),
        ..Default::default()
    };
    let mapped = template
        .zalo_template_id
        .as_ref()
        .map(|id| approved::get(conn, id));
    let mut summary = None;
    match (channel, mapped) {
        (SendChannel::ZaloTemplate, None) => {
            return Err(Error::field(
                "template",
                "send.zalo_template_not_mapped",
                format!("“{}” is not mapped to a Zalo template", template.name),
            )
            .with("template", &template.name))
        }
        (SendChannel::ZaloTemplate, Some(zt)) => {
            let zt = zt.map_err(|_| {
                Error::field(
                    "template",
                    "template.zalo_template_unknown",
                    "this Zalo template is not among the OA's: refresh the list of Zalo templates",
                )
            })?;
            let resolved = mapping::resolve(
                &zt.params,
                template.zalo_params.as_ref().unwrap_or(&Default::default()),
                context,
            );
            if !zt.is_approved() {
                return Err(Error::field(
                    "template",
                    "template.zalo_template_not_approved",
                    format!("Zalo has not approved “{}” ({})", zt.name, zt.status),
                )
                .with("template", &zt.name)
                .with("status", &zt.status));
            }
            let data = mapping::values(&resolved, &customer.full_name)?;
            summary = Some(templates::zalo_summary(
                &zt.name,
                data.iter().map(|(k, v)| (k.as_str(), Some(v.as_str()))),
            ));
            payload.template_price_vnd = Some(template_price(conn, zt.price_vnd)?);
            payload.template_name = Some(zt.name);
            payload.template_id = Some(zt.template_id);
            payload.template_data = Some(data);
        }
        (_, Some(Ok(zt))) if zt.is_approved() => {
            let resolved = mapping::resolve(
                &zt.params,
                template.zalo_params.as_ref().unwrap_or(&Default::default()),
                context,
            );
            if let Ok(data) = mapping::values(&resolved, &customer.full_name) {
                payload.template_price_vnd = Some(template_price(conn, zt.price_vnd)?);
                payload.template_name = Some(zt.name);
                payload.template_id = Some(zt.template_id);
                payload.template_data = Some(data);
            }
        }
        _ => {}
    }
    Ok(Some((payload, summary)))
}

/// The price of a template message: the one set in Settings, else Zalo's, else the published one.
fn template_price(conn: &Connection, zalo_price: Option<i64>) -> Result<i64> {
    let set: Option<i64> =
        crate::db::settings::get_in(conn, "zalo_template_price_vnd")?.and_then(|p| p.parse().ok());
    Ok(set
        .or(zalo_price)
        .unwrap_or(DEFAULT_ZALO_TEMPLATE_PRICE_VND))
}

/// The chat a personal send opens: `https://zalo.me/<0…>` or `https://t.me/<user>?text=…`.
pub fn assisted_url(channel: SendChannel, recipient: &str, text: &str) -> Option<String> {
    match channel {
        SendChannel::ZaloPersonal => {
            let local = match recipient.strip_prefix("+84") {
                Some(rest) => format!("0{rest}"),
                None => recipient.trim_start_matches('+').to_string(),
            };
            Some(format!("https://zalo.me/{local}"))
        }
        SendChannel::TelegramPersonal => Some(format!(
            "https://t.me/{recipient}?text={}",
            percent_encode(text)
        )),
        _ => None,
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), UTF-8 bytes.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Store {
    /// Renders a template for a customer and queues it. Blocks (with a field error naming them)
    /// when variables are missing for this customer, when the customer has no address on the
    /// channel, or when the template does not fit the channel. The same idempotency key twice
    /// returns the first message.
    pub fn compose(
        &mut self,
        req: &ComposeRequest,
        today: &str,
        now: UtcMillis,
    ) -> Result<OutboxMessage> {
        if let Some(existing) = self.outbox_by_key(&req.idempotency_key)? {
            return Ok(existing);
        }
        let (rendered, recipient, zalo_payload) = self.prepare(req, today)?;
        if !req.channel.is_automatic() {
            return Err(Error::field(
                "channel",
                "send.personal_is_assisted",
                "personal Zalo and Telegram are sent by hand: use the assisted send",
            ));
        }
        let queued = self.enqueue(
            &NewMessage {
                channel: req.channel,
                recipient,
                subject: rendered.subject,
                body_text: rendered.text,
                body_html: rendered.html,
                customer_id: Some(req.customer_id.clone()),
                template_id: Some(req.template_id.clone()),
                idempotency_key: req.idempotency_key.clone(),
                zalo_payload,
                origin: MessageOrigin::Manual,
                campaign_id: None,
            },
            now,
        )?;
        self.record(Effects::WAKE_OUTBOX.merge(Effects::DATA_CHANGED));
        Ok(queued)
    }

    /// The text and chat link of a personal (assisted) send, checked as a queued send is.
    pub fn prepare_assisted(&self, req: &ComposeRequest, today: &str) -> Result<AssistedSend> {
        let (rendered, recipient, _) = self.prepare(req, today)?;
        let url = assisted_url(req.channel, &recipient, &rendered.text).ok_or_else(|| {
            Error::field(
                "channel",
                "send.only_personal_is_assisted",
                "only personal Zalo and Telegram are sent by hand",
            )
        })?;
        Ok(AssistedSend {
            text: rendered.text,
            url,
        })
    }

    /// Records a personal send the salesperson confirmed they made: a `sent` row, and the
    /// message on the timeline.
    pub fn record_assisted(
        &mut self,
        req: &ComposeRequest,
        today: &str,
        now: UtcMillis,
    ) -> Result<OutboxMessage> {
        if let Some(existing) = self.outbox_by_key(&req.idempotency_key)? {
            return Ok(existing);
        }
        let (rendered, recipient, _) = self.prepare(req, today)?;
        let msg = self.enqueue(
            &NewMessage {
                channel: req.channel,
                recipient,
                subject: None,
                body_text: rendered.text,
                body_html: None,
                customer_id: Some(req.customer_id.clone()),
                template_id: Some(req.template_id.clone()),
                idempotency_key: req.idempotency_key.clone(),
                zalo_payload: None,
                origin: MessageOrigin::Manual,
                campaign_id: None,
            },
            now,
        )?;
        self.conn.execute(
            "UPDATE outbox SET status = 'sending' WHERE id = ?1",
            [&msg.id],
        )?;
        self.mark_sent(&msg.id, Some("sent by hand"), now)?;
        self.get_outbox(&msg.id)
    }

    fn prepare(
        &self,
        req: &ComposeRequest,
        today: &str,
    ) -> Result<(Rendered, String, Option<ZaloPayload>)> {
        let template = self.get_template(&req.template_id)?;
        if !req.channel.accepts(template.channel) {
            return Err(Error::field(
                "channel",
                "send.template_wrong_channel",
                format!(
                    "the template “{}” is written for {}, not for this channel",
                    template.name,
                    template.channel.as_str()
                ),
            )
            .with("template", &template.name)
            .with("channel", template.channel.as_str()));
        }
        let customer = get_customer(&self.conn, &req.customer_id)?;
        if customer.deleted_at.is_some() {
            return Err(Error::conflict(
                "customer.in_bin",
                "this customer is in the bin",
            ));
        }
        let rendered = self.render_template(
            &req.template_id,
            &req.customer_id,
            req.channel == SendChannel::Email,
            today,
        )?;
        // The salesperson's own details are theirs to fill in Settings, not the customer's.
        let mine: Vec<String> = rendered
            .missing
            .iter()
            .filter(|m| m.starts_with("me."))
            .map(|m| format!("{{{{{m}}}}}"))
            .collect();
        if !mine.is_empty() {
            let mine = mine.join(", ");
            return Err(Error::field(
                "settings",
                "send.my_details_missing",
                format!("your own details are not set ({mine}): add them in Settings"),
            )
            .with("missing", mine));
        }
        if !rendered.missing.is_empty() {
            let missing = rendered
                .missing
                .iter()
                .map(|m| format!("{{{{{m}}}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::field(
                "template",
                "send.missing_values",
                format!(
                    "{} has no value for {missing}: fill it in, or give a default in the template",
                    customer.full_name,
                ),
            )
            .with("name", &customer.full_name)
            .with("missing", missing));
        }
        if let Some(max) = req.channel.max_len() {
            let n = rendered.text.chars().count();
            if n > max {
                return Err(Error::field(
                    "template",
                    "send.too_long",
                    format!("the message is {n} characters; this channel takes at most {max}"),
                )
                .with("length", n)
                .with("max", max));
            }
        }
        let recipient = recipient_for(&customer, req.channel)?;
        let context = RenderInput::for_customer(&customer, &self.me()?, today).context;
        let mut rendered = rendered;
        let payload = match zalo_payload(&self.conn, req.channel, &template, &customer, &context)? {
            Some((payload, summary)) => {
                if let Some(summary) = summary {
                    rendered.text = summary;
                }
                Some(payload)
            }
            None => None,
        };
        Ok((rendered, recipient, payload))
    }

    /// Queues a message (idempotent on its key), due now.
    pub fn enqueue(&mut self, m: &NewMessage, now: UtcMillis) -> Result<OutboxMessage> {
        enqueue(&self.conn, m, now)?;
        self.outbox_by_key(&m.idempotency_key)?
            .ok_or_else(|| Error::Internal("the queued message vanished".into()))
    }

    /// A message.
    pub fn get_outbox(&self, id: &OutboxId) -> Result<OutboxMessage> {
        get_in(&self.conn, id)
    }

    fn outbox_by_key(&self, key: &str) -> Result<Option<OutboxMessage>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM {} WHERE o.idempotency_key = ?1",
                OutboxMessage::COLUMNS,
                OutboxMessage::FROM
            ))?
            .query_row([key], OutboxMessage::from_row)
            .optional()?)
    }

    /// Messages, newest first.
    pub fn list_outbox(&self, q: &OutboxQuery) -> Result<Page<OutboxMessage>> {
        let limit = if q.limit <= 0 { 100 } else { q.limit.min(500) };
        let filter = "(?1 IS NULL OR o.status = ?1) AND (?2 IS NULL OR o.customer_id = ?2)";
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM outbox o WHERE {filter}"))?
            .query_row(params![q.status, q.customer_id], |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM {} WHERE {filter}
             ORDER BY o.created_at DESC, o.id DESC LIMIT ?3 OFFSET ?4",
            OutboxMessage::COLUMNS,
            OutboxMessage::FROM
        ))?;
        let items = stmt
            .query_map(
                params![q.status, q.customer_id, limit, q.offset.max(0)],
                OutboxMessage::from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Page { items, total })
    }

    /// How many messages wait, failed, or need the salesperson.
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let mut counts = OutboxCounts::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, count(*) AS n FROM outbox
             WHERE status IN ('queued', 'failed', 'needs_manual') GROUP BY status",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>("status")?, r.get::<_, i64>("n")?))
        })?;
        for row in rows {
            let (status, n) = row?;
            match status.as_str() {
                "queued" => counts.queued = n,
                "failed" => counts.failed = n,
                _ => counts.needs_manual = n,
            }
        }
        Ok(counts)
    }

    /// Puts a failed, needs-manual or cancelled message back in the queue, due now.
    pub fn retry_message(&mut self, id: &OutboxId, now: UtcMillis) -> Result<OutboxMessage> {
        let m = self.get_outbox(id)?;
        if !matches!(
            m.status,
            OutboxStatus::Failed | OutboxStatus::NeedsManual | OutboxStatus::Cancelled
        ) {
            return Err(Error::conflict(
                "outbox.cannot_retry",
                format!("a {} message cannot be retried", m.status.as_str()),
            )
            .with("status", m.status.as_str()));
        }
        if !m.channel.is_automatic() {
            return Err(Error::conflict(
                "outbox.assisted_cannot_retry",
                "a message sent by hand cannot be retried here",
            ));
        }
        // A retry starts over: every Zalo route may apply again.
        self.conn.execute(
            "UPDATE outbox SET status = 'queued', next_attempt_at = ?2, last_error = NULL,
                 error_hint = NULL, route = NULL, routes_tried = NULL, updated_at = ?2
             WHERE id = ?1",
            params![id, now],
        )?;
        self.record(Effects::WAKE_OUTBOX);
        self.get_outbox(id)
    }

    /// Cancels (or, for a needs-manual one, dismisses) a message that is not being sent.
    pub fn cancel_message(&mut self, id: &OutboxId, now: UtcMillis) -> Result<OutboxMessage> {
        let m = self.get_outbox(id)?;
        if !matches!(
            m.status,
            OutboxStatus::Queued | OutboxStatus::Failed | OutboxStatus::NeedsManual
        ) {
            return Err(Error::conflict(
                "outbox.cannot_cancel",
                format!("a {} message cannot be cancelled", m.status.as_str()),
            )
            .with("status", m.status.as_str()));
        }
        self.conn.execute(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?2
             WHERE id = ?1 AND status IN ('queued', 'failed', 'needs_manual')",
            params![id, now],
        )?;
        self.get_outbox(id)
    }

    /// At start-up: messages left `sending` by a crash become `needs_manual`. Returns how many.
    pub fn recover_interrupted_sends(&mut self, now: UtcMillis) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE outbox SET status = 'needs_manual', next_attempt_at = NULL, error_hint = 'check_with_customer',
                 last_error = 'outcome unknown: Tend stopped while sending. Check with the customer, then retry or dismiss',
                 updated_at = ?1
             WHERE status = 'sending'",
            [now],
        )?)
    }

    /// Claims up to `limit` due messages of automatic channels: marks them `sending` and counts
    /// the attempt, committed before anything is sent.
    pub fn claim_due(&mut self, now: UtcMillis, limit: usize) -> Result<Vec<OutboxMessage>> {
        let tx = self.write_tx()?;
        let ids: Vec<OutboxId> = tx
            .prepare_cached(
                "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?1
                 AND channel IN ('telegram', 'zalo_oa', 'email', 'zalo_auto', 'zalo_template')
                 ORDER BY next_attempt_at, id LIMIT ?2",
            )?
            .query_map(params![now, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            tx.prepare_cached(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1",
            )?
            .execute(params![id, now])?;
            out.push(
                tx.prepare_cached(&by_id_sql())?
                    .query_row([id], OutboxMessage::from_row)?,
            );
        }
        tx.commit()?;
        Ok(out)
    }

    /// Hands a claimed message back untouched (a rate limit said "not yet"): queued again, due
    /// at `at`, the attempt not counted.
    pub fn release(&mut self, id: &OutboxId, at: UtcMillis, now: UtcMillis) -> Result<()> {
        self.conn.prepare_cached(
            "UPDATE outbox SET status = 'queued', attempts = max(attempts - 1, 0), next_attempt_at = ?2,
                 updated_at = ?3
             WHERE id = ?1 AND status = 'sending'",
        )?
        .execute(params![id, at, now])?;
        Ok(())
    }

    /// When the next queued automatic message is due.
    pub fn next_due_at(&self) -> Result<Option<UtcMillis>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT min(next_attempt_at) FROM outbox WHERE status = 'queued'
             AND channel IN ('telegram', 'zalo_oa', 'email', 'zalo_auto', 'zalo_template')",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// Records a delivered message: the row, the timeline interaction, the customer's roll-ups
    /// and the template's usage, in one transaction.
    pub fn mark_sent(
        &mut self,
        id: &OutboxId,
        provider_id: Option<&str>,
        now: UtcMillis,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        mark_sent_in(&tx, id, provider_id, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Schedules another attempt at `at` after a transient failure.
    pub fn mark_retry(
        &mut self,
        id: &OutboxId,
        error: &str,
        hint: Option<ErrorHint>,
        at: UtcMillis,
        now: UtcMillis,
    ) -> Result<()> {
        self.conn.prepare_cached(
            "UPDATE outbox SET status = 'queued', next_attempt_at = ?2, last_error = ?3, error_hint = ?4,
                 updated_at = ?5
             WHERE id = ?1",
        )?
        .execute(params![id, at, error, hint, now])?;
        Ok(())
    }

    /// Gives up on a message: it stays visible, with the reason and a suggested next step.
    pub fn mark_failed(
        &mut self,
        id: &OutboxId,
        error: &str,
        hint: Option<ErrorHint>,
        now: UtcMillis,
    ) -> Result<()> {
        self.conn.prepare_cached(
            "UPDATE outbox SET status = 'failed', next_attempt_at = NULL, last_error = ?2, error_hint = ?3,
                 updated_at = ?4
             WHERE id = ?1",
        )?
        .execute(params![id, error, hint, now])?;
        Ok(())
    }

    /// A send whose outcome is unknown (the request left, no answer came): the salesperson
    /// checks with the customer, exactly as after a crash mid-send. Never retried by itself.
    pub fn mark_unknown(&mut self, id: &OutboxId, error: &str, now: UtcMillis) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE outbox SET status = 'needs_manual', next_attempt_at = NULL, last_error = ?2,
                 error_hint = 'check_with_customer', updated_at = ?3
             WHERE id = ?1",
            )?
            .execute(params![id, error, now])?;
        Ok(())
    }

    /// The network is back: messages waiting only for it are due now. Returns how many.
    pub fn retry_offline_now(&mut self, now: UtcMillis) -> Result<usize> {
        let n = self.conn.execute(
            "UPDATE outbox SET next_attempt_at = ?1, updated_at = ?1
             WHERE status = 'queued' AND error_hint = 'offline' AND next_attempt_at > ?1",
            [now],
        )?;
        if n > 0 {
            self.record(Effects::WAKE_OUTBOX);
        }
        Ok(n)
    }
}

/// Cancels the queued messages whose idempotency key starts with `prefix` (for instance, those
/// one enrolment's steps queued), so nothing waiting on a retry goes out once its reason is gone.
/// Messages being sent, sent, or needing the salesperson are left as they are.
pub(crate) fn cancel_queued_with_key_prefix(
    conn: &Connection,
    prefix: &str,
    now: UtcMillis,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?2
             WHERE status = 'queued' AND substr(idempotency_key, 1, length(?1)) = ?1",
        )?
        .execute(params![prefix, now])?)
}

/// Cancels every queued message to a customer (they were deleted).
pub(crate) fn cancel_queued_for_customer(
    conn: &Connection,
    customer: &CustomerId,
    now: UtcMillis,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?2
             WHERE status = 'queued' AND customer_id = ?1",
        )?
        .execute(params![customer, now])?)
}

/// Inserts the message unless its key is taken; returns its id when it was inserted.
fn enqueue(conn: &Connection, m: &NewMessage, now: UtcMillis) -> Result<Option<OutboxId>> {
    if m.body_text.trim().is_empty() {
        return Err(Error::field(
            "body",
            "send.body_empty",
            "the message is empty",
        ));
    }
    let payload = match &m.zalo_payload {
        Some(p) => Some(serde_json::to_string(p).map_err(|e| Error::Internal(e.to_string()))?),
        None => None,
    };
    let id = OutboxId::new();
    let inserted = conn.prepare_cached(
        "INSERT INTO outbox (id, channel, recipient, subject, body_text, body_html, customer_id,
             template_id, idempotency_key, status, attempts, next_attempt_at, created_at, updated_at,
             zalo_payload, origin, campaign_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'queued', 0, ?10, ?10, ?10, ?11, ?12, ?13)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )?
    .execute(params![
        id,
        m.channel,
        m.recipient,
        m.subject,
        m.body_text,
        m.body_html,
        m.customer_id,
        m.template_id,
        m.idempotency_key,
        now,
        payload,
        m.origin,
        m.campaign_id
    ])?;
    Ok((inserted == 1).then_some(id))
}

/// Whether a message with this idempotency key was ever queued.
pub(crate) fn key_exists(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM outbox WHERE idempotency_key = ?1")?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Queues a message inside the caller's transaction (care scenarios, whose step and message
/// commit together). Idempotent on the key.
pub(crate) fn enqueue_in(conn: &Connection, m: &NewMessage, now: UtcMillis) -> Result<OutboxId> {
    if let Some(id) = enqueue(conn, m, now)? {
        return Ok(id);
    }
    Ok(conn
        .prepare_cached("SELECT id FROM outbox WHERE idempotency_key = ?1")?
        .query_row([&m.idempotency_key], |r| r.get(0))?)
}

impl OutboxMessage {
    /// The select list that `from_row` reads, over [`OutboxMessage::FROM`].
    const COLUMNS: &str = "o.id, o.channel, o.recipient, o.subject, o.body_text, o.body_html, \
        o.customer_id, c.full_name AS customer_name, o.template_id, o.idempotency_key, o.status, \
        o.attempts, o.next_attempt_at, o.last_error, o.error_hint, o.provider_message_id, \
        o.interaction_id, o.created_at, o.updated_at, o.sent_at, o.zalo_payload, o.route, \
        o.routes_tried, o.origin, o.campaign_id";

    /// Messages with their customer's name, for lists; a message may have no customer.
    const FROM: &str = "outbox o LEFT JOIN customers c ON c.id = o.customer_id";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxMessage> {
        Ok(OutboxMessage {
            id: r.get("id")?,
            channel: r.get("channel")?,
            recipient: r.get("recipient")?,
            subject: r.get("subject")?,
            body_text: r.get("body_text")?,
            body_html: r.get("body_html")?,
            customer_id: r.get("customer_id")?,
            customer_name: r.get("customer_name")?,
            template_id: r.get("template_id")?,
            idempotency_key: r.get("idempotency_key")?,
            status: r.get("status")?,
            attempts: r.get("attempts")?,
            next_attempt_at: r.get("next_attempt_at")?,
            last_error: r.get("last_error")?,
            error_hint: r.get("error_hint")?,
            provider_message_id: r.get("provider_message_id")?,
            interaction_id: r.get("interaction_id")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
            sent_at: r.get("sent_at")?,
            zalo_payload: r
                .get::<_, Option<String>>("zalo_payload")?
                .and_then(|j| serde_json::from_str(&j).ok()),
            route: r.get("route")?,
            routes_tried: r
                .get::<_, Option<String>>("routes_tried")?
                .map(|t| t.split(',').filter_map(ZaloRoute::parse).collect())
                .unwrap_or_default(),
            origin: r.get("origin")?,
            campaign_id: r.get("campaign_id")?,
        })
    }
}

/// The query of one message by id (`?1`).
fn by_id_sql() -> String {
    format!(
        "SELECT {} FROM {} WHERE o.id = ?1",
        OutboxMessage::COLUMNS,
        OutboxMessage::FROM
    )
}

/// Records a delivered message inside the caller's transaction: the row, the timeline
/// interaction, the customer's roll-ups and the template's usage.
pub(crate) fn mark_sent_in(
    conn: &Connection,
    id: &OutboxId,
    provider_id: Option<&str>,
    now: UtcMillis,
) -> Result<()> {
    let m = conn
        .prepare_cached(&by_id_sql())?
        .query_row([id], OutboxMessage::from_row)
        .optional()?
        .ok_or(Error::NotFound("message"))?;
    let mut interaction: Option<InteractionId> = None;
    if let Some(customer) = &m.customer_id {
        let iid = InteractionId::new();
        conn.prepare_cached(
            "INSERT INTO customer_interactions (id, customer_id, kind, direction, subject, content,
                     occurred_at, created_at, updated_at, campaign_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8)",
        )?
        .execute(params![
            iid,
            customer,
            m.channel.interaction_kind(),
            Direction::Outbound,
            m.subject,
            m.body_text,
            now,
            m.campaign_id
        ])?;
        refresh_rollups(conn, customer)?;
        interaction = Some(iid);
    }
    if let Some(t) = &m.template_id {
        templates::count_use(conn, t, now)?;
    }
    conn.prepare_cached(
        "UPDATE outbox SET status = 'sent', sent_at = ?2, provider_message_id = ?3,
                 interaction_id = ?4, next_attempt_at = NULL, last_error = NULL, error_hint = NULL,
                 updated_at = ?2
             WHERE id = ?1",
    )?
    .execute(params![id, now, provider_id, interaction])?;
    Ok(())
}

/// A message, inside the caller's transaction.
pub(crate) fn get_in(conn: &Connection, id: &OutboxId) -> Result<OutboxMessage> {
    conn.prepare_cached(&by_id_sql())?
        .query_row([id], OutboxMessage::from_row)
        .optional()?
        .ok_or(Error::NotFound("message"))
}
