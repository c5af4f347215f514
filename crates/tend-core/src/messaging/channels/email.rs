//! Email over SMTP (lettre): STARTTLS, implicit TLS, or plain for a server on this machine;
//! multipart plain text + HTML; UTF-8 subjects and names.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::Message;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{secret, ChannelProblem, ChannelSettings, Delivery};
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

/// A configured SMTP mailer. Each send is one SMTP session driven step by step, so a failure
/// is classified by the step it cut short: before the server accepted `DATA` nothing can have
/// been delivered (safe to retry); after the body went out and no answer came, the server may
/// have taken the message (unknown).
pub struct SmtpMailer {
    host: String,
    port: u16,
    security: Security,
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    timeout: Duration,
    from: Mailbox,
}

/// A failed SMTP step: what kind of problem, and the server's or library's words.
#[derive(Debug, Clone)]
pub struct SmtpFailure {
    pub problem: ChannelProblem,
    pub detail: String,
    /// Worth trying again later (the network or a 4xx answer), rather than fixing a setting.
    pub transient: bool,
}

impl SmtpFailure {
    fn into_delivery(self) -> Delivery {
        match (self.transient, self.problem) {
            (true, ChannelProblem::Unreachable) => Delivery::offline(self.detail),
            (true, _) => Delivery::retry(self.detail),
            (false, _) => Delivery::failed(self.detail, Some(ErrorHint::CheckSettings)),
        }
    }
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
            .map(str::trim)
            .filter(|h| !h.is_empty())
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
        let tls = match s.smtp_security {
            Security::None => None,
            Security::Starttls | Security::Tls => {
                Some(TlsParameters::new(host.to_string()).map_err(|e| {
                    settings(format!("the SMTP server cannot be used with TLS: {e}"))
                })?)
            }
        };
        let port = s.smtp_port.unwrap_or(match s.smtp_security {
            Security::None => 25,
            Security::Starttls => 587,
            Security::Tls => 465,
        });
        let password = secrets
            .get(secret::SMTP_PASSWORD)
            .map_err(|e| Delivery::retry(format!("the secret store could not be read: {e}")))?;
        let username = s
            .smtp_username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        // A password without a username signs in as the sender's address.
        let credentials = match (username, password) {
            (Some(user), password) => Some(Credentials::new(
                user.to_string(),
                password.unwrap_or_default(),
            )),
            (None, Some(password)) => Some(Credentials::new(from.email.to_string(), password)),
            (None, None) => None,
        };
        Ok(SmtpMailer {
            host: host.to_string(),
            port,
            security: s.smtp_security,
            tls,
            credentials,
            timeout,
            from,
        })
    }

    /// Opens a session: connects, greets, secures the connection as configured and signs in.
    fn open(&self) -> Result<SmtpConnection, SmtpFailure> {
        let wrapper = match self.security {
            Security::Tls => self.tls.as_ref(),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &ClientId::default(),
            wrapper,
            None,
        )
        .map_err(|e| setup_failure(&e, self.security))?;
        if let (Security::Starttls, Some(tls)) = (self.security, &self.tls) {
            if !conn.server_info().supports_feature(Extension::StartTls) {
                conn.abort();
                return Err(SmtpFailure {
                    problem: ChannelProblem::StarttlsUnsupported,
                    detail: "the mail server does not offer STARTTLS: choose TLS (usually port 465) or, only for a server on this machine, no encryption".into(),
                    transient: false,
                });
            }
            if let Err(e) = conn.starttls(tls, &ClientId::default()) {
                conn.abort();
                return Err(setup_failure(&e, self.security));
            }
        }
        if let Some(credentials) = &self.credentials {
            if let Err(e) = conn.auth(DEFAULT_MECHANISMS, credentials) {
                conn.abort();
                return Err(auth_failure(&e, self.security));
            }
        }
        Ok(conn)
    }

    /// Connects, secures and signs in, for the Settings screen's "test connection".
    pub fn check(&self) -> Result<(), SmtpFailure> {
        let mut conn = self.open()?;
        let _ = conn.quit();
        Ok(())
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
        let mut conn = match self.open() {
            Ok(c) => c,
            Err(f) => return f.into_delivery(),
        };
        let outcome = transfer(&mut conn, message.envelope(), &message.formatted());
        match &outcome {
            Delivery::Sent { .. } => {
                let _ = conn.quit();
            }
            _ => conn.abort(),
        }
        match outcome {
            Delivery::Sent { .. } => Delivery::Sent {
                provider_id: Some(format!("<{}@tend.local>", m.id)),
            },
            other => other,
        }
    }
}

