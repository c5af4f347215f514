import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import { translate } from '../lib/i18n';
import {
  approvedZaloTemplates,
  emptyTemplateForm,
  errorFieldId,
  paramPreviewText,
  paramsFor,
  templateFormFrom,
  toParamMap,
  variableChoices,
  zaloTemplateUse,
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
      zalo_template_id: null,
      zalo_params: null,
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

describe('the Zalo template mapping', () => {
  const param = (name: string, required = true) => ({ name, kind: 'STRING', required, max_length: 30, min_length: null });

  it('is sent for Zalo template, Zalo and any-channel templates only, without a body for a Zalo template', () => {
    expect(zaloTemplateUse('zalo_template')).toBe('required');
    expect(zaloTemplateUse('zalo')).toBe('optional');
    expect(zaloTemplateUse('any')).toBe('optional');
    expect(zaloTemplateUse('telegram')).toBeNull();
    expect(zaloTemplateUse('email')).toBeNull();

    const values = {
      ...emptyTemplateForm(),
      name: 'Nhắc lịch',
      channel: 'zalo_template' as const,
      body: 'left over from another channel',
      zalo_template_id: ' zt1 ',
      zalo_params: {
        customer_name: { source: 'customer.name', text: '' },
        shop: { source: 'text', text: ' Tend Shop ' },
        note: { source: '', text: '' },
      },
    };
    expect(toTemplateInput(values)).toMatchObject({
      body: '',
      zalo_template_id: 'zt1',
      zalo_params: { customer_name: { field: 'customer.name' }, shop: { text: 'Tend Shop' } },
    });
    expect(toTemplateInput({ ...values, channel: 'any' })).toMatchObject({ body: 'left over from another channel', zalo_template_id: 'zt1' });
    expect(toTemplateInput({ ...values, channel: 'email' })).toMatchObject({ zalo_template_id: null, zalo_params: null });
    expect(toTemplateInput({ ...values, zalo_template_id: '' })).toMatchObject({ zalo_template_id: null, zalo_params: null });
  });

  it('round-trips a stored mapping through the form', () => {
    const params = { customer_name: { field: 'customer.name' }, shop: { text: 'Tend Shop' } };
    const form = templateFormFrom({
      id: 'tpl1',
      name: 'Nhắc lịch',
      description: null,
      channel: 'zalo',
      category: 'reminder',
      subject: null,
      body: 'Chào',
      usage_count: 0,
      last_used_at: null,
      created_at: 0,
      updated_at: 0,
      zalo_template_id: 'zt1',
      zalo_params: params,
    });
    expect(form.zalo_params).toEqual({
      customer_name: { source: 'customer.name', text: '' },
      shop: { source: 'text', text: 'Tend Shop' },
    });
    expect(toParamMap(form.zalo_params)).toEqual(params);
  });

  it('keeps the parameters of a newly chosen Zalo template that were mapped before under the same name', () => {
    const before = { customer_name: { source: 'customer.name', text: '' }, gone: { source: 'today', text: '' } };
    expect(paramsFor([param('customer_name'), param('order_code')], before)).toEqual({
      customer_name: { source: 'customer.name', text: '' },
      order_code: { source: '', text: '' },
    });
  });

  it('offers only approved Zalo templates, and every variable, the stored ones included', () => {
    const zt = (template_id: string, status: string) => ({
      template_id,
      name: template_id,
      status,
      quality: null,
      tag: null,
      price_vnd: null,
      params: [],
      preview_url: null,
      fetched_at: 0,
    });
    expect(approvedZaloTemplates([zt('a', 'ENABLE'), zt('b', 'PENDING_REVIEW'), zt('c', 'REJECT')]).map((t) => t.template_id)).toEqual(['a']);
    expect(variableChoices([{ name: 'customer.name', example: 'Lan' }], ['customer.name', 'customer.shoe_size', 'text', ''])).toEqual([
      'customer.name',
      'customer.shoe_size',
    ]);
    // Without the backend's list, the variables Tend knows.
    expect(variableChoices([], [])).toContain('customer.given_name');
    expect(variableChoices([], [])).toContain('today');
  });

  it('words each parameter of the preview, and what is wrong with it', () => {
    const value = (patch: object) => ({ name: 'order_code', value: 'DH-1', max_length: 20, required: true, problem: null, ...patch });
    expect(paramPreviewText('en', value({}))).toBe('order_code: DH-1');
    expect(paramPreviewText('en', value({ value: null, problem: 'missing' }))).toBe('order_code — empty for this customer');
    expect(paramPreviewText('en', value({ value: null, problem: 'unmapped' }))).toBe('order_code — not chosen yet');
    expect(paramPreviewText('en', value({ value: 'DH-123456789012345678901', max_length: 20, problem: 'too_long' }))).toBe(
      "order_code: DH-123456789012345678901 — over Zalo's 20 characters",
    );
    expect(paramPreviewText('vi', value({ value: null, required: false }))).toBe('order_code — để trống (không bắt buộc)');
    expect(paramPreviewText('vi', value({ value: 'x'.repeat(25), problem: 'too_long' }))).toBe(
      `order_code: ${'x'.repeat(25)} — quá 20 ký tự Zalo cho phép`,
    );
  });

  it('puts errors about the Zalo template and its parameters beside them', () => {
    const missing = new BackendError('invalid_input', 'x', 'zalo_template_id', 'template.zalo_template_missing');
    expect(templateErrorField(missing)).toBe('zalo_template_id');
    expect(errorFieldId('zalo_template_id', missing)).toBe('tf-zalo_template_id');
    const unmapped = new BackendError('invalid_input', 'x', 'zalo_params', 'template.zalo_param_unmapped', { param: 'order_code' });
    expect(templateErrorField(unmapped)).toBe('zalo_params');
    expect(errorFieldId('zalo_params', unmapped)).toBe('tf-zalo-param-order_code');
    expect(errorFieldId('name', missing)).toBe('tf-name');
  });
});
