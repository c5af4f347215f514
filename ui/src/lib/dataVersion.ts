import { writable } from 'svelte/store';

/**
 * Bumped whenever data may have changed behind the current view (a background job, sample data
 * loaded); views reload when it changes.
 */
export const dataVersion = writable(0);

export function dataChanged(): void {
  dataVersion.update((n) => n + 1);
}
