// The only module that talks to Tauri. Views go through `backend()` so tests can swap in a mock.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Customer } from './bindings/Customer';
import type { CustomerDetail } from './bindings/CustomerDetail';
import type { CustomerInput } from './bindings/CustomerInput';
import type { CustomerListQuery } from './bindings/CustomerListQuery';
import type { CustomerSummary } from './bindings/CustomerSummary';
import type { ErrorCode } from './bindings/ErrorCode';
import type { Interaction } from './bindings/Interaction';
import type { InteractionInput } from './bindings/InteractionInput';
import type { LoadReport } from './bindings/LoadReport';
import type { Note } from './bindings/Note';
import type { Page } from './bindings/Page';
import type { SaveOutcome } from './bindings/SaveOutcome';
import type { Tag } from './bindings/Tag';
import type { Task } from './bindings/Task';
import type { TaskInput } from './bindings/TaskInput';
import type { TodayView } from './bindings/TodayView';

import type { AppInfo } from './bindings/AppInfo';
export type { AppInfo };

export interface Backend {
  appInfo(): Promise<AppInfo>;
  listCustomers(query: CustomerListQuery): Promise<Page<CustomerSummary>>;
  searchCustomers(query: string, limit: number): Promise<CustomerSummary[]>;
  getCustomer(id: string): Promise<Customer>;
  openCustomer(id: string): Promise<CustomerDetail>;
  createCustomer(input: CustomerInput, allowDuplicates: boolean): Promise<SaveOutcome>;
  updateCustomer(id: string, input: CustomerInput, allowDuplicates: boolean): Promise<SaveOutcome>;
  deleteCustomer(id: string): Promise<null>;
  restoreCustomer(id: string): Promise<Customer>;
  listTags(): Promise<Tag[]>;
  addNote(customerId: string, body: string, pinned: boolean): Promise<Note>;
  deleteNote(id: string): Promise<null>;
  logInteraction(input: InteractionInput): Promise<Interaction>;
  updateInteraction(id: string, input: InteractionInput): Promise<Interaction>;
  deleteInteraction(id: string): Promise<null>;
  timeline(customerId: string, offset: number, limit: number): Promise<Page<Interaction>>;
  createTask(input: TaskInput): Promise<Task>;
  completeTask(id: string): Promise<Task>;
  skipTask(id: string): Promise<Task>;
  reopenTask(id: string): Promise<Task>;
  rescheduleTask(id: string, dueAt: number): Promise<Task>;
  customerTasks(customerId: string, includeClosed: boolean): Promise<Task[]>;
  today(limit?: number): Promise<TodayView>;
  loadSampleData(): Promise<LoadReport>;
  /** Calls `cb` whenever the backend changed data on its own; returns an unsubscribe function. */
  onDataChanged(cb: () => void): Promise<() => void>;
}

const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'not_found',
  'conflict',
  'newer_database',
  'storage',
  'internal',
];

/** The message of an error that carried nothing readable; the UI shows its own words for it. */
export const UNEXPECTED_ERROR = 'Unexpected error';

export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;

  constructor(code: ErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.field = field;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Turns whatever `invoke` rejected with into a BackendError, so views only handle one shape. */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    const code = (ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ErrorCode)
      : 'internal';
    const field = typeof error.field === 'string' && error.field !== '' ? error.field : null;
    return new BackendError(code, error.message, field);
  }
  if (error instanceof Error) return new BackendError('internal', error.message);
  if (typeof error === 'string' && error !== '') return new BackendError('internal', error);
  return new BackendError('internal', UNEXPECTED_ERROR);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call('app_info'),
  listCustomers: (query) => call('list_customers', { query }),
  searchCustomers: (query, limit) => call('search_customers', { query, limit }),
  getCustomer: (id) => call('get_customer', { id }),
  openCustomer: (id) => call('open_customer', { id }),
  createCustomer: (input, allowDuplicates) => call('create_customer', { input, allowDuplicates }),
  updateCustomer: (id, input, allowDuplicates) =>
    call('update_customer', { id, input, allowDuplicates }),
  deleteCustomer: (id) => call('delete_customer', { id }),
  restoreCustomer: (id) => call('restore_customer', { id }),
  listTags: () => call('list_tags'),
  addNote: (customerId, body, pinned) => call('add_note', { customerId, body, pinned }),
  deleteNote: (id) => call('delete_note', { id }),
  logInteraction: (input) => call('log_interaction', { input }),
  updateInteraction: (id, input) => call('update_interaction', { id, input }),
  deleteInteraction: (id) => call('delete_interaction', { id }),
  timeline: (customerId, offset, limit) => call('timeline', { customerId, offset, limit }),
  createTask: (input) => call('create_task', { input }),
  completeTask: (id) => call('complete_task', { id }),
  skipTask: (id) => call('skip_task', { id }),
  reopenTask: (id) => call('reopen_task', { id }),
  rescheduleTask: (id, dueAt) => call('reschedule_task', { id, dueAt }),
  customerTasks: (customerId, includeClosed) =>
    call('customer_tasks', { customerId, includeClosed }),
  today: (limit) => call('today', { limit: limit ?? null }),
  loadSampleData: () => call('load_sample_data'),
  onDataChanged: async (cb) => {
    try {
      return await listen('data-changed', () => cb());
    } catch (error) {
      throw toBackendError(error);
    }
  },
};

let current: Backend = tauriBackend;

export function backend(): Backend {
  return current;
}

/** For tests and previews: every later `backend()` call returns `b`. */
export function setBackend(b: Backend): void {
  current = b;
}
