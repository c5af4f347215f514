// What the merge dialog decides, kept apart from the view: which fields differ between two
// customers, whose value each keeps unless the salesperson picks, and the request that says so.
import type { Customer } from '../lib/bindings/Customer';
import type { CustomerId } from '../lib/bindings/CustomerId';
import type { FieldChoice } from '../lib/bindings/FieldChoice';
import type { MergeField } from '../lib/bindings/MergeField';
import type { MergeRequest } from '../lib/bindings/MergeRequest';
import type { MessageKey } from '../lib/i18n';

/** Every field a merge takes from one of the customers, in the order the customer form shows them. */
export const MERGE_FIELDS: readonly MergeField[] = [
  'full_name',
  'email',
  'company_name',
  'address',
  'birthday',
  'zalo_id',
  'zalo_phone',
  'telegram_id',
  'telegram_username',
  'source',
  'lifecycle_stage',
  'temperature',
  'notes',
];

/** The form's own words for each field, so the dialog names them as the salesperson knows them. */
export const FIELD_LABELS: Record<MergeField, MessageKey> = {
  full_name: 'form.name',
  email: 'form.email',
  company_name: 'form.company',
  address: 'form.address',
  birthday: 'form.birthday',
  zalo_id: 'form.zaloId',
  zalo_phone: 'form.zaloPhone',
  telegram_id: 'form.telegramId',
  telegram_username: 'form.telegramUsername',
  source: 'form.source',
  lifecycle_stage: 'form.stage',
  temperature: 'form.temperature',
  notes: 'form.notes',
};

/** The notes of both, joined: what the backend does with notes nobody picked. */
export const JOIN_NOTES = 'join';

/** Whose value a field keeps: a customer, or for notes both of them joined. */
export type FieldPick = CustomerId | typeof JOIN_NOTES;

/** The field's stored value, or null when it has none (blank text counts as none). */
export function fieldValue(customer: Customer, field: MergeField): string | null {
  const value = customer[field];
  return value === null || value.trim() === '' ? null : value;
}

/** The fields whose values differ, in form order; a field equal or empty on both has nothing to choose. */
export function differingFields(a: Customer, b: Customer): MergeField[] {
  return MERGE_FIELDS.filter((field) => fieldValue(a, field)?.trim() !== fieldValue(b, field)?.trim());
}

/**
 * Whose value a field keeps when the salesperson does not pick: the kept customer's, or the
 * other's when the kept one has none. Notes both have are joined, as the backend joins them.
 */
export function defaultPick(field: MergeField, kept: Customer, other: Customer): FieldPick {
  const keptValue = fieldValue(kept, field);
  const otherValue = fieldValue(other, field);
  if (field === 'notes' && keptValue !== null && otherValue !== null) return JOIN_NOTES;
  return keptValue === null && otherValue !== null ? other.id : kept.id;
}

/** How much a record holds: its filled fields, phones, tags, pinned notes and interactions. */
export function richness(customer: Customer): number {
  const filled = MERGE_FIELDS.filter((field) => field !== 'lifecycle_stage' && fieldValue(customer, field) !== null);
  return (
    filled.length +
    customer.phones.length +
    customer.tags.length +
    customer.pinned_notes.length +
    customer.total_interactions
  );
}

/** The customer kept unless the salesperson chooses: the one with more on record, `a` on a tie. */
export function defaultKeep(a: Customer, b: Customer): Customer {
  return richness(b) > richness(a) ? b : a;
}

/**
 * The merge of `other` into `kept`, naming whose value each differing field keeps: the pick the
 * salesperson made, else the default. Joined notes are left unnamed, which is how the backend
 * is asked to join them.
 */
export function mergeRequest(
  kept: Customer,
  other: Customer,
  picks: Partial<Record<MergeField, FieldPick>>,
): MergeRequest {
  const choices: FieldChoice[] = [];
  for (const field of differingFields(kept, other)) {
    const pick = picks[field] ?? defaultPick(field, kept, other);
    if (pick !== JOIN_NOTES) choices.push({ field, from: pick });
  }
  return { keep: kept.id, others: [other.id], choices };
}
