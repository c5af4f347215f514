// One mock of the whole backend for every UI test: each command is a `vi.fn` with an answer fit
// for an empty database, a test overrides only what it cares about, and events can be emitted by
// hand. Adding a command to `Backend` without a default here fails `npm run check`. A few
// commands keep state between calls (the unknown Zalo contacts) or answer what the test seeded
// (the Zalo bulk estimate).
import { vi, type Mock } from 'vitest';
import { setBackend, toBackendError, type Backend, type BackendError, type ImportProgress } from '../lib/backend';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { BackupSettings } from '../lib/bindings/BackupSettings';
import type { BackupStatus } from '../lib/bindings/BackupStatus';
import type { ExportRequest } from '../lib/bindings/ExportRequest';
import type { SettingsView } from '../lib/bindings/SettingsView';
import type { StepNotification } from '../lib/bindings/StepNotification';
import type { WorkerHealth } from '../lib/bindings/WorkerHealth';
import type { ZaloBulkEstimate } from '../lib/bindings/ZaloBulkEstimate';
import type { CampaignProgress } from '../lib/bindings/CampaignProgress';
import type { FrequencyCap } from '../lib/bindings/FrequencyCap';
import type { ZaloContact } from '../lib/bindings/ZaloContact';

export type BackendMethod = keyof Backend;

export type RecordedCall = { method: BackendMethod; args: unknown[] };

export interface MockControls {
  /** Every call made so far, in the order they were made. */
  calls(): RecordedCall[];
  /** The arguments of every call to `method`, in order. */
  callsTo<K extends BackendMethod>(method: K): Parameters<Backend[K]>[];
  /** From now on `method` rejects with `error` (a BackendError, or the payload the backend sends). */
  fail(method: BackendMethod, error: BackendError | ErrorPayload): void;
  /** Only the next call to `method` rejects with `error`; later calls answer as before. */
  failOnce(method: BackendMethod, error: BackendError | ErrorPayload): void;
  /** Plays a backend event to whoever subscribed through the default `on…` commands. */
  emit: {
    dataChanged(): void;
    stepNotification(notification: StepNotification): void;
    workerHealth(health: WorkerHealth[]): void;
    importProgress(progress: ImportProgress): void;
    databaseDamaged(): void;
  };
  /**
   * Replaces the unknown Zalo contacts: `listUnknownZaloContacts` answers with them (newest
   * first), linking or dismissing one takes it off, and either emits "data changed".
   */
  seedZaloContacts(contacts: ZaloContact[]): void;
  /** The unknown Zalo contacts as they stand now, newest first. */
  zaloContacts(): ZaloContact[];
  /**
   * The Zalo user id each customer was given by `linkZaloContact`, by customer id. The mock keeps
   * no customers, so this stands for their `zalo_id`.
   */
  customerZaloIds(): Record<string, string>;
  /**
   * What `zaloBulkEstimate` answers from now on, whatever the scenario and tag; the counts left
   * out are 0. Until seeded it answers all zeros (no Zalo message).
   */
  seedZaloBulkEstimate(estimate: Partial<ZaloBulkEstimate>): void;
}

export type MockBackend = { [K in BackendMethod]: Mock<Backend[K]> } & MockControls;

/** Settings of a fresh install: nothing configured, no secret saved. */
export const emptySettings: SettingsView = {
  settings: {
    my_name: null,
    my_phone: null,
    telegram_bot_username: null,
    zalo_app_id: null,
    smtp_host: null,
    smtp_port: null,
    smtp_security: 'starttls',
    smtp_username: null,
    smtp_from: null,
    request_timeout_secs: null,
    zalo_template_price_vnd: null,
  },
  secrets: {
    telegram_token: false,
    zalo_app_secret: false,
    zalo_access_token: false,
    zalo_refresh_token: false,
    smtp_password: false,
    location: 'os',
    problem: null,
  },
};

/** Backup settings of a fresh install: a daily backup into the data folder's `backups`. */
export const defaultBackupSettings: BackupSettings = { auto: true, folder: null, keep_daily: 7, keep_weekly: 4 };

/** The backup status of a fresh install: no backup yet, no failed automatic one. */
export const emptyBackupStatus: BackupStatus = {
  folder: '/tmp/tend/backups',
  settings: defaultBackupSettings,
  auto_error: null,
  last_file: null,
  last_local: null,
};

/** A campaign that has not run. */
export const emptyCampaignProgress: CampaignProgress = {
  run: null,
  total: 0,
  queued: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  waiting: 0,
  needs_manual: 0,
  cancelled: 0,
  pending: 0,
  replied: 0,
};

