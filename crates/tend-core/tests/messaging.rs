//! Templates, channels against local servers that answer as Telegram, Zalo and an SMTP server
//! do, and the outbox with an injected clock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tend_core::channels::email::{Security, SmtpMailer};
use tend_core::channels::telegram::TelegramBot;
use tend_core::channels::zalo::ZaloOa;
use tend_core::channels::{http, secret, ChannelSettings, Channels, Deliver, Delivery, Endpoints};
use tend_core::customers::{CustomerInput, PhoneInput, SaveOutcome};
use tend_core::ids::{CustomerId, TemplateId};
use tend_core::outbox::{
    ComposeRequest, ErrorHint, OutboxMessage, OutboxQuery, OutboxStatus, SendChannel,
};
use tend_core::secrets::{MemorySecrets, SecretStore};
use tend_core::sender::{Backoff, Clock, FakeClock, OutboxSender, RateLimiter};
use tend_core::templates::{self, TemplateCategory, TemplateChannel, TemplateInput};
use tend_core::{ErrorCode, Store};
use tend_fakes::telegram::{self as fake_tg, FakeTelegram};
use tend_fakes::zalo::FakeZalo;
use tend_fakes::Response;

const NOW: i64 = 1_790_000_000_000;
const TODAY: &str = "21/09/2026";

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

fn customer(s: &mut Store, name: &str, f: impl FnOnce(&mut CustomerInput)) -> CustomerId {
    let mut input = CustomerInput {
        full_name: name.into(),
        phones: vec![PhoneInput {
            number: "0912 345 678".into(),
            label: None,
        }],
        ..Default::default()
    };
    f(&mut input);
    match s.create_customer(&input, true, NOW).unwrap() {
        SaveOutcome::Saved { customer } => customer.id,
        SaveOutcome::Duplicates { .. } => unreachable!(),
    }
}

fn template(
    s: &mut Store,
    channel: TemplateChannel,
    subject: Option<&str>,
    body: &str,
) -> TemplateId {
    s.create_template(
        &TemplateInput {
            name: "Chào hỏi".into(),
            channel,
            category: TemplateCategory::Greeting,
            subject: subject.map(String::from),
            body: body.into(),
            description: None,
        },
        NOW,
    )
    .unwrap()
    .id
}

// ---------------------------------------------------------------- templates

#[test]
fn renders_variables_and_helpers() {
    let mut s = store();
    let id = customer(&mut s, "Nguyễn Văn Đức", |c| {
        c.company_name = Some("Cửa hàng Minh Phát".into());
        c.birthday = Some("1990-05-17".into());
    });
    s.set_setting("my_name", Some("Trần Thị Lan")).unwrap();
    let t = template(
        &mut s,
        TemplateChannel::Any,
        None,
        "Chào anh {{customer.given_name}} ({{customer.name}}, {{customer.phone}}) ở {{customer.company}}.\n\
         Sinh nhật {{customer.birthday}}, hôm nay {{today}}. Giá {{vnd 1500000}}, {{default customer.email \"chưa có email\"}}.\n\
         {{date \"2026-12-01\"}} — {{me.name}}",
    );
    let r = s.render_template(&t, &id, false, TODAY).unwrap();
    assert_eq!(r.missing, Vec::<String>::new());
    assert_eq!(
        r.text,
        "Chào anh Đức (Nguyễn Văn Đức, 0912 345 678) ở Cửa hàng Minh Phát.\n\
         Sinh nhật 17/05/1990, hôm nay 21/09/2026. Giá 1.500.000 ₫, chưa có email.\n\
         01/12/2026 — Trần Thị Lan"
    );
}

#[test]
fn vnd_formats_like_vietnamese_prices() {
    for (n, text) in [
        (0.0, "0 ₫"),
        (999.0, "999 ₫"),
        (1000.0, "1.000 ₫"),
        (1_500_000.0, "1.500.000 ₫"),
        (-25_000.0, "-25.000 ₫"),
        (1234.6, "1.235 ₫"),
    ] {
        assert_eq!(templates::format_vnd(n), text);
    }
}

