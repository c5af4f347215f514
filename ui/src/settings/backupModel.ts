// Pure helpers for backups: the settings form's values, how a backup file is shown, and the
// words for a restore's report. Shared by Settings and the recovery screen.
import { BackendError } from '../lib/backend';
import type { BackupFile } from '../lib/bindings/BackupFile';
import type { BackupSettings } from '../lib/bindings/BackupSettings';
import { formatDateTime, numberFormat } from '../lib/format';
import { translate, type Lang, type MessageKey } from '../lib/i18n';

/** The backup settings as typed: the numbers stay text until saved, so a cleared box is allowed. */
export type BackupFormValues = { auto: boolean; folder: string; keep_daily: string; keep_weekly: string };

/** The fields an error can be shown beside. */
export type BackupField = 'folder' | 'keep_daily' | 'keep_weekly';

const FIELDS: readonly BackupField[] = ['folder', 'keep_daily', 'keep_weekly'];

export function backupFormFrom(settings: BackupSettings): BackupFormValues {
  return {
    auto: settings.auto,
    folder: settings.folder ?? '',
    keep_daily: String(settings.keep_daily),
    keep_weekly: String(settings.keep_weekly),
  };
}

/** A whole number of 0 or more, or null for anything else (blank, negative, a fraction). */
function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,6}$/.test(trimmed)) return null;
  return Number(trimmed);
}

/**
 * The settings to save, or the first field that is not a whole number. An empty folder means
 * the default one (the data folder's `backups`).
 */
export function toBackupSettings(
  values: BackupFormValues,
): { ok: true; settings: BackupSettings } | { ok: false; field: BackupField } {
  const keepDaily = parseCount(values.keep_daily);
  if (keepDaily === null) return { ok: false, field: 'keep_daily' };
  const keepWeekly = parseCount(values.keep_weekly);
  if (keepWeekly === null) return { ok: false, field: 'keep_weekly' };
  const folder = values.folder.trim();
  return {
    ok: true,
    settings: { auto: values.auto, folder: folder === '' ? null : folder, keep_daily: keepDaily, keep_weekly: keepWeekly },
  };
}

/** The form field a save error belongs beside, or null when it belongs in a toast. */
export function backupErrorField(error: unknown): BackupField | null {
  if (!(error instanceof BackendError) || error.field === null) return null;
  return (FIELDS as readonly string[]).includes(error.field) ? (error.field as BackupField) : null;
}

/**
 * When a backup was taken, dd/MM/yyyy HH:mm, from the local time written in its name
 * (`YYYY-MM-DDTHH:MM:SS`); anything else is shown unchanged.
 */
export function formatBackupTime(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(d.getTime()) ? local : formatDateTime(d.getTime());
}

const MEGABYTE = 1024 * 1024;
const oneDecimal = numberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 });
const wholeNumber = numberFormat({ maximumFractionDigits: 0 });

/** A file size in MB, the Vietnamese way ("0,4 MB", "12,5 MB", "1.024 MB"); never "0,0 MB". */
export function formatMegabytes(bytes: number): string {
  const mb = Math.max(bytes / MEGABYTE, bytes > 0 ? 0.1 : 0);
  return `${mb < 100 ? oneDecimal.format(mb) : wholeNumber.format(mb)} MB`;
}

/** The date of a backup file as its rows show it. */
export function backupFileDate(file: BackupFile): string {
  return formatBackupTime(file.local);
}

const SECRET_WORDS: Record<string, MessageKey> = {
  telegram_bot_token: 'backup.secret.telegram_bot_token',
  zalo_app_secret: 'backup.secret.zalo_app_secret',
  zalo_access_token: 'backup.secret.zalo_access_token',
  smtp_password: 'backup.secret.smtp_password',
};

/** A secret's name in words ("Mã bot Telegram"); a name Tend does not know yet is shown as it is. */
export function secretName(lang: Lang, name: string): string {
  const key = Object.prototype.hasOwnProperty.call(SECRET_WORDS, name) ? SECRET_WORDS[name] : null;
  return key ? translate(lang, key) : name;
}

/** "Cần nhập lại trong Cài đặt: Mã bot Telegram, Mật khẩu email."; null when nothing is missing. */
export function secretsToSetText(lang: Lang, names: readonly string[]): string | null {
  if (names.length === 0) return null;
  return translate(lang, 'backup.secretsToSet', { names: names.map((name) => secretName(lang, name)).join(', ') });
}
