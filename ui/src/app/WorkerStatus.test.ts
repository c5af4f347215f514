import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { WorkerHealth } from '../lib/bindings/WorkerHealth';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { mockBackend } from '../test/mockBackend';
import Nav from './Nav.svelte';

function worker(name: WorkerHealth['name'], patch: Partial<WorkerHealth> = {}): WorkerHealth {
  return {
    name,
    running: true,
    last_run_at: new Date(2025, 0, 5, 9, 30).getTime(),
    last_ok_at: new Date(2025, 0, 5, 9, 30).getTime(),
    last_error: null,
    last_error_at: null,
    errors_in_row: 0,
    panics: 0,
    ...patch,
  };
}

const failingOutbox = worker('outbox', {
  last_run_at: new Date(2025, 0, 5, 10, 15).getTime(),
  last_ok_at: new Date(2025, 0, 5, 9, 7).getTime(),
  last_error: { code: 'storage', key: 'storage', params: {}, message: 'disk full', field: null },
  last_error_at: new Date(2025, 0, 5, 10, 15).getTime(),
  errors_in_row: 3,
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('worker status in the navigation', () => {
  const cases = [
    ['en', 'Sending messages: 3 failures in a row since 05/01/2025 09:07'],
    ['vi', 'Gửi tin nhắn: lỗi 3 lần liên tiếp từ 05/01/2025 09:07'],
  ] as const;

  for (const [language, line] of cases) {
    it(`shows a failing worker and hides it once it recovers (${language})`, async () => {
      lang.set(language);
      const b = mockBackend({ workerHealth: () => Promise.resolve([worker('care'), failingOutbox, worker('telegram')]) });
      setBackend(b);
      render(Nav, { version: '0.1.0', onHelp: () => {} });

      const status = await screen.findByTestId('worker-status');
      expect(status.textContent?.trim()).toBe(line);
      expect(screen.getAllByTestId('worker-status-line')).toHaveLength(1);

      b.emit.workerHealth([worker('care'), worker('outbox'), worker('telegram')]);
      await waitFor(() => expect(screen.queryByTestId('worker-status')).toBeNull());
    });
  }

  it('stays hidden while every worker is fine', async () => {
    lang.set('en');
    const b = mockBackend({ workerHealth: () => Promise.resolve([worker('outbox'), worker('care'), worker('telegram')]) });
    setBackend(b);
    render(Nav, { version: '0.1.0', onHelp: () => {} });
    await waitFor(() => expect(b.workerHealth).toHaveBeenCalled());
    await Promise.resolve();
    expect(screen.queryByTestId('worker-status')).toBeNull();
  });

  it('appears when an event reports a stopped worker, and opens Settings', async () => {
    lang.set('vi');
    const b = mockBackend();
    setBackend(b);
    render(Nav, { version: '0.1.0', onHelp: () => {} });
    await waitFor(() => expect(b.onWorkerHealth).toHaveBeenCalled());
    expect(screen.queryByTestId('worker-status')).toBeNull();

    b.emit.workerHealth([
      worker('telegram', { running: false, last_run_at: new Date(2025, 1, 3, 8, 0).getTime(), panics: 1 }),
      worker('care', { errors_in_row: 1, last_ok_at: null }),
    ]);
    const status = await screen.findByTestId('worker-status');
    expect(screen.getAllByTestId('worker-status-line').map((line) => line.textContent)).toEqual([
      'Kịch bản chăm sóc: lỗi 1 lần liên tiếp',
      'Đọc tin trả lời Telegram: đã dừng, lần chạy cuối 03/02/2025 08:00',
    ]);

    lang.set('en');
    await waitFor(() =>
      expect(screen.getAllByTestId('worker-status-line').map((line) => line.textContent)).toEqual([
        'Care scenarios: 1 failure in a row',
        'Reading Telegram replies: stopped, last ran 03/02/2025 08:00',
      ]),
    );

    await fireEvent.click(status);
    expect(get(route)).toEqual({ name: 'settings' });
  });
});
