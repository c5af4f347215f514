//! The Zalo Official Account API v3: text messages to a follower, and access-token refresh.
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
    agent: ureq::Agent,
    api: String,
    oauth: String,
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
            app_id: app_id.to_string(),
            secrets,
        }
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

    /// Sends a text to a follower, refreshing the access token once if it has expired.
    pub fn send(&self, user_id: &str, text: &str) -> Delivery {
        let token = match self.access_token() {
            Ok(t) => t,
            Err(d) => return d,
        };
        match self.send_with(&token, user_id, text) {
            Attempt::Done(d) => d,
            Attempt::TokenExpired => match self.refresh(&token) {
                Ok(fresh) => match self.send_with(&fresh, user_id, text) {
                    Attempt::Done(d) => d,
                    Attempt::TokenExpired => Delivery::failed(
                        "Zalo rejected a freshly refreshed token: reconnect the OA in Settings",
                        Some(ErrorHint::CheckSettings),
                    ),
                },
                Err(d) => d,
            },
        }
    }

    fn send_with(&self, token: &str, user_id: &str, text: &str) -> Attempt {
        let body = json!({ "recipient": { "user_id": user_id }, "message": { "text": text } });
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
        let code = v["error"].as_i64().unwrap_or(-1);
        let msg = v["message"].as_str().unwrap_or("no message").to_string();
        Attempt::Done(match code {
            0 => Delivery::Sent {
                provider_id: v["data"]["message_id"].as_str().map(String::from),
            },
            -216 | -220 => return Attempt::TokenExpired,
            -213 | -230 | -232 => Delivery::failed(
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
}

enum Attempt {
    Done(Delivery),
    TokenExpired,
}
