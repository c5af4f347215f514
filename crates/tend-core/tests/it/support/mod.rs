//! Fixtures shared by every test module: stores, customers, templates, fixed times, and a
//! scripted channel. One place, so a change to how a customer is made is made once.

#![allow(dead_code)]

pub mod care;
pub mod crm;
pub mod messaging;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime};

use tend_core::base::calendar::{FixedZone, Zone};
use tend_core::base::clock::{Clock, FakeClock};
use tend_core::base::ids::{CustomerId, TemplateId};
use tend_core::crm::customers::{CustomerInput, PhoneInput, SaveOutcome};
use tend_core::messaging::channels::{Deliver, Delivery};
use tend_core::messaging::outbox::OutboxMessage;
use tend_core::messaging::templates::{TemplateCategory, TemplateChannel, TemplateInput};
use tend_core::Store;

/// A fixed "now" (2026-09-21): the core never reads the clock.
pub const NOW: i64 = 1_790_000_000_000;
/// `NOW` as templates show the date.
pub const TODAY: &str = "21/09/2026";
pub const MIN: i64 = 60_000;
pub const HOUR: i64 = 60 * MIN;
pub const DAY: i64 = 24 * HOUR;
/// Vietnam's time zone, UTC+7 all year.
pub const VN: FixedZone = FixedZone(7 * 3600);

/// An in-memory store with the newest schema.
pub fn store() -> Store {
    Store::open_in_memory().expect("an in-memory store opens")
}

/// An in-memory store whose local calendar is Vietnam's.
pub fn store_in_vietnam() -> Store {
    let mut s = store();
    s.set_zone(Arc::new(VN));
    s
}

/// A local (Vietnam) wall-clock time as UTC milliseconds. 2026-11-23 is a Monday.
pub fn vn_time(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    let local: NaiveDateTime = NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap();
    VN.to_utc(local)
}

/// A customer's form input with a name and, unless empty, one phone.
pub fn customer_input(name: &str, phone: &str) -> CustomerInput {
    CustomerInput {
        full_name: name.into(),
        phones: if phone.is_empty() {
            vec![]
        } else {
            vec![PhoneInput {
                number: phone.into(),
                label: None,
            }]
        },
        ..Default::default()
    }
}

/// Saves a customer (duplicates allowed) made from `name`, changed by `f`, at `now`.
pub fn customer_with(
    s: &mut Store,
    name: &str,
    now: i64,
    f: impl FnOnce(&mut CustomerInput),
) -> CustomerId {
    let mut input = customer_input(name, "");
    f(&mut input);
    match s
        .create_customer(&input, true, now)
        .expect("the customer saves")
    {
        SaveOutcome::Saved { customer } => customer.id,
        SaveOutcome::Duplicates { .. } => unreachable!("duplicates are allowed here"),
    }
}

/// Saves a template on `channel` at `now`.
pub fn template_at(
    s: &mut Store,
    channel: TemplateChannel,
    subject: Option<&str>,
    body: &str,
    now: i64,
) -> TemplateId {
    s.create_template(
        &TemplateInput {
            name: "Chào hỏi".into(),
            channel,
            category: TemplateCategory::Greeting,
            subject: subject.map(String::from),
            body: body.into(),
            ..Default::default()
        },
        now,
    )
    .expect("the template saves")
    .id
}

/// A channel double that answers from a script (then `Sent`) and records the clock time and
/// recipient of each call.
pub struct Scripted {
    clock: Arc<FakeClock>,
    answers: Mutex<VecDeque<Delivery>>,
    calls: Mutex<Vec<(i64, String)>>,
}

impl Scripted {
    pub fn new(clock: Arc<FakeClock>, answers: Vec<Delivery>) -> Arc<Self> {
        Arc::new(Scripted {
            clock,
            answers: Mutex::new(answers.into()),
            calls: Mutex::new(Vec::new()),
        })
    }
    pub fn calls(&self) -> Vec<(i64, String)> {
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
