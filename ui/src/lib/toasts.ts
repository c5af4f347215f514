import { writable } from 'svelte/store';
import { BackendError } from './backend';
import { translate, lang, type Lang } from './i18n';
import { get } from 'svelte/store';

export type ToastKind = 'success' | 'error';
export type Toast = { id: number; kind: ToastKind; message: string };

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

export function toastSuccess(message: string): void {
  push('success', message);
}

/** A readable sentence for any error; the backend's message already says what went wrong. */
export function errorMessage(error: unknown, language: Lang = get(lang)): string {
  if (error instanceof BackendError) {
    switch (error.code) {
      case 'not_found':
        return translate(language, 'error.not_found', { message: error.message });
      case 'conflict':
        return translate(language, 'error.conflict', { message: error.message });
      case 'storage':
        return translate(language, 'error.storage', { message: error.message });
      case 'newer_database':
        return translate(language, 'error.newer_database');
      case 'invalid_input':
        return error.message;
      case 'internal':
        return translate(language, 'error.generic', { message: error.message });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return translate(language, 'error.generic', { message });
}

export function toastError(error: unknown): void {
  push('error', errorMessage(error));
}