/** A bulk enrolment that would send nothing over Zalo. */
export const emptyZaloBulkEstimate: ZaloBulkEstimate = {
  customers: 0,
  free_reply: 0,
  consultation: 0,
  template: 0,
  personal: 0,
  blocked: 0,
  cost_vnd: 0,
};

/** A command whose answer depends on the test: it rejects until the test gives one. */
function needsAnswer(method: BackendMethod) {
  return () => Promise.reject(new Error(`mockBackend: ${method} has no default answer; pass one in the overrides`));
}

/** A lookup in an empty database. */
function notFound(what: string) {
  return (id: string) => Promise.reject(toBackendError({ code: 'not_found', message: `${what} ${id} not found`, field: null }));
}

/** The error the backend answers for a Zalo contact that is not (or no longer) in the list. */
function zaloContactGone(userId: string): BackendError {
  return toBackendError({
    code: 'not_found',
    key: 'not_found.zalo_contact',
    params: {},
    message: `zalo contact ${userId} not found`,
    field: null,
  });
}

/** What the Zalo commands that talk to Zalo answer on a fresh install: no OA set up. */
function zaloNotSetUp(): Promise<never> {
  return Promise.reject(
    toBackendError({
      code: 'invalid_input',
      key: 'zalo.not_set_up',
      params: {},
      message: 'Zalo OA is not set up',
      field: null,
    }),
  );
}

/** Newest message first, as the backend lists them. */
function newestFirst(contacts: ZaloContact[]): ZaloContact[] {
  return [...contacts].sort(
    (a, b) => (b.last_inbound_at ?? 0) - (a.last_inbound_at ?? 0) || a.user_id.localeCompare(b.user_id),
  );
}

type Listeners<T> = Set<(payload: T) => void>;

function subscribe<T>(listeners: Listeners<T>, cb: (payload: T) => void): Promise<() => void> {
  listeners.add(cb);
  return Promise.resolve(() => {
    listeners.delete(cb);
  });
}

