//! Messaging figures: render, enqueue, and outbox throughput against a local server that
//! answers as Telegram does, with and without Telegram's rate limits.

use std::sync::Arc;
use std::time::Instant;

use tend_core::base::clock::SystemClock;
use tend_core::base::ids::{CustomerId, TemplateId};
use tend_core::base::time::system_now;
use tend_core::crm::customers::{CustomerInput, SaveOutcome};
use tend_core::messaging::channels::{secret, ChannelSettings, Channels, Endpoints};
use tend_core::messaging::delivery::{OutboxSender, RateLimiter};
use tend_core::messaging::outbox::{ComposeRequest, OutboxStatus, SendChannel};
use tend_core::messaging::secrets::{MemorySecrets, SecretStore};
use tend_core::messaging::templates::{TemplateCategory, TemplateChannel, TemplateInput};
use tend_core::Store;
use tend_fakes::telegram::FakeTelegram;

use crate::{bench, bench_dir, p95};

const TODAY: &str = "21/11/2026";

fn setup(store: &mut Store, customers: usize) -> Result<(Vec<CustomerId>, TemplateId), String> {
    let now = system_now();
    let mut ids = Vec::with_capacity(customers);
    for i in 0..customers {
        let input = CustomerInput {
            full_name: format!("Nguyễn Văn Khách {i}"),
            company_name: Some("Cửa hàng Minh Phát".into()),
            telegram_id: Some(format!("{}", 100_000 + i)),
            ..Default::default()
        };
        match store
            .create_customer(&input, true, now)
            .map_err(|e| e.to_string())?
        {
            SaveOutcome::Saved { customer } => ids.push(customer.id),
            SaveOutcome::Duplicates { .. } => unreachable!("duplicates are allowed"),
        }
    }
    let t = store
        .create_template(
            &TemplateInput {
                name: "Báo giá".into(),
                channel: TemplateChannel::Telegram,
                category: TemplateCategory::Quotation,
                body: "Chào anh {{customer.given_name}},\nEm gửi báo giá cho {{default customer.company \"quý khách\"}}: {{vnd 1500000}}, hiệu lực đến {{today}}.\n{{me.name}}".into(),
                ..Default::default()
            },
            now,
        )
        .map_err(|e| e.to_string())?;
    store
        .set_setting("my_name", Some("Trần Thị Lan"))
        .map_err(|e| e.to_string())?;
    Ok((ids, t.id))
}

fn queue_all(
    store: &mut Store,
    ids: &[CustomerId],
    t: &TemplateId,
    tag: &str,
    n: usize,
) -> Result<Vec<std::time::Duration>, String> {
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let req = ComposeRequest {
            customer_id: ids[i % ids.len()].clone(),
            template_id: t.clone(),
            channel: SendChannel::Telegram,
            idempotency_key: format!("{tag}-{i}"),
        };
        let start = Instant::now();
        store
            .compose(&req, TODAY, system_now())
            .map_err(|e| e.to_string())?;
        samples.push(start.elapsed());
    }
    Ok(samples)
}

fn drain(sender: &mut OutboxSender) -> Result<(), String> {
    loop {
        let r = sender.pass().map_err(|e| e.to_string())?;
        match r.next_due {
            None => return Ok(()),
            Some(due) => {
                let wait = due - system_now();
                if wait > 0 {
                    std::thread::sleep(std::time::Duration::from_millis(wait as u64));
                }
            }
        }
    }
}

pub fn run() -> Result<(), String> {
    let dir = bench_dir("messaging")?;
    let mut store = Store::open_dir(&dir).map_err(|e| e.to_string())?;
    let (ids, template) = setup(&mut store, 1000)?;

    // Render a template for a customer.
    let mut samples = Vec::new();
    for i in 0..5000 {
        let c = &ids[i % ids.len()];
        let start = Instant::now();
        let r = store
            .render_template(&template, c, false, TODAY)
            .map_err(|e| e.to_string())?;
        samples.push(start.elapsed());
        assert!(r.missing.is_empty());
    }
    bench("render_p95_us", p95(samples) * 1000.0, "us");

    // Enqueue: render + outbox row.
    let samples = queue_all(&mut store, &ids, &template, "enqueue", 3000)?;
    bench("enqueue_p95_ms", p95(samples), "ms");
    store
        .connection()
        .execute("DELETE FROM outbox", [])
        .map_err(|e| e.to_string())?;

    let tg = FakeTelegram::start(0, "1:BENCH", "bench_bot").map_err(|e| e.to_string())?;
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    secrets
        .set(secret::TELEGRAM_TOKEN, Some("1:BENCH"))
        .map_err(|e| e.to_string())?;
    let endpoints = Endpoints {
        telegram_api: tg.base(),
        ..Default::default()
    };
    let channels = Arc::new(Channels::new(
        endpoints,
        ChannelSettings::default(),
        secrets,
    ));

    // Throughput with rate limits off: a server that answers at once.
    let n = 3000;
    queue_all(&mut store, &ids, &template, "fast", n)?;
    let mut sender = OutboxSender::new(
        Store::open_dir(&dir).map_err(|e| e.to_string())?,
        channels.clone(),
        Arc::new(SystemClock),
    )
    .map_err(|e| e.to_string())?;
    sender.limiter = RateLimiter::off();
    let start = Instant::now();
    drain(&mut sender)?;
    let secs = start.elapsed().as_secs_f64();
    let sent = tg.sent().len();
    if sent != n {
        return Err(format!("{sent} of {n} messages arrived"));
    }
    bench("outbox_throughput_per_s", n as f64 / secs, "msg/s");

    // With Telegram's limits on, to many chats: the rate settles at 30/s.
    let n = 900;
    queue_all(&mut store, &ids, &template, "limited", n)?;
    sender.limiter = RateLimiter::standard();
    let before = tg.sent().len();
    let start = Instant::now();
    drain(&mut sender)?;
    let secs = start.elapsed().as_secs_f64();
    let sent = tg.sent().len() - before;
    if sent != n {
        return Err(format!("{sent} of {n} rate-limited messages arrived"));
    }
    bench("outbox_rate_limited_per_s", n as f64 / secs, "msg/s");
    let stuck: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM outbox WHERE status <> ?1",
            [OutboxStatus::Sent.as_str()],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    println!("  {sent} messages in {secs:.1} s; {stuck} not sent");
    drop(sender);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
