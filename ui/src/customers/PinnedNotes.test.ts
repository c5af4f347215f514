import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { lang } from '../lib/i18n';
import { navigate, route } from '../lib/router';
import { discardRequest, keepEditing } from '../lib/unsavedChanges';
import Toasts from '../app/Toasts.svelte';
import PinnedNotes from './PinnedNotes.svelte';

afterEach(() => {
  setBackend(tauriBackend);
  keepEditing();
  route.set({ name: 'today' });
});

describe('PinnedNotes', () => {
  it('suggests a summary for a note over 5,000 characters, and words the backend’s hard limit', async () => {
    lang.set('vi');
    const b = mockBackend();
    b.fail('addNote', new BackendError('invalid_input', 'the note is too long', 'body', 'note.too_long', { max: '20000' }));
    setBackend(b);
    render(Toasts);
    render(PinnedNotes, { customerId: 'c1', notes: [], onChanged: () => {} });

    const input = screen.getByTestId('note-input') as HTMLTextAreaElement;
    await fireEvent.input(input, { target: { value: 'Khách thích màu xanh' } });
    expect(screen.queryByTestId('long-text-warning')).toBeNull();

    await fireEvent.input(input, { target: { value: 'x'.repeat(20_500) } });
    expect(screen.getByTestId('long-text-warning').textContent).toBe(
      'Ghi chú dài 20.500 ký tự: nên tóm tắt lại (tối đa 20.000)',
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Thêm ghi chú' }));
    expect((await screen.findByTestId('toast-error')).textContent).toContain('Ghi chú quá dài: tối đa 20.000 ký tự');
    expect(input.value).toHaveLength(20_500);
  });

  it('asks before navigating away from a note being written', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    route.set({ name: 'customer', id: 'c1' });
    render(PinnedNotes, { customerId: 'c1', notes: [], onChanged: () => {} });
    navigate({ name: 'today' });
    expect(get(route)).toEqual({ name: 'today' });

    route.set({ name: 'customer', id: 'c1' });
    await fireEvent.input(screen.getByTestId('note-input'), { target: { value: 'Gọi sau 17h' } });
    navigate({ name: 'today' });
    expect(get(discardRequest)).not.toBeNull();
    expect(get(route)).toEqual({ name: 'customer', id: 'c1' });
  });
});
