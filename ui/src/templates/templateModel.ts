import { BackendError } from '../lib/backend';
import type { Template } from '../lib/bindings/Template';
import type { TemplateCategory } from '../lib/bindings/TemplateCategory';
import type { TemplateChannel } from '../lib/bindings/TemplateChannel';
import type { TemplateInput } from '../lib/bindings/TemplateInput';
import { errorMessageKey } from '../lib/errorText';
import { dictionaries, type MessageKey } from '../lib/i18n';

export const TEMPLATE_CHANNELS: readonly TemplateChannel[] = ['telegram', 'zalo', 'email', 'any'];
export const TEMPLATE_CATEGORIES: readonly TemplateCategory[] = [
  'greeting',
  'follow_up',
  'quotation',
  'thank_you',
  'birthday',
  'reminder',
  'other',
];

export const TEMPLATE_CHANNEL_LABELS: Record<TemplateChannel, MessageKey> = {
  telegram: 'tchannel.telegram',
  zalo: 'tchannel.zalo',
  email: 'tchannel.email',
  any: 'tchannel.any',
};

export const CATEGORY_LABELS: Record<TemplateCategory, MessageKey> = {
  greeting: 'category.greeting',
  follow_up: 'category.follow_up',
  quotation: 'category.quotation',
  thank_you: 'category.thank_you',
  birthday: 'category.birthday',
  reminder: 'category.reminder',
  other: 'category.other',
};

export type TemplateFormValues = {
  name: string;
  description: string;
  channel: TemplateChannel;
  category: TemplateCategory;
  subject: string;
  body: string;
};

export function emptyTemplateForm(): TemplateFormValues {
  return { name: '', description: '', channel: 'any', category: 'other', subject: '', body: '' };
}

export function templateFormFrom(template: Template): TemplateFormValues {
  return {
    name: template.name,
    description: template.description ?? '',
    channel: template.channel,
    category: template.category,
    subject: template.subject ?? '',
    body: template.body,
  };
}

/** Only email (and any-channel) templates have a subject. */
export function hasSubject(channel: TemplateChannel): boolean {
  return channel === 'email' || channel === 'any';
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function toTemplateInput(values: TemplateFormValues): TemplateInput {
  return {
    name: values.name.trim(),
    description: orNull(values.description),
    channel: values.channel,
    category: values.category,
    subject: hasSubject(values.channel) ? orNull(values.subject) : null,
    // The body is kept as typed: spacing and blank lines are part of the message.
    body: values.body,
  };
}

/** The text with `insert` put in place of the selection; `cursor` is where the caret goes next. */
export function insertAtCursor(
  text: string,
  selectionStart: number | null | undefined,
  selectionEnd: number | null | undefined,
  insert: string,
): { value: string; cursor: number } {
  const clamp = (n: number) => Math.max(0, Math.min(text.length, n));
  const start = clamp(selectionStart ?? text.length);
  const end = Math.max(start, clamp(selectionEnd ?? start));
  return { value: text.slice(0, start) + insert + text.slice(end), cursor: start + insert.length };
}

export function variableToken(name: string): string {
  return `{{${name}}}`;
}

/**
 * The catalog entry naming a variable in plain words ("Họ tên" for `customer.name`); null for a
 * variable the catalogs do not know yet, which is then shown by its own name.
 */
export function variableLabelKey(name: string): MessageKey | null {
  const key = `templates.var.${name}`;
  return Object.prototype.hasOwnProperty.call(dictionaries.en, key) ? (key as MessageKey) : null;
}

/** Where a variable chip inserts: the subject only when it had the focus last and is shown. */
export function insertTarget(lastFocused: 'subject' | 'body', subjectShown: boolean): 'subject' | 'body' {
  return lastFocused === 'subject' && subjectShown ? 'subject' : 'body';
}

/**
 * The template engine's own words about an error ("unclosed tag"), when the sentence shown leaves
 * them out: they help support, but mean nothing to the salesperson, so they stay folded away.
 */
export function hiddenDetail(error: BackendError): string | null {
  const detail = error.params.detail;
  if (!detail) return null;
  return dictionaries.en[errorMessageKey(error)].includes('{detail}') ? null : detail;
}

/** Template fields whose errors are shown beside the field. */
export type TemplateErrorField = 'name' | 'subject' | 'body';

export function templateErrorField(error: unknown): TemplateErrorField | null {
  if (!(error instanceof BackendError) || error.code !== 'invalid_input') return null;
  return error.field === 'name' || error.field === 'subject' || error.field === 'body' ? error.field : null;
}

/** The customer a draft is previewed for. */
export type PickedCustomer = { id: string; full_name: string };
