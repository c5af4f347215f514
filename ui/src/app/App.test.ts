import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend, type Backend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { taskFixture } from '../test/taskFixture';
import type { CustomerSummary } from '../lib/bindings/CustomerSummary';
import { dataChanged } from '../lib/dataVersion';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { get } from 'svelte/store';
import App from './App.svelte';

// jsdom has no layout; bind:clientHeight needs the observer to exist, not to fire.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const TOTAL = 100_000;

function summary(i: number): CustomerSummary {
  return {
    id: `c${i}`,
    full_name: `Khách ${i}`,
    phone_display: '0912 345 678',
    email: null,
    company_name: null,
    lifecycle_stage: 'active',
    temperature: null,
    tags: [{ id: 't1', name: 'VIP', color: '#d4a017' }],
    last_contact_date: null,
    next_follow_up_date: null,
  };
}

const task = taskFixture;

function appBackend(overrides: Partial<Backend> = {}) {
  return mockBackend({
    appInfo: () => Promise.resolve({ version: '0.1.0', data_dir: '/tmp', locale: 'en-US', open_error: null }),
    today: () =>
      Promise.resolve({
        overdue: [task('t1', 'Gọi lại báo giá')],
        today: [],
        upcoming: [],
        overdue_total: 5,
        today_total: 0,
        upcoming_total: 0,
      }),
    completeTask: () => Promise.resolve(task('t1', 'x')),
    listCustomers: (q) =>
      Promise.resolve({
        items: Array.from({ length: Math.min(q.limit, TOTAL - q.offset) }, (_, i) => summary(q.offset + i)),
        total: TOTAL,
      }),
    outboxCounts: () => Promise.resolve({ queued: 2, failed: 3, needs_manual: 0 }),
    ...overrides,
  });
}

