import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import type { Interaction } from '../lib/bindings/Interaction';
import { dataVersion } from '../lib/dataVersion';
import { lang } from '../lib/i18n';
import { toasts } from '../lib/toasts';
import { mockBackend } from '../test/mockBackend';
import TimelineItem from './TimelineItem.svelte';

function interaction(patch: Partial<Interaction>): Interaction {
  return {
    id: 'i1',
    customer_id: 'c1',
    kind: 'zalo',
    direction: 'inbound',
    subject: null,
    content: 'STOP',
    outcome: null,
    duration_minutes: null,
    occurred_at: 0,
    next_action: null,
    next_action_date: null,
    task_id: null,
    created_at: 0,
    updated_at: 0,
    campaign_id: null,
    campaign_name: null,
    asks_to_stop: false,
    ...patch,
  };
}

const props = (patch: Partial<Interaction>) => ({ interaction: interaction(patch), onEdit: () => {}, onDelete: () => {} });

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  toasts.set([]);
});

describe('a customer message that asks to stop', () => {
  it('offers to record the withdrawal, records it from the message, says so and refreshes', async () => {
    lang.set('vi');
    const withdrawConsentFromMessage = vi.fn(() =>
      Promise.resolve({ do_not_contact: false, do_not_contact_at: null, current: [], history: [] }),
    );
    setBackend(mockBackend({ withdrawConsentFromMessage }));
    render(TimelineItem, props({ asks_to_stop: true }));

    const button = screen.getByTestId('timeline-withdraw-consent');
    expect(button.textContent?.trim()).toBe('Ghi nhận rút lại đồng ý');
    const before = get(dataVersion);
    await fireEvent.click(button);

    await waitFor(() => expect(withdrawConsentFromMessage).toHaveBeenCalledWith('i1'));
    await waitFor(() => expect(screen.queryByTestId('timeline-withdraw-consent')).toBeNull());
    expect(get(toasts).map((toast) => [toast.kind, toast.message])).toEqual([
      ['success', 'Đã ghi nhận khách rút lại đồng ý nhận tin qua Zalo'],
    ]);
    expect(get(dataVersion)).toBeGreaterThan(before);
  });

  it('keeps the button and shows the error when the backend refuses', async () => {
    lang.set('en');
    setBackend(
      mockBackend({
        withdrawConsentFromMessage: () =>
          Promise.reject(
            new BackendError('invalid_input', 'not a customer message', null, 'consent.not_a_customer_message', {}),
          ),
      }),
    );
    render(TimelineItem, props({ kind: 'telegram', asks_to_stop: true }));
    expect(screen.getByTestId('timeline-withdraw-consent').textContent?.trim()).toBe('Record as withdrawal');
    await fireEvent.click(screen.getByTestId('timeline-withdraw-consent'));
    await waitFor(() =>
      expect(get(toasts).map((toast) => toast.message)).toEqual([
        "Only a customer's own Telegram or Zalo message can withdraw consent",
      ]),
    );
    expect(screen.getByTestId('timeline-withdraw-consent')).toBeTruthy();
  });

  it('is not offered for our own messages, other kinds, or messages that do not ask to stop', () => {
    lang.set('vi');
    setBackend(mockBackend());
    render(TimelineItem, props({ asks_to_stop: true, direction: 'outbound' }));
    render(TimelineItem, props({ asks_to_stop: true, kind: 'email' }));
    render(TimelineItem, props({ asks_to_stop: false }));
    expect(screen.getAllByTestId('timeline-item')).toHaveLength(3);
    expect(screen.queryByTestId('timeline-withdraw-consent')).toBeNull();
  });
});

describe('a message a campaign sent', () => {
  it('is labelled with the campaign, as text', () => {
    lang.set('vi');
    render(TimelineItem, props({ direction: 'outbound', campaign_id: 'cp1', campaign_name: '<b>Tri ân</b> khách cũ' }));
    expect(screen.getByTestId('timeline-item-campaign').textContent?.trim()).toBe('Chiến dịch: <b>Tri ân</b> khách cũ');
  });

  it('says "Campaign" in English, and nothing for a message sent by hand', () => {
    lang.set('en');
    render(TimelineItem, props({ direction: 'outbound', campaign_id: 'cp1', campaign_name: 'Spring sale' }));
    render(TimelineItem, props({ direction: 'outbound' }));
    expect(screen.getAllByTestId('timeline-item-campaign').map((el) => el.textContent?.trim())).toEqual([
      'Campaign: Spring sale',
    ]);
  });
});
