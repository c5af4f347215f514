//! A fake Zalo OA API and OAuth server (one server answers every base: the OA API, OAuth and
//! the business API of template messages, whose paths do not collide).
//!
//! Conversations are kept per user, newest last: `user_says` adds a user's message (and opens
//! their interaction window), a delivered consultation message adds the OA's. The reads answer
//! as Zalo's do: `listrecentchat` the latest messages of all conversations, newest first;
//! `conversation` one user's messages, newest first, at most 10 a page; `user/getlist` the users
//! active in a period.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::http::{FakeServer, Mishap, Request, Response};

/// A message the fake OA delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub user_id: String,
    pub text: String,
    /// The user's message it quotes (a reply).
    pub quote_message_id: Option<String>,
}

/// One message of a conversation between the OA and a user.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    pub message_id: String,
    /// True when the user wrote it, false when the OA did.
    pub from_user: bool,
    pub text: String,
    /// Milliseconds since the epoch.
    pub time: i64,
}

/// A template message the fake delivered to a phone.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSent {
    pub phone: String,
    pub template_id: String,
    pub data: serde_json::Map<String, serde_json::Value>,
    pub tracking_id: Option<String>,
    pub msg_id: String,
}

/// A template parameter of the fake OA: its name, whether it is required, its longest length.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeParam {
    pub name: String,
    pub required: bool,
    pub max_length: i64,
}

/// One of the fake OA's templates.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeTemplate {
    pub id: String,
    pub name: String,
    /// `ENABLE`, `PENDING_REVIEW`, `REJECT`, `DISABLE`.
    pub status: String,
    pub params: Vec<FakeParam>,
    pub price: i64,
}

impl FakeTemplate {
    /// An approved template with these (required) parameters and their longest lengths.
    pub fn approved(id: &str, name: &str, params: &[(&str, i64)]) -> Self {
        FakeTemplate {
            id: id.into(),
            name: name.into(),
            status: "ENABLE".into(),
            params: params
                .iter()
                .map(|(n, max)| FakeParam {
                    name: n.to_string(),
                    required: true,
                    max_length: *max,
                })
                .collect(),
            price: 200,
        }
    }
}

/// The OA's id in the fake (the `from_id` of its own messages).
pub const OA_ID: &str = "4318500000000000001";

/// The fake's state.
#[derive(Default)]
pub struct ZaloState {
    pub app_id: String,
    pub secret_key: String,
    pub access_token: String,
    pub refresh_token: String,
    pub sent: Vec<Sent>,
    /// Users outside the 7-day interaction window (-230).
    pub outside_window: HashSet<String>,
    pub script: VecDeque<Response>,
    /// Mishaps for the answers to the next messages delivered (recorded, then answered late or
    /// never).
    pub mishaps: VecDeque<Mishap>,
    pub refreshes: usize,
    /// Refresh tokens that were used once and are dead now.
    pub spent_refresh_tokens: Vec<String>,
    /// Each user's conversation with the OA, oldest first.
    pub chats: HashMap<String, Vec<ChatMessage>>,
    /// Display names of users who wrote to the OA.
    pub names: HashMap<String, String>,
    /// Calls to the read endpoints, by path (to check polling stays within limits).
    pub reads: HashMap<String, usize>,
    /// The OA's templates.
    pub templates: Vec<FakeTemplate>,
    /// Template messages delivered.
    pub template_sent: Vec<TemplateSent>,
    /// Template messages left today (None: the default 500).
    pub quota_remaining: Option<i64>,
    /// Phones with no Zalo account (-118).
    pub phones_without_zalo: HashSet<String>,
    /// Phones whose users refuse template messages (-139).
    pub phones_refusing: HashSet<String>,
    /// Users whose conversation Zalo refuses to give (-227: the account is locked).
    pub conversations_refused: HashSet<String>,
    next_message: u64,
}

/// A running fake Zalo.
pub struct FakeZalo {
    pub server: FakeServer,
    pub state: Arc<Mutex<ZaloState>>,
}

impl FakeZalo {
    /// Starts a fake OA with the given credentials, on a free port.
    pub fn start(
        app_id: &str,
        secret_key: &str,
        access_token: &str,
        refresh_token: &str,
    ) -> std::io::Result<Self> {
        Self::start_on(0, app_id, secret_key, access_token, refresh_token)
    }

