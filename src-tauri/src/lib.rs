//! The Tauri shell of Tend: resolves the data directory, opens the store, starts the background
//! workers, and adapts tend-core to commands. It holds no domain logic: every command is a few
//! lines over a `Store` method, and what a command changed (its effects) is acted on in one
//! place, `AppState::with`.
//!
//! Architecture invariant: nothing here decides anything about customers, tasks, messages or
//! search; if a command grows an `if` about the domain, that `if` belongs in tend-core.

pub mod backup;
pub mod campaigns;
pub mod cli;
pub mod commands;
pub mod data_dir;
pub mod exports;
pub mod imports;
pub mod merges;
pub mod messaging;
pub mod os_secrets;
pub mod scenarios;
pub mod state;
pub mod worker_set;
pub mod workers;
pub mod zalo;

use tauri::{Manager, Runtime};

pub use state::AppState;

/// Registers Tend's state and commands on a builder. Shared by the real app and the IPC tests
/// (which use Tauri's mock runtime).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .manage(imports::ImportSession::default())
        .manage(std::sync::Arc::new(backup::AutoBackup::default()))
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
            commands::search_customers_page,
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
            messaging::assisted_queue,
            messaging::finish_assisted,
            messaging::network_online,
            messaging::get_settings,
            messaging::save_settings,
            messaging::test_channel,
            messaging::telegram_link,
            scenarios::list_scenarios,
            scenarios::get_scenario,
            scenarios::create_scenario,
            scenarios::update_scenario,
            scenarios::duplicate_scenario,
            scenarios::set_scenario_active,
            scenarios::delete_scenario,
            scenarios::cancel_scenario_enrollments,
            scenarios::enroll,
            scenarios::plan_enrollment,
            scenarios::pause_enrollment,
            scenarios::resume_enrollment,
            scenarios::cancel_enrollment,
            scenarios::customer_enrollments,
            scenarios::scenario_today,
            scenarios::mark_step_seen,
            scenarios::scenario_enrollments,
            workers::worker_health,
            backup::backup_status,
            backup::backup_now,
            backup::save_backup_settings,
            backup::backup_list,
            backup::backup_restore,
            backup::recovery_state,
            backup::recover_from_backup,
            exports::export_file,
            merges::duplicates_scan,
            merges::merge_customers,
            merges::merge_undo,
            merges::merges_list,
            imports::import_open,
            imports::import_dry_run,
            imports::import_invalid_rows,
            imports::import_save_invalid,
            imports::import_run,
            imports::import_cancel,
            imports::imports_list,
            imports::import_undo,
            zalo::list_unknown_zalo_contacts,
            zalo::link_zalo_contact,
            zalo::dismiss_zalo_contact,
            zalo::read_zalo_now,
            zalo::zalo_templates,
            zalo::refresh_zalo_templates,
            zalo::zalo_quota,
            zalo::zalo_route_preview,
            zalo::zalo_closing_windows,
            zalo::preview_zalo_params,
            zalo::zalo_bulk_estimate,
            campaigns::list_segments,
            campaigns::get_segment,
            campaigns::save_segment,
            campaigns::delete_segment,
            campaigns::count_segment,
            campaigns::segment_customers,
            campaigns::tag_segment,
            campaigns::enroll_segment,
            campaigns::customer_consent,
            campaigns::record_consent,
            campaigns::withdraw_consent_from_message,
            campaigns::frequency_cap,
            campaigns::set_frequency_cap,
            campaigns::list_campaigns,
            campaigns::get_campaign,
            campaigns::save_campaign,
            campaigns::delete_campaign,
            campaigns::start_campaign,
            campaigns::pause_campaign,
            campaigns::resume_campaign,
            campaigns::cancel_campaign,
            campaigns::campaign_preview,
            campaigns::campaign_preview_rows,
            campaigns::campaign_progress,
            campaigns::campaign_report,
            campaigns::campaign_recipients,
        ])
}

/// Lets the state emit window events (the real app's handle, or a test's mock one).
pub fn set_event_sink<R: Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Emitter;
    let handle = app.clone();
    app.state::<AppState>()
        .set_event_sink(std::sync::Arc::new(move |event, payload| {
            let _ = handle.emit(event, payload);
        }));
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
            set_event_sink(&handle);
            workers::start(&handle);
            let data = handle.state::<AppState>().data_dir.clone();
            let auto = handle
                .state::<std::sync::Arc<backup::AutoBackup>>()
                .inner()
                .clone();
            backup::check_after_start(
                data.clone(),
                auto.clone(),
                handle.state::<AppState>().event_sender(),
            );
            backup::start_automatic(data, auto);
            Ok(())
        });
    with_commands(builder, state)
        .build(tauri::generate_context!())
        .expect("the Tauri runtime failed to start")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Every worker finishes or releases what it holds before the process ends.
                app.state::<AppState>().workers.stop_all();
            }
        });
}
