import type { ErrorHint } from '../lib/bindings/ErrorHint';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import type { OutboxStatus } from '../lib/bindings/OutboxStatus';
import { translate, type Lang, type MessageKey } from '../lib/i18n';
import { isAutomatic } from '../messaging/channels';

export const ERROR_HINTS: readonly ErrorHint[] = [
  'use_personal_zalo',
  'use_personal_telegram',
  'check_settings',
  'add_recipient',
  'check_with_customer',
  'offline',
];

/** What the salesperson should do next, worded for a person rather than a log. */
export const HINT_KEYS: Record<ErrorHint, MessageKey> = {
  use_personal_zalo: 'hint.use_personal_zalo',
  use_personal_telegram: 'hint.use_personal_telegram',
  check_settings: 'hint.check_settings',
  add_recipient: 'hint.add_recipient',
  check_with_customer: 'hint.check_with_customer',
  offline: 'hint.offline',
};

/** The button offered beside a hint, for hints that have one. */
export const HINT_ACTION_KEYS: Partial<Record<ErrorHint, MessageKey>> = {
  use_personal_zalo: 'hint.action.use_personal_zalo',
  use_personal_telegram: 'hint.action.use_personal_telegram',
  check_settings: 'hint.action.check_settings',
  add_recipient: 'hint.action.add_recipient',
};

export function hintText(lang: Lang, hint: ErrorHint): string {
  return translate(lang, HINT_KEYS[hint]);
}

export const OUTBOX_STATUSES: readonly OutboxStatus[] = [
  'queued',
  'sending',
  'sent',
  'failed',
  'needs_manual',
  'cancelled',
];

export const STATUS_KEYS: Record<OutboxStatus, MessageKey> = {
  queued: 'status.queued',
  sending: 'status.sending',
  sent: 'status.sent',
  failed: 'status.failed',
  needs_manual: 'status.needs_manual',
  cancelled: 'status.cancelled',
};

/** Tend can only send again on the channels it delivers itself. */
export function canRetry(message: Pick<OutboxMessage, 'status' | 'channel'>): boolean {
  return (
    isAutomatic(message.channel) &&
    (message.status === 'failed' || message.status === 'needs_manual' || message.status === 'cancelled')
  );
}

export function canCancel(message: Pick<OutboxMessage, 'status'>): boolean {
  return message.status === 'queued' || message.status === 'failed' || message.status === 'needs_manual';
}
