import { get, writable } from 'svelte/store';
import { backend } from '../lib/backend';
import { dataChanged } from '../lib/dataVersion';
import { t } from '../lib/i18n';
import { toastError, toastSuccess } from '../lib/toasts';

/** Shared so the Today and Customers welcome cards agree while a load is running. */
export const loadingSample = writable(false);

export async function loadSampleData(): Promise<void> {
  if (get(loadingSample)) return;
  loadingSample.set(true);
  try {
    const report = await backend().loadSampleData();
    toastSuccess(
      get(t)('welcome.sampleLoaded', {
        customers: report.customers,
        interactions: report.interactions,
      }),
    );
    dataChanged();
  } catch (error) {
    toastError(error);
  } finally {
    loadingSample.set(false);
  }
}