afterEach(() => {
  // Unmount first: resetting the route while mounted would make the app call the real backend.
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('App', () => {
  it('shows today tasks with the customer and a capped total', async () => {
    lang.set('en');
    const b = appBackend();
    setBackend(b);
    render(App);
    const item = await screen.findByTestId('today-task');
    expect(item.textContent).toContain('Gọi lại báo giá');
    expect(item.textContent).toContain('Nguyễn Thị Lan');
    expect(screen.getByText('showing 1 of 5')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('task-done'));
    await waitFor(() => expect(b.completeTask).toHaveBeenCalledWith('t1'));
    // Marking done refreshes the view.
    await waitFor(() => expect(b.today).toHaveBeenCalledTimes(2));
  });

  it('renders only a window of a 100,000-customer list', async () => {
    lang.set('en');
    const b = appBackend();
    setBackend(b);
    render(App);
    await fireEvent.click(screen.getByTestId('nav-customers'));
    await waitFor(() => expect(screen.getAllByTestId('customer-row').length).toBeGreaterThan(0));
    expect(screen.getAllByTestId('customer-row').length).toBeLessThan(100);
    for (const call of b.listCustomers.mock.calls) expect(call[0].limit).toBeLessThanOrEqual(100);
  });

  it('opens the duplicates screen from the customer list, keeping Customers highlighted', async () => {
    lang.set('en');
    const b = appBackend();
    setBackend(b);
    render(App);
    await fireEvent.click(screen.getByTestId('nav-customers'));
    await fireEvent.click(await screen.findByTestId('customer-duplicates'));
    expect(await screen.findByTestId('duplicates-screen')).toBeTruthy();
    await waitFor(() => expect(b.duplicatesScan).toHaveBeenCalledTimes(1));
    expect(screen.getByTestId('nav-customers').getAttribute('aria-current')).toBe('page');
  });

  it('shows outbox counters beside Outbox, hidden when zero, and reports the network coming back', async () => {
    lang.set('en');
    const b = appBackend();
    setBackend(b);
    render(App);
    expect((await screen.findByTestId('nav-outbox-failed')).textContent).toBe('3');
    expect(screen.queryByTestId('nav-outbox-needs-manual')).toBeNull();
    expect(screen.getByTestId('nav-outbox').contains(screen.getByTestId('nav-outbox-failed'))).toBe(true);

    b.outboxCounts.mockResolvedValue({ queued: 0, failed: 0, needs_manual: 1 });
    dataChanged();
    await waitFor(() => expect(screen.queryByTestId('nav-outbox-failed')).toBeNull());
    expect(screen.getByTestId('nav-outbox-needs-manual').textContent).toBe('1');

    window.dispatchEvent(new Event('online'));
    expect(b.networkOnline).toHaveBeenCalledTimes(1);
  });

  it('keeps a database it cannot open on screen, worded from the error key in the current language', async () => {
    lang.set('vi');
    const open_error = {
      code: 'newer_database' as const,
      key: 'database.newer',
      params: { found: '9', known: '7' },
      message: 'this database was written by a newer version of Tend',
      field: null,
    };
    setBackend(
      appBackend({
        appInfo: () => Promise.resolve({ version: '0.1.0', data_dir: '/tmp', locale: 'vi-VN', open_error }),
      }),
    );
    render(App);
    const error = await screen.findByTestId('toast-error');
    expect(error.textContent).toBe(
      'Dữ liệu được tạo bởi phiên bản Tend mới hơn (phiên bản dữ liệu 9; bản này chỉ đọc được đến 7). Vui lòng cập nhật ứng dụng.',
    );
    lang.set('en');
    await waitFor(() => expect(screen.getByTestId('toast-error').textContent).toContain('a newer version of Tend'));
    expect(screen.getByTestId('toast-error').textContent).not.toContain('this database was written');
  });
});

describe('a damaged data file', () => {
  const backups = [
    {
      name: 'tend-backup-2026-11-21-183000.zip',
      path: '/tmp/tend/backups/tend-backup-2026-11-21-183000.zip',
      local: '2026-11-21T18:30:00',
      bytes: 1024 * 1024,
    },
  ];
  const damagedError = {
    code: 'storage' as const,
    key: 'db.damaged',
    params: {},
    message: 'database disk image is malformed',
    field: null,
  };

  it('shows the recovery screen instead of the others when the database would not open', async () => {
    lang.set('vi');
    const b = appBackend({
      appInfo: () => Promise.resolve({ version: '0.1.0', data_dir: '/tmp', locale: 'vi-VN', open_error: damagedError }),
      recoveryState: () => Promise.resolve({ damaged: false, detail: null, backups }),
    });
    setBackend(b);
    render(App);
    expect(await screen.findByTestId('recovery-screen')).toBeTruthy();
    expect(screen.queryByTestId('nav-customers')).toBeNull();
    expect(screen.queryByTestId('today-task')).toBeNull();
    // The damage is said by the recovery screen, not as a bare error above a failing screen.
    expect(screen.queryByTestId('toast-error')).toBeNull();
    expect(await screen.findAllByTestId('recovery-backup')).toHaveLength(1);
  });

  it('switches to the recovery screen when the check after start finds damage', async () => {
    lang.set('vi');
    const b = appBackend();
    setBackend(b);
    render(App);
    await screen.findByTestId('today-task');
    await waitFor(() => expect(b.onDatabaseDamaged).toHaveBeenCalled());
    expect(screen.queryByTestId('recovery-screen')).toBeNull();

    b.recoveryState.mockResolvedValue({ damaged: true, detail: 'row 12 missing from index', backups });
    b.emit.databaseDamaged();
    expect(await screen.findByTestId('recovery-screen')).toBeTruthy();
    expect(screen.queryByTestId('nav-customers')).toBeNull();
    expect(await screen.findAllByTestId('recovery-backup')).toHaveLength(1);
    expect(screen.getByTestId('recovery-detail').textContent).toBe('row 12 missing from index');
  });

  it('shows the recovery screen when the backend already knows of damage at start, reading it once', async () => {
    lang.set('en');
    const b = appBackend({ recoveryState: () => Promise.resolve({ damaged: true, detail: null, backups }) });
    setBackend(b);
    render(App);
    expect(await screen.findByTestId('recovery-screen')).toBeTruthy();
    expect(await screen.findAllByTestId('recovery-backup')).toHaveLength(1);
    expect(b.callsTo('recoveryState')).toHaveLength(1);
  });
});

describe('scenarios on Today and reminders', () => {
  it('shows automatic steps and steps that need attention, and marks one as seen', async () => {
    lang.set('en');
    const item = {
      enrollment_id: 'e1',
      customer_id: 'c1',
      customer_name: 'Nguyễn Thị Lan',
      scenario_name: 'Chăm sóc khách mới',
      position: 1,
      kind: 'message' as const,
      title: null,
      at: Date.now(),
      outcome: null,
      detail: null,
    };
    const b = appBackend({
      scenarioToday: () =>
        Promise.resolve({
          upcoming: [item],
          attention: [{ ...item, enrollment_id: 'e2', outcome: 'failed' as const, detail: 'Thiếu email' }],
        }),
    });
    setBackend(b);
    render(App);
    const upcoming = await screen.findByTestId('today-scenario-upcoming');
    expect(upcoming.textContent).toContain('Nguyễn Thị Lan');
    expect(upcoming.textContent).toContain('Chăm sóc khách mới');
    expect(screen.getByText('Automatic steps today')).toBeTruthy();
    expect(screen.getByText('Needs you')).toBeTruthy();
    expect(screen.getByTestId('today-scenario-attention').textContent).toContain('Thiếu email');
    // The task sections are still there.
    expect(screen.getByTestId('today-section-overdue')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('today-scenario-seen'));
    await waitFor(() => expect(b.markStepSeen).toHaveBeenCalledWith('e2', 1));
  });

  it('shows a step notification as a notice that opens the customer', async () => {
    lang.set('en');
    const b = appBackend({ openCustomer: () => new Promise(() => {}) });
    setBackend(b);
    render(App);
    await waitFor(() => expect(b.onStepNotification).toHaveBeenCalled());
    b.emit.stepNotification({ customer_id: 'c9', customer_name: 'Trần Văn Minh', scenario_name: 'S', text: 'Gọi hỏi thăm' });
    const notice = await screen.findByTestId('toast-notice');
    expect(notice.textContent).toContain('Reminder: Gọi hỏi thăm — Trần Văn Minh');
    await fireEvent.click(screen.getByTestId('toast-open-customer'));
    expect(get(route)).toEqual({ name: 'customer', id: 'c9' });
    expect(screen.queryByTestId('toast-notice')).toBeNull();
  });
});
