//! The Zalo Official Account API: consultation messages to a user (quoting their message when it
//! is a reply), the conversations users had with the OA (to read their replies), and
//! access-token refresh.
//!
//! Zalo answers HTTP 200 even on failure; the body's `error` says what happened. A refresh
//! returns a new access token AND a new refresh token, and the old refresh token stops working at
//! once; so the new pair is written to the secret store before it is used, and refreshes are
//! serialised by a process-wide lock: a second caller waiting on the lock finds the token already
//! changed and uses it instead of spending the (now dead) refresh token again.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::http;
use super::{secret, Delivery};
use crate::messaging::outbox::ErrorHint;
use crate::messaging::secrets::SecretStore;

/// One refresh at a time in this process.
static REFRESH_LOCK: Mutex<()> = Mutex::new(());

/// A Zalo OA client.
pub struct ZaloOa {
    pub(super) agent: ureq::Agent,
    api: String,
    oauth: String,
    /// Zalo's business API (template messages), `https://business.openapi.zalo.me`.
    pub(super) business: String,
    app_id: String,
    secrets: Arc<dyn SecretStore>,
}

/// The outcome of checking the connection from Settings.
#[derive(Debug, Clone, PartialEq)]
pub enum ZaloCheck {
    Ok { oa_name: Option<String> },
    Problem(String),
}

impl ZaloOa {
    /// A client for the OA whose tokens are in `secrets`.
    pub fn new(
        agent: &ureq::Agent,
        api: &str,
        oauth: &str,
        app_id: &str,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        ZaloOa {
            agent: agent.clone(),
            api: api.trim_end_matches('/').to_string(),
            oauth: oauth.trim_end_matches('/').to_string(),
            business: "https://business.openapi.zalo.me".to_string(),
            app_id: app_id.to_string(),
            secrets,
        }
    }

    /// The same client, with the business API at `base`.
    pub fn with_business_api(mut self, base: &str) -> Self {
        self.business = base.trim_end_matches('/').to_string();
        self
    }

    fn access_token(&self) -> Result<String, Delivery> {
        match self.secrets.get(secret::ZALO_ACCESS_TOKEN) {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err(Delivery::failed(
                "Zalo OA has no access token: add it in Settings",
                Some(ErrorHint::CheckSettings),
            )),
            Err(e) => Err(Delivery::retry(format!(
                "the secret store could not be read: {e}"
            ))),
        }
    }

    /// Calls Zalo with the access token; when Zalo says the token expired, refreshes it once and
    /// calls again. `refused` turns a settings problem into the caller's error type.
    pub(super) fn with_token<T>(
        &self,
        refused: impl Fn(Delivery) -> T,
        call: impl Fn(&str) -> Attempt<T>,
    ) -> T {
        let token = match self.access_token() {
            Ok(t) => t,
            Err(d) => return refused(d),
        };
        match call(&token) {
            Attempt::Done(d) => d,
            Attempt::TokenExpired => match self.refresh(&token) {
                Ok(fresh) => match call(&fresh) {
                    Attempt::Done(d) => d,
                    Attempt::TokenExpired => refused(Delivery::failed(
                        "Zalo rejected a freshly refreshed token: reconnect the OA in Settings",
                        Some(ErrorHint::CheckSettings),
                    )),
                },
                Err(d) => refused(d),
            },
        }
    }

    /// Sends a consultation message to a user, refreshing the access token once if it has
    /// expired.
    pub fn send(&self, user_id: &str, text: &str) -> Delivery {
        self.send_reply(user_id, text, None)
    }

    /// The same, quoting the user's message `quote` when it is a reply to it (Zalo counts a
    /// quoting reply within 48 hours of the user's message among its free replies).
    pub fn send_reply(&self, user_id: &str, text: &str, quote: Option<&str>) -> Delivery {
        self.with_token(|d| d, |token| self.send_with(token, user_id, text, quote))
    }

