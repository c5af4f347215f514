import type { BackupStatus } from '../bindings/BackupStatus';
import { call } from './call';

export interface BackupBackend {
  /** The backups folder and the newest good backup in it. */
  backupStatus(): Promise<BackupStatus>;
  /** Takes a checked backup into the backups folder (seconds on a large book, off the window's thread). */
  backupNow(): Promise<BackupStatus>;
}

export const tauriBackup: BackupBackend = {
  backupStatus: () => call('backup_status', {}),
  backupNow: () => call('backup_now', {}),
};
