//! Segments: saved criteria over the book, evaluated live; counted, listed, and acted on.

pub mod model;
pub(crate) mod sql;
pub mod store;

pub use model::*;
