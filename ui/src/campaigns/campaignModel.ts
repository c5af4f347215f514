// The campaign form's model and the words for a campaign's state, kept free of Svelte so they
// can be unit tested.
import type { Campaign } from '../lib/bindings/Campaign';
import type { CampaignInput } from '../lib/bindings/CampaignInput';
import type { CampaignProgress } from '../lib/bindings/CampaignProgress';
import type { CampaignStatus } from '../lib/bindings/CampaignStatus';
import type { ConsentChannel } from '../lib/bindings/ConsentChannel';
import type { RecipientOutcome } from '../lib/bindings/RecipientOutcome';
import type { RecipientPreview } from '../lib/bindings/RecipientPreview';
import type { Repeat } from '../lib/bindings/Repeat';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { SkipReason } from '../lib/bindings/SkipReason';
import { formatDate, formatDateTime, fromDateTimeInputValue, localDateAt, toDateInputValue, toDateTimeInputValue } from '../lib/format';
import { translate, type Lang, type MessageKey } from '../lib/i18n';
import { isAssisted } from '../messaging/channels';
import { minutesToTime, timeToMinutes } from '../scenarios/scenarioModel';

/**
 * The channels a campaign may use, in the order the form offers them. The personal ones are not
 * sent by Tend: they become a worklist in Today for the salesperson to send from their own app.
 */
export const CAMPAIGN_CHANNELS: readonly SendChannel[] = [
  'telegram',
  'zalo_auto',
  'zalo_template',
  'zalo_oa',
  'email',
  'zalo_personal',
  'telegram_personal',
];

/** How the form names a channel: the personal ones say who sends them. */
export const CAMPAIGN_CHANNEL_LABELS: Record<SendChannel, MessageKey> = {
  telegram: 'channel.telegram',
  zalo_auto: 'channel.zalo_auto',
  zalo_template: 'channel.zalo_template',
  zalo_oa: 'channel.zalo_oa',
  email: 'channel.email',
  zalo_personal: 'step.channel.zalo_personal',
  telegram_personal: 'step.channel.telegram_personal',
};

export const REPEATS: readonly Repeat[] = ['once', 'daily', 'weekly', 'monthly'];

export const STATUS_LABELS: Record<CampaignStatus, MessageKey> = {
  draft: 'campaigns.status.draft',
  scheduled: 'campaigns.status.scheduled',
  running: 'campaigns.status.running',
  paused: 'campaigns.status.paused',
  done: 'campaigns.status.done',
  cancelled: 'campaigns.status.cancelled',
};

export const SKIP_REASONS: readonly SkipReason[] = [
  'no_channel',
  'missing_value',
  'too_long',
  'do_not_contact',
  'consent_withdrawn',
  'no_consent',
  'frequency_cap',
  'deleted',
  'error',
  'expired',
];

export const SKIP_LABELS: Record<SkipReason, MessageKey> = {
  no_channel: 'campaigns.skip.no_channel',
  missing_value: 'campaigns.skip.missing_value',
  too_long: 'campaigns.skip.too_long',
  do_not_contact: 'campaigns.skip.do_not_contact',
  consent_withdrawn: 'campaigns.skip.consent_withdrawn',
  no_consent: 'campaigns.skip.no_consent',
  frequency_cap: 'campaigns.skip.frequency_cap',
  deleted: 'campaigns.skip.deleted',
  error: 'campaigns.skip.error',
  expired: 'campaigns.skip.expired',
};

export const OUTCOMES: readonly RecipientOutcome[] = [
  'sent',
  'queued',
  'sending',
  'waiting',
  'failed',
  'needs_manual',
  'skipped',
  'cancelled',
  'pending',
];

