import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import type { ChannelSettings } from '../lib/bindings/ChannelSettings';
import type { SettingsView } from '../lib/bindings/SettingsView';
import { lang } from '../lib/i18n';
import { emptySettings, mockBackend } from '../test/mockBackend';
import SettingsScreen from './SettingsScreen.svelte';
import { settingsFormFrom, toChannelSettings } from './settingsModel';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const view: SettingsView = {
  settings: { ...emptySettings.settings, zalo_app_id: '4321', zalo_template_price_vnd: 250 },
  secrets: { ...emptySettings.secrets, zalo_app_secret: true, zalo_access_token: true, zalo_refresh_token: true },
};

const price = () => screen.getByTestId('settings-zalo-template-price') as HTMLInputElement;

describe('the price of a Zalo template message', () => {
  it('round-trips through the form, empty meaning Zalo’s own price', () => {
    const values = settingsFormFrom(view.settings);
    expect(values.zalo_template_price_vnd).toBe('250');
    expect(toChannelSettings(values, null).zalo_template_price_vnd).toBe(250);
    expect(toChannelSettings({ ...values, zalo_template_price_vnd: ' ' }, null).zalo_template_price_vnd).toBeNull();
    expect(settingsFormFrom(emptySettings.settings).zalo_template_price_vnd).toBe('');
  });

  it('is saved with the settings, and its error is shown beside it', async () => {
    lang.set('en');
    const saveSettings = vi
      .fn<(settings: ChannelSettings) => Promise<SettingsView>>()
      .mockRejectedValueOnce(
        new BackendError('invalid_input', 'out of range', 'zalo_template_price_vnd', 'settings.price_out_of_range', {
          min: '0',
          max: '100000',
        }),
      )
      .mockImplementation((settings) => Promise.resolve({ ...view, settings }));
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), saveSettings }));
    render(SettingsScreen);

    await waitFor(() => expect(price().value).toBe('250'));
    expect(price().placeholder).toBe('200');
    await fireEvent.input(price(), { target: { value: '999999' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('The price is between 0 and 100000 VNĐ');
    expect(error.closest('.field')?.querySelector('[data-testid="settings-zalo-template-price"]')).not.toBeNull();
    expect(saveSettings.mock.calls[0][0].zalo_template_price_vnd).toBe(999999);

    await fireEvent.input(price(), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(2));
    expect(saveSettings.mock.calls[1][0].zalo_template_price_vnd).toBeNull();
  });
});

describe('the Zalo quota', () => {
  it('says how many template messages are left today and what one costs', async () => {
    lang.set('en');
    const zaloQuota = vi.fn(() => Promise.resolve({ daily: 500, remaining: 499, price_vnd: 200 }));
    const saveSettings = vi.fn();
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view), zaloQuota, saveSettings }));
    render(SettingsScreen);

    await fireEvent.click(await screen.findByTestId('settings-zalo-quota-check'));
    const quota = await screen.findByTestId('settings-zalo-quota');
    expect(quota.textContent?.trim()).toBe('Today: 499 of 500 template messages left · 200 đ each');
    expect(zaloQuota).toHaveBeenCalledTimes(1);
    // Nothing was changed, so nothing is saved first.
    expect(saveSettings).not.toHaveBeenCalled();

    lang.set('vi');
    await waitFor(() =>
      expect(screen.getByTestId('settings-zalo-quota').textContent?.trim()).toBe('Hôm nay: còn 499/500 tin mẫu · 200 đ mỗi tin'),
    );
  });

  it('words Zalo’s refusal, and saves changed Zalo credentials before asking', async () => {
    lang.set('vi');
    const saveSettings = vi.fn((settings: ChannelSettings) => Promise.resolve({ ...view, settings }));
    const mock = mockBackend({ getSettings: () => Promise.resolve(emptySettings), saveSettings });
    setBackend(mock);
    render(SettingsScreen);

    // A fresh install: no OA to ask.
    await fireEvent.click(await screen.findByTestId('settings-zalo-quota-check'));
    expect((await screen.findByTestId('settings-zalo-quota-error')).textContent).toBe(
      'Chưa thiết lập Zalo OA: hãy nhập App ID và các mã truy cập trong Cài đặt',
    );
    expect(saveSettings).not.toHaveBeenCalled();

    mock.zaloQuota.mockResolvedValueOnce({ daily: 2000, remaining: 1500, price_vnd: 300 });
    await fireEvent.input(screen.getByTestId('settings-zalo-app-id'), { target: { value: '4321' } });
    await fireEvent.click(screen.getByTestId('settings-zalo-quota-check'));
    await waitFor(() => expect(saveSettings).toHaveBeenCalledTimes(1));
    expect(saveSettings.mock.calls[0][0].zalo_app_id).toBe('4321');
    expect((await screen.findByTestId('settings-zalo-quota')).textContent?.trim()).toBe(
      'Hôm nay: còn 1.500/2.000 tin mẫu · 300 đ mỗi tin',
    );
    expect(screen.queryByTestId('settings-zalo-quota-error')).toBeNull();
  });

  it('comes with what each Zalo route needs, in plain words', async () => {
    lang.set('en');
    setBackend(mockBackend({ getSettings: () => Promise.resolve(view) }));
    render(SettingsScreen);
    const help = await screen.findByTestId('settings-zalo-routes');
    const text = help.textContent ?? '';
    expect(text).toContain('last 48 hours. Free, up to 8 replies');
    expect(text).toContain('last 7 days. Free');
    expect(text).toContain("approved by Zalo in your OA's ZBS account");
    expect(text).toContain('your own Zalo');
  });
});
