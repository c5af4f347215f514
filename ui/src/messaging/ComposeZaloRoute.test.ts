import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import type { ComposeRequest } from '../lib/bindings/ComposeRequest';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import type { RoutePreview } from '../lib/bindings/RoutePreview';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { Template } from '../lib/bindings/Template';
import type { TemplateFilter } from '../lib/bindings/TemplateFilter';
import { lang } from '../lib/i18n';
import { customerFixture } from '../test/customerFixture';
import { mockBackend } from '../test/mockBackend';
import ComposePanel from './ComposePanel.svelte';

function template(id: string, name: string, patch: Partial<Template> = {}): Template {
  return {
    id,
    name,
    description: null,
    channel: 'zalo',
    category: 'follow_up',
    subject: null,
    body: 'Chào {{customer.given_name}}',
    usage_count: 0,
    last_used_at: null,
    created_at: 0,
    updated_at: 0,
    zalo_template_id: null,
    zalo_params: null,
    ...patch,
  };
}

const reminder = template('tpl1', 'Nhắc lịch hẹn', { zalo_template_id: 'zt1', zalo_params: { customer_name: { field: 'customer.name' } } });
const plain = template('tpl2', 'Cảm ơn');
const approved = template('tpl3', 'Xác nhận đơn (ZNS)', { channel: 'zalo_template', body: '', zalo_template_id: 'zt2' });
const anyMapped = template('tpl4', 'Chúc mừng sinh nhật', { channel: 'any', zalo_template_id: 'zt3' });
const emailOnly = template('tpl5', 'Báo giá', { channel: 'email' });

const customer = customerFixture({
  zalo_id: '1234567890',
  zalo_phone: '+84912345678',
  zalo_phone_display: '0912 345 678',
});

const route = (patch: Partial<RoutePreview>): RoutePreview => ({
  route: 'free_reply',
  reason: 'free_reply_window',
  cost_vnd: 0,
  free_replies_left: 7,
  window_closes_at: null,
  ...patch,
});

/** What the backend's filter by channel answers: templates of that channel, plus `any` ones. */
function listTemplates(filter: TemplateFilter): Promise<Template[]> {
  const all = [reminder, plain, approved, anyMapped, emailOnly];
  return Promise.resolve(filter.channel === null ? all : all.filter((t) => t.channel === filter.channel || t.channel === 'any'));
}

function setup(preview: (customerId: string, templateId: string, channel: SendChannel) => Promise<RoutePreview>) {
  const zaloRoutePreview = vi.fn(preview);
  const sendMessage = vi.fn((request: ComposeRequest) =>
    Promise.resolve({ id: 'o1', channel: request.channel, status: 'queued' } as unknown as OutboxMessage),
  );
  const mock = mockBackend({
    listTemplates,
    previewTemplate: () => Promise.resolve({ subject: null, text: 'Chào Lan', html: null, missing: [] }),
    zaloRoutePreview,
    sendMessage,
  });
  setBackend(mock);
  return { zaloRoutePreview, sendMessage, mock };
}

async function chooseChannel(channel: SendChannel) {
  const select = screen.getByTestId('message-form-channel') as HTMLSelectElement;
  await fireEvent.change(select, { target: { value: channel } });
}