    /// The same, on `port` (0: a free one).
    pub fn start_on(
        port: u16,
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
        let server = FakeServer::start(port, Arc::new(move |req: &Request| handle(&s, req)))?;
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

    /// The user `user_id` (shown as `name`) writes `text` to the OA now; returns its message id.
    pub fn user_says(&self, user_id: &str, name: &str, text: &str) -> String {
        self.user_says_at(user_id, name, text, now_ms())
    }

    /// The same, at `time` (milliseconds since the epoch).
    pub fn user_says_at(&self, user_id: &str, name: &str, text: &str, time: i64) -> String {
        self.state
            .lock()
            .unwrap()
            .add_message(user_id, Some(name), true, text, time)
    }

    /// The messages the OA delivered.
    pub fn sent(&self) -> Vec<Sent> {
        self.state.lock().unwrap().sent.clone()
    }

    /// The template messages delivered.
    pub fn template_sent(&self) -> Vec<TemplateSent> {
        self.state.lock().unwrap().template_sent.clone()
    }

    /// Gives the OA a template.
    pub fn add_template(&self, t: FakeTemplate) {
        self.state.lock().unwrap().templates.push(t);
    }

    /// How many times a read endpoint (`/v2.0/oa/conversation`, …) was called.
    pub fn reads(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .reads
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

impl ZaloState {
    /// Adds a message to a conversation and returns its id. A user's message opens their
    /// interaction window.
    pub fn add_message(
        &mut self,
        user_id: &str,
        name: Option<&str>,
        from_user: bool,
        text: &str,
        time: i64,
    ) -> String {
        self.next_message += 1;
        let message_id = format!("{:032x}", 0x7a10_0000_u64 + self.next_message);
        if let Some(name) = name {
            self.names.insert(user_id.to_string(), name.to_string());
        }
        if from_user {
            self.outside_window.remove(user_id);
        }
        self.chats
            .entry(user_id.to_string())
            .or_default()
            .push(ChatMessage {
                message_id: message_id.clone(),
                from_user,
                text: text.to_string(),
                time,
            });
        message_id
    }

    /// A message as Zalo's conversation endpoints give it.
    fn message_json(&self, user_id: &str, m: &ChatMessage) -> serde_json::Value {
        let name = self.names.get(user_id).cloned().unwrap_or_default();
        let (from, to, from_name, to_name) = if m.from_user {
            (user_id, OA_ID, name.as_str(), "Tend OA")
        } else {
            (OA_ID, user_id, "Tend OA", name.as_str())
        };
        json!({
            "src": if m.from_user { 1 } else { 0 },
            "time": m.time,
            "sent_time": m.time.to_string(),
            "type": "text",
            "message": m.text,
            "message_id": m.message_id,
            "from_id": from,
            "to_id": to,
            "from_display_name": from_name,
            "to_display_name": to_name,
            "from_avatar": "",
            "to_avatar": "",
        })
    }
}

/// Zalo's daily quota of template messages in the fake.
pub const DAILY_QUOTA: i64 = 500;

fn zns_error(code: i64, message: &str) -> Response {
    Response::json(200, json!({ "error": code, "message": message }))
}

fn send_template(s: &mut ZaloState, req: &Request) -> Response {
    if req.header("access_token") != Some(s.access_token.as_str()) {
        return zns_error(-124, "Access token is invalid");
    }
    let v = req.json();
    let phone = v["phone"].as_str().unwrap_or("").to_string();
    let digits_ok =
        phone.len() == 11 && phone.starts_with("84") && phone.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok {
        return zns_error(-108, "Phone number is invalid");
    }
    let template_id = v["template_id"].as_str().unwrap_or("").to_string();
    let Some(t) = s.templates.iter().find(|t| t.id == template_id).cloned() else {
        return zns_error(-109, "Template ID is invalid");
    };
    if t.status != "ENABLE" {
        return zns_error(-131, "Template is not approved");
    }
    let data = match v["template_data"].as_object() {
        Some(d) if !d.is_empty() => d.clone(),
        _ => return zns_error(-111, "Template data is empty"),
    };
    for p in &t.params {
        let value = data.get(&p.name).and_then(|v| v.as_str()).unwrap_or("");
        if p.required && value.is_empty() {
            return zns_error(-1122, &format!("Missing required param: {}", p.name));
        }
        if value.chars().count() as i64 > p.max_length {
            return zns_error(-1121, &format!("Param {} exceeds max length", p.name));
        }
    }
    let remaining = s.quota_remaining.unwrap_or(DAILY_QUOTA);
    if remaining <= 0 {
        return zns_error(
            -144,
            "OA has exceeded the daily limit of messages sent by phone number",
        );
    }
    if s.phones_without_zalo.contains(&phone) {
        return zns_error(-118, "Zalo account not existed");
    }
    if s.phones_refusing.contains(&phone) {
        return zns_error(-139, "User has refused to receive this type of message");
    }
    s.quota_remaining = Some(remaining - 1);
    let msg_id = format!(
        "{:032x}",
        0x2e50_0000_u64 + s.template_sent.len() as u64 + 1
    );
    s.template_sent.push(TemplateSent {
        phone,
        template_id,
        data,
        tracking_id: v["tracking_id"].as_str().map(String::from),
        msg_id: msg_id.clone(),
    });
    let answer = Response::json(
        200,
        json!({ "error": 0, "message": "Success", "data": {
            "msg_id": msg_id,
            "sent_time": now_ms().to_string(),
            "quota": { "dailyQuota": DAILY_QUOTA.to_string(), "remainingQuota": (remaining - 1).to_string() },
        } }),
    );
    match s.mishaps.pop_front() {
        Some(m) => m.spoil(answer),
        None => answer,
    }
}

fn business_read(s: &ZaloState, req: &Request) -> Response {
    if req.header("access_token") != Some(s.access_token.as_str()) {
        return zns_error(-124, "Access token is invalid");
    }
    match req.path.as_str() {
        "/template/all" => {
            let offset: usize = req
                .query("offset")
                .and_then(|o| o.parse().ok())
                .unwrap_or(0);
            let limit: usize = req
                .query("limit")
                .and_then(|o| o.parse().ok())
                .unwrap_or(100);
            if limit == 0 || limit > 100 {
                return zns_error(-132, "Invalid parameter: limit");
            }
            let data: Vec<_> = s
                .templates
                .iter()
                .skip(offset)
                .take(limit)
                .map(|t| json!({ "templateId": t.id.parse::<i64>().map(|n| json!(n)).unwrap_or(json!(t.id)),
                                 "templateName": t.name, "createdTime": 1_700_000_000_000_i64,
                                 "status": t.status, "templateQuality": "HIGH" }))
                .collect();
            Response::json(
                200,
                json!({ "error": 0, "message": "Success", "data": data,
                        "metadata": { "total": s.templates.len() } }),
            )
        }
        "/template/info/v2" => {
            let id = req.query("template_id").unwrap_or_default();
            let Some(t) = s.templates.iter().find(|t| t.id == id) else {
                return zns_error(-109, "Template ID is invalid");
            };
            let params: Vec<_> = t
                .params
                .iter()
                .map(|p| json!({ "name": p.name, "require": p.required, "type": "STRING",
                                 "maxLength": p.max_length, "minLength": 0, "acceptNull": !p.required }))
                .collect();
            Response::json(
                200,
                json!({ "error": 0, "message": "Success", "data": {
                    "templateId": t.id, "templateName": t.name, "status": t.status,
                    "listParams": params, "timeout": 7_200_000,
                    "previewUrl": format!("https://account.zalo.cloud/znspreview/{}", t.id),
                    "templateQuality": "HIGH", "templateTag": "CUSTOMER_CARE",
                    "price": t.price.to_string(),
                } }),
            )
        }
        _ => Response::json(
            200,
            json!({ "error": 0, "message": "Success", "data": {
                "dailyQuota": DAILY_QUOTA.to_string(),
                "remainingQuota": s.quota_remaining.unwrap_or(DAILY_QUOTA).to_string(),
            } }),
        ),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn invalid_token() -> Response {
    Response::json(
        200,
        json!({ "error": -216, "message": "Access token is invalid" }),
    )
}

/// Zalo's answer to a read whose `data` parameter is malformed or out of range.
fn invalid_param(what: &str) -> Response {
    Response::json(
        200,
        json!({ "error": -201, "message": format!("Parameter is invalid: {what}") }),
    )
}

/// `offset` and `count` of a read's `data`, with the largest count the endpoint allows.
fn page(data: &serde_json::Value, max: u64) -> Result<(usize, usize), Response> {
    let offset = data["offset"].as_u64().unwrap_or(0);
    let count = data["count"].as_u64().unwrap_or(max);
    if count == 0 || count > max {
        return Err(invalid_param("count"));
    }
    Ok((offset as usize, count as usize))
}

fn recent_chats(s: &ZaloState, req: &Request) -> Response {
    let (offset, count) = match page(&req.query_json("data"), 10) {
        Ok(p) => p,
        Err(r) => return r,
    };
    // Every message of every conversation, newest first (not one per conversation).
    let mut latest: Vec<(&String, &ChatMessage)> = s
        .chats
        .iter()
        .flat_map(|(u, msgs)| msgs.iter().map(move |m| (u, m)))
        .collect();
    latest.sort_by(|a, b| {
        b.1.time
            .cmp(&a.1.time)
            .then(b.1.message_id.cmp(&a.1.message_id))
    });
    let data: Vec<_> = latest
        .into_iter()
        .skip(offset)
        .take(count)
        .map(|(u, m)| s.message_json(u, m))
        .collect();
    Response::json(
        200,
        json!({ "error": 0, "message": "Success", "data": data }),
    )
}

fn conversation(s: &ZaloState, req: &Request) -> Response {
    let data = req.query_json("data");
    let (offset, count) = match page(&data, 10) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(user) = data["user_id"]
        .as_str()
        .map(String::from)
        .or_else(|| data["user_id"].as_u64().map(|n| n.to_string()))
    else {
        return invalid_param("user_id");
    };
    if s.conversations_refused.contains(&user) {
        return Response::json(
            200,
            json!({ "error": -227, "message": "User is locked or has been inactive for more than 45 days" }),
        );
    }
    let msgs: Vec<_> = s
        .chats
        .get(&user)
        .map(|m| {
            m.iter()
                .rev()
                .skip(offset)
                .take(count)
                .map(|m| s.message_json(&user, m))
                .collect()
        })
        .unwrap_or_default();
    Response::json(
        200,
        json!({ "error": 0, "message": "Success", "data": msgs }),
    )
}

fn user_list(s: &ZaloState, req: &Request) -> Response {
    let data = req.query_json("data");
    let (offset, count) = match page(&data, 50) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let since = match data["last_interaction_period"].as_str() {
        None => 0,
        Some("TODAY") => now_ms() - now_ms().rem_euclid(86_400_000),
        Some("YESTERDAY") => now_ms() - now_ms().rem_euclid(86_400_000) - 86_400_000,
        Some("L7D") => now_ms() - 7 * 86_400_000,
        Some("L30D") => now_ms() - 30 * 86_400_000,
        Some(_) => return invalid_param("last_interaction_period"),
    };
    let mut users: Vec<(&String, i64)> = s
        .chats
        .iter()
        .filter_map(|(u, m)| {
            m.iter()
                .filter(|m| m.from_user)
                .map(|m| m.time)
                .max()
                .map(|t| (u, t))
        })
        .filter(|(_, t)| *t >= since)
        .collect();
    users.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total = users.len();
    let page: Vec<_> = users
        .into_iter()
        .skip(offset)
        .take(count)
        .map(|(u, _)| json!({ "user_id": u }))
        .collect();
    Response::json(
        200,
        json!({ "error": 0, "message": "Success",
                "data": { "total": total, "count": page.len(), "offset": offset, "users": page } }),
    )
}

/// The test hooks, for suites that drive the fake from outside the process.
fn test_hook(s: &mut ZaloState, req: &Request) -> Option<Response> {
    let ok = || Response::json(200, json!({ "ok": true }));
    let v = req.json();
    Some(match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/_fake/sent") => {
            let list: Vec<_> = s
                .sent
                .iter()
                .map(|m| json!({ "user_id": m.user_id, "text": m.text, "quote_message_id": m.quote_message_id }))
                .collect();
            Response::json(200, json!(list))
        }
        ("GET", "/_fake/template_sent") => {
            let list: Vec<_> = s
                .template_sent
                .iter()
                .map(|m| {
                    json!({ "phone": m.phone, "template_id": m.template_id, "template_data": m.data,
                                 "tracking_id": m.tracking_id, "msg_id": m.msg_id })
                })
                .collect();
            Response::json(200, json!(list))
        }
        ("POST", "/_fake/user_says") => {
            // {"user_id": "…", "name": "…", "text": "…", "time": ms (optional)}
            let user = v["user_id"].as_str().unwrap_or("").to_string();
            let name = v["name"].as_str().unwrap_or("").to_string();
            let text = v["text"].as_str().unwrap_or("").to_string();
            let time = v["time"].as_i64().unwrap_or_else(now_ms);
            let id = s.add_message(&user, Some(&name), true, &text, time);
            Response::json(200, json!({ "ok": true, "message_id": id }))
        }
        ("POST", "/_fake/template") => {
            // {"id": "…", "name": "…", "params": [["customer_name", 30], …], "status": "ENABLE"}
            let params: Vec<(String, i64)> = v["params"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_i64().unwrap_or(30))))
                .collect();
            let refs: Vec<(&str, i64)> = params.iter().map(|(n, m)| (n.as_str(), *m)).collect();
            let mut t = FakeTemplate::approved(
                v["id"].as_str().unwrap_or("1"),
                v["name"].as_str().unwrap_or("Mẫu"),
                &refs,
            );
            if let Some(status) = v["status"].as_str() {
                t.status = status.to_string();
            }
            s.templates.push(t);
            ok()
        }
        ("POST", "/_fake/outside_window") => {
            s.outside_window
                .insert(v["user_id"].as_str().unwrap_or("").to_string());
            ok()
        }
        ("POST", "/_fake/next_answer") => {
            let status = v["status"].as_u64().unwrap_or(200) as u16;
            s.script
                .push_back(Response::json(status, v["body"].clone()));
            ok()
        }
        ("POST", "/_fake/after_delivery") => match Mishap::from_json(&v) {
            Some(m) => {
                s.mishaps.push_back(m);
                ok()
            }
            None => Response::json(400, json!({ "error": "kind is late or drop" })),
        },
        _ => return None,
    })
}

fn handle(state: &Mutex<ZaloState>, req: &Request) -> Response {
    let mut s = state.lock().unwrap();
    if req.path.starts_with("/_fake/") {
        if let Some(r) = test_hook(&mut s, req) {
            return r;
        }
    }
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v3.0/oa/message/cs") => {
            if let Some(r) = s.script.pop_front() {
                return r;
            }
            if req.header("access_token") != Some(s.access_token.as_str()) {
                return invalid_token();
            }
            let v = req.json();
            let user = v["recipient"]["user_id"].as_str().unwrap_or("").to_string();
            let text = v["message"]["text"].as_str().unwrap_or("").to_string();
            let quote = v["message"]["quote_message_id"].as_str().map(String::from);
            if s.outside_window.contains(&user) {
                return Response::json(
                    200,
                    json!({ "error": -230, "message": "User has not interacted with the OA in the last 7 days" }),
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
                text: text.clone(),
                quote_message_id: quote,
            });
            let id = s.add_message(&user, None, false, &text, now_ms());
            let answer = Response::json(
                200,
                json!({ "error": 0, "message": "Success", "data": { "message_id": id, "user_id": user } }),
            );
            match s.mishaps.pop_front() {
                Some(m) => m.spoil(answer),
                None => answer,
            }
        }
        ("GET", "/v2.0/oa/listrecentchat" | "/v2.0/oa/conversation" | "/v3.0/oa/user/getlist") => {
            *s.reads.entry(req.path.clone()).or_default() += 1;
            if let Some(r) = s.script.pop_front() {
                return r;
            }
            if req.header("access_token") != Some(s.access_token.as_str()) {
                return invalid_token();
            }
            match req.path.as_str() {
                "/v2.0/oa/listrecentchat" => recent_chats(&s, req),
                "/v2.0/oa/conversation" => conversation(&s, req),
                _ => user_list(&s, req),
            }
        }
        ("POST", "/message/template") => {
            if let Some(r) = s.script.pop_front() {
                return r;
            }
            send_template(&mut s, req)
        }
        ("GET", "/template/all" | "/template/info/v2" | "/message/quota") => {
            if let Some(r) = s.script.pop_front() {
                return r;
            }
            business_read(&s, req)
        }
        ("GET", "/v2.0/oa/getoa") => {
            if req.header("access_token") != Some(s.access_token.as_str()) {
                return invalid_token();
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
