import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { customerFixture } from '../test/customerFixture';
import type { ComposeRequest } from '../lib/bindings/ComposeRequest';
import type { Customer } from '../lib/bindings/Customer';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import type { Rendered } from '../lib/bindings/Rendered';
import type { Template } from '../lib/bindings/Template';
import { lang } from '../lib/i18n';
import ComposePanel from './ComposePanel.svelte';
import { ComposeSession, canSend, openByHand } from './compose';

function outbox(request: ComposeRequest, status: OutboxMessage['status'] = 'queued'): OutboxMessage {
  return {
    id: 'o1',
    channel: request.channel,
    recipient: '123',
    subject: null,
    body_text: 'Chào Lan',
    body_html: null,
    customer_id: request.customer_id,
    customer_name: 'Lan',
    template_id: request.template_id,
    idempotency_key: request.idempotency_key,
    status,
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    error_hint: null,
    provider_message_id: null,
    interaction_id: null,
    created_at: 0,
    updated_at: 0,
    sent_at: null,
    zalo_payload: null,
    route: null,
    routes_tried: [],
    origin: 'manual',
    campaign_id: null,
  };
}

const rendered = (missing: string[] = []): Rendered => ({ subject: null, text: 'Chào chị Lan', html: null, missing });

const template: Template = {
  id: 'tpl1',
  name: 'Chào hỏi',
  description: null,
  channel: 'any',
  category: 'greeting',
  subject: null,
  body: 'Chào {{customer.name}}',
  usage_count: 3,
  last_used_at: null,
  created_at: 0,
  updated_at: 0,
  zalo_template_id: null,
  zalo_params: null,
};

const customer: Customer = customerFixture({ telegram_id: '12345' });

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('ComposeSession', () => {
  it('keeps one idempotency key for every send of one compose', async () => {
    const sendMessage = vi.fn((request: ComposeRequest) => Promise.resolve(outbox(request)));
    const b = mockBackend({ sendMessage });
    let made = 0;
    const session = new ComposeSession('c1', { backend: () => b, makeKey: () => `key-${++made}` });
    await session.send('tpl1', 'telegram');
    await session.send('tpl1', 'telegram');
    expect(sendMessage).toHaveBeenCalledTimes(2);
    const [first] = sendMessage.mock.calls[0];
    const [second] = sendMessage.mock.calls[1];
    expect(first.idempotency_key).toBe('key-1');
    expect(second.idempotency_key).toBe(first.idempotency_key);
    expect(first).toEqual({ customer_id: 'c1', template_id: 'tpl1', channel: 'telegram', idempotency_key: 'key-1' });

    // A new compose gets a new key.
    const other = new ComposeSession('c1', { backend: () => b, makeKey: () => `key-${++made}` });
    expect(other.idempotencyKey).not.toBe(session.idempotencyKey);
  });

  it('makes a random key by default', () => {
    const b = mockBackend({});
    const a = new ComposeSession('c1', { backend: () => b });
    const c = new ComposeSession('c1', { backend: () => b });
    expect(a.idempotencyKey).toMatch(/\S{16,}/);
    expect(a.idempotencyKey).not.toBe(c.idempotencyKey);
  });

  it('disables sending while variables are missing, without a template, or while sending', () => {
    expect(canSend({ templateId: 'tpl1', rendered: rendered(), sending: false })).toBe(true);
    expect(canSend({ templateId: 'tpl1', rendered: rendered(['customer.email']), sending: false })).toBe(false);
    expect(canSend({ templateId: '', rendered: rendered(), sending: false })).toBe(false);
    expect(canSend({ templateId: 'tpl1', rendered: null, sending: false })).toBe(false);
    expect(canSend({ templateId: 'tpl1', rendered: rendered(), sending: true })).toBe(false);
  });

  it('sends personal channels through prepare_assisted, open_chat, then confirm_assisted with the same request', async () => {
    const order: string[] = [];
    const prepareAssisted = vi.fn((request: ComposeRequest) => {
      order.push('prepare');
      void request;
      return Promise.resolve({ text: 'Chào chị Lan', url: 'https://zalo.me/0912345678' });
    });
    const openChat = vi.fn((url: string) => {
      order.push('open');
      void url;
      return Promise.resolve(null);
    });
    const confirmAssisted = vi.fn((request: ComposeRequest) => {
      order.push('confirm');
      return Promise.resolve(outbox(request, 'sent'));
    });
    const sendMessage = vi.fn();
    const copy = vi.fn((text: string) => {
      order.push('copy');
      void text;
      return Promise.resolve(true);
    });
    const b = mockBackend({ prepareAssisted, openChat, confirmAssisted, sendMessage });
    const session = new ComposeSession('c1', { backend: () => b, copy, makeKey: () => 'k1' });

    const outcome = await session.send('tpl1', 'zalo_personal');
    expect(outcome.kind).toBe('assisted');
    if (outcome.kind !== 'assisted') return;
    expect(copy).toHaveBeenCalledWith('Chào chị Lan');
    expect(openChat).toHaveBeenCalledWith('https://zalo.me/0912345678');
    await session.confirm(outcome.request);

    expect(order).toEqual(['prepare', 'copy', 'open', 'confirm']);
    expect(sendMessage).not.toHaveBeenCalled();
    const prepared = prepareAssisted.mock.calls[0][0];
    expect(prepared).toEqual({ customer_id: 'c1', template_id: 'tpl1', channel: 'zalo_personal', idempotency_key: 'k1' });
    expect(confirmAssisted.mock.calls[0][0]).toEqual(prepared);
  });
});

