import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { lang } from '../lib/i18n';
import { errorMessage } from '../lib/toasts';
import InteractionForm from './InteractionForm.svelte';

afterEach(() => setBackend(tauriBackend));

describe('InteractionForm', () => {
  it('shows a duration error from the backend beside the field, in Vietnamese', async () => {
    lang.set('vi');
    const logInteraction = vi.fn(() =>
      Promise.reject(
        new BackendError(
          'invalid_input',
          'the duration is in minutes, between 0 and 1440',
          'duration_minutes',
          'interaction.duration_out_of_range',
          { max: '1440' },
        ),
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
  it('words field errors shown in a toast from their key', () => {
    const error = new BackendError(
      'invalid_input',
      'say what the next action is, or clear its date',
      'next_action',
      'interaction.next_action_missing',
    );
    expect(errorMessage(error, 'vi')).toBe('Hãy nhập bước tiếp theo, hoặc xoá ngày theo dõi');
    expect(errorMessage(error, 'en')).toBe('Say what the next step is, or clear its date');
  });

  it('has its own words for an error that carried no key', () => {
    expect(errorMessage(undefined, 'vi')).toBe('Đã có lỗi xảy ra');
    expect(errorMessage(new Error('disk full'), 'vi')).toBe('Đã có lỗi xảy ra');
  });
});
