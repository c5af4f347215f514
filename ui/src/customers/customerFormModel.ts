import type { Customer } from '../lib/bindings/Customer';
import type { CustomerInput } from '../lib/bindings/CustomerInput';
import type { LifecycleStage } from '../lib/bindings/LifecycleStage';
import type { Temperature } from '../lib/bindings/Temperature';

export const STAGES: readonly LifecycleStage[] = ['prospect', 'new', 'active', 'at_risk', 'churned'];
export const TEMPERATURES: readonly Temperature[] = ['hot', 'warm', 'cold'];

/** Form state as the inputs hold it: plain strings, so a failed save never loses typing. */
export type CustomerFormValues = {
  full_name: string;
  phone: string;
  extraPhones: string[];
  email: string;
  company_name: string;
  address: string;
  birthday: string;
  zalo_id: string;
  zalo_phone: string;
  telegram_id: string;
  telegram_username: string;
  source: string;
  lifecycle_stage: LifecycleStage | '';
  temperature: Temperature | '';
  tags: string;
  notes: string;
  /** The customer asked not to be contacted: no campaign or scenario message goes to them. */
  do_not_contact: boolean;
};

export function emptyCustomerForm(): CustomerFormValues {
  return {
    full_name: '',
    phone: '',
    extraPhones: [],
    email: '',
    company_name: '',
    address: '',
    birthday: '',
    zalo_id: '',
    zalo_phone: '',
    telegram_id: '',
    telegram_username: '',
    source: '',
    lifecycle_stage: '',
    temperature: '',
    tags: '',
    notes: '',
    do_not_contact: false,
  };
}

/** A new customer's form with the values another screen already knows (a name, a Zalo user id). */
export function newCustomerForm(prefill: Partial<Pick<CustomerFormValues, 'full_name' | 'zalo_id'>> = {}): CustomerFormValues {
  return {
    ...emptyCustomerForm(),
    full_name: prefill.full_name ?? '',
    zalo_id: prefill.zalo_id ?? '',
  };
}

export function customerFormFrom(customer: Customer): CustomerFormValues {
  // The primary phone goes in the main field whatever its position in the list.
  const phones = [...customer.phones].sort((a, b) => Number(b.is_primary) - Number(a.is_primary));
  return {
    full_name: customer.full_name,
    phone: phones[0]?.display ?? '',
    extraPhones: phones.slice(1).map((p) => p.display),
    email: customer.email ?? '',
    company_name: customer.company_name ?? '',
    address: customer.address ?? '',
    birthday: customer.birthday ?? '',
    zalo_id: customer.zalo_id ?? '',
    zalo_phone: customer.zalo_phone ?? '',
    telegram_id: customer.telegram_id ?? '',
    telegram_username: customer.telegram_username ?? '',
    source: customer.source ?? '',
    lifecycle_stage: customer.lifecycle_stage,
    temperature: customer.temperature ?? '',
    tags: customer.tags.map((tag) => tag.name).join(', '),
    notes: customer.notes ?? '',
    do_not_contact: customer.do_not_contact,
  };
}

/**
 * A new customer's Zalo number is nearly always their phone, so the Zalo field follows the phone
 * as it is typed until the salesperson types in the Zalo field. A saved customer's Zalo number is
 * what they chose before: it never follows.
 */
export function zaloFollowsPhoneAtStart(editing: boolean): boolean {
  return !editing;
}

/** The Zalo field once the phone reads `phone`: the same number while it follows, else untouched. */
export function zaloAfterPhone(phone: string, zaloPhone: string, follows: boolean): string {
  return follows ? phone : zaloPhone;
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of text.split(',')) {
    const name = part.trim();
    const key = name.toLocaleLowerCase('vi');
    if (name !== '' && !seen.has(key)) {
      seen.add(key);
      tags.push(name);
    }
  }
  return tags;
}

export function toCustomerInput(values: CustomerFormValues): CustomerInput {
  const phones = [values.phone, ...values.extraPhones]
    .map((number) => number.trim())
    .filter((number) => number !== '')
    .map((number) => ({ number }));
  return {
    full_name: values.full_name.trim(),
    phones,
    email: orNull(values.email),
    company_name: orNull(values.company_name),
    address: orNull(values.address),
    birthday: orNull(values.birthday),
    zalo_id: orNull(values.zalo_id),
    zalo_phone: orNull(values.zalo_phone),
    telegram_id: orNull(values.telegram_id),
    telegram_username: orNull(values.telegram_username),
    source: orNull(values.source),
    lifecycle_stage: values.lifecycle_stage === '' ? null : values.lifecycle_stage,
    temperature: values.temperature === '' ? null : values.temperature,
    tags: parseTags(values.tags),
    notes: orNull(values.notes),
    do_not_contact: values.do_not_contact,
  };
}

/** Form fields that can show an error from the backend. */
export type ErrorField =
  | 'full_name'
  | 'phone'
  | 'email'
  | 'birthday'
  | 'telegram_id'
  | 'telegram_username'
  | 'zalo_phone'
  | 'zalo_id';

const ERROR_FIELDS: readonly ErrorField[] = [
  'full_name',
  'phone',
  'email',
  'birthday',
  'telegram_id',
  'telegram_username',
  'zalo_phone',
  'zalo_id',
];

/** Maps the backend's field name to a form field; phone errors may name a list entry ("phones[1]"). */
export function errorFieldFor(field: string | null): ErrorField | null {
  if (field === null) return null;
  if (field.startsWith('phone')) return 'phone';
  return (ERROR_FIELDS as readonly string[]).includes(field) ? (field as ErrorField) : null;
}
