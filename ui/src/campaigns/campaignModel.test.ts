import { describe, expect, it } from 'vitest';
import type { Campaign } from '../lib/bindings/Campaign';
import type { RecipientPreview } from '../lib/bindings/RecipientPreview';
import {
  campaignFormFrom,
  emptyCampaignForm,
  formProblem,
  isBusy,
  nextFreeChannel,
  scheduleText,
  skipDetail,
  startQuestion,
  toCampaignInput,
} from './campaignModel';

const campaign: Campaign = {
  id: 'c1',
  name: 'Tri ân',
  segment_id: 'sg1',
  segment_name: 'VIP',
  channels: [
    { channel: 'zalo_auto', template_id: 'tz' },
    { channel: 'email', template_id: 'te' },
  ],
  repeat: 'weekly',
  start_at: new Date(2025, 5, 2, 0, 0).getTime(),
  time_min: 9 * 60 + 30,
  weekdays: 1 | 4,
  month_day: null,
  window_start_min: 8 * 60,
  window_end_min: 1440,
  require_consent: true,
  status: 'draft',
  next_run_at: null,
  last_error: null,
  created_at: 0,
  updated_at: 0,
};

const preview: RecipientPreview = {
  total: 130,
  sending: 120,
  assisted: 7,
  by_channel: [
    { channel: 'telegram', count: 120 },
    { channel: 'zalo_personal', count: 7 },
  ],
  skipped: 3,
  skipped_by_reason: [{ reason: 'no_channel', count: 3 }],
  large: false,
  large_threshold: 500,
};

describe('campaign form model', () => {
  it('starts a new form with one Telegram row, sent once when started', () => {
    const form = emptyCampaignForm('sg1');
    expect(form.channels.map((c) => c.channel)).toEqual(['telegram']);
    expect(toCampaignInput(form)).toMatchObject({
      segment_id: 'sg1',
      repeat: 'once',
      start_at: null,
      time_min: null,
      weekdays: null,
      month_day: null,
      window_start_min: null,
      window_end_min: null,
    });
  });

  it('sends only the fields of the chosen schedule', () => {
    const form = emptyCampaignForm();
    form.repeat = 'monthly';
    form.monthDay = 15;
    form.time = '18:45';
    form.firstDay = '2025-07-01';
    expect(toCampaignInput(form)).toMatchObject({
      repeat: 'monthly',
      month_day: 15,
      weekdays: null,
      time_min: 18 * 60 + 45,
      start_at: new Date(2025, 6, 1).getTime(),
    });
    form.repeat = 'once';
    form.onceAt = true;
    form.startAt = '2025-07-02T14:05';
    expect(toCampaignInput(form)).toMatchObject({ start_at: new Date(2025, 6, 2, 14, 5).getTime(), time_min: null, month_day: null });
  });

  it('reads a campaign back into the input it came from', () => {
    expect(toCampaignInput(campaignFormFrom(campaign))).toEqual({
      name: 'Tri ân',
      segment_id: 'sg1',
      channels: campaign.channels,
      repeat: 'weekly',
      start_at: campaign.start_at,
      time_min: 570,
      weekdays: 5,
      month_day: null,
      window_start_min: 480,
      window_end_min: 1440,
      require_consent: true,
    });
  });

  it('finds what it can tell is missing before asking the backend', () => {
    const form = emptyCampaignForm();
    expect(formProblem(form)?.key).toBe('campaigns.form.templateMissing');
    form.channels[0].template_id = 't1';
    expect(formProblem(form)).toBeNull();
    form.onceAt = true;
    expect(formProblem(form)?.field).toBe('start_at');
  });

  it('adds a channel not in the list yet', () => {
    const form = emptyCampaignForm();
    expect(nextFreeChannel(form.channels)).toBe('zalo_auto');
  });
});

describe('campaign words', () => {
  it('reads the schedule the way a Vietnamese calendar does', () => {
    expect(scheduleText('vi', campaign)).toBe('Hằng tuần vào T2, T4 lúc 09:30 từ ngày 02/06/2025 (chỉ gửi trong 08:00–24:00)');
    expect(scheduleText('en', { ...campaign, repeat: 'once', start_at: null, window_start_min: null })).toBe(
      'Sent once, as soon as it is started',
    );
  });

  it('asks before a start with what goes out and what is skipped', () => {
    expect(startQuestion('vi', preview)).toBe(
      'Gửi 120 tin qua Telegram (bot), 7 tin qua Zalo cá nhân để bạn tự gửi, bỏ qua 3. Bắt đầu?',
    );
    expect(startQuestion('en', { ...preview, sending: 0, assisted: 0, by_channel: [] })).toBe(
      'Nobody to send to (3 skipped). Start anyway?',
    );
  });

  it('is busy only while something moves: running, a run queuing, or messages in the outbox', () => {
    const run = { id: 'r1', campaign_id: 'c1', run_key: 'once', status: 'enqueued' as const, started_at: 0, enqueued_at: 0 };
    const quiet = { run, total: 3, queued: 0, sent: 3, failed: 0, skipped: 0, waiting: 0, needs_manual: 0, cancelled: 0, pending: 0, replied: 0 };
    const queuing = { ...quiet, run: { ...run, status: 'enqueuing' as const, enqueued_at: null } };
    expect(isBusy('running', null)).toBe(true);
    expect(isBusy('done', quiet)).toBe(false);
    expect(isBusy('done', { ...quiet, queued: 1 })).toBe(true);
    expect(isBusy('done', { ...quiet, pending: 2 })).toBe(true);
    // A recurring campaign waiting for its next run: the data-changed event says when it runs.
    expect(isBusy('scheduled', quiet)).toBe(false);
    expect(isBusy('scheduled', null)).toBe(false);
    expect(isBusy('scheduled', { ...quiet, queued: 4 })).toBe(true);
    expect(isBusy('scheduled', queuing)).toBe(true);
    // Held while paused, withdrawn when cancelled: nothing moves by itself.
    expect(isBusy('paused', { ...quiet, queued: 4 })).toBe(false);
    expect(isBusy('paused', queuing)).toBe(false);
    expect(isBusy('paused', null)).toBe(false);
    expect(isBusy('cancelled', { ...quiet, pending: 4 })).toBe(false);
  });

  it('shows a skip’s detail by channel name, as missing variables, or folded away', () => {
    expect(skipDetail('consent_withdrawn', 'zalo_auto')).toEqual({ kind: 'channel', key: 'channel.zalo_auto' });
    expect(skipDetail('no_consent', 'zalo_personal')).toEqual({ kind: 'channel', key: 'step.channel.zalo_personal' });
    expect(skipDetail('no_consent', 'zalo')).toEqual({ kind: 'channel', key: 'consent.channel.zalo' });
    expect(skipDetail('missing_value', '{{customer.company}}, {{me.name}}')).toEqual({
      kind: 'variables',
      text: '{{customer.company}}, {{me.name}}',
    });
    expect(skipDetail('missing_value', 'empty message')).toEqual({ kind: 'technical', text: 'empty message' });
    expect(skipDetail('too_long', '1234 characters, at most 1000')).toEqual({
      kind: 'technical',
      text: '1234 characters, at most 1000',
    });
    expect(skipDetail('too_long', '{{customer.company}}')).toEqual({ kind: 'technical', text: '{{customer.company}}' });
    expect(skipDetail('no_channel', null)).toBeNull();
    expect(skipDetail('no_channel', '  ')).toBeNull();
    expect(skipDetail('no_consent', 'toString')).toEqual({ kind: 'technical', text: 'toString' });
  });
});
