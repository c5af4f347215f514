//! The application layer: use cases that span domains. Each owns its transaction and calls the
//! cross-domain reactions explicitly, in that transaction:
//!
//! - a customer saved (created, or given new tags) → the care triggers that enrol them;
//! - an inbound interaction (logged by hand, or a Telegram reply) → the scenarios that exit on
//!   reply end for that customer.
//!
//! Lower layers never reach up to these reactions; the shell and the workers call these methods.

pub mod assisted;
pub mod consent;
pub mod customers;
pub mod interactions;
pub mod settings;
pub mod starter;
pub mod telegram;
pub mod zalo;
