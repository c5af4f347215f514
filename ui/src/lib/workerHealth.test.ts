import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from './backend';
import type { WorkerHealth } from './bindings/WorkerHealth';
import { mockBackend } from '../test/mockBackend';
import { troubleLine, troubledWorkers, watchWorkerHealth, workerState } from './workerHealth';

function worker(patch: Partial<WorkerHealth>): WorkerHealth {
  return {
    name: 'outbox',
    running: true,
    last_run_at: null,
    last_ok_at: null,
    last_error: null,
    last_error_at: null,
    errors_in_row: 0,
    panics: 0,
    ...patch,
  };
}

afterEach(() => setBackend(tauriBackend));

describe('worker health', () => {
  it('tells working, failing and stopped apart', () => {
    expect(workerState(worker({}))).toBe('ok');
    expect(workerState(worker({ errors_in_row: 2 }))).toBe('failing');
    expect(workerState(worker({ running: false, errors_in_row: 2 }))).toBe('stopped');
  });

  it('keeps only the workers in trouble, in a fixed order', () => {
    const list = [
      worker({ name: 'telegram', running: false }),
      worker({ name: 'care' }),
      worker({ name: 'outbox', errors_in_row: 1 }),
    ];
    expect(troubledWorkers(list).map((w) => w.name)).toEqual(['outbox', 'telegram']);
  });

  it('words a worker in trouble with dd/MM/yyyy HH:mm times', () => {
    const since = new Date(2025, 11, 24, 7, 5).getTime();
    expect(troubleLine('en', worker({ errors_in_row: 2, last_ok_at: since }))).toBe(
      'Sending messages: 2 failures in a row since 24/12/2025 07:05',
    );
    expect(troubleLine('vi', worker({ errors_in_row: 2, last_ok_at: since }))).toBe(
      'Gửi tin nhắn: lỗi 2 lần liên tiếp từ 24/12/2025 07:05',
    );
    expect(troubleLine('en', worker({ name: 'care', running: false }))).toBe('Care scenarios: stopped');
    expect(troubleLine('vi', worker({ name: 'care', running: false }))).toBe('Kịch bản chăm sóc: đã dừng');
  });

  it('drops a first answer that arrives after a live update, and stops listening', async () => {
    let answer: (health: WorkerHealth[]) => void = () => {};
    const b = mockBackend({ workerHealth: () => new Promise((resolve) => (answer = resolve)) });
    setBackend(b);
    const cb = vi.fn();
    const stop = watchWorkerHealth(cb);
    await Promise.resolve();

    const live = [worker({ errors_in_row: 1 })];
    b.emit.workerHealth(live);
    answer([worker({})]);
    await Promise.resolve();
    expect(cb.mock.calls).toEqual([[live]]);

    stop();
    b.emit.workerHealth([worker({})]);
    expect(cb).toHaveBeenCalledTimes(1);
  });
});
