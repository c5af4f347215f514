import { describe, expect, it } from 'vitest';
import type { ErrorHint } from '../lib/bindings/ErrorHint';
import type { OutboxStatus } from '../lib/bindings/OutboxStatus';
import type { SendChannel } from '../lib/bindings/SendChannel';
import { dictionaries } from '../lib/i18n';
import { ERROR_HINTS, HINT_KEYS, OUTBOX_STATUSES, STATUS_KEYS, canCancel, canRetry, hintText } from './hints';

// Every value of the generated union: adding a hint in Rust without wording it here fails typing.
const ALL_HINTS: Record<ErrorHint, true> = {
  use_personal_zalo: true,
  use_personal_telegram: true,
  check_settings: true,
  add_recipient: true,
  check_with_customer: true,
  offline: true,
};

describe('outbox hints', () => {
  it('lists every ErrorHint', () => {
    expect([...ERROR_HINTS].sort()).toEqual(Object.keys(ALL_HINTS).sort());
  });

  it.each(Object.keys(ALL_HINTS) as ErrorHint[])('words %s in Vietnamese and English', (hint) => {
    const vi = hintText('vi', hint);
    const en = hintText('en', hint);
    expect(vi.trim()).not.toBe('');
    expect(en.trim()).not.toBe('');
    expect(vi).not.toBe(hint);
    expect(en).not.toBe(hint);
    expect(dictionaries.vi[HINT_KEYS[hint]]).toBe(vi);
    expect(dictionaries.en[HINT_KEYS[hint]]).toBe(en);
  });

  it('speaks to the salesperson', () => {
    expect(hintText('vi', 'use_personal_zalo')).toBe('Khách ngoài khung tương tác của Zalo OA: hãy gửi bằng Zalo cá nhân');
    expect(hintText('vi', 'check_with_customer')).toBe('Không rõ đã gửi chưa: hỏi lại khách rồi gửi lại hoặc bỏ qua');
    expect(hintText('vi', 'offline')).toBe('Đang chờ mạng');
    expect(hintText('en', 'offline')).toBe('Waiting for the network');
    expect(hintText('en', 'use_personal_zalo')).toContain('personal Zalo');
  });

  it('has a label for every status in both languages', () => {
    for (const status of OUTBOX_STATUSES) {
      expect(dictionaries.vi[STATUS_KEYS[status]]).toBeTruthy();
      expect(dictionaries.en[STATUS_KEYS[status]]).toBeTruthy();
    }
  });
});

describe('outbox actions', () => {
  const message = (status: OutboxStatus, channel: SendChannel = 'telegram') => ({ status, channel });

  it('retries failed, needs_manual and cancelled messages on automatic channels only', () => {
    expect(canRetry(message('failed'))).toBe(true);
    expect(canRetry(message('needs_manual', 'zalo_oa'))).toBe(true);
    expect(canRetry(message('cancelled', 'email'))).toBe(true);
    expect(canRetry(message('queued'))).toBe(false);
    expect(canRetry(message('sent'))).toBe(false);
    expect(canRetry(message('sending'))).toBe(false);
    expect(canRetry(message('failed', 'zalo_personal'))).toBe(false);
    expect(canRetry(message('needs_manual', 'telegram_personal'))).toBe(false);
  });

  it('cancels queued, failed and needs_manual messages', () => {
    expect(canCancel(message('queued'))).toBe(true);
    expect(canCancel(message('failed'))).toBe(true);
    expect(canCancel(message('needs_manual'))).toBe(true);
    expect(canCancel(message('sent'))).toBe(false);
    expect(canCancel(message('sending'))).toBe(false);
    expect(canCancel(message('cancelled'))).toBe(false);
  });
});
