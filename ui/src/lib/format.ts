// Pure date and number helpers. Dates come in as UTC milliseconds and are shown in the machine's
// local time. Dates and numbers are shown the Vietnamese way (dd/MM/yyyy, 24-hour HH:mm,
// 1.234.567) whatever the UI language.
import type { Lang } from './i18n';

const NUMBER_LOCALE = 'vi-VN';
const defaultNumberFormat = new Intl.NumberFormat(NUMBER_LOCALE);

/** A number formatter that groups digits the Vietnamese way (1.234.567). */
export function numberFormat(options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return options === undefined ? defaultNumberFormat : new Intl.NumberFormat(NUMBER_LOCALE, options);
}

/** An amount of Vietnamese dong as a price reads: "200 đ", "1.500.000 đ". */
export function formatVnd(amount: number): string {
  return `${defaultNumberFormat.format(amount)} đ`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getDate())}/${pad2(d.getMonth() + 1)}/${d.getFullYear()}`;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${formatTime(ms)}`;
}

/** `YYYY-MM-DD` (as stored for birthdays) to dd/MM/yyyy; anything else is shown unchanged. */
export function formatIsoDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function localMidnight(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/**
 * Whole local calendar days from `now` to `ms`: 0 today, -1 yesterday, 1 tomorrow.
 * Rounded because a day across a daylight-saving change is 23 or 25 hours long.
 */
export function calendarDayDiff(ms: number, now: number): number {
  return Math.round((localMidnight(ms) - localMidnight(now)) / DAY_MS);
}

const RELATIVE: Record<
  Lang,
  { today: string; yesterday: string; tomorrow: string; ago: (n: number) => string; ahead: (n: number) => string }
> = {
  vi: {
    today: 'hôm nay',
    yesterday: 'hôm qua',
    tomorrow: 'ngày mai',
    ago: (n) => `${n} ngày trước`,
    ahead: (n) => `${n} ngày nữa`,
  },
  en: {
    today: 'today',
    yesterday: 'yesterday',
    tomorrow: 'tomorrow',
    ago: (n) => `${n} days ago`,
    ahead: (n) => `in ${n} days`,
  },
};

/** Words for the last and next week ("hôm qua", "3 ngày trước"), dd/MM/yyyy beyond that. */
export function formatRelativeDay(ms: number, now: number, lang: Lang): string {
  const diff = calendarDayDiff(ms, now);
  const words = RELATIVE[lang];
  if (diff === 0) return words.today;
  if (diff === -1) return words.yesterday;
  if (diff === 1) return words.tomorrow;
  if (diff < 0 && diff > -7) return words.ago(-diff);
  if (diff > 0 && diff < 7) return words.ahead(diff);
  return formatDate(ms);
}

/**
 * A relative day plus the exact date beside it. `secondary` is null when the relative form is
 * already the plain date (more than a week away), so the date is never shown twice.
 */
export function relativeDayParts(
  ms: number,
  now: number,
  lang: Lang,
): { primary: string; secondary: string | null } {
  const primary = formatRelativeDay(ms, now, lang);
  const date = formatDate(ms);
  return { primary, secondary: primary === date ? null : date };
}

/** Local calendar date of `ms` as an `<input type="date">` value. */
export function toDateInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Local date and time of `ms` as an `<input type="datetime-local">` value. */
export function toDateTimeInputValue(ms: number): string {
  return `${toDateInputValue(ms)}T${formatTime(ms)}`;
}

/** Parses a `YYYY-MM-DD` value as a local date at the given local hour; null if malformed. */
export function localDateAt(value: string, hour: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  const d = new Date(year, month, day, hour, 0, 0, 0);
  // Rejects dates like 2024-02-31, which Date would silently roll over.
  if (d.getFullYear() !== year || d.getMonth() !== month || d.getDate() !== day) return null;
  return d.getTime();
}

/** Parses an `<input type="datetime-local">` value in local time; null if malformed. */
export function fromDateTimeInputValue(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

/** The local date after the one `now` falls on, as an `<input type="date">` value. */
export function tomorrowDateInputValue(now: number): string {
  const d = new Date(now);
  return toDateInputValue(new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 12).getTime());
}