#[test]
fn missing_variables_are_named_and_block_the_send() {
    let mut s = store();
    let id = customer(&mut s, "Lê Thị Hoa", |c| {
        c.telegram_id = Some("555".into())
    });
    let t = template(
        &mut s,
        TemplateChannel::Telegram,
        None,
        "Chị {{customer.given_name}}, email {{customer.email}}, công ty {{customer.company}}",
    );
    let r = s.render_template(&t, &id, false, TODAY).unwrap();
    assert_eq!(r.missing, ["customer.email", "customer.company"]);
    assert!(
        r.text.contains("[customer.email]"),
        "the preview marks the hole: {}",
        r.text
    );
    let err = s
        .compose(
            &ComposeRequest {
                customer_id: id,
                template_id: t,
                channel: SendChannel::Telegram,
                idempotency_key: "k1".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.field_name(), Some("template"));
    assert!(err.to_string().contains("{{customer.email}}"), "{err}");
    assert_eq!(
        s.list_outbox(&OutboxQuery::default()).unwrap().total,
        0,
        "nothing queued"
    );
}

#[test]
fn syntax_errors_name_line_and_column() {
    let mut s = store();
    let err = s
        .create_template(
            &TemplateInput {
                name: "Hỏng".into(),
                body: "Dòng một\nChào {{customer.name".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.field_name(), Some("body"));
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(err.to_string().contains("column"), "{err}");
    assert!(s.list_templates(&Default::default()).unwrap().is_empty());
}

#[test]
fn email_html_escapes_customer_values_and_text_does_not() {
    let mut s = store();
    let id = customer(&mut s, "Bảo <script>alert(1)</script> & Co", |c| {
        c.email = Some("bao@example.vn".into())
    });
    let t = template(
        &mut s,
        TemplateChannel::Email,
        Some("Chào {{customer.name}}"),
        "Xin chào {{customer.name}}",
    );
    let r = s.render_template(&t, &id, true, TODAY).unwrap();
    assert_eq!(r.text, "Xin chào Bảo <script>alert(1)</script> & Co");
    let html = r.html.unwrap();
    assert!(
        html.contains("Bảo &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    assert_eq!(
        r.subject.as_deref(),
        Some("Chào Bảo <script>alert(1)</script> & Co")
    );
}

#[test]
fn templates_list_by_use_and_filter() {
    let mut s = store();
    let a = template(&mut s, TemplateChannel::Telegram, None, "A");
    let _b = template(&mut s, TemplateChannel::Email, None, "B");
    let any = template(&mut s, TemplateChannel::Any, None, "C");
    let id = customer(&mut s, "Phan Vy", |c| c.telegram_id = Some("42".into()));
    let m = s
        .compose(
            &ComposeRequest {
                customer_id: id,
                template_id: any.clone(),
                channel: SendChannel::Telegram,
                idempotency_key: "x".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap();
    s.connection()
        .execute(
            "UPDATE outbox SET status = 'sending' WHERE id = ?1",
            [&m.id],
        )
        .unwrap();
    s.mark_sent(&m.id, None, NOW).unwrap();
    let tg = s
        .list_templates(&templates::TemplateFilter {
            channel: Some(TemplateChannel::Telegram),
            category: None,
        })
        .unwrap();
    let ids: Vec<_> = tg.iter().map(|t| t.id.clone()).collect();
    assert_eq!(
        ids,
        [any.clone(), a],
        "telegram and any templates, most used first"
    );
    assert_eq!(tg[0].usage_count, 1);
    let copy = s.duplicate_template(&any, "(bản sao)", NOW).unwrap();
    assert_eq!(copy.usage_count, 0);
    assert!(copy.name.ends_with("(bản sao)"));
}

// ---------------------------------------------------------------- Telegram

fn agent() -> http::Agent {
    http::agent(Duration::from_secs(2))
}

#[test]
fn telegram_send_and_its_errors() {
    let tg = FakeTelegram::start(0, "123:ABC", "tend_bot").unwrap();
    let bot = TelegramBot::new(&agent(), &tg.base(), "123:ABC");
    assert_eq!(
        bot.send("42", "Xin chào"),
        Delivery::Sent {
            provider_id: Some("1".into())
        }
    );
    assert_eq!(tg.sent()[0].text, "Xin chào");
    assert_eq!(bot.get_me().unwrap(), "tend_bot");

    tg.script([fake_tg::too_many_requests(7)]);
    match bot.send("42", "x") {
        Delivery::Retry {
            after_ms, offline, ..
        } => {
            assert_eq!(after_ms, Some(7000));
            assert!(!offline);
        }
        other => panic!("429 is transient: {other:?}"),
    }
    tg.state.lock().unwrap().blocked.insert(99);
    match bot.send("99", "x") {
        Delivery::Failed { hint, .. } => assert_eq!(hint, Some(ErrorHint::UsePersonalTelegram)),
        other => panic!("403 is permanent: {other:?}"),
    }
    tg.script([Response::json(
        502,
        serde_json::json!({"ok": false, "error_code": 502, "description": "Bad Gateway"}),
    )]);
    assert!(matches!(
        bot.send("42", "x"),
        Delivery::Retry { offline: false, .. }
    ));

    let bad = TelegramBot::new(&agent(), &tg.base(), "wrong");
    match bad.send("42", "x") {
        Delivery::Failed { hint, .. } => assert_eq!(hint, Some(ErrorHint::CheckSettings)),
        other => panic!("401 is a settings problem: {other:?}"),
    }
    assert!(bad.get_me().is_err());
    assert_eq!(tg.sent().len(), 1, "no failed call delivered anything");
}

#[test]
fn telegram_timeout_and_refused_connection_are_offline_retries() {
    let tg = FakeTelegram::start(0, "t", "b").unwrap();
    tg.script([Response {
        status: 200,
        body: "{}".into(),
        delay: Duration::from_secs(3),
    }]);
    let bot = TelegramBot::new(&http::agent(Duration::from_millis(300)), &tg.base(), "t");
    assert!(
        matches!(bot.send("1", "x"), Delivery::Retry { offline: true, .. }),
        "a timeout waits for the network"
    );

    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let nowhere = TelegramBot::new(&agent(), &format!("http://{closed}"), "t");
    match nowhere.send("1", "x") {
        Delivery::Retry {
            offline, reason, ..
        } => {
            assert!(offline);
            assert!(
                !reason.contains("/bot"),
                "errors never show the URL with the token: {reason}"
            );
        }
        other => panic!("connection refused is transient: {other:?}"),
    }
}

#[test]
fn telegram_binding_from_start_message() {
    let tg = FakeTelegram::start(0, "t", "tend_bot").unwrap();
    let bot = TelegramBot::new(&agent(), &tg.base(), "t");
    let mut s = store();
    let id = customer(&mut s, "Hồ Minh Tâm", |_| {});
    let link = s.telegram_binding_link(&id, "tend_bot", NOW).unwrap();
    let token = link.split("start=").nth(1).unwrap().to_string();
    assert!(link.starts_with("https://t.me/tend_bot?start="));
    assert!(token.len() <= 64 && token.chars().all(|c| c.is_ascii_alphanumeric()));
    tg.user_says(777, "hello");
    tg.user_says(8_001_234, &format!("/start {token}"));
    let report = s.poll_telegram_updates(&bot, NOW).unwrap();
    assert_eq!(report.bound, vec![id.clone()]);
    assert_eq!(report.replies, 0, "a stranger's message is not logged");
    assert_eq!(
        s.get_customer(&id).unwrap().telegram_id.as_deref(),
        Some("8001234")
    );
    assert!(!s.has_pending_bindings(NOW).unwrap());
    // Updates already read are not read again.
    assert!(s.poll_telegram_updates(&bot, NOW).unwrap().bound.is_empty());
    // The customer writes back: an inbound Telegram interaction on the timeline.
    tg.user_says(8_001_234, "Dạ em nhận được rồi ạ");
    let report = s.poll_telegram_updates(&bot, NOW + 1000).unwrap();
    assert_eq!(report.replies, 1);
    let item = &s.timeline(&id, 0, 5).unwrap().items[0];
    assert_eq!(item.direction, tend_core::interactions::Direction::Inbound);
    assert_eq!(item.content.as_deref(), Some("Dạ em nhận được rồi ạ"));
}

// ---------------------------------------------------------------- Zalo

fn zalo_client(z: &FakeZalo, secrets: Arc<dyn SecretStore>) -> ZaloOa {
    ZaloOa::new(&agent(), &z.base(), &z.base(), "app1", secrets)
}

fn zalo_secrets(access: &str, refresh: &str) -> Arc<MemorySecrets> {
    let s = Arc::new(MemorySecrets::default());
    s.set(secret::ZALO_ACCESS_TOKEN, Some(access)).unwrap();
    s.set(secret::ZALO_REFRESH_TOKEN, Some(refresh)).unwrap();
    s.set(secret::ZALO_APP_SECRET, Some("sk")).unwrap();
    s
}

#[test]
fn zalo_send_refreshes_an_expired_token_and_keeps_the_new_pair() {
    let z = FakeZalo::start("app1", "sk", "access-0", "refresh-0").unwrap();
    let secrets = zalo_secrets("access-0", "refresh-0");
    let oa = zalo_client(&z, secrets.clone());
    assert_eq!(
        oa.send("u1", "Chào chị"),
        Delivery::Sent {
            provider_id: Some("zmsg1".into())
        }
    );

    z.expire_access_token();
    assert!(
        matches!(oa.send("u1", "lần 2"), Delivery::Sent { .. }),
        "refreshed and retried once"
    );
    assert_eq!(
        secrets.get(secret::ZALO_ACCESS_TOKEN).unwrap().as_deref(),
        Some("access-1")
    );
    assert_eq!(
        secrets.get(secret::ZALO_REFRESH_TOKEN).unwrap().as_deref(),
        Some("refresh-1")
    );

    // The second refresh must use the refresh token the first one returned.
    z.expire_access_token();
    assert!(matches!(oa.send("u1", "lần 3"), Delivery::Sent { .. }));
    let st = z.state.lock().unwrap();
    assert_eq!(st.refreshes, 2);
    assert_eq!(st.spent_refresh_tokens, ["refresh-0", "refresh-1"]);
    assert_eq!(st.sent.len(), 3);
}

#[test]
fn two_senders_with_an_expired_token_refresh_once() {
    let z = FakeZalo::start("app1", "sk", "access-0", "refresh-0").unwrap();
    z.expire_access_token();
    let secrets: Arc<dyn SecretStore> = zalo_secrets("access-0", "refresh-0");
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let oa = zalo_client(&z, secrets.clone());
            std::thread::spawn(move || oa.send("u1", &format!("tin {i}")))
        })
        .collect();
    for t in threads {
        assert!(matches!(t.join().unwrap(), Delivery::Sent { .. }));
    }
    assert_eq!(z.state.lock().unwrap().refreshes, 1, "refreshes never race");
}

#[test]
fn zalo_errors_in_http_200_bodies() {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    z.state.lock().unwrap().outside_window.insert("u9".into());
    match oa.send("u9", "x") {
        Delivery::Failed { hint, reason } => {
            assert_eq!(hint, Some(ErrorHint::UsePersonalZalo));
            assert!(reason.contains("own Zalo"), "{reason}");
        }
        other => panic!("-213 is permanent: {other:?}"),
    }
    z.state.lock().unwrap().script.push_back(Response::json(
        200,
        serde_json::json!({"error": -32, "message": "Rate limit"}),
    ));
    assert!(matches!(
        oa.send("u1", "x"),
        Delivery::Retry { offline: false, .. }
    ));
    for code in [-230, -232] {
        z.state.lock().unwrap().script.push_back(Response::json(
            200,
            serde_json::json!({"error": code, "message": "outside"}),
        ));
        assert!(matches!(
            oa.send("u1", "x"),
            Delivery::Failed {
                hint: Some(ErrorHint::UsePersonalZalo),
                ..
            }
        ));
    }
}

#[test]
fn a_failed_refresh_is_a_settings_problem() {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    z.expire_access_token();
    let oa = zalo_client(&z, zalo_secrets("a", "not-the-refresh-token"));
    match oa.send("u1", "x") {
        Delivery::Failed { hint, .. } => assert_eq!(hint, Some(ErrorHint::CheckSettings)),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- email

#[derive(Clone, Default)]
struct Inbox(Arc<Mutex<Vec<Vec<u8>>>>, Arc<Mutex<Vec<u8>>>);

impl mailin_embedded::Handler for Inbox {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.1.lock().unwrap().extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        let msg = std::mem::take(&mut *self.1.lock().unwrap());
        self.0.lock().unwrap().push(msg);
        mailin_embedded::response::OK
    }
}

fn smtp_server() -> (u16, Inbox) {
    let inbox = Inbox::default();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = mailin_embedded::Server::new(inbox.clone());
    server
        .with_name("tend.test")
        .with_addr(format!("127.0.0.1:{port}"))
        .unwrap();
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (port, inbox)
}

#[test]
fn email_reaches_a_real_smtp_server_with_utf8_headers_and_both_parts() {
    let (port, inbox) = smtp_server();
    let mut s = store();
    s.save_channel_settings(&ChannelSettings {
        my_name: Some("Trần Thị Lan".into()),
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: Some(port),
        smtp_security: Security::None,
        smtp_from: Some("lan@tend.test".into()),
        ..Default::default()
    })
    .unwrap();
    let id = customer(&mut s, "Nguyễn Văn Đức", |c| {
        c.email = Some("duc@example.vn".into())
    });
    let t = template(
        &mut s,
        TemplateChannel::Email,
        Some("Báo giá cho anh {{customer.given_name}}"),
        "Chào anh {{customer.given_name}},\nGiá {{vnd 1500000}}.",
    );
    let m = s
        .compose(
            &ComposeRequest {
                customer_id: id.clone(),
                template_id: t,
                channel: SendChannel::Email,
                idempotency_key: "e1".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap();
    let mailer = SmtpMailer::from_settings(
        &s.channel_settings().unwrap(),
        &MemorySecrets::default(),
        Duration::from_secs(5),
    )
    .unwrap();
    mailer.check().expect("the server accepts a connection");
    assert!(matches!(
        mailer.send(&m, Some("Nguyễn Văn Đức")),
        Delivery::Sent { .. }
    ));

    let raw = inbox.0.lock().unwrap()[0].clone();
    let parsed = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("a parseable message");
    assert_eq!(parsed.subject(), Some("Báo giá cho anh Đức"));
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Trần Thị Lan"));
    assert_eq!(from.address(), Some("lan@tend.test"));
    let to = parsed.to().unwrap().first().unwrap();
    assert_eq!(to.name(), Some("Nguyễn Văn Đức"));
    assert_eq!(to.address(), Some("duc@example.vn"));
    // SMTP carries lines with CRLF; the text is the same.
    assert_eq!(
        parsed
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        "Chào anh Đức,\nGiá 1.500.000 ₫."
    );
    let html = parsed.body_html(0).unwrap();
    assert!(html.contains("Chào anh Đức,"), "{html}");
    assert!(parsed.message_id().unwrap().ends_with("@tend.local"));
}

#[test]
fn email_to_a_closed_port_is_an_offline_retry() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let settings = ChannelSettings {
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: Some(closed),
        smtp_security: Security::None,
        smtp_from: Some("lan@tend.test".into()),
        ..Default::default()
    };
    let mailer =
        SmtpMailer::from_settings(&settings, &MemorySecrets::default(), Duration::from_secs(2))
            .unwrap();
    let m = fake_message(SendChannel::Email, "duc@example.vn", 1);
    assert!(matches!(
        mailer.send(&m, None),
        Delivery::Retry { offline: true, .. }
    ));
    assert!(mailer.check().is_err());
}

// ---------------------------------------------------------------- outbox and sender

fn fake_message(channel: SendChannel, recipient: &str, attempts: i64) -> OutboxMessage {
    OutboxMessage {
        id: tend_core::ids::OutboxId::new(),
        channel,
        recipient: recipient.into(),
        subject: Some("Chào".into()),
        body_text: "Xin chào".into(),
        body_html: None,
        customer_id: None,
        customer_name: None,
        template_id: None,
        idempotency_key: "k".into(),
        status: OutboxStatus::Sending,
        attempts,
        next_attempt_at: None,
        last_error: None,
        error_hint: None,
        provider_message_id: None,
        interaction_id: None,
        created_at: NOW,
        updated_at: NOW,
        sent_at: None,
    }
}

/// A test double that answers from a script and records the clock time of each call.
struct Scripted {
    clock: Arc<FakeClock>,
    answers: Mutex<std::collections::VecDeque<Delivery>>,
    calls: Mutex<Vec<(i64, String)>>,
}

impl Scripted {
    fn new(clock: Arc<FakeClock>, answers: Vec<Delivery>) -> Arc<Self> {
        Arc::new(Scripted {
            clock,
            answers: Mutex::new(answers.into()),
            calls: Mutex::new(Vec::new()),
        })
    }
    fn calls(&self) -> Vec<(i64, String)> {
        self.calls.lock().unwrap().clone()
    }
}

impl Deliver for Scripted {
    fn deliver(&self, m: &OutboxMessage) -> Delivery {
        self.calls
            .lock()
            .unwrap()
            .push((self.clock.now(), m.recipient.clone()));
        self.answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Delivery::Sent { provider_id: None })
    }
}

fn queue(s: &mut Store, customer: &CustomerId, template: &TemplateId, key: &str) -> OutboxMessage {
    s.compose(
        &ComposeRequest {
            customer_id: customer.clone(),
            template_id: template.clone(),
            channel: SendChannel::Telegram,
            idempotency_key: key.into(),
        },
        TODAY,
        NOW,
    )
    .unwrap()
}

fn tg_setup(s: &mut Store) -> (CustomerId, TemplateId) {
    let c = customer(s, "Vũ Khánh", |c| c.telegram_id = Some("4242".into()));
    let t = template(
        s,
        TemplateChannel::Telegram,
        None,
        "Chào {{customer.given_name}}",
    );
    (c, t)
}

#[test]
fn the_same_key_enqueued_twice_sends_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let a = queue(&mut s, &c, &t, "click-1");
    let b = queue(&mut s, &c, &t, "click-1");
    assert_eq!(a.id, b.id);
    let clock = Arc::new(FakeClock::at(NOW));
    let d = Scripted::new(clock.clone(), vec![]);
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    sender.pass().unwrap();
    sender.pass().unwrap();
    assert_eq!(d.calls().len(), 1);
    let m = s.get_outbox(&a.id).unwrap();
    assert_eq!(m.status, OutboxStatus::Sent);
    // Sent messages are on the timeline, and count as a use of the template.
    let timeline = s.timeline(&c, 0, 10).unwrap();
    assert_eq!(timeline.items[0].content.as_deref(), Some("Chào Khánh"));
    assert_eq!(
        timeline.items[0].kind,
        tend_core::interactions::InteractionKind::Telegram
    );
    assert_eq!(m.interaction_id, Some(timeline.items[0].id.clone()));
    assert_eq!(s.get_template(&t).unwrap().usage_count, 1);
}

#[test]
fn offline_then_online() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "k");
    let clock = Arc::new(FakeClock::at(NOW));
    let offline = || Delivery::Retry {
        reason: "could not connect (offline?)".into(),
        after_ms: None,
        offline: true,
    };
    let d = Scripted::new(clock.clone(), (0..20).map(|_| offline()).collect());
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    // A day offline: the message keeps waiting, never fails, retries at least once a minute.
    let mut last = NOW;
    for _ in 0..20 {
        let r = sender.pass().unwrap();
        let due = r.next_due.unwrap();
        assert!(
            due - clock.now() <= 60_000,
            "offline retries are at most a minute apart"
        );
        last = due;
        clock.advance(due - clock.now());
    }
    let waiting = s.get_outbox(&m.id).unwrap();
    assert_eq!(waiting.status, OutboxStatus::Queued);
    assert_eq!(waiting.error_hint, Some(ErrorHint::Offline));
    // Back online: the next attempt sends it.
    let r = sender.pass().unwrap();
    assert_eq!(r.sent, 1);
    assert!(last > NOW);
    assert_eq!(s.get_outbox(&m.id).unwrap().status, OutboxStatus::Sent);
}

#[test]
fn transient_failures_back_off_exponentially_then_give_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "k");
    let clock = Arc::new(FakeClock::at(NOW));
    let server_error = || Delivery::Retry {
        reason: "Telegram had a server error (502)".into(),
        after_ms: None,
        offline: false,
    };
    let d = Scripted::new(clock.clone(), (0..20).map(|_| server_error()).collect());
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    let backoff = Backoff::default();
    let mut gaps = Vec::new();
    loop {
        let r = sender.pass().unwrap();
        match r.next_due {
            Some(due) => {
                gaps.push(due - clock.now());
                clock.advance(due - clock.now());
            }
            None => break,
        }
    }
    assert_eq!(d.calls().len() as i64, backoff.max_attempts);
    for (i, gap) in gaps.iter().enumerate() {
        let full = (backoff.base_ms << i).min(backoff.max_ms);
        assert!(
            *gap >= full / 2 && *gap <= full,
            "retry {} waits between half and all of {full} ms: {gap}",
            i + 1
        );
    }
    let failed = s.get_outbox(&m.id).unwrap();
    assert_eq!(failed.status, OutboxStatus::Failed);
    assert!(failed
        .last_error
        .unwrap()
        .contains("gave up after 8 attempts"));
    assert_eq!(s.outbox_counts().unwrap().failed, 1);
}

