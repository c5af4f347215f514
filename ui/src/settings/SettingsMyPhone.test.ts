import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { emptySettings, mockBackend } from '../test/mockBackend';
import type { ChannelSettings } from '../lib/bindings/ChannelSettings';
import type { SettingsView } from '../lib/bindings/SettingsView';
import { lang } from '../lib/i18n';
import SettingsScreen from './SettingsScreen.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const view: SettingsView = {
  ...emptySettings,
  settings: { ...emptySettings.settings, my_name: 'Lan', my_phone: '0903 123 456' },
};

describe('SettingsScreen: your phone', () => {
  it('sits beside your name, saves with the settings and shows its own error', async () => {
    lang.set('vi');
    const saveSettings = vi
      .fn<(settings: ChannelSettings) => Promise<SettingsView>>()
      .mockRejectedValueOnce(
        new BackendError('invalid_input', 'not a phone', 'my_phone', 'phone.invalid_vietnamese', { value: '0903' }),
      )
      .mockImplementation((settings) => Promise.resolve({ ...view, settings }));
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), saveSettings }));
    render(SettingsScreen);

    const phone = (await screen.findByTestId('settings-my-phone')) as HTMLInputElement;
    expect(phone.value).toBe('0903 123 456');
    expect(screen.getByLabelText('Số điện thoại của bạn')).toBe(phone);
    // In the same "You" section as the name.
    expect(phone.closest('fieldset')?.querySelector('[data-testid="settings-my-name"]')).not.toBeNull();

    await fireEvent.input(phone, { target: { value: '0903' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe('“0903” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)');
    expect(error.closest('.field')?.querySelector('[data-testid="settings-my-phone"]')).toBe(phone);
    expect(phone.getAttribute('aria-invalid')).toBe('true');

    await fireEvent.input(phone, { target: { value: '0903 123 457' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(2));
    expect(saveSettings.mock.calls[1][0]).toEqual(expect.objectContaining({ my_name: 'Lan', my_phone: '0903 123 457' }));
    await waitFor(() => expect(screen.queryByTestId('field-error')).toBeNull());
  });
});
