//! Commands for care scenarios and enrolments, and the scheduler thread that runs due steps.

use std::sync::Arc;

use tauri::{AppHandle, Emitter, Runtime, State};
use tend_core::customers::Page;
use tend_core::ids::{CustomerId, EnrollmentId, ScenarioId};
use tend_core::scenarios::{
    EnrollReport, EnrollTarget, Enrollment, PlannedStep, Scenario, ScenarioInput, ScenarioToday,
};
use tend_core::scheduler::{self, SchedulerReport};
use tend_core::sender::SystemClock;
use tend_core::time::system_now;
use tend_core::{ErrorPayload, Store};

use crate::commands::local_today_bounds;
use crate::messaging::DATA_CHANGED;
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
    let s = state.with(|s| s.update_scenario(&id, &input, system_now()))?;
    state.wake_scheduler();
    Ok(s)
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
    let s = state.with(|s| s.set_scenario_active(&id, active, system_now()))?;
    state.wake_scheduler();
    Ok(s)
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
    let r = state.with(|s| s.enroll(&scenario_id, &target, system_now()))?;
    state.wake_scheduler();
    Ok(r)
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
    let e = state.with(|s| s.pause_enrollment(&id, system_now()))?;
    state.wake_scheduler();
    Ok(e)
}

#[tauri::command]
pub fn resume_enrollment(state: State<'_, AppState>, id: EnrollmentId) -> Reply<Enrollment> {
    let e = state.with(|s| s.resume_enrollment(&id, system_now()))?;
    state.wake_scheduler();
    Ok(e)
}

#[tauri::command]
pub fn cancel_enrollment(state: State<'_, AppState>, id: EnrollmentId) -> Reply<Enrollment> {
    let e = state.with(|s| s.cancel_enrollment(&id, system_now()))?;
    state.wake_scheduler();
    Ok(e)
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
    let until = local_today_bounds().tomorrow_start;
    state.with(|s| s.scenario_today(until, 50))
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

/// Starts the scheduler thread with its own connection. After each pass that changed
/// something it tells the UI, wakes the outbox sender for new messages, and shows the
/// notification steps as OS notifications.
pub fn start_scheduler<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    let store = match Store::open_dir(&state.data_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tend: the scheduler could not start: {e}");
            return;
        }
    };
    let notify = app.clone();
    let sender_waker = app.clone();
    let handle = scheduler::spawn(
        store,
        Arc::new(SystemClock),
        Box::new(move |report: &SchedulerReport| {
            if report.messages > 0 {
                use tauri::Manager;
                if let Some(state) = sender_waker.try_state::<AppState>() {
                    state.wake_sender();
                }
            }
            show_notifications(&notify, report);
            let _ = notify.emit(DATA_CHANGED, ());
        }),
        Box::new(|e| eprintln!("tend: a scheduler pass failed and will be retried: {e}")),
    );
    *state.scheduler.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle);
}

fn show_notifications<R: Runtime>(app: &AppHandle<R>, report: &SchedulerReport) {
    use tauri::Manager;
    for n in &report.notifications {
        // Also forwarded to the window, which shows it when the OS has no notification service.
        let _ = app.emit("step-notification", n);
        // The plugin is registered by the app, not by the IPC tests' mock app.
        if app
            .try_state::<tauri_plugin_notification::Notification<R>>()
            .is_some()
        {
            use tauri_plugin_notification::NotificationExt;
            let _ = app
                .notification()
                .builder()
                .title(format!("{} · {}", n.customer_name, n.scenario_name))
                .body(&n.text)
                .show();
        }
    }
}