export const OUTCOME_LABELS: Record<RecipientOutcome, MessageKey> = {
  queued: 'campaigns.outcome.queued',
  sending: 'campaigns.outcome.sending',
  sent: 'campaigns.outcome.sent',
  failed: 'campaigns.outcome.failed',
  needs_manual: 'campaigns.outcome.needs_manual',
  cancelled: 'campaigns.outcome.cancelled',
  waiting: 'campaigns.outcome.waiting',
  skipped: 'campaigns.outcome.skipped',
  pending: 'campaigns.outcome.pending',
};

/** How the consent channels read, for a skip's detail naming one. */
const CONSENT_CHANNEL_LABELS: Record<ConsentChannel, MessageKey> = {
  telegram: 'consent.channel.telegram',
  zalo: 'consent.channel.zalo',
  email: 'consent.channel.email',
  all: 'consent.channel.all',
};

/** A list of template variables, `{{customer.company}}, {{me.name}}`. */
const VARIABLES = /^\{\{[^{}]+\}\}(, \{\{[^{}]+\}\})*$/;

/**
 * How a skipped recipient's `detail` (English, from the backend) shows: a channel code by the
 * channel's name, the missing `{{variables}}` as they are, anything else folded away as technical
 * details.
 */
export type SkipDetail =
  | { kind: 'channel'; key: MessageKey }
  | { kind: 'variables'; text: string }
  | { kind: 'technical'; text: string };

export function skipDetail(reason: SkipReason | null, detail: string | null): SkipDetail | null {
  if (detail === null || detail.trim() === '') return null;
  const has = (labels: object) => Object.prototype.hasOwnProperty.call(labels, detail);
  if (has(CAMPAIGN_CHANNEL_LABELS)) return { kind: 'channel', key: CAMPAIGN_CHANNEL_LABELS[detail as SendChannel] };
  if (has(CONSENT_CHANNEL_LABELS)) return { kind: 'channel', key: CONSENT_CHANNEL_LABELS[detail as ConsentChannel] };
  if (reason === 'missing_value' && VARIABLES.test(detail)) return { kind: 'variables', text: detail };
  return { kind: 'technical', text: detail };
}

/** Monday first; bit `1 << index` of `weekdays`. */
export const WEEKDAY_KEYS: readonly MessageKey[] = [
  'weekday.mon',
  'weekday.tue',
  'weekday.wed',
  'weekday.thu',
  'weekday.fri',
  'weekday.sat',
  'weekday.sun',
];

export function hasWeekday(mask: number, index: number): boolean {
  return (mask & (1 << index)) !== 0;
}

export function toggleWeekday(mask: number, index: number): number {
  return mask ^ (1 << index);
}

// Times of day read and written as the scenario builder's send window does.
export { minutesToTime, timeToMinutes };

// ---------------------------------------------------------------------------------------------
// The form

export type ChannelRow = { key: number; channel: SendChannel; template_id: string };

export type CampaignForm = {
  name: string;
  segment_id: string;
  channels: ChannelRow[];
  repeat: Repeat;
  /** A one-off campaign: sent when started, or at `startAt`. */
  onceAt: boolean;
  /** `<input type="datetime-local">` value. */
  startAt: string;
  /** A recurring campaign's first day, `<input type="date">` value; empty: from today. */
  firstDay: string;
  /** `<input type="time">` value. */
  time: string;
  weekdays: number;
  monthDay: number;
  windowEnabled: boolean;
  windowStart: string;
  windowEnd: string;
  requireConsent: boolean;
};

let nextKey = 1;

export function newChannelRow(channel: SendChannel = 'telegram'): ChannelRow {
  return { key: nextKey++, channel, template_id: '' };
}

/** The first channel not in the list yet, so a new row does not repeat one. */
export function nextFreeChannel(rows: ChannelRow[]): SendChannel {
  return CAMPAIGN_CHANNELS.find((channel) => !rows.some((row) => row.channel === channel)) ?? 'telegram';
}

/** Monday to Friday. */
const WORKDAYS = 0b0011111;

