// Localized text for the backend's field errors. The backend explains input errors in English
// (`BackendError {code: 'invalid_input', field, message}`); the Vietnamese UI shows its own words
// for every field it knows, with the rejected value quoted, and the backend's message otherwise.
import type { BackendError } from './backend';
import { translate, type Lang, type MessageKey } from './i18n';

/**
 * The text between the first “ and ” of a backend message: exactly the value the backend
 * rejected (already trimmed, and for a phone it may be an extra number, not the first one).
 */
export function quotedValue(message: string): string | null {
  const match = /“([^”]*)”/.exec(message);
  return match ? match[1] : null;
}

type PhoneProblem = 'characters' | 'international' | 'vietnamese';

/** Which of the backend's phone checks `value` fails, mirroring its order of checks. */
export function phoneProblem(value: string): PhoneProblem {
  let digits = '';
  let plus = false;
  for (const c of value) {
    if (c >= '0' && c <= '9') digits += c;
    else if (c === '+' && digits === '' && !plus) plus = true;
    else if (!' -.()\u00a0'.includes(c)) return 'characters';
  }
  if (!plus && digits.startsWith('00')) {
    digits = digits.slice(2);
    plus = true;
  }
  return plus && !digits.startsWith('84') ? 'international' : 'vietnamese';
}

function phoneMessage(lang: Lang, value: string | null, typed: string | undefined): string {
  if (value === null || value === '') {
    const nothingTyped = typed !== undefined && typed.trim() === '';
    return translate(lang, nothingTyped ? 'fieldError.phone.empty' : 'fieldError.phone.plain');
  }
  const keys: Record<PhoneProblem, MessageKey> = {
    characters: 'fieldError.phone.characters',
    international: 'fieldError.phone.international',
    vietnamese: 'fieldError.phone',
  };
  return translate(lang, keys[phoneProblem(value)], { value });
}

/** Fields whose message quotes the value: [with the value, without it]. */
const QUOTING = new Map<string, [MessageKey, MessageKey]>([
  ['email', ['fieldError.email', 'fieldError.email.plain']],
  ['birthday', ['fieldError.birthday', 'fieldError.birthday.plain']],
  ['telegram_id', ['fieldError.telegram_id', 'fieldError.telegram_id.plain']],
  ['telegram_username', ['fieldError.telegram_username', 'fieldError.telegram_username.plain']],
]);

/** Fields whose message needs no value. */
const PLAIN = new Map<string, MessageKey>([
  ['next_action', 'fieldError.next_action'],
  ['duration_minutes', 'fieldError.duration_minutes'],
  ['title', 'fieldError.title'],
  ['body', 'fieldError.body'],
]);

/** The backend's field name as the UI knows it: phone errors may name a list entry ("phones[1]"). */
function normalizeField(field: string): string {
  return field.startsWith('phone') ? 'phone' : field;
}

/**
 * The message to show for a backend error about one field, in `lang`.
 *
 * `typed` is what the form held for that field when it was saved, if the form has one; the value
 * the backend quoted wins because it is exactly what was rejected. English keeps the backend's own
 * message, as do unknown fields and codes other than `invalid_input`.
 */
export function fieldErrorMessage(lang: Lang, error: BackendError, typed?: string): string {
  if (lang === 'en' || error.code !== 'invalid_input' || error.field === null) return error.message;
  const field = normalizeField(error.field);
  const typedValue = typed?.trim() || null;
  const value = quotedValue(error.message) ?? typedValue;

  if (field === 'full_name') {
    return translate(lang, typedValue === null ? 'fieldError.full_name' : 'fieldError.full_name.tooLong');
  }
  if (field === 'phone' || field === 'zalo_phone') return phoneMessage(lang, value, typed);
  const quoting = QUOTING.get(field);
  if (quoting) {
    const [withValue, plain] = quoting;
    return value === null ? translate(lang, plain) : translate(lang, withValue, { value });
  }
  const plain = PLAIN.get(field);
  return plain ? translate(lang, plain) : error.message;
}
