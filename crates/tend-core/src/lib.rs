//! Tend's core: the local store, the domain rules and (later) the channels, outbox and scheduler.
//!
//! Architecture invariant: this crate knows nothing of Tauri, windows or IPC. It exposes plain
//! data (serde + ts-rs derives, so the shell can pass it through unchanged) and functions that
//! take the current time as an argument instead of reading a clock.

pub mod channels;
pub mod customers;
pub mod error;
pub mod fold;
pub mod ids;
pub mod interactions;
pub mod outbox;
pub mod phone;
pub mod sample;
pub mod scenarios;
pub mod schedule;
pub mod scheduler;
pub mod search;
pub mod secrets;
pub mod sender;
pub mod settings;
pub mod store;
pub mod tasks;
pub mod telegram_binding;
pub mod templates;
pub mod time;

pub use error::{Error, ErrorCode, ErrorPayload, Result};
pub use store::Store;
