// The health of Tend's background workers (the sender, the care scenarios, the Telegram reader),
// worded for the navigation's status line and the Settings screen.
import { backend } from './backend';
import type { WorkerHealth } from './bindings/WorkerHealth';
import type { WorkerName } from './bindings/WorkerName';
import { formatDateTime } from './format';
import { translate, type Lang, type MessageKey } from './i18n';

/** The part of Tend each worker runs, in plain words. */
export const WORKER_LABELS: Record<WorkerName, MessageKey> = {
  outbox: 'workers.outbox',
  care: 'workers.care',
  telegram: 'workers.telegram',
  zalo: 'workers.zalo',
};

const WORKER_ORDER: readonly WorkerName[] = ['outbox', 'care', 'telegram'];

export type WorkerState = 'ok' | 'failing' | 'stopped';

/** Stopped beats failing: a stopped worker does nothing until Tend restarts it. */
export function workerState(health: WorkerHealth): WorkerState {
  if (!health.running) return 'stopped';
  return health.errors_in_row > 0 ? 'failing' : 'ok';
}

/** The workers in a fixed order: sending, care scenarios, Telegram. */
export function sortWorkers(list: readonly WorkerHealth[]): WorkerHealth[] {
  return [...list].sort((a, b) => WORKER_ORDER.indexOf(a.name) - WORKER_ORDER.indexOf(b.name));
}

/** The workers that are failing or have stopped, in the fixed order. */
export function troubledWorkers(list: readonly WorkerHealth[]): WorkerHealth[] {
  return sortWorkers(list).filter((health) => workerState(health) !== 'ok');
}

/**
 * One line about a worker in trouble: which part of Tend, how many failures in a row, and since
 * when (the last time it worked), or that it stopped and when it last ran.
 */
export function troubleLine(lang: Lang, health: WorkerHealth): string {
  const name = translate(lang, WORKER_LABELS[health.name]);
  if (workerState(health) === 'stopped') {
    if (health.last_run_at === null) return translate(lang, 'workers.stopped', { name });
    return translate(lang, 'workers.stoppedSince', { name, when: formatDateTime(health.last_run_at) });
  }
  const count = health.errors_in_row;
  if (health.last_ok_at === null) return translate(lang, 'workers.failing', { name, count });
  return translate(lang, 'workers.failingSince', { name, count, when: formatDateTime(health.last_ok_at) });
}

/**
 * Calls `cb` with the workers' health now and whenever it changes; returns a function that stops.
 * Once an update has arrived, a slower answer to the first question is dropped as stale.
 */
export function watchWorkerHealth(cb: (health: WorkerHealth[]) => void): () => void {
  let stopped = false;
  let updated = false;
  let unlisten: (() => void) | null = null;
  backend()
    .onWorkerHealth((health) => {
      if (stopped) return;
      updated = true;
      cb(health);
    })
    .then((stop) => {
      if (stopped) stop();
      else unlisten = stop;
    })
    .catch(() => {
      // No live updates then; the state shown is the one read when the screen opened.
    });
  backend()
    .workerHealth()
    .then((health) => {
      if (!stopped && !updated) cb(health);
    })
    .catch(() => {
      // Nothing to show: the status line stays hidden and Settings says nothing has reported.
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}
