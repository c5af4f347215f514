//! Campaigns: one message to a segment, now or on a schedule, over each customer's first
//! reachable channel, through the outbox, at most once per customer per run.

pub mod model;
pub(crate) mod recipients;
pub mod report;
pub mod run;
pub(crate) mod schedule;
pub mod store;

pub use model::*;
