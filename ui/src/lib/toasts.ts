import { writable } from 'svelte/store';
import { errorText } from './errorText';
import { lang, type Lang } from './i18n';
import { get } from 'svelte/store';

export type ToastKind = 'success' | 'error' | 'notice';
/** `customerId`: a notice about a customer offers a link that opens them. */
export type Toast = { id: number; kind: ToastKind; message: string; customerId?: string };

const ERROR_MS = 6000;
const SUCCESS_MS = 3500;

export const toasts = writable<Toast[]>([]);

let nextId = 1;

export function dismissToast(id: number): void {
  toasts.update((list) => list.filter((toast) => toast.id !== id));
}

function push(kind: ToastKind, message: string): void {
  const id = nextId++;
  toasts.update((list) => [...list, { id, kind, message }]);
  setTimeout(() => dismissToast(id), kind === 'error' ? ERROR_MS : SUCCESS_MS);
}

/** Notices stay until dismissed (a reminder must not vanish while nobody looks); at most this many. */
const MAX_NOTICES = 5;

/** A reminder from a scenario's notification step, with a link to the customer. */
export function toastNotice(message: string, customerId?: string): void {
  const id = nextId++;
  toasts.update((list) => {
    const notices = list.filter((toast) => toast.kind === 'notice');
    const drop = new Set(notices.slice(0, Math.max(0, notices.length - MAX_NOTICES + 1)).map((toast) => toast.id));
    return [...list.filter((toast) => !drop.has(toast.id)), { id, kind: 'notice', message, customerId }];
  });
}

export function toastSuccess(message: string): void {
  push('success', message);
}

/** A readable sentence for any error, in the UI's language (see errorText). */
export function errorMessage(error: unknown, language: Lang = get(lang)): string {
  return errorText(language, error);
}

export function toastError(error: unknown): void {
  push('error', errorMessage(error));
}
