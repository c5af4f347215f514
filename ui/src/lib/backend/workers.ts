import type { WorkerHealth } from '../bindings/WorkerHealth';
import { call, subscribe } from './call';

export interface WorkersBackend {
  /** How each background worker (sender, care scenarios, Telegram replies) is doing right now. */
  workerHealth(): Promise<WorkerHealth[]>;
  /** Calls `cb` with every worker's health whenever one changes; returns an unsubscribe function. */
  onWorkerHealth(cb: (health: WorkerHealth[]) => void): Promise<() => void>;
}

export const tauriWorkers: WorkersBackend = {
  workerHealth: () => call('worker_health', {}),
  onWorkerHealth: (cb) => subscribe<WorkerHealth[]>('worker-health', cb),
};
