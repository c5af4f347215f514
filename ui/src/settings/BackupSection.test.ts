import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import { get } from 'svelte/store';
import type { BackupFile } from '../lib/bindings/BackupFile';
import type { RestoreReport } from '../lib/bindings/RestoreReport';
import { lang } from '../lib/i18n';
import { toasts } from '../lib/toasts';
import { emptyBackupStatus, mockBackend } from '../test/mockBackend';
import BackupSection from './BackupSection.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const MB = 1024 * 1024;

const files: BackupFile[] = [
  {
    name: 'tend-backup-2026-11-21-183000.zip',
    path: '/tmp/tend/backups/tend-backup-2026-11-21-183000.zip',
    local: '2026-11-21T18:30:00',
    bytes: 12.5 * MB,
  },
  {
    name: 'tend-backup-2026-11-20-080500.zip',
    path: '/tmp/tend/backups/tend-backup-2026-11-20-080500.zip',
    local: '2026-11-20T08:05:00',
    bytes: 1234 * MB,
  },
];

function report(secrets: string[]): RestoreReport {
  return {
    info: { format: 1, app_version: '0.1.0', schema_version: 7, created_at: 0, customers: 1234, interactions: 5678, bytes: 0 },
    kept_as: '/tmp/tend/backups/tend-backup-2026-11-22-090000.zip',
    secrets_to_set: secrets,
  };
}

async function typeInto(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe('Backup in Settings', () => {
  it('says there is no backup yet, backs up on demand and shows the new one', async () => {
    lang.set('vi');
    const b = mockBackend();
    setBackend(b);
    render(BackupSection);
    expect((await screen.findByTestId('backup-last')).textContent).toContain('Chưa có bản sao lưu nào');
    expect(screen.getByTestId('backup-folder').textContent).toBe('/tmp/tend/backups');
    expect(screen.queryByTestId('backup-auto-error')).toBeNull();

    let finish: () => void = () => {};
    b.backupNow.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          finish = () =>
            resolve({
              ...emptyBackupStatus,
              last_file: 'tend-backup-2026-11-21-183000.zip',
              last_local: '2026-11-21T18:30:00',
            });
        }),
    );
    const button = screen.getByTestId('backup-now') as HTMLButtonElement;
    await fireEvent.click(button);
    // While it runs, the button says so and cannot start a second one.
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain('Đang sao lưu');
    finish();
    await waitFor(() => expect(screen.getByTestId('backup-last').textContent).toContain('21/11/2026 18:30'));
    expect(screen.getByTestId('backup-last').textContent).toContain('tend-backup-2026-11-21-183000.zip');
    expect(button.disabled).toBe(false);
    expect(b.callsTo('backupNow')).toHaveLength(1);
    // The new backup is in the list to restore from.
    await waitFor(() => expect(b.callsTo('backupList')).toHaveLength(2));
  });

  it('shows a failed backup as an error, in English', async () => {
    lang.set('en');
    const b = mockBackend();
    b.fail('backupNow', {
      code: 'internal',
      key: 'backup.disk_full',
      params: { path: '/media/usb/tend-backup.zip' },
      message: 'disk full',
      field: null,
    });
    setBackend(b);
    render(BackupSection);
    toasts.set([]);
    await fireEvent.click(await screen.findByTestId('backup-now'));
    await waitFor(() => expect(get(toasts).some((t) => t.kind === 'error')).toBe(true));
    const error = get(toasts).find((t) => t.kind === 'error');
    expect(error?.message).toContain('The disk is full');
    expect(error?.message).toContain('/media/usb/tend-backup.zip');
    // Nothing claims a backup was made, and another try is possible.
    expect(screen.getByTestId('backup-last').textContent).toContain('No backup yet');
    expect((screen.getByTestId('backup-now') as HTMLButtonElement).disabled).toBe(false);
  });

  it('words why the last automatic backup failed', async () => {
    lang.set('vi');
    setBackend(
      mockBackend({
        backupStatus: () =>
          Promise.resolve({
            ...emptyBackupStatus,
            auto_error: {
              code: 'internal',
              key: 'backup.disk_full',
              params: { path: 'E:\\Tend\\tend-backup.zip' },
              message: 'No space left on device',
              field: null,
            },
          }),
      }),
    );
    render(BackupSection);
    const error = await screen.findByTestId('backup-auto-error');
    expect(error.textContent).toContain('Lần sao lưu tự động gần nhất không thành công');
    expect(error.textContent).toContain('Ổ đĩa đã đầy');
    expect(error.textContent).toContain('E:\\Tend\\tend-backup.zip');
    expect(error.textContent).not.toContain('No space left');
  });
});

