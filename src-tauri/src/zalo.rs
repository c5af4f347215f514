//! Commands for Zalo: the users the OA heard from (the unknown contacts, linking, dismissing,
//! reading now), the OA's templates and quota, and the route a message would take.

use tauri::State;

use tend_core::base::ids::{CustomerId, ScenarioId, TagId, TemplateId};
use tend_core::base::time::system_now;
use tend_core::care::plan::ZaloBulkEstimate;
use tend_core::messaging::channels::zalo::ZaloOa;
use tend_core::messaging::outbox::SendChannel;
use tend_core::messaging::zalo::approved::ZaloTemplate;
use tend_core::messaging::zalo::contacts::ZaloContact;
use tend_core::messaging::zalo::mapping::{ParamMap, ParamValue};
use tend_core::messaging::zalo_fetch::{fetch_zalo_quota, fetch_zalo_templates, ZaloQuota};
use tend_core::messaging::zalo_routing::{ClosingWindow, RoutePreview};
use tend_core::{Error, ErrorPayload};

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn list_unknown_zalo_contacts(state: State<'_, AppState>) -> Reply<Vec<ZaloContact>> {
    state.with(|s| s.unknown_zalo_contacts())
}

#[tauri::command]
pub fn link_zalo_contact(
    state: State<'_, AppState>,
    user_id: String,
    customer_id: CustomerId,
) -> Reply<()> {
    state.with(|s| s.link_zalo_contact(&user_id, &customer_id, system_now()))
}

#[tauri::command]
pub fn dismiss_zalo_contact(state: State<'_, AppState>, user_id: String) -> Reply<()> {
    state.with(|s| s.dismiss_zalo_contact(&user_id, system_now()))
}

#[tauri::command]
pub fn read_zalo_now(state: State<'_, AppState>) {
    state.workers.poll_zalo_now();
}

/// The OA's Zalo templates as last fetched.
#[tauri::command]
pub fn zalo_templates(state: State<'_, AppState>) -> Reply<Vec<ZaloTemplate>> {
    state.with(|s| s.zalo_templates())
}

/// Fetches the OA's Zalo templates (on a blocking thread: the network), then stores them.
#[tauri::command]
pub async fn refresh_zalo_templates(state: State<'_, AppState>) -> Reply<Vec<ZaloTemplate>> {
    let oa = zalo_client(&state)?;
    let now = system_now();
    let fetched = tauri::async_runtime::spawn_blocking(move || fetch_zalo_templates(&oa, now))
        .await
        .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?
        .map_err(|e| ErrorPayload::from(&e))?;
    state.with(|s| {
        s.replace_zalo_templates(&fetched, now)?;
        s.zalo_templates()
    })
}

/// The OA's quota of template messages today and the price of one (on a blocking thread).
#[tauri::command]
pub async fn zalo_quota(state: State<'_, AppState>) -> Reply<ZaloQuota> {
    let oa = zalo_client(&state)?;
    let price = state.with(|s| s.zalo_template_price())?;
    let quota = tauri::async_runtime::spawn_blocking(move || fetch_zalo_quota(&oa, price))
        .await
        .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?
        .map_err(|e| ErrorPayload::from(&e))?;
    Ok(quota)
}

/// The route a Zalo message would take now, why, and its cost.
#[tauri::command]
pub fn zalo_route_preview(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    template_id: TemplateId,
    channel: SendChannel,
) -> Reply<RoutePreview> {
    state.with(|s| {
        let now = system_now();
        let today = s.today_text(now);
        s.zalo_route_preview(&customer_id, &template_id, channel, &today, now)
    })
}

/// The Zalo OA client of the current settings, or why there is none.
fn zalo_client(state: &AppState) -> Result<ZaloOa, ErrorPayload> {
    let channels = state.channels()?;
    channels
        .zalo()
        .map_err(|d| ErrorPayload::from(&Error::failed("zalo.not_set_up", d.reason().to_string())))
}

/// Customers whose free-reply or consultation window closes within `hours` (Today).
#[tauri::command]
pub fn zalo_closing_windows(state: State<'_, AppState>, hours: i64) -> Reply<Vec<ClosingWindow>> {
    state.with(|s| s.zalo_closing_windows(system_now(), hours.clamp(1, 168) * 3_600_000))
}

/// A Zalo template's parameters as `params` would fill them for `customer_id`.
#[tauri::command]
pub fn preview_zalo_params(
    state: State<'_, AppState>,
    zalo_template_id: String,
    params: ParamMap,
    customer_id: CustomerId,
) -> Reply<Vec<ParamValue>> {
    state.with(|s| {
        let today = s.today_text(system_now());
        s.preview_zalo_params(&zalo_template_id, &params, &customer_id, &today)
    })
}

/// What enrolling everyone tagged `tag_id` in `scenario_id` would send over Zalo, by route, and
/// its cost.
#[tauri::command]
pub fn zalo_bulk_estimate(
    state: State<'_, AppState>,
    scenario_id: ScenarioId,
    tag_id: TagId,
) -> Reply<ZaloBulkEstimate> {
    state.with(|s| s.zalo_bulk_estimate(&scenario_id, &tag_id, system_now()))
}
