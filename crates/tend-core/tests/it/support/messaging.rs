//! Fixtures for messaging: a customer with a phone, a template, at `NOW`.

#![allow(dead_code)]

pub use super::*;

use tend_core::base::ids::{CustomerId, TemplateId};
use tend_core::crm::customers::CustomerInput;
use tend_core::messaging::templates::TemplateChannel;
use tend_core::Store;

pub fn customer(s: &mut Store, name: &str, f: impl FnOnce(&mut CustomerInput)) -> CustomerId {
    customer_with(s, name, NOW, |c| {
        *c = customer_input(name, "0912 345 678");
        f(c)
    })
}

pub fn template(
    s: &mut Store,
    channel: TemplateChannel,
    subject: Option<&str>,
    body: &str,
) -> TemplateId {
    template_at(s, channel, subject, body, NOW)
}
