//! The customer book: customers, interactions, tasks and Today, their roll-ups, search and the
//! sample data.

pub mod customers;
pub mod interactions;
pub mod rollups;
pub mod sample;
pub mod search;
pub mod search_index;
pub mod tasks;
