//! Background workers: one loop abstraction ([`worker`]) with a handle, a stop and a health
//! record, used by the workers of the app: the outbox delivery, the care step runner, the
//! Telegram updates reader and the Zalo reply reader. The loop catches a panic in one pass, records it and goes on.

pub mod care_steps;
pub mod health;
pub mod outbox;
pub mod telegram_updates;
pub mod worker;
pub mod zalo_replies;

pub use health::{WorkerHealth, WorkerName};
pub use worker::{spawn, Job, Observer, Options, Worker};
