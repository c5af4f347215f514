import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { WorkerHealth } from '../lib/bindings/WorkerHealth';
import { lang } from '../lib/i18n';
import { mockBackend } from '../test/mockBackend';
import SettingsScreen from './SettingsScreen.svelte';

const health: WorkerHealth[] = [
  {
    name: 'telegram',
    running: false,
    last_run_at: null,
    last_ok_at: null,
    last_error: null,
    last_error_at: null,
    errors_in_row: 0,
    panics: 2,
  },
  {
    name: 'outbox',
    running: true,
    last_run_at: new Date(2025, 0, 5, 10, 15).getTime(),
    last_ok_at: new Date(2025, 0, 5, 9, 7).getTime(),
    last_error: {
      code: 'internal',
      key: 'unknown.key.for.this.ui',
      params: {},
      message: '<b>connection reset</b>',
      field: null,
    },
    last_error_at: new Date(2025, 0, 5, 10, 15).getTime(),
    errors_in_row: 3,
    panics: 0,
  },
  {
    name: 'care',
    running: true,
    last_run_at: new Date(2025, 0, 5, 10, 16).getTime(),
    last_ok_at: new Date(2025, 0, 5, 10, 16).getTime(),
    last_error: null,
    last_error_at: null,
    errors_in_row: 0,
    panics: 0,
  },
];

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('Background work in Settings', () => {
  it('lists every worker with its state, last run and last error', async () => {
    lang.set('en');
    setBackend(mockBackend({ workerHealth: () => Promise.resolve(health) }));
    render(SettingsScreen);

    const section = await screen.findByTestId('worker-health');
    expect(within(section).getByText('Background work')).toBeTruthy();
    await waitFor(() => expect(within(section).getAllByTestId('worker-health-row')).toHaveLength(3));
    const [outbox, care, telegram] = within(section).getAllByTestId('worker-health-row');

    expect(outbox.textContent).toContain('Sending messages');
    expect(within(outbox).getByTestId('worker-health-state').textContent).toBe('Failing');
    expect(outbox.textContent).toContain('05/01/2025 10:15');
    expect(outbox.textContent).toContain('3 failures in a row');
    const error = within(outbox).getByTestId('worker-health-error');
    // Worded by the UI from the error's key and code; the English message is not shown, and no
    // markup is ever rendered.
    expect(error.textContent).not.toContain('connection reset');
    expect(error.textContent).toContain('internal');
    expect(error.querySelector('b')).toBeNull();

    expect(care.textContent).toContain('Care scenarios');
    expect(within(care).getByTestId('worker-health-state').textContent).toBe('Working');
    expect(within(care).queryByTestId('worker-health-error')).toBeNull();

    expect(telegram.textContent).toContain('Reading Telegram replies');
    expect(within(telegram).getByTestId('worker-health-state').textContent).toBe('Stopped');
    expect(telegram.textContent).toContain('not yet');
    expect(telegram.textContent).toContain('restarted 2 times after a crash');
  });

  it('follows live updates, in Vietnamese', async () => {
    lang.set('vi');
    const b = mockBackend();
    setBackend(b);
    render(SettingsScreen);
    const section = await screen.findByTestId('worker-health');
    expect(within(section).getByText('Tác vụ nền')).toBeTruthy();
    expect(within(section).queryAllByTestId('worker-health-row')).toHaveLength(0);

    await waitFor(() => expect(b.onWorkerHealth).toHaveBeenCalled());
    b.emit.workerHealth(health);
    await waitFor(() => expect(within(section).getAllByTestId('worker-health-row')).toHaveLength(3));
    const states = within(section)
      .getAllByTestId('worker-health-state')
      .map((state) => state.textContent);
    expect(states).toEqual(['Đang lỗi', 'Đang hoạt động', 'Đã dừng']);
  });
});
