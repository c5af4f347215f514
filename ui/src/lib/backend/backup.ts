import type { BackupFile } from '../bindings/BackupFile';
import type { BackupSettings } from '../bindings/BackupSettings';
import type { BackupStatus } from '../bindings/BackupStatus';
import type { Recovery } from '../bindings/Recovery';
import type { RestoreReport } from '../bindings/RestoreReport';
import { call, subscribe } from './call';

export interface BackupBackend {
  /** The backups folder, how backups are taken and kept, and the newest good backup. */
  backupStatus(): Promise<BackupStatus>;
  /** Takes a checked backup into the backups folder (seconds on a large book, off the window's thread). */
  backupNow(): Promise<BackupStatus>;
  /**
   * Saves how backups are taken and kept. Rejects with `backup.folder_unusable` (field `folder`)
   * or `backup.keep_none` (field `keep_daily`).
   */
  saveBackupSettings(settings: BackupSettings): Promise<BackupStatus>;
  /** The backups in the backups folder, newest first. */
  backupList(): Promise<BackupFile[]>;
  /**
   * Replaces the data with a backup's while Tend runs (seconds on a large book); the data as it
   * was is first kept as a backup, named in the report.
   */
  backupRestore(path: string): Promise<RestoreReport>;
  /** Whether the database is damaged, with the backups that can take its place. */
  recoveryState(): Promise<Recovery>;
  /** Puts a backup in place of a damaged database; Tend restarts itself shortly after answering. */
  recoverFromBackup(path: string): Promise<RestoreReport>;
  /** Calls `cb` when the check after start finds the database damaged; returns an unsubscribe function. */
  onDatabaseDamaged(cb: () => void): Promise<() => void>;
}

export const tauriBackup: BackupBackend = {
  backupStatus: () => call('backup_status', {}),
  backupNow: () => call('backup_now', {}),
  saveBackupSettings: (settings) => call('save_backup_settings', { settings }),
  backupList: () => call('backup_list', {}),
  backupRestore: (path) => call('backup_restore', { path }),
  recoveryState: () => call('recovery_state', {}),
  recoverFromBackup: (path) => call('recover_from_backup', { path }),
  onDatabaseDamaged: (cb) => subscribe('database-damaged', () => cb()),
};
