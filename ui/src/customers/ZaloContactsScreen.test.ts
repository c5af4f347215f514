import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import App from '../app/App.svelte';
import { setBackend, tauriBackend } from '../lib/backend';
import type { CustomerSummary } from '../lib/bindings/CustomerSummary';
import type { ZaloContact } from '../lib/bindings/ZaloContact';
import { dataChanged } from '../lib/dataVersion';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { toasts } from '../lib/toasts';
import { hasUnsavedChanges } from '../lib/unsavedChanges';
import { mockBackend, type MockBackend } from '../test/mockBackend';
import CustomerForm from './CustomerForm.svelte';
import CustomerList from './CustomerList.svelte';
import ZaloContactsScreen from './ZaloContactsScreen.svelte';

// The customer list sizes itself with a ResizeObserver, which jsdom lacks.
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
beforeAll(() => vi.stubGlobal('ResizeObserver', NoResize));
afterAll(() => vi.unstubAllGlobals());

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
  toasts.set([]);
});

const lan: ZaloContact = {
  user_id: 'z-lan',
  display_name: 'Lan Phạm',
  last_inbound_at: new Date(2026, 10, 21, 18, 30).getTime(),
  last_inbound_text: 'Chị ơi, em muốn hỏi giá gói chăm sóc năm nay',
};
const nameless: ZaloContact = {
  user_id: '3141592653',
  display_name: null,
  last_inbound_at: new Date(2026, 10, 20, 9, 5).getTime(),
  last_inbound_text: '<b>x</b>',
};

const anCustomer: CustomerSummary = {
  id: 'c-an',
  full_name: 'Nguyễn Văn An',
  phone_display: '0912 345 678',
  email: null,
  company_name: 'Công ty Bình Minh',
  lifecycle_stage: 'active',
  temperature: null,
  tags: [],
  last_contact_date: null,
  next_follow_up_date: null,
};

function backendWith(contacts: ZaloContact[], overrides: Parameters<typeof mockBackend>[0] = {}): MockBackend {
  const b = mockBackend({
    searchCustomers: (query) => Promise.resolve(query.toLowerCase().includes('an') ? [anCustomer] : []),
    ...overrides,
  });
  b.seedZaloContacts(contacts);
  setBackend(b);
  return b;
}

function openScreen(contacts: ZaloContact[], overrides: Parameters<typeof mockBackend>[0] = {}): MockBackend {
  lang.set('vi');
  const b = backendWith(contacts, overrides);
  route.set({ name: 'zalo-contacts' });
  render(ZaloContactsScreen);
  return b;
}

function row(userId: string): HTMLElement {
  const found = screen.getAllByTestId('zalo-unknown-contact').find((el) => el.dataset.userId === userId);
  if (!found) throw new Error(`no row for ${userId}`);
  return found;
}

describe('Unknown Zalo contacts banner', () => {
  it('shows over the customer list only when someone unknown wrote, and opens the screen', async () => {
    lang.set('en');
    const b = backendWith([]);
    render(CustomerList);
    await waitFor(() => expect(b.listUnknownZaloContacts).toHaveBeenCalled());
    expect(screen.queryByTestId('zalo-unknown-banner')).toBeNull();
    cleanup();

    backendWith([lan, nameless]);
    render(CustomerList);
    const banner = await screen.findByTestId('zalo-unknown-banner');
    expect(banner.textContent).toContain('2 people wrote to your Zalo OA who are not customers yet');
    await fireEvent.click(within(banner).getByRole('button', { name: 'Review' }));
    expect(get(route)).toEqual({ name: 'zalo-contacts' });
  });

  it('words one person in the singular, and in Vietnamese', async () => {
    lang.set('en');
    backendWith([lan]);
    render(CustomerList);
    expect((await screen.findByTestId('zalo-unknown-banner')).textContent).toContain(
      '1 person wrote to your Zalo OA who is not a customer yet',
    );
    lang.set('vi');
    await waitFor(() =>
      expect(screen.getByTestId('zalo-unknown-banner').textContent).toContain(
        '1 người đã nhắn Zalo OA của bạn nhưng chưa là khách hàng',
      ),
    );
  });

  it('is not shown over the bin', async () => {
    lang.set('en');
    backendWith([lan]);
    render(CustomerList);
    await screen.findByTestId('zalo-unknown-banner');
    await fireEvent.click(screen.getByTestId('customer-bin-toggle'));
    expect(screen.queryByTestId('zalo-unknown-banner')).toBeNull();
    // The list remembers the bin view across visits (module state): leave it for the next test.
    await fireEvent.click(screen.getByTestId('customer-bin-toggle'));
    expect(await screen.findByTestId('zalo-unknown-banner')).toBeTruthy();
  });

  it('leads from the customer list to the screen, keeping Customers highlighted', async () => {
    lang.set('en');
    const b = backendWith([lan]);
    render(App);
    await fireEvent.click(screen.getByTestId('nav-customers'));
    await fireEvent.click(within(await screen.findByTestId('zalo-unknown-banner')).getByRole('button'));
    expect(await screen.findByTestId('zalo-contacts-screen')).toBeTruthy();
    expect(await screen.findAllByTestId('zalo-unknown-contact')).toHaveLength(1);
    expect(screen.getByTestId('nav-customers').getAttribute('aria-current')).toBe('page');
    expect(b.listUnknownZaloContacts).toHaveBeenCalled();
  });
});

