import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { ClosingWindow } from '../lib/bindings/ClosingWindow';
import { dataChanged } from '../lib/dataVersion';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { mockBackend } from '../test/mockBackend';
import TodayScreen from './TodayScreen.svelte';

const NOW = new Date(2025, 5, 3, 10, 0).getTime();
const MINUTE = 60_000;

const lan: ClosingWindow = {
  customer_id: 'c1',
  customer_name: 'Trần Thị Lan',
  route: 'free_reply',
  closes_at: new Date(2025, 5, 3, 14, 30).getTime(),
  free_replies_left: 5,
  last_text: '<b>Chị</b> ơi, mai giao hàng được không?',
};

const minh: ClosingWindow = {
  customer_id: 'c2',
  customer_name: 'Lê Văn Minh',
  route: 'consultation',
  closes_at: NOW + 40 * MINUTE,
  free_replies_left: 0,
  last_text: null,
};

function setup(windows: ClosingWindow[]) {
  const zaloClosingWindows = vi.fn(() => Promise.resolve(windows));
  setBackend(
    mockBackend({
      zaloClosingWindows,
      listCustomers: () => Promise.resolve({ items: [], total: 1 }),
    }),
  );
  return zaloClosingWindows;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
  vi.useRealTimers();
});

describe('Reply now while it’s free', () => {
  it('lists the customers whose free Zalo window closes within 6 hours, with what they wrote as text', async () => {
    lang.set('en');
    const zaloClosingWindows = setup([lan, minh]);
    render(TodayScreen);

    const section = await screen.findByTestId('today-zalo-windows');
    expect(within(section).getByRole('heading').textContent).toBe("Reply now while it's free");
    expect(zaloClosingWindows).toHaveBeenCalledWith(6);
    const [first, second] = within(section).getAllByTestId('today-zalo-window');
    expect(within(first).getByTestId('today-zalo-window-customer').textContent).toBe('Trần Thị Lan');
    expect(within(first).getByTestId('today-zalo-window-closes').textContent).toBe('free replies close at 14:30');
    expect(within(first).getByTestId('today-zalo-window-left').textContent).toBe('5 free replies left');
    const text = within(first).getByTestId('today-zalo-window-text');
    expect(text.textContent).toBe('<b>Chị</b> ơi, mai giao hàng được không?');
    expect(text.querySelector('b')).toBeNull();

    expect(within(second).getByTestId('today-zalo-window-closes').textContent).toBe('consultation messages close in 40 min');
    expect(within(second).queryByTestId('today-zalo-window-left')).toBeNull();
    expect(within(second).getByTestId('today-zalo-window-text').textContent).toBe('(no text)');

    lang.set('vi');
    await waitFor(() => expect(within(section).getByRole('heading').textContent).toBe('Trả lời ngay khi còn miễn phí'));
    expect(within(first).getByTestId('today-zalo-window-closes').textContent).toBe('hết hạn trả lời miễn phí lúc 14:30');
    expect(within(first).getByTestId('today-zalo-window-left').textContent).toBe('còn 5 lượt trả lời miễn phí');
    expect(within(second).getByTestId('today-zalo-window-closes').textContent).toBe('hết hạn gửi tin tư vấn sau 40 phút');
  });

  it('opens the customer, or their compose on Zalo (automatic) to reply', async () => {
    lang.set('en');
    setup([lan]);
    render(TodayScreen);
    await fireEvent.click(await screen.findByTestId('today-zalo-window-customer'));
    expect(get(route)).toEqual({ name: 'customer', id: 'c1' });

    route.set({ name: 'today' });
    const reply = screen.getByTestId('today-zalo-window-reply');
    expect(reply.getAttribute('aria-label')).toBe('Reply to Trần Thị Lan on Zalo');
    await fireEvent.click(reply);
    expect(get(route)).toEqual({ name: 'customer', id: 'c1', compose: 'zalo_auto' });
  });

  it('is hidden when no window closes soon, and follows data changes', async () => {
    lang.set('en');
    const zaloClosingWindows = setup([]);
    render(TodayScreen);
    await waitFor(() => expect(zaloClosingWindows).toHaveBeenCalled());
    expect(screen.queryByTestId('today-zalo-windows')).toBeNull();

    zaloClosingWindows.mockResolvedValue([minh]);
    dataChanged();
    expect(await screen.findAllByTestId('today-zalo-window')).toHaveLength(1);

    zaloClosingWindows.mockResolvedValue([]);
    dataChanged();
    await waitFor(() => expect(screen.queryByTestId('today-zalo-windows')).toBeNull());
  });

  it('stays hidden when the windows cannot be read', async () => {
    lang.set('en');
    setup([lan]);
    const mock = mockBackend({ listCustomers: () => Promise.resolve({ items: [], total: 1 }) });
    mock.fail('zaloClosingWindows', { code: 'storage', key: 'storage', params: {}, message: 'disk', field: null });
    setBackend(mock);
    render(TodayScreen);
    await waitFor(() => expect(mock.zaloClosingWindows).toHaveBeenCalled());
    expect(screen.queryByTestId('today-zalo-windows')).toBeNull();
    expect(await screen.findByTestId('today-empty')).toBeTruthy();
  });
});
