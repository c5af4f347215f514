import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import type { FrequencyCap } from '../lib/bindings/FrequencyCap';
import { lang } from '../lib/i18n';
import { mockBackend } from '../test/mockBackend';
import { parseFrequencyCap } from './frequencyCapModel';
import SettingsScreen from './SettingsScreen.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('the automated message limit in Settings', () => {
  it('shows the saved limit and saves a new one on its own button', async () => {
    lang.set('vi');
    const setFrequencyCap = vi.fn((cap: FrequencyCap) => Promise.resolve(cap));
    const saveSettings = vi.fn();
    setBackend(mockBackend({ frequencyCap: () => Promise.resolve({ per_7_days: 3 }), setFrequencyCap, saveSettings }));
    render(SettingsScreen);

    const input = (await screen.findByTestId('settings-frequency-cap')) as HTMLInputElement;
    expect(input.value).toBe('3');
    const section = screen.getByTestId('frequency-cap-section');
    expect(section.textContent).toContain('Giới hạn tin tự động');
    expect(section.textContent).toContain('Tối đa');
    expect(section.textContent).toContain('tin tự động cho mỗi khách trong 7 ngày');
    expect(section.textContent).toContain('tin gửi tay không tính. 0 = không giới hạn.');

    await fireEvent.input(input, { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('settings-frequency-cap-save'));
    await waitFor(() => expect(setFrequencyCap).toHaveBeenCalledWith({ per_7_days: 0 }));
    // The channel settings are not saved along with it.
    expect(saveSettings).not.toHaveBeenCalled();
    expect(screen.queryByTestId('settings-frequency-cap-error')).toBeNull();
  });

  it('shows the backend refusal beside the field, in the UI language', async () => {
    lang.set('en');
    setBackend(
      mockBackend({
        setFrequencyCap: () =>
          Promise.reject(new BackendError('invalid_input', 'out of range', 'per_7_days', 'frequency_cap.out_of_range', {})),
      }),
    );
    render(SettingsScreen);
    const input = await screen.findByTestId('settings-frequency-cap');
    await fireEvent.input(input, { target: { value: '500' } });
    await fireEvent.click(screen.getByTestId('settings-frequency-cap-save'));
    const error = await screen.findByTestId('settings-frequency-cap-error');
    expect(error.textContent?.trim()).toBe('The limit is a number of messages from 0 (no limit) to 100');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('does not send what is not a whole number', async () => {
    lang.set('vi');
    const setFrequencyCap = vi.fn((cap: FrequencyCap) => Promise.resolve(cap));
    setBackend(mockBackend({ setFrequencyCap }));
    render(SettingsScreen);
    const input = await screen.findByTestId('settings-frequency-cap');
    await fireEvent.input(input, { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('settings-frequency-cap-save'));
    expect((await screen.findByTestId('settings-frequency-cap-error')).textContent?.trim()).toBe(
      'Nhập một số nguyên từ 0 trở lên (0 = không giới hạn)',
    );
    expect(setFrequencyCap).not.toHaveBeenCalled();
  });
});

describe('parseFrequencyCap', () => {
  it('takes whole numbers from 0 and nothing else', () => {
    expect(parseFrequencyCap(' 5 ')).toBe(5);
    expect(parseFrequencyCap('0')).toBe(0);
    for (const bad of ['', '-1', '2.5', 'ba', '1e3']) expect(parseFrequencyCap(bad), bad).toBeNull();
  });
});