describe('Backup settings', () => {
  it('shows the saved settings, the default folder as the placeholder, and saves what was changed', async () => {
    lang.set('vi');
    const b = mockBackend();
    setBackend(b);
    render(BackupSection);
    const auto = (await screen.findByTestId('backup-auto')) as HTMLInputElement;
    expect(auto.checked).toBe(true);
    expect(screen.getByText('Tự động sao lưu mỗi ngày')).toBeTruthy();
    const folder = screen.getByTestId('backup-folder-input') as HTMLInputElement;
    expect(folder.value).toBe('');
    expect(folder.placeholder).toBe('/tmp/tend/backups');
    expect(screen.getByTestId('backup-section').textContent).toContain('Google Drive, OneDrive');
    expect((screen.getByTestId('backup-keep-daily') as HTMLInputElement).value).toBe('7');
    expect((screen.getByTestId('backup-keep-weekly') as HTMLInputElement).value).toBe('4');

    await fireEvent.click(auto);
    await typeInto('backup-folder-input', '  E:\\Tend  ');
    await typeInto('backup-keep-daily', '10');
    await typeInto('backup-keep-weekly', '0');
    await fireEvent.click(screen.getByTestId('backup-save'));
    await waitFor(() => expect(b.callsTo('saveBackupSettings')).toHaveLength(1));
    expect(b.callsTo('saveBackupSettings')[0]).toEqual([
      { auto: false, folder: 'E:\\Tend', keep_daily: 10, keep_weekly: 0 },
    ]);
    // The status now names the chosen folder, and the list is read from it.
    await waitFor(() => expect(screen.getByTestId('backup-folder').textContent).toBe('E:\\Tend'));
    await waitFor(() => expect(b.callsTo('backupList')).toHaveLength(2));
  });

  it('saves an emptied folder as the default one', async () => {
    lang.set('vi');
    const b = mockBackend({
      backupStatus: () =>
        Promise.resolve({ ...emptyBackupStatus, folder: 'E:\\Tend', settings: { ...emptyBackupStatus.settings, folder: 'E:\\Tend' } }),
    });
    setBackend(b);
    render(BackupSection);
    expect(((await screen.findByTestId('backup-folder-input')) as HTMLInputElement).value).toBe('E:\\Tend');
    await typeInto('backup-folder-input', ' ');
    await fireEvent.click(screen.getByTestId('backup-save'));
    await waitFor(() => expect(b.callsTo('saveBackupSettings')).toHaveLength(1));
    expect(b.callsTo('saveBackupSettings')[0][0].folder).toBeNull();
  });

  it('shows a folder it cannot use beside the folder, worded', async () => {
    lang.set('vi');
    const b = mockBackend();
    b.failOnce('saveBackupSettings', {
      code: 'invalid_input',
      key: 'backup.folder_unusable',
      params: { path: 'F:\\Sao lưu' },
      message: 'cannot write to F:\\Sao lưu',
      field: 'folder',
    });
    setBackend(b);
    toasts.set([]);
    render(BackupSection);
    await screen.findByTestId('backup-folder-input');
    await typeInto('backup-folder-input', 'F:\\Sao lưu');
    await fireEvent.click(screen.getByTestId('backup-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toContain('Không dùng được thư mục “F:\\Sao lưu”');
    expect(error.textContent).not.toContain('cannot write');
    const input = screen.getByTestId('backup-folder-input');
    // Beside its field: in the same field block as the folder box.
    expect(input.closest('.field')?.contains(error)).toBe(true);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(get(toasts).filter((t) => t.kind === 'error')).toEqual([]);
  });

  it('shows keeping nothing beside the counts, and refuses a count that is not a whole number', async () => {
    lang.set('en');
    const b = mockBackend();
    b.failOnce('saveBackupSettings', {
      code: 'invalid_input',
      key: 'backup.keep_none',
      params: {},
      message: 'keep_daily and keep_weekly are both 0',
      field: 'keep_daily',
    });
    setBackend(b);
    render(BackupSection);
    await screen.findByTestId('backup-keep-daily');
    await typeInto('backup-keep-daily', '0');
    await typeInto('backup-keep-weekly', '0');
    await fireEvent.click(screen.getByTestId('backup-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toContain('Keep at least one backup');
    expect(screen.getByTestId('backup-keep-daily').closest('.field')?.contains(error)).toBe(true);

    await typeInto('backup-keep-weekly', '');
    await fireEvent.click(screen.getByTestId('backup-save'));
    await waitFor(() => expect(screen.getByTestId('field-error').textContent).toContain('Enter a whole number'));
    expect(screen.getByTestId('backup-keep-weekly').getAttribute('aria-invalid')).toBe('true');
    expect(b.callsTo('saveBackupSettings')).toHaveLength(1);
  });
});

describe('Restore from a backup', () => {
  it('says when the folder holds no backup', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    render(BackupSection);
    expect((await screen.findByTestId('backup-list-empty')).textContent).toBe('Chưa có bản sao lưu nào trong thư mục này.');
    expect(screen.queryAllByTestId('backup-file')).toEqual([]);
  });

  it('lists the backups, asks first, restores and says what came back and what to enter again', async () => {
    lang.set('vi');
    let finish: (r: RestoreReport) => void = () => {};
    const b = mockBackend({
      backupList: () => Promise.resolve(files),
      backupRestore: () => new Promise((resolve) => (finish = resolve)),
    });
    b.backupStatus.mockResolvedValueOnce(emptyBackupStatus).mockResolvedValueOnce({
      ...emptyBackupStatus,
      last_file: 'tend-backup-2026-11-22-090000.zip',
      last_local: '2026-11-22T09:00:00',
    });
    setBackend(b);
    render(BackupSection);
    const rows = await screen.findAllByTestId('backup-file');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('21/11/2026 18:30');
    expect(rows[0].textContent).toContain('12,5 MB');
    expect(rows[1].textContent).toContain('20/11/2026 08:05');
    expect(rows[1].textContent).toContain('1.234 MB');

    // The first click only asks.
    await fireEvent.click(within(rows[1]).getByTestId('backup-restore'));
    expect(b.callsTo('backupRestore')).toEqual([]);
    const confirm = within(rows[1]).getByTestId('backup-restore-confirm') as HTMLButtonElement;
    const question = rows[1].textContent ?? '';
    expect(question).toContain('Dữ liệu hiện tại sẽ được thay bằng dữ liệu của bản sao lưu ngày 20/11/2026 08:05');
    expect(question).toContain('Tend giữ dữ liệu hiện tại thành một bản sao lưu');

    await fireEvent.click(confirm);
    expect(b.callsTo('backupRestore')).toEqual([[files[1].path]]);
    expect(confirm.textContent).toContain('Đang khôi phục…');
    expect(confirm.disabled).toBe(true);
    finish(report(['telegram_bot_token', 'zalo_app_secret', 'zalo_access_token', 'smtp_password']));

    const done = await screen.findByTestId('backup-restored');
    expect(done.textContent).toContain('Đã khôi phục 1.234 khách hàng, 5.678 tương tác (bản ngày 20/11/2026 08:05)');
    expect(done.textContent).toContain('/tmp/tend/backups/tend-backup-2026-11-22-090000.zip');
    expect(done.textContent).toContain('không bao giờ nằm trong bản sao lưu');
    expect(screen.getByTestId('backup-secrets-to-set').textContent).toBe(
      'Cần nhập lại trong Cài đặt: Mã bot Telegram, Khóa bí mật ứng dụng Zalo, Mã truy cập Zalo OA, Mật khẩu email.',
    );
    // The status and the list are read again: the data as it was is now a backup too.
    await waitFor(() => expect(b.callsTo('backupStatus')).toHaveLength(2));
    await waitFor(() => expect(b.callsTo('backupList')).toHaveLength(2));
    expect(screen.queryByTestId('backup-restore-confirm')).toBeNull();
  });

  it('says nothing is missing when no secret is needed, and words the list in English', async () => {
    lang.set('en');
    const b = mockBackend({
      backupList: () => Promise.resolve(files.slice(0, 1)),
      backupRestore: () => Promise.resolve(report([])),
    });
    setBackend(b);
    render(BackupSection);
    await fireEvent.click(await screen.findByTestId('backup-restore'));
    await fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    const done = await screen.findByTestId('backup-restored');
    // Numbers are grouped the Vietnamese way in both languages.
    expect(done.textContent).toContain('Restored 1.234 customers and 5.678 interactions (backup of 21/11/2026 18:30).');
    expect(done.textContent).toContain('Passwords and tokens are never in backups.');
    expect(screen.queryByTestId('backup-secrets-to-set')).toBeNull();
  });

  it('can be cancelled, and a failed restore is worded and changes nothing', async () => {
    lang.set('vi');
    const b = mockBackend({ backupList: () => Promise.resolve(files) });
    b.fail('backupRestore', {
      code: 'invalid_input',
      key: 'backup.damaged',
      params: { path: files[0].path },
      message: 'zip checksum mismatch',
      field: null,
    });
    setBackend(b);
    toasts.set([]);
    render(BackupSection);
    const [first] = await screen.findAllByTestId('backup-file');
    await fireEvent.click(within(first).getByTestId('backup-restore'));
    await fireEvent.click(within(first).getByText('Huỷ'));
    expect(screen.queryByTestId('backup-restore-confirm')).toBeNull();
    expect(b.callsTo('backupRestore')).toEqual([]);

    await fireEvent.click(within(first).getByTestId('backup-restore'));
    await fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    await waitFor(() => expect(get(toasts).some((t) => t.kind === 'error')).toBe(true));
    expect(get(toasts).find((t) => t.kind === 'error')?.message).toContain('bị hỏng nên không dùng được');
    expect(screen.queryByTestId('backup-restored')).toBeNull();
    expect((screen.getByTestId('backup-restore-confirm') as HTMLButtonElement).disabled).toBe(false);
  });
});
