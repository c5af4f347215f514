//! Commands for care scenarios and enrolments. The worker that runs due steps is in `workers.rs`.

use tauri::State;
use tend_core::base::ids::{CustomerId, EnrollmentId, ScenarioId};
use tend_core::base::page::Page;
use tend_core::base::time::system_now;
use tend_core::care::model::{
    EnrollReport, EnrollTarget, Enrollment, PlannedStep, Scenario, ScenarioInput, ScenarioToday,
};
use tend_core::ErrorPayload;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn list_scenarios(state: State<'_, AppState>) -> Reply<Vec<Scenario>> {
    state.with(|s| s.list_scenarios())
}

#[tauri::command]
pub fn get_scenario(state: State<'_, AppState>, id: ScenarioId) -> Reply<Scenario> {
    state.with(|s| s.get_scenario(&id))
}

#[tauri::command]
pub fn create_scenario(state: State<'_, AppState>, input: ScenarioInput) -> Reply<Scenario> {
    state.with(|s| s.create_scenario(&input, system_now()))
}

#[tauri::command]
pub fn update_scenario(
    state: State<'_, AppState>,
    id: ScenarioId,
    input: ScenarioInput,
) -> Reply<Scenario> {
    state.with(|s| s.update_scenario(&id, &input, system_now()))
}

#[tauri::command]
pub fn duplicate_scenario(
    state: State<'_, AppState>,
    id: ScenarioId,
    suffix: String,
) -> Reply<Scenario> {
    state.with(|s| s.duplicate_scenario(&id, &suffix, system_now()))
}

#[tauri::command]
pub fn set_scenario_active(
    state: State<'_, AppState>,
    id: ScenarioId,
    active: bool,
) -> Reply<Scenario> {
    state.with(|s| s.set_scenario_active(&id, active, system_now()))
}

#[tauri::command]
pub fn delete_scenario(state: State<'_, AppState>, id: ScenarioId) -> Reply<()> {
    state.with(|s| s.delete_scenario(&id))
}

#[tauri::command]
pub fn cancel_scenario_enrollments(state: State<'_, AppState>, id: ScenarioId) -> Reply<usize> {
    state.with(|s| s.cancel_scenario_enrollments(&id, system_now()))
}

#[tauri::command]
pub fn enroll(
    state: State<'_, AppState>,
    scenario_id: ScenarioId,
    target: EnrollTarget,
) -> Reply<EnrollReport> {
    state.with(|s| s.enroll(&scenario_id, &target, system_now()))
}

/// What enrolling this customer would do, step by step, with anything that would fail.
#[tauri::command]
pub fn plan_enrollment(
    state: State<'_, AppState>,
    scenario_id: ScenarioId,
    customer_id: CustomerId,
) -> Reply<Vec<PlannedStep>> {
    state.with(|s| s.plan(&scenario_id, &customer_id, system_now()))
}

#[tauri::command]
pub fn pause_enrollment(state: State<'_, AppState>, id: EnrollmentId) -> Reply<Enrollment> {
    state.with(|s| s.pause_enrollment(&id, system_now()))
}

#[tauri::command]
pub fn resume_enrollment(state: State<'_, AppState>, id: EnrollmentId) -> Reply<Enrollment> {
    state.with(|s| s.resume_enrollment(&id, system_now()))
}

#[tauri::command]
pub fn cancel_enrollment(state: State<'_, AppState>, id: EnrollmentId) -> Reply<Enrollment> {
    state.with(|s| s.cancel_enrollment(&id, system_now()))
}

#[tauri::command]
pub fn customer_enrollments(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Reply<Vec<Enrollment>> {
    state.with(|s| s.customer_enrollments(&customer_id))
}

/// Automatic steps due before the end of the local today, and steps that need the salesperson.
#[tauri::command]
pub fn scenario_today(state: State<'_, AppState>) -> Reply<ScenarioToday> {
    state.with(|s| {
        let until = s.today_bounds(system_now()).tomorrow_start;
        s.scenario_today(until, 50)
    })
}

#[tauri::command]
pub fn mark_step_seen(
    state: State<'_, AppState>,
    enrollment_id: EnrollmentId,
    position: i64,
) -> Reply<()> {
    state.with(|s| s.mark_step_seen(&enrollment_id, position, system_now()))
}

/// The enrolments of a scenario, for its screen.
#[tauri::command]
pub fn scenario_enrollments(state: State<'_, AppState>, id: ScenarioId) -> Reply<Page<Enrollment>> {
    state.with(|s| {
        let items = s.scenario_enrollments(&id)?;
        Ok(Page {
            total: items.len() as i64,
            items,
        })
    })
}
