import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { Customer } from '../lib/bindings/Customer';
import { formatDate } from '../lib/format';
import { lang } from '../lib/i18n';
import { customerFixture } from '../test/customerFixture';
import { mockBackend } from '../test/mockBackend';
import CustomerDetail from './CustomerDetail.svelte';

const SINCE = new Date(2025, 6, 14, 16, 0).getTime();

function open(customer: Customer) {
  setBackend(
    mockBackend({
      openCustomer: () => Promise.resolve({ customer, timeline: { items: [], total: 0 }, open_tasks: [] }),
      customerConsent: () =>
        Promise.resolve({
          do_not_contact: customer.do_not_contact,
          do_not_contact_at: customer.do_not_contact_at,
          current: [],
          history: [],
        }),
    }),
  );
  render(CustomerDetail, { id: customer.id });
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('the customer page of someone who asked not to be contacted', () => {
  it('shows "do not contact" by the name, with its date, and the consent section', async () => {
    lang.set('vi');
    open(customerFixture({ do_not_contact: true, do_not_contact_at: SINCE }));
    const badge = await screen.findByTestId('customer-do-not-contact-badge');
    expect(badge.textContent?.trim()).toBe(`Không liên hệ từ ${formatDate(SINCE)}`);
    expect(badge.closest('header')?.querySelector('[data-testid="customer-detail-name"]')).toBeTruthy();
    const panel = screen.getByTestId('consent-panel');
    expect(panel.textContent).toContain('Đồng ý nhận tin');
    await waitFor(() => expect(screen.getByTestId('consent-do-not-contact')).toBeTruthy());
  });

  it('shows no badge for anyone else', async () => {
    lang.set('vi');
    open(customerFixture());
    await screen.findByTestId('customer-detail-name');
    await waitFor(() => expect(screen.getAllByTestId('consent-channel')).toHaveLength(3));
    expect(screen.queryByTestId('customer-do-not-contact-badge')).toBeNull();
  });
});
