// The segment editor's form model, kept free of Svelte so it can be unit tested: which fields a
// criterion can look at, how each one compares and what value it takes, and the conversion
// between the form and the `SegmentDefinition` the backend stores.
import type { CriteriaGroup } from '../lib/bindings/CriteriaGroup';
import type { Criterion } from '../lib/bindings/Criterion';
import type { CriterionOp } from '../lib/bindings/CriterionOp';
import type { MatchMode } from '../lib/bindings/MatchMode';
import type { Segment } from '../lib/bindings/Segment';
import type { SegmentDefinition } from '../lib/bindings/SegmentDefinition';
import type { SegmentField } from '../lib/bindings/SegmentField';
import type { SegmentInput } from '../lib/bindings/SegmentInput';
import type { MessageKey } from '../lib/i18n';

/** What the value part of a criterion row is. */
export type ValueKind =
  /** One or more tags, chosen by name (tag ids). */
  | 'tags'
  /** One of a fixed list (`choices`). */
  | 'choice'
  /** Free text. */
  | 'text'
  /** A province or city, typed or picked from Vietnam's list. */
  | 'province'
  /** A local date (`YYYY-MM-DD`), or a range of two for `between`. */
  | 'date'
  /** A number of days. */
  | 'days'
  /** A scenario, by id. */
  | 'scenario'
  /** A campaign, by id. */
  | 'campaign'
  /** Nothing to choose (do not contact). */
  | 'none';

export type FieldSpec = {
  /** The ways it compares; the first is the default. A single one shows no choice. */
  ops: readonly CriterionOp[];
  kind: ValueKind;
  /** For `choice`: the values, the first being the default. */
  choices?: readonly string[];
  /** The value a new criterion on this field starts with. */
  defaultValue?: string;
};

/** In the order the field select offers them. */
export const SEGMENT_FIELDS: readonly SegmentField[] = [
  'tag',
  'lifecycle',
  'temperature',
  'source',
  'company',
  'province',
  'address',
  'created',
  'last_contact',
  'no_contact_days',
  'follow_up_due',
  'birthday_within_days',
  'has_channel',
  'scenario',
  'campaign',
  'consent',
  'do_not_contact',
];

const HAS: readonly CriterionOp[] = ['has', 'has_not'];
const IS: readonly CriterionOp[] = ['is', 'is_not'];
const TEXT: readonly CriterionOp[] = ['is', 'is_not', 'contains'];
const DATES: readonly CriterionOp[] = ['before', 'after', 'between'];
const DAYS: readonly CriterionOp[] = ['within'];

export const LIFECYCLE_VALUES = ['prospect', 'new', 'active', 'at_risk', 'churned'] as const;
export const TEMPERATURE_VALUES = ['hot', 'warm', 'cold'] as const;
export const HAS_CHANNEL_VALUES = ['telegram', 'zalo_id', 'zalo_phone', 'email'] as const;
export const CONSENT_CHANNEL_VALUES = ['zalo', 'telegram', 'email'] as const;

export const FIELD_SPECS: Record<SegmentField, FieldSpec> = {
  tag: { ops: ['has', 'has_all', 'has_not'], kind: 'tags' },
  lifecycle: { ops: IS, kind: 'choice', choices: LIFECYCLE_VALUES },
  temperature: { ops: IS, kind: 'choice', choices: TEMPERATURE_VALUES },
  source: { ops: TEXT, kind: 'text' },
  company: { ops: TEXT, kind: 'text' },
  province: { ops: HAS, kind: 'province' },
  address: { ops: HAS, kind: 'text' },
  created: { ops: DATES, kind: 'date' },
  last_contact: { ops: DATES, kind: 'date' },
  no_contact_days: { ops: DAYS, kind: 'days', defaultValue: '30' },
  follow_up_due: { ops: DAYS, kind: 'days', defaultValue: '0' },
  birthday_within_days: { ops: DAYS, kind: 'days', defaultValue: '7' },
  has_channel: { ops: HAS, kind: 'choice', choices: HAS_CHANNEL_VALUES },
  scenario: { ops: HAS, kind: 'scenario' },
  campaign: { ops: HAS, kind: 'campaign' },
  consent: { ops: ['given', 'withdrawn', 'not_recorded'], kind: 'choice', choices: CONSENT_CHANNEL_VALUES },
  do_not_contact: { ops: HAS, kind: 'none' },
};

