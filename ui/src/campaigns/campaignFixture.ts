// Data shared by the campaign screen's tests.
import type { Campaign } from '../lib/bindings/Campaign';
import type { CampaignProgress } from '../lib/bindings/CampaignProgress';
import type { CampaignReport } from '../lib/bindings/CampaignReport';
import type { RecipientPreview } from '../lib/bindings/RecipientPreview';
import type { SegmentSummary } from '../lib/bindings/SegmentSummary';
import type { Template } from '../lib/bindings/Template';
import type { TemplateChannel } from '../lib/bindings/TemplateChannel';

export function template(id: string, name: string, channel: TemplateChannel): Template {
  return {
    id,
    name,
    description: null,
    channel,
    category: 'other',
    subject: channel === 'email' ? 'Chào {{customer.name}}' : null,
    body: 'Chào {{customer.name}}',
    usage_count: 0,
    last_used_at: null,
    created_at: 0,
    updated_at: 0,
    zalo_template_id: null,
    zalo_params: null,
  };
}

export const templates: Template[] = [
  template('t-tg', 'Chúc mừng (Telegram)', 'telegram'),
  template('t-email', 'Thư tri ân', 'email'),
  template('t-any', 'Lời chào chung', 'any'),
  template('t-zalo', 'Tin Zalo', 'zalo'),
];

export const segmentSummary: SegmentSummary = {
  segment: {
    id: 'sg1',
    name: 'VIP lâu chưa liên hệ',
    definition: {
      match: 'all',
      criteria: [
        { field: 'tag', op: 'has', value: null, values: ['tag-vip'], to: null },
        { field: 'no_contact_days', op: 'within', value: '30', values: [], to: null },
      ],
      groups: [],
    },
    created_at: 0,
    updated_at: 0,
  },
  count: 128,
};

export const campaign: Campaign = {
  id: 'c1',
  name: 'Tri ân khách VIP',
  segment_id: 'sg1',
  segment_name: 'VIP lâu chưa liên hệ',
  channels: [{ channel: 'telegram', template_id: 't-tg' }],
  repeat: 'once',
  start_at: null,
  time_min: null,
  weekdays: null,
  month_day: null,
  window_start_min: null,
  window_end_min: null,
  require_consent: false,
  status: 'draft',
  next_run_at: null,
  last_error: null,
  created_at: 0,
  updated_at: 0,
};

export const preview: RecipientPreview = {
  total: 125,
  sending: 120,
  assisted: 2,
  by_channel: [
    { channel: 'telegram', count: 120 },
    { channel: 'zalo_personal', count: 2 },
  ],
  skipped: 3,
  skipped_by_reason: [
    { reason: 'no_channel', count: 2 },
    { reason: 'missing_value', count: 1 },
  ],
  large: false,
  large_threshold: 500,
};

export const run = {
  id: 'run1',
  campaign_id: 'c1',
  run_key: 'once',
  status: 'enqueued' as const,
  started_at: new Date(2025, 5, 2, 9, 0).getTime(),
  enqueued_at: new Date(2025, 5, 2, 9, 0).getTime(),
};

export const progress: CampaignProgress = {
  run,
  total: 125,
  queued: 10,
  sent: 100,
  failed: 2,
  skipped: 3,
  waiting: 2,
  needs_manual: 1,
  cancelled: 0,
  pending: 7,
  replied: 12,
};

export const report: CampaignReport = {
  campaign: { ...campaign, status: 'done' },
  progress,
  by_channel: [{ channel: 'telegram', queued: 10, sent: 100, failed: 2, waiting: 0, other: 1, replied: 12 }],
  skipped_by_reason: [{ reason: 'no_channel', count: 3 }],
  runs: [run],
};
