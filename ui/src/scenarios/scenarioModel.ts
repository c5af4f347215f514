// The scenario builder's form model, kept free of Svelte so it can be unit tested.
import { BackendError } from '../lib/backend';
import type { CatchUp } from '../lib/bindings/CatchUp';
import type { DelayFrom } from '../lib/bindings/DelayFrom';
import type { EnrollmentStatus } from '../lib/bindings/EnrollmentStatus';
import type { Priority } from '../lib/bindings/Priority';
import type { Scenario } from '../lib/bindings/Scenario';
import type { ScenarioInput } from '../lib/bindings/ScenarioInput';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { SendWindow } from '../lib/bindings/SendWindow';
import type { Step } from '../lib/bindings/Step';
import type { StepInput } from '../lib/bindings/StepInput';
import type { StepKind } from '../lib/bindings/StepKind';
import type { StepOutcome } from '../lib/bindings/StepOutcome';
import type { Trigger } from '../lib/bindings/Trigger';
import { translate, type Lang, type MessageKey } from '../lib/i18n';

export const STEP_KINDS: readonly StepKind[] = ['task', 'message', 'notification'];
export const DELAY_FROMS: readonly DelayFrom[] = ['start', 'previous'];
export const TRIGGERS: readonly Trigger[] = ['manual', 'customer_created', 'tag_added'];
export const CATCH_UPS: readonly CatchUp[] = ['send_late', 'skip_late'];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high'];
/**
 * Channels a message step can use: Tend sends on the first five by itself (Zalo automatic takes
 * the cheapest route Zalo allows when the step is due); a personal Zalo or Telegram message waits
 * in Today for the salesperson to send it from their own app.
 */
export const STEP_CHANNELS: readonly SendChannel[] = [
  'telegram',
  'zalo_oa',
  'zalo_auto',
  'zalo_template',
  'email',
  'zalo_personal',
  'telegram_personal',
];

/** How the step form names a channel: the personal ones say who sends them. */
export const STEP_CHANNEL_LABELS: Record<SendChannel, MessageKey> = {
  telegram: 'channel.telegram',
  zalo_oa: 'channel.zalo_oa',
  zalo_auto: 'channel.zalo_auto',
  zalo_template: 'channel.zalo_template',
  email: 'channel.email',
  zalo_personal: 'step.channel.zalo_personal',
  telegram_personal: 'step.channel.telegram_personal',
};

export const STEP_KIND_LABELS: Record<StepKind, MessageKey> = {
  task: 'step.kind.task',
  message: 'step.kind.message',
  notification: 'step.kind.notification',
};

export const TRIGGER_LABELS: Record<Trigger, MessageKey> = {
  manual: 'trigger.manual',
  customer_created: 'trigger.customer_created',
  tag_added: 'trigger.tag_added',
};

export const ENROLLMENT_STATUS_LABELS: Record<EnrollmentStatus, MessageKey> = {
  active: 'enrollment.status.active',
  paused: 'enrollment.status.paused',
  completed: 'enrollment.status.completed',
  cancelled: 'enrollment.status.cancelled',
  exited: 'enrollment.status.exited',
};

export const STEP_OUTCOME_LABELS: Record<StepOutcome, MessageKey> = {
  done: 'step.outcome.done',
  skipped: 'step.outcome.skipped',
  failed: 'step.outcome.failed',
};

// ---------------------------------------------------------------------------------------------
// Weekdays and times

/** Monday first, as Vietnamese calendars show the week; bit `1 << index` in `SendWindow.days`. */
export const WEEKDAY_LABELS: readonly MessageKey[] = [
  'weekday.mon',
  'weekday.tue',
  'weekday.wed',
  'weekday.thu',
  'weekday.fri',
  'weekday.sat',
  'weekday.sun',
];

export const ALL_DAYS = 127;

export function dayBit(index: number): number {
  return 1 << index;
}

export function hasDay(days: number, index: number): boolean {
  return (days & dayBit(index)) !== 0;
}

export function toggleDay(days: number, index: number): number {
  return (days ^ dayBit(index)) & ALL_DAYS;
}