    fn send_with(
        &self,
        token: &str,
        user_id: &str,
        text: &str,
        quote: Option<&str>,
    ) -> Attempt<Delivery> {
        let mut message = json!({ "text": text });
        if let Some(q) = quote {
            message["quote_message_id"] = json!(q);
        }
        let body = json!({ "recipient": { "user_id": user_id }, "message": message });
        let reply = match http::post_json(
            &self.agent,
            &format!("{}/v3.0/oa/message/cs", self.api),
            &[("access_token", token)],
            &body,
        ) {
            Ok(r) => r,
            Err(e) => return Attempt::Done(Delivery::no_answer(e)),
        };
        if reply.status >= 500 {
            return Attempt::Done(Delivery::retry(format!(
                "Zalo had a server error ({})",
                reply.status
            )));
        }
        let v: Value = match serde_json::from_str(&reply.body) {
            Ok(v) => v,
            Err(_) if (200..300).contains(&reply.status) => {
                // Zalo accepted the request but its answer is garbled: the message may be out.
                return Attempt::Done(Delivery::unknown(format!(
                    "outcome unknown: Zalo answered {} with something that is not JSON. Check with the customer, then retry or dismiss",
                    reply.status
                )));
            }
            Err(_) => {
                return Attempt::Done(Delivery::retry(format!(
                    "Zalo answered {} with something that is not JSON",
                    reply.status
                )))
            }
        };
        let Some(code) = v["error"].as_i64() else {
            // An answer without Zalo's error code says nothing about the message: it may be out.
            return Attempt::Done(Delivery::unknown(format!(
                "outcome unknown: Zalo answered {} without saying whether the message went. Check with the customer, then retry or dismiss",
                reply.status
            )));
        };
        let msg = v["message"].as_str().unwrap_or("no message").to_string();
        Attempt::Done(match code {
            0 => Delivery::Sent {
                provider_id: v["data"]["message_id"].as_str().map(String::from),
            },
            -216 | -220 => return Attempt::TokenExpired,
            // -230: no message from the user in 7 days; -231/-232: outside the consultation
            // window; -213: the user does not follow the OA.
            -213 | -230 | -231 | -232 => Delivery::failed(
                format!("The customer is outside Zalo OA's interaction window or does not follow the OA ({msg}): send it from your own Zalo"),
                Some(ErrorHint::UsePersonalZalo),
            ),
            -32 => Delivery::retry(format!("Zalo is rate limiting: {msg}")),
            -201 | -211 => Delivery::failed(
                format!("Zalo does not know this user id ({msg})"),
                Some(ErrorHint::AddRecipient),
            ),
            -124 | -217 => Delivery::failed(
                format!("Zalo refused the app's permissions ({msg}): check the OA in Settings"),
                Some(ErrorHint::CheckSettings),
            ),
            _ => Delivery::failed(format!("Zalo refused the message: {msg} (error {code})"), None),
        })
    }

