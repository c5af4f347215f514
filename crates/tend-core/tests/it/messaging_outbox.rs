//! The outbox and its delivery pass with an injected clock: offline, backoff, rate limits, idempotency, crashes.

use std::sync::Arc;
use std::time::Duration;
use tend_core::base::clock::{Clock, FakeClock};
use tend_core::base::ids::{CustomerId, TemplateId};
use tend_core::messaging::channels::zalo::ZaloOa;
use tend_core::messaging::channels::{
    http, secret, ChannelSettings, Channels, Deliver, Delivery, Endpoints,
};
use tend_core::messaging::delivery::{Backoff, OutboxSender, RateLimiter};
use tend_core::messaging::outbox::{
    ComposeRequest, ErrorHint, OutboxMessage, OutboxStatus, SendChannel,
};
use tend_core::messaging::secrets::{MemorySecrets, SecretStore};
use tend_core::messaging::templates::TemplateChannel;
use tend_core::{ErrorCode, Store};
use tend_fakes::telegram::FakeTelegram;
use tend_fakes::zalo::FakeZalo;
use tend_fakes::{Mishap, Response};

use crate::messaging_channels::{agent, zalo_client, zalo_secrets};
use crate::support::messaging::*;

pub(crate) fn fake_message(channel: SendChannel, recipient: &str, attempts: i64) -> OutboxMessage {
    OutboxMessage {
        id: tend_core::base::ids::OutboxId::new(),
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
        zalo_payload: None,
        route: None,
        routes_tried: Vec::new(),
        origin: Default::default(),
        campaign_id: None,
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
        tend_core::crm::interactions::InteractionKind::Telegram
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
        tend_core::crm::interactions::InteractionKind::Zalo
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

#[test]
fn the_senders_claims_and_marks_are_durable_commits() {
    let dir = tempfile::tempdir().unwrap();
    let ui = Store::open_dir(dir.path()).unwrap();
    assert!(
        !ui.commits_are_durable().unwrap(),
        "the UI's connection keeps the faster NORMAL"
    );
    let clock = Arc::new(FakeClock::at(NOW));
    let sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        Scripted::new(clock.clone(), vec![]),
        clock,
    )
    .unwrap();
    assert!(
        sender.store.commits_are_durable().unwrap(),
        "a claim or a sent mark lost in a power cut would send the message again"
    );
}

#[test]
fn a_send_whose_answer_is_lost_becomes_needs_manual_and_is_never_repeated() {
    let tg = FakeTelegram::start(0, "999:XYZ", "tend_bot").unwrap();
    // Telegram delivers the message, then answers after the client has given up.
    tg.after_delivery([Mishap::Late(Duration::from_secs(2))]);
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    secrets
        .set(secret::TELEGRAM_TOKEN, Some("999:XYZ"))
        .unwrap();
    let channels = Arc::new(Channels::new(
        Endpoints {
            telegram_api: tg.base(),
            timeout: Duration::from_millis(300),
            ..Default::default()
        },
        ChannelSettings::default(),
        secrets,
    ));
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "lost-answer");
    let clock = Arc::new(FakeClock::at(NOW));
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        channels,
        clock.clone(),
    )
    .unwrap();
    let report = sender.pass().unwrap();
    assert_eq!(report.unknown, 1);
    let row = s.get_outbox(&m.id).unwrap();
    assert_eq!(row.status, OutboxStatus::NeedsManual);
    assert_eq!(row.error_hint, Some(ErrorHint::CheckWithCustomer));
    assert_eq!(row.next_attempt_at, None);
    // Hours later, nothing has gone out again.
    clock.advance(6 * 3_600_000);
    sender.pass().unwrap();
    assert_eq!(tg.sent().len(), 1, "delivered exactly once");
    assert_eq!(
        s.get_outbox(&m.id).unwrap().status,
        OutboxStatus::NeedsManual
    );
}

