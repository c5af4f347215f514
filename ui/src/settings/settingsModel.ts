import { BackendError } from '../lib/backend';
import type { ChannelSettings } from '../lib/bindings/ChannelSettings';
import type { SecretsInput } from '../lib/bindings/SecretsInput';
import type { SecretsPresent } from '../lib/bindings/SecretsPresent';
import type { Security } from '../lib/bindings/Security';

export type SecretKey = keyof SecretsInput;

export const SECRET_KEYS: readonly SecretKey[] = [
  'telegram_token',
  'zalo_app_secret',
  'zalo_access_token',
  'zalo_refresh_token',
  'smtp_password',
];

export const SECURITIES: readonly Security[] = ['none', 'starttls', 'tls'];

/** The form as the inputs hold it: strings, so nothing typed is lost on a failed save. */
export type SettingsFormValues = {
  my_name: string;
  my_phone: string;
  zalo_app_id: string;
  smtp_host: string;
  smtp_port: string;
  smtp_security: Security;
  smtp_username: string;
  smtp_from: string;
  request_timeout_secs: string;
  /** VNĐ per Zalo template message; empty means Zalo's own price. */
  zalo_template_price_vnd: string;
};

export type SecretEdits = {
  /** What was typed in each secret field; empty means "keep as is". */
  typed: Record<SecretKey, string>;
  /** Secrets the user asked to remove. */
  remove: Record<SecretKey, boolean>;
};

export function emptySecretEdits(): SecretEdits {
  const typed = {} as Record<SecretKey, string>;
  const remove = {} as Record<SecretKey, boolean>;
  for (const key of SECRET_KEYS) {
    typed[key] = '';
    remove[key] = false;
  }
  return { typed, remove };
}

/**
 * What to send for secrets: `null` keeps a secret untouched, `""` removes it, anything else
 * replaces it. Removing wins over typing, since the user ticked it on purpose.
 */
export function buildSecretsInput(edits: SecretEdits): SecretsInput {
  const out = {} as SecretsInput;
  for (const key of SECRET_KEYS) {
    if (edits.remove[key]) out[key] = '';
    else if (edits.typed[key].trim() !== '') out[key] = edits.typed[key].trim();
    else out[key] = null;
  }
  return out;
}

export function settingsFormFrom(settings: ChannelSettings): SettingsFormValues {
  return {
    my_name: settings.my_name ?? '',
    my_phone: settings.my_phone ?? '',
    zalo_app_id: settings.zalo_app_id ?? '',
    smtp_host: settings.smtp_host ?? '',
    smtp_port: settings.smtp_port === null ? '' : String(settings.smtp_port),
    smtp_security: settings.smtp_security,
    smtp_username: settings.smtp_username ?? '',
    smtp_from: settings.smtp_from ?? '',
    request_timeout_secs: settings.request_timeout_secs === null ? '' : String(settings.request_timeout_secs),
    zalo_template_price_vnd: settings.zalo_template_price_vnd === null ? '' : String(settings.zalo_template_price_vnd),
  };
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The number typed, or null when the field is empty or not a number. */
function numberOrNull(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** `botUsername` is not edited here: the backend learns it when the token is tested. */
export function toChannelSettings(values: SettingsFormValues, botUsername: string | null): ChannelSettings {
  return {
    my_name: orNull(values.my_name),
    my_phone: orNull(values.my_phone),
    telegram_bot_username: botUsername,
    zalo_app_id: orNull(values.zalo_app_id),
    smtp_host: orNull(values.smtp_host),
    smtp_port: numberOrNull(values.smtp_port),
    smtp_security: values.smtp_security,
    smtp_username: orNull(values.smtp_username),
    smtp_from: orNull(values.smtp_from),
    request_timeout_secs: numberOrNull(values.request_timeout_secs),
    zalo_template_price_vnd: numberOrNull(values.zalo_template_price_vnd),
  };
}

export function hasSecretEdits(edits: SecretEdits): boolean {
  return SECRET_KEYS.some((key) => edits.remove[key] || edits.typed[key].trim() !== '');
}

export function secretPlaceholder(present: SecretsPresent | null, key: SecretKey, saved: string): string {
  return present?.[key] ? saved : '';
}

/** A field the backend can name in an error: a setting, or a secret typed in the form. */
export type SettingsErrorField = keyof SettingsFormValues | SecretKey;

const FORM_FIELDS: readonly SettingsErrorField[] = [
  ...SECRET_KEYS,
  'my_name',
  'my_phone',
  'zalo_app_id',
  'smtp_host',
  'smtp_port',
  'smtp_security',
  'smtp_username',
  'smtp_from',
  'request_timeout_secs',
  'zalo_template_price_vnd',
];

export function settingsErrorField(error: unknown): SettingsErrorField | null {
  if (!(error instanceof BackendError) || error.code !== 'invalid_input' || error.field === null) return null;
  return (FORM_FIELDS as readonly string[]).includes(error.field) ? (error.field as SettingsErrorField) : null;
}