export function emptyCampaignForm(segmentId = ''): CampaignForm {
  return {
    name: '',
    segment_id: segmentId,
    channels: [newChannelRow('telegram')],
    repeat: 'once',
    onceAt: false,
    startAt: '',
    firstDay: '',
    time: '09:00',
    weekdays: WORKDAYS,
    monthDay: 1,
    windowEnabled: false,
    windowStart: '08:00',
    windowEnd: '20:00',
    requireConsent: false,
  };
}

export function campaignFormFrom(campaign: Campaign): CampaignForm {
  const once = campaign.repeat === 'once';
  const empty = emptyCampaignForm(campaign.segment_id ?? '');
  return {
    ...empty,
    name: campaign.name,
    channels: campaign.channels.map((c) => ({ key: nextKey++, channel: c.channel, template_id: c.template_id })),
    repeat: campaign.repeat,
    onceAt: once && campaign.start_at !== null,
    startAt: once && campaign.start_at !== null ? toDateTimeInputValue(campaign.start_at) : '',
    firstDay: !once && campaign.start_at !== null ? toDateInputValue(campaign.start_at) : '',
    time: campaign.time_min !== null ? minutesToTime(campaign.time_min) : empty.time,
    weekdays: campaign.weekdays ?? empty.weekdays,
    monthDay: campaign.month_day ?? empty.monthDay,
    windowEnabled: campaign.window_start_min !== null && campaign.window_end_min !== null,
    windowStart: campaign.window_start_min !== null ? minutesToTime(campaign.window_start_min) : empty.windowStart,
    windowEnd: campaign.window_end_min !== null ? minutesToTime(campaign.window_end_min) : empty.windowEnd,
    requireConsent: campaign.require_consent,
  };
}

/** A problem the form finds before asking the backend, worded by its key. */
export type FormProblem = { field: 'channels' | 'start_at' | 'time' | 'window'; key: MessageKey };

/** What the form can tell is missing without the backend (the backend checks the rest). */
export function formProblem(form: CampaignForm): FormProblem | null {
  if (form.channels.some((row) => row.template_id === '')) {
    return { field: 'channels', key: 'campaigns.form.templateMissing' };
  }
  if (form.repeat === 'once' && form.onceAt && fromDateTimeInputValue(form.startAt) === null) {
    return { field: 'start_at', key: 'campaigns.form.startAtMissing' };
  }
  if (form.repeat !== 'once' && timeToMinutes(form.time) === null) {
    return { field: 'time', key: 'campaigns.form.timeMissing' };
  }
  if (form.windowEnabled && (timeToMinutes(form.windowStart) === null || timeToMinutes(form.windowEnd) === null)) {
    return { field: 'window', key: 'campaigns.form.windowMissing' };
  }
  return null;
}

export function toCampaignInput(form: CampaignForm): CampaignInput {
  const once = form.repeat === 'once';
  const windowStart = form.windowEnabled ? timeToMinutes(form.windowStart) : null;
  const windowEndRaw = form.windowEnabled ? timeToMinutes(form.windowEnd) : null;
  return {
    name: form.name.trim(),
    segment_id: form.segment_id === '' ? null : form.segment_id,
    channels: form.channels.map((row) => ({ channel: row.channel, template_id: row.template_id })),
    repeat: form.repeat,
    start_at: once
      ? form.onceAt
        ? fromDateTimeInputValue(form.startAt)
        : null
      : form.firstDay
        ? localDateAt(form.firstDay, 0)
        : null,
    time_min: once ? null : timeToMinutes(form.time),
    weekdays: form.repeat === 'weekly' ? form.weekdays : null,
    month_day: form.repeat === 'monthly' ? Number(form.monthDay) : null,
    window_start_min: windowStart,
    // A window closing at midnight closes at the end of the day.
    window_end_min: windowEndRaw === 0 ? 1440 : windowEndRaw,
    require_consent: form.requireConsent,
  };
}

// ---------------------------------------------------------------------------------------------
// Words