const routeLine = () => screen.findByTestId('message-route');

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('the route of a Zalo message in the compose panel', () => {
  it('says a free reply, with the free replies left, and sends on Zalo (automatic)', async () => {
    lang.set('en');
    const { zaloRoutePreview, sendMessage } = setup(() => Promise.resolve(route({})));
    const onClose = vi.fn();
    render(ComposePanel, { customer, onClose });
    // No route on a channel Tend does not route.
    await waitFor(() => expect((screen.getByTestId('message-form-template') as HTMLSelectElement).value).toBe('tpl1'));
    expect(screen.queryByTestId('message-route')).toBeNull();
    expect(zaloRoutePreview).not.toHaveBeenCalled();

    await chooseChannel('zalo_auto');
    const line = await routeLine();
    expect(line.textContent).toBe('Free reply (within 48 h of their last message, 7 of 8 free replies left) · free');
    expect(line.dataset.route).toBe('free_reply');
    expect(zaloRoutePreview).toHaveBeenLastCalledWith('c1', 'tpl1', 'zalo_auto');

    const send = screen.getByTestId('message-send') as HTMLButtonElement;
    expect(send.textContent?.trim()).toBe('Send');
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);
    await waitFor(() => expect(sendMessage).toHaveBeenCalledTimes(1));
    expect(sendMessage.mock.calls[0][0]).toMatchObject({ customer_id: 'c1', template_id: 'tpl1', channel: 'zalo_auto' });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('says a consultation message, and follows the template chosen', async () => {
    lang.set('en');
    const { zaloRoutePreview } = setup((_c, templateId) =>
      Promise.resolve(
        templateId === 'tpl2'
          ? route({ route: 'personal', reason: 'no_template_mapping', free_replies_left: 0 })
          : route({ route: 'consultation', reason: 'consultation_window', free_replies_left: 0 }),
      ),
    );
    render(ComposePanel, { customer, onClose: () => {}, initialChannel: 'zalo_auto' });
    const line = await routeLine();
    await waitFor(() => expect(line.textContent).toBe('Consultation message (within 7 days of their last message) · free'));
    expect(line.dataset.route).toBe('consultation');

    await fireEvent.change(screen.getByTestId('message-form-template'), { target: { value: 'tpl2' } });
    await waitFor(() =>
      expect(screen.getByTestId('message-route').textContent).toBe('Your own Zalo (no Zalo template mapped to this template)'),
    );
    expect(screen.getByTestId('message-route').dataset.route).toBe('personal');
    expect(zaloRoutePreview).toHaveBeenLastCalledWith('c1', 'tpl2', 'zalo_auto');
  });

  it('says a Zalo template message to the customer’s phone and its price, in both languages', async () => {
    lang.set('en');
    setup(() => Promise.resolve(route({ route: 'template', reason: 'outside_windows', cost_vnd: 200, free_replies_left: 0 })));
    render(ComposePanel, { customer, onClose: () => {}, initialChannel: 'zalo_auto' });
    const line = await routeLine();
    await waitFor(() =>
      expect(line.textContent).toBe(
        'Zalo template message to 0912 345 678 (they have not written to your OA in the last 7 days) · 200 đ',
      ),
    );
    expect(line.dataset.route).toBe('template');

    await chooseChannel('zalo_template');
    await waitFor(() => expect(screen.getByTestId('message-route').textContent).toBe('Zalo template message to 0912 345 678 · 200 đ'));
    lang.set('vi');
    await waitFor(() => expect(screen.getByTestId('message-route').textContent).toBe('Tin mẫu Zalo (ZNS) tới 0912 345 678 · 200 đ'));
    expect(screen.getByTestId('message-zalo-template-note').textContent).toContain('Zalo gửi mẫu tin đã duyệt');
  });

  it('offers Zalo templates and the texts mapped to one for a Zalo template message', async () => {
    lang.set('en');
    const { mock } = setup(() => Promise.resolve(route({ route: 'template', reason: 'outside_windows', cost_vnd: 200 })));
    render(ComposePanel, { customer, onClose: () => {}, initialChannel: 'zalo_template' });
    const select = screen.getByTestId('message-form-template') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    expect([...select.options].map((o) => o.value)).toEqual(['tpl1', 'tpl3', 'tpl4']);
    expect(mock.listTemplates).toHaveBeenLastCalledWith({ channel: null, category: null });

    await chooseChannel('zalo_auto');
    await waitFor(() => expect([...select.options].map((o) => o.value)).toEqual(['tpl1', 'tpl2', 'tpl4']));
    expect(mock.listTemplates).toHaveBeenLastCalledWith({ channel: 'zalo', category: null });
  });

  it('shows why the route cannot be worked out beside the field it is about, and blocks the send', async () => {
    lang.set('en');
    setup(() =>
      Promise.reject(
        new BackendError('invalid_input', 'no zalo', 'recipient', 'recipient.no_zalo', { name: 'Nguyễn Thị Lan' }),
      ),
    );
    render(ComposePanel, { customer: customerFixture(), onClose: () => {}, initialChannel: 'zalo_auto' });
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe(
      'Nguyễn Thị Lan has neither a Zalo user id nor a phone number: add one to the customer first',
    );
    expect(error.closest('.field')?.querySelector('[data-testid="message-form-channel"]')).not.toBeNull();
    expect(screen.queryByTestId('message-route')).toBeNull();
    expect((screen.getByTestId('message-send') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows an error about no field in place of the route', async () => {
    lang.set('vi');
    setup(() => Promise.reject(new BackendError('invalid_input', 'not set up', null, 'zalo.not_set_up')));
    render(ComposePanel, { customer, onClose: () => {}, initialChannel: 'zalo_auto' });
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('Chưa thiết lập Zalo OA: hãy nhập App ID và các mã truy cập trong Cài đặt');
  });
});