    /// Exchanges the refresh token for a new pair, stores the pair, and returns the new access
    /// token. `stale` is the access token that was rejected.
    pub fn refresh(&self, stale: &str) -> Result<String, Delivery> {
        let _guard = REFRESH_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        // Someone else refreshed while we waited: use theirs.
        if let Ok(Some(current)) = self.secrets.get(secret::ZALO_ACCESS_TOKEN) {
            if current != stale {
                return Ok(current);
            }
        }
        let settings = |m: &str| Delivery::failed(m.to_string(), Some(ErrorHint::CheckSettings));
        let refresh_token = match self.secrets.get(secret::ZALO_REFRESH_TOKEN) {
            Ok(Some(t)) => t,
            Ok(None) => return Err(settings("the Zalo access token expired and no refresh token is set: reconnect the OA in Settings")),
            Err(e) => return Err(Delivery::retry(format!("the secret store could not be read: {e}"))),
        };
        let app_secret = match self.secrets.get(secret::ZALO_APP_SECRET) {
            Ok(Some(t)) => t,
            Ok(None) => {
                return Err(settings(
                    "the Zalo app secret is not set: add it in Settings",
                ))
            }
            Err(e) => {
                return Err(Delivery::retry(format!(
                    "the secret store could not be read: {e}"
                )))
            }
        };
        let reply = http::post_form(
            &self.agent,
            &format!("{}/v4/oa/access_token", self.oauth),
            &[("secret_key", &app_secret)],
            &[
                ("refresh_token", &refresh_token),
                ("app_id", &self.app_id),
                ("grant_type", "refresh_token"),
            ],
        )
        // A token refresh delivers nothing: whatever happened, the message is still unsent.
        .map_err(|e| Delivery::offline(e.reason))?;
        if reply.status >= 500 {
            return Err(Delivery::retry(format!(
                "Zalo's sign-in server had an error ({})",
                reply.status
            )));
        }
        let v: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        let (Some(access), Some(refresh)) =
            (v["access_token"].as_str(), v["refresh_token"].as_str())
        else {
            let why = v["error_description"]
                .as_str()
                .or(v["message"].as_str())
                .unwrap_or("no reason given");
            return Err(settings(&format!(
                "Zalo refused to refresh the access token ({why}): reconnect the OA in Settings"
            )));
        };
        // The old refresh token is dead from now on: keep the new pair before anything else.
        self.secrets
            .set(secret::ZALO_REFRESH_TOKEN, Some(refresh))
            .and_then(|_| self.secrets.set(secret::ZALO_ACCESS_TOKEN, Some(access)))
            .map_err(|e| {
                settings(&format!(
                    "the refreshed Zalo tokens could not be saved: {e}"
                ))
            })?;
        Ok(access.to_string())
    }

    /// Checks the token from Settings (refreshing it when expired).
    pub fn check(&self) -> ZaloCheck {
        let token = match self.access_token() {
            Ok(t) => t,
            Err(d) => return ZaloCheck::Problem(d.reason().to_string()),
        };
        let ask = |token: &str| {
            http::get(
                &self.agent,
                &format!("{}/v2.0/oa/getoa", self.api),
                &[("access_token", token)],
            )
        };
        let mut reply = match ask(&token) {
            Ok(r) => r,
            Err(e) => return ZaloCheck::Problem(e.reason),
        };
        let mut v: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        if matches!(v["error"].as_i64(), Some(-216) | Some(-220)) {
            match self.refresh(&token) {
                Ok(fresh) => match ask(&fresh) {
                    Ok(r) => {
                        reply = r;
                        v = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
                    }
                    Err(e) => return ZaloCheck::Problem(e.reason),
                },
                Err(d) => return ZaloCheck::Problem(d.reason().to_string()),
            }
        }
        match v["error"].as_i64() {
            Some(0) => ZaloCheck::Ok {
                oa_name: v["data"]["name"].as_str().map(String::from),
            },
            _ => ZaloCheck::Problem(format!(
                "Zalo answered {}: {}",
                reply.status,
                v["message"].as_str().unwrap_or("no message")
            )),
        }
    }
    /// The OA's recent messages, all users mixed, newest first: `count` (at most 10) from
    /// `offset`.
    pub fn recent_chats(&self, offset: usize, count: usize) -> Result<Vec<ChatMessage>, ReadError> {
        self.read(
            "/v2.0/oa/listrecentchat",
            &json!({ "offset": offset, "count": count.min(10) }),
        )
    }

    /// One user's conversation with the OA, newest first: `count` (at most 10) from `offset`.
    pub fn conversation(
        &self,
        user_id: &str,
        offset: usize,
        count: usize,
    ) -> Result<Vec<ChatMessage>, ReadError> {
        self.read(
            "/v2.0/oa/conversation",
            &json!({ "user_id": user_id, "offset": offset, "count": count.min(10) }),
        )
    }

