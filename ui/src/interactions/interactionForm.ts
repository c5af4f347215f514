import type { Direction } from '../lib/bindings/Direction';
import type { Interaction } from '../lib/bindings/Interaction';
import type { InteractionInput } from '../lib/bindings/InteractionInput';
import type { InteractionKind } from '../lib/bindings/InteractionKind';
import type { MessageKey } from '../lib/i18n';
import {
  fromDateTimeInputValue,
  localDateAt,
  toDateInputValue,
  toDateTimeInputValue,
  tomorrowDateInputValue,
} from '../lib/format';

export const KINDS: readonly InteractionKind[] = [
  'call',
  'visit',
  'meeting',
  'email',
  'zalo',
  'telegram',
  'sms',
  'note',
];

export const DIRECTIONS: readonly Direction[] = ['outbound', 'inbound'];

export const KNOWN_OUTCOMES = [
  'interested',
  'not_interested',
  'callback',
  'no_answer',
  'successful',
  'follow_up_needed',
] as const;

export type KnownOutcome = (typeof KNOWN_OUTCOMES)[number];

export function isKnownOutcome(value: string | null): value is KnownOutcome {
  return value !== null && (KNOWN_OUTCOMES as readonly string[]).includes(value);
}

/** The select's value for "free text", which never collides with a known outcome. */
export const OTHER_OUTCOME = '__other__';

/** Follow-ups are due at the start of the working day rather than at midnight. */
export const FOLLOW_UP_HOUR = 9;

/** What the form holds, as the inputs see it (strings), so nothing typed is lost on an error. */
export type InteractionFormValues = {
  kind: InteractionKind;
  direction: Direction;
  outcomeChoice: string;
  outcomeOther: string;
  subject: string;
  content: string;
  duration: string;
  occurredAt: string;
  nextAction: string;
  nextDate: string;
};

export function emptyInteractionForm(kind: InteractionKind, now: number): InteractionFormValues {
  return {
    kind,
    direction: 'outbound',
    outcomeChoice: '',
    outcomeOther: '',
    subject: '',
    content: '',
    duration: '',
    occurredAt: toDateTimeInputValue(now),
    nextAction: '',
    nextDate: '',
  };
}

export function interactionFormFrom(interaction: Interaction): InteractionFormValues {
  const outcome = interaction.outcome ?? '';
  const known = outcome === '' || isKnownOutcome(outcome);
  return {
    kind: interaction.kind,
    direction: interaction.direction,
    outcomeChoice: known ? outcome : OTHER_OUTCOME,
    outcomeOther: known ? '' : outcome,
    subject: interaction.subject ?? '',
    content: interaction.content ?? '',
    duration: interaction.duration_minutes === null ? '' : String(interaction.duration_minutes),
    occurredAt: toDateTimeInputValue(interaction.occurred_at),
    nextAction: interaction.next_action ?? '',
    nextDate:
      interaction.next_action_date === null ? '' : toDateInputValue(interaction.next_action_date),
  };
}

/**
 * The date shown in the follow-up picker: what the user chose, or tomorrow once a next step is
 * typed (so a follow-up never silently lands in the past), or nothing.
 */
export function defaultNextDate(nextAction: string, chosenDate: string, now: number): string {
  if (chosenDate !== '') return chosenDate;
  return nextAction.trim() === '' ? '' : tomorrowDateInputValue(now);
}

/**
 * What an outcome usually leads to, offered as the next step (due tomorrow): a call nobody
 * answered is tried again, an interested customer gets a quote. Outcomes that close the matter
 * (successful, not interested) suggest nothing.
 */
export const OUTCOME_NEXT_STEP: Partial<Record<KnownOutcome, MessageKey>> = {
  no_answer: 'interaction.suggest.callAgain',
  callback: 'interaction.suggest.callAgain',
  interested: 'interaction.suggest.sendQuote',
  follow_up_needed: 'interaction.followUpDefault',
};

export function nextStepFor(outcome: string): MessageKey | null {
  return isKnownOutcome(outcome) ? (OUTCOME_NEXT_STEP[outcome] ?? null) : null;
}

/** A next step the form filled in by itself, remembered so a later outcome may replace it. */
export type Suggested = { action: string; date: string };

/**
 * The next step once an outcome is chosen. `suggestion` (in the UI's language, null for none)
 * fills the field only when it is empty or still holds the form's own earlier suggestion, with
 * tomorrow as the date unless one was chosen; what the user typed is never replaced. An earlier
 * suggestion the new outcome has no use for is taken back, date included.
 */
export function withSuggestedNextStep(
  values: Pick<InteractionFormValues, 'nextAction' | 'nextDate'>,
  suggestion: string | null,
  previous: Suggested | null,
  now: number,
): { nextAction: string; nextDate: string; suggested: Suggested | null } {
  const ours = previous !== null && values.nextAction === previous.action;
  if (values.nextAction.trim() !== '' && !ours) {
    return { nextAction: values.nextAction, nextDate: values.nextDate, suggested: null };
  }
  if (suggestion === null) {
    const nextDate = ours && values.nextDate === previous.date ? '' : values.nextDate;
    return { nextAction: ours ? '' : values.nextAction, nextDate, suggested: null };
  }
  const nextDate = values.nextDate === '' ? tomorrowDateInputValue(now) : values.nextDate;
  return { nextAction: suggestion, nextDate, suggested: { action: suggestion, date: nextDate } };
}

/** A local calendar date from the picker, as 09:00 that day in UTC millis. */
export function followUpMillis(dateValue: string): number | null {
  return localDateAt(dateValue, FOLLOW_UP_HOUR);
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export type InteractionInputOptions = {
  /**
   * The title of a follow-up whose date was set with no next step typed ("Liên hệ lại"), in the
   * UI's language. Without it such a date is dropped, as a follow-up needs a title.
   */
  defaultNextAction?: string;
  /** The open task this interaction was logged from, to mark done in the same save. */
  completeTaskId?: string | null;
};

export function toInteractionInput(
  customerId: string,
  values: InteractionFormValues,
  now: number,
  { defaultNextAction = '', completeTaskId = null }: InteractionInputOptions = {},
): InteractionInput {
  const outcome =
    values.outcomeChoice === OTHER_OUTCOME ? orNull(values.outcomeOther) : orNull(values.outcomeChoice);
  const duration = Number.parseInt(values.duration, 10);
  // A date picked without words still asks for a reminder: it gets the default title rather than
  // being lost.
  const nextAction =
    orNull(values.nextAction) ?? (values.nextDate === '' ? null : orNull(defaultNextAction));
  const nextDate = nextAction === null ? '' : defaultNextDate(nextAction, values.nextDate, now);
  return {
    customer_id: customerId,
    kind: values.kind,
    direction: values.direction,
    subject: orNull(values.subject),
    // Content keeps its inner line breaks; only surrounding blank space is dropped.
    content: orNull(values.content),
    outcome,
    duration_minutes: Number.isFinite(duration) && duration >= 0 ? duration : null,
    occurred_at: fromDateTimeInputValue(values.occurredAt) ?? now,
    next_action: nextAction,
    next_action_date: nextDate === '' ? null : followUpMillis(nextDate),
    // Only present when set: the backend reads a missing field as "no task to finish".
    ...(completeTaskId ? { complete_task_id: completeTaskId } : {}),
  };
}
