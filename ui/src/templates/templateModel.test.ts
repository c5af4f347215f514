import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import {
  emptyTemplateForm,
  insertAtCursor,
  templateFieldMessage,
  toTemplateInput,
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

describe('templateFieldMessage', () => {
  it('keeps the backend message for syntax errors and words empty fields itself', () => {
    const syntax = new BackendError('invalid_input', 'Line 2, column 5: unclosed {{', 'body');
    expect(templateFieldMessage('vi', syntax, 'Chào {{customer.name')).toBe('Line 2, column 5: unclosed {{');
    const empty = new BackendError('invalid_input', 'Body is empty', 'body');
    expect(templateFieldMessage('vi', empty, '  ')).toBe('Vui lòng nhập nội dung tin nhắn');
  });
});
