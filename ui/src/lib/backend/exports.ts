import type { ExportRequest } from '../bindings/ExportRequest';
import type { ExportSummary } from '../bindings/ExportSummary';
import { call } from './call';

export interface ExportsBackend {
  /**
   * Writes the customers `request` covers (or their interactions) into the Downloads folder as
   * one file named with the date; resolves to where it went and how much it holds. Rejects with
   * `export.unknown_tag` or `export.cannot_write`.
   */
  exportFile(request: ExportRequest): Promise<ExportSummary>;
}

export const tauriExports: ExportsBackend = {
  exportFile: (request) => call('export_file', { request }),
};
