//! tend-core's integration tests, one binary with a module per domain, sharing one set of
//! fixtures (`support`). Tests use the crate only through its public API, on in-memory or
//! temp-file databases, with time passed in.

mod support;

mod architecture;
mod base_phones;
mod campaigns;
mod care_exactly_once;
mod care_personal_steps;
mod care_scenarios;
mod care_step_identity;
mod care_timing;
mod crm_customers;
mod crm_sample;
mod crm_search;
mod crm_timeline;
mod db_backup;
mod db_store;
mod error_keys;
mod export_files;
mod import_files;
mod merge_customers;
mod messaging_channels;
mod messaging_outbox;
mod messaging_templates;
mod segments;
mod workers;
mod zalo_replies;
mod zalo_routes;
mod zalo_templates;
