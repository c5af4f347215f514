import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import {
  backupErrorField,
  backupFormFrom,
  formatBackupTime,
  formatMegabytes,
  secretName,
  secretsToSetText,
  toBackupSettings,
} from './backupModel';

const MB = 1024 * 1024;

describe('backup settings form', () => {
  it('round-trips saved settings, an empty folder meaning the default one', () => {
    const values = backupFormFrom({ auto: true, folder: null, keep_daily: 7, keep_weekly: 4 });
    expect(values).toEqual({ auto: true, folder: '', keep_daily: '7', keep_weekly: '4' });
    expect(toBackupSettings(values)).toEqual({
      ok: true,
      settings: { auto: true, folder: null, keep_daily: 7, keep_weekly: 4 },
    });
    expect(toBackupSettings({ ...values, folder: '  /media/usb/Tend ' })).toMatchObject({
      settings: { folder: '/media/usb/Tend' },
    });
  });

  it('names the first count that is not a whole number of 0 or more', () => {
    const values = { auto: false, folder: '', keep_daily: '7', keep_weekly: '4' };
    for (const bad of ['', ' ', '-1', '2.5', 'bảy', '1e3']) {
      expect(toBackupSettings({ ...values, keep_daily: bad }), bad).toEqual({ ok: false, field: 'keep_daily' });
      expect(toBackupSettings({ ...values, keep_weekly: bad }), bad).toEqual({ ok: false, field: 'keep_weekly' });
    }
    expect(toBackupSettings({ ...values, keep_daily: ' 0 ', keep_weekly: '30' })).toMatchObject({
      settings: { keep_daily: 0, keep_weekly: 30 },
    });
  });

  it('puts an error beside its field only when the field is one of the form', () => {
    const error = (field: string | null) => new BackendError('invalid_input', 'x', field, 'backup.keep_none');
    expect(backupErrorField(error('folder'))).toBe('folder');
    expect(backupErrorField(error('keep_daily'))).toBe('keep_daily');
    expect(backupErrorField(error('smtp_host'))).toBeNull();
    expect(backupErrorField(error(null))).toBeNull();
    expect(backupErrorField(new Error('x'))).toBeNull();
  });
});

describe('backup files', () => {
  it('shows the time in its name as dd/MM/yyyy HH:mm, and anything else unchanged', () => {
    expect(formatBackupTime('2026-01-02T03:04:05')).toBe('02/01/2026 03:04');
    expect(formatBackupTime('soon')).toBe('soon');
  });

  it('shows sizes in MB the Vietnamese way, never as zero', () => {
    expect(formatMegabytes(12.5 * MB)).toBe('12,5 MB');
    expect(formatMegabytes(1234 * MB)).toBe('1.234 MB');
    expect(formatMegabytes(2048)).toBe('0,1 MB');
    expect(formatMegabytes(0)).toBe('0,0 MB');
  });
});

describe('secrets to enter again', () => {
  it('words each secret in both languages, and an unknown one as it is', () => {
    expect(secretName('vi', 'telegram_bot_token')).toBe('Mã bot Telegram');
    expect(secretName('en', 'telegram_bot_token')).toBe('Telegram bot token');
    expect(secretName('vi', 'zalo_app_secret')).toBe('Khóa bí mật ứng dụng Zalo');
    expect(secretName('vi', 'zalo_access_token')).toBe('Mã truy cập Zalo OA');
    expect(secretName('vi', 'smtp_password')).toBe('Mật khẩu email');
    expect(secretName('en', 'smtp_password')).toBe('Email password');
    expect(secretName('vi', 'viber_token')).toBe('viber_token');
    expect(secretName('vi', 'toString')).toBe('toString');
  });

  it('lists them in one sentence, or says nothing when none is missing', () => {
    expect(secretsToSetText('vi', ['telegram_bot_token', 'smtp_password'])).toBe(
      'Cần nhập lại trong Cài đặt: Mã bot Telegram, Mật khẩu email.',
    );
    expect(secretsToSetText('en', ['zalo_access_token'])).toBe('Enter again in Settings: Zalo OA access token.');
    expect(secretsToSetText('vi', [])).toBeNull();
  });
});
