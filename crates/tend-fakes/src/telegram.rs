//! A fake Telegram Bot API.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::http::{FakeServer, Mishap, Request, Response};

/// A message the fake bot delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub chat_id: i64,
    pub text: String,
}

/// The fake's state, shared with the test.
#[derive(Default)]
pub struct TelegramState {
    pub token: String,
    pub username: String,
    pub sent: Vec<Sent>,
    /// Chats that blocked the bot (403).
    pub blocked: HashSet<i64>,
    /// Answers to give to the next `sendMessage` calls instead of delivering.
    pub script: VecDeque<Response>,
    /// Mishaps for the answers to the next messages delivered: each message is recorded as
    /// delivered, then its answer comes late or never.
    pub mishaps: VecDeque<Mishap>,
    /// Updates for getUpdates: (update_id, chat_id, text).
    pub updates: Vec<(i64, i64, String)>,
    pub calls: usize,
}

/// A running fake Telegram.
pub struct FakeTelegram {
    pub server: FakeServer,
    pub state: Arc<Mutex<TelegramState>>,
}

fn err(status: u16, description: &str) -> Response {
    Response::json(
        status,
        json!({ "ok": false, "error_code": status, "description": description }),
    )
}

/// A 429 as Telegram sends it.
pub fn too_many_requests(retry_after: i64) -> Response {
    Response::json(
        429,
        json!({ "ok": false, "error_code": 429,
                "description": format!("Too Many Requests: retry after {retry_after}"),
                "parameters": { "retry_after": retry_after } }),
    )
}

impl FakeTelegram {
    /// Starts a fake bot `username` accepting `token`, on `port` (0: any free port).
    pub fn start(port: u16, token: &str, username: &str) -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(TelegramState {
            token: token.into(),
            username: username.into(),
            ..Default::default()
        }));
        let s = state.clone();
        let server = FakeServer::start(port, Arc::new(move |req: &Request| handle(&s, req)))?;
        Ok(FakeTelegram { server, state })
    }

    /// The API base to configure (`TEND_TELEGRAM_API_BASE`).
    pub fn base(&self) -> String {
        self.server.base()
    }

    /// Messages delivered so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.state.lock().unwrap().sent.clone()
    }

    /// Queues answers for the next sendMessage calls.
    pub fn script(&self, responses: impl IntoIterator<Item = Response>) {
        self.state.lock().unwrap().script.extend(responses);
    }

    /// Delivers the next messages, but spoils their answers with these mishaps.
    pub fn after_delivery(&self, mishaps: impl IntoIterator<Item = Mishap>) {
        self.state.lock().unwrap().mishaps.extend(mishaps);
    }

    /// A user sends `text` (such as `/start <token>`) to the bot from `chat_id`.
    pub fn user_says(&self, chat_id: i64, text: &str) {
        let mut s = self.state.lock().unwrap();
        let id = 1000 + s.updates.len() as i64;
        s.updates.push((id, chat_id, text.to_string()));
    }
}

fn handle(state: &Mutex<TelegramState>, req: &Request) -> Response {
    let mut s = state.lock().unwrap();
    s.calls += 1;
    // Test hooks, for suites that drive the fake from outside the process.
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/_fake/sent") => {
            let list: Vec<Value> = s
                .sent
                .iter()
                .map(|m| json!({ "chat_id": m.chat_id, "text": m.text }))
                .collect();
            return Response::json(200, json!(list));
        }
        ("POST", "/_fake/user_says") => {
            let v = req.json();
            let id = 1000 + s.updates.len() as i64;
            let text = v["text"].as_str().unwrap_or("").to_string();
            s.updates
                .push((id, v["chat_id"].as_i64().unwrap_or(0), text));
            return Response::json(200, json!({ "ok": true }));
        }
        ("POST", "/_fake/next_answer") => {
            // {"status": 429, "body": {...}}: the next sendMessage gets this answer instead.
            let v = req.json();
            let status = v["status"].as_u64().unwrap_or(500) as u16;
            s.script
                .push_back(Response::json(status, v["body"].clone()));
            return Response::json(200, json!({ "ok": true }));
        }
        ("POST", "/_fake/after_delivery") => {
            return match Mishap::from_json(&req.json()) {
                Some(m) => {
                    s.mishaps.push_back(m);
                    Response::json(200, json!({ "ok": true }))
                }
                None => err(400, "kind is late or drop"),
            };
        }
        _ => {}
    }
    let Some(rest) = req.path.strip_prefix("/bot") else {
        return err(404, "Not Found");
    };
    let Some((token, method)) = rest.split_once('/') else {
        return err(404, "Not Found");
    };
    if token != s.token {
        return err(401, "Unauthorized");
    }
    match method {
        "getMe" => Response::json(
            200,
            json!({ "ok": true, "result": { "id": 7000001, "is_bot": true, "first_name": "Tend", "username": s.username } }),
        ),
        "sendMessage" => {
            if let Some(r) = s.script.pop_front() {
                return r;
            }
            let v = req.json();
            let Some(chat_id) = v["chat_id"].as_i64() else {
                return err(400, "Bad Request: chat not found");
            };
            let text = v["text"].as_str().unwrap_or("").to_string();
            if text.is_empty() {
                return err(400, "Bad Request: message text is empty");
            }
            if text.chars().count() > 4096 {
                return err(400, "Bad Request: message is too long");
            }
            if s.blocked.contains(&chat_id) {
                return err(403, "Forbidden: bot was blocked by the user");
            }
            s.sent.push(Sent {
                chat_id,
                text: text.clone(),
            });
            let id = s.sent.len();
            let answer = Response::json(
                200,
                json!({ "ok": true, "result": { "message_id": id, "date": 1_790_000_000, "chat": { "id": chat_id, "type": "private" }, "text": text } }),
            );
            match s.mishaps.pop_front() {
                Some(m) => m.spoil(answer),
                None => answer,
            }
        }
        "getUpdates" => {
            let offset: i64 = req
                .query
                .split('&')
                .find_map(|kv| kv.strip_prefix("offset="))
                .and_then(|o| o.parse().ok())
                .unwrap_or(0);
            let list: Vec<Value> = s
                .updates
                .iter()
                .filter(|(id, _, _)| *id >= offset)
                .map(|(id, chat, text)| {
                    json!({ "update_id": id, "message": { "message_id": id, "chat": { "id": chat, "type": "private" }, "text": text } })
                })
                .collect();
            Response::json(200, json!({ "ok": true, "result": list }))
        }
        _ => err(404, "Not Found"),
    }
}
