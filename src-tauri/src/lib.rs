//! The Tauri shell of Tend: resolves the data directory, opens the store, starts the background
//! workers, and adapts tend-core to commands. It holds no domain logic: every command is a few
//! lines over a `Store` method.
//!
//! Architecture invariant: nothing here decides anything about customers, tasks, messages or
//! search; if a command grows an `if` about the domain, that `if` belongs in tend-core.

pub mod care;
pub mod commands;
pub mod data_dir;
pub mod messaging;
pub mod os_secrets;
pub mod state;

use tauri::{Manager, Runtime};

pub use state::AppState;

/// Registers Tend's state and commands on a builder. Shared by the real app and the IPC tests
/// (which use Tauri's mock runtime).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_customers,
            commands::search_customers,
            commands::get_customer,
            commands::open_customer,
            commands::create_customer,
            commands::update_customer,
            commands::delete_customer,
            commands::restore_customer,
            commands::list_tags,
            commands::add_note,
            commands::delete_note,
            commands::log_interaction,
            commands::update_interaction,
            commands::delete_interaction,
            commands::timeline,
            commands::create_task,
            commands::complete_task,
            commands::skip_task,
            commands::reopen_task,
            commands::reschedule_task,
            commands::customer_tasks,
            commands::today,
            commands::load_sample_data,
            messaging::list_templates,
            messaging::get_template,
            messaging::create_template,
            messaging::update_template,
            messaging::duplicate_template,
            messaging::delete_template,
            messaging::template_variables,
            messaging::preview_template,
            messaging::preview_draft,
            messaging::send_message,
            messaging::prepare_assisted,
            messaging::confirm_assisted,
            messaging::open_chat,
            messaging::list_outbox,
            messaging::outbox_counts,
            messaging::retry_message,
            messaging::cancel_message,
            messaging::network_online,
            messaging::get_settings,
            messaging::save_settings,
            messaging::test_channel,
            messaging::telegram_link,
            care::list_scenarios,
            care::get_scenario,
            care::create_scenario,
            care::update_scenario,
            care::duplicate_scenario,
            care::set_scenario_active,
            care::delete_scenario,
            care::cancel_scenario_enrollments,
            care::enroll,
            care::plan_enrollment,
            care::pause_enrollment,
            care::resume_enrollment,
            care::cancel_enrollment,
            care::customer_enrollments,
            care::scenario_today,
            care::mark_step_seen,
            care::scenario_enrollments,
        ])
}

/// Starts the desktop app.
pub fn run() {
    let dir = data_dir::resolve();
    let state = AppState::open(dir);
    if let Some(e) = state.open_error() {
        // The window still opens and shows this; stderr keeps it for whoever launched us.
        eprintln!("tend: {}", e.message);
    }
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // A second launch focuses the window that is already open instead of opening another
            // store on the same database.
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let handle = app.handle().clone();
            messaging::start_workers(&handle, &app.state::<AppState>());
            care::start_scheduler(&handle, &app.state::<AppState>());
            Ok(())
        });
    with_commands(builder, state)
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
