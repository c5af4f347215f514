import type { ErrorCode } from '../bindings/ErrorCode';

export const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'not_found',
  'conflict',
  'newer_database',
  'storage',
  'internal',
];

/** The message of an error that carried nothing readable; the UI shows its own words for it. */
export const UNEXPECTED_ERROR = 'Unexpected error';

/** The values an error's wording needs, by name; numbers arrive as decimal strings. */
export type ErrorParams = Record<string, string>;

/**
 * An error from the backend. The UI words it from `code`, `key` and `params` (see
 * lib/errorText.ts); `message` is English, for logs only.
 */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;
  /** The stable name of the problem, e.g. `phone.invalid_vietnamese`; '' when there is none. */
  readonly key: string;
  readonly params: ErrorParams;

  constructor(
    code: ErrorCode,
    message: string,
    field: string | null = null,
    key: string = '',
    params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.field = field;
    this.key = key;
    this.params = params;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The string-valued params of a payload; a number is kept as its decimal string. */
function readParams(value: unknown): ErrorParams {
  const params: ErrorParams = {};
  if (!isRecord(value)) return params;
  for (const [name, param] of Object.entries(value)) {
    if (typeof param === 'string') params[name] = param;
    else if (typeof param === 'number' && Number.isFinite(param)) params[name] = String(param);
  }
  return params;
}

/** Turns whatever `invoke` rejected with into a BackendError, so views only handle one shape. */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    const code = (ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ErrorCode)
      : 'internal';
    const field = typeof error.field === 'string' && error.field !== '' ? error.field : null;
    const key = typeof error.key === 'string' ? error.key : '';
    return new BackendError(code, error.message, field, key, readParams(error.params));
  }
  if (error instanceof Error) return new BackendError('internal', error.message);
  if (typeof error === 'string' && error !== '') return new BackendError('internal', error);
  return new BackendError('internal', UNEXPECTED_ERROR);
}

/**
 * The error's own English words, for a folded "technical details" line that helps support; the UI
 * never shows them as the message itself (that is lib/errorText.ts).
 */
export function technicalDetail(error: unknown): string {
  return toBackendError(error).message;
}