export const FIELD_LABELS: Record<SegmentField, MessageKey> = {
  tag: 'segments.field.tag',
  lifecycle: 'segments.field.lifecycle',
  temperature: 'segments.field.temperature',
  source: 'segments.field.source',
  company: 'segments.field.company',
  province: 'segments.field.province',
  address: 'segments.field.address',
  created: 'segments.field.created',
  last_contact: 'segments.field.last_contact',
  no_contact_days: 'segments.field.no_contact_days',
  follow_up_due: 'segments.field.follow_up_due',
  birthday_within_days: 'segments.field.birthday_within_days',
  has_channel: 'segments.field.has_channel',
  scenario: 'segments.field.scenario',
  campaign: 'segments.field.campaign',
  consent: 'segments.field.consent',
  do_not_contact: 'segments.field.do_not_contact',
};

/** How an operator reads for a field: "has any of" a tag, "is in" a scenario, "gave" consent. */
export function opLabel(field: SegmentField, op: CriterionOp): MessageKey {
  switch (field) {
    case 'tag':
      return op === 'has_all' ? 'segments.op.tag.has_all' : op === 'has_not' ? 'segments.op.tag.has_not' : 'segments.op.tag.has';
    case 'province':
    case 'address':
      return op === 'has_not' ? 'segments.op.place.has_not' : 'segments.op.place.has';
    case 'scenario':
      return op === 'has_not' ? 'segments.op.scenario.has_not' : 'segments.op.scenario.has';
    case 'campaign':
      return op === 'has_not' ? 'segments.op.campaign.has_not' : 'segments.op.campaign.has';
    case 'consent':
      return op === 'withdrawn'
        ? 'segments.op.consent.withdrawn'
        : op === 'not_recorded'
          ? 'segments.op.consent.not_recorded'
          : 'segments.op.consent.given';
    case 'do_not_contact':
      return op === 'has_not' ? 'segments.op.dnc.has_not' : 'segments.op.dnc.has';
    default:
      return OP_LABELS[op];
  }
}

const OP_LABELS: Record<CriterionOp, MessageKey> = {
  has: 'segments.op.has',
  has_all: 'segments.op.tag.has_all',
  has_not: 'segments.op.has_not',
  is: 'segments.op.is',
  is_not: 'segments.op.is_not',
  contains: 'segments.op.contains',
  before: 'segments.op.before',
  after: 'segments.op.after',
  between: 'segments.op.between',
  within: 'segments.op.within',
  given: 'segments.op.consent.given',
  withdrawn: 'segments.op.consent.withdrawn',
  not_recorded: 'segments.op.consent.not_recorded',
};

/** The words for a value of a `choice` field. */
export function choiceLabel(field: SegmentField, value: string): MessageKey {
  switch (field) {
    case 'lifecycle':
      return `stage.${value}` as MessageKey;
    case 'temperature':
      return `temperature.${value}` as MessageKey;
    case 'has_channel':
      return `segments.channel.${value}` as MessageKey;
    default:
      return `segments.consentChannel.${value}` as MessageKey;
  }
}

/** Vietnam's provinces and cities as addresses name them, offered as suggestions. */
export const PROVINCES: readonly string[] = [
  'Hồ Chí Minh', 'Hà Nội', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'An Giang', 'Bà Rịa - Vũng Tàu',
  'Bạc Liêu', 'Bắc Giang', 'Bắc Kạn', 'Bắc Ninh', 'Bến Tre', 'Bình Dương', 'Bình Định',
  'Bình Phước', 'Bình Thuận', 'Cà Mau', 'Cao Bằng', 'Đắk Lắk', 'Đắk Nông', 'Điện Biên',
  'Đồng Nai', 'Đồng Tháp', 'Gia Lai', 'Hà Giang', 'Hà Nam', 'Hà Tĩnh', 'Hải Dương', 'Hậu Giang',
  'Hòa Bình', 'Hưng Yên', 'Huế', 'Khánh Hòa', 'Kiên Giang', 'Kon Tum', 'Lai Châu', 'Lạng Sơn',
  'Lào Cai', 'Lâm Đồng', 'Long An', 'Nam Định', 'Nghệ An', 'Ninh Bình', 'Ninh Thuận', 'Phú Thọ',
  'Phú Yên', 'Quảng Bình', 'Quảng Nam', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sóc Trăng',
  'Sơn La', 'Tây Ninh', 'Thái Bình', 'Thái Nguyên', 'Thanh Hóa', 'Tiền Giang', 'Trà Vinh',
  'Tuyên Quang', 'Vĩnh Long', 'Vĩnh Phúc', 'Yên Bái',
];

// ---------------------------------------------------------------------------------------------
// The form

/**
 * One criterion row. `value` is what the first input holds; a tag criterion may name more tags
 * in `more`; `to` ends a date range. `key` keeps Svelte's rows apart while they are edited.
 */
export type CriterionForm = {
  key: number;
  field: SegmentField;
  op: CriterionOp;
  value: string;
  more: string[];
  to: string;
};