#[test]
fn a_malformed_bot_token_is_a_settings_problem_and_refused_at_save() {
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    secrets
        .set(secret::TELEGRAM_TOKEN, Some("999 XYZ/abc"))
        .unwrap();
    let channels = Channels::new(
        Endpoints::default(),
        ChannelSettings::default(),
        secrets.clone(),
    );
    match channels.deliver(&fake_message(SendChannel::Telegram, "5", 1)) {
        Delivery::Failed { hint, reason } => {
            assert_eq!(hint, Some(ErrorHint::CheckSettings));
            assert!(reason.contains("malformed"), "{reason}");
        }
        other => panic!("a malformed token is never 'offline': {other:?}"),
    }
    let err = tend_core::messaging::channels::save_secrets(
        secrets.as_ref(),
        &tend_core::messaging::channels::SecretsInput {
            telegram_token: Some("not a token".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.key(), "settings.telegram_token_malformed");
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
    secrets.set(secret::TELEGRAM_TOKEN, Some("7:t")).unwrap();
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
    let mut sender = OutboxSender::new(
        store,
        channels,
        Arc::new(tend_core::base::clock::SystemClock),
    )
    .unwrap();
    sender.pass().unwrap();
}

#[test]
fn killing_the_app_mid_send_never_sends_twice() {
    let tg = FakeTelegram::start(0, "7:t", "b").unwrap();
    // Telegram takes its time with the first message: long enough to kill the process meanwhile.
    tg.script([Response::json(
        200,
        serde_json::json!({"ok": true, "result": {"message_id": 1}}),
    )
    .delayed(Duration::from_secs(30))]);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let (c, t) = tg_setup(&mut s);
    let m = queue(&mut s, &c, &t, "k");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "messaging_outbox::child_sender_that_gets_killed",
            "--nocapture",
        ])
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
fn zalo_answer_lost_after_delivery_is_unknown_and_refused_connection_is_an_offline_retry() {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    // Zalo delivers the message, then its answer comes too late, or never.
    z.after_delivery([Mishap::Late(Duration::from_secs(3)), Mishap::Drop]);
    let slow = ZaloOa::new(
        &http::agent(Duration::from_millis(300)),
        &z.base(),
        &z.base(),
        "app1",
        zalo_secrets("a", "r"),
    );
    for n in 1..=2 {
        match slow.send("u1", "x") {
            Delivery::Unknown { reason } => assert!(reason.contains("outcome unknown"), "{reason}"),
            other => panic!("a lost answer is unknown, never a blind retry: {other:?}"),
        }
        assert_eq!(z.state.lock().unwrap().sent.len(), n, "it was delivered");
    }
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
    assert_eq!(
        z.state.lock().unwrap().sent.len(),
        2,
        "nothing more was sent"
    );
}

#[test]
fn file_secrets_are_private_round_trip_and_report_damage() {
    use tend_core::messaging::secrets::{FileSecrets, SecretLocation};
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
    tend_core::messaging::channels::save_secrets(
        &secrets,
        &tend_core::messaging::channels::SecretsInput {
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

#[test]
fn a_clock_set_back_never_holds_a_chat_longer_than_its_window() {
    let mut limiter = RateLimiter::standard();
    limiter.record(SendChannel::Telegram, "1", NOW);
    for i in 0..30 {
        limiter.record(SendChannel::Telegram, &format!("other-{i}"), NOW);
    }
    // The laptop's clock is corrected an hour back (Telegram's limits are a second long).
    let back = NOW - 3_600_000;
    let same_chat = limiter.wait(SendChannel::Telegram, "1", back);
    assert!(same_chat <= 1000, "the chat waits {same_chat} ms");
    let new_chat = limiter.wait(SendChannel::Telegram, "2", back);
    assert!(new_chat <= 1000, "a new chat waits {new_chat} ms");
    // Once a send is recorded at the new time, the window is a second long again, and sends
    // made "in the future" no longer fill it.
    limiter.record(SendChannel::Telegram, "1", back + 1000);
    assert_eq!(limiter.wait(SendChannel::Telegram, "2", back + 1000), 0);
}

/// An OS credential store for tests: it answers, or it is locked.
struct FakeKeyring {
    locked: std::sync::atomic::AtomicBool,
    inner: MemorySecrets,
}

impl SecretStore for FakeKeyring {
    fn get(&self, key: &str) -> tend_core::Result<Option<String>> {
        if self.locked.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(tend_core::Error::Storage(
                "credential store: the keyring is locked".into(),
            ));
        }
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: Option<&str>) -> tend_core::Result<()> {
        self.inner.set(key, value)
    }
    fn location(&self) -> tend_core::messaging::secrets::SecretLocation {
        tend_core::messaging::secrets::SecretLocation::Os
    }
}

#[test]
fn the_secret_store_is_chosen_once_and_a_locked_keyring_never_switches_it() {
    use tend_core::messaging::secrets::{choose_store, SecretLocation, STORE_CHOICE_FILE};
    let keyring = Arc::new(FakeKeyring {
        locked: false.into(),
        inner: MemorySecrets::default(),
    });
    let dir = tempfile::tempdir().unwrap();
    let first = choose_store(dir.path(), keyring.clone(), || true).unwrap();
    assert_eq!(first.location(), SecretLocation::Os);
    first
        .set(secret::ZALO_REFRESH_TOKEN, Some("rotated-1"))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(STORE_CHOICE_FILE))
            .unwrap()
            .trim(),
        "os"
    );

    // The next start, the keyring is still locked: Tend keeps to it, says so, and waits.
    keyring
        .locked
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let second = choose_store(dir.path(), keyring.clone(), || false).unwrap();
    assert_eq!(second.location(), SecretLocation::Os, "never the file");
    assert!(!dir.path().join("secrets.json").exists());
    let shown = tend_core::messaging::channels::secrets_present(second.as_ref()).unwrap();
    assert!(shown.problem.unwrap().contains("locked"));
    let channels = Channels::new(
        Endpoints::default(),
        ChannelSettings::default(),
        second.clone(),
    );
    assert!(
        matches!(
            channels.deliver(&fake_message(SendChannel::Telegram, "5", 1)),
            Delivery::Retry { .. }
        ),
        "a send waits for the store rather than failing as 'not set up'"
    );
    keyring
        .locked
        .store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        second.get(secret::ZALO_REFRESH_TOKEN).unwrap().as_deref(),
        Some("rotated-1")
    );

    // Where no keyring answered at the first start, the file stays the store even once one does.
    let headless = tempfile::tempdir().unwrap();
    let file = choose_store(headless.path(), keyring.clone(), || false).unwrap();
    assert_eq!(file.location(), SecretLocation::File);
    let again = choose_store(headless.path(), keyring.clone(), || true).unwrap();
    assert_eq!(again.location(), SecretLocation::File);

    // A data folder from before the choice was recorded, with a secrets file: the file.
    let older = tempfile::tempdir().unwrap();
    std::fs::write(older.path().join("secrets.json"), "{}").unwrap();
    let kept = choose_store(older.path(), keyring, || true).unwrap();
    assert_eq!(kept.location(), SecretLocation::File);
}
