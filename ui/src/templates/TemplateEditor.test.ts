import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { lang } from '../lib/i18n';
import TemplateEditor from './TemplateEditor.svelte';

const customerPage = {
  items: [
    {
      id: 'c1',
      full_name: 'Nguyễn Thị Lan',
      phone_display: null,
      email: null,
      company_name: null,
      lifecycle_stage: 'active' as const,
      temperature: null,
      tags: [],
      last_contact_date: null,
      next_follow_up_date: null,
    },
  ],
  total: 1,
};

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('TemplateEditor', () => {
  it('inserts a variable at the cursor and previews the draft as text', async () => {
    lang.set('en');
    const previewDraft = vi.fn((_c: string, _s: string | null, body: string) =>
      Promise.resolve({ subject: null, text: `<b>${body}</b>`, html: null, missing: ['customer.company'] }),
    );
    setBackend(
      mockBackend({
        templateVariables: () => Promise.resolve([{ name: 'customer.name', example: 'Lan' }]),
        listCustomers: () => Promise.resolve(customerPage),
        previewDraft,
      }),
    );
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });

    const body = screen.getByTestId('template-form-body') as HTMLTextAreaElement;
    await fireEvent.input(body, { target: { value: 'Chào , hẹn gặp' } });
    body.setSelectionRange(5, 5);
    await fireEvent.click(await screen.findByTestId('template-variable'));
    expect(body.value).toBe('Chào {{customer.name}}, hẹn gặp');
    expect(body.selectionStart).toBe(5 + '{{customer.name}}'.length);

    await waitFor(() => expect(previewDraft).toHaveBeenLastCalledWith('c1', null, 'Chào {{customer.name}}, hẹn gặp', false), {
      timeout: 2000,
    });
    const preview = await screen.findByTestId('template-preview');
    // Shown as text: markup in a rendered message is never interpreted.
    expect(preview.textContent).toBe('<b>Chào {{customer.name}}, hẹn gặp</b>');
    expect(preview.querySelector('b')).toBeNull();
    expect((await screen.findByTestId('template-preview-missing')).textContent).toContain('customer.company');
  });

  it('shows a syntax error beside the body and the subject only for email or any', async () => {
    lang.set('vi');
    const createTemplate = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'syntax error at line 1, column 6', 'body', 'template.syntax_error_at', {
          line: '1',
          column: '6',
          detail: 'unclosed tag',
        }),
      ),
    );
    setBackend(
      mockBackend({
        templateVariables: () => Promise.resolve([]),
        listCustomers: () => Promise.resolve({ items: [], total: 0 }),
        createTemplate,
      }),
    );
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });

    const channel = screen.getByTestId('template-form-channel') as HTMLSelectElement;
    expect([...channel.options].map((o) => o.value)).toEqual(['telegram', 'zalo', 'email', 'any']);
    expect(screen.queryByTestId('template-form-subject')).not.toBeNull();
    await fireEvent.change(channel, { target: { value: 'zalo' } });
    expect(screen.queryByTestId('template-form-subject')).toBeNull();

    await fireEvent.input(screen.getByTestId('template-form-name'), { target: { value: 'Chào' } });
    await fireEvent.input(screen.getByTestId('template-form-body'), { target: { value: 'Chào {{customer.name' } });
    await fireEvent.click(screen.getByTestId('template-form-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe('Mẫu có lỗi cú pháp ở dòng 1, cột 6: unclosed tag');
    expect(error.closest('.field')?.querySelector('[data-testid="template-form-body"]')).not.toBeNull();
    expect(createTemplate).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'Chào', channel: 'zalo', subject: null, body: 'Chào {{customer.name' }),
    );
  });
});
