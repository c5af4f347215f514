import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { MergeRequest } from '../bindings/MergeRequest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
const listen = vi.fn();
vi.mock('@tauri-apps/api/event', () => ({ listen: (...args: unknown[]) => listen(...args) }));

const { BackendError, backend, setBackend, tauriBackend, toBackendError } = await import('./index');

describe('toBackendError', () => {
  it('keeps the code, message and field of an ErrorPayload', () => {
    const error = toBackendError({ code: 'invalid_input', message: 'Số điện thoại không hợp lệ', field: 'phone' });
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Số điện thoại không hợp lệ');
    expect(error.field).toBe('phone');
  });

  it('keeps the key and params of an ErrorPayload', () => {
    const error = toBackendError({
      code: 'invalid_input',
      key: 'phone.invalid_vietnamese',
      params: { value: '0912 345' },
      message: '“0912 345” is not a valid Vietnamese phone number',
      field: 'phones[1]',
    });
    expect(error.key).toBe('phone.invalid_vietnamese');
    expect(error.params).toEqual({ value: '0912 345' });
    expect(error.field).toBe('phones[1]');
  });

  it('reads a missing key as empty and missing params as none, keeping only string values', () => {
    const bare = toBackendError({ code: 'conflict', message: 'changed', field: null });
    expect([bare.key, bare.params]).toEqual(['', {}]);
    const odd = toBackendError({ code: 'conflict', key: 7, params: { max: 20, name: 'Lan', bad: null }, message: 'x' });
    expect([odd.key, odd.params]).toEqual(['', { max: '20', name: 'Lan' }]);
    expect(toBackendError(new Error('bad')).params).toEqual({});
  });

  it('maps a null field to null', () => {
    expect(toBackendError({ code: 'not_found', message: 'gone', field: null }).field).toBeNull();
  });

  it('turns an unknown code into internal', () => {
    const error = toBackendError({ code: 'exploded', message: 'boom', field: null });
    expect(error.code).toBe('internal');
    expect(error.message).toBe('boom');
  });

  it('wraps strings, Errors and anything else as internal', () => {
    const fromString = toBackendError('command not found');
    expect([fromString.code, fromString.message]).toEqual(['internal', 'command not found']);
    const fromError = toBackendError(new TypeError('bad'));
    expect([fromError.code, fromError.message]).toEqual(['internal', 'bad']);
    expect(toBackendError(undefined).code).toBe('internal');
    expect(toBackendError(42).code).toBe('internal');
  });

  it('returns an existing BackendError unchanged', () => {
    const original = new BackendError('conflict', 'x');
    expect(toBackendError(original)).toBe(original);
  });
});

