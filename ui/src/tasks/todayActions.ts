// Pure rules behind a Today row: which action a task asks for, and when "snooze" moves it to.
import type { Task } from '../lib/bindings/Task';
import type { MessageKey } from '../lib/i18n';
import type { Route } from '../lib/router';

/**
 * Lower case without Vietnamese diacritics ("Gửi báo giá" → "gui bao gia"), so a keyword matches
 * however the title was typed. "đ" is a letter of its own, not a d with a mark, so NFD keeps it.
 */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** Words (already folded) of a task that means writing to the customer rather than calling. */
const MESSAGE_WORDS = [
  'gui',
  'nhan tin',
  'tin nhan',
  'bao gia',
  'zalo',
  'telegram',
  'email',
  'catalog',
  'catalogs',
  'catalogue',
  'catalogues',
  'send',
  'sending',
  'message',
  'quote',
  'quotation',
  'brochure',
];

/** Words of a task that means a call, even when a message word follows ("Gọi lại báo giá"). */
const CALL_WORDS = ['goi', 'call', 'phone', 'dien thoai'];

export type TaskAction = 'message' | 'call';

/** Where the first of `words` stands in `text`, or Infinity when none is there. */
function firstOf(text: string, words: readonly string[]): number {
  return Math.min(...words.map((word) => text.indexOf(` ${word} `)).filter((at) => at >= 0), Infinity);
}

/**
 * "Gửi catalogue qua Zalo" asks for a message; "Gọi lại báo giá", like anything without a
 * message word, for a call. The verb that comes first decides when a title has both.
 */
export function taskAction(title: string): TaskAction {
  // Whole words only, so "send" does not match "sender".
  const words = ` ${foldDiacritics(title).replace(/[^a-z0-9]+/g, ' ').trim()} `;
  return firstOf(words, MESSAGE_WORDS) < firstOf(words, CALL_WORDS) ? 'message' : 'call';
}

/** What a row leads to: the customer, the customer with a call to log, or with a message to write. */
export type TaskOpen = 'open' | TaskAction;

/** Where a task's row leads; null for a task with no customer. */
export function taskRoute(task: Pick<Task, 'id' | 'customer_id'>, how: TaskOpen): Route | null {
  if (task.customer_id === null) return null;
  switch (how) {
    case 'call':
      // The task goes along, so the form can mark it done with the call.
      return { name: 'customer', id: task.customer_id, logKind: 'call', fromTask: task.id };
    case 'message':
      return { name: 'customer', id: task.customer_id, compose: 'default' };
    case 'open':
      return { name: 'customer', id: task.customer_id };
  }
}

export const SNOOZE_CHOICES = ['laterToday', 'tomorrow', 'in3Days', 'nextWeek'] as const;

export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number];

export const SNOOZE_LABELS: Record<SnoozeChoice, MessageKey> = {
  laterToday: 'today.snooze.laterToday',
  tomorrow: 'today.snooze.tomorrow',
  in3Days: 'today.snooze.in3Days',
  nextWeek: 'today.snooze.nextWeek',
};

/** Where the working day ends: "later today" means then. */
const END_OF_DAY_HOUR = 17;
/** The start of a working day: a task moved to another day is due then. */
const START_OF_DAY_HOUR = 9;
const LATER_MS = 3 * 60 * 60 * 1000;

function localDayAt(now: number, daysAhead: number, hour: number): number {
  const d = new Date(now);
  // Built from the calendar fields so a daylight-saving day still lands on the hour.
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + daysAhead, hour, 0, 0, 0).getTime();
}

/**
 * When a snoozed task becomes due, in local time: later today is 17:00 (or three hours from now
 * once it is past 17:00), the other choices 09:00 on tomorrow, three days on, or next Monday
 * (a week on when today is Monday).
 */
export function snoozeUntil(choice: SnoozeChoice, now: number): number {
  switch (choice) {
    case 'laterToday': {
      const endOfDay = localDayAt(now, 0, END_OF_DAY_HOUR);
      return now < endOfDay ? endOfDay : now + LATER_MS;
    }
    case 'tomorrow':
      return localDayAt(now, 1, START_OF_DAY_HOUR);
    case 'in3Days':
      return localDayAt(now, 3, START_OF_DAY_HOUR);
    case 'nextWeek': {
      const weekday = new Date(now).getDay();
      const toMonday = (8 - weekday) % 7 || 7;
      return localDayAt(now, toMonday, START_OF_DAY_HOUR);
    }
  }
}
