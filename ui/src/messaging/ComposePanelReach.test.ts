import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { customerFixture } from '../test/customerFixture';
import type { Rendered } from '../lib/bindings/Rendered';
import type { Template } from '../lib/bindings/Template';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import ComposePanel from './ComposePanel.svelte';
import { splitMissing } from './compose';

const template: Template = {
  id: 'tpl1',
  name: 'Chào hỏi',
  description: null,
  channel: 'any',
  category: 'greeting',
  subject: null,
  body: 'Chào {{customer.given_name}}, em là {{me.name}}',
  usage_count: 0,
  last_used_at: null,
  created_at: 0,
  updated_at: 0,
  zalo_template_id: null,
  zalo_params: null,
};

const rendered = (missing: string[] = []): Rendered => ({ subject: null, text: 'Chào Lan, em là [me.name]', html: null, missing });

const withPhoneAndEmail = customerFixture({
  email: 'lan@example.vn',
  phones: [{ id: 'p1', number: '+84912345678', display: '0912 345 678', label: null, is_primary: true }],
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('splitMissing', () => {
  it('tells the salesperson’s own details apart from the customer’s', () => {
    expect(splitMissing(['customer.email', 'me.name', 'me.phone', 'customer.company'])).toEqual({
      customer: ['customer.email', 'customer.company'],
      mine: ['me.name', 'me.phone'],
    });
    expect(splitMissing([])).toEqual({ customer: [], mine: [] });
  });
});

describe('the channel the compose panel opens on', () => {
  it('is personal Zalo for a customer with a phone, not their email, and the user’s pick is kept', async () => {
    lang.set('en');
    const previewTemplate = vi.fn(() => Promise.resolve(rendered()));
    setBackend(mockBackend({ listTemplates: () => Promise.resolve([template]), previewTemplate }));
    const { rerender } = render(ComposePanel, { customer: withPhoneAndEmail, onClose: () => {} });

    const channel = screen.getByTestId('message-form-channel') as HTMLSelectElement;
    expect(channel.value).toBe('zalo_personal');
    await waitFor(() => expect(previewTemplate).toHaveBeenLastCalledWith('c1', 'tpl1', 'zalo_personal'));

    await fireEvent.change(channel, { target: { value: 'email' } });
    await waitFor(() => expect(previewTemplate).toHaveBeenLastCalledWith('c1', 'tpl1', 'email'));
    // The customer gains a Zalo user id while the panel is open: the explicit choice stays.
    await rerender({ customer: { ...withPhoneAndEmail, zalo_id: 'z1' }, onClose: () => {} });
    expect(channel.value).toBe('email');
  });

  it('follows the customer until the user picks one', async () => {
    lang.set('en');
    setBackend(mockBackend({ listTemplates: () => Promise.resolve([template]), previewTemplate: () => Promise.resolve(rendered()) }));
    const { rerender } = render(ComposePanel, { customer: customerFixture({ email: 'lan@example.vn' }), onClose: () => {} });
    const channel = screen.getByTestId('message-form-channel') as HTMLSelectElement;
    expect(channel.value).toBe('email');
    await rerender({ customer: customerFixture({ email: 'lan@example.vn', zalo_id: 'z1' }), onClose: () => {} });
    await waitFor(() => expect(channel.value).toBe('zalo_oa'));
  });
});

describe('the salesperson’s own details', () => {
  it('are asked for in Settings, not blamed on the customer, when the preview lacks them', async () => {
    lang.set('vi');
    setBackend(
      mockBackend({
        listTemplates: () => Promise.resolve([template]),
        previewTemplate: () => Promise.resolve(rendered(['customer.company', 'me.name'])),
      }),
    );
    route.set({ name: 'customer', id: 'c1' });
    render(ComposePanel, { customer: withPhoneAndEmail, onClose: () => {} });

    const mine = await screen.findByTestId('message-my-details');
    expect(mine.textContent).toContain(
      'Bạn chưa nhập thông tin của mình ({{me.name}}): hãy thêm tên (và số điện thoại) trong Cài đặt',
    );
    // The customer's notice names only what the customer lacks.
    const missing = screen.getByTestId('message-missing');
    expect(missing.textContent).toContain('customer.company');
    expect(missing.textContent).not.toContain('me.name');
    expect((screen.getByTestId('message-send') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(screen.getByTestId('message-open-settings'));
    expect(get(route)).toEqual({ name: 'settings' });
  });

  it('turn a refused send into the Settings notice with a way there, not a toast', async () => {
    lang.set('en');
    const sendMessage = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'your own details are not set', 'settings', 'send.my_details_missing', {
          missing: '{{me.name}}, {{me.phone}}',
        }),
      ),
    );
    setBackend(
      mockBackend({
        listTemplates: () => Promise.resolve([template]),
        previewTemplate: () => Promise.resolve(rendered()),
        sendMessage,
      }),
    );
    route.set({ name: 'customer', id: 'c1' });
    render(ComposePanel, { customer: customerFixture({ zalo_id: 'z1' }), onClose: () => {} });

    expect(screen.queryByTestId('message-my-details')).toBeNull();
    const send = screen.getByTestId('message-send') as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    await fireEvent.click(send);

    const notice = await screen.findByTestId('message-my-details');
    expect(notice.textContent).toContain(
      'Your own details are not set ({{me.name}}, {{me.phone}}): add your name (and phone) in Settings',
    );
    expect(screen.queryByTestId('message-missing')).toBeNull();
    expect(screen.queryByTestId('toast-error')).toBeNull();
    const open = screen.getByTestId('message-open-settings');
    expect(open.textContent?.trim()).toBe('Open Settings');
    lang.set('vi');
    await waitFor(() => expect(screen.getByTestId('message-open-settings').textContent?.trim()).toBe('Mở Cài đặt'));
    await fireEvent.click(screen.getByTestId('message-open-settings'));
    expect(get(route)).toEqual({ name: 'settings' });
  });
});
