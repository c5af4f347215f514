import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend, type ZaloParamMap } from '../lib/backend';
import type { ParamValue } from '../lib/bindings/ParamValue';
import type { Template } from '../lib/bindings/Template';
import type { TemplateInput } from '../lib/bindings/TemplateInput';
import type { ZaloTemplate } from '../lib/bindings/ZaloTemplate';
import { lang } from '../lib/i18n';
import { mockBackend } from '../test/mockBackend';
import TemplateEditor from './TemplateEditor.svelte';

const appointment: ZaloTemplate = {
  template_id: 'zt1',
  name: 'Nhắc lịch hẹn',
  status: 'ENABLE',
  quality: 'HIGH',
  tag: 'TRANSACTION',
  price_vnd: 200,
  params: [
    { name: 'customer_name', kind: 'STRING', required: true, max_length: 30, min_length: 1 },
    { name: 'shop_name', kind: 'STRING', required: true, max_length: 40, min_length: 1 },
    { name: 'order_code', kind: 'STRING', required: true, max_length: 20, min_length: 1 },
    { name: 'note', kind: 'STRING', required: false, max_length: null, min_length: null },
  ],
  preview_url: null,
  fetched_at: 0,
};

const pending: ZaloTemplate = { ...appointment, template_id: 'zt2', name: 'Khuyến mãi tháng 6', status: 'PENDING_REVIEW' };
const thanks: ZaloTemplate = {
  ...appointment,
  template_id: 'zt3',
  name: 'Cảm ơn mua hàng',
  params: [{ name: 'customer_name', kind: 'STRING', required: true, max_length: 30, min_length: 1 }],
};

const variables = [
  { name: 'customer.name', example: 'Nguyễn Thị Lan' },
  { name: 'customer.phone', example: '0912 345 678' },
  { name: 'customer.company', example: 'Công ty ABC' },
  { name: 'today', example: '03/06/2025' },
];