    fn read(&self, path: &str, data: &Value) -> Result<Vec<ChatMessage>, ReadError> {
        let data = data.to_string();
        let v = self.get_answer(&format!("{}{path}", self.api), &[("data", &data)])?;
        Ok(v["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(ChatMessage::from_json)
            .collect())
    }

    /// A GET on Zalo (the OA or the business API) with the access token, refreshed once if Zalo
    /// says so: the whole answer when Zalo says `error: 0`.
    pub(super) fn get_answer(&self, url: &str, query: &[(&str, &str)]) -> Result<Value, ReadError> {
        self.with_token(
            |d| Err(ReadError::Refused(d.reason().to_string())),
            |token| {
                let reply =
                    match http::get_query(&self.agent, url, &[("access_token", token)], query) {
                        Ok(r) => r,
                        Err(e) => return Attempt::Done(Err(ReadError::NoAnswer(e.reason))),
                    };
                if reply.status >= 500 {
                    return Attempt::Done(Err(ReadError::NoAnswer(format!(
                        "Zalo had a server error ({})",
                        reply.status
                    ))));
                }
                let Ok(v) = serde_json::from_str::<Value>(&reply.body) else {
                    return Attempt::Done(Err(ReadError::NoAnswer(format!(
                        "Zalo answered {} with something that is not JSON",
                        reply.status
                    ))));
                };
                match v["error"].as_i64().unwrap_or(-1) {
                    0 => Attempt::Done(Ok(v)),
                    // -216/-220 on the OA API, -124 on the business API.
                    -124 | -216 | -220 => Attempt::TokenExpired,
                    -32 => Attempt::Done(Err(ReadError::RateLimited)),
                    code => Attempt::Done(Err(ReadError::Refused(format!(
                        "{} (error {code})",
                        v["message"].as_str().unwrap_or("no message")
                    )))),
                }
            },
        )
    }
}

/// A message of a conversation between the OA and a user.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    pub message_id: String,
    pub from_id: String,
    pub to_id: String,
    /// The user's display name, when the user wrote it.
    pub from_name: Option<String>,
    pub text: String,
    /// Milliseconds since the epoch.
    pub time: i64,
    /// `text`, `image`, `sticker`, `link`, …
    pub kind: String,
    /// Zalo's `src`: 1 when the user wrote it, 0 when the OA did (absent in some answers).
    pub from_user: Option<bool>,
}

impl ChatMessage {
    /// The user of the conversation this message belongs to.
    pub fn user_id(&self) -> &str {
        match self.from_user {
            Some(false) => &self.to_id,
            _ => &self.from_id,
        }
    }
}

impl ChatMessage {
    fn from_json(v: &Value) -> Option<ChatMessage> {
        // Ids come as strings, but some answers give them as numbers.
        let id = |f: &str| {
            v[f].as_str()
                .map(String::from)
                .or_else(|| v[f].as_u64().map(|n| n.to_string()))
        };
        Some(ChatMessage {
            message_id: id("message_id")?,
            from_id: id("from_id")?,
            to_id: id("to_id").unwrap_or_default(),
            from_name: v["from_display_name"]
                .as_str()
                .filter(|n| !n.is_empty())
                .map(String::from),
            text: v["message"].as_str().unwrap_or("").to_string(),
            time: v["time"].as_i64()?,
            kind: v["type"].as_str().unwrap_or("text").to_string(),
            from_user: v["src"].as_i64().map(|s| s == 1),
        })
    }
}

/// Why a conversation could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// No answer (offline, Zalo unreachable or failing): normal on a laptop; try again later.
    NoAnswer(String),
    /// Zalo says the OA asks too often: wait longer before the next read.
    RateLimited,
    /// Zalo refused (a missing permission, a wrong token): something to fix in Settings.
    Refused(String),
}

pub(super) enum Attempt<T> {
    Done(T),
    TokenExpired,
}
