//! Zalo beyond sending one text: the users the OA has heard from and their messaging windows,
//! the OA's approved templates, their parameters filled from a customer, and the cheapest
//! route Zalo allows for a message.

pub mod approved;
pub mod contacts;
pub mod mapping;
pub mod route;
