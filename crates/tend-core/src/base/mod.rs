//! Shared building blocks with no domain: ids, instants, the clock and the local calendar, the
//! error type, text enums, paging, Vietnamese folding, phone numbers and a small random source.

pub mod calendar;
pub mod clock;
pub mod error;
pub mod fold;
pub mod ids;
pub mod page;
pub mod phone;
pub mod rng;
pub mod text_enum;
pub mod time;
