//! The IPC commands: each adapts one tend-core call. Arguments arrive camelCased from the UI;
//! errors leave as `{code, message, field}` (`ErrorPayload`).

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use tend_core::base::ids::{CustomerId, InteractionId, NoteId, TaskId};
use tend_core::base::page::Page;
use tend_core::base::time::{system_now, UtcMillis};
use tend_core::crm::customers::{
    Customer, CustomerInput, CustomerListQuery, CustomerSummary, Note, SaveOutcome, Tag,
};
use tend_core::crm::interactions::{CustomerDetail, Interaction, InteractionInput};
use tend_core::crm::sample::LoadReport;
use tend_core::crm::search::SearchPage;
use tend_core::crm::tasks::{Task, TaskInput, TodayView};
use tend_core::ErrorPayload;

use crate::data_dir;
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// What the UI needs to know about the running app.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    /// The OS locale as a BCP 47 tag, e.g. "vi-VN".
    pub locale: String,
    /// Why the database could not be opened, if it could not.
    pub open_error: Option<ErrorPayload>,
}

/// The sample set shipped in assets/, loaded from the empty state.
const SAMPLE_DATA: &str = include_str!("../../assets/sample-data.json");

/// How many timeline entries the customer screen shows at first.
const FIRST_TIMELINE_PAGE: i64 = 30;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.data_dir.display().to_string(),
        locale: data_dir::os_locale(),
        open_error: state.open_error(),
    }
}

#[tauri::command]
pub fn list_customers(
    state: State<'_, AppState>,
    query: CustomerListQuery,
) -> Reply<Page<CustomerSummary>> {
    state.with(|s| s.list_customers(&query))
}

#[tauri::command]
pub fn search_customers(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> Reply<Vec<CustomerSummary>> {
    state.with(|s| s.search_customers(&query, limit))
}

/// A page of search results with the total, for the customer list.
#[tauri::command]
pub fn search_customers_page(
    state: State<'_, AppState>,
    query: String,
    offset: usize,
    limit: usize,
) -> Reply<SearchPage> {
    state.with(|s| s.search_customers_page(&query, offset, limit))
}

#[tauri::command]
pub fn get_customer(state: State<'_, AppState>, id: CustomerId) -> Reply<Customer> {
    state.with(|s| s.get_customer(&id))
}

#[tauri::command]
pub fn open_customer(state: State<'_, AppState>, id: CustomerId) -> Reply<CustomerDetail> {
    state.with(|s| s.open_customer(&id, FIRST_TIMELINE_PAGE))
}

#[tauri::command]
pub fn create_customer(
    state: State<'_, AppState>,
    input: CustomerInput,
    allow_duplicates: bool,
) -> Reply<SaveOutcome> {
    state.with(|s| s.create_customer(&input, allow_duplicates, system_now()))
}

#[tauri::command]
pub fn update_customer(
    state: State<'_, AppState>,
    id: CustomerId,
    input: CustomerInput,
    allow_duplicates: bool,
    base: Option<CustomerInput>,
) -> Reply<SaveOutcome> {
    // With `base` (what the form was opened on), only the fields the salesperson changed are
    // written; without it, the input replaces the record.
    state.with(|s| match &base {
        Some(base) => s.update_customer_from(&id, base, &input, allow_duplicates, system_now()),
        None => s.update_customer(&id, &input, allow_duplicates, system_now()),
    })
}

#[tauri::command]
pub fn delete_customer(state: State<'_, AppState>, id: CustomerId) -> Reply<()> {
    state.with(|s| s.delete_customer(&id, system_now()))
}

#[tauri::command]
pub fn restore_customer(state: State<'_, AppState>, id: CustomerId) -> Reply<Customer> {
    state.with(|s| s.restore_customer(&id, system_now()))
}

#[tauri::command]
pub fn list_tags(state: State<'_, AppState>) -> Reply<Vec<Tag>> {
    state.with(|s| s.list_tags())
}

#[tauri::command]
pub fn add_note(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    body: String,
    pinned: bool,
) -> Reply<Note> {
    state.with(|s| s.add_note(&customer_id, &body, pinned, system_now()))
}

#[tauri::command]
pub fn delete_note(state: State<'_, AppState>, id: NoteId) -> Reply<()> {
    state.with(|s| s.delete_note(&id))
}

#[tauri::command]
pub fn log_interaction(state: State<'_, AppState>, input: InteractionInput) -> Reply<Interaction> {
    state.with(|s| s.log_interaction(&input, system_now()))
}

#[tauri::command]
pub fn update_interaction(
    state: State<'_, AppState>,
    id: InteractionId,
    input: InteractionInput,
) -> Reply<Interaction> {
    state.with(|s| s.update_interaction(&id, &input, system_now()))
}

#[tauri::command]
pub fn delete_interaction(state: State<'_, AppState>, id: InteractionId) -> Reply<()> {
    state.with(|s| s.delete_interaction(&id))
}

#[tauri::command]
pub fn timeline(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    offset: i64,
    limit: i64,
) -> Reply<Page<Interaction>> {
    state.with(|s| s.timeline(&customer_id, offset, limit))
}

#[tauri::command]
pub fn create_task(state: State<'_, AppState>, input: TaskInput) -> Reply<Task> {
    state.with(|s| s.create_task(&input, system_now()))
}

#[tauri::command]
pub fn complete_task(state: State<'_, AppState>, id: TaskId) -> Reply<Task> {
    state.with(|s| s.complete_task(&id, system_now()))
}

#[tauri::command]
pub fn skip_task(state: State<'_, AppState>, id: TaskId) -> Reply<Task> {
    state.with(|s| s.skip_task(&id, system_now()))
}

#[tauri::command]
pub fn reopen_task(state: State<'_, AppState>, id: TaskId) -> Reply<Task> {
    state.with(|s| s.reopen_task(&id, system_now()))
}

#[tauri::command]
pub fn reschedule_task(state: State<'_, AppState>, id: TaskId, due_at: UtcMillis) -> Reply<Task> {
    state.with(|s| s.reschedule_task(&id, due_at, system_now()))
}

#[tauri::command]
pub fn customer_tasks(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    include_closed: bool,
) -> Reply<Vec<Task>> {
    state.with(|s| s.customer_tasks(&customer_id, include_closed))
}

#[tauri::command]
pub fn today(state: State<'_, AppState>, limit: Option<i64>) -> Reply<TodayView> {
    let limit = limit.unwrap_or(tend_core::crm::tasks::TODAY_SECTION_LIMIT);
    state.with(|s| s.today(&s.today_bounds(system_now()), limit))
}

#[tauri::command]
pub fn load_sample_data(state: State<'_, AppState>) -> Reply<LoadReport> {
    state.with(|s| {
        let report = s.load_sample_json(SAMPLE_DATA, system_now())?;
        // Sample customers come with something to send them, if the folder has nothing yet.
        s.add_starter_content(system_now())?;
        Ok(report)
    })
}
