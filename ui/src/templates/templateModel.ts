import { BackendError } from '../lib/backend';
import type { ParamSource } from '../lib/bindings/ParamSource';
import type { ParamValue } from '../lib/bindings/ParamValue';
import type { Template } from '../lib/bindings/Template';
import type { TemplateCategory } from '../lib/bindings/TemplateCategory';
import type { TemplateChannel } from '../lib/bindings/TemplateChannel';
import type { TemplateInput } from '../lib/bindings/TemplateInput';
import type { TemplateVariable } from '../lib/bindings/TemplateVariable';
import type { ZaloParam } from '../lib/bindings/ZaloParam';
import type { ZaloTemplate } from '../lib/bindings/ZaloTemplate';
import { errorMessageKey } from '../lib/errorText';
import { dictionaries, translate, type Lang, type MessageKey } from '../lib/i18n';

export const TEMPLATE_CHANNELS: readonly TemplateChannel[] = ['telegram', 'zalo', 'zalo_template', 'email', 'any'];
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
  zalo_template: 'tchannel.zalo_template',
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

/** The option of a parameter's select that gives it the same text for every customer. */
export const FIXED_TEXT = 'text';

/**
 * Where one Zalo template parameter's value comes from, as the form holds it: a template variable
 * (`customer.name`), `FIXED_TEXT` with the text typed, or '' when nothing is chosen yet.
 */
export type ParamFormValue = { source: string; text: string };

export type TemplateFormValues = {
  name: string;
  description: string;
  channel: TemplateChannel;
  category: TemplateCategory;
  subject: string;
  body: string;
  /** The approved Zalo template this one is sent as; '' for none. */
  zalo_template_id: string;
  /** By parameter name of that Zalo template. */
  zalo_params: Record<string, ParamFormValue>;
};

export function emptyTemplateForm(): TemplateFormValues {
  return {
    name: '',
    description: '',
    channel: 'any',
    category: 'other',
    subject: '',
    body: '',
    zalo_template_id: '',
    zalo_params: {},
  };
}

export function paramFormFrom(source: ParamSource | undefined): ParamFormValue {
  if (source === undefined) return { source: '', text: '' };
  return 'field' in source ? { source: source.field, text: '' } : { source: FIXED_TEXT, text: source.text };
}

export function templateFormFrom(template: Template): TemplateFormValues {
  const params: Record<string, ParamFormValue> = {};
  for (const [name, source] of Object.entries(template.zalo_params ?? {})) params[name] = paramFormFrom(source);
  return {
    name: template.name,
    description: template.description ?? '',
    channel: template.channel,
    category: template.category,
    subject: template.subject ?? '',
    body: template.body,
    zalo_template_id: template.zalo_template_id ?? '',
    zalo_params: params,
  };
}

/** Only email (and any-channel) templates have a subject. */
export function hasSubject(channel: TemplateChannel): boolean {
  return channel === 'email' || channel === 'any';
}

/** A Zalo template's words are Zalo's: it has no text of Tend's. */
export function hasBody(channel: TemplateChannel): boolean {
  return channel !== 'zalo_template';
}

/**
 * Whether a template of `channel` is sent as a Zalo template: always for the Zalo template
 * channel; for a Zalo or any-channel text, optionally, when Zalo (automatic) finds the customer
 * outside Zalo's free windows.
 */
export function zaloTemplateUse(channel: TemplateChannel): 'required' | 'optional' | null {
  if (channel === 'zalo_template') return 'required';
  return channel === 'zalo' || channel === 'any' ? 'optional' : null;
}

/** A parameter's source as the backend takes it; null when nothing is chosen. */
export function toParamSource(value: ParamFormValue): ParamSource | null {
  if (value.source === '') return null;
  return value.source === FIXED_TEXT ? { text: value.text.trim() } : { field: value.source };
}

export function toParamMap(params: Record<string, ParamFormValue>): { [key in string]?: ParamSource } {
  const map: { [key in string]?: ParamSource } = {};
  for (const [name, value] of Object.entries(params)) {
    const source = toParamSource(value);
    if (source !== null) map[name] = source;
  }
  return map;
}

