//! Duplicates and merge: finding customers who are likely the same person across the book, and
//! merging them into one (with everything they have) in a way that can be undone exactly.

pub mod combine;
pub mod scan;
pub mod snapshot;
