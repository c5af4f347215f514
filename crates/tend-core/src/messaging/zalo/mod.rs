//! Zalo beyond sending one text: the users the OA has heard from and their messaging windows.

pub mod contacts;
