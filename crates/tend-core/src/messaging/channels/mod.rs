//! Delivery over Telegram, Zalo OA and email. Each channel sends one message and classifies
//! what happened, so the sender knows whether to retry, give up, or tell the salesperson to fix
//! a setting:
//!
//! - `Sent`: delivered; the provider's message id when it gives one.
//! - `Retry`: transient (network, timeout, 5xx, rate limits); `after_ms` when the service says
//!   how long to wait, `offline` when the network itself failed.
//! - `Failed`: permanent for this message (blocked, outside Zalo's window, bad recipient, bad
//!   token): a reason the salesperson understands and a suggested next step.
//! - `Unknown`: the request left but no usable answer came back (a timeout, a dropped
//!   connection, a garbled reply): the service may have delivered it. Never retried blindly;
//!   the salesperson checks with the customer, exactly as after a crash mid-send.

pub mod check;
pub mod email;
pub mod http;
pub mod telegram;
pub mod zalo;
pub mod zalo_template;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::store::Store;
use crate::messaging::outbox::{ErrorHint, OutboxMessage, SendChannel};
use crate::messaging::secrets::SecretStore;
use crate::messaging::zalo::route::ZaloRoute;

pub use check::{ChannelProblem, ConnectionTest};

/// What one delivery attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Sent {
        provider_id: Option<String>,
    },
    Retry {
        reason: String,
        after_ms: Option<i64>,
        offline: bool,
    },
    Failed {
        reason: String,
        hint: Option<ErrorHint>,
    },
    Unknown {
        reason: String,
    },
}

impl Delivery {
    pub(crate) fn offline(reason: impl Into<String>) -> Self {
        Delivery::Retry {
            reason: reason.into(),
            after_ms: None,
            offline: true,
        }
    }

    pub(crate) fn retry(reason: impl Into<String>) -> Self {
        Delivery::Retry {
            reason: reason.into(),
            after_ms: None,
            offline: false,
        }
    }

    pub(crate) fn failed(reason: impl Into<String>, hint: Option<ErrorHint>) -> Self {
        Delivery::Failed {
            reason: reason.into(),
            hint,
        }
    }

    pub(crate) fn unknown(reason: impl Into<String>) -> Self {
        Delivery::Unknown {
            reason: reason.into(),
        }
    }

    /// A send that got no answer: unknown if the service may have received it, otherwise a
    /// retry once the network is back.
    pub(crate) fn no_answer(e: http::NoAnswer) -> Self {
        if e.maybe_received {
            Delivery::unknown(format!(
                "outcome unknown: {}. The message may have been delivered: check with the customer, then retry or dismiss",
                e.reason
            ))
        } else {
            Delivery::offline(e.reason)
        }
    }

    /// The reason, whatever the outcome (empty for a send).
    pub fn reason(&self) -> &str {
        match self {
            Delivery::Sent { .. } => "",
            Delivery::Retry { reason, .. }
            | Delivery::Failed { reason, .. }
            | Delivery::Unknown { reason } => reason,
        }
    }
}

/// Something that delivers outbox messages: the real channels, or a test double.
pub trait Deliver: Send + Sync {
    /// Delivers one message and says what happened. Never panics on bad input or bad answers.
    fn deliver(&self, message: &OutboxMessage) -> Delivery;
}

/// Where the services are and how long to wait for them. The app fills it from
/// `TEND_TELEGRAM_API_BASE`, `TEND_ZALO_API_BASE`, `TEND_ZALO_OAUTH_BASE` and
/// `TEND_ZALO_BUSINESS_API_BASE`.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub telegram_api: String,
    pub zalo_api: String,
    pub zalo_oauth: String,
    /// Zalo's business API: template messages to a phone, the OA's templates, its quota.
    pub zalo_business: String,
    pub timeout: Duration,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            telegram_api: "https://api.telegram.org".into(),
            zalo_api: "https://openapi.zalo.me".into(),
            zalo_oauth: "https://oauth.zaloapp.com".into(),
            zalo_business: "https://business.openapi.zalo.me".into(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Secret names in the secret store.
pub mod secret {
    pub const TELEGRAM_TOKEN: &str = "telegram_bot_token";
    pub const ZALO_APP_SECRET: &str = "zalo_app_secret";
    pub const ZALO_ACCESS_TOKEN: &str = "zalo_access_token";
    pub const ZALO_REFRESH_TOKEN: &str = "zalo_refresh_token";
    pub const SMTP_PASSWORD: &str = "smtp_password";
}

/// The channel settings of the Settings screen. Secrets are write-only: reading the settings
/// says whether each is set, never its value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ChannelSettings {
    pub my_name: Option<String>,
    /// The salesperson's own phone, for `{{me.phone}}` (stored in E.164, shown as typed back).
    pub my_phone: Option<String>,
    pub telegram_bot_username: Option<String>,
    pub zalo_app_id: Option<String>,
    pub smtp_host: Option<String>,
    #[ts(type = "number | null")]
    pub smtp_port: Option<u16>,
    pub smtp_security: email::Security,
    pub smtp_username: Option<String>,
    pub smtp_from: Option<String>,
    #[ts(type = "number | null")]
    pub request_timeout_secs: Option<u64>,
    /// What one Zalo template message costs, VNĐ (Zalo's published price when not set).
    #[ts(type = "number | null")]
    pub zalo_template_price_vnd: Option<i64>,
}

