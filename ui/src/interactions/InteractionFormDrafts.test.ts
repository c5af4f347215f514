import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { customerFixture } from '../test/customerFixture';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import App from '../app/App.svelte';
import DiscardConfirm from '../app/DiscardConfirm.svelte';
import InteractionForm from './InteractionForm.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

function renderForm(onCancel = vi.fn()) {
  render(DiscardConfirm);
  render(InteractionForm, { customerId: 'c1', onSaved: () => {}, onCancel });
  return { onCancel, content: screen.getByTestId('interaction-form-content') as HTMLTextAreaElement };
}

describe('InteractionForm: unsaved changes', () => {
  it('closes an untouched form on Escape without asking', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    const { onCancel, content } = renderForm();
    await fireEvent.keyDown(content, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('form-discard')).toBeNull();
  });

  it('asks before dropping what was typed, from Escape and from the cancel button', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    const { onCancel, content } = renderForm();
    await fireEvent.input(content, { target: { value: 'Khách hẹn gọi lại tuần sau' } });

    await fireEvent.click(screen.getByText('Huỷ'));
    expect(screen.getByTestId('form-discard').textContent).toContain('Bỏ các thay đổi chưa lưu?');
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect(onCancel).not.toHaveBeenCalled();
    expect(content.value).toBe('Khách hẹn gọi lại tuần sau');

    await fireEvent.keyDown(content, { key: 'Escape' });
    await fireEvent.click(screen.getByTestId('form-discard-confirm'));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('does not ask when a changed field is changed back', async () => {
    lang.set('en');
    setBackend(mockBackend());
    const { onCancel, content } = renderForm();
    await fireEvent.input(content, { target: { value: 'x' } });
    await fireEvent.input(content, { target: { value: '' } });
    await fireEvent.keyDown(content, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('asks before a new interaction replaces one being typed on the customer detail', async () => {
    lang.set('vi');
    const customer = customerFixture();
    setBackend(mockBackend({ openCustomer: () => Promise.resolve({ customer, timeline: { items: [], total: 0 }, open_tasks: [] }) }));
    route.set({ name: 'customer', id: 'c1' });
    render(App);
    await fireEvent.click(await screen.findByTestId('interaction-new'));
    const content = (await screen.findByTestId('interaction-form-content')) as HTMLTextAreaElement;
    await fireEvent.input(content, { target: { value: 'Đã gọi, khách đang bận' } });

    await fireEvent.click(screen.getByTestId('interaction-new'));
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect((screen.getByTestId('interaction-form-content') as HTMLTextAreaElement).value).toBe('Đã gọi, khách đang bận');

    await fireEvent.click(screen.getByTestId('interaction-new'));
    await fireEvent.click(screen.getByTestId('form-discard-confirm'));
    await waitFor(() => expect((screen.getByTestId('interaction-form-content') as HTMLTextAreaElement).value).toBe(''));
  });
});

describe('InteractionForm: long texts', () => {
  it('suggests a summary above 5,000 characters, with Vietnamese number grouping', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    const { content } = renderForm();
    await fireEvent.input(content, { target: { value: 'a'.repeat(5000) } });
    expect(screen.queryByTestId('long-text-warning')).toBeNull();
    await fireEvent.input(content, { target: { value: 'ă'.repeat(5432) } });
    const warning = screen.getByTestId('long-text-warning');
    expect(warning.textContent).toBe('Ghi chú dài 5.432 ký tự: nên tóm tắt lại (tối đa 20.000)');
    // A warning, not an error: the field is not marked invalid and saving stays possible.
    expect(content.getAttribute('aria-invalid')).toBe('false');
    expect((screen.getByTestId('interaction-form-save') as HTMLButtonElement).disabled).toBe(false);
    lang.set('en');
    await waitFor(() =>
      expect(screen.getByTestId('long-text-warning').textContent).toBe(
        'This note is 5.432 characters long: consider a summary (20.000 at most)',
      ),
    );
  });

  it('shows the backend’s limit beside the text when it refuses a text that is too long', async () => {
    lang.set('vi');
    const b = mockBackend();
    b.fail(
      'logInteraction',
      new BackendError('invalid_input', 'the text is too long: at most 20000 characters', 'content', 'interaction.content_too_long', {
        max: '20000',
      }),
    );
    setBackend(b);
    const { content } = renderForm();
    await fireEvent.input(content, { target: { value: 'b'.repeat(20_001) } });
    await fireEvent.click(screen.getByTestId('interaction-form-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe('Nội dung quá dài: tối đa 20.000 ký tự');
    expect(error.closest('.field')?.querySelector('[data-testid="interaction-form-content"]')).toBe(content);
    expect(content.value).toHaveLength(20_001);
  });
});