describe('a chat that cannot be opened', () => {
  it('still gives an assisted send, with the reason, instead of failing it', async () => {
    const failure = new BackendError('internal', 'the chat could not be opened: exit status: 3');
    const b = mockBackend({
      prepareAssisted: () => Promise.resolve({ text: 'Chào chị Lan', url: 'https://t.me/lan_nguyen?text=Ch%C3%A0o' }),
      openChat: () => Promise.reject(failure),
    });
    const session = new ComposeSession('c1', { backend: () => b, copy: () => Promise.resolve(true), makeKey: () => 'k1' });
    const outcome = await session.send('tpl1', 'telegram_personal');
    expect(outcome.kind).toBe('assisted');
    if (outcome.kind !== 'assisted') return;
    expect(outcome.prepared.text).toBe('Chào chị Lan');
    expect(outcome.openError).toBe(failure);

    const opened = mockBackend({ prepareAssisted: () => Promise.resolve({ text: 'x', url: 'https://zalo.me/0912345678' }) });
    const ok = await new ComposeSession('c1', { backend: () => opened, copy: () => Promise.resolve(true) }).send('tpl1', 'zalo_personal');
    expect(ok.kind === 'assisted' && ok.openError).toBeNull();
  });

  it('says whom to look for in which app, from the chat link', () => {
    expect(openByHand('zalo_personal', 'https://zalo.me/0912345678', 'Lan')).toEqual({
      key: 'compose.openByHand.zalo',
      params: { phone: '0912345678' },
    });
    expect(openByHand('telegram_personal', 'https://t.me/lan_nguyen?text=Ch%C3%A0o%20ch%E1%BB%8B', 'Lan')).toEqual({
      key: 'compose.openByHand.telegram',
      params: { username: '@lan_nguyen' },
    });
    // A link that names nobody: look for the customer by name.
    expect(openByHand('zalo_personal', 'not a link', 'Nguyễn Thị Lan')).toEqual({
      key: 'compose.openByHand.zalo',
      params: { phone: 'Nguyễn Thị Lan' },
    });
    expect(openByHand('email', 'https://zalo.me/1', 'Lan')).toBeNull();
  });
});

describe('ComposePanel', () => {
  it('previews the chosen template and disables send when variables are missing', async () => {
    lang.set('en');
    const previewTemplate = vi.fn(() => Promise.resolve(rendered(['customer.email', 'customer.company'])));
    setBackend(
      mockBackend({
        listTemplates: vi.fn(() => Promise.resolve([template])),
        previewTemplate,
      }),
    );
    render(ComposePanel, { customer, onClose: () => {} });

    await waitFor(() => expect(previewTemplate).toHaveBeenCalledWith('c1', 'tpl1', 'telegram'));
    const missing = await screen.findByTestId('message-missing');
    expect(missing.textContent).toContain('customer.email, customer.company');
    expect((screen.getByTestId('message-send') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('message-preview').textContent).toContain('Chào chị Lan');
  });

  it('reuses the idempotency key when a failed send is tried again, and sends once per click', async () => {
    lang.set('en');
    const sendMessage = vi
      .fn<(request: ComposeRequest) => Promise<OutboxMessage>>()
      .mockRejectedValueOnce(new BackendError('internal', 'connection reset'))
      .mockImplementation((request) => Promise.resolve(outbox(request)));
    const onClose = vi.fn();
    setBackend(
      mockBackend({
        listTemplates: () => Promise.resolve([template]),
        previewTemplate: () => Promise.resolve(rendered()),
        sendMessage,
      }),
    );
    render(ComposePanel, { customer, onClose });

    const send = screen.getByTestId('message-send') as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);
    await waitFor(() => expect(sendMessage).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);
    await waitFor(() => expect(onClose).toHaveBeenCalled());

    expect(sendMessage).toHaveBeenCalledTimes(2);
    const keys = sendMessage.mock.calls.map(([request]) => request.idempotency_key);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
  });

  it('shows a recipient error beside the channel, worded from its key in both languages', async () => {
    lang.set('en');
    setBackend(
      mockBackend({
        listTemplates: () => Promise.resolve([template]),
        previewTemplate: () =>
          Promise.reject(
            new BackendError('invalid_input', 'Lan has no email address', 'recipient', 'recipient.no_email', {
              name: 'Lan',
            }),
          ),
      }),
    );
    render(ComposePanel, { customer, initialChannel: 'email', onClose: () => {} });
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('Lan has no email address: add it to the customer first');
    expect(error.closest('.field')?.querySelector('[data-testid="message-form-channel"]')).not.toBeNull();
    lang.set('vi');
    await waitFor(() =>
      expect(screen.getByTestId('field-error').textContent).toBe(
        'Lan chưa có địa chỉ email: hãy thêm vào hồ sơ khách trước',
      ),
    );
  });
});