#[test]
fn retry_after_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    queue(&mut s, &c, &t, "k");
    let clock = Arc::new(FakeClock::at(NOW));
    let d = Scripted::new(
        clock.clone(),
        vec![Delivery::Retry {
            reason: "429".into(),
            after_ms: Some(7000),
            offline: false,
        }],
    );
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    let r = sender.pass().unwrap();
    let wait = r.next_due.unwrap() - NOW;
    assert!(
        (7000..7500).contains(&wait),
        "waits what Telegram asked: {wait}"
    );
}

#[test]
fn permanent_failures_are_not_retried_and_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "k");
    let clock = Arc::new(FakeClock::at(NOW));
    let d = Scripted::new(
        clock.clone(),
        vec![Delivery::Failed {
            reason: "blocked".into(),
            hint: Some(ErrorHint::UsePersonalTelegram),
        }],
    );
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    sender.pass().unwrap();
    clock.advance(86_400_000);
    sender.pass().unwrap();
    assert_eq!(d.calls().len(), 1);
    let f = s.get_outbox(&m.id).unwrap();
    assert_eq!(
        (f.status, f.error_hint),
        (OutboxStatus::Failed, Some(ErrorHint::UsePersonalTelegram))
    );
    // Retrying by hand queues it again and it goes.
    s.retry_message(&m.id, clock.now()).unwrap();
    sender.pass().unwrap();
    assert_eq!(s.get_outbox(&m.id).unwrap().status, OutboxStatus::Sent);
}

