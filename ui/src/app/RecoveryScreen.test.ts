import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { BackupFile } from '../lib/bindings/BackupFile';
import type { RestoreReport } from '../lib/bindings/RestoreReport';
import { lang } from '../lib/i18n';
import { emptyBackupStatus, mockBackend } from '../test/mockBackend';
import RecoveryScreen from './RecoveryScreen.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const backups: BackupFile[] = [
  {
    name: 'tend-backup-2026-11-21-183000.zip',
    path: '/tmp/tend/backups/tend-backup-2026-11-21-183000.zip',
    local: '2026-11-21T18:30:00',
    bytes: 3 * 1024 * 1024,
  },
  {
    name: 'tend-backup-2026-11-14-090000.zip',
    path: '/tmp/tend/backups/tend-backup-2026-11-14-090000.zip',
    local: '2026-11-14T09:00:00',
    bytes: 2.5 * 1024 * 1024,
  },
];

const detail = 'database disk image is malformed';

const report: RestoreReport = {
  info: { format: 1, app_version: '0.1.0', schema_version: 7, created_at: 0, customers: 850, interactions: 4210, bytes: 0 },
  kept_as: '/tmp/tend/damaged/tend-2026-11-22-080000.db',
  secrets_to_set: ['telegram_bot_token'],
};

describe('RecoveryScreen', () => {
  it('says the data file is damaged, keeps nothing from being deleted and restores the chosen backup', async () => {
    lang.set('vi');
    const b = mockBackend({
      recoveryState: () => Promise.resolve({ damaged: true, detail, backups }),
      recoverFromBackup: () => Promise.resolve(report),
    });
    setBackend(b);
    render(RecoveryScreen);
    const view = await screen.findByTestId('recovery-screen');
    expect(view.textContent).toContain('Tệp dữ liệu bị hỏng');
    expect(view.textContent).toContain('Không có gì bị xoá');
    // SQLite's words are there for support, folded away under technical details.
    expect(screen.getByTestId('recovery-detail').textContent).toBe(detail);
    expect(screen.getByTestId('recovery-detail').closest('details')?.textContent).toContain('Chi tiết kỹ thuật');

    const rows = await screen.findAllByTestId('recovery-backup');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('21/11/2026 18:30');
    expect(rows[0].textContent).toContain('mới nhất');
    expect(rows[0].textContent).toContain('3,0 MB');
    expect(rows[1].textContent).toContain('14/11/2026 09:00');
    expect(within(rows[1]).queryByTestId('recovery-newest')).toBeNull();

    await fireEvent.click(within(rows[1]).getByTestId('recovery-restore'));
    await waitFor(() => expect(b.callsTo('recoverFromBackup')).toEqual([[backups[1].path]]));
    const done = await screen.findByTestId('recovery-restored');
    expect(done.textContent).toContain('Đã khôi phục 850 khách hàng, 4.210 tương tác từ bản ngày 14/11/2026 09:00. Tend sẽ mở lại.');
    expect(done.textContent).toContain('/tmp/tend/damaged/tend-2026-11-22-080000.db');
    expect(screen.getByTestId('backup-secrets-to-set').textContent).toBe('Cần nhập lại trong Cài đặt: Mã bot Telegram.');
    expect(done.textContent).toContain('không bao giờ nằm trong bản sao lưu');
    // Tend is about to restart: nothing else can be started.
    for (const button of screen.getAllByTestId('recovery-restore')) expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(b.callsTo('recoveryState')).toHaveLength(1);
  });

  it('uses the state the app already read', async () => {
    lang.set('en');
    const b = mockBackend();
    setBackend(b);
    render(RecoveryScreen, { initial: { damaged: true, detail: null, backups } });
    expect(await screen.findAllByTestId('recovery-backup')).toHaveLength(2);
    expect(screen.getByTestId('recovery-screen').textContent).toContain('The data file is damaged');
    expect(screen.queryByTestId('recovery-detail')).toBeNull();
    expect(b.callsTo('recoveryState')).toEqual([]);
  });

  it('words a restore that failed beside the backup, and another can be tried', async () => {
    lang.set('vi');
    const b = mockBackend({ recoveryState: () => Promise.resolve({ damaged: true, detail, backups }) });
    b.failOnce('recoverFromBackup', {
      code: 'invalid_input',
      key: 'backup.damaged',
      params: { path: backups[0].path },
      message: 'bad zip',
      field: null,
    });
    setBackend(b);
    render(RecoveryScreen);
    const [first] = await screen.findAllByTestId('recovery-backup');
    await fireEvent.click(within(first).getByTestId('recovery-restore'));
    const error = await within(first).findByTestId('field-error');
    expect(error.textContent).toContain('bị hỏng nên không dùng được');
    expect(error.textContent).not.toContain('bad zip');
    expect(screen.queryByTestId('recovery-restored')).toBeNull();
    expect((within(first).getByTestId('recovery-restore') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says where backups are kept when there is none, and looks again', async () => {
    lang.set('vi');
    const b = mockBackend({
      backupStatus: () => Promise.resolve({ ...emptyBackupStatus, folder: 'D:\\Tend\\backups' }),
    });
    b.recoveryState.mockResolvedValueOnce({ damaged: true, detail, backups: [] });
    b.recoveryState.mockResolvedValueOnce({ damaged: true, detail, backups: backups.slice(0, 1) });
    setBackend(b);
    render(RecoveryScreen);
    expect((await screen.findByTestId('recovery-none')).textContent).toContain('Không tìm thấy bản sao lưu nào');
    await waitFor(() => expect(screen.getByTestId('recovery-screen').textContent).toContain('D:\\Tend\\backups'));
    expect(screen.getByTestId('recovery-screen').textContent).toContain('rồi bấm “Tìm lại”');

    await fireEvent.click(screen.getByTestId('recovery-rescan'));
    expect(await screen.findAllByTestId('recovery-backup')).toHaveLength(1);
    expect(b.callsTo('recoveryState')).toHaveLength(2);
    expect(screen.queryByTestId('recovery-none')).toBeNull();
  });

  it('names the default folder when the settings cannot be read', async () => {
    lang.set('en');
    const b = mockBackend({
      recoveryState: () => Promise.resolve({ damaged: true, detail: null, backups: [] }),
      appInfo: () =>
        Promise.resolve({ version: '0.1.0', data_dir: 'C:\\Users\\Lan\\AppData\\Roaming\\tend', locale: 'vi-VN', open_error: null }),
    });
    b.fail('backupStatus', { code: 'storage', key: 'db.damaged', params: {}, message: 'malformed', field: null });
    setBackend(b);
    render(RecoveryScreen);
    await waitFor(() =>
      expect(screen.getByTestId('recovery-screen').textContent).toContain(
        'Tend normally keeps backups in the folder C:\\Users\\Lan\\AppData\\Roaming\\tend\\backups.',
      ),
    );
  });
});
