//! Care scenarios: step timing, the scenario model, definitions, enrolments, the plan preview,
//! the care part of Today, triggers, and the step runner that runs due steps exactly once.

pub mod definitions;
pub mod enrollments;
pub mod model;
pub mod plan;
pub mod step_runner;
pub mod timing;
pub mod today;
pub mod triggers;
