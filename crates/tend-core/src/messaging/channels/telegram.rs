//! The Telegram Bot API: `sendMessage`, `getMe` (test connection) and `getUpdates` (binding a
//! customer's chat through a `t.me/<bot>?start=<token>` link).

use serde_json::{json, Value};

use super::http::{self, Reply};
use super::{ChannelProblem, Delivery};
use crate::messaging::outbox::ErrorHint;

/// A bot, by its token, at an API base.
pub struct TelegramBot {
    agent: ureq::Agent,
    base: String,
    token: String,
}

/// A message a user sent the bot, from its updates.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingMessage {
    pub update_id: i64,
    /// 0 when the update carried no message (an edit, a join...).
    pub chat_id: i64,
    pub text: String,
    /// The payload of a `/start <payload>` message (a binding link was opened).
    pub start_payload: Option<String>,
}

impl TelegramBot {
    /// A bot client.
    pub fn new(agent: &ureq::Agent, base: &str, token: &str) -> Self {
        TelegramBot {
            agent: agent.clone(),
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
        }
    }

    fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.base, self.token)
    }

    /// Sends `text` to `chat_id` and classifies the answer.
    pub fn send(&self, chat_id: &str, text: &str) -> Delivery {
        let Ok(chat) = chat_id.trim().parse::<i64>() else {
            return Delivery::failed(
                format!("“{chat_id}” is not a Telegram chat id"),
                Some(ErrorHint::AddRecipient),
            );
        };
        match http::post_json(
            &self.agent,
            &self.url("sendMessage"),
            &[],
            &json!({ "chat_id": chat, "text": text }),
        ) {
            Err(e) => Delivery::no_answer(e),
            Ok(reply) => classify_send(&reply),
        }
    }

    /// Checks the token: the bot's username when it is valid, or what is wrong.
    pub fn get_me(&self) -> Result<String, (ChannelProblem, String)> {
        let reply = http::get(&self.agent, &self.url("getMe"), &[])
            .map_err(|e| (ChannelProblem::Unreachable, e.reason))?;
        let v: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        if v["ok"] == true {
            Ok(v["result"]["username"]
                .as_str()
                .unwrap_or_default()
                .to_string())
        } else if reply.status == 401 || reply.status == 404 {
            Err((
                ChannelProblem::TokenRejected,
                "Telegram rejected the bot token: copy it again from @BotFather".into(),
            ))
        } else {
            Err((
                ChannelProblem::Refused,
                format!("Telegram answered {}: {}", reply.status, description(&v)),
            ))
        }
    }

    /// Messages users sent the bot, after `offset` (the next update id to read).
    pub fn incoming(&self, offset: i64) -> Result<Vec<IncomingMessage>, UpdatesError> {
        let url = format!(
            "{}?offset={offset}&timeout=0&allowed_updates=%5B%22message%22%5D",
            self.url("getUpdates")
        );
        let reply =
            http::get(&self.agent, &url, &[]).map_err(|e| UpdatesError::NoAnswer(e.reason))?;
        let v: Value = serde_json::from_str(&reply.body)
            .map_err(|_| UpdatesError::Refused("Telegram's answer was not JSON".to_string()))?;
        if v["ok"] != true {
            return Err(UpdatesError::Refused(format!(
                "getUpdates failed: {}",
                description(&v)
            )));
        }
        let mut out = Vec::new();
        for u in v["result"].as_array().into_iter().flatten() {
            let update_id = u["update_id"].as_i64().unwrap_or(0);
            let text = u["message"]["text"].as_str().unwrap_or("");
            let chat_id = u["message"]["chat"]["id"].as_i64().unwrap_or(0);
            let start_payload = text
                .strip_prefix("/start")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from);
            out.push(IncomingMessage {
                update_id,
                chat_id,
                text: text.to_string(),
                start_payload,
            });
        }
        Ok(out)
    }
}

/// Whether `token` has the shape of a bot token (`<bot id>:<secret>`, digits then URL-safe
/// characters). A token with spaces, slashes or no colon cannot be right, and would otherwise
/// make a URL that fails as if the network were down.
pub fn token_is_well_formed(token: &str) -> bool {
    match token.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !secret.is_empty()
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    }
}

/// Why the bot's updates could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdatesError {
    /// No answer (offline, or Telegram unreachable): normal on a laptop; try again later.
    NoAnswer(String),
    /// Telegram answered with a refusal (a wrong token, for instance): something to fix.
    Refused(String),
}

fn description(v: &Value) -> String {
    v["description"]
        .as_str()
        .unwrap_or("no description")
        .to_string()
}

/// Classifies a `sendMessage` answer.
pub fn classify_send(reply: &Reply) -> Delivery {
    let v: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    if reply.status == 200 && v["ok"] == true {
        let id = v["result"]["message_id"].as_i64().map(|i| i.to_string());
        return Delivery::Sent { provider_id: id };
    }
    if (200..300).contains(&reply.status) {
        // A success status with a body that does not say "ok": a garbled answer to a request
        // Telegram accepted, so the message may be out.
        return Delivery::unknown(format!(
            "outcome unknown: Telegram answered {} without saying whether the message went out. Check with the customer, then retry or dismiss",
            reply.status
        ));
    }
    let desc = description(&v);
    match reply.status {
        429 => Delivery::Retry {
            reason: format!("Telegram is rate limiting: {desc}"),
            after_ms: v["parameters"]["retry_after"].as_i64().map(|s| s * 1000),
            offline: false,
        },
        403 => Delivery::failed(
            format!("The customer has blocked the bot or never pressed Start ({desc})"),
            Some(ErrorHint::UsePersonalTelegram),
        ),
        401 | 404 => Delivery::failed(
            "Telegram rejected the bot token: check it in Settings",
            Some(ErrorHint::CheckSettings),
        ),
        400 if desc.contains("chat not found") => Delivery::failed(
            "Telegram does not know this chat id: bind the customer's Telegram again",
            Some(ErrorHint::AddRecipient),
        ),
        400 => Delivery::failed(format!("Telegram refused the message: {desc}"), None),
        s if s >= 500 => Delivery::retry(format!("Telegram had a server error ({s})")),
        s => Delivery::retry(format!("Telegram answered {s}: {desc}")),
    }
}
