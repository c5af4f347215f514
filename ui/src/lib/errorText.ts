// Words every backend error in the UI's language. The backend names each problem with a stable
// key and the values its wording needs ({key: 'phone.invalid_vietnamese', params: {value}}); the
// catalogs hold the words as `error.<key>`. A key the catalogs do not know yet falls back to
// generic words for the error's code. The English `message` is for logs and is never shown.
import type { ErrorCode } from './bindings/ErrorCode';
import { BackendError, toBackendError } from './backend';
import { dictionaries, translate, type Lang, type MessageKey } from './i18n';

const CODE_KEYS: Record<ErrorCode, MessageKey> = {
  invalid_input: 'error.code.invalid_input',
  not_found: 'error.code.not_found',
  conflict: 'error.code.conflict',
  newer_database: 'error.code.newer_database',
  storage: 'error.code.storage',
  internal: 'error.code.internal',
};

/** The catalog entry that words `error`: `error.<key>`, or the one for its code. */
export function errorMessageKey(error: BackendError): MessageKey {
  const key = `error.${error.key}`;
  if (error.key !== '' && Object.prototype.hasOwnProperty.call(dictionaries.en, key)) return key as MessageKey;
  return CODE_KEYS[error.code] ?? CODE_KEYS.internal;
}

/** A sentence for any error (a BackendError, an Error, anything thrown), in `lang`. */
export function errorText(lang: Lang, error: unknown): string {
  const backendError = toBackendError(error);
  return translate(lang, errorMessageKey(backendError), backendError.params);
}
