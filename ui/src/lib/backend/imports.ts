import type { ImportOpened } from '../bindings/ImportOpened';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportReport } from '../bindings/ImportReport';
import type { ImportSummary } from '../bindings/ImportSummary';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { InvalidRow } from '../bindings/InvalidRow';
import { call, callWithBytes, subscribe } from './call';

export type { ImportProgress };

/** The text encodings a salesperson can force on a CSV or TSV file. */
export type ImportEncoding = 'utf-8' | 'utf-16' | 'windows-1258' | 'windows-1252';

export interface ImportsBackend {
  /**
   * Reads a file's bytes and proposes a mapping of its columns; `encoding` forces how a CSV or
   * TSV file is read instead of the detected one.
   */
  importOpen(bytes: Uint8Array, fileName: string, encoding?: ImportEncoding | null): Promise<ImportOpened>;
  /** Checks the whole opened file with `options`; nothing is written. */
  importDryRun(options: ImportOptions): Promise<ImportReport>;
  /** Writes the opened file (seconds on a big one); rejects with `import.cancelled` when cancelled. */
  importRun(options: ImportOptions): Promise<ImportSummary>;
  /** Stops the running import; nothing of it is written. */
  importCancel(): Promise<null>;
  /** Every invalid row of the opened file, not only the first ones the report lists. */
  importInvalidRows(options: ImportOptions): Promise<InvalidRow[]>;
  /**
   * Saves the invalid rows as a CSV file in the Downloads folder, with `reasons` (the worded
   * reason of each invalid row, in order) beside them; resolves to the file's path.
   */
  importSaveInvalid(options: ImportOptions, reasons: string[]): Promise<string>;
  /** The imports made so far, newest first. */
  importsList(): Promise<ImportSummary[]>;
  /** Takes an import back: removes whom it created and restores whom it updated. */
  importUndo(id: string): Promise<ImportSummary>;
  /** Calls `cb` as a running import goes through the rows; returns an unsubscribe function. */
  onImportProgress(cb: (progress: ImportProgress) => void): Promise<() => void>;
}

export const tauriImports: ImportsBackend = {
  importOpen: (bytes, fileName, encoding) => {
    const headers: Record<string, string> = { 'x-file-name': encodeURIComponent(fileName) };
    if (encoding) headers['x-encoding'] = encoding;
    return callWithBytes('import_open', bytes, headers);
  },
  importDryRun: (options) => call('import_dry_run', { options }),
  importRun: (options) => call('import_run', { options }),
  importCancel: () => call('import_cancel', {}),
  importInvalidRows: (options) => call('import_invalid_rows', { options }),
  importSaveInvalid: (options, reasons) => call('import_save_invalid', { options, reasons }),
  importsList: () => call('imports_list', {}),
  importUndo: (id) => call('import_undo', { id }),
  onImportProgress: (cb) => subscribe<ImportProgress>('import-progress', cb),
};
