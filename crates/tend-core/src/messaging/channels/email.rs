//! Email over SMTP (lettre): STARTTLS, implicit TLS, or plain for a server on this machine;
//! multipart plain text + HTML; UTF-8 subjects and names.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{secret, ChannelSettings, Delivery};
use crate::base::text_enum::text_enum;
use crate::messaging::outbox::{ErrorHint, OutboxMessage};
use crate::messaging::secrets::SecretStore;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Security {
    /// No encryption: only for a server on this machine or a trusted network.
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

text_enum!(Security { None => "none", Starttls => "starttls", Tls => "tls" });

/// A configured SMTP mailer.
pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpMailer {
    /// Builds the mailer from the settings, or says what is missing.
    pub fn from_settings(
        s: &ChannelSettings,
        secrets: &dyn SecretStore,
        timeout: Duration,
    ) -> Result<Self, Delivery> {
        let settings = |m: String| Delivery::failed(m, Some(ErrorHint::CheckSettings));
        let host = s
            .smtp_host
            .as_deref()
            .filter(|h| !h.trim().is_empty())
            .ok_or_else(|| {
                settings("email is not set up: add the SMTP server in Settings".into())
            })?;
        let from_text = s.smtp_from.as_deref().ok_or_else(|| {
            settings("email is not set up: add the sender address in Settings".into())
        })?;
        let mut from: Mailbox = from_text
            .parse()
            .map_err(|_| settings(format!("“{from_text}” is not a sender address")))?;
        if from.name.is_none() {
            from.name = s.my_name.clone();
        }
        let builder = match s.smtp_security {
            Security::None => SmtpTransport::builder_dangerous(host),
            Security::Starttls => SmtpTransport::starttls_relay(host).map_err(|e| {
                settings(format!("the SMTP server cannot be used with STARTTLS: {e}"))
            })?,
            Security::Tls => SmtpTransport::relay(host)
                .map_err(|e| settings(format!("the SMTP server cannot be used with TLS: {e}")))?,
        };
        let port = s.smtp_port.unwrap_or(match s.smtp_security {
            Security::None => 25,
            Security::Starttls => 587,
            Security::Tls => 465,
        });
        let mut builder = builder.port(port).timeout(Some(timeout));
        if let Some(user) = s.smtp_username.as_deref().filter(|u| !u.is_empty()) {
            let password = secrets
                .get(secret::SMTP_PASSWORD)
                .map_err(|e| Delivery::retry(format!("the secret store could not be read: {e}")))?
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.to_string(), password));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
        })
    }

    /// Connects and authenticates, for the Settings screen's "test connection".
    pub fn check(&self) -> Result<(), String> {
        match self.transport.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => Err("the SMTP server did not accept the connection".into()),
            Err(e) => Err(describe(&e)),
        }
    }

    /// Sends a queued email to its recipient, named `to_name` when known.
    pub fn send(&self, m: &OutboxMessage, to_name: Option<&str>) -> Delivery {
        let to: Mailbox = match m.recipient.parse::<lettre::Address>() {
            Ok(addr) => Mailbox::new(to_name.map(String::from), addr),
            Err(_) => {
                return Delivery::failed(
                    format!("“{}” is not an email address", m.recipient),
                    Some(ErrorHint::AddRecipient),
                )
            }
        };
        let html = m
            .body_html
            .clone()
            .unwrap_or_else(|| format!("<pre>{}</pre>", html_escape(&m.body_text)));
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone().unwrap_or_default())
            .message_id(Some(format!("<{}@tend.local>", m.id)))
            .multipart(MultiPart::alternative_plain_html(m.body_text.clone(), html));
        let message = match message {
            Ok(msg) => msg,
            Err(e) => return Delivery::failed(format!("the email could not be built: {e}"), None),
        };
        match self.transport.send(&message) {
            Ok(_) => Delivery::Sent {
                provider_id: Some(format!("<{}@tend.local>", m.id)),
            },
            Err(e) => classify(&e),
        }
    }
}

fn classify(e: &lettre::transport::smtp::Error) -> Delivery {
    let reason = describe(e);
    if e.is_permanent() {
        let auth = e
            .status()
            .map(|c| c.to_string().starts_with("53"))
            .unwrap_or(false);
        if auth {
            Delivery::failed(reason, Some(ErrorHint::CheckSettings))
        } else {
            Delivery::failed(reason, Some(ErrorHint::AddRecipient))
        }
    } else if e.is_transient() {
        Delivery::retry(reason)
    } else {
        // No SMTP reply at all: the connection or TLS failed.
        Delivery::offline(reason)
    }
}

fn describe(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) => format!("the mail server answered {code}: {e}"),
        None => format!("could not talk to the mail server: {e}"),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