/// Which secrets are set, for the Settings screen.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SecretsPresent {
    pub telegram_token: bool,
    pub zalo_app_secret: bool,
    pub zalo_access_token: bool,
    pub zalo_refresh_token: bool,
    pub smtp_password: bool,
    /// Where secrets are kept: the OS credential store, or a file readable only by this user.
    pub location: crate::messaging::secrets::SecretLocation,
    /// Why the secret store cannot be read right now (a locked keyring, for instance): sends
    /// that need a secret wait until it can.
    pub problem: Option<String>,
}

/// Secrets typed in Settings. `None` leaves a secret as it is; an empty string removes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SecretsInput {
    pub telegram_token: Option<String>,
    pub zalo_app_secret: Option<String>,
    pub zalo_access_token: Option<String>,
    pub zalo_refresh_token: Option<String>,
    pub smtp_password: Option<String>,
}

const SETTING_KEYS: [&str; 11] = [
    "my_name",
    "my_phone",
    "telegram_bot_username",
    "zalo_app_id",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "smtp_from",
    "request_timeout_secs",
    "zalo_template_price_vnd",
];

impl Store {
    /// The channel settings.
    pub fn channel_settings(&self) -> crate::Result<ChannelSettings> {
        let get = |k: &str| self.setting(k);
        Ok(ChannelSettings {
            my_name: get("my_name")?,
            my_phone: get("my_phone")?.map(|p| crate::base::phone::display(&p)),
            telegram_bot_username: get("telegram_bot_username")?,
            zalo_app_id: get("zalo_app_id")?,
            smtp_host: get("smtp_host")?,
            smtp_port: get("smtp_port")?.and_then(|p| p.parse().ok()),
            smtp_security: get("smtp_security")?
                .and_then(|s| email::Security::parse(&s))
                .unwrap_or_default(),
            smtp_username: get("smtp_username")?,
            smtp_from: get("smtp_from")?,
            request_timeout_secs: get("request_timeout_secs")?.and_then(|p| p.parse().ok()),
            zalo_template_price_vnd: get("zalo_template_price_vnd")?.and_then(|p| p.parse().ok()),
        })
    }

    /// Saves the channel settings after checking them.
    pub fn save_channel_settings(&mut self, s: &ChannelSettings) -> crate::Result<()> {
        if let Some(from) = s.smtp_from.as_deref().filter(|f| !f.trim().is_empty()) {
            from.parse::<lettre::message::Mailbox>().map_err(|_| {
                crate::Error::field(
                    "smtp_from",
                    "settings.smtp_from_invalid",
                    format!("“{from}” is not a sender address (Name <name@example.com>)"),
                )
                .with("value", from)
            })?;
        }
        if let Some(t) = s.request_timeout_secs {
            if !(1..=300).contains(&t) {
                return Err(crate::Error::field(
                    "request_timeout_secs",
                    "settings.timeout_out_of_range",
                    "the timeout is between 1 and 300 seconds",
                )
                .with("min", 1)
                .with("max", 300));
            }
        }
        if let Some(p) = s.zalo_template_price_vnd {
            if !(0..=100_000).contains(&p) {
                return Err(crate::Error::field(
                    "zalo_template_price_vnd",
                    "settings.price_out_of_range",
                    "the price is between 0 and 100,000 VNĐ",
                )
                .with("min", 0)
                .with("max", 100_000));
            }
        }
        let my_phone = match s
            .my_phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(crate::base::phone::normalize(p).map_err(|e| e.on_field("my_phone"))?),
            None => None,
        };
        let values: [Option<String>; 11] = [
            s.my_name.clone(),
            my_phone,
            s.telegram_bot_username
                .clone()
                .map(|u| u.trim_start_matches('@').to_string()),
            s.zalo_app_id.clone(),
            s.smtp_host.clone(),
            s.smtp_port.map(|p| p.to_string()),
            Some(s.smtp_security.as_str().to_string()),
            s.smtp_username.clone(),
            s.smtp_from.clone(),
            s.request_timeout_secs.map(|p| p.to_string()),
            s.zalo_template_price_vnd.map(|p| p.to_string()),
        ];
        let tx = self.write_tx()?;
        for (k, v) in SETTING_KEYS.iter().zip(values) {
            match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    rusqlite::params![k, v],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [k])?,
            };
        }
        tx.commit()?;
        Ok(())
    }
}

