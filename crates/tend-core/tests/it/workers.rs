//! The one worker loop: a panic or a failure in a pass is recorded and the worker goes on; the
//! outbox worker gives back what it claimed when a pass dies and when the app quits.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tend_core::base::clock::{FakeClock, SystemClock};
use tend_core::base::ids::OutboxId;
use tend_core::messaging::channels::{Deliver, Delivery};
use tend_core::messaging::delivery::OutboxSender;
use tend_core::messaging::outbox::{NewMessage, OutboxMessage, OutboxStatus, SendChannel};
use tend_core::messaging::secrets::SecretStore;
use tend_core::workers::telegram_updates::TelegramUpdates;
use tend_core::workers::{self, Job, Observer, Options, WorkerHealth, WorkerName};
use tend_core::{Error, Result, Store};

use crate::support::*;

/// Waits (without a fixed sleep) until `done` holds, or fails after five seconds.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn quick() -> Options {
    Options {
        max_sleep_ms: 20,
        retry_ms: 5,
    }
}

/// A job whose passes follow a script: `'p'` panics, `'e'` fails, `'o'` succeeds (and so does
/// every pass after the script).
struct ScriptedJob {
    script: Vec<char>,
    passes: Arc<AtomicUsize>,
}

impl Job for ScriptedJob {
    type Report = usize;
    type Command = ();

    fn pass(&mut self, _now: i64) -> Result<usize> {
        let n = self.passes.fetch_add(1, Ordering::SeqCst);
        match self.script.get(n) {
            Some('p') => panic!("pass {n} went wrong"),
            Some('e') => Err(Error::Storage("the disk is full".into())),
            _ => Ok(n),
        }
    }

    fn next_due(&self, _report: &usize) -> Option<i64> {
        None
    }
}

fn spawn_scripted(
    script: &str,
) -> (
    workers::Worker<()>,
    Arc<AtomicUsize>,
    Arc<Mutex<Vec<WorkerHealth>>>,
) {
    let passes = Arc::new(AtomicUsize::new(0));
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    let worker = workers::spawn(
        WorkerName::Care,
        ScriptedJob {
            script: script.chars().collect(),
            passes: passes.clone(),
        },
        Arc::new(SystemClock),
        quick(),
        Observer {
            health: Box::new(move |h| log.lock().unwrap().push(h.clone())),
            ..Observer::silent()
        },
    );
    (worker, passes, heard)
}

#[test]
fn a_panic_in_one_pass_is_recorded_and_the_worker_goes_on() {
    let (worker, passes, heard) = spawn_scripted("p");
    wait_until("a pass after the panic succeeded", || {
        passes.load(Ordering::SeqCst) >= 2 && worker.health().errors_in_row == 0
    });
    let h = worker.health();
    assert_eq!(h.panics, 1, "the panic is counted");
    assert!(h.running);
    let last = h.last_error.expect("the panic is kept as the last error");
    assert_eq!(last.key, "worker.panicked");
    assert!(
        last.message.contains("pass 0 went wrong"),
        "{}",
        last.message
    );
    assert!(h.last_ok_at >= h.last_error_at, "the recovery came after");
    // The shell heard it fail, then heard it recover.
    let heard = heard.lock().unwrap().clone();
    assert!(heard.len() >= 2, "{heard:?}");
    assert_eq!(heard[0].errors_in_row, 1);
    assert_eq!(heard[0].panics, 1);
    assert_eq!(heard.last().unwrap().errors_in_row, 0);
    worker.stop();
}

#[test]
fn failures_in_a_row_are_counted_until_a_pass_succeeds() {
    let (worker, passes, heard) = spawn_scripted("eee");
    wait_until("the fourth pass succeeded", || {
        passes.load(Ordering::SeqCst) >= 4 && worker.health().errors_in_row == 0
    });
    let counts: Vec<u32> = heard
        .lock()
        .unwrap()
        .iter()
        .map(|h| h.errors_in_row)
        .collect();
    assert_eq!(
        counts,
        [1, 2, 3, 0],
        "each failure is reported, then the recovery"
    );
    let h = worker.health();
    assert_eq!(h.panics, 0);
    assert_eq!(h.last_error.unwrap().key, "storage.unwritable");
    worker.stop();
}

#[test]
fn a_stopped_worker_says_so() {
    let (worker, passes, heard) = spawn_scripted("");
    wait_until("the first pass ran", || passes.load(Ordering::SeqCst) >= 1);
    worker.stop();
    let last = heard
        .lock()
        .unwrap()
        .last()
        .cloned()
        .expect("the stop is reported");
    assert!(!last.running);
}

/// A channel that panics on its first delivery, as a bug in a channel would.
struct PanicsOnce {
    calls: AtomicUsize,
}

impl Deliver for PanicsOnce {
    fn deliver(&self, _m: &OutboxMessage) -> Delivery {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("the channel crashed");
        }
        Delivery::Sent { provider_id: None }
    }
}