/** The Zalo template the form is sent as, or null when it is sent as a text only. */
export function chosenZaloTemplate(values: Pick<TemplateFormValues, 'channel' | 'zalo_template_id'>): string | null {
  const id = values.zalo_template_id.trim();
  return zaloTemplateUse(values.channel) !== null && id !== '' ? id : null;
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function toTemplateInput(values: TemplateFormValues): TemplateInput {
  const zaloTemplateId = chosenZaloTemplate(values);
  return {
    name: values.name.trim(),
    description: orNull(values.description),
    channel: values.channel,
    category: values.category,
    subject: hasSubject(values.channel) ? orNull(values.subject) : null,
    // The body is kept as typed: spacing and blank lines are part of the message.
    body: hasBody(values.channel) ? values.body : '',
    zalo_template_id: zaloTemplateId,
    zalo_params: zaloTemplateId === null ? null : toParamMap(values.zalo_params),
  };
}

/** Only the templates Zalo approved can be sent. */
export function approvedZaloTemplates(list: readonly ZaloTemplate[]): ZaloTemplate[] {
  return list.filter((template) => template.status === 'ENABLE');
}

/**
 * The form's mapping once `params` (a newly chosen Zalo template's) are the ones to fill: a
 * parameter mapped before under the same name keeps its source.
 */
export function paramsFor(params: readonly ZaloParam[], current: Record<string, ParamFormValue>): Record<string, ParamFormValue> {
  const next: Record<string, ParamFormValue> = {};
  for (const param of params) next[param.name] = current[param.name] ?? { source: '', text: '' };
  return next;
}

/** The variables Tend fills in, for when the backend's list could not be loaded. */
export const TEMPLATE_VARIABLE_NAMES: readonly string[] = [
  'customer.name',
  'customer.given_name',
  'customer.phone',
  'customer.email',
  'customer.company',
  'customer.address',
  'customer.birthday',
  'me.name',
  'me.phone',
  'today',
];

/**
 * The variables a parameter can take its value from: the editor's chips, plus any variable a
 * stored mapping names that the list lacks, so opening the template does not lose it.
 */
export function variableChoices(loaded: readonly TemplateVariable[], mapped: readonly string[]): string[] {
  const names = loaded.length > 0 ? loaded.map((variable) => variable.name) : [...TEMPLATE_VARIABLE_NAMES];
  for (const name of mapped) {
    if (name !== '' && name !== FIXED_TEXT && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * A parameter as the preview shows it: "customer_name: Trần Thị Lan", or what is wrong with it
 * ("order_code — empty for this customer", "…: … — over Zalo's 30 characters").
 */
export function paramPreviewText(lang: Lang, param: ParamValue): string {
  const name = param.name;
  const value = param.value ?? '';
  switch (param.problem) {
    case 'missing':
      return translate(lang, 'templates.zalo.problem.missing', { name });
    case 'unmapped':
      return translate(lang, 'templates.zalo.problem.unmapped', { name });
    case 'too_long':
      return param.max_length !== null
        ? translate(lang, 'templates.zalo.problem.too_long', { name, value, max: param.max_length })
        : translate(lang, 'templates.zalo.problem.too_long_nomax', { name, value });
    case null:
      return param.value === null
        ? translate(lang, 'templates.zalo.previewBlank', { name })
        : translate(lang, 'templates.zalo.previewValue', { name, value });
  }
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
export type TemplateErrorField = 'name' | 'subject' | 'body' | 'zalo_template_id' | 'zalo_params';

const ERROR_FIELDS: readonly TemplateErrorField[] = ['name', 'subject', 'body', 'zalo_template_id', 'zalo_params'];

export function templateErrorField(error: unknown): TemplateErrorField | null {
  if (!(error instanceof BackendError) || error.code !== 'invalid_input' || error.field === null) return null;
  return (ERROR_FIELDS as readonly string[]).includes(error.field) ? (error.field as TemplateErrorField) : null;
}

/** The element a save error puts the focus on: the field, or the parameter it names. */
export function errorFieldId(field: TemplateErrorField, error: BackendError): string {
  if (field === 'zalo_params' && error.params.param) return paramFieldId(error.params.param);
  return `tf-${field}`;
}

/** The id of a Zalo template parameter's select. */
export function paramFieldId(name: string): string {
  return `tf-zalo-param-${name}`;
}

/** The customer a draft is previewed for. */
export type PickedCustomer = { id: string; full_name: string };
