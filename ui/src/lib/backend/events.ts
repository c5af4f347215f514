import type { StepNotification } from '../bindings/StepNotification';
import { subscribe } from './call';

export interface EventsBackend {
  /** Calls `cb` whenever the backend changed data on its own; returns an unsubscribe function. */
  onDataChanged(cb: () => void): Promise<() => void>;
  /** Calls `cb` for every notification step that ran; returns an unsubscribe function. */
  onStepNotification(cb: (notification: StepNotification) => void): Promise<() => void>;
}

export const tauriEvents: EventsBackend = {
  onDataChanged: (cb) => subscribe('data-changed', () => cb()),
  onStepNotification: (cb) => subscribe<StepNotification>('step-notification', cb),
};
