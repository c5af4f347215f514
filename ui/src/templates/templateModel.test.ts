import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import { translate } from '../lib/i18n';
import {
  emptyTemplateForm,
  hiddenDetail,
  insertAtCursor,
  insertTarget,
  templateErrorField,
  toTemplateInput,
  variableLabelKey,
  variableToken,
} from './templateModel';

describe('insertAtCursor', () => {
  it('inserts at the caret and puts the caret after the insertion', () => {
    const token = variableToken('customer.name');
    expect(token).toBe('{{customer.name}}');
    expect(insertAtCursor('Chào , hẹn gặp', 5, 5, token)).toEqual({
      value: 'Chào {{customer.name}}, hẹn gặp',
      cursor: 5 + token.length,
    });
  });

  it('replaces the selection', () => {
    expect(insertAtCursor('Chào anh Nam!', 5, 12, '{{x}}')).toEqual({ value: 'Chào {{x}}!', cursor: 10 });
  });

  it('appends when there is no caret, and clamps positions', () => {
    expect(insertAtCursor('abc', null, null, '{{x}}')).toEqual({ value: 'abc{{x}}', cursor: 8 });
    expect(insertAtCursor('abc', 99, 120, '{{x}}')).toEqual({ value: 'abc{{x}}', cursor: 8 });
    expect(insertAtCursor('', 0, 0, '{{x}}')).toEqual({ value: '{{x}}', cursor: 5 });
    // A reversed selection never swallows text.
    expect(insertAtCursor('abcdef', 4, 2, '-')).toEqual({ value: 'abcd-ef', cursor: 5 });
  });
});

describe('toTemplateInput', () => {
  it('drops the subject for chat channels and keeps the body as typed', () => {
    const values = { ...emptyTemplateForm(), name: ' Chúc mừng ', channel: 'zalo' as const, subject: 'x', body: ' Chào\n\n{{customer.name}} ' };
    expect(toTemplateInput(values)).toEqual({
      name: 'Chúc mừng',
      description: null,
      channel: 'zalo',
      category: 'other',
      subject: null,
      body: ' Chào\n\n{{customer.name}} ',
    });
    expect(toTemplateInput({ ...values, channel: 'email' }).subject).toBe('x');
  });
});

describe('templateErrorField', () => {
  it('puts input errors about the name, subject or body beside that field', () => {
    const syntax = new BackendError('invalid_input', 'syntax error', 'body', 'template.syntax_error_at', {
      line: '2',
      column: '5',
      detail: 'unclosed tag',
    });
    expect(templateErrorField(syntax)).toBe('body');
    expect(templateErrorField(new BackendError('invalid_input', 'x', 'subject', 'template.syntax_error'))).toBe('subject');
    expect(templateErrorField(new BackendError('invalid_input', 'x', 'name', 'template.name_missing'))).toBe('name');
    expect(templateErrorField(new BackendError('invalid_input', 'x', 'channel'))).toBeNull();
    expect(templateErrorField(new BackendError('not_found', 'x', 'body', 'not_found.template'))).toBeNull();
  });
});

describe('variable chips', () => {
  it('name every variable Tend fills in, in both languages, and fall back to the raw name', () => {
    const labels = (lang: 'vi' | 'en') =>
      ['customer.name', 'customer.given_name', 'customer.phone', 'customer.email', 'customer.company',
        'customer.address', 'customer.birthday', 'me.name', 'me.phone', 'today'].map((name) => {
        const key = variableLabelKey(name);
        return key ? translate(lang, key) : name;
      });
    expect(labels('vi')).toEqual([
      'Họ tên', 'Tên gọi', 'Số điện thoại', 'Email', 'Công ty', 'Địa chỉ', 'Ngày sinh', 'Tên của tôi', 'Số của tôi', 'Hôm nay',
    ]);
    expect(labels('en')).toEqual([
      'Full name', 'Given name', 'Phone', 'Email', 'Company', 'Address', 'Birthday', 'My name', 'My phone', 'Today',
    ]);
    expect(variableLabelKey('customer.shoe_size')).toBeNull();
    expect(variableLabelKey('toString')).toBeNull();
  });

  it('insert into the subject only when it had the focus last and is shown', () => {
    expect(insertTarget('subject', true)).toBe('subject');
    expect(insertTarget('subject', false)).toBe('body');
    expect(insertTarget('body', true)).toBe('body');
  });
});

describe('hiddenDetail', () => {
  it('keeps the engine detail for the folded technical details when the sentence leaves it out', () => {
    const syntax = new BackendError('invalid_input', 'x', 'body', 'template.syntax_error_at', {
      line: '1',
      column: '6',
      detail: 'unclosed tag',
    });
    expect(hiddenDetail(syntax)).toBe('unclosed tag');
    // A sentence that already says the detail does not repeat it.
    expect(hiddenDetail(new BackendError('invalid_input', 'x', 'body', 'template.render_error', { detail: 'bad date' }))).toBeNull();
    expect(hiddenDetail(new BackendError('invalid_input', 'x', 'body', 'template.name_missing'))).toBeNull();
  });
});
