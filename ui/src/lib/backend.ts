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

import type { AssistedSend } from './bindings/AssistedSend';
import type { ChannelSettings } from './bindings/ChannelSettings';
import type { ComposeRequest } from './bindings/ComposeRequest';
import type { ConnectionTest } from './bindings/ConnectionTest';
import type { OutboxCounts } from './bindings/OutboxCounts';
import type { OutboxMessage } from './bindings/OutboxMessage';
import type { OutboxQuery } from './bindings/OutboxQuery';
import type { Rendered } from './bindings/Rendered';
import type { SecretsInput } from './bindings/SecretsInput';
import type { SendChannel } from './bindings/SendChannel';
import type { SettingsView } from './bindings/SettingsView';
import type { Template } from './bindings/Template';
import type { TemplateFilter } from './bindings/TemplateFilter';
import type { TemplateInput } from './bindings/TemplateInput';
import type { TemplateVariable } from './bindings/TemplateVariable';

import type { Enrollment } from './bindings/Enrollment';
import type { EnrollReport } from './bindings/EnrollReport';
import type { EnrollTarget } from './bindings/EnrollTarget';
import type { PlannedStep } from './bindings/PlannedStep';
import type { Scenario } from './bindings/Scenario';
import type { ScenarioInput } from './bindings/ScenarioInput';
import type { ScenarioToday } from './bindings/ScenarioToday';
import type { StepNotification } from './bindings/StepNotification';

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

  listTemplates(filter: TemplateFilter): Promise<Template[]>;
  getTemplate(id: string): Promise<Template>;
  createTemplate(input: TemplateInput): Promise<Template>;
  updateTemplate(id: string, input: TemplateInput): Promise<Template>;
  /** `suffix` is appended to the copy's name, e.g. "(bản sao)". */
  duplicateTemplate(id: string, suffix: string): Promise<Template>;
  deleteTemplate(id: string): Promise<null>;
  templateVariables(): Promise<TemplateVariable[]>;
  previewTemplate(customerId: string, templateId: string, channel: SendChannel): Promise<Rendered>;
  previewDraft(customerId: string, subject: string | null, body: string, email: boolean): Promise<Rendered>;

  /** Queues a message; the background sender delivers it. */
  sendMessage(request: ComposeRequest): Promise<OutboxMessage>;
  prepareAssisted(request: ComposeRequest): Promise<AssistedSend>;
  openChat(url: string): Promise<null>;
  confirmAssisted(request: ComposeRequest): Promise<OutboxMessage>;
  listOutbox(query: OutboxQuery): Promise<Page<OutboxMessage>>;
  outboxCounts(): Promise<OutboxCounts>;
  retryMessage(id: string): Promise<OutboxMessage>;
  cancelMessage(id: string): Promise<OutboxMessage>;
  /** Tells the sender the network is back, so waiting messages go out now. */
  networkOnline(): Promise<null>;

  getSettings(): Promise<SettingsView>;
  saveSettings(settings: ChannelSettings, secrets: SecretsInput): Promise<SettingsView>;
  testChannel(channel: SendChannel): Promise<ConnectionTest>;
  /** A t.me link that, once the customer presses Start, tells Tend their chat id. */
  telegramLink(customerId: string): Promise<string>;

  listScenarios(): Promise<Scenario[]>;
  getScenario(id: string): Promise<Scenario>;
  createScenario(input: ScenarioInput): Promise<Scenario>;
  updateScenario(id: string, input: ScenarioInput): Promise<Scenario>;
  /** `suffix` is appended to the copy's name, e.g. "(bản sao)". */
  duplicateScenario(id: string, suffix: string): Promise<Scenario>;
  setScenarioActive(id: string, active: boolean): Promise<Scenario>;
  /** Rejects with `conflict` while customers are enrolled. */
  deleteScenario(id: string): Promise<null>;
  /** Cancels every live enrolment of the scenario; resolves to how many were cancelled. */
  cancelScenarioEnrollments(id: string): Promise<number>;
  enroll(scenarioId: string, target: EnrollTarget): Promise<EnrollReport>;
  /** The steps a customer would get, with dates and rendered messages, before enrolling. */
  planEnrollment(scenarioId: string, customerId: string): Promise<PlannedStep[]>;
  pauseEnrollment(id: string): Promise<Enrollment>;
  resumeEnrollment(id: string): Promise<Enrollment>;
  cancelEnrollment(id: string): Promise<Enrollment>;
  customerEnrollments(customerId: string): Promise<Enrollment[]>;
  scenarioEnrollments(id: string): Promise<Page<Enrollment>>;
  scenarioToday(): Promise<ScenarioToday>;
  markStepSeen(enrollmentId: string, position: number): Promise<null>;

  /** Calls `cb` whenever the backend changed data on its own; returns an unsubscribe function. */
  onDataChanged(cb: () => void): Promise<() => void>;
  /** Calls `cb` for every notification step that ran; returns an unsubscribe function. */
  onStepNotification(cb: (notification: StepNotification) => void): Promise<() => void>;
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
  listTemplates: (filter) => call('list_templates', { filter }),
  getTemplate: (id) => call('get_template', { id }),
  createTemplate: (input) => call('create_template', { input }),
  updateTemplate: (id, input) => call('update_template', { id, input }),
  duplicateTemplate: (id, suffix) => call('duplicate_template', { id, suffix }),
  deleteTemplate: (id) => call('delete_template', { id }),
  templateVariables: () => call('template_variables', {}),
  previewTemplate: (customerId, templateId, channel) =>
    call('preview_template', { customerId, templateId, channel }),
  previewDraft: (customerId, subject, body, email) =>
    call('preview_draft', { customerId, subject, body, email }),
  sendMessage: (request) => call('send_message', { request }),
  prepareAssisted: (request) => call('prepare_assisted', { request }),
  openChat: (url) => call('open_chat', { url }),
  confirmAssisted: (request) => call('confirm_assisted', { request }),
  listOutbox: (query) => call('list_outbox', { query }),
  outboxCounts: () => call('outbox_counts', {}),
  retryMessage: (id) => call('retry_message', { id }),
  cancelMessage: (id) => call('cancel_message', { id }),
  networkOnline: () => call('network_online', {}),
  getSettings: () => call('get_settings', {}),
  saveSettings: (settings, secrets) => call('save_settings', { settings, secrets }),
  testChannel: (channel) => call('test_channel', { channel }),
  telegramLink: (customerId) => call('telegram_link', { customerId }),
  listScenarios: () => call('list_scenarios', {}),
  getScenario: (id) => call('get_scenario', { id }),
  createScenario: (input) => call('create_scenario', { input }),
  updateScenario: (id, input) => call('update_scenario', { id, input }),
  duplicateScenario: (id, suffix) => call('duplicate_scenario', { id, suffix }),
  setScenarioActive: (id, active) => call('set_scenario_active', { id, active }),
  deleteScenario: (id) => call('delete_scenario', { id }),
  cancelScenarioEnrollments: (id) => call('cancel_scenario_enrollments', { id }),
  enroll: (scenarioId, target) => call('enroll', { scenarioId, target }),
  planEnrollment: (scenarioId, customerId) => call('plan_enrollment', { scenarioId, customerId }),
  pauseEnrollment: (id) => call('pause_enrollment', { id }),
  resumeEnrollment: (id) => call('resume_enrollment', { id }),
  cancelEnrollment: (id) => call('cancel_enrollment', { id }),
  customerEnrollments: (customerId) => call('customer_enrollments', { customerId }),
  scenarioEnrollments: (id) => call('scenario_enrollments', { id }),
  scenarioToday: () => call('scenario_today', {}),
  markStepSeen: (enrollmentId, position) => call('mark_step_seen', { enrollmentId, position }),
  onDataChanged: async (cb) => {
    try {
      return await listen('data-changed', () => cb());
    } catch (error) {
      throw toBackendError(error);
    }
  },
  onStepNotification: async (cb) => {
    try {
      return await listen<StepNotification>('step-notification', (event) => cb(event.payload));
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