/// The envelope (`MAIL`, `RCPT`, `DATA`), then the body. Until the server has answered `DATA`
/// with 354, nothing can have been delivered; once the body is out, only the server's answer
/// says what happened, and without one the outcome is unknown.
fn transfer(conn: &mut SmtpConnection, envelope: &Envelope, body: &[u8]) -> Delivery {
    let mut options = vec![];
    let non_ascii = |a: &lettre::Address| !AsRef::<str>::as_ref(a).is_ascii();
    if envelope.from().is_some_and(non_ascii) || envelope.to().iter().any(non_ascii) {
        options.push(MailParameter::SmtpUtfEight);
    }
    if !body.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let before_data = |e: lettre::transport::smtp::Error| -> Delivery {
        let reason = describe(&e);
        if e.is_permanent() {
            Delivery::failed(reason, Some(ErrorHint::AddRecipient))
        } else if e.is_transient() {
            Delivery::retry(reason)
        } else {
            Delivery::offline(reason)
        }
    };
    if let Err(e) = conn.command(Mail::new(envelope.from().cloned(), options)) {
        return before_data(e);
    }
    for to in envelope.to() {
        if let Err(e) = conn.command(Rcpt::new(to.clone(), vec![])) {
            return before_data(e);
        }
    }
    if let Err(e) = conn.command(Data) {
        return before_data(e);
    }
    match conn.message(body) {
        Ok(_) => Delivery::Sent { provider_id: None },
        // The server read the message and said no: it did not take it.
        Err(e) if e.is_permanent() => Delivery::failed(describe(&e), None),
        Err(e) if e.is_transient() => Delivery::retry(describe(&e)),
        Err(e) => Delivery::unknown(format!(
            "outcome unknown: the mail server took the message but did not confirm it ({}). Check with the customer, then retry or dismiss",
            describe(&e)
        )),
    }
}

/// Classifies a failure while connecting, greeting or securing the connection.
fn setup_failure(e: &lettre::transport::smtp::Error, security: Security) -> SmtpFailure {
    let detail = describe(e);
    if let Some(code) = e.status() {
        return SmtpFailure {
            problem: ChannelProblem::Refused,
            detail,
            transient: !code.to_string().starts_with('5'),
        };
    }
    if security != Security::None && (e.is_tls() || tls_data_error(e)) {
        return SmtpFailure {
            problem: ChannelProblem::TlsMismatch,
            detail: format!(
                "the secure connection failed ({detail}): check the security setting (TLS usually on port 465, STARTTLS on 587)"
            ),
            transient: false,
        };
    }
    SmtpFailure {
        problem: ChannelProblem::Unreachable,
        detail,
        transient: true,
    }
}

/// Classifies a failure to sign in.
fn auth_failure(e: &lettre::transport::smtp::Error, security: Security) -> SmtpFailure {
    let detail = describe(e);
    if e.is_client() {
        // lettre found no mechanism it shares with the server.
        return SmtpFailure {
            problem: ChannelProblem::NoAuthMechanism,
            detail: format!(
                "a password is set but the mail server offers no way to sign in{}: {detail}",
                if security == Security::None {
                    " over an unencrypted connection (choose STARTTLS or TLS)"
                } else {
                    ""
                }
            ),
            transient: false,
        };
    }
    match e.status() {
        Some(code) if code.to_string().starts_with("53") || e.is_permanent() => SmtpFailure {
            problem: ChannelProblem::BadCredentials,
            detail: format!("the mail server refused the username or password: {detail}"),
            transient: false,
        },
        Some(_) => SmtpFailure {
            problem: ChannelProblem::Refused,
            detail,
            transient: true,
        },
        None => setup_failure(e, security),
    }
}

/// rustls reports a handshake with something that is not TLS (a plain SMTP greeting) as an
/// I/O error of kind `InvalidData` on the first read.
fn tls_data_error(e: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::InvalidData;
        }
        source = s.source();
    }
    false
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
