import type { DuplicateScan } from '../bindings/DuplicateScan';
import type { MergeId } from '../bindings/MergeId';
import type { MergeRequest } from '../bindings/MergeRequest';
import type { MergeSummary } from '../bindings/MergeSummary';
import { call } from './call';

export interface MergesBackend {
  /**
   * Looks through every live customer for pairs that are likely one person, the most certain
   * first (seconds on a big book; the backend runs it off the window's thread).
   */
  duplicatesScan(): Promise<DuplicateScan>;
  /**
   * Merges `request.others` into `request.keep`: the others go to the bin, everything noted on
   * them moves to the kept one, and each field comes from whom `request.choices` names. Rejects
   * with `merge.nothing_to_merge` or `not_found.customer`.
   */
  mergeCustomers(request: MergeRequest): Promise<MergeSummary>;
  /** Puts every customer of the merge back exactly as before; rejects with `merge.already_undone` or `not_found.merge`. */
  mergeUndo(id: MergeId): Promise<MergeSummary>;
  /** The merges made so far, latest first. */
  mergesList(): Promise<MergeSummary[]>;
}

export const tauriMerges: MergesBackend = {
  duplicatesScan: () => call('duplicates_scan', {}),
  mergeCustomers: (request) => call('merge_customers', { request }),
  mergeUndo: (id) => call('merge_undo', { id }),
  mergesList: () => call('merges_list', {}),
};
