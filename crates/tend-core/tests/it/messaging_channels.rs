//! Each channel against a local server that answers as Telegram, Zalo or an SMTP server does, errors included.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tend_core::messaging::channels::email::{Security, SmtpMailer};
use tend_core::messaging::channels::telegram::TelegramBot;
use tend_core::messaging::channels::zalo::ZaloOa;
use tend_core::messaging::channels::{http, secret, ChannelSettings, Delivery};
use tend_core::messaging::outbox::{ComposeRequest, ErrorHint, SendChannel};
use tend_core::messaging::secrets::{MemorySecrets, SecretStore};
use tend_core::messaging::templates::TemplateChannel;
use tend_fakes::telegram::{self as fake_tg, FakeTelegram};
use tend_fakes::zalo::FakeZalo;
use tend_fakes::{Mishap, Response};

use crate::messaging_outbox::fake_message;
use crate::support::messaging::*;

pub(crate) fn agent() -> http::Agent {
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
fn telegram_answer_lost_after_delivery_is_unknown_and_refused_connection_is_an_offline_retry() {
    let tg = FakeTelegram::start(0, "t", "b").unwrap();
    // Telegram delivers, then answers after the client gave up, then drops the connection, then
    // answers with something garbled.
    tg.after_delivery([Mishap::Late(Duration::from_secs(3)), Mishap::Drop]);
    let bot = TelegramBot::new(&http::agent(Duration::from_millis(300)), &tg.base(), "t");
    for n in 1..=2 {
        match bot.send("1", "x") {
            Delivery::Unknown { reason } => {
                assert!(reason.contains("outcome unknown"), "{reason}");
                assert!(!reason.contains("/bot"), "never the URL: {reason}");
            }
            other => panic!("a lost answer is unknown, never a blind retry: {other:?}"),
        }
        assert_eq!(tg.sent().len(), n, "the message was delivered");
    }
    tg.script([Response::json(200, serde_json::json!("garbled"))]);
    assert!(matches!(bot.send("1", "x"), Delivery::Unknown { .. }));

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
    assert_eq!(
        item.direction,
        tend_core::crm::interactions::Direction::Inbound
    );
    assert_eq!(item.content.as_deref(), Some("Dạ em nhận được rồi ạ"));
}

// ---------------------------------------------------------------- Zalo

pub(crate) fn zalo_client(z: &FakeZalo, secrets: Arc<dyn SecretStore>) -> ZaloOa {
    ZaloOa::new(&agent(), &z.base(), &z.base(), "app1", secrets)
}

pub(crate) fn zalo_secrets(access: &str, refresh: &str) -> Arc<MemorySecrets> {
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
    let sent = oa.send("u1", "Chào chị");
    let chat_id = z.state.lock().unwrap().chats["u1"][0].message_id.clone();
    assert_eq!(
        sent,
        Delivery::Sent {
            provider_id: Some(chat_id)
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
        other => panic!("-230 is permanent: {other:?}"),
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
    (smtp_server_with(inbox.clone(), |_| {}), inbox)
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
    assert_eq!(
        mailer.check().unwrap_err().problem,
        tend_core::messaging::channels::ChannelProblem::Unreachable
    );
}

/// A mail server that takes the message, then waits `answer_after` before confirming it.
#[derive(Clone, Default)]
struct SlowInbox(Inbox, Duration);

impl mailin_embedded::Handler for SlowInbox {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0.data(buf)
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        let r = self.0.data_end();
        std::thread::sleep(self.1);
        r
    }
}

fn smtp_server_with<H: mailin_embedded::Handler + Clone + Send + 'static>(
    handler: H,
    configure: impl FnOnce(&mut mailin_embedded::Server<H>),
) -> u16 {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = mailin_embedded::Server::new(handler);
    server
        .with_name("tend.test")
        .with_addr(format!("127.0.0.1:{port}"))
        .unwrap();
    configure(&mut server);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    port
}

fn smtp_settings(port: u16, security: Security, username: Option<&str>) -> ChannelSettings {
    ChannelSettings {
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: Some(port),
        smtp_security: security,
        smtp_username: username.map(String::from),
        smtp_from: Some("lan@tend.test".into()),
        ..Default::default()
    }
}

#[test]
fn email_confirmation_lost_after_the_body_is_unknown() {
    let inbox = Inbox::default();
    let port = smtp_server_with(SlowInbox(inbox.clone(), Duration::from_secs(3)), |_| {});
    let mailer = SmtpMailer::from_settings(
        &smtp_settings(port, Security::None, None),
        &MemorySecrets::default(),
        Duration::from_millis(500),
    )
    .unwrap();
    let m = fake_message(SendChannel::Email, "duc@example.vn", 1);
    match mailer.send(&m, None) {
        Delivery::Unknown { reason } => assert!(reason.contains("outcome unknown"), "{reason}"),
        other => panic!("after DATA the outcome is unknown: {other:?}"),
    }
    assert_eq!(inbox.0.lock().unwrap().len(), 1, "the server took it");
}

#[test]
fn wrong_smtp_settings_are_settings_problems_that_test_connection_names() {
    use tend_core::messaging::channels::ChannelProblem;
    let port = smtp_server_with(Inbox::default(), |_| {});
    let password = MemorySecrets::default();
    password.set(secret::SMTP_PASSWORD, Some("pw")).unwrap();
    let m = fake_message(SendChannel::Email, "duc@example.vn", 1);
    let cases = [
        // A password is set, and the server offers no way to sign in.
        (Security::None, Some("lan"), ChannelProblem::NoAuthMechanism),
        // TLS from the first byte, to a server that speaks plain SMTP.
        (Security::Tls, None, ChannelProblem::TlsMismatch),
        // STARTTLS, to a server that does not offer it.
        (
            Security::Starttls,
            None,
            ChannelProblem::StarttlsUnsupported,
        ),
    ];
    for (security, user, problem) in cases {
        let mailer = SmtpMailer::from_settings(
            &smtp_settings(port, security, user),
            &password,
            Duration::from_secs(2),
        )
        .unwrap();
        let found = mailer
            .check()
            .expect_err("test connection finds the problem");
        assert_eq!(found.problem, problem, "{security:?}: {}", found.detail);
        match mailer.send(&m, None) {
            Delivery::Failed { hint, .. } => {
                assert_eq!(hint, Some(ErrorHint::CheckSettings), "{security:?}")
            }
            other => panic!("{security:?} is a settings problem, not offline: {other:?}"),
        }
    }
}

#[test]
fn a_telegram_reply_is_logged_once_even_if_reading_stops_half_way() {
    let tg = FakeTelegram::start(0, "t", "tend_bot").unwrap();
    let bot = TelegramBot::new(&agent(), &tg.base(), "t");
    let mut s = store();
    let id = customer(&mut s, "Vũ Khánh", |c| {
        c.telegram_id = Some("4242".into())
    });
    tg.user_says(4242, "Dạ em nhận được rồi");
    tg.user_says(4242, "Cảm ơn chị");
    // The database refuses the second reply half-way through the batch, as a full disk would.
    s.connection()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON customer_interactions
             WHEN NEW.content = 'Cảm ơn chị' BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    assert!(s.poll_telegram_updates(&bot, NOW).is_err());
    s.connection()
        .execute_batch("DROP TRIGGER refuse;")
        .unwrap();
    s.poll_telegram_updates(&bot, NOW + 1_000).unwrap();
    let mut logged: Vec<String> = s
        .timeline(&id, 0, 10)
        .unwrap()
        .items
        .into_iter()
        .filter_map(|i| i.content)
        .collect();
    logged.sort();
    assert_eq!(
        logged,
        ["Cảm ơn chị", "Dạ em nhận được rồi"],
        "each reply once"
    );
}
