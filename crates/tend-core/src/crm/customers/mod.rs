//! Customers: the record and its parts, validation, create/edit, soft delete and restore, lists,
//! tags and pinned notes. The record types are re-exported here, so callers name
//! `crm::customers::Customer` whatever file holds it.

pub mod list;
pub mod model;
pub mod notes;
pub mod validate;
pub mod write;

pub use model::*;
pub(crate) use write::insert_input;
pub(crate) use write::set_do_not_contact;
pub use write::{create_in, delete_in, update_in, CustomerWrite};