/** A fresh mock backend; `overrides` replace the default answer of the commands they name. */
export function mockBackend(overrides: Partial<Backend> = {}): MockBackend {
  const dataChanged: Listeners<void> = new Set();
  const stepNotifications: Listeners<StepNotification> = new Set();
  const workerHealth: Listeners<WorkerHealth[]> = new Set();
  const importProgress: Listeners<ImportProgress> = new Set();
  const databaseDamaged: Listeners<void> = new Set();

  let zaloContacts: ZaloContact[] = [];
  const customerZaloIds: Record<string, string> = {};
  let zaloBulkEstimate: ZaloBulkEstimate = emptyZaloBulkEstimate;
  /** Takes `userId` off the unknown contacts, as linking and dismissing do. */
  function dropZaloContact(userId: string): Promise<null> {
    if (!zaloContacts.some((contact) => contact.user_id === userId)) return Promise.reject(zaloContactGone(userId));
    zaloContacts = zaloContacts.filter((contact) => contact.user_id !== userId);
    dataChanged.forEach((cb) => cb());
    return Promise.resolve(null);
  }

  const defaults = {
    appInfo: () => Promise.resolve({ version: '0.1.0', data_dir: '/tmp/tend', locale: 'vi-VN', open_error: null }),
    loadSampleData: () => Promise.resolve({ customers: 0, interactions: 0 }),

    listCustomers: () => Promise.resolve({ items: [], total: 0 }),
    searchCustomers: () => Promise.resolve([]),
    searchCustomersPage: () => Promise.resolve({ items: [], total: 0, more_than_total: false }),
    getCustomer: notFound('customer'),
    openCustomer: notFound('customer'),
    createCustomer: needsAnswer('createCustomer'),
    updateCustomer: needsAnswer('updateCustomer'),
    deleteCustomer: () => Promise.resolve(null),
    restoreCustomer: notFound('customer'),
    listTags: () => Promise.resolve([]),
    addNote: needsAnswer('addNote'),
    deleteNote: () => Promise.resolve(null),

    logInteraction: needsAnswer('logInteraction'),
    updateInteraction: needsAnswer('updateInteraction'),
    deleteInteraction: () => Promise.resolve(null),
    timeline: () => Promise.resolve({ items: [], total: 0 }),

    createTask: needsAnswer('createTask'),
    completeTask: notFound('task'),
    skipTask: notFound('task'),
    reopenTask: notFound('task'),
    rescheduleTask: notFound('task'),
    customerTasks: () => Promise.resolve([]),
    today: () =>
      Promise.resolve({ overdue: [], today: [], upcoming: [], overdue_total: 0, today_total: 0, upcoming_total: 0 }),

    listTemplates: () => Promise.resolve([]),
    getTemplate: notFound('template'),
    createTemplate: needsAnswer('createTemplate'),
    updateTemplate: needsAnswer('updateTemplate'),
    duplicateTemplate: notFound('template'),
    deleteTemplate: () => Promise.resolve(null),
    templateVariables: () => Promise.resolve([]),
    previewTemplate: needsAnswer('previewTemplate'),
    previewDraft: needsAnswer('previewDraft'),

    sendMessage: needsAnswer('sendMessage'),
    prepareAssisted: needsAnswer('prepareAssisted'),
    openChat: () => Promise.resolve(null),
    confirmAssisted: needsAnswer('confirmAssisted'),
    telegramLink: (customerId: string) => Promise.resolve(`https://t.me/tend_test_bot?start=${customerId}`),

    listOutbox: () => Promise.resolve({ items: [], total: 0 }),
    outboxCounts: () => Promise.resolve({ queued: 0, failed: 0, needs_manual: 0 }),
    retryMessage: notFound('message'),
    cancelMessage: notFound('message'),
    networkOnline: () => Promise.resolve(null),
    assistedQueue: () => Promise.resolve([]),
    finishAssisted: notFound('message'),

    getSettings: () => Promise.resolve(emptySettings),
    saveSettings: needsAnswer('saveSettings'),
    testChannel: () => Promise.resolve({ ok: true, message: '', problem: null }),

    listScenarios: () => Promise.resolve([]),
    getScenario: notFound('scenario'),
    createScenario: needsAnswer('createScenario'),
    updateScenario: needsAnswer('updateScenario'),
    duplicateScenario: notFound('scenario'),
    setScenarioActive: notFound('scenario'),
    deleteScenario: () => Promise.resolve(null),
    cancelScenarioEnrollments: () => Promise.resolve(0),
    enroll: () => Promise.resolve({ enrolled: 0, already: 0 }),
    planEnrollment: () => Promise.resolve([]),
    pauseEnrollment: notFound('enrollment'),
    resumeEnrollment: notFound('enrollment'),
    cancelEnrollment: notFound('enrollment'),
    customerEnrollments: () => Promise.resolve([]),
    scenarioEnrollments: () => Promise.resolve({ items: [], total: 0 }),
    scenarioToday: () => Promise.resolve({ upcoming: [], attention: [] }),
    markStepSeen: () => Promise.resolve(null),

    backupStatus: () => Promise.resolve(emptyBackupStatus),
    backupNow: () =>
      Promise.resolve({
        ...emptyBackupStatus,
        last_file: 'tend-backup-2026-11-21-183000.zip',
        last_local: '2026-11-21T18:30:00',
      }),
    saveBackupSettings: (settings: BackupSettings) =>
      Promise.resolve({
        ...emptyBackupStatus,
        folder: settings.folder ?? emptyBackupStatus.folder,
        settings,
      }),
    backupList: () => Promise.resolve([]),
    backupRestore: needsAnswer('backupRestore'),
    recoveryState: () => Promise.resolve({ damaged: false, detail: null, backups: [] }),
    recoverFromBackup: needsAnswer('recoverFromBackup'),
    onDatabaseDamaged: (cb: () => void) => subscribe(databaseDamaged, () => cb()),

    exportFile: (request: ExportRequest) =>
      Promise.resolve({
        path: `/home/lan/Downloads/tend-${request.what === 'interactions' ? 'tuong-tac' : 'khach-hang'}-2026-11-21-183000.${request.format}`,
        count: 0,
        bytes: 0,
      }),

    importOpen: needsAnswer('importOpen'),
    importDryRun: needsAnswer('importDryRun'),
    importRun: needsAnswer('importRun'),
    importCancel: () => Promise.resolve(null),
    importInvalidRows: () => Promise.resolve([]),
    importSaveInvalid: () => Promise.resolve('/home/lan/Downloads/tend-dong-loi.csv'),
    importsList: () => Promise.resolve([]),
    importUndo: notFound('import'),
    onImportProgress: (cb: (progress: ImportProgress) => void) => subscribe(importProgress, cb),

    duplicatesScan: () => Promise.resolve({ total: 0, pairs: [] }),
    mergeCustomers: needsAnswer('mergeCustomers'),
    mergeUndo: notFound('merge'),
    mergesList: () => Promise.resolve([]),

    workerHealth: () => Promise.resolve([]),
    onWorkerHealth: (cb: (health: WorkerHealth[]) => void) => subscribe(workerHealth, cb),

    listSegments: () => Promise.resolve([]),
    getSegment: notFound('segment'),
    saveSegment: needsAnswer('saveSegment'),
    deleteSegment: () => Promise.resolve(null),
    countSegment: () => Promise.resolve(0),
    segmentCustomers: () => Promise.resolve({ items: [], total: 0 }),
    tagSegment: () => Promise.resolve(0),
    enrollSegment: () => Promise.resolve({ enrolled: 0, already: 0 }),
    customerConsent: () =>
      Promise.resolve({ do_not_contact: false, do_not_contact_at: null, current: [], history: [] }),
    recordConsent: needsAnswer('recordConsent'),
    withdrawConsentFromMessage: needsAnswer('withdrawConsentFromMessage'),
    frequencyCap: () => Promise.resolve({ per_7_days: 3 }),
    setFrequencyCap: (cap: FrequencyCap) => Promise.resolve(cap),
    listCampaigns: () => Promise.resolve([]),
    getCampaign: notFound('campaign'),
    saveCampaign: needsAnswer('saveCampaign'),
    deleteCampaign: () => Promise.resolve(null),
    startCampaign: needsAnswer('startCampaign'),
    pauseCampaign: notFound('campaign'),
    resumeCampaign: notFound('campaign'),
    cancelCampaign: notFound('campaign'),
    campaignPreview: needsAnswer('campaignPreview'),
    campaignPreviewRows: () => Promise.resolve({ items: [], total: 0 }),
    campaignProgress: () => Promise.resolve(emptyCampaignProgress),
    campaignReport: needsAnswer('campaignReport'),
    campaignRecipients: () => Promise.resolve({ items: [], total: 0 }),

    listUnknownZaloContacts: () => Promise.resolve(newestFirst(zaloContacts)),
    linkZaloContact: (userId: string, customerId: string) => {
      const known = zaloContacts.some((contact) => contact.user_id === userId);
      if (known) customerZaloIds[customerId] = userId;
      return dropZaloContact(userId);
    },
    dismissZaloContact: (userId: string) => dropZaloContact(userId),
    // Nothing new to read: the real backend then emits nothing either.
    readZaloNow: () => Promise.resolve(null),
    // No Zalo template fetched yet, and no OA to fetch them from or ask the quota of.
    zaloTemplates: () => Promise.resolve([]),
    refreshZaloTemplates: () => zaloNotSetUp(),
    zaloQuota: () => zaloNotSetUp(),
    zaloRoutePreview: (customerId: string) => notFound('customer')(customerId),
    zaloBulkEstimate: () => Promise.resolve({ ...zaloBulkEstimate }),
    zaloClosingWindows: () => Promise.resolve([]),
    previewZaloParams: (_zaloTemplateId: string, _params: unknown, customerId: string) => notFound('customer')(customerId),

    onDataChanged: (cb: () => void) => subscribe(dataChanged, () => cb()),
    onStepNotification: (cb: (notification: StepNotification) => void) => subscribe(stepNotifications, cb),
  } satisfies Backend;

  const methods = Object.keys(defaults) as BackendMethod[];
  const mocks = {} as Record<BackendMethod, Mock<(...args: unknown[]) => unknown>>;
  for (const method of methods) {
    const answer = (overrides[method] ?? defaults[method]) as (...args: unknown[]) => unknown;
    mocks[method] = vi.fn(answer);
  }

  const asError = (error: BackendError | ErrorPayload) => toBackendError(error);

  const controls: MockControls = {
    calls() {
      const all: { order: number; call: RecordedCall }[] = [];
      for (const method of methods) {
        const { calls, invocationCallOrder } = mocks[method].mock;
        calls.forEach((args, i) => all.push({ order: invocationCallOrder[i], call: { method, args } }));
      }
      return all.sort((a, b) => a.order - b.order).map((entry) => entry.call);
    },
    callsTo<K extends BackendMethod>(method: K) {
      return mocks[method].mock.calls as Parameters<Backend[K]>[];
    },
    fail(method, error) {
      mocks[method].mockRejectedValue(asError(error));
    },
    failOnce(method, error) {
      mocks[method].mockRejectedValueOnce(asError(error));
    },
    emit: {
      dataChanged: () => dataChanged.forEach((cb) => cb()),
      stepNotification: (notification) => stepNotifications.forEach((cb) => cb(notification)),
      workerHealth: (health) => workerHealth.forEach((cb) => cb(health)),
      importProgress: (progress) => importProgress.forEach((cb) => cb(progress)),
      databaseDamaged: () => databaseDamaged.forEach((cb) => cb()),
    },
    seedZaloContacts(contacts) {
      zaloContacts = [...contacts];
    },
    zaloContacts: () => newestFirst(zaloContacts),
    customerZaloIds: () => ({ ...customerZaloIds }),
    seedZaloBulkEstimate(estimate) {
      zaloBulkEstimate = { ...emptyZaloBulkEstimate, ...estimate };
    },
  };

  return Object.assign(mocks, controls) as unknown as MockBackend;
}

/** Makes a mock backend the one every view uses, and returns it. */
export function installMockBackend(overrides: Partial<Backend> = {}): MockBackend {
  const mock = mockBackend(overrides);
  setBackend(mock);
  return mock;
}
