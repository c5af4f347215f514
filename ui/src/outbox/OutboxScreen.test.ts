import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import { dataChanged } from '../lib/dataVersion';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import OutboxScreen from './OutboxScreen.svelte';

function message(id: string, patch: Partial<OutboxMessage>): OutboxMessage {
  return {
    id,
    channel: 'zalo_oa',
    recipient: '84912345678',
    subject: null,
    body_text: 'Chào chị Lan,\nEm gửi báo giá.',
    body_html: null,
    customer_id: 'c1',
    customer_name: 'Nguyễn Thị Lan',
    template_id: 'tpl1',
    idempotency_key: `k-${id}`,
    status: 'queued',
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    error_hint: null,
    provider_message_id: null,
    interaction_id: null,
    created_at: new Date(2025, 0, 5, 9, 7).getTime(),
    updated_at: 0,
    sent_at: null,
    zalo_payload: null,
    route: null,
    routes_tried: [],
    origin: 'manual',
    campaign_id: null,
    ...patch,
  };
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('OutboxScreen', () => {
  it('shows each message with its status code, hint and actions, and refreshes on data-changed', async () => {
    lang.set('vi');
    const items = [
      message('m1', {
        status: 'needs_manual',
        attempts: 1,
        last_error: 'Zalo error -213',
        error_hint: 'use_personal_zalo',
      }),
      message('m2', { status: 'queued', next_attempt_at: new Date(2025, 0, 5, 10, 30).getTime(), error_hint: 'offline' }),
      message('m3', { status: 'sent', sent_at: new Date(2025, 0, 4, 8, 0).getTime() }),
    ];
    const listOutbox = vi.fn(() => Promise.resolve({ items, total: 3 }));
    const cancelMessage = vi.fn((id: string) => Promise.resolve(message(id, { status: 'cancelled' })));
    setBackend(mockBackend({ listOutbox, cancelMessage, outboxCounts: () => Promise.resolve({ queued: 1, failed: 0, needs_manual: 1 }) }));

    render(OutboxScreen);
    const rows = await screen.findAllByTestId('outbox-row');
    expect(rows).toHaveLength(3);
    expect(rows[0].textContent).toContain('needs_manual');
    expect(rows[0].textContent).toContain('Cần bạn xử lý');
    expect(rows[0].textContent).toContain('Khách ngoài khung tương tác của Zalo OA: hãy gửi bằng Zalo cá nhân');
    expect(rows[0].textContent).toContain('Zalo error -213');
    expect(rows[0].querySelector('[data-testid="outbox-body"]')?.textContent).toBe('Chào chị Lan,\nEm gửi báo giá.');
    expect(rows[1].textContent).toContain('queued');
    expect(rows[1].textContent).toContain('05/01/2025 10:30');
    expect(rows[1].textContent).toContain('Đang chờ mạng');
    expect(rows[2].textContent).toContain('sent');
    expect(rows[2].textContent).toContain('04/01/2025 08:00');

    // needs_manual on Zalo OA: retry and cancel; queued: cancel only; sent: neither.
    expect(rows[0].querySelector('[data-testid="outbox-retry"]')).not.toBeNull();
    expect(rows[0].querySelector('[data-testid="outbox-cancel"]')).not.toBeNull();
    expect(rows[1].querySelector('[data-testid="outbox-retry"]')).toBeNull();
    expect(rows[1].querySelector('[data-testid="outbox-cancel"]')).not.toBeNull();
    expect(rows[2].querySelector('[data-testid="outbox-retry"]')).toBeNull();
    expect(rows[2].querySelector('[data-testid="outbox-cancel"]')).toBeNull();

    await fireEvent.click(rows[1].querySelector('[data-testid="outbox-cancel"]') as HTMLElement);
    await waitFor(() => expect(cancelMessage).toHaveBeenCalledWith('m2'));

    const calls = listOutbox.mock.calls.length;
    dataChanged();
    await waitFor(() => expect(listOutbox.mock.calls.length).toBeGreaterThan(calls));

    // The hint's button opens the compose panel on that customer with personal Zalo.
    await fireEvent.click(screen.getAllByTestId('outbox-hint-action')[0]);
    expect(get(route)).toEqual({ name: 'customer', id: 'c1', compose: 'zalo_personal' });
  });

  it('shows the route a Zalo (automatic) message took and the routes it tried, keeping the status word', async () => {
    lang.set('en');
    const items = [
      message('m1', { channel: 'zalo_auto', status: 'sent', route: 'template', routes_tried: ['consultation'], sent_at: 1 }),
      message('m2', { channel: 'zalo_auto', status: 'queued', route: 'free_reply' }),
      message('m3', { channel: 'zalo_template', status: 'failed', route: 'template', attempts: 1 }),
      message('m4', { channel: 'zalo_auto', status: 'queued', route: null }),
      // Another channel never shows a route.
      message('m5', { channel: 'zalo_oa', status: 'sent', route: 'consultation', sent_at: 1 }),
    ];
    setBackend(mockBackend({ listOutbox: () => Promise.resolve({ items, total: items.length }) }));
    render(OutboxScreen);
    const rows = await screen.findAllByTestId('outbox-row');
    const routeOf = (row: HTMLElement) => row.querySelector('[data-testid="outbox-route"]') as HTMLElement | null;
    const triedOf = (row: HTMLElement) => row.querySelector('[data-testid="outbox-routes-tried"]')?.textContent ?? null;

    expect(routeOf(rows[0])?.textContent).toBe('via Zalo template message');
    expect(routeOf(rows[0])?.dataset.route).toBe('template');
    expect(triedOf(rows[0])).toBe('tried: consultation message');
    expect(rows[0].textContent).toContain('sent');
    expect(rows[0].textContent).toContain('Zalo (automatic)');
    expect(routeOf(rows[1])?.textContent).toBe('via free reply');
    expect(triedOf(rows[1])).toBeNull();
    expect(routeOf(rows[2])?.textContent).toBe('via Zalo template message');
    expect(rows[2].textContent).toContain('Zalo template message');
    expect(rows[2].querySelector('[data-testid="outbox-retry"]')).not.toBeNull();
    expect(routeOf(rows[3])).toBeNull();
    expect(routeOf(rows[4])).toBeNull();

    lang.set('vi');
    await waitFor(() => expect(routeOf(rows[0])?.textContent).toBe('gửi qua tin mẫu Zalo (ZNS)'));
    expect(triedOf(rows[0])).toBe('đã thử: tin tư vấn');
    expect(rows[0].querySelector('[data-testid="outbox-status"]')?.textContent).toBe('sent');
  });

  it('labels the messages a campaign or a scenario queued, not the ones written by hand', async () => {
    lang.set('vi');
    const items = [
      message('m1', { origin: 'campaign', campaign_id: 'cp1' }),
      message('m2', { origin: 'scenario' }),
      message('m3', { origin: 'manual' }),
    ];
    setBackend(mockBackend({ listOutbox: () => Promise.resolve({ items, total: items.length }) }));
    render(OutboxScreen);
    const rows = await screen.findAllByTestId('outbox-row');
    const originOf = (row: HTMLElement) => row.querySelector('[data-testid="outbox-row-origin"]') as HTMLElement | null;

    expect(originOf(rows[0])?.textContent).toBe('Chiến dịch');
    expect(originOf(rows[0])?.dataset.origin).toBe('campaign');
    expect(originOf(rows[1])?.textContent).toBe('Kịch bản');
    expect(originOf(rows[1])?.dataset.origin).toBe('scenario');
    expect(originOf(rows[2])).toBeNull();

    lang.set('en');
    await waitFor(() => expect(originOf(rows[0])?.textContent).toBe('Campaign'));
    expect(originOf(rows[1])?.textContent).toBe('Scenario');
  });

  it('filters by status and says what to do when empty', async () => {
    lang.set('en');
    const listOutbox = vi.fn(() => Promise.resolve({ items: [], total: 0 }));
    setBackend(mockBackend({ listOutbox }));
    render(OutboxScreen);
    expect((await screen.findByTestId('outbox-empty')).textContent).toContain('The outbox is empty');
    await fireEvent.change(screen.getByTestId('outbox-status-filter'), { target: { value: 'failed' } });
    await waitFor(() =>
      expect(listOutbox).toHaveBeenLastCalledWith({ status: 'failed', customer_id: null, offset: 0, limit: 50 }),
    );
  });

  it('keeps status codes and channel errors out of sight, and shows attempts only when Tend made some', async () => {
    lang.set('vi');
    const items = [
      message('m1', { status: 'failed', attempts: 3, last_error: 'HTTP 401: invalid access token', error_hint: 'check_settings' }),
      message('m2', { status: 'sent', channel: 'zalo_personal', attempts: 0, sent_at: 1 }),
      message('m3', { status: 'queued', attempts: 0 }),
      message('m4', { status: 'failed', channel: 'email', attempts: 1, last_error: 'smtp: connection reset by peer' }),
      message('m5', { status: 'needs_manual', channel: 'telegram_personal', attempts: 2 }),
    ];
    setBackend(mockBackend({ listOutbox: () => Promise.resolve({ items, total: items.length }) }));
    render(OutboxScreen);
    const rows = await screen.findAllByTestId('outbox-row');

    // The code stays in the text for outside tests, but hidden from eyes and screen readers.
    const status = rows[0].querySelector('[data-testid="outbox-status"]') as HTMLElement;
    expect(status.textContent).toBe('failed');
    expect(status.classList.contains('status-word')).toBe(true);
    expect(status.getAttribute('aria-hidden')).toBe('true');
    expect(status.tagName).toBe('SPAN');
    expect(rows[0].getAttribute('data-status')).toBe('failed');
    expect(rows[0].textContent).toContain('failed');
    expect(rows[0].querySelector('[title]')).toBeNull();

    const attempts = (row: HTMLElement) => row.querySelector('[data-testid="outbox-attempts"]')?.textContent ?? null;
    expect(attempts(rows[0])).toBe('Số lần thử: 3');
    expect(attempts(rows[1])).toBeNull();
    expect(attempts(rows[2])).toBeNull();
    expect(attempts(rows[4])).toBeNull();

    // The hint is the message; the channel's own words wait, folded, under "technical details".
    const hint = rows[0].querySelector('[data-testid="outbox-hint"]') as HTMLElement;
    expect(hint.textContent).toContain('Kênh gửi chưa được cài đặt đúng: hãy kiểm tra phần Cài đặt');
    const details = rows[0].querySelector('details[data-testid="outbox-error"]') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Chi tiết kỹ thuật');
    expect(details.textContent).toContain('HTTP 401: invalid access token');
    expect(hint.textContent).not.toContain('HTTP 401');

    // Without a hint, plain words say it was not sent; the detail is folded the same way.
    expect(rows[3].textContent).toContain('Tin nhắn này chưa gửi được.');
    expect((rows[3].querySelector('details') as HTMLDetailsElement).open).toBe(false);
    expect(rows[1].querySelector('details')).toBeNull();
  });
});
