import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { lang } from '../lib/i18n';
import TemplateEditor from './TemplateEditor.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const variables = [
  { name: 'customer.name', example: 'Nguyễn Văn Đức' },
  { name: 'me.phone', example: '0903 123 456' },
  { name: 'customer.shoe_size', example: '42' },
];

describe('TemplateEditor: variable chips', () => {
  it('labels each variable in plain words, the raw name for one the catalogs do not know', async () => {
    lang.set('vi');
    setBackend(mockBackend({ templateVariables: () => Promise.resolve(variables) }));
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });

    await waitFor(() => expect(screen.getAllByTestId('template-var-chip')).toHaveLength(3));
    const chips = screen.getAllByTestId('template-var-chip');
    expect(chips.map((chip) => chip.textContent?.trim())).toEqual(['Họ tên', 'Số của tôi', 'customer.shoe_size']);
    expect(chips[0].getAttribute('title')).toBe('Chèn {{customer.name}}, ví dụ: “Nguyễn Văn Đức”');
    lang.set('en');
    await waitFor(() => expect(screen.getAllByTestId('template-var-chip')[0].textContent?.trim()).toBe('Full name'));
    expect(screen.getAllByTestId('template-var-chip')[1].textContent?.trim()).toBe('My phone');
  });

  it('inserts {{name}} at the caret of the field focused last, keeps the focus there and the caret after it', async () => {
    lang.set('vi');
    setBackend(mockBackend({ templateVariables: () => Promise.resolve(variables) }));
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });
    const [name, phone] = await waitFor(() => {
      const chips = screen.getAllByTestId('template-var-chip');
      expect(chips).toHaveLength(3);
      return chips;
    });

    const body = screen.getByTestId('template-form-body') as HTMLTextAreaElement;
    body.focus();
    await fireEvent.input(body, { target: { value: 'Chào , gọi em số ' } });
    body.setSelectionRange(5, 5);
    await fireEvent.click(name);
    expect(body.value).toBe('Chào {{customer.name}}, gọi em số ');
    expect(document.activeElement).toBe(body);
    const after = 5 + '{{customer.name}}'.length;
    expect([body.selectionStart, body.selectionEnd]).toEqual([after, after]);

    // The subject had the focus last: the chip goes there, and the body is left as it was.
    const subject = screen.getByTestId('template-form-subject') as HTMLInputElement;
    subject.focus();
    await fireEvent.input(subject, { target: { value: 'Gửi anh chị' } });
    subject.setSelectionRange(4, 4);
    await fireEvent.click(phone);
    expect(subject.value).toBe('Gửi {{me.phone}}anh chị');
    expect(document.activeElement).toBe(subject);
    expect(subject.selectionStart).toBe(4 + '{{me.phone}}'.length);
    expect(body.value).toBe('Chào {{customer.name}}, gọi em số ');

    // Back in the body, at its end.
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
    await fireEvent.click(phone);
    expect(body.value).toBe('Chào {{customer.name}}, gọi em số {{me.phone}}');
    expect(document.activeElement).toBe(body);
  });

  it('shows a misspelt variable beside the body in plain words, with the closest real name', async () => {
    lang.set('vi');
    const createTemplate = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'the template uses “customer.nam”', 'body', 'template.unknown_variable', {
          name: 'customer.nam',
          suggestion: 'customer.name',
        }),
      ),
    );
    setBackend(mockBackend({ templateVariables: () => Promise.resolve(variables), createTemplate }));
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });

    await fireEvent.input(screen.getByTestId('template-form-name'), { target: { value: 'Chào' } });
    await fireEvent.input(screen.getByTestId('template-form-body'), { target: { value: 'Chào {{customer.nam}}' } });
    await fireEvent.click(screen.getByTestId('template-form-save'));

    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe('Mẫu dùng biến “customer.nam” không tồn tại. Có phải bạn muốn “customer.name”?');
    expect(error.closest('.field')?.querySelector('[data-testid="template-form-body"]')).not.toBeNull();
    expect(screen.queryByTestId('field-error-detail')).toBeNull();
    lang.set('en');
    await waitFor(() =>
      expect(screen.getByTestId('field-error').textContent?.trim()).toBe(
        'The template uses “customer.nam”, which does not exist. Did you mean “customer.name”?',
      ),
    );
  });
});
