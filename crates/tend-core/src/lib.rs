//! Tend's core: the local store, the domain rules, the channels, the outbox and the care
//! scenarios, in layers whose dependencies run one way (see ARCHITECTURE.md):
//!
//! `base` <- `db` <- `crm` <- `import`, `export` <- `messaging` <- `care` <- `merge` <- `app` <- `workers`
//!
//! A module may use the layers to its left, never those to its right; `tests/architecture.rs`
//! enforces it.
//!
//! Architecture invariant: this crate knows nothing of Tauri, windows or IPC. It exposes plain
//! data (serde + ts-rs derives, so the shell can pass it through unchanged) and functions that
//! take the current time as an argument instead of reading a clock.

pub mod app;
pub mod base;
pub mod campaigns;
pub mod care;
pub mod crm;
pub mod db;
pub mod export;
pub mod import;
pub mod merge;
pub mod messaging;
pub mod segments;
pub mod workers;

pub use base::error::{Error, ErrorCode, ErrorPayload, Result};
pub use db::store::Store;
