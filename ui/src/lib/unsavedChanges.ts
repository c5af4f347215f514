// Nothing typed is lost by accident. Every form on screen registers a check of whether it holds
// changes; whatever would take a form away (the router, the form's own cancel or Escape) goes
// through `leaveUnsaved`, which asks first when something would be lost. The question itself is
// app/DiscardConfirm.svelte, mounted once by the app.
import { get, writable } from 'svelte/store';

/** True when the form holds something that differs from what it was opened with. */
export type DirtyCheck = () => boolean;

const checks = new Set<DirtyCheck>();

/** The leave waiting for the salesperson's answer; null while nothing is asked. */
export const discardRequest = writable<{ leave: () => void } | null>(null);

// Set while a discarded leave runs: it may go through the router, which must not ask again.
let discarding = false;

/** Registers a form while it is on screen; returns what unregisters it (an `$effect` teardown). */
export function trackUnsaved(check: DirtyCheck): () => void {
  checks.add(check);
  return () => {
    checks.delete(check);
  };
}

export function hasUnsavedChanges(): boolean {
  for (const check of checks) if (check()) return true;
  return false;
}

/**
 * Runs `leave` now when nothing would be lost, otherwise once the salesperson chooses to discard.
 * `check` narrows the question to one form (its own cancel must not ask about a neighbour's
 * draft that stays on screen); without it, every form on screen counts.
 */
export function leaveUnsaved(leave: () => void, check: DirtyCheck = hasUnsavedChanges): void {
  if (discarding || !check()) {
    leave();
    return;
  }
  discardRequest.set({ leave });
}

export function keepEditing(): void {
  discardRequest.set(null);
}

export function discardChanges(): void {
  const request = get(discardRequest);
  discardRequest.set(null);
  if (!request) return;
  discarding = true;
  try {
    request.leave();
  } finally {
    discarding = false;
  }
}

/** A comparable picture of form values, to tell later values from the ones a form opened with. */
export function snapshot(values: unknown): string {
  return JSON.stringify(values);
}
