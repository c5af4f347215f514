import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { emptySettings, mockBackend } from '../test/mockBackend';
import type { ChannelSettings } from '../lib/bindings/ChannelSettings';
import type { SecretsInput } from '../lib/bindings/SecretsInput';
import type { SettingsView } from '../lib/bindings/SettingsView';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { toasts } from '../lib/toasts';
import WelcomeCard from './WelcomeCard.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const stored: SettingsView = {
  ...emptySettings,
  settings: { ...emptySettings.settings, my_name: 'Trần Thị Lan', smtp_host: 'smtp.example.vn', smtp_port: 587 },
};

const keepEverySecret: SecretsInput = {
  telegram_token: null,
  zalo_app_secret: null,
  zalo_access_token: null,
  zalo_refresh_token: null,
  smtp_password: null,
};

describe('WelcomeCard: your own details', () => {
  it('says why, and saves the name and phone without touching any other setting or secret', async () => {
    lang.set('vi');
    const saveSettings = vi.fn((settings: ChannelSettings, _secrets: SecretsInput) =>
      Promise.resolve({ ...stored, settings: { ...settings, my_phone: '0903 123 456' } }),
    );
    setBackend(mockBackend({ getSettings: () => Promise.resolve(stored), saveSettings }));
    render(WelcomeCard);

    expect(screen.getByText('Tên và số của bạn dùng trong tin nhắn mẫu ({{me.name}}, {{me.phone}})')).toBeTruthy();
    const name = screen.getByTestId('welcome-my-name') as HTMLInputElement;
    const phone = screen.getByTestId('welcome-my-phone') as HTMLInputElement;
    await waitFor(() => expect(name.value).toBe('Trần Thị Lan'));
    await fireEvent.input(phone, { target: { value: '0903123456' } });
    await fireEvent.click(screen.getByTestId('welcome-save'));

    await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(1));
    expect(saveSettings).toHaveBeenCalledWith(
      { ...stored.settings, my_name: 'Trần Thị Lan', my_phone: '0903123456' },
      keepEverySecret,
    );
    // Shown back as the backend stored it.
    await waitFor(() => expect(phone.value).toBe('0903 123 456'));
    expect(get(toasts).some((toast) => toast.kind === 'success' && toast.message === 'Đã lưu thông tin của bạn')).toBe(true);
    expect(screen.queryByTestId('field-error')).toBeNull();
  });

  it('shows a phone the backend refuses beside the phone, in words', async () => {
    lang.set('en');
    const saveSettings = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'not a phone', 'my_phone', 'phone.invalid_vietnamese', { value: '12345' }),
      ),
    );
    setBackend(mockBackend({ saveSettings }));
    render(WelcomeCard);

    expect(screen.getByText('Your name and phone go into message templates ({{me.name}}, {{me.phone}})')).toBeTruthy();
    const phone = screen.getByTestId('welcome-my-phone') as HTMLInputElement;
    await fireEvent.input(screen.getByTestId('welcome-my-name'), { target: { value: 'Lan' } });
    await fireEvent.input(phone, { target: { value: '12345' } });
    await fireEvent.click(screen.getByTestId('welcome-save'));

    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe('“12345” is not a valid Vietnamese phone number (for example 0912 345 678)');
    expect(error.closest('.field')?.querySelector('[data-testid="welcome-my-phone"]')).toBe(phone);
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(phone.value).toBe('12345');
    expect(saveSettings).toHaveBeenCalledWith(expect.objectContaining({ my_name: 'Lan', my_phone: '12345' }), keepEverySecret);
    lang.set('vi');
    await waitFor(() =>
      expect(screen.getByTestId('field-error').textContent?.trim()).toBe(
        '“12345” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)',
      ),
    );
  });

  it('offers to import customers from a file', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    render(WelcomeCard);
    await fireEvent.click(screen.getByTestId('welcome-import'));
    expect(get(route)).toEqual({ name: 'import' });
    route.set({ name: 'today' });
  });
});
