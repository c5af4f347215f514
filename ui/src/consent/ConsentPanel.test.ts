import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { ConsentInput } from '../lib/bindings/ConsentInput';
import type { ConsentRecord } from '../lib/bindings/ConsentRecord';
import type { CustomerConsent } from '../lib/bindings/CustomerConsent';
import { dataChanged } from '../lib/dataVersion';
import { formatDate } from '../lib/format';
import { lang } from '../lib/i18n';
import { mockBackend } from '../test/mockBackend';
import ConsentPanel from './ConsentPanel.svelte';

const MARCH_1 = new Date(2025, 2, 1, 9, 30).getTime();
const APRIL_2 = new Date(2025, 3, 2, 14, 5).getTime();
const MAY_3 = new Date(2025, 4, 3, 8, 0).getTime();

function record(patch: Partial<ConsentRecord>): ConsentRecord {
  return {
    id: `r-${patch.channel}-${patch.recorded_at}`,
    customer_id: 'c1',
    channel: 'zalo',
    state: 'given',
    method: 'in_person',
    note: null,
    interaction_id: null,
    recorded_at: MARCH_1,
    ...patch,
  };
}

const zaloGiven = record({ channel: 'zalo', state: 'given', method: 'form', recorded_at: MARCH_1, note: 'Phiếu đăng ký hội chợ' });
const telegramWithdrawn = record({ channel: 'telegram', state: 'withdrawn', method: 'message', recorded_at: APRIL_2 });

const consent: CustomerConsent = {
  do_not_contact: false,
  do_not_contact_at: null,
  current: [zaloGiven, telegramWithdrawn],
  // Oldest first on purpose: the panel lists the newest first whatever order it gets.
  history: [zaloGiven, telegramWithdrawn],
};

