// Views go through `backend()` so tests can swap in a mock; `call.ts` is the only module that
// talks to Tauri.
import { tauriApp, type AppBackend } from './app';
import { tauriBackup, type BackupBackend } from './backup';
import { tauriCampaigns, type CampaignsBackend } from './campaigns';
import { tauriCustomers, type CustomersBackend } from './customers';
import { tauriEvents, type EventsBackend } from './events';
import { tauriExports, type ExportsBackend } from './exports';
import { tauriImports, type ImportsBackend } from './imports';
import { tauriInteractions, type InteractionsBackend } from './interactions';
import { tauriMerges, type MergesBackend } from './merges';
import { tauriMessaging, type MessagingBackend } from './messaging';
import { tauriOutbox, type OutboxBackend } from './outbox';
import { tauriScenarios, type ScenariosBackend } from './scenarios';
import { tauriSettings, type SettingsBackend } from './settings';
import { tauriTasks, type TasksBackend } from './tasks';
import { tauriTemplates, type TemplatesBackend } from './templates';
import { tauriWorkers, type WorkersBackend } from './workers';
import { tauriZalo, type ZaloBackend } from './zalo';

export type { AppInfo } from '../bindings/AppInfo';
export { BackendError, technicalDetail, toBackendError, UNEXPECTED_ERROR } from './errors';
export type { ErrorParams } from './errors';
export type { ImportEncoding, ImportProgress } from './imports';
export type { ZaloParamMap } from './zalo';
export type {
  AppBackend,
  BackupBackend,
  CampaignsBackend,
  CustomersBackend,
  EventsBackend,
  ExportsBackend,
  ImportsBackend,
  InteractionsBackend,
  MergesBackend,
  MessagingBackend,
  OutboxBackend,
  ScenariosBackend,
  SettingsBackend,
  TasksBackend,
  TemplatesBackend,
  WorkersBackend,
  ZaloBackend,
};

export interface Backend
  extends AppBackend,
    BackupBackend,
    CampaignsBackend,
    CustomersBackend,
    ExportsBackend,
    ImportsBackend,
    InteractionsBackend,
    MergesBackend,
    TasksBackend,
    TemplatesBackend,
    MessagingBackend,
    OutboxBackend,
    SettingsBackend,
    ScenariosBackend,
    WorkersBackend,
    ZaloBackend,
    EventsBackend {}

export const tauriBackend: Backend = {
  ...tauriApp,
  ...tauriBackup,
  ...tauriCampaigns,
  ...tauriCustomers,
  ...tauriExports,
  ...tauriImports,
  ...tauriInteractions,
  ...tauriMerges,
  ...tauriTasks,
  ...tauriTemplates,
  ...tauriMessaging,
  ...tauriOutbox,
  ...tauriSettings,
  ...tauriScenarios,
  ...tauriWorkers,
  ...tauriZalo,
  ...tauriEvents,
};

let current: Backend = tauriBackend;

export function backend(): Backend {
  return current;
}

/** For tests and previews: every later `backend()` call returns `b`. */
export function setBackend(b: Backend): void {
  current = b;
}
