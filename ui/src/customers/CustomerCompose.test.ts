import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend, type Backend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { customerFixture } from '../test/customerFixture';
import type { ComposeRequest } from '../lib/bindings/ComposeRequest';
import type { Customer } from '../lib/bindings/Customer';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import App from '../app/App.svelte';

const customer: Customer = customerFixture({ zalo_phone: '0912345678', zalo_phone_display: '0912 345 678' });

function customerBackend(overrides: Partial<Backend>) {
  return mockBackend({
    openCustomer: () => Promise.resolve({ customer, timeline: { items: [], total: 0 }, open_tasks: [] }),
    listTemplates: () =>
      Promise.resolve([
        {
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
        },
      ]),
    previewTemplate: () => Promise.resolve({ subject: null, text: 'Chào Lan', html: null, missing: [] }),
    ...overrides,
  });
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('compose on the customer detail', () => {
  it('opens with "m", copies the text, opens the chat and records the send once confirmed', async () => {
    lang.set('vi');
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const prepareAssisted = vi.fn((_request: ComposeRequest) => Promise.resolve({ text: 'Chào Lan', url: 'https://zalo.me/0912345678' }));
    const openChat = vi.fn(() => Promise.resolve(null));
    const confirmAssisted = vi.fn(
      (request: ComposeRequest) => Promise.resolve({ id: 'o1', status: 'sent', channel: request.channel } as unknown as OutboxMessage),
    );
    setBackend(customerBackend({ prepareAssisted, openChat, confirmAssisted }));
    route.set({ name: 'customer', id: 'c1' });
    render(App);

    await screen.findByTestId('customer-detail-name');
    expect(screen.getByTestId('message-new')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'm' });
    const channel = (await screen.findByTestId('message-form-channel')) as HTMLSelectElement;
    expect([...channel.options].map((o) => o.value)).toEqual([
      'telegram',
      'zalo_oa',
      'zalo_auto',
      'zalo_template',
      'zalo_personal',
      'telegram_personal',
      'email',
    ]);
    expect(channel.options[2].textContent).toBe('Zalo (tự động)');
    expect(channel.options[3].textContent).toBe('Tin mẫu Zalo (ZNS)');
    await fireEvent.change(channel, { target: { value: 'zalo_personal' } });
    const template = screen.getByTestId('message-form-template') as HTMLSelectElement;
    await waitFor(() => expect(template.value).toBe('tpl1'));
    expect(template.options[0].textContent).toBe('Chào hỏi');

    const send = screen.getByTestId('message-send') as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);

    expect(await screen.findByText('Bạn đã gửi chưa?')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith('Chào Lan');
    expect(openChat).toHaveBeenCalledWith('https://zalo.me/0912345678');
    await fireEvent.click(screen.getByTestId('message-confirm-sent'));
    await waitFor(() => expect(confirmAssisted).toHaveBeenCalledTimes(1));
    expect(confirmAssisted).toHaveBeenCalledWith(prepareAssisted.mock.calls[0][0]);
    await waitFor(() => expect(screen.queryByTestId('message-form')).toBeNull());
  });

  it('opens on the channel a hint asked for', async () => {
    lang.set('en');
    setBackend(customerBackend({}));
    route.set({ name: 'customer', id: 'c1', compose: 'zalo_personal' });
    render(App);
    const channel = (await screen.findByTestId('message-form-channel')) as HTMLSelectElement;
    expect(channel.value).toBe('zalo_personal');
  });

  it('keeps the text, the copy button and the confirm step when the chat cannot be opened, and says how to do it by hand', async () => {
    lang.set('vi');
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const prepareAssisted = vi.fn((_request: ComposeRequest) => Promise.resolve({ text: 'Chào Lan', url: 'https://zalo.me/0912345678' }));
    const openChat = vi.fn(() =>
      Promise.reject(new BackendError('internal', 'the chat could not be opened: xdg-open: exit status: 3')),
    );
    const confirmAssisted = vi.fn(
      (request: ComposeRequest) => Promise.resolve({ id: 'o1', status: 'sent', channel: request.channel } as unknown as OutboxMessage),
    );
    setBackend(customerBackend({ prepareAssisted, openChat, confirmAssisted }));
    route.set({ name: 'customer', id: 'c1', compose: 'zalo_personal' });
    render(App);

    const send = (await screen.findByTestId('message-send')) as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);

    const failed = await screen.findByTestId('message-open-failed');
    expect(failed.querySelector('p')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Không tự mở được khung chat. Mở Zalo trên điện thoại hoặc máy tính, tìm 0912345678 rồi dán tin nhắn',
    );
    expect((screen.getByTestId('message-assisted-text') as HTMLTextAreaElement).value).toBe('Chào Lan');
    expect(screen.getByRole('button', { name: 'Sao chép' })).toBeTruthy();
    expect(screen.getByText('Bạn đã gửi chưa?')).toBeTruthy();
    // The raw reason is only in the folded technical details, never a toast or the main text.
    const details = failed.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Chi tiết kỹ thuật');
    expect(details.textContent).toContain('exit status: 3');
    expect(screen.getByTestId('message-form').textContent?.replace(details.textContent ?? '', '')).not.toContain('exit status');
    expect(screen.queryByTestId('toast-error')).toBeNull();

    // Trying again fails the same quiet way; copying still works.
    await fireEvent.click(screen.getByRole('button', { name: 'Mở lại khung chat' }));
    await waitFor(() => expect(openChat).toHaveBeenCalledTimes(2));
    expect(screen.queryByTestId('toast-error')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Sao chép' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(2));

    await fireEvent.click(screen.getByTestId('message-confirm-sent'));
    await waitFor(() => expect(confirmAssisted).toHaveBeenCalledWith(prepareAssisted.mock.calls[0][0]));
  });
});
