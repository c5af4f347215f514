import { afterEach, describe, expect, it, vi } from 'vitest';
import { backend, BackendError, setBackend, tauriBackend } from '../lib/backend';
import { installMockBackend, mockBackend } from './mockBackend';

afterEach(() => setBackend(tauriBackend));

describe('mockBackend', () => {
  it('implements every command of the real backend', () => {
    const mock = mockBackend();
    for (const method of Object.keys(tauriBackend)) {
      expect(typeof (mock as unknown as Record<string, unknown>)[method], method).toBe('function');
    }
  });

  it('answers like an empty database', async () => {
    const mock = mockBackend();
    const query = { sort: 'name', tag_id: null, deleted: false, offset: 0, limit: 50 } as const;
    expect(await mock.listCustomers(query)).toEqual({ items: [], total: 0 });
    expect(await mock.outboxCounts()).toEqual({ queued: 0, failed: 0, needs_manual: 0 });
    expect(await mock.listScenarios()).toEqual([]);
    const missing = await mock.getCustomer('c1').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BackendError);
    expect((missing as BackendError).code).toBe('not_found');
    await expect(mock.createCustomer({} as never, false)).rejects.toThrow(/createCustomer has no default answer/);
  });

  it('uses the overrides and records every call in order', async () => {
    const createTask = vi.fn(() => Promise.resolve({ id: 't1' } as never));
    const mock = mockBackend({ createTask });
    await mock.listTags();
    await mock.createTask({ title: 'Gọi lại' } as never);
    await mock.completeTask('t1').catch(() => {});
    expect(createTask).toHaveBeenCalledTimes(1);
    expect(mock.createTask).toHaveBeenCalledWith({ title: 'Gọi lại' });
    expect(mock.callsTo('completeTask')).toEqual([['t1']]);
    expect(mock.calls()).toEqual([
      { method: 'listTags', args: [] },
      { method: 'createTask', args: [{ title: 'Gọi lại' }] },
      { method: 'completeTask', args: ['t1'] },
    ]);
  });

  it('fails a command with a BackendError, always or once', async () => {
    const mock = mockBackend();
    mock.failOnce('deleteScenario', new BackendError('conflict', 'customers are enrolled'));
    await expect(mock.deleteScenario('s1')).rejects.toMatchObject({ code: 'conflict', message: 'customers are enrolled' });
    expect(await mock.deleteScenario('s1')).toBeNull();

    mock.fail('listTags', { code: 'storage', key: 'storage', params: {}, message: 'disk full', field: null });
    for (let i = 0; i < 2; i++) {
      const error = await mock.listTags().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).code).toBe('storage');
    }
  });

  it('plays events to subscribers until they unsubscribe', async () => {
    const mock = mockBackend();
    const changed = vi.fn();
    const stop = await mock.onDataChanged(changed);
    mock.emit.dataChanged();
    stop();
    mock.emit.dataChanged();
    expect(changed).toHaveBeenCalledTimes(1);

    const notified = vi.fn();
    await mock.onStepNotification(notified);
    const notification = { customer_id: 'c1', customer_name: 'Lan', scenario_name: 'S', text: 'Gọi lại' };
    mock.emit.stepNotification(notification);
    expect(notified).toHaveBeenCalledWith(notification);

    const damaged = vi.fn();
    const stopDamaged = await mock.onDatabaseDamaged(damaged);
    mock.emit.databaseDamaged();
    stopDamaged();
    mock.emit.databaseDamaged();
    expect(damaged).toHaveBeenCalledTimes(1);
  });

  it('keeps unknown Zalo contacts a test seeds, taking off those linked or dismissed', async () => {
    const mock = mockBackend();
    expect(await mock.listUnknownZaloContacts()).toEqual([]);
    const older = { user_id: 'z1', display_name: 'Lan', last_inbound_at: 1_000, last_inbound_text: 'Chào' };
    const newer = { user_id: 'z2', display_name: null, last_inbound_at: 2_000, last_inbound_text: null };
    mock.seedZaloContacts([older, newer]);
    expect(await mock.listUnknownZaloContacts()).toEqual([newer, older]);

    const changed = vi.fn();
    await mock.onDataChanged(changed);
    expect(await mock.linkZaloContact('z1', 'c1')).toBeNull();
    expect(mock.customerZaloIds()).toEqual({ c1: 'z1' });
    expect(await mock.dismissZaloContact('z2')).toBeNull();
    expect(mock.zaloContacts()).toEqual([]);
    expect(changed).toHaveBeenCalledTimes(2);

    const gone = await mock.linkZaloContact('z1', 'c2').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(BackendError);
    expect((gone as BackendError).key).toBe('not_found.zalo_contact');
    expect(mock.customerZaloIds()).toEqual({ c1: 'z1' });
    await expect(mock.dismissZaloContact('z9')).rejects.toMatchObject({ key: 'not_found.zalo_contact' });
    expect(await mock.readZaloNow()).toBeNull();
  });

  it('answers the Zalo template commands like a fresh install with no OA set up', async () => {
    const mock = mockBackend();
    expect(await mock.zaloTemplates()).toEqual([]);
    expect(await mock.zaloClosingWindows(6)).toEqual([]);
    await expect(mock.refreshZaloTemplates()).rejects.toMatchObject({ key: 'zalo.not_set_up' });
    await expect(mock.zaloQuota()).rejects.toMatchObject({ key: 'zalo.not_set_up' });
    await expect(mock.zaloRoutePreview('c1', 'tpl1', 'zalo_auto')).rejects.toMatchObject({ code: 'not_found' });
    await expect(mock.previewZaloParams('zt1', {}, 'c1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('can be installed as the backend every view uses', () => {
    const mock = installMockBackend();
    expect(backend()).toBe(mock);
  });
});
