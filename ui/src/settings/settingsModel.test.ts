import { describe, expect, it } from 'vitest';
import type { ChannelSettings } from '../lib/bindings/ChannelSettings';
import { buildSecretsInput, emptySecretEdits, hasSecretEdits, settingsFormFrom, toChannelSettings } from './settingsModel';

describe('buildSecretsInput', () => {
  it('sends null for every untouched secret', () => {
    expect(buildSecretsInput(emptySecretEdits())).toEqual({
      telegram_token: null,
      zalo_app_secret: null,
      zalo_access_token: null,
      zalo_refresh_token: null,
      smtp_password: null,
    });
  });

  it('sends what was typed, "" for removed secrets, null for the rest', () => {
    const edits = emptySecretEdits();
    edits.typed.telegram_token = ' 123:abc ';
    edits.remove.smtp_password = true;
    edits.remove.zalo_refresh_token = true;
    edits.typed.zalo_refresh_token = 'ignored because removed';
    edits.typed.zalo_app_secret = '   ';
    expect(buildSecretsInput(edits)).toEqual({
      telegram_token: '123:abc',
      zalo_app_secret: null,
      zalo_access_token: null,
      zalo_refresh_token: '',
      smtp_password: '',
    });
    expect(hasSecretEdits(edits)).toBe(true);
    expect(hasSecretEdits(emptySecretEdits())).toBe(false);
  });
});

describe('settings form', () => {
  const settings: ChannelSettings = {
    my_name: 'Lan',
    my_phone: '0903 123 456',
    telegram_bot_username: 'tend_bot',
    zalo_app_id: null,
    smtp_host: 'smtp.example.com',
    smtp_port: 587,
    smtp_security: 'starttls',
    smtp_username: null,
    smtp_from: 'lan@example.com',
    request_timeout_secs: null,
    zalo_template_price_vnd: null,
  };

  it('round-trips, with empty fields as null and numbers as numbers', () => {
    const values = settingsFormFrom(settings);
    expect(values.smtp_port).toBe('587');
    expect(toChannelSettings(values, 'tend_bot')).toEqual(settings);
    values.smtp_port = '';
    values.request_timeout_secs = '30';
    values.my_name = '  ';
    const out = toChannelSettings(values, null);
    expect(out.smtp_port).toBeNull();
    expect(out.request_timeout_secs).toBe(30);
    expect(out.my_name).toBeNull();
    expect(out.telegram_bot_username).toBeNull();
  });
});
