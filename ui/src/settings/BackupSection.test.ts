import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import { get } from 'svelte/store';
import { lang } from '../lib/i18n';
import { toasts } from '../lib/toasts';
import { mockBackend } from '../test/mockBackend';
import BackupSection from './BackupSection.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('Backup in Settings', () => {
  it('says there is no backup yet, backs up on demand and shows the new one', async () => {
    lang.set('vi');
    const b = mockBackend();
    setBackend(b);
    render(BackupSection);
    expect((await screen.findByTestId('backup-last')).textContent).toContain('Chưa có bản sao lưu nào');
    expect(screen.getByTestId('backup-folder').textContent).toBe('/tmp/tend/backups');

    let finish: () => void = () => {};
    b.backupNow.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          finish = () =>
            resolve({
              folder: '/tmp/tend/backups',
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
});