function channelRow(channel: string): HTMLElement {
  const row = screen.getAllByTestId('consent-channel').find((el) => el.dataset.channel === channel);
  if (!row) throw new Error(`no row for ${channel}`);
  return row;
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('ConsentPanel', () => {
  it('shows each channel as given (date, method), withdrawn (date) or not recorded, and the history newest first', async () => {
    lang.set('vi');
    setBackend(mockBackend({ customerConsent: () => Promise.resolve(consent) }));
    render(ConsentPanel, { customerId: 'c1' });

    await waitFor(() => expect(screen.getAllByTestId('consent-channel')).toHaveLength(3));
    expect(within(channelRow('zalo')).getByTestId('consent-channel-state').textContent?.trim()).toBe(
      `Đồng ý ngày ${formatDate(MARCH_1)} · Qua biểu mẫu`,
    );
    expect(within(channelRow('telegram')).getByTestId('consent-channel-state').textContent?.trim()).toBe(
      `Rút lại ngày ${formatDate(APRIL_2)}`,
    );
    expect(within(channelRow('email')).getByTestId('consent-channel-state').textContent?.trim()).toBe('Chưa ghi nhận');
    // Only the change that makes sense is offered: a given channel can be withdrawn, and so on.
    expect(within(channelRow('zalo')).queryByTestId('consent-give')).toBeNull();
    expect(within(channelRow('telegram')).queryByTestId('consent-withdraw')).toBeNull();
    expect(within(channelRow('email')).getByTestId('consent-give')).toBeTruthy();
    expect(within(channelRow('email')).getByTestId('consent-withdraw')).toBeTruthy();
    expect(screen.queryByTestId('consent-do-not-contact')).toBeNull();

    const items = screen.getAllByTestId('consent-history-item');
    expect(items.map((item) => item.dataset.channel)).toEqual(['telegram', 'zalo']);
    expect(items[0].textContent).toContain(`${formatDate(APRIL_2)} 14:05`);
    expect(items[0].textContent).toContain('Đã rút lại');
    expect(items[0].textContent).toContain('Qua tin nhắn của khách');
    expect(items[1].textContent).toContain('Phiếu đăng ký hội chợ');
  });

  it('shows "do not contact" with the date it was set', async () => {
    lang.set('en');
    setBackend(
      mockBackend({
        customerConsent: () => Promise.resolve({ ...consent, do_not_contact: true, do_not_contact_at: MAY_3 }),
      }),
    );
    render(ConsentPanel, { customerId: 'c1' });
    const badge = await screen.findByTestId('consent-do-not-contact');
    expect(badge.textContent?.trim()).toBe(`Do not contact since ${formatDate(MAY_3)}`);
    expect(screen.getByTestId('consent-do-not-contact-toggle').textContent?.trim()).toBe('Clear “Do not contact”');
  });

  it('records consent given on a channel with the chosen method and note, then shows the answer', async () => {
    lang.set('vi');
    const emailGiven = record({ channel: 'email', state: 'given', method: 'phone', recorded_at: MAY_3, note: 'Gọi xác nhận' });
    // As the backend keeps it: what is recorded is there on the next read.
    let stored = consent;
    const recordConsent = vi.fn((input: ConsentInput) => {
      void input;
      stored = { ...consent, current: [...consent.current, emailGiven], history: [emailGiven, telegramWithdrawn, zaloGiven] };
      return Promise.resolve(stored);
    });
    setBackend(mockBackend({ customerConsent: () => Promise.resolve(stored), recordConsent }));
    render(ConsentPanel, { customerId: 'c1' });

    await waitFor(() => expect(screen.getAllByTestId('consent-channel')).toHaveLength(3));
    await fireEvent.click(within(channelRow('email')).getByTestId('consent-give'));
    const form = screen.getByTestId('consent-form');
    expect(form.textContent).toContain('Khách đồng ý nhận tin qua Email');
    const methods = Array.from((screen.getByTestId('consent-method') as HTMLSelectElement).options).map((o) => o.textContent);
    expect(methods).toEqual(['Trực tiếp', 'Qua biểu mẫu', 'Nhập từ tệp', 'Qua điện thoại', 'Khác']);
    await fireEvent.change(screen.getByTestId('consent-method'), { target: { value: 'phone' } });
    await fireEvent.input(screen.getByTestId('consent-note'), { target: { value: '  Gọi xác nhận ' } });
    await fireEvent.click(screen.getByTestId('consent-save'));

    await waitFor(() =>
      expect(recordConsent).toHaveBeenCalledWith({
        customer_id: 'c1',
        channel: 'email',
        state: 'given',
        method: 'phone',
        note: 'Gọi xác nhận',
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('consent-form')).toBeNull());
    expect(within(channelRow('email')).getByTestId('consent-channel-state').textContent?.trim()).toBe(
      `Đồng ý ngày ${formatDate(MAY_3)} · Qua điện thoại`,
    );
  });

  it('records a withdrawal with no note as null, and "do not contact" on all channels', async () => {
    lang.set('vi');
    const recordConsent = vi.fn(() => Promise.resolve(consent));
    setBackend(mockBackend({ customerConsent: () => Promise.resolve(consent), recordConsent }));
    render(ConsentPanel, { customerId: 'c1' });

    await waitFor(() => expect(screen.getAllByTestId('consent-channel')).toHaveLength(3));
    await fireEvent.click(within(channelRow('zalo')).getByTestId('consent-withdraw'));
    await fireEvent.click(screen.getByTestId('consent-save'));
    await waitFor(() =>
      expect(recordConsent).toHaveBeenLastCalledWith({
        customer_id: 'c1',
        channel: 'zalo',
        state: 'withdrawn',
        method: 'in_person',
        note: null,
      }),
    );

    await waitFor(() => expect(screen.queryByTestId('consent-form')).toBeNull());
    await fireEvent.click(screen.getByTestId('consent-do-not-contact-toggle'));
    expect(screen.getByTestId('consent-form').textContent).toContain('Khách yêu cầu không liên hệ qua bất kỳ kênh nào');
    await fireEvent.click(screen.getByTestId('consent-save'));
    await waitFor(() =>
      expect(recordConsent).toHaveBeenLastCalledWith(expect.objectContaining({ channel: 'all', state: 'withdrawn' })),
    );
  });

  it('reloads when data changes elsewhere', async () => {
    lang.set('vi');
    let answer: CustomerConsent = { do_not_contact: false, do_not_contact_at: null, current: [], history: [] };
    const customerConsent = vi.fn(() => Promise.resolve(answer));
    setBackend(mockBackend({ customerConsent }));
    render(ConsentPanel, { customerId: 'c1' });
    await waitFor(() => expect(screen.getByText('Chưa có ghi nhận nào.')).toBeTruthy());

    answer = consent;
    dataChanged();
    await waitFor(() => expect(screen.getAllByTestId('consent-history-item')).toHaveLength(2));
    expect(customerConsent).toHaveBeenCalledWith('c1');
  });
});
