//! Commands for Zalo users the OA heard from: the unknown contacts, linking one to a customer,
//! dismissing one, and reading the OA's conversations now.

use tauri::State;

use tend_core::base::ids::CustomerId;
use tend_core::base::time::system_now;
use tend_core::messaging::zalo::contacts::ZaloContact;
use tend_core::ErrorPayload;

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
