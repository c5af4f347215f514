import type { Campaign } from '../bindings/Campaign';
import type { CampaignInput } from '../bindings/CampaignInput';
import type { CampaignPreviewRow } from '../bindings/CampaignPreviewRow';
import type { CampaignProgress } from '../bindings/CampaignProgress';
import type { CampaignReport } from '../bindings/CampaignReport';
import type { CampaignSummary } from '../bindings/CampaignSummary';
import type { ConsentInput } from '../bindings/ConsentInput';
import type { CustomerConsent } from '../bindings/CustomerConsent';
import type { CustomerSummary } from '../bindings/CustomerSummary';
import type { EnrollReport } from '../bindings/EnrollReport';
import type { FrequencyCap } from '../bindings/FrequencyCap';
import type { PreviewQuery } from '../bindings/PreviewQuery';
import type { RecipientPreview } from '../bindings/RecipientPreview';
import type { RecipientQuery } from '../bindings/RecipientQuery';
import type { RecipientRow } from '../bindings/RecipientRow';
import type { Segment } from '../bindings/Segment';
import type { SegmentDefinition } from '../bindings/SegmentDefinition';
import type { SegmentInput } from '../bindings/SegmentInput';
import type { SegmentListQuery } from '../bindings/SegmentListQuery';
import type { SegmentSummary } from '../bindings/SegmentSummary';
import { call } from './call';

type Page<T> = { items: T[]; total: number };

export interface CampaignsBackend {
  /** Every segment with how many live customers match it now, by name. */
  listSegments(): Promise<SegmentSummary[]>;
  getSegment(id: string): Promise<Segment>;
  /**
   * Creates (`id` null) or replaces a segment. Rejects with `segment.name_missing`,
   * `segment.too_many_criteria` or a criterion's problem (`segment.value_missing`,
   * `segment.days_invalid`, `segment.date_invalid`, `segment.op_invalid`,
   * `segment.value_invalid`; params `criterion` (1-based) and `field`).
   */
  saveSegment(id: string | null, input: SegmentInput): Promise<Segment>;
  deleteSegment(id: string): Promise<null>;
  /** How many live customers match criteria being edited (same rejections as saving). */
  countSegment(definition: SegmentDefinition): Promise<number>;
  /** A page of a segment's customers (a saved one by id, or criteria being edited). */
  segmentCustomers(query: SegmentListQuery): Promise<Page<CustomerSummary>>;
  /** Adds (or removes) a tag on everyone in the segment now; answers how many changed. */
  tagSegment(segmentId: string, tag: string, add: boolean): Promise<number>;
  /** Enrols everyone in the segment now in a scenario. */
  enrollSegment(scenarioId: string, segmentId: string): Promise<EnrollReport>;

  /** A customer's consent per channel and its history, with "do not contact". */
  customerConsent(customerId: string): Promise<CustomerConsent>;
  /** Records consent given or withdrawn (channel `all`: sets or clears "do not contact"). */
  recordConsent(input: ConsentInput): Promise<CustomerConsent>;
  /** Records a customer's "STOP" message as the withdrawal of consent on its channel. */
  withdrawConsentFromMessage(interactionId: string): Promise<CustomerConsent>;
  /** At most N automated messages per customer per 7 days (0: no limit). */
  frequencyCap(): Promise<FrequencyCap>;
  /** Rejects with `frequency_cap.out_of_range`. */
  setFrequencyCap(cap: FrequencyCap): Promise<FrequencyCap>;

  /** Every campaign, newest first, with its latest run's numbers. */
  listCampaigns(): Promise<CampaignSummary[]>;
  getCampaign(id: string): Promise<Campaign>;
  /**
   * Creates (`id` null) or edits a campaign. Rejects with `campaign.name_missing`,
   * `campaign.channels_missing`, `campaign.channel_twice`, `send.template_wrong_channel`,
   * `campaign.window_invalid`, `campaign.weekdays_missing`, `campaign.month_day_invalid`,
   * `campaign.time_invalid`, `campaign.cancelled`.
   */
  saveCampaign(id: string | null, input: CampaignInput): Promise<Campaign>;
  /** Only a campaign that never ran; else rejects with `campaign.has_runs`. */
  deleteCampaign(id: string): Promise<null>;
  /**
   * Schedules the campaign's first run (a one-off without a time: now); the messages are queued
   * in the background and `campaignProgress` shows them arrive. Starting a one-off campaign
   * that ran again takes up the same run and sends nothing to anyone it reached. Rejects with
   * `campaign.segment_missing`, `send.my_details_missing`, `campaign.cancelled`.
   */
  startCampaign(id: string): Promise<Campaign>;
  /** Holds the queued messages and stops new runs. */
  pauseCampaign(id: string): Promise<Campaign>;
  resumeCampaign(id: string): Promise<Campaign>;
  /** Withdraws what is still queued; no run starts again. */
  cancelCampaign(id: string): Promise<Campaign>;
  /** Who the campaign would reach if it started now (counts by channel and skip reason). */
  campaignPreview(id: string): Promise<RecipientPreview>;
  /** A page of the preview: one channel's customers, or the skipped ones (for one reason). */
  campaignPreviewRows(id: string, query: PreviewQuery): Promise<Page<CampaignPreviewRow>>;
  /** A run's live numbers (`runId` null: the latest). */
  campaignProgress(id: string, runId: string | null): Promise<CampaignProgress>;
  /** A run's report: numbers, by channel, skips by reason, every run. */
  campaignReport(id: string, runId: string | null): Promise<CampaignReport>;
  /** A page of a run's recipients by name, optionally of one outcome. */
  campaignRecipients(id: string, query: RecipientQuery): Promise<Page<RecipientRow>>;
}

export const tauriCampaigns: CampaignsBackend = {
  listSegments: () => call('list_segments', {}),
  getSegment: (id) => call('get_segment', { id }),
  saveSegment: (id, input) => call('save_segment', { id, input }),
  deleteSegment: (id) => call('delete_segment', { id }),
  countSegment: (definition) => call('count_segment', { definition }),
  segmentCustomers: (query) => call('segment_customers', { query }),
  tagSegment: (segmentId, tag, add) => call('tag_segment', { segmentId, tag, add }),
  enrollSegment: (scenarioId, segmentId) => call('enroll_segment', { scenarioId, segmentId }),

  customerConsent: (customerId) => call('customer_consent', { customerId }),
  recordConsent: (input) => call('record_consent', { input }),
  withdrawConsentFromMessage: (interactionId) => call('withdraw_consent_from_message', { interactionId }),
  frequencyCap: () => call('frequency_cap', {}),
  setFrequencyCap: (cap) => call('set_frequency_cap', { cap }),

  listCampaigns: () => call('list_campaigns', {}),
  getCampaign: (id) => call('get_campaign', { id }),
  saveCampaign: (id, input) => call('save_campaign', { id, input }),
  deleteCampaign: (id) => call('delete_campaign', { id }),
  startCampaign: (id) => call('start_campaign', { id }),
  pauseCampaign: (id) => call('pause_campaign', { id }),
  resumeCampaign: (id) => call('resume_campaign', { id }),
  cancelCampaign: (id) => call('cancel_campaign', { id }),
  campaignPreview: (id) => call('campaign_preview', { id }),
  campaignPreviewRows: (id, query) => call('campaign_preview_rows', { id, query }),
  campaignProgress: (id, runId) => call('campaign_progress', { id, runId }),
  campaignReport: (id, runId) => call('campaign_report', { id, runId }),
  campaignRecipients: (id, query) => call('campaign_recipients', { id, query }),
};
