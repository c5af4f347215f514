import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import type { SettingsView } from '../lib/bindings/SettingsView';
import { lang } from '../lib/i18n';
import { navigate, route } from '../lib/router';
import DiscardConfirm from '../app/DiscardConfirm.svelte';
import SettingsScreen from './SettingsScreen.svelte';

const view: SettingsView = {
  settings: {
    my_name: 'Lan',
    my_phone: null,
    telegram_bot_username: null,
    zalo_app_id: null,
    smtp_host: null,
    smtp_port: null,
    smtp_security: 'starttls',
    smtp_username: null,
    smtp_from: null,
    request_timeout_secs: null,
    zalo_template_price_vnd: null,
  },
  secrets: {
    telegram_token: true,
    zalo_app_secret: false,
    zalo_access_token: false,
    zalo_refresh_token: false,
    smtp_password: true,
    location: 'file',
    problem: null,
  },
};

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('SettingsScreen', () => {
  it('saves with null for untouched secrets and "" for removed ones, never showing secret values', async () => {
    lang.set('vi');
    const saveSettings = vi.fn(() => Promise.resolve(view));
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), saveSettings }));
    render(SettingsScreen);

    const token = (await screen.findByTestId('settings-telegram-token')) as HTMLInputElement;
    expect(token.type).toBe('password');
    expect(token.value).toBe('');
    expect(token.placeholder).toBe('đã lưu — để trống để giữ nguyên');
    expect(screen.getByText(/Máy này không có kho mật khẩu của hệ điều hành/)).toBeTruthy();

    await fireEvent.input(screen.getByTestId('settings-zalo-access-token'), { target: { value: 'new-access' } });
    await fireEvent.click(screen.getByTestId('settings-smtp-password-remove'));
    await fireEvent.input(screen.getByTestId('settings-smtp-host'), { target: { value: 'smtp.gmail.com' } });
    await fireEvent.input(screen.getByTestId('settings-smtp-port'), { target: { value: '465' } });
    await fireEvent.change(screen.getByTestId('settings-smtp-security'), { target: { value: 'tls' } });
    await fireEvent.click(screen.getByTestId('settings-save'));

    await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(1));
    expect(saveSettings).toHaveBeenCalledWith(
      expect.objectContaining({ my_name: 'Lan', smtp_host: 'smtp.gmail.com', smtp_port: 465, smtp_security: 'tls' }),
      {
        telegram_token: null,
        zalo_app_secret: null,
        zalo_access_token: 'new-access',
        zalo_refresh_token: null,
        smtp_password: '',
      },
    );
  });

  it('shows a field error beside the from address and a connection test result', async () => {
    lang.set('en');
    const saveSettings = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'not a sender address', 'smtp_from', 'settings.smtp_from_invalid', {
          value: 'lan@',
        }),
      ),
    );
    const testChannel = vi.fn(() =>
      Promise.resolve({ ok: false, message: 'the mail server answered 535: bad login', problem: 'bad_credentials' as const }),
    );
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), saveSettings, testChannel }));
    render(SettingsScreen);

    await fireEvent.input(await screen.findByTestId('settings-smtp-from'), { target: { value: 'lan@' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('“lan@” is not a sender address (for example Lan <lan@example.com>)');
    expect(error.closest('.field')?.querySelector('[data-testid="settings-smtp-from"]')).not.toBeNull();

    // Nothing unsaved in the Telegram section's way: the test runs against the saved settings.
    cleanup();
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), testChannel }));
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('settings-test-telegram'));
    const result = await screen.findByTestId('settings-test-result');
    expect(testChannel).toHaveBeenCalledWith('telegram');
    expect(result.textContent).toContain('the server refused the username or password');
    expect(screen.getByTestId('settings-test-detail').textContent).toBe('the mail server answered 535: bad login');
  });

  it('says when the credential store cannot be read, in both languages', async () => {
    const locked: SettingsView = {
      ...view,
      secrets: { ...view.secrets, location: 'os', telegram_token: false, problem: 'credential store: locked' },
    };
    setBackend(mockBackend({ getSettings: () => Promise.resolve(locked) }));
    lang.set('en');
    render(SettingsScreen);
    const notice = await screen.findByTestId('settings-secrets-problem');
    expect(notice.textContent).toContain('credential store is locked or not answering');
    expect(notice.textContent).toContain('credential store: locked');
    lang.set('vi');
    await waitFor(() => expect(notice.textContent).toContain('kho mật khẩu của hệ thống đang khoá'));
  });

  it('shows a malformed bot token beside the token field', async () => {
    lang.set('en');
    const saveSettings = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'not a bot token', 'telegram_token', 'settings.telegram_token_malformed', {}),
      ),
    );
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), saveSettings }));
    render(SettingsScreen);
    const token = await screen.findByTestId('settings-telegram-token');
    await fireEvent.input(token, { target: { value: 'abc def' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toContain('This is not a bot token');
    expect(error.closest('.field')?.querySelector('[data-testid="settings-telegram-token"]')).toBe(token);
    expect(token.getAttribute('aria-invalid')).toBe('true');
  });

  it('asks before leaving with unsaved changes, and not after they are saved', async () => {
    lang.set('vi');
    route.set({ name: 'settings' });
    const saveSettings = vi.fn(() => Promise.resolve({ ...view, settings: { ...view.settings, my_name: 'Lan Anh' } }));
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), saveSettings }));
    render(DiscardConfirm);
    render(SettingsScreen);
    const myName = (await screen.findByTestId('settings-my-name')) as HTMLInputElement;

    // Untouched: leaving just goes.
    navigate({ name: 'today' });
    expect(get(route)).toEqual({ name: 'today' });
    route.set({ name: 'settings' });

    // A secret typed counts as a change as much as a field does.
    await fireEvent.input(screen.getByTestId('settings-zalo-access-token'), { target: { value: 'tok' } });
    navigate({ name: 'today' });
    expect(await screen.findByTestId('form-discard')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect(get(route)).toEqual({ name: 'settings' });
    await fireEvent.input(screen.getByTestId('settings-zalo-access-token'), { target: { value: '' } });

    await fireEvent.input(myName, { target: { value: 'Lan Anh' } });
    navigate({ name: 'customers' });
    await fireEvent.click(await screen.findByTestId('form-discard-keep'));
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(myName.value).toBe('Lan Anh'));
    navigate({ name: 'customers' });
    expect(screen.queryByTestId('form-discard')).toBeNull();
    expect(get(route)).toEqual({ name: 'customers' });
    route.set({ name: 'today' });
  });

  it('shows the restored channel settings after a restore from a backup', async () => {
    lang.set('vi');
    const restoredView: SettingsView = { ...view, settings: { ...view.settings, my_name: 'Lan (bản sao lưu)' } };
    const b = mockBackend({
      backupList: () =>
        Promise.resolve([
          {
            name: 'tend-backup-2026-11-21-183000.zip',
            path: '/tmp/tend/backups/tend-backup-2026-11-21-183000.zip',
            local: '2026-11-21T18:30:00',
            bytes: 1024,
          },
        ]),
      backupRestore: () =>
        Promise.resolve({
          info: { format: 1, app_version: '0.1.0', schema_version: 7, created_at: 0, customers: 1, interactions: 0, bytes: 0 },
          kept_as: '/tmp/tend/backups/tend-backup-2026-11-22-090000.zip',
          secrets_to_set: [],
        }),
    });
    b.getSettings.mockResolvedValueOnce(view).mockResolvedValueOnce(restoredView);
    setBackend(b);
    render(SettingsScreen);
    expect(((await screen.findByTestId('settings-my-name')) as HTMLInputElement).value).toBe('Lan');
    await fireEvent.click(await screen.findByTestId('backup-restore'));
    await fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    await screen.findByTestId('backup-restored');
    await waitFor(() =>
      expect((screen.getByTestId('settings-my-name') as HTMLInputElement).value).toBe('Lan (bản sao lưu)'),
    );
  });
});
