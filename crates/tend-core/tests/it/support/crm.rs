//! Fixtures for the customer book: form input, saved customers, a logged call.

#![allow(dead_code)]

pub use super::*;

use tend_core::base::ids::CustomerId;
use tend_core::crm::customers::CustomerInput;
use tend_core::crm::interactions::{Direction, InteractionInput, InteractionKind};
use tend_core::Store;

pub fn input(name: &str, phone: &str) -> CustomerInput {
    customer_input(name, phone)
}

pub fn create(s: &mut Store, name: &str, phone: &str) -> CustomerId {
    customer_with(s, name, NOW, |c| *c = customer_input(name, phone))
}

pub fn call(customer: &CustomerId, at: i64) -> InteractionInput {
    InteractionInput {
        customer_id: customer.clone(),
        kind: InteractionKind::Call,
        direction: Direction::Outbound,
        subject: None,
        content: Some("Gọi hỏi thăm".into()),
        outcome: Some("interested".into()),
        duration_minutes: Some(5),
        occurred_at: Some(at),
        next_action: None,
        next_action_date: None,
        complete_task_id: None,
    }
}

/// Every live customer of a small book, whole, by name.
pub fn every_customer(s: &Store) -> Vec<tend_core::crm::customers::Customer> {
    let mut out: Vec<_> = s
        .list_customers(&tend_core::crm::customers::CustomerListQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|c| s.get_customer(&c.id).unwrap())
        .collect();
    out.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    out
}
