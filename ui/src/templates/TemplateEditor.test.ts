import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { lang } from '../lib/i18n';
import type { Template } from '../lib/bindings/Template';
import DiscardConfirm from '../app/DiscardConfirm.svelte';
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
    await fireEvent.click(await screen.findByTestId('template-var-chip'));
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
    expect([...channel.options].map((o) => o.value)).toEqual(['telegram', 'zalo', 'zalo_template', 'email', 'any']);
    expect(channel.options[2].textContent).toBe('Mẫu Zalo (Zalo duyệt)');
    expect(screen.queryByTestId('template-form-subject')).not.toBeNull();
    await fireEvent.change(channel, { target: { value: 'zalo' } });
    expect(screen.queryByTestId('template-form-subject')).toBeNull();

    await fireEvent.input(screen.getByTestId('template-form-name'), { target: { value: 'Chào' } });
    await fireEvent.input(screen.getByTestId('template-form-body'), { target: { value: 'Chào {{customer.name' } });
    await fireEvent.click(screen.getByTestId('template-form-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe(
      'Mẫu có lỗi cú pháp ở dòng 1, cột 6: kiểm tra các dấu {{ và }} có đóng mở đủ cặp chưa',
    );
    expect(error.closest('.field')?.querySelector('[data-testid="template-form-body"]')).not.toBeNull();
    // The engine's own words only in the folded technical details, beside the error.
    const detail = screen.getByTestId('field-error-detail') as HTMLDetailsElement;
    expect(detail.open).toBe(false);
    expect(detail.querySelector('summary')?.textContent).toBe('Chi tiết kỹ thuật');
    expect(detail.textContent).toContain('unclosed tag');
    expect(detail.closest('.field')?.querySelector('[data-testid="template-form-body"]')).not.toBeNull();
    expect(createTemplate).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'Chào', channel: 'zalo', subject: null, body: 'Chào {{customer.name' }),
    );
  });

  it('asks before cancel drops changes, and leaves an untouched template at once', async () => {
    lang.set('vi');
    const stored: Template = {
      id: 'tpl1',
      name: 'Cảm ơn',
      description: null,
      channel: 'zalo',
      category: 'thank_you',
      subject: null,
      body: 'Cảm ơn {{customer.given_name}}',
      usage_count: 0,
      last_used_at: null,
      created_at: 0,
      updated_at: 0,
      zalo_template_id: null,
      zalo_params: null,
    };
    const duplicateTemplate = vi.fn(() => Promise.resolve({ ...stored, id: 'tpl2' }));
    setBackend(mockBackend({ previewDraft: () => Promise.resolve({ subject: null, text: 'Cảm ơn Lan', html: null, missing: [] }), duplicateTemplate }));
    const onDone = vi.fn();
    const onOpen = vi.fn();
    render(DiscardConfirm);
    render(TemplateEditor, { editing: stored, onDone, onOpen });

    await fireEvent.keyDown(screen.getByTestId('template-form-name'), { key: 'Escape' });
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('form-discard')).toBeNull();

    await fireEvent.input(screen.getByTestId('template-form-body'), { target: { value: 'Cảm ơn anh chị' } });
    await fireEvent.click(screen.getByText('Huỷ'));
    expect(screen.getByTestId('form-discard').textContent).toContain('Bỏ các thay đổi chưa lưu?');
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect(onDone).toHaveBeenCalledTimes(1);

    // Duplicating opens the stored copy in place of this editor: it asks too, before copying.
    await fireEvent.click(screen.getByTestId('template-duplicate'));
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect(duplicateTemplate).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByText('← Quay lại'));
    await fireEvent.click(screen.getByTestId('form-discard-confirm'));
    expect(onDone).toHaveBeenCalledTimes(2);
  });
});
