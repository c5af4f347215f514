import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend, type Backend } from '../lib/backend';
import { lang } from '../lib/i18n';
import { errorMessage } from '../lib/toasts';
import InteractionForm from './InteractionForm.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

function mockBackend(overrides: Partial<Backend>): Backend {
  const unexpected = () => Promise.reject(new Error('not expected in this test'));
  const base = Object.fromEntries(Object.keys(tauriBackend).map((key) => [key, unexpected])) as unknown as Backend;
  return { ...base, ...overrides };
}

afterEach(() => setBackend(tauriBackend));

describe('InteractionForm', () => {
  it('shows a duration error from the backend beside the field, in Vietnamese', async () => {
    lang.set('vi');
    const logInteraction = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'the duration is in minutes, between 0 and 1440', 'duration_minutes'),
      ),
    );
    setBackend(mockBackend({ logInteraction }));
    const onSaved = vi.fn();

    render(InteractionForm, { customerId: 'c1', onSaved, onCancel: () => {} });
    await fireEvent.input(document.getElementById('if-duration') as HTMLInputElement, {
      target: { value: '2000' },
    });
    await fireEvent.click(screen.getByTestId('interaction-form-save'));

    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe('Thời lượng tính bằng phút, từ 0 đến 1440');
    expect(error.closest('.field')?.querySelector('#if-duration')).not.toBeNull();
    expect(document.getElementById('if-duration')?.getAttribute('aria-invalid')).toBe('true');
    expect(onSaved).not.toHaveBeenCalled();
  });
});

describe('errorMessage', () => {
  it('localizes field errors shown in a toast', () => {
    const error = new BackendError('invalid_input', 'say what the next action is, or clear its date', 'next_action');
    expect(errorMessage(error, 'vi')).toBe('Hãy nhập bước tiếp theo, hoặc xoá ngày theo dõi');
    expect(errorMessage(error, 'en')).toBe('say what the next action is, or clear its date');
  });

  it('has its own words for an error that carried no message', () => {
    expect(errorMessage(undefined, 'vi')).toBe('Đã có lỗi không xác định');
    expect(errorMessage(new Error('disk full'), 'vi')).toBe('Đã có lỗi xảy ra: disk full');
  });
});
