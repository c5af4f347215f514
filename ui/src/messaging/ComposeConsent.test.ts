import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend, type Backend } from '../lib/backend';
import type { ComposeRequest } from '../lib/bindings/ComposeRequest';
import type { CustomerConsent } from '../lib/bindings/CustomerConsent';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import type { Template } from '../lib/bindings/Template';
import { formatDate } from '../lib/format';
import { lang } from '../lib/i18n';
import { customerFixture } from '../test/customerFixture';
import { mockBackend } from '../test/mockBackend';
import ComposePanel from './ComposePanel.svelte';

const template: Template = {
  id: 'tpl1',
  name: 'Chào hỏi',
  description: null,
  channel: 'any',
  category: 'greeting',
  subject: null,
  body: 'Chào {{customer.given_name}}',
  usage_count: 0,
  last_used_at: null,
  created_at: 0,
  updated_at: 0,
  zalo_template_id: null,
  zalo_params: null,
};

const WITHDRAWN_AT = new Date(2025, 5, 10, 10, 0).getTime();

const telegramWithdrawn: CustomerConsent = {
  do_not_contact: false,
  do_not_contact_at: null,
  current: [
    {
      id: 'r1',
      customer_id: 'c1',
      channel: 'telegram',
      state: 'withdrawn',
      method: 'message',
      note: null,
      interaction_id: 'i9',
      recorded_at: WITHDRAWN_AT,
    },
  ],
  history: [],
};

function backendWith(overrides: Partial<Backend>) {
  return mockBackend({
    listTemplates: () => Promise.resolve([template]),
    previewTemplate: () => Promise.resolve({ subject: null, text: 'Chào Lan', html: null, missing: [] }),
    ...overrides,
  });
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('the compose panel of a customer who said no', () => {
  it('warns about "do not contact" but still sends by hand', async () => {
    lang.set('vi');
    const sendMessage = vi.fn((request: ComposeRequest) =>
      Promise.resolve({ id: 'o1', status: 'queued', channel: request.channel } as unknown as OutboxMessage),
    );
    setBackend(backendWith({ sendMessage }));
    const customer = customerFixture({ telegram_id: '123', do_not_contact: true, do_not_contact_at: WITHDRAWN_AT });
    render(ComposePanel, { customer, initialChannel: 'telegram', onClose: () => {} });

    const warning = await screen.findByTestId('compose-consent-warning');
    expect(warning.textContent?.trim()).toBe(
      'Khách yêu cầu không liên hệ. Bạn vẫn gửi tay được, nếu chắc khách muốn nhận tin này.',
    );
    const send = screen.getByTestId('message-send') as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);
    await waitFor(() => expect(sendMessage).toHaveBeenCalledTimes(1));
    expect(sendMessage.mock.calls[0][0]).toEqual(expect.objectContaining({ customer_id: 'c1', channel: 'telegram' }));
  });

  it('warns about a withdrawal on the chosen channel only', async () => {
    lang.set('en');
    const customerConsent = vi.fn(() => Promise.resolve(telegramWithdrawn));
    setBackend(backendWith({ customerConsent }));
    const customer = customerFixture({ telegram_id: '123', email: 'lan@example.vn' });
    render(ComposePanel, { customer, initialChannel: 'telegram', onClose: () => {} });

    const warning = await screen.findByTestId('compose-consent-warning');
    expect(warning.textContent?.trim()).toBe(
      `This customer withdrew consent on Telegram on ${formatDate(WITHDRAWN_AT)}. You can still send by hand if you are sure they want this message.`,
    );
    expect(customerConsent).toHaveBeenCalledWith('c1');
    await waitFor(() => expect((screen.getByTestId('message-send') as HTMLButtonElement).disabled).toBe(false));

    // The same customer's own Telegram is covered too; email is not.
    await fireEvent.change(screen.getByTestId('message-form-channel'), { target: { value: 'telegram_personal' } });
    expect(screen.getByTestId('compose-consent-warning')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('message-form-channel'), { target: { value: 'email' } });
    await waitFor(() => expect(screen.queryByTestId('compose-consent-warning')).toBeNull());
  });

  it('says nothing for a customer who never said no', async () => {
    lang.set('vi');
    setBackend(backendWith({}));
    render(ComposePanel, { customer: customerFixture({ telegram_id: '123' }), initialChannel: 'telegram', onClose: () => {} });
    await waitFor(() => expect((screen.getByTestId('message-send') as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId('compose-consent-warning')).toBeNull();
  });
});