const customerPage = {
  items: [
    {
      id: 'c1',
      full_name: 'Trần Thị Lan',
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

const stored: Template = {
  id: 'tpl1',
  name: 'Nhắc lịch',
  description: null,
  channel: 'zalo',
  category: 'reminder',
  subject: null,
  body: 'Chào {{customer.given_name}}, mai mình có hẹn nhé',
  usage_count: 0,
  last_used_at: null,
  created_at: 0,
  updated_at: 0,
  zalo_template_id: 'zt1',
  zalo_params: {
    customer_name: { field: 'customer.name' },
    shop_name: { text: 'Tend Shop' },
    order_code: { field: 'customer.phone' },
  },
};

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const select = (testId: string) => screen.getByTestId(testId) as HTMLSelectElement;

describe('the Zalo template of a template', () => {
  it('maps each parameter of an approved Zalo template to a variable or a fixed text, and saves the mapping', async () => {
    lang.set('en');
    const createTemplate = vi.fn((input: TemplateInput) => Promise.resolve({ ...stored, ...input, id: 'tpl9' }));
    setBackend(
      mockBackend({
        templateVariables: () => Promise.resolve(variables),
        zaloTemplates: () => Promise.resolve([appointment, pending, thanks]),
        listCustomers: () => Promise.resolve({ items: [], total: 0 }),
        createTemplate,
      }),
    );
    const onDone = vi.fn();
    render(TemplateEditor, { editing: null, onDone, onOpen: () => {} });

    // Not offered for a channel that cannot send a Zalo template.
    await fireEvent.change(select('template-form-channel'), { target: { value: 'telegram' } });
    expect(screen.queryByTestId('template-form-zalo-template')).toBeNull();

    await fireEvent.change(select('template-form-channel'), { target: { value: 'zalo_template' } });
    // The words are Zalo's: no body to write.
    expect(screen.queryByTestId('template-form-body')).toBeNull();
    const zalo = select('template-form-zalo-template');
    // Only the templates Zalo approved, by name.
    await waitFor(() => expect(zalo.options.length).toBe(3));
    expect([...zalo.options].map((o) => [o.value, o.textContent?.trim()])).toEqual([
      ['', 'Choose a Zalo template…'],
      ['zt1', 'Nhắc lịch hẹn'],
      ['zt3', 'Cảm ơn mua hàng'],
    ]);
    expect(screen.queryByTestId('template-param-row')).toBeNull();

    await fireEvent.change(zalo, { target: { value: 'zt1' } });
    const rows = screen.getAllByTestId('template-param-row');
    expect(rows.map((row) => row.dataset.param)).toEqual(['customer_name', 'shop_name', 'order_code', 'note']);
    expect(rows[0].textContent).toContain('required');
    expect(rows[0].textContent).toContain('up to 30 characters');
    expect(rows[3].textContent).toContain('optional');
    expect(rows[3].textContent).not.toContain('characters');

    const name = select('template-param-customer_name');
    expect([...name.options].map((o) => o.value)).toEqual(['', 'customer.name', 'customer.phone', 'customer.company', 'today', 'text']);
    expect(name.options[1].textContent).toBe('Full name — customer.name');
    expect(name.options[5].textContent).toBe('Fixed text…');
    await fireEvent.change(name, { target: { value: 'customer.name' } });
    expect(screen.queryByTestId('template-param-customer_name-text')).toBeNull();

    await fireEvent.change(select('template-param-shop_name'), { target: { value: 'text' } });
    const shop = screen.getByTestId('template-param-shop_name-text') as HTMLInputElement;
    expect(shop.maxLength).toBe(40);
    await fireEvent.input(shop, { target: { value: ' Tend Shop ' } });
    await fireEvent.change(select('template-param-order_code'), { target: { value: 'customer.phone' } });

    await fireEvent.input(screen.getByTestId('template-form-name'), { target: { value: 'Nhắc lịch hẹn (ZNS)' } });
    await fireEvent.click(screen.getByTestId('template-form-save'));
    await waitFor(() => expect(createTemplate).toHaveBeenCalledTimes(1));
    expect(createTemplate.mock.calls[0][0]).toEqual({
      name: 'Nhắc lịch hẹn (ZNS)',
      description: null,
      channel: 'zalo_template',
      category: 'other',
      subject: null,
      body: '',
      zalo_template_id: 'zt1',
      zalo_params: {
        customer_name: { field: 'customer.name' },
        shop_name: { text: 'Tend Shop' },
        order_code: { field: 'customer.phone' },
      },
    });
    await waitFor(() => expect(onDone).toHaveBeenCalled());
  });

  it('is optional and folded away for a Zalo text, and explains how to get templates when there are none', async () => {
    lang.set('vi');
    const refreshZaloTemplates = vi.fn(() => Promise.resolve([appointment]));
    const mock = mockBackend({
      templateVariables: () => Promise.resolve(variables),
      listCustomers: () => Promise.resolve({ items: [], total: 0 }),
      refreshZaloTemplates,
    });
    mock.failOnce('refreshZaloTemplates', {
      code: 'invalid_input',
      key: 'zalo.unreachable',
      params: { detail: 'timed out' },
      message: 'zalo unreachable',
      field: null,
    });
    setBackend(mock);
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });
    await fireEvent.change(select('template-form-channel'), { target: { value: 'zalo' } });

    const section = screen.getByTestId('template-zalo-section') as HTMLDetailsElement;
    expect(section.tagName).toBe('DETAILS');
    expect(section.open).toBe(false);
    expect(section.querySelector('summary')?.textContent).toBe('Gửi bằng mẫu Zalo khi đã quá thời hạn Zalo cho nhắn tin');
    // The body stays: the text goes inside Zalo's windows.
    expect(screen.getByTestId('template-form-body')).toBeTruthy();
    expect((await screen.findByTestId('template-zalo-empty')).textContent).toContain('Zalo Business Services (ZBS)');

    await fireEvent.click(screen.getByTestId('template-zalo-refresh'));
    expect((await screen.findByTestId('template-zalo-refresh-error')).textContent).toBe(
      'Không kết nối được Zalo (timed out): thử lại khi có mạng',
    );
    await fireEvent.click(screen.getByTestId('template-zalo-refresh'));
    await waitFor(() => expect(select('template-form-zalo-template').options.length).toBe(2));
    expect(screen.queryByTestId('template-zalo-refresh-error')).toBeNull();
    expect(screen.queryByTestId('template-zalo-empty')).toBeNull();
    expect(mock.callsTo('refreshZaloTemplates')).toHaveLength(2);
  });

  it('opens a stored mapping as it was, saves it unchanged, and drops it for a channel without Zalo templates', async () => {
    lang.set('en');
    const updateTemplate = vi.fn((_id: string, input: TemplateInput) => Promise.resolve({ ...stored, ...input }));
    setBackend(
      mockBackend({
        templateVariables: () => Promise.resolve(variables),
        zaloTemplates: () => Promise.resolve([appointment]),
        listCustomers: () => Promise.resolve({ items: [], total: 0 }),
        previewDraft: () => Promise.resolve({ subject: null, text: 'Chào Lan', html: null, missing: [] }),
        updateTemplate,
      }),
    );
    render(TemplateEditor, { editing: stored, onDone: () => {}, onOpen: () => {} });

    const section = screen.getByTestId('template-zalo-section') as HTMLDetailsElement;
    expect(section.open).toBe(true);
    await waitFor(() => expect(select('template-form-zalo-template').value).toBe('zt1'));
    await waitFor(() => expect(select('template-param-customer_name').value).toBe('customer.name'));
    expect(select('template-param-shop_name').value).toBe('text');
    expect((screen.getByTestId('template-param-shop_name-text') as HTMLInputElement).value).toBe('Tend Shop');
    expect(select('template-param-order_code').value).toBe('customer.phone');
    expect(select('template-param-note').value).toBe('');

    await fireEvent.click(screen.getByTestId('template-form-save'));
    await waitFor(() => expect(updateTemplate).toHaveBeenCalledTimes(1));
    expect(updateTemplate.mock.calls[0][1]).toMatchObject({ zalo_template_id: 'zt1', zalo_params: stored.zalo_params });

    await fireEvent.change(select('template-form-channel'), { target: { value: 'telegram' } });
    await fireEvent.click(screen.getByTestId('template-form-save'));
    await waitFor(() => expect(updateTemplate).toHaveBeenCalledTimes(2));
    expect(updateTemplate.mock.calls[1][1]).toMatchObject({ channel: 'telegram', zalo_template_id: null, zalo_params: null });
  });

  it('shows a save error about a parameter beside that parameter', async () => {
    lang.set('en');
    const createTemplate = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'choose what fills', 'zalo_params', 'template.zalo_param_unmapped', {
          param: 'order_code',
        }),
      ),
    );
    setBackend(
      mockBackend({
        templateVariables: () => Promise.resolve(variables),
        zaloTemplates: () => Promise.resolve([appointment]),
        listCustomers: () => Promise.resolve({ items: [], total: 0 }),
        createTemplate,
      }),
    );
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });
    await fireEvent.change(select('template-form-channel'), { target: { value: 'zalo_template' } });
    await waitFor(() => expect(select('template-form-zalo-template').options.length).toBe(2));
    await fireEvent.change(select('template-form-zalo-template'), { target: { value: 'zt1' } });
    await fireEvent.input(screen.getByTestId('template-form-name'), { target: { value: 'Nhắc lịch' } });
    await fireEvent.click(screen.getByTestId('template-form-save'));

    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('Choose what fills “order_code”');
    expect(error.closest('[data-testid="template-param-row"]')?.getAttribute('data-param')).toBe('order_code');
    expect(document.activeElement).toBe(select('template-param-order_code'));
  });

  it('previews each parameter as it will be sent to the chosen customer, flagging what is wrong', async () => {
    lang.set('en');
    const previewZaloParams = vi.fn((_id: string, params: ZaloParamMap, _customerId: string): Promise<ParamValue[]> =>
      Promise.resolve([
        { name: 'customer_name', value: 'Trần Thị Lan', max_length: 30, required: true, problem: null },
        {
          name: 'shop_name',
          value: params.shop_name && 'text' in params.shop_name ? params.shop_name.text : null,
          max_length: 40,
          required: true,
          problem: params.shop_name ? null : 'unmapped',
        },
        { name: 'order_code', value: null, max_length: 20, required: true, problem: 'missing' },
        {
          name: 'note',
          value: 'Cửa hàng mở cửa từ 8 giờ sáng đến 10 giờ tối mỗi ngày',
          max_length: 30,
          required: false,
          problem: 'too_long',
        },
      ]),
    );
    setBackend(
      mockBackend({
        templateVariables: () => Promise.resolve(variables),
        zaloTemplates: () => Promise.resolve([appointment]),
        listCustomers: () => Promise.resolve(customerPage),
        previewDraft: () => Promise.resolve({ subject: null, text: 'Chào Lan', html: null, missing: [] }),
        previewZaloParams,
      }),
    );
    render(TemplateEditor, { editing: null, onDone: () => {}, onOpen: () => {} });
    await fireEvent.change(select('template-form-channel'), { target: { value: 'zalo_template' } });
    await waitFor(() => expect(select('template-form-zalo-template').options.length).toBe(2));
    // No preview until a Zalo template is chosen.
    expect(screen.queryByTestId('template-zalo-preview')).toBeNull();
    await fireEvent.change(select('template-form-zalo-template'), { target: { value: 'zt1' } });
    await fireEvent.change(select('template-param-customer_name'), { target: { value: 'customer.name' } });

    const list = await screen.findByTestId('template-zalo-preview', {}, { timeout: 2000 });
    await waitFor(() => expect(previewZaloParams).toHaveBeenLastCalledWith('zt1', { customer_name: { field: 'customer.name' } }, 'c1'));
    const lines = () => within(list).getAllByTestId('template-zalo-preview-param');
    await waitFor(() => expect(lines().map((li) => li.textContent?.trim())).toEqual([
      'customer_name: Trần Thị Lan',
      'shop_name — not chosen yet',
      'order_code — empty for this customer',
      "note: Cửa hàng mở cửa từ 8 giờ sáng đến 10 giờ tối mỗi ngày — over Zalo's 30 characters",
    ]));
    expect(lines().map((li) => li.dataset.problem)).toEqual(['', 'unmapped', 'missing', 'too_long']);

    // A new mapping previews again.
    await fireEvent.change(select('template-param-shop_name'), { target: { value: 'text' } });
    await fireEvent.input(screen.getByTestId('template-param-shop_name-text'), { target: { value: 'Tend Shop' } });
    await waitFor(
      () =>
        expect(previewZaloParams).toHaveBeenLastCalledWith(
          'zt1',
          { customer_name: { field: 'customer.name' }, shop_name: { text: 'Tend Shop' } },
          'c1',
        ),
      { timeout: 2000 },
    );
    await waitFor(() => expect(lines()[1].textContent?.trim()).toBe('shop_name: Tend Shop'));

    lang.set('vi');
    await waitFor(() => expect(lines()[2].textContent?.trim()).toBe('order_code — khách này chưa có giá trị'));
  });
});
