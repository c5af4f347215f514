//! A fake Zalo OA API and OAuth server (one server answers both bases).

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::http::{FakeServer, Mishap, Request, Response};

/// A message the fake OA delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub user_id: String,
    pub text: String,
}

/// The fake's state.
#[derive(Default)]
pub struct ZaloState {
    pub app_id: String,
    pub secret_key: String,
    pub access_token: String,
    pub refresh_token: String,
    pub sent: Vec<Sent>,
    /// Users outside the interaction window (-213).
    pub outside_window: HashSet<String>,
    pub script: VecDeque<Response>,
    /// Mishaps for the answers to the next messages delivered (recorded, then answered late or
    /// never).
    pub mishaps: VecDeque<Mishap>,
    pub refreshes: usize,
    /// Refresh tokens that were used once and are dead now.
    pub spent_refresh_tokens: Vec<String>,
}

/// A running fake Zalo.
pub struct FakeZalo {
    pub server: FakeServer,
    pub state: Arc<Mutex<ZaloState>>,
}

impl FakeZalo {
    /// Starts a fake OA with the given credentials.
    pub fn start(
        app_id: &str,
        secret_key: &str,
        access_token: &str,
        refresh_token: &str,
    ) -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(ZaloState {
            app_id: app_id.into(),
            secret_key: secret_key.into(),
            access_token: access_token.into(),
            refresh_token: refresh_token.into(),
            ..Default::default()
        }));
        let s = state.clone();
        let server = FakeServer::start(0, Arc::new(move |req: &Request| handle(&s, req)))?;
        Ok(FakeZalo { server, state })
    }

    /// The base for both `TEND_ZALO_API_BASE` and `TEND_ZALO_OAUTH_BASE`.
    pub fn base(&self) -> String {
        self.server.base()
    }

    /// Delivers the next messages, but spoils their answers with these mishaps.
    pub fn after_delivery(&self, mishaps: impl IntoIterator<Item = Mishap>) {
        self.state.lock().unwrap().mishaps.extend(mishaps);
    }

    /// Makes the current access token expire (the next call answers -216).
    pub fn expire_access_token(&self) {
        self.state.lock().unwrap().access_token = "expired-by-test".into();
    }
}

fn handle(state: &Mutex<ZaloState>, req: &Request) -> Response {
    let mut s = state.lock().unwrap();
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v3.0/oa/message/cs") => {
            if let Some(r) = s.script.pop_front() {
                return r;
            }
            if req.header("access_token") != Some(s.access_token.as_str()) {
                return Response::json(
                    200,
                    json!({ "error": -216, "message": "Access token is invalid" }),
                );
            }
            let v = req.json();
            let user = v["recipient"]["user_id"].as_str().unwrap_or("").to_string();
            let text = v["message"]["text"].as_str().unwrap_or("").to_string();
            if s.outside_window.contains(&user) {
                return Response::json(
                    200,
                    json!({ "error": -213, "message": "User has not interacted with the OA in the last 7 days" }),
                );
            }
            if text.chars().count() > 2000 {
                return Response::json(
                    200,
                    json!({ "error": -210, "message": "Text is too long" }),
                );
            }
            s.sent.push(Sent {
                user_id: user.clone(),
                text,
            });
            let id = format!("zmsg{}", s.sent.len());
            let answer = Response::json(
                200,
                json!({ "error": 0, "message": "Success", "data": { "message_id": id, "user_id": user } }),
            );
            match s.mishaps.pop_front() {
                Some(m) => m.spoil(answer),
                None => answer,
            }
        }
        ("GET", "/v2.0/oa/getoa") => {
            if req.header("access_token") != Some(s.access_token.as_str()) {
                return Response::json(
                    200,
                    json!({ "error": -216, "message": "Access token is invalid" }),
                );
            }
            Response::json(
                200,
                json!({ "error": 0, "message": "Success", "data": { "oa_id": "1", "name": "Tend OA" } }),
            )
        }
        ("POST", "/v4/oa/access_token") => {
            let given = req.form("refresh_token").unwrap_or_default();
            let ok = req.header("secret_key") == Some(s.secret_key.as_str())
                && req.form("app_id").as_deref() == Some(s.app_id.as_str())
                && req.form("grant_type").as_deref() == Some("refresh_token")
                && given == s.refresh_token;
            if !ok {
                return Response::json(
                    200,
                    json!({ "error": -14014, "error_name": "Invalid refresh token", "error_description": "Refresh token is invalid or was already used" }),
                );
            }
            s.refreshes += 1;
            let fresh = format!("refresh-{}", s.refreshes);
            let old = std::mem::replace(&mut s.refresh_token, fresh);
            s.spent_refresh_tokens.push(old);
            s.access_token = format!("access-{}", s.refreshes);
            Response::json(
                200,
                json!({ "access_token": s.access_token, "refresh_token": s.refresh_token, "expires_in": "90000" }),
            )
        }
        _ => Response::json(404, json!({ "error": 404, "message": "Not found" })),
    }
}
