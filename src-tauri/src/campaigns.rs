//! Commands for segments, campaigns, consent and the frequency cap. Runs are not started here:
//! starting a campaign schedules it and wakes the care worker, which queues its messages on its
//! own thread and connection, so the window stays responsive whatever the segment's size.

use tauri::State;

use tend_core::base::ids::{
    CampaignId, CampaignRunId, CustomerId, InteractionId, ScenarioId, SegmentId,
};
use tend_core::base::page::Page;
use tend_core::base::time::system_now;
use tend_core::campaigns::{
    Campaign, CampaignInput, CampaignPreviewRow, CampaignProgress, CampaignReport, CampaignSummary,
    PreviewQuery, RecipientPreview, RecipientQuery, RecipientRow,
};
use tend_core::care::model::EnrollReport;
use tend_core::crm::customers::CustomerSummary;
use tend_core::messaging::consent::{ConsentInput, CustomerConsent};
use tend_core::messaging::frequency::FrequencyCap;
use tend_core::segments::{
    Segment, SegmentDefinition, SegmentInput, SegmentListQuery, SegmentSummary,
};
use tend_core::ErrorPayload;

use crate::imports::off_thread;
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn list_segments(state: State<'_, AppState>) -> Reply<Vec<SegmentSummary>> {
    state.with(|s| s.list_segments(system_now()))
}

#[tauri::command]
pub fn get_segment(state: State<'_, AppState>, id: SegmentId) -> Reply<Segment> {
    state.with(|s| s.get_segment(&id))
}

#[tauri::command]
pub fn save_segment(
    state: State<'_, AppState>,
    id: Option<SegmentId>,
    input: SegmentInput,
) -> Reply<Segment> {
    state.with(|s| s.save_segment(id.as_ref(), &input, system_now()))
}

#[tauri::command]
pub fn delete_segment(state: State<'_, AppState>, id: SegmentId) -> Reply<()> {
    state.with(|s| s.delete_segment(&id))
}

/// The live count of criteria being edited.
#[tauri::command]
pub fn count_segment(state: State<'_, AppState>, definition: SegmentDefinition) -> Reply<i64> {
    state.with(|s| s.count_segment(&definition, system_now()))
}

#[tauri::command]
pub fn segment_customers(
    state: State<'_, AppState>,
    query: SegmentListQuery,
) -> Reply<Page<CustomerSummary>> {
    state.with(|s| s.segment_customers(&query, system_now()))
}

#[tauri::command]
pub fn tag_segment(
    state: State<'_, AppState>,
    segment_id: SegmentId,
    tag: String,
    add: bool,
) -> Reply<i64> {
    state.with(|s| s.tag_segment(&segment_id, &tag, add, system_now()))
}

#[tauri::command]
pub fn enroll_segment(
    state: State<'_, AppState>,
    scenario_id: ScenarioId,
    segment_id: SegmentId,
) -> Reply<EnrollReport> {
    state.with(|s| s.enroll_segment(&scenario_id, &segment_id, system_now()))
}

#[tauri::command]
pub fn customer_consent(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Reply<CustomerConsent> {
    state.with(|s| s.customer_consent(&customer_id))
}

#[tauri::command]
pub fn record_consent(state: State<'_, AppState>, input: ConsentInput) -> Reply<CustomerConsent> {
    state.with(|s| s.record_consent(&input, system_now()))
}

#[tauri::command]
pub fn withdraw_consent_from_message(
    state: State<'_, AppState>,
    interaction_id: InteractionId,
) -> Reply<CustomerConsent> {
    state.with(|s| s.withdraw_consent_from_message(&interaction_id, system_now()))
}

#[tauri::command]
pub fn frequency_cap(state: State<'_, AppState>) -> Reply<FrequencyCap> {
    state.with(|s| s.frequency_cap())
}

#[tauri::command]
pub fn set_frequency_cap(state: State<'_, AppState>, cap: FrequencyCap) -> Reply<FrequencyCap> {
    state.with(|s| s.set_frequency_cap(&cap))
}

#[tauri::command]
pub fn list_campaigns(state: State<'_, AppState>) -> Reply<Vec<CampaignSummary>> {
    state.with(|s| s.list_campaigns())
}

#[tauri::command]
pub fn get_campaign(state: State<'_, AppState>, id: CampaignId) -> Reply<Campaign> {
    state.with(|s| s.get_campaign(&id))
}

#[tauri::command]
pub fn save_campaign(
    state: State<'_, AppState>,
    id: Option<CampaignId>,
    input: CampaignInput,
) -> Reply<Campaign> {
    state.with(|s| s.save_campaign(id.as_ref(), &input, system_now()))
}

#[tauri::command]
pub fn delete_campaign(state: State<'_, AppState>, id: CampaignId) -> Reply<()> {
    state.with(|s| s.delete_campaign(&id))
}

#[tauri::command]
pub fn start_campaign(state: State<'_, AppState>, id: CampaignId) -> Reply<Campaign> {
    state.with(|s| s.start_campaign(&id, system_now()))
}

#[tauri::command]
pub fn pause_campaign(state: State<'_, AppState>, id: CampaignId) -> Reply<Campaign> {
    state.with(|s| s.pause_campaign(&id, system_now()))
}

#[tauri::command]
pub fn resume_campaign(state: State<'_, AppState>, id: CampaignId) -> Reply<Campaign> {
    state.with(|s| s.resume_campaign(&id, system_now()))
}

#[tauri::command]
pub fn cancel_campaign(state: State<'_, AppState>, id: CampaignId) -> Reply<Campaign> {
    state.with(|s| s.cancel_campaign(&id, system_now()))
}

/// Who the campaign would reach now (renders every message: off the window's thread).
#[tauri::command]
pub async fn campaign_preview(
    state: State<'_, AppState>,
    id: CampaignId,
) -> Reply<RecipientPreview> {
    off_thread(&state, move |s| s.campaign_preview(&id, system_now())).await
}

#[tauri::command]
pub async fn campaign_preview_rows(
    state: State<'_, AppState>,
    id: CampaignId,
    query: PreviewQuery,
) -> Reply<Page<CampaignPreviewRow>> {
    off_thread(&state, move |s| {
        s.campaign_preview_rows(&id, &query, system_now())
    })
    .await
}

#[tauri::command]
pub fn campaign_progress(
    state: State<'_, AppState>,
    id: CampaignId,
    run_id: Option<CampaignRunId>,
) -> Reply<CampaignProgress> {
    state.with(|s| s.campaign_progress(&id, run_id.as_ref()))
}

#[tauri::command]
pub fn campaign_report(
    state: State<'_, AppState>,
    id: CampaignId,
    run_id: Option<CampaignRunId>,
) -> Reply<CampaignReport> {
    state.with(|s| s.campaign_report(&id, run_id.as_ref()))
}

#[tauri::command]
pub fn campaign_recipients(
    state: State<'_, AppState>,
    id: CampaignId,
    query: RecipientQuery,
) -> Reply<Page<RecipientRow>> {
    state.with(|s| s.campaign_recipients(&id, &query))
}