/// Writes the secrets that were typed; `None` keeps a secret, an empty string removes it.
pub fn save_secrets(store: &dyn SecretStore, s: &SecretsInput) -> crate::Result<()> {
    if let Some(token) = s.telegram_token.as_deref().map(str::trim) {
        if !token.is_empty() && !telegram::token_is_well_formed(token) {
            return Err(crate::Error::field(
                "telegram_token",
                "settings.telegram_token_malformed",
                "this is not a bot token: copy it again from @BotFather (it looks like 123456789:ABC-def…)",
            ));
        }
    }
    for (key, value) in [
        (secret::TELEGRAM_TOKEN, &s.telegram_token),
        (secret::ZALO_APP_SECRET, &s.zalo_app_secret),
        (secret::ZALO_ACCESS_TOKEN, &s.zalo_access_token),
        (secret::ZALO_REFRESH_TOKEN, &s.zalo_refresh_token),
        (secret::SMTP_PASSWORD, &s.smtp_password),
    ] {
        if let Some(v) = value {
            let v = v.trim();
            store.set(key, (!v.is_empty()).then_some(v))?;
        }
    }
    Ok(())
}

/// Which secrets are set. A store that cannot be read is reported, not an error: Settings
/// still opens and says what is wrong.
pub fn secrets_present(store: &dyn SecretStore) -> crate::Result<SecretsPresent> {
    let mut problem = None;
    let mut has = |k: &str| match store.get(k) {
        Ok(v) => v.is_some(),
        Err(e) => {
            problem.get_or_insert_with(|| e.to_string());
            false
        }
    };
    Ok(SecretsPresent {
        telegram_token: has(secret::TELEGRAM_TOKEN),
        zalo_app_secret: has(secret::ZALO_APP_SECRET),
        zalo_access_token: has(secret::ZALO_ACCESS_TOKEN),
        zalo_refresh_token: has(secret::ZALO_REFRESH_TOKEN),
        smtp_password: has(secret::SMTP_PASSWORD),
        location: store.location(),
        problem,
    })
}

/// The real channels, built from the settings and secrets of the moment. Rebuilt by the app
/// when settings change; secrets (and Zalo's rotating tokens) are read at send time.
pub struct Channels {
    pub endpoints: Endpoints,
    pub settings: ChannelSettings,
    pub secrets: Arc<dyn SecretStore>,
    agent: ureq::Agent,
}

impl Channels {
    /// Channels for these settings.
    pub fn new(
        endpoints: Endpoints,
        settings: ChannelSettings,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        let timeout = settings
            .request_timeout_secs
            .map(Duration::from_secs)
            .unwrap_or(endpoints.timeout);
        Channels {
            agent: http::agent(timeout),
            endpoints: Endpoints {
                timeout,
                ..endpoints
            },
            settings,
            secrets,
        }
    }

    /// The Telegram bot, if its token is set.
    pub fn telegram(&self) -> Result<telegram::TelegramBot, Delivery> {
        match self.secrets.get(secret::TELEGRAM_TOKEN) {
            Ok(Some(token)) if !telegram::token_is_well_formed(&token) => Err(Delivery::failed(
                "the Telegram bot token is malformed: copy it again from @BotFather (it looks like 123456789:ABC-def…)",
                Some(ErrorHint::CheckSettings),
            )),
            Ok(Some(token)) => Ok(telegram::TelegramBot::new(
                &self.agent,
                &self.endpoints.telegram_api,
                &token,
            )),
            Ok(None) => Err(Delivery::failed(
                "Telegram is not set up: add the bot token in Settings",
                Some(ErrorHint::CheckSettings),
            )),
            Err(e) => Err(Delivery::retry(format!(
                "the secret store could not be read: {e}"
            ))),
        }
    }

