//! Messages out and in: templates, the durable outbox, the delivery pass, the channels (Telegram,
//! Zalo OA, email), secrets, and Telegram binding links.

pub mod assisted;
pub mod channels;
pub mod consent;
pub mod delivery;
pub mod frequency;
pub mod outbox;
pub mod secrets;
pub mod telegram_binding;
mod template_partials;
mod template_variables;
pub mod templates;
pub mod zalo;
pub mod zalo_fetch;
pub mod zalo_routing;
