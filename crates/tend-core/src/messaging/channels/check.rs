//! "Test connection" on the Settings screen: one call to the service with the saved settings,
//! and, when it fails, what kind of problem it is (so the UI can say it in the salesperson's
//! language) with the service's own words as the detail.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{zalo::ZaloCheck, Channels, Delivery};
use crate::messaging::outbox::SendChannel;

/// What a connection test found wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChannelProblem {
    /// A required setting or secret is missing.
    NotSetUp,
    /// The bot token does not have a token's shape.
    TokenMalformed,
    /// The service refused the token or the app's credentials.
    TokenRejected,
    /// The server could not be reached (offline, wrong host or port, or no answer).
    Unreachable,
    /// The secure connection failed: TLS chosen for a server that speaks plain SMTP first, or
    /// a certificate that does not check out.
    TlsMismatch,
    /// STARTTLS was chosen but the server does not offer it.
    StarttlsUnsupported,
    /// A username or password is set but the server offers no way to sign in.
    NoAuthMechanism,
    /// The server refused the username or password.
    BadCredentials,
    /// The service answered with a refusal of another kind.
    Refused,
}

/// The outcome of "test connection".
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionTest {
    pub ok: bool,
    /// On success, what was reached (`@bot`, the OA's name, `SMTP`); on failure, the detail.
    pub message: String,
    /// On failure, the kind of problem.
    pub problem: Option<ChannelProblem>,
}

impl ConnectionTest {
    fn ok(message: impl Into<String>) -> Self {
        ConnectionTest {
            ok: true,
            message: message.into(),
            problem: None,
        }
    }

    fn problem(problem: ChannelProblem, message: impl Into<String>) -> Self {
        ConnectionTest {
            ok: false,
            message: message.into(),
            problem: Some(problem),
        }
    }

    fn from_delivery(d: Delivery) -> Self {
        let problem = match &d {
            Delivery::Failed { reason, .. } if reason.contains("malformed") => {
                ChannelProblem::TokenMalformed
            }
            Delivery::Failed { .. } => ChannelProblem::NotSetUp,
            _ => ChannelProblem::Unreachable,
        };
        ConnectionTest::problem(problem, d.reason())
    }
}

impl Channels {
    /// Tests `channel` with the current settings. Blocks on the network: call it off the UI
    /// thread. Also returns the bot's username when Telegram answered, for the binding links.
    pub fn test_connection(&self, channel: SendChannel) -> (ConnectionTest, Option<String>) {
        match channel {
            SendChannel::Telegram | SendChannel::TelegramPersonal => match self.telegram() {
                Ok(bot) => match bot.get_me() {
                    Ok(name) => (ConnectionTest::ok(format!("@{name}")), Some(name)),
                    Err((problem, detail)) => (ConnectionTest::problem(problem, detail), None),
                },
                Err(d) => (ConnectionTest::from_delivery(d), None),
            },
            SendChannel::ZaloOa
            | SendChannel::ZaloPersonal
            | SendChannel::ZaloAuto
            | SendChannel::ZaloTemplate => match self.zalo() {
                Ok(z) => match z.check() {
                    ZaloCheck::Ok { oa_name } => (
                        ConnectionTest::ok(oa_name.unwrap_or_else(|| "Zalo OA".into())),
                        None,
                    ),
                    ZaloCheck::Problem(p) => (
                        ConnectionTest::problem(ChannelProblem::TokenRejected, p),
                        None,
                    ),
                },
                Err(d) => (ConnectionTest::from_delivery(d), None),
            },
            SendChannel::Email => match self.email() {
                Ok(m) => match m.check() {
                    Ok(()) => (ConnectionTest::ok("SMTP"), None),
                    Err(f) => (ConnectionTest::problem(f.problem, f.detail), None),
                },
                Err(d) => (ConnectionTest::from_delivery(d), None),
            },
        }
    }
}