#[test]
fn telegram_rate_limits_per_chat_and_overall() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let t = template(
        &mut s,
        TemplateChannel::Telegram,
        None,
        "Chào {{customer.given_name}}",
    );
    // Three messages to one chat, and 60 to 60 other chats.
    let one = customer(&mut s, "Một Chat", |c| c.telegram_id = Some("1".into()));
    for i in 0..3 {
        queue(&mut s, &one, &t, &format!("same-{i}"));
    }
    for i in 0..60 {
        let c = customer(&mut s, &format!("Khách {i}"), |c| {
            c.telegram_id = Some(format!("{}", 1000 + i))
        });
        queue(&mut s, &c, &t, &format!("many-{i}"));
    }
    let clock = Arc::new(FakeClock::at(NOW));
    let d = Scripted::new(clock.clone(), vec![]);
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    sender.limiter = RateLimiter::standard();
    while let Some(due) = sender.pass().unwrap().next_due {
        clock.advance((due - clock.now()).max(0));
    }
    let calls = d.calls();
    assert_eq!(calls.len(), 63, "everything is sent in the end");
    let same: Vec<i64> = calls
        .iter()
        .filter(|(_, r)| r == "1")
        .map(|(t, _)| *t)
        .collect();
    for w in same.windows(2) {
        assert!(
            w[1] - w[0] >= 1000,
            "one message a second to a chat: {same:?}"
        );
    }
    let times: Vec<i64> = calls.iter().map(|(t, _)| *t).collect();
    for (i, t) in times.iter().enumerate() {
        let in_window = times[..=i].iter().filter(|x| **x > t - 1000).count();
        assert!(in_window <= 30, "at most 30 a second overall");
    }
}

