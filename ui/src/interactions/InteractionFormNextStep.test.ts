import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { Interaction } from '../lib/bindings/Interaction';
import type { InteractionInput } from '../lib/bindings/InteractionInput';
import { tomorrowDateInputValue } from '../lib/format';
import { lang } from '../lib/i18n';
import { mockBackend } from '../test/mockBackend';
import InteractionForm from './InteractionForm.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

function renderForm(props: { completeTask?: { id: string; title: string } } = {}) {
  const logInteraction = vi.fn((input: InteractionInput) => Promise.resolve({ id: 'i1', ...input } as unknown as Interaction));
  setBackend(mockBackend({ logInteraction }));
  const onSaved = vi.fn();
  render(InteractionForm, { customerId: 'c1', onSaved, onCancel: () => {}, ...props });
  return {
    logInteraction,
    onSaved,
    outcome: screen.getByTestId('interaction-form-outcome') as HTMLSelectElement,
    next: screen.getByTestId('interaction-form-next-action') as HTMLInputElement,
    date: screen.getByTestId('interaction-form-next-date') as HTMLInputElement,
  };
}

describe('InteractionForm: the next step', () => {
  it('suggests calling again after no answer, a quote when interested, due tomorrow', async () => {
    lang.set('vi');
    const { outcome, next, date } = renderForm();
    await fireEvent.change(outcome, { target: { value: 'no_answer' } });
    expect(next.value).toBe('Gọi lại');
    expect(date.value).toBe(tomorrowDateInputValue(Date.now()));
    await fireEvent.change(outcome, { target: { value: 'interested' } });
    expect(next.value).toBe('Gửi báo giá');
    // An outcome that closes the matter takes its own suggestion back.
    await fireEvent.change(outcome, { target: { value: 'successful' } });
    expect([next.value, date.value]).toEqual(['', '']);
  });

  it('never replaces what the user typed', async () => {
    lang.set('en');
    const { outcome, next } = renderForm();
    await fireEvent.input(next, { target: { value: 'Visit the showroom' } });
    await fireEvent.change(outcome, { target: { value: 'callback' } });
    expect(next.value).toBe('Visit the showroom');
  });

  it('saves a date without words as "Liên hệ lại", so the reminder exists', async () => {
    lang.set('vi');
    const { date, logInteraction } = renderForm();
    await fireEvent.input(date, { target: { value: '2030-01-15' } });
    await fireEvent.click(screen.getByTestId('interaction-form-save'));
    await waitFor(() => expect(logInteraction).toHaveBeenCalledTimes(1));
    const input = logInteraction.mock.calls[0][0];
    expect(input.next_action).toBe('Liên hệ lại');
    expect(input.next_action_date).toBe(new Date(2030, 0, 15, 9).getTime());
  });

  it('names the default "Follow up" in English', async () => {
    lang.set('en');
    const { date, logInteraction } = renderForm();
    await fireEvent.input(date, { target: { value: '2030-01-15' } });
    await fireEvent.click(screen.getByTestId('interaction-form-save'));
    await waitFor(() => expect(logInteraction).toHaveBeenCalledTimes(1));
    expect(logInteraction.mock.calls[0][0].next_action).toBe('Follow up');
  });

  it('offers to mark the task it was opened from done, in English too', async () => {
    lang.set('en');
    const { logInteraction } = renderForm({ completeTask: { id: 't9', title: 'Call Lan back' } });
    const box = screen.getByTestId('interaction-form-complete-task') as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(box.closest('label')?.textContent).toContain('Mark “Call Lan back” done');
    await fireEvent.click(screen.getByTestId('interaction-form-save'));
    await waitFor(() => expect(logInteraction).toHaveBeenCalledTimes(1));
    expect(logInteraction.mock.calls[0][0].complete_task_id).toBe('t9');
  });
});