    /// The Zalo OA client, if its app id is set.
    pub fn zalo(&self) -> Result<zalo::ZaloOa, Delivery> {
        match &self.settings.zalo_app_id {
            Some(app_id) => Ok(zalo::ZaloOa::new(
                &self.agent,
                &self.endpoints.zalo_api,
                &self.endpoints.zalo_oauth,
                app_id,
                self.secrets.clone(),
            )
            .with_business_api(&self.endpoints.zalo_business)),
            None => Err(Delivery::failed(
                "Zalo OA is not set up: add the app id and tokens in Settings",
                Some(ErrorHint::CheckSettings),
            )),
        }
    }

    /// The SMTP mailer, if a host and sender are set.
    pub fn email(&self) -> Result<email::SmtpMailer, Delivery> {
        email::SmtpMailer::from_settings(
            &self.settings,
            self.secrets.as_ref(),
            self.endpoints.timeout,
        )
    }
}

impl Deliver for Channels {
    fn deliver(&self, m: &OutboxMessage) -> Delivery {
        match m.channel {
            SendChannel::Telegram => match self.telegram() {
                Ok(bot) => bot.send(&m.recipient, &m.body_text),
                Err(d) => d,
            },
            SendChannel::ZaloOa => match self.zalo() {
                Ok(z) => z.send(&m.recipient, &m.body_text),
                Err(d) => d,
            },
            SendChannel::Email => match self.email() {
                Ok(mailer) => mailer.send(m, m.customer_name.as_deref()),
                Err(d) => d,
            },
            SendChannel::ZaloTemplate => match self.zalo() {
                Ok(z) => send_zalo_template(&z, m),
                Err(d) => d,
            },
            SendChannel::ZaloAuto => self.deliver_zalo_auto(m),
            SendChannel::ZaloPersonal | SendChannel::TelegramPersonal => {
                Delivery::failed("personal Zalo and Telegram messages are sent by hand", None)
            }
        }
    }
}

impl Channels {
    /// A Zalo (automatic) message on the route the sender chose for it (`m.route`).
    fn deliver_zalo_auto(&self, m: &OutboxMessage) -> Delivery {
        let payload = m.zalo_payload.clone().unwrap_or_default();
        let no_route = || {
            Delivery::failed(
                "no automatic Zalo route applies to this customer now: send it from your own Zalo",
                Some(ErrorHint::UsePersonalZalo),
            )
        };
        let route = match m.route {
            Some(r) if r != ZaloRoute::Personal => r,
            _ => return no_route(),
        };
        let oa = match self.zalo() {
            Ok(z) => z,
            Err(d) => return d,
        };
        match (route, payload.user_id.as_deref()) {
            (ZaloRoute::FreeReply, Some(uid)) => {
                oa.send_reply(uid, &m.body_text, payload.quote_message_id.as_deref())
            }
            (ZaloRoute::Consultation, Some(uid)) => oa.send(uid, &m.body_text),
            (ZaloRoute::Template, _) => send_zalo_template(&oa, m),
            _ => no_route(),
        }
    }
}

/// Sends the Zalo template of `m`'s payload to its phone, tracked by the outbox row's id.
fn send_zalo_template(oa: &zalo::ZaloOa, m: &OutboxMessage) -> Delivery {
    let p = m.zalo_payload.clone().unwrap_or_default();
    match (p.phone, p.template_id, p.template_data) {
        (Some(phone), Some(t), Some(data)) => oa.send_template(&phone, &t, &data, &m.id.0).delivery,
        _ => Delivery::failed(
            "this message has no Zalo template with all its values, or the customer has no phone",
            Some(ErrorHint::CheckSettings),
        ),
    }
}

/// The secrets the configured channels need that the secret store does not have: after a
/// restore on another computer (secrets are never in backups), what to enter again in Settings.
pub fn secrets_to_set_again(
    settings: &ChannelSettings,
    secrets: &dyn crate::messaging::secrets::SecretStore,
) -> crate::Result<Vec<String>> {
    let mut wanted: Vec<&str> = Vec::new();
    if settings.telegram_bot_username.is_some() {
        wanted.push(secret::TELEGRAM_TOKEN);
    }
    if settings.zalo_app_id.is_some() {
        wanted.extend([secret::ZALO_APP_SECRET, secret::ZALO_ACCESS_TOKEN]);
    }
    if settings.smtp_username.is_some() {
        wanted.push(secret::SMTP_PASSWORD);
    }
    let mut missing = Vec::new();
    for key in wanted {
        if secrets.get(key)?.is_none() {
            missing.push(key.to_string());
        }
    }
    Ok(missing)
}