#[test]
fn a_crash_during_send_leaves_the_message_for_the_salesperson() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "k");
    {
        // The sender claims the message, then the app dies before recording the outcome.
        let mut dying = Store::open_dir(dir.path()).unwrap();
        let claimed = dying.claim_due(NOW, 10).unwrap();
        assert_eq!(claimed.len(), 1);
    }
    let clock = Arc::new(FakeClock::at(NOW + 1000));
    let d = Scripted::new(clock.clone(), vec![]);
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        d.clone(),
        clock.clone(),
    )
    .unwrap();
    sender.pass().unwrap();
    assert!(d.calls().is_empty(), "not re-sent blindly");
    let left = s.get_outbox(&m.id).unwrap();
    assert_eq!(left.status, OutboxStatus::NeedsManual);
    assert_eq!(left.error_hint, Some(ErrorHint::CheckWithCustomer));
    assert!(left.last_error.unwrap().contains("outcome unknown"));
    assert_eq!(s.outbox_counts().unwrap().needs_manual, 1);
    // Dismissing it is the salesperson's call.
    assert_eq!(
        s.cancel_message(&m.id, NOW).unwrap().status,
        OutboxStatus::Cancelled
    );
}

#[test]
fn compose_checks_recipient_and_channel() {
    let mut s = store();
    let no_tg = customer(&mut s, "Không Telegram", |_| {});
    let t = template(&mut s, TemplateChannel::Telegram, None, "Chào");
    let e = s
        .compose(
            &ComposeRequest {
                customer_id: no_tg.clone(),
                template_id: t.clone(),
                channel: SendChannel::Telegram,
                idempotency_key: "a".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.field_name(), Some("recipient"));
    let e = s
        .compose(
            &ComposeRequest {
                customer_id: no_tg.clone(),
                template_id: t.clone(),
                channel: SendChannel::Email,
                idempotency_key: "b".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        e.field_name(),
        Some("channel"),
        "a Telegram template is not an email"
    );
    // The assisted path: personal Zalo opens zalo.me with the phone, and records on confirm.
    let z = template(
        &mut s,
        TemplateChannel::Zalo,
        None,
        "Chào {{customer.given_name}}, em gửi báo giá ạ",
    );
    let req = ComposeRequest {
        customer_id: no_tg.clone(),
        template_id: z,
        channel: SendChannel::ZaloPersonal,
        idempotency_key: "c".into(),
    };
    let prepared = s.prepare_assisted(&req, TODAY).unwrap();
    assert_eq!(prepared.url, "https://zalo.me/0912345678");
    assert_eq!(prepared.text, "Chào Telegram, em gửi báo giá ạ");
    let sent = s.record_assisted(&req, TODAY, NOW).unwrap();
    assert_eq!(sent.status, OutboxStatus::Sent);
    assert_eq!(
        s.timeline(&no_tg, 0, 5).unwrap().items[0].kind,
        tend_core::interactions::InteractionKind::Zalo
    );
}

#[test]
fn channels_use_settings_and_secrets_end_to_end() {
    let tg = FakeTelegram::start(0, "999:XYZ", "tend_bot").unwrap();
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    let endpoints = Endpoints {
        telegram_api: tg.base(),
        ..Default::default()
    };
    let missing = Channels::new(
        endpoints.clone(),
        ChannelSettings::default(),
        secrets.clone(),
    );
    match missing.deliver(&fake_message(SendChannel::Telegram, "5", 1)) {
        Delivery::Failed { hint, .. } => assert_eq!(hint, Some(ErrorHint::CheckSettings)),
        other => panic!("{other:?}"),
    }
    secrets
        .set(secret::TELEGRAM_TOKEN, Some("999:XYZ"))
        .unwrap();
    let ready = Channels::new(endpoints, ChannelSettings::default(), secrets);
    assert!(matches!(
        ready.deliver(&fake_message(SendChannel::Telegram, "5", 1)),
        Delivery::Sent { .. }
    ));
    assert_eq!(tg.sent().len(), 1);
}

/// The child half of `killing_the_app_mid_send_never_sends_twice`: a sender that is killed while
/// Telegram is still answering. It only runs when the parent test starts it.
#[test]
fn child_sender_that_gets_killed() {
    let (Ok(dir), Ok(base)) = (
        std::env::var("TEND_CHILD_DIR"),
        std::env::var("TEND_CHILD_TG"),
    ) else {
        return;
    };
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    secrets.set(secret::TELEGRAM_TOKEN, Some("t")).unwrap();
    let endpoints = Endpoints {
        telegram_api: base,
        timeout: Duration::from_secs(60),
        ..Default::default()
    };
    let channels = Arc::new(Channels::new(
        endpoints,
        ChannelSettings::default(),
        secrets,
    ));
    let store = Store::open_dir(std::path::Path::new(&dir)).unwrap();
    let mut sender =
        OutboxSender::new(store, channels, Arc::new(tend_core::sender::SystemClock)).unwrap();
    sender.pass().unwrap();
}

#[test]
fn killing_the_app_mid_send_never_sends_twice() {
    let tg = FakeTelegram::start(0, "t", "b").unwrap();
    // Telegram takes its time with the first message: long enough to kill the process meanwhile.
    tg.script([Response {
        status: 200,
        body: serde_json::json!({"ok": true, "result": {"message_id": 1}}).to_string(),
        delay: Duration::from_secs(30),
    }]);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "k");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_sender_that_gets_killed", "--nocapture"])
        .env("TEND_CHILD_DIR", dir.path())
        .env("TEND_CHILD_TG", tg.base())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the request is in flight, then kill the process outright.
    for _ in 0..200 {
        if tg.state.lock().unwrap().calls > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        tg.state.lock().unwrap().calls > 0,
        "the child started sending"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(s.get_outbox(&m.id).unwrap().status, OutboxStatus::Sending);

    // The app starts again.
    let clock = Arc::new(FakeClock::at(NOW + 60_000));
    let d = Scripted::new(clock.clone(), vec![]);
    let mut sender =
        OutboxSender::new(Store::open_dir(dir.path()).unwrap(), d.clone(), clock).unwrap();
    sender.pass().unwrap();
    assert!(
        d.calls().is_empty(),
        "the interrupted message is not sent again"
    );
    assert_eq!(
        s.get_outbox(&m.id).unwrap().status,
        OutboxStatus::NeedsManual
    );
}

#[test]
fn zalo_timeout_and_refused_connection_are_offline_retries() {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    z.state.lock().unwrap().script.push_back(Response {
        status: 200,
        body: serde_json::json!({"error": 0}).to_string(),
        delay: Duration::from_secs(3),
    });
    let slow = ZaloOa::new(
        &http::agent(Duration::from_millis(300)),
        &z.base(),
        &z.base(),
        "app1",
        zalo_secrets("a", "r"),
    );
    assert!(matches!(
        slow.send("u1", "x"),
        Delivery::Retry { offline: true, .. }
    ));
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let nowhere = ZaloOa::new(
        &agent(),
        &format!("http://{closed}"),
        &format!("http://{closed}"),
        "app1",
        zalo_secrets("a", "r"),
    );
    assert!(matches!(
        nowhere.send("u1", "x"),
        Delivery::Retry { offline: true, .. }
    ));
    // A server error is transient too, and never counts as sent.
    z.state
        .lock()
        .unwrap()
        .script
        .push_back(Response::json(500, serde_json::json!({"error": -1})));
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    assert!(matches!(
        oa.send("u1", "x"),
        Delivery::Retry { offline: false, .. }
    ));
    assert!(z.state.lock().unwrap().sent.is_empty());
}

#[test]
fn file_secrets_are_private_round_trip_and_report_damage() {
    use tend_core::secrets::{FileSecrets, SecretLocation};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.json");
    let store = FileSecrets::new(path.clone());
    assert_eq!(store.get(secret::TELEGRAM_TOKEN).unwrap(), None);
    store.set(secret::TELEGRAM_TOKEN, Some("123:ABC")).unwrap();
    store.set(secret::SMTP_PASSWORD, Some("mật khẩu")).unwrap();
    assert_eq!(
        store.get(secret::TELEGRAM_TOKEN).unwrap().as_deref(),
        Some("123:ABC")
    );
    assert_eq!(store.location(), SecretLocation::File);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only the user can read the secrets file");
    }
    store.set(secret::TELEGRAM_TOKEN, None).unwrap();
    assert_eq!(store.get(secret::TELEGRAM_TOKEN).unwrap(), None);
    assert_eq!(
        store.get(secret::SMTP_PASSWORD).unwrap().as_deref(),
        Some("mật khẩu")
    );
    std::fs::write(&path, "{ not json").unwrap();
    let err = store.get(secret::SMTP_PASSWORD).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("damaged"));
}

#[test]
fn secrets_never_reach_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let secrets = MemorySecrets::default();
    tend_core::channels::save_secrets(
        &secrets,
        &tend_core::channels::SecretsInput {
            telegram_token: Some("999:SECRET-TOKEN".into()),
            smtp_password: Some("hunter2-mật-khẩu".into()),
            ..Default::default()
        },
    )
    .unwrap();
    s.save_channel_settings(&ChannelSettings {
        smtp_host: Some("smtp.example.vn".into()),
        ..Default::default()
    })
    .unwrap();
    drop(s);
    let mut bytes = std::fs::read(dir.path().join("tend.db")).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("tend.db-wal")) {
        bytes.extend(wal);
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("smtp.example.vn"),
        "the plain setting is there"
    );
    assert!(
        !text.contains("SECRET-TOKEN") && !text.contains("hunter2"),
        "no secret is"
    );
}