export type GroupForm = { key: number; match: MatchMode; criteria: CriterionForm[] };

export type SegmentForm = { name: string; match: MatchMode; criteria: CriterionForm[]; groups: GroupForm[] };

let nextKey = 1;

/** What answers a choice-like field when the page has loaded nothing for it yet. */
export type FieldDefaults = { firstTagId?: string; firstScenarioId?: string; firstCampaignId?: string };

/** The value a criterion on `field` starts with. */
export function defaultValue(field: SegmentField, defaults: FieldDefaults = {}): string {
  const spec = FIELD_SPECS[field];
  switch (spec.kind) {
    case 'choice':
      return spec.choices?.[0] ?? '';
    case 'days':
      return spec.defaultValue ?? '';
    case 'tags':
      return defaults.firstTagId ?? '';
    case 'scenario':
      return defaults.firstScenarioId ?? '';
    case 'campaign':
      return defaults.firstCampaignId ?? '';
    default:
      return '';
  }
}

/** A fresh criterion on `field`, with its default comparison and value. */
export function newCriterion(field: SegmentField = 'tag', defaults: FieldDefaults = {}): CriterionForm {
  return { key: nextKey++, field, op: FIELD_SPECS[field].ops[0], value: defaultValue(field, defaults), more: [], to: '' };
}

/** The same row on another field: the comparison and value start over, since they rarely fit. */
export function changeField(criterion: CriterionForm, field: SegmentField, defaults: FieldDefaults = {}): CriterionForm {
  return { ...newCriterion(field, defaults), key: criterion.key };
}

export function newGroup(defaults: FieldDefaults = {}): GroupForm {
  return { key: nextKey++, match: 'any', criteria: [newCriterion('tag', defaults)] };
}

export function emptySegmentForm(): SegmentForm {
  return { name: '', match: 'all', criteria: [], groups: [] };
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function toCriterion(form: CriterionForm): Criterion {
  if (FIELD_SPECS[form.field].kind === 'tags') {
    const ids = [form.value, ...form.more].map((id) => id.trim()).filter((id) => id !== '');
    return { field: form.field, op: form.op, value: null, values: [...new Set(ids)], to: null };
  }
  return {
    field: form.field,
    op: form.op,
    value: FIELD_SPECS[form.field].kind === 'none' ? null : orNull(form.value),
    values: [],
    to: form.op === 'between' ? orNull(form.to) : null,
  };
}

/** What the backend stores and counts; groups left without criteria are dropped. */
export function toDefinition(form: SegmentForm): SegmentDefinition {
  const groups: CriteriaGroup[] = form.groups
    .filter((group) => group.criteria.length > 0)
    .map((group) => ({ match: group.match, criteria: group.criteria.map(toCriterion) }));
  return { match: form.match, criteria: form.criteria.map(toCriterion), groups };
}

export function toSegmentInput(form: SegmentForm): SegmentInput {
  return { name: form.name.trim(), definition: toDefinition(form) };
}

export function criterionForm(criterion: Criterion): CriterionForm {
  const spec = FIELD_SPECS[criterion.field];
  const op = spec.ops.includes(criterion.op) ? criterion.op : spec.ops[0];
  if (spec.kind === 'tags') {
    const ids = [...criterion.values, ...(criterion.value ? [criterion.value] : [])];
    return { key: nextKey++, field: criterion.field, op, value: ids[0] ?? '', more: ids.slice(1), to: '' };
  }
  const value = criterion.value ?? criterion.values[0] ?? '';
  return { key: nextKey++, field: criterion.field, op, value, more: [], to: criterion.to ?? '' };
}

export function segmentFormFrom(segment: Segment): SegmentForm {
  const definition = segment.definition;
  return {
    name: segment.name,
    match: definition.match,
    criteria: definition.criteria.map(criterionForm),
    groups: definition.groups.map((group) => ({
      key: nextKey++,
      match: group.match,
      criteria: group.criteria.map(criterionForm),
    })),
  };
}

/** What the value inputs offer: tags by name, scenarios and campaigns by name. */
export type CriterionOptions = {
  tags: { id: string; name: string }[];
  scenarios: { id: string; name: string }[];
  campaigns: { id: string; name: string }[];
};

/** The first of each list, for the value a new criterion starts with. */
export function fieldDefaults(options: CriterionOptions): FieldDefaults {
  return {
    firstTagId: options.tags[0]?.id,
    firstScenarioId: options.scenarios[0]?.id,
    firstCampaignId: options.campaigns[0]?.id,
  };
}

/** How many criteria a definition holds, groups included. */
export function criteriaCount(definition: SegmentDefinition): number {
  return definition.criteria.length + definition.groups.reduce((n, group) => n + group.criteria.length, 0);
}