describe('ZaloContactsScreen', () => {
  it('lists each contact with their name, last message and when it came, newest first', async () => {
    openScreen([nameless, lan]);
    const rows = await screen.findAllByTestId('zalo-unknown-contact');
    expect(rows.map((r) => r.dataset.userId)).toEqual(['z-lan', '3141592653']);
    expect(screen.getByTestId('zalo-contacts-total').textContent).toBe('2 người');

    const first = row('z-lan');
    expect(within(first).getByTestId('zalo-contact-name').textContent).toBe('Lan Phạm');
    const text = within(first).getByTestId('zalo-contact-text');
    expect(text.textContent).toBe(lan.last_inbound_text);
    // The line is cut short on screen; the whole message is in its title.
    expect(text.getAttribute('title')).toBe(lan.last_inbound_text);
    expect(within(first).getByTestId('zalo-contact-when').textContent).toBe('21/11/2026 18:30');
    expect(within(first).getByTestId('zalo-contact-link').textContent).toBe('Gắn với khách hàng…');

    // Zalo gave no name: the id stands in for it.
    expect(within(row('3141592653')).getByTestId('zalo-contact-name').textContent).toBe('Người dùng Zalo 3141592653');
    expect(within(row('3141592653')).getByTestId('zalo-contact-when').textContent).toBe('20/11/2026 09:05');
  });

  it('shows a message as the characters written, never as HTML', async () => {
    openScreen([nameless]);
    const text = within(await screen.findByTestId('zalo-unknown-contact')).getByTestId('zalo-contact-text');
    expect(text.textContent).toBe('<b>x</b>');
    expect(text.querySelector('b')).toBeNull();
    expect(text.getAttribute('title')).toBe('<b>x</b>');
  });

  it('says so when nobody unknown wrote, and that customers’ replies go to their timelines', async () => {
    openScreen([]);
    const empty = await screen.findByTestId('zalo-contacts-empty');
    expect(empty.textContent).toContain('Không có người lạ nào nhắn Zalo OA của bạn.');
    expect(empty.textContent).toContain('Tin trả lời của khách hàng được đưa thẳng vào lịch sử tương tác của họ.');
    expect(screen.queryByTestId('zalo-unknown-contact')).toBeNull();
    expect(screen.queryByTestId('zalo-contacts-total')).toBeNull();
  });

  it('words the screen in English too', async () => {
    openScreen([]);
    lang.set('en');
    const empty = await screen.findByTestId('zalo-contacts-empty');
    await waitFor(() => expect(empty.textContent).toContain("Nobody you don't know has written to your Zalo OA."));
    expect(empty.textContent).toContain('Replies from your customers go straight to their timelines.');
    expect(screen.getByTestId('zalo-contacts-check-now').textContent?.trim()).toBe('Check now');
  });

  it('links a contact to the customer picked, then takes the row off with a toast naming the customer', async () => {
    const b = openScreen([lan, nameless]);
    const first = row((await screen.findAllByTestId('zalo-unknown-contact'))[0].dataset.userId ?? '');
    await fireEvent.click(within(first).getByTestId('zalo-contact-link'));

    const search = within(first).getByTestId('zalo-link-search');
    expect(document.activeElement).toBe(search);
    await fireEvent.input(search, { target: { value: 'An' } });
    const option = await within(first).findByTestId('zalo-link-option');
    expect(option.textContent).toContain('Nguyễn Văn An');
    expect(option.textContent).toContain('0912 345 678');
    expect(b.callsTo('searchCustomers')).toEqual([['An', 8]]);

    await fireEvent.click(option);
    await waitFor(() => expect(b.callsTo('linkZaloContact')).toEqual([['z-lan', 'c-an']]));
    await waitFor(() => expect(screen.getAllByTestId('zalo-unknown-contact').map((r) => r.dataset.userId)).toEqual(['3141592653']));
    expect(b.customerZaloIds()).toEqual({ 'c-an': 'z-lan' });
    expect(get(toasts).map((toast) => toast.message)).toContain(
      'Đã gắn với Nguyễn Văn An: tin nhắn cuối đã vào lịch sử tương tác',
    );
    // Focus moves to the row that took its place.
    expect(document.activeElement).toBe(within(row('3141592653')).getByTestId('zalo-contact-link'));
  });

  it('links the first match on Enter, and says when no customer matches', async () => {
    const b = openScreen([lan]);
    const only = await screen.findByTestId('zalo-unknown-contact');
    await fireEvent.click(within(only).getByTestId('zalo-contact-link'));
    const search = within(only).getByTestId('zalo-link-search');
    await fireEvent.input(search, { target: { value: 'Bình' } });
    expect((await within(only).findByTestId('zalo-link-no-match')).textContent).toBe(
      'Không có khách hàng nào khớp với “Bình”',
    );
    await fireEvent.input(search, { target: { value: 'An' } });
    await within(only).findByTestId('zalo-link-option');
    await fireEvent.keyDown(search, { key: 'Enter' });
    await waitFor(() => expect(b.callsTo('linkZaloContact')).toEqual([['z-lan', 'c-an']]));
    expect(await screen.findByTestId('zalo-contacts-empty')).toBeTruthy();
  });

  it('closes the customer search on Escape without leaving the screen', async () => {
    const b = openScreen([lan]);
    const only = await screen.findByTestId('zalo-unknown-contact');
    const link = within(only).getByTestId('zalo-contact-link');
    await fireEvent.click(link);
    await fireEvent.keyDown(within(only).getByTestId('zalo-link-search'), { key: 'Escape' });
    expect(within(only).queryByTestId('zalo-link-search')).toBeNull();
    expect(get(route)).toEqual({ name: 'zalo-contacts' });
    await waitFor(() => expect(document.activeElement).toBe(link));
    expect(b.linkZaloContact).not.toHaveBeenCalled();

    // A second Escape leaves, as on the other screens opened from the customer list.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(get(route).name).not.toBe('zalo-contacts');
  });

  it('words a failed link from its key and keeps the row', async () => {
    const b = openScreen([lan]);
    b.fail('linkZaloContact', {
      code: 'conflict',
      key: 'customer.in_bin',
      params: {},
      message: 'this customer is in the bin',
      field: null,
    });
    const only = await screen.findByTestId('zalo-unknown-contact');
    await fireEvent.click(within(only).getByTestId('zalo-contact-link'));
    await fireEvent.input(within(only).getByTestId('zalo-link-search'), { target: { value: 'An' } });
    await fireEvent.click(await within(only).findByTestId('zalo-link-option'));
    await waitFor(() =>
      expect(get(toasts).map((toast) => toast.message)).toContain('Khách hàng này đang ở thùng rác: hãy khôi phục trước'),
    );
    expect(screen.getAllByTestId('zalo-unknown-contact')).toHaveLength(1);
  });

  it('dismisses a contact only once the question is confirmed', async () => {
    const b = openScreen([lan, nameless]);
    await screen.findAllByTestId('zalo-unknown-contact');
    const target = row('3141592653');

    await fireEvent.click(within(target).getByTestId('zalo-contact-dismiss'));
    const question = within(target).getByRole('alertdialog');
    expect(question.classList.contains('confirm-bar')).toBe(true);
    expect(question.textContent).toContain('Ẩn Người dùng Zalo 3141592653 khỏi danh sách này? Không hoàn tác được');
    expect(b.dismissZaloContact).not.toHaveBeenCalled();

    // Cancel asks nothing of the backend.
    await fireEvent.click(within(question).getByRole('button', { name: 'Huỷ' }));
    expect(within(target).queryByRole('alertdialog')).toBeNull();
    expect(b.dismissZaloContact).not.toHaveBeenCalled();

    await fireEvent.click(within(target).getByTestId('zalo-contact-dismiss'));
    await fireEvent.click(within(target).getByTestId('zalo-contact-dismiss-confirm'));
    await waitFor(() => expect(b.callsTo('dismissZaloContact')).toEqual([['3141592653']]));
    await waitFor(() => expect(screen.getAllByTestId('zalo-unknown-contact').map((r) => r.dataset.userId)).toEqual(['z-lan']));
    expect(b.zaloContacts()).toEqual([lan]);
    expect(get(toasts).map((toast) => toast.message)).toContain('Đã bỏ qua Người dùng Zalo 3141592653');
  });

  it('takes off a contact the backend no longer has', async () => {
    const b = openScreen([lan]);
    const only = await screen.findByTestId('zalo-unknown-contact');
    // Linked from elsewhere meanwhile.
    b.seedZaloContacts([]);
    await fireEvent.click(within(only).getByTestId('zalo-contact-dismiss'));
    await fireEvent.click(within(only).getByTestId('zalo-contact-dismiss-confirm'));
    await waitFor(() =>
      expect(get(toasts).map((toast) => toast.message)).toContain('Liên hệ Zalo này không còn trong danh sách'),
    );
    expect(await screen.findByTestId('zalo-contacts-empty')).toBeTruthy();
  });

  it('opens the new-customer form on the contact’s name and Zalo user id', async () => {
    openScreen([lan]);
    await fireEvent.click(within(await screen.findByTestId('zalo-unknown-contact')).getByTestId('zalo-contact-new'));
    expect(get(route)).toEqual({ name: 'customer-new', prefill: { full_name: 'Lan Phạm', zalo_id: 'z-lan' } });
  });

  it('asks the Zalo reader to read now and shows what the reading brought', async () => {
    const b = openScreen([]);
    // As the app does: the backend's "data changed" reaches every view.
    await b.onDataChanged(dataChanged);
    await screen.findByTestId('zalo-contacts-empty');
    const check = screen.getByTestId('zalo-contacts-check-now');

    await fireEvent.click(check);
    expect(b.readZaloNow).toHaveBeenCalledTimes(1);
    expect(check.textContent?.trim()).toBe('Đang kiểm tra…');
    expect((check as HTMLButtonElement).disabled).toBe(true);

    // The reader found Lan's message.
    b.seedZaloContacts([lan]);
    b.emit.dataChanged();
    await waitFor(() => expect(screen.getAllByTestId('zalo-unknown-contact')).toHaveLength(1));
    expect(check.textContent?.trim()).toBe('Kiểm tra ngay');
    expect((check as HTMLButtonElement).disabled).toBe(false);
  });

  it('stops showing the check as running when the reading finds nothing', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const b = openScreen([]);
      await screen.findByTestId('zalo-contacts-empty');
      const check = screen.getByTestId('zalo-contacts-check-now') as HTMLButtonElement;
      await fireEvent.click(check);
      await waitFor(() => expect(b.readZaloNow).toHaveBeenCalledTimes(1));
      expect(check.disabled).toBe(true);
      await vi.advanceTimersByTimeAsync(10_000);
      await waitFor(() => expect(check.disabled).toBe(false));
    } finally {
      vi.useRealTimers();
    }
  });

  it('words a failed listing from its key, with a retry', async () => {
    const b = openScreen([lan]);
    b.failOnce('listUnknownZaloContacts', { code: 'storage', key: 'storage', params: {}, message: 'disk', field: null });
    cleanup();
    render(ZaloContactsScreen);
    expect(await screen.findByTestId('zalo-contacts-error')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    expect(await screen.findAllByTestId('zalo-unknown-contact')).toHaveLength(1);
    expect(screen.queryByTestId('zalo-contacts-error')).toBeNull();
  });
});

describe('CustomerForm opened for a Zalo contact', () => {
  it('starts from the contact’s name and Zalo user id, and saves them', async () => {
    lang.set('vi');
    const createCustomer = vi.fn(() => new Promise<never>(() => {}));
    setBackend(mockBackend({ createCustomer }));
    render(CustomerForm, { prefill: { full_name: 'Lan Phạm', zalo_id: 'z-lan' } });

    expect((screen.getByTestId('customer-form-name') as HTMLInputElement).value).toBe('Lan Phạm');
    expect((screen.getByTestId('customer-form-zalo-user-id') as HTMLInputElement).value).toBe('z-lan');
    // Nothing was typed yet: going back asks nothing.
    expect(hasUnsavedChanges()).toBe(false);
    await fireEvent.input(screen.getByTestId('customer-form-email'), { target: { value: 'lan@example.vn' } });
    expect(hasUnsavedChanges()).toBe(true);
    await fireEvent.click(screen.getByTestId('customer-form-save'));
    await waitFor(() => expect(createCustomer).toHaveBeenCalled());
    expect(createCustomer).toHaveBeenCalledWith(expect.objectContaining({ full_name: 'Lan Phạm', zalo_id: 'z-lan' }), false);
  });
});