/** The one-click window: 08:00 to 20:00, Monday to Saturday. */
export const WORKDAY_WINDOW: SendWindow = { start_min: 480, end_min: 1200, days: 63 };

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Minutes after midnight as an `<input type="time">` value; 1440 (end of day) shows as 00:00. */
export function minutesToTime(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
}

/** An `<input type="time">` value ("HH:MM", seconds ignored) as minutes after midnight; null if malformed. */
export function timeToMinutes(value: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

/** A window's closing time: midnight closes at the end of the day (1440), never at 0. */
export function endTimeToMinutes(value: string): number | null {
  const minutes = timeToMinutes(value);
  if (minutes === null) return null;
  return minutes === 0 ? 1440 : minutes;
}

// ---------------------------------------------------------------------------------------------
// Steps

export type StepFormValues = {
  /** Stable identity for keyed lists; not sent to the backend. */
  key: number;
  /** The saved step's id (null for a step added in the form): sent back on save, so a step
   * keeps its identity when steps are moved, added or removed, and what enrolments already did
   * stays done. */
  id: string | null;
  kind: StepKind;
  delay_days: number | null;
  delay_hours: number | null;
  delay_minutes: number | null;
  delay_from: DelayFrom;
  title: string;
  /** '' = the default priority. */
  priority: Priority | '';
  /** null = due as soon as the task is created. */
  due_offset_minutes: number | null;
  /** '' = none chosen yet. */
  template_id: string;
  channel: SendChannel;
};

let nextStepKey = 1;

export function defaultStep(kind: StepKind = 'task'): StepFormValues {
  return {
    key: nextStepKey++,
    id: null,
    kind,
    delay_days: 0,
    delay_hours: 0,
    delay_minutes: 0,
    delay_from: 'previous',
    title: '',
    priority: '',
    due_offset_minutes: null,
    template_id: '',
    channel: 'zalo_oa',
  };
}

export function stepFormFrom(step: Step): StepFormValues {
  return {
    key: nextStepKey++,
    id: step.id,
    kind: step.kind,
    delay_days: step.delay_days,
    delay_hours: step.delay_hours,
    delay_minutes: step.delay_minutes,
    delay_from: step.delay_from,
    title: step.title ?? '',
    priority: step.priority ?? '',
    due_offset_minutes: step.due_offset_minutes,
    template_id: step.template_id ?? '',
    channel: step.channel ?? 'zalo_oa',
  };
}

/** A copy of `steps` with the step at `index` moved by `delta` places; unchanged at the ends. */
export function moveStep<T>(steps: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  const copy = [...steps];
  if (index < 0 || index >= steps.length || target < 0 || target >= steps.length) return copy;
  [copy[index], copy[target]] = [copy[target], copy[index]];
  return copy;
}

export function removeStep<T>(steps: readonly T[], index: number): T[] {
  return steps.filter((_, i) => i !== index);
}

/** A whole, non-negative number from a number input (empty or invalid becomes 0). */
function wholeNumber(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return 0;
  return Math.max(0, Math.floor(value));
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function toStepInput(step: StepFormValues): StepInput {
  const isTask = step.kind === 'task';
  const isMessage = step.kind === 'message';
  const offset = step.due_offset_minutes;
  return {
    id: step.id,
    kind: step.kind,
    delay_days: wholeNumber(step.delay_days),
    delay_hours: wholeNumber(step.delay_hours),
    delay_minutes: wholeNumber(step.delay_minutes),
    delay_from: step.delay_from,
    title: isMessage ? null : orNull(step.title),
    priority: isTask && step.priority !== '' ? step.priority : null,
    due_offset_minutes:
      isTask && offset !== null && offset !== undefined && Number.isFinite(offset) ? wholeNumber(offset) : null,
    template_id: isMessage ? orNull(step.template_id) : null,
    channel: isMessage ? step.channel : null,
  };
}

/** Human wording of when a step runs: "2 ngày sau bước trước", "ngay khi bắt đầu". */
export function stepSummary(
  lang: Lang,
  step: Pick<StepFormValues, 'delay_days' | 'delay_hours' | 'delay_minutes' | 'delay_from'>,
  index: number,
): string {
  const days = wholeNumber(step.delay_days);
  const hours = wholeNumber(step.delay_hours);
  const minutes = wholeNumber(step.delay_minutes);
  // The first step has no previous one: its delay counts from the start either way.
  const fromStart = step.delay_from === 'start' || index === 0;
  if (days + hours + minutes === 0) {
    return translate(lang, fromStart ? 'step.summary.atStart' : 'step.summary.rightAfter');
  }
  const parts: string[] = [];
  if (days > 0) parts.push(translate(lang, 'step.summary.days', { n: days }));
  if (hours > 0) parts.push(translate(lang, 'step.summary.hours', { n: hours }));
  if (minutes > 0) parts.push(translate(lang, 'step.summary.minutes', { n: minutes }));
  return translate(lang, fromStart ? 'step.summary.afterStart' : 'step.summary.afterPrevious', {
    delay: parts.join(' '),
  });
}

type StepDelay = Pick<StepFormValues, 'delay_days' | 'delay_hours' | 'delay_minutes' | 'delay_from'>;

const MINUTES_PER_DAY = 24 * 60;

function delayMinutes(step: StepDelay): number {
  return (wholeNumber(step.delay_days) * 24 + wholeNumber(step.delay_hours)) * 60 + wholeNumber(step.delay_minutes);
}

/** When a step is set to happen, in minutes after the enrolment starts. */
export type StepTiming = {
  /** From its own delay: from the start, or from when the step above happens. */
  atMinutes: number;
  /** Set "from the start" to a time before the step above; steps run in order, so it runs right after that one. */
  beforeAbove: boolean;
};

/**
 * When each step happens, counted from the start (the send window aside). A "from previous" step
 * adds its delay to when the step above happens, which is never earlier than the step above that.
 * The first step counts from the start whatever it says, as the backend does.
 */
export function stepTimings(steps: readonly StepDelay[]): StepTiming[] {
  let previous = 0;
  return steps.map((step, index) => {
    const fromStart = step.delay_from === 'start' || index === 0;
    const atMinutes = fromStart ? delayMinutes(step) : previous + delayMinutes(step);
    const beforeAbove = index > 0 && atMinutes < previous;
    previous = Math.max(previous, atMinutes);
    return { atMinutes, beforeAbove };
  });
}

/** "Ngày thứ 9 kể từ khi bắt đầu", or "Ngày thứ 1, sau 2 giờ" when not on a whole day; the start is day 0. */
export function stepWhen(lang: Lang, atMinutes: number): string {
  const day = Math.floor(atMinutes / MINUTES_PER_DAY);
  const rest = atMinutes % MINUTES_PER_DAY;
  if (rest === 0) return translate(lang, 'step.when.day', { day });
  const hours = Math.floor(rest / 60);
  const minutes = rest % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(translate(lang, 'step.summary.hours', { n: hours }));
  if (minutes > 0) parts.push(translate(lang, 'step.summary.minutes', { n: minutes }));
  return translate(lang, 'step.when.dayAndTime', { day, time: parts.join(' ') });
}

// ---------------------------------------------------------------------------------------------
// The whole scenario

export type ScenarioFormValues = {
  name: string;
  description: string;
  target: string;
  trigger: Trigger;
  trigger_tag: string;
  exit_on_reply: boolean;
  windowEnabled: boolean;
  /** `<input type="time">` values. */
  windowStart: string;
  windowEnd: string;
  windowDays: number;
  catch_up: CatchUp;
  catch_up_max_hours: number | null;
  steps: StepFormValues[];
};

export function emptyScenarioForm(): ScenarioFormValues {
  return {
    name: '',
    description: '',
    target: '',
    trigger: 'manual',
    trigger_tag: '',
    exit_on_reply: true,
    // New scenarios run at any hour until the salesperson limits them.
    windowEnabled: false,
    windowStart: minutesToTime(WORKDAY_WINDOW.start_min),
    windowEnd: minutesToTime(WORKDAY_WINDOW.end_min),
    windowDays: WORKDAY_WINDOW.days,
    catch_up: 'send_late',
    catch_up_max_hours: null,
    steps: [defaultStep()],
  };
}

export function scenarioFormFrom(scenario: Scenario): ScenarioFormValues {
  const window = scenario.window;
  return {
    name: scenario.name,
    description: scenario.description ?? '',
    target: scenario.target ?? '',
    trigger: scenario.trigger,
    trigger_tag: scenario.trigger_tag ?? '',
    exit_on_reply: scenario.exit_on_reply,
    windowEnabled: window !== null,
    windowStart: minutesToTime(window?.start_min ?? WORKDAY_WINDOW.start_min),
    windowEnd: minutesToTime(window?.end_min ?? WORKDAY_WINDOW.end_min),
    windowDays: window?.days ?? WORKDAY_WINDOW.days,
    catch_up: scenario.catch_up,
    catch_up_max_hours: scenario.catch_up_max_hours,
    steps: [...scenario.steps].sort((a, b) => a.position - b.position).map(stepFormFrom),
  };
}

/** Fills the window with 08:00-20:00, Monday to Saturday, and turns it on. */
export function applyWorkdayWindow(values: ScenarioFormValues): void {
  values.windowEnabled = true;
  values.windowStart = minutesToTime(WORKDAY_WINDOW.start_min);
  values.windowEnd = minutesToTime(WORKDAY_WINDOW.end_min);
  values.windowDays = WORKDAY_WINDOW.days;
}

/**
 * The send window as the backend takes it; null when not limited. A malformed time is sent as
 * -1 so the backend rejects it with a `window` error beside the fields.
 */
export function windowFromForm(values: ScenarioFormValues): SendWindow | null {
  if (!values.windowEnabled) return null;
  return {
    start_min: timeToMinutes(values.windowStart) ?? -1,
    end_min: endTimeToMinutes(values.windowEnd) ?? -1,
    days: values.windowDays & ALL_DAYS,
  };
}

export function toScenarioInput(values: ScenarioFormValues): ScenarioInput {
  const hours = values.catch_up_max_hours;
  return {
    name: values.name.trim(),
    description: orNull(values.description),
    target: orNull(values.target),
    trigger: values.trigger,
    trigger_tag: values.trigger === 'tag_added' ? orNull(values.trigger_tag) : null,
    exit_on_reply: values.exit_on_reply,
    window: windowFromForm(values),
    catch_up: values.catch_up,
    catch_up_max_hours:
      values.catch_up === 'skip_late' && hours !== null && hours !== undefined && Number.isFinite(hours)
        ? wholeNumber(hours)
        : null,
    steps: values.steps.map(toStepInput),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

export type ScenarioErrorField = 'name' | 'steps' | 'trigger_tag' | 'window' | 'catch_up_max_hours';

const ERROR_FIELDS: readonly ScenarioErrorField[] = ['name', 'steps', 'trigger_tag', 'window', 'catch_up_max_hours'];

export function scenarioErrorField(error: unknown): ScenarioErrorField | null {
  if (!(error instanceof BackendError) || error.code !== 'invalid_input' || error.field === null) return null;
  if ((ERROR_FIELDS as readonly string[]).includes(error.field)) return error.field as ScenarioErrorField;
  // "steps[1]" or "steps.1.title": still about the steps.
  return error.field.startsWith('steps') ? 'steps' : null;
}

/** The 0-based step a steps error is about, from its 1-based `step` parameter; null if none. */
export function stepErrorIndex(error: BackendError, count: number): number | null {
  const step = error.params.step;
  if (step === undefined || !/^\d+$/.test(step)) return null;
  const index = Number(step) - 1;
  return index >= 0 && index < count ? index : null;
}

// ---------------------------------------------------------------------------------------------
// Enrolments

/** Which buttons an enrolment row offers. */
export function enrollmentActions(status: EnrollmentStatus): { pause: boolean; resume: boolean; cancel: boolean } {
  return {
    pause: status === 'active',
    resume: status === 'paused',
    cancel: status === 'active' || status === 'paused',
  };
}

export function isLive(status: EnrollmentStatus): boolean {
  return status === 'active' || status === 'paused';
}