type ScheduleFields = Pick<
  Campaign,
  'repeat' | 'start_at' | 'time_min' | 'weekdays' | 'month_day' | 'window_start_min' | 'window_end_min'
>;

/** "Hằng tuần T2, T4 lúc 09:00 (gửi trong 08:00–20:00)", the way the schedule reads. */
export function scheduleText(lang: Lang, c: ScheduleFields): string {
  const time = minutesToTime(c.time_min ?? 9 * 60);
  let text: string;
  switch (c.repeat) {
    case 'once':
      text =
        c.start_at === null
          ? translate(lang, 'campaigns.schedule.onceNow')
          : translate(lang, 'campaigns.schedule.onceAt', { when: formatDateTime(c.start_at) });
      break;
    case 'daily':
      text = translate(lang, 'campaigns.schedule.daily', { time });
      break;
    case 'weekly': {
      const mask = c.weekdays ?? 0x7f;
      const days = WEEKDAY_KEYS.filter((_, i) => hasWeekday(mask, i))
        .map((key) => translate(lang, key))
        .join(', ');
      text = translate(lang, 'campaigns.schedule.weekly', { days, time });
      break;
    }
    case 'monthly':
      text = translate(lang, 'campaigns.schedule.monthly', { day: c.month_day ?? 1, time });
      break;
  }
  if (c.repeat !== 'once' && c.start_at !== null) {
    text += ` ${translate(lang, 'campaigns.schedule.from', { date: formatDate(c.start_at) })}`;
  }
  if (c.window_start_min !== null && c.window_end_min !== null) {
    // A window closing at the end of the day reads 24:00, not 00:00.
    const end = c.window_end_min >= 1440 ? '24:00' : minutesToTime(c.window_end_min);
    const window = `${minutesToTime(c.window_start_min)}–${end}`;
    text += ` ${translate(lang, 'campaigns.schedule.window', { window })}`;
  }
  return text;
}

/** "120 tin qua Telegram (bot), 5 tin bạn tự gửi qua Zalo cá nhân": what a start would send. */
export function sendingText(lang: Lang, preview: RecipientPreview): string {
  return preview.by_channel
    .map((c) =>
      translate(lang, isAssisted(c.channel) ? 'campaigns.start.partAssisted' : 'campaigns.start.part', {
        count: c.count,
        channel: translate(lang, `channel.${c.channel}` as MessageKey),
      }),
    )
    .join(', ');
}

/** The first question before a start: what goes out and what is skipped. */
export function startQuestion(lang: Lang, preview: RecipientPreview): string {
  if (preview.sending + preview.assisted === 0) {
    return translate(lang, 'campaigns.start.confirmNothing', { skipped: preview.skipped });
  }
  return translate(lang, 'campaigns.start.confirm', { parts: sendingText(lang, preview), skipped: preview.skipped });
}

/** Messages of a run not yet handed to the outbox, and those the outbox still holds. */
export function stillQueued(progress: CampaignProgress): number {
  return progress.queued + progress.pending;
}

/**
 * Whether the campaign's numbers are moving right now: it is running, its latest run is still
 * queuing, or the outbox still holds its messages. A scheduled campaign waiting for its next run
 * is not (the data-changed event tells when the worker runs it), nor are a paused or cancelled
 * campaign's held messages.
 */
export function isBusy(status: CampaignStatus, progress: CampaignProgress | null): boolean {
  if (status === 'running') return true;
  if (status === 'paused' || status === 'cancelled' || progress === null) return false;
  return progress.run?.status === 'enqueuing' || stillQueued(progress) > 0;
}

/** Share of a run's recipients already settled (sent, failed, skipped…), 0 to 1. */
export function settledShare(progress: CampaignProgress): number {
  if (progress.total <= 0) return 0;
  return Math.min(1, Math.max(0, (progress.total - stillQueued(progress)) / progress.total));
}