fn queue(s: &mut Store, key: &str) -> OutboxId {
    s.enqueue(
        &NewMessage {
            channel: SendChannel::Telegram,
            recipient: "4242".into(),
            subject: None,
            body_text: format!("Tin {key}"),
            body_html: None,
            customer_id: None,
            template_id: None,
            idempotency_key: key.into(),
            zalo_payload: None,
            ..Default::default()
        },
        tend_core::base::time::system_now() - 1_000,
    )
    .unwrap()
    .id
}

#[test]
fn the_outbox_worker_survives_a_panicking_channel_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let first = queue(&mut s, "a");
    let second = queue(&mut s, "b");
    let sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        Arc::new(PanicsOnce {
            calls: AtomicUsize::new(0),
        }),
        Arc::new(SystemClock),
    )
    .unwrap();
    let worker = workers::spawn(
        WorkerName::Outbox,
        sender,
        Arc::new(SystemClock),
        quick(),
        Observer::silent(),
    );
    // The row is marked sent inside a pass; the worker's health is updated when the pass ends.
    wait_until("the second message was sent and the pass ended", || {
        s.get_outbox(&second).unwrap().status == OutboxStatus::Sent
            && worker.health().errors_in_row == 0
    });
    let h = worker.health();
    assert_eq!(h.panics, 1);
    assert_eq!(h.errors_in_row, 0, "the worker went on");
    // The message in the channel when it crashed may have gone out: the salesperson decides,
    // exactly as after a crash of the app. The one never handed over was given back and sent.
    let m = s.get_outbox(&first).unwrap();
    assert_eq!(m.status, OutboxStatus::NeedsManual);
    worker.stop();
}

/// A channel that asks the sender to stop while the first message is being sent, as quitting
/// the app during a send does.
struct StopsDuringSend {
    stop: Arc<AtomicBool>,
    sent: AtomicUsize,
}

impl Deliver for StopsDuringSend {
    fn deliver(&self, _m: &OutboxMessage) -> Delivery {
        self.stop.store(true, Ordering::SeqCst);
        self.sent.fetch_add(1, Ordering::SeqCst);
        Delivery::Sent { provider_id: None }
    }
}

#[test]
fn quitting_finishes_the_send_in_flight_and_gives_back_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    let ids: Vec<OutboxId> = ["a", "b", "c"].iter().map(|k| queue(&mut s, k)).collect();
    let clock = Arc::new(FakeClock::at(tend_core::base::time::system_now()));
    let mut sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        Arc::new(tend_core::messaging::channels::Channels::new(
            Default::default(),
            Default::default(),
            Arc::new(tend_core::messaging::secrets::MemorySecrets::default()),
        )),
        clock,
    )
    .unwrap();
    let deliver = Arc::new(StopsDuringSend {
        stop: sender.stop_requested.clone(),
        sent: AtomicUsize::new(0),
    });
    sender.deliver = deliver.clone();
    let report = sender.pass().unwrap();
    assert_eq!(report.sent, 1, "the send in flight finished");
    assert_eq!(
        deliver.sent.load(Ordering::SeqCst),
        1,
        "nothing more was sent"
    );
    let statuses: Vec<OutboxStatus> = ids
        .iter()
        .map(|id| s.get_outbox(id).unwrap().status)
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|st| **st == OutboxStatus::Queued)
            .count(),
        2,
        "the rest went back to the queue, not left sending: {statuses:?}"
    );
    let _ = NOW;
}

fn telegram_reader(base: &str, token: &str) -> TelegramUpdates {
    let secrets = Arc::new(tend_core::messaging::secrets::MemorySecrets::default());
    secrets
        .set(
            tend_core::messaging::channels::secret::TELEGRAM_TOKEN,
            Some(token),
        )
        .unwrap();
    TelegramUpdates::new(
        store(),
        tend_core::messaging::channels::Endpoints {
            telegram_api: base.into(),
            ..Default::default()
        },
        secrets,
    )
}

#[test]
fn the_telegram_reader_fails_on_a_refusal_but_not_when_offline() {
    let tg = tend_fakes::telegram::FakeTelegram::start(0, "555:TOKEN", "tend_shop_bot").unwrap();
    // A wrong token is refused: a failure to show, so the salesperson fixes the settings.
    let mut wrong = telegram_reader(&tg.base(), "555:WRONG");
    let e = wrong.pass(NOW).unwrap_err();
    assert!(e.to_string().contains("Unauthorized"), "{e}");
    // After a failure the next pass asks again instead of waiting out the idle interval.
    assert!(wrong.pass(NOW + 1).is_err());
    // No answer at all is a laptop offline: nothing to show, the reader tries again later.
    let mut offline = telegram_reader("http://127.0.0.1:9", "555:TOKEN");
    assert_eq!(offline.pass(NOW).unwrap(), Default::default());
    // The right token reads the updates.
    let mut right = telegram_reader(&tg.base(), "555:TOKEN");
    assert_eq!(right.pass(NOW).unwrap(), Default::default());
}