describe('tauriBackend', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('passes camelCase argument names to invoke', async () => {
    invoke.mockResolvedValue({ kind: 'saved' });
    const input = { full_name: 'Lan' } as never;
    await tauriBackend.createCustomer(input, false);
    expect(invoke).toHaveBeenCalledWith('create_customer', { input, allowDuplicates: false });

    invoke.mockResolvedValue([]);
    await tauriBackend.customerTasks('c1', true);
    expect(invoke).toHaveBeenCalledWith('customer_tasks', { customerId: 'c1', includeClosed: true });

    await tauriBackend.rescheduleTask('t1', 123);
    expect(invoke).toHaveBeenCalledWith('reschedule_task', { id: 't1', dueAt: 123 });

    await tauriBackend.searchCustomersPage('Lan', 50, 50);
    expect(invoke).toHaveBeenCalledWith('search_customers_page', { query: 'Lan', offset: 50, limit: 50 });
  });

  it('calls the messaging commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const request = { customer_id: 'c1', template_id: 't1', channel: 'zalo_oa', idempotency_key: 'k' } as const;
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.listTemplates({ channel: 'zalo', category: null }), 'list_templates', { filter: { channel: 'zalo', category: null } }],
      [() => tauriBackend.getTemplate('t1'), 'get_template', { id: 't1' }],
      [() => tauriBackend.duplicateTemplate('t1', '(bản sao)'), 'duplicate_template', { id: 't1', suffix: '(bản sao)' }],
      [() => tauriBackend.deleteTemplate('t1'), 'delete_template', { id: 't1' }],
      [() => tauriBackend.templateVariables(), 'template_variables', {}],
      [() => tauriBackend.previewTemplate('c1', 't1', 'email'), 'preview_template', { customerId: 'c1', templateId: 't1', channel: 'email' }],
      [() => tauriBackend.previewDraft('c1', null, 'Chào', false), 'preview_draft', { customerId: 'c1', subject: null, body: 'Chào', email: false }],
      [() => tauriBackend.sendMessage(request), 'send_message', { request }],
      [() => tauriBackend.prepareAssisted(request), 'prepare_assisted', { request }],
      [() => tauriBackend.openChat('https://zalo.me/1'), 'open_chat', { url: 'https://zalo.me/1' }],
      [() => tauriBackend.confirmAssisted(request), 'confirm_assisted', { request }],
      [() => tauriBackend.listOutbox({ status: null, customer_id: null, offset: 0, limit: 50 }), 'list_outbox', { query: { status: null, customer_id: null, offset: 0, limit: 50 } }],
      [() => tauriBackend.outboxCounts(), 'outbox_counts', {}],
      [() => tauriBackend.retryMessage('o1'), 'retry_message', { id: 'o1' }],
      [() => tauriBackend.cancelMessage('o1'), 'cancel_message', { id: 'o1' }],
      [() => tauriBackend.networkOnline(), 'network_online', {}],
      [() => tauriBackend.assistedQueue(), 'assisted_queue', {}],
      [() => tauriBackend.finishAssisted('o1', true), 'finish_assisted', { id: 'o1', sent: true }],
      [() => tauriBackend.finishAssisted('o2', false), 'finish_assisted', { id: 'o2', sent: false }],
      [() => tauriBackend.getSettings(), 'get_settings', {}],
      [() => tauriBackend.testChannel('telegram'), 'test_channel', { channel: 'telegram' }],
      [() => tauriBackend.telegramLink('c1'), 'telegram_link', { customerId: 'c1' }],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('calls the scenario commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const input = { name: 'x' } as never;
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.listScenarios(), 'list_scenarios', {}],
      [() => tauriBackend.getScenario('s1'), 'get_scenario', { id: 's1' }],
      [() => tauriBackend.createScenario(input), 'create_scenario', { input }],
      [() => tauriBackend.updateScenario('s1', input), 'update_scenario', { id: 's1', input }],
      [() => tauriBackend.duplicateScenario('s1', '(bản sao)'), 'duplicate_scenario', { id: 's1', suffix: '(bản sao)' }],
      [() => tauriBackend.setScenarioActive('s1', false), 'set_scenario_active', { id: 's1', active: false }],
      [() => tauriBackend.deleteScenario('s1'), 'delete_scenario', { id: 's1' }],
      [() => tauriBackend.cancelScenarioEnrollments('s1'), 'cancel_scenario_enrollments', { id: 's1' }],
      [
        () => tauriBackend.enroll('s1', { kind: 'tag', tag_id: 't1' }),
        'enroll',
        { scenarioId: 's1', target: { kind: 'tag', tag_id: 't1' } },
      ],
      [() => tauriBackend.planEnrollment('s1', 'c1'), 'plan_enrollment', { scenarioId: 's1', customerId: 'c1' }],
      [() => tauriBackend.pauseEnrollment('e1'), 'pause_enrollment', { id: 'e1' }],
      [() => tauriBackend.resumeEnrollment('e1'), 'resume_enrollment', { id: 'e1' }],
      [() => tauriBackend.cancelEnrollment('e1'), 'cancel_enrollment', { id: 'e1' }],
      [() => tauriBackend.customerEnrollments('c1'), 'customer_enrollments', { customerId: 'c1' }],
      [() => tauriBackend.scenarioEnrollments('s1'), 'scenario_enrollments', { id: 's1' }],
      [() => tauriBackend.scenarioToday(), 'scenario_today', {}],
      [() => tauriBackend.markStepSeen('e1', 2), 'mark_step_seen', { enrollmentId: 'e1', position: 2 }],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('sends a file to import_open as raw bytes, its name and any forced encoding in headers', async () => {
    invoke.mockResolvedValue({ file_name: 'Khách hàng.csv' });
    const bytes = new Uint8Array([72, 111, 10]);
    await tauriBackend.importOpen(bytes, 'Khách hàng.csv');
    expect(invoke).toHaveBeenLastCalledWith('import_open', bytes, {
      headers: { 'x-file-name': 'Kh%C3%A1ch%20h%C3%A0ng.csv' },
    });
    await tauriBackend.importOpen(bytes, 'a.csv', 'windows-1258');
    expect(invoke).toHaveBeenLastCalledWith('import_open', bytes, {
      headers: { 'x-file-name': 'a.csv', 'x-encoding': 'windows-1258' },
    });

    invoke.mockRejectedValue({ code: 'invalid_input', key: 'import.empty', params: {}, message: 'empty', field: null });
    const error = await tauriBackend.importOpen(bytes, 'a.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as InstanceType<typeof BackendError>).key).toBe('import.empty');
  });

  it('calls the other import commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const opts: ImportOptions = { mapping: ['full_name'], on_duplicate: 'skip', row_choices: [], tag: null };
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.importDryRun(opts), 'import_dry_run', { options: opts }],
      [() => tauriBackend.importRun(opts), 'import_run', { options: opts }],
      [() => tauriBackend.importCancel(), 'import_cancel', {}],
      [() => tauriBackend.importInvalidRows(opts), 'import_invalid_rows', { options: opts }],
      [() => tauriBackend.importSaveInvalid(opts, ['Sai số']), 'import_save_invalid', { options: opts, reasons: ['Sai số'] }],
      [() => tauriBackend.importsList(), 'imports_list', {}],
      [() => tauriBackend.importUndo('i1'), 'import_undo', { id: 'i1' }],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('calls the duplicate and merge commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const request: MergeRequest = { keep: 'c1', others: ['c2'], choices: [{ field: 'email', from: 'c2' }] };
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.duplicatesScan(), 'duplicates_scan', {}],
      [() => tauriBackend.mergeCustomers(request), 'merge_customers', { request }],
      [() => tauriBackend.mergeUndo('m1'), 'merge_undo', { id: 'm1' }],
      [() => tauriBackend.mergesList(), 'merges_list', {}],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('calls the Zalo contact commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.listUnknownZaloContacts(), 'list_unknown_zalo_contacts', {}],
      [() => tauriBackend.linkZaloContact('z1', 'c1'), 'link_zalo_contact', { userId: 'z1', customerId: 'c1' }],
      [() => tauriBackend.dismissZaloContact('z1'), 'dismiss_zalo_contact', { userId: 'z1' }],
      [() => tauriBackend.readZaloNow(), 'read_zalo_now', {}],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('calls the Zalo template and route commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const params = { customer_name: { field: 'customer.name' }, shop: { text: 'Tend' } };
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.zaloTemplates(), 'zalo_templates', {}],
      [() => tauriBackend.refreshZaloTemplates(), 'refresh_zalo_templates', {}],
      [() => tauriBackend.zaloQuota(), 'zalo_quota', {}],
      [
        () => tauriBackend.zaloRoutePreview('c1', 'tpl1', 'zalo_auto'),
        'zalo_route_preview',
        { customerId: 'c1', templateId: 'tpl1', channel: 'zalo_auto' },
      ],
      [
        () => tauriBackend.zaloBulkEstimate('sc1', 'tag1'),
        'zalo_bulk_estimate',
        { scenarioId: 'sc1', tagId: 'tag1' },
      ],
      [() => tauriBackend.zaloClosingWindows(6), 'zalo_closing_windows', { hours: 6 }],
      [
        () => tauriBackend.previewZaloParams('zt1', params, 'c1'),
        'preview_zalo_params',
        { zaloTemplateId: 'zt1', params, customerId: 'c1' },
      ],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('sends an export request to export_file under the name `request`', async () => {
    const summary = { path: '/home/lan/Downloads/tend-khach-hang-2026-11-21-183000.xlsx', count: 2, bytes: 4096 };
    invoke.mockResolvedValue(summary);
    const request: ExportRequest = {
      format: 'xlsx',
      what: 'customers',
      columns: ['full_name', 'phones'],
      tag_id: 't1',
      tag_name: null,
      search: null,
      segment_id: null,
    };
    expect(await tauriBackend.exportFile(request)).toEqual(summary);
    expect(invoke).toHaveBeenLastCalledWith('export_file', { request });
  });

  it('calls the backup commands with their argument names', async () => {
    invoke.mockResolvedValue(null);
    const settings = { auto: true, folder: 'E:\\Tend', keep_daily: 7, keep_weekly: 4 };
    const path = '/tmp/tend/backups/tend-backup-2026-11-21-183000.zip';
    const cases: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => tauriBackend.backupStatus(), 'backup_status', {}],
      [() => tauriBackend.backupNow(), 'backup_now', {}],
      [() => tauriBackend.saveBackupSettings(settings), 'save_backup_settings', { settings }],
      [() => tauriBackend.backupList(), 'backup_list', {}],
      [() => tauriBackend.backupRestore(path), 'backup_restore', { path }],
      [() => tauriBackend.recoveryState(), 'recovery_state', {}],
      [() => tauriBackend.recoverFromBackup(path), 'recover_from_backup', { path }],
    ];
    for (const [run, command, args] of cases) {
      await run();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it('tells when the database is found damaged', async () => {
    const stop = vi.fn();
    listen.mockImplementation((_name: string, handler: (event: { payload: unknown }) => void) => {
      handler({ payload: null });
      return Promise.resolve(stop);
    });
    const cb = vi.fn();
    const unlisten = await tauriBackend.onDatabaseDamaged(cb);
    expect(listen).toHaveBeenLastCalledWith('database-damaged', expect.any(Function));
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb).toHaveBeenCalledWith();
    expect(unlisten).toBe(stop);
  });

  it('passes import progress to the callback', async () => {
    const stop = vi.fn();
    listen.mockImplementation((_name: string, handler: (event: { payload: unknown }) => void) => {
      handler({ payload: { done: 40, total: 120 } });
      return Promise.resolve(stop);
    });
    const cb = vi.fn();
    const unlisten = await tauriBackend.onImportProgress(cb);
    expect(listen).toHaveBeenLastCalledWith('import-progress', expect.any(Function));
    expect(cb).toHaveBeenCalledWith({ done: 40, total: 120 });
    expect(unlisten).toBe(stop);
  });

  it('passes step notifications to the callback', async () => {
    const stop = vi.fn();
    listen.mockImplementation((_name: string, handler: (event: { payload: unknown }) => void) => {
      handler({ payload: { customer_id: 'c1', customer_name: 'Lan', scenario_name: 'S', text: 'Gọi lại' } });
      return Promise.resolve(stop);
    });
    const cb = vi.fn();
    const unlisten = await tauriBackend.onStepNotification(cb);
    expect(listen).toHaveBeenCalledWith('step-notification', expect.any(Function));
    expect(cb).toHaveBeenCalledWith({ customer_id: 'c1', customer_name: 'Lan', scenario_name: 'S', text: 'Gọi lại' });
    expect(unlisten).toBe(stop);
  });

  it('asks for worker health and passes its changes to the callback', async () => {
    invoke.mockResolvedValue([]);
    await tauriBackend.workerHealth();
    expect(invoke).toHaveBeenLastCalledWith('worker_health', {});

    const stop = vi.fn();
    const health = [
      {
        name: 'outbox',
        running: true,
        last_run_at: 1,
        last_ok_at: null,
        last_error: null,
        last_error_at: null,
        errors_in_row: 2,
        panics: 0,
      },
    ];
    listen.mockImplementation((_name: string, handler: (event: { payload: unknown }) => void) => {
      handler({ payload: health });
      return Promise.resolve(stop);
    });
    const cb = vi.fn();
    const unlisten = await tauriBackend.onWorkerHealth(cb);
    expect(listen).toHaveBeenLastCalledWith('worker-health', expect.any(Function));
    expect(cb).toHaveBeenCalledWith(health);
    expect(unlisten).toBe(stop);
  });

  it('rejects with a BackendError when invoke rejects', async () => {
    invoke.mockRejectedValue({ code: 'storage', message: 'disk full', field: null });
    const error = await tauriBackend.today().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as InstanceType<typeof BackendError>).code).toBe('storage');
    expect((error as Error).message).toBe('disk full');
  });

  it('can be replaced by a mock', () => {
    const mock = { ...tauriBackend };
    setBackend(mock);
    expect(backend()).toBe(mock);
    setBackend(tauriBackend);
  });
});
