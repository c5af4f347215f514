import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { CustomerInput } from '../lib/bindings/CustomerInput';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { customerFixture } from '../test/customerFixture';
import { mockBackend } from '../test/mockBackend';
import CustomerForm from './CustomerForm.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('the "do not contact" checkbox of the customer form', () => {
  it('is sent ticked with a new customer, and says what it means', async () => {
    lang.set('vi');
    const createCustomer = vi.fn((input: CustomerInput) =>
      Promise.resolve({ kind: 'saved' as const, customer: customerFixture({ full_name: input.full_name, do_not_contact: true }) }),
    );
    setBackend(mockBackend({ createCustomer }));
    render(CustomerForm);

    const box = screen.getByTestId('customer-form-do-not-contact') as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.closest('label')?.textContent?.trim()).toBe('Không liên hệ (khách yêu cầu không nhận tin)');
    expect(document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      'Không chiến dịch hay kịch bản nào gửi tin cho khách này',
    );

    await fireEvent.input(screen.getByTestId('customer-form-name'), { target: { value: 'Trần Văn Bình' } });
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId('customer-form-save'));

    await waitFor(() => expect(createCustomer).toHaveBeenCalledTimes(1));
    expect(createCustomer.mock.calls[0][0]).toEqual(
      expect.objectContaining({ full_name: 'Trần Văn Bình', do_not_contact: true }),
    );
  });

  it('opens ticked for a customer who asked not to be contacted, and unticking is a change over the base', async () => {
    lang.set('en');
    const stored = customerFixture({ do_not_contact: true, do_not_contact_at: Date.UTC(2025, 2, 1) });
    const updateCustomer = vi.fn(() => Promise.resolve({ kind: 'saved' as const, customer: stored }));
    setBackend(mockBackend({ getCustomer: () => Promise.resolve(stored), updateCustomer }));
    render(CustomerForm, { props: { editId: 'c1' } });

    const box = (await screen.findByTestId('customer-form-do-not-contact')) as HTMLInputElement;
    await waitFor(() => expect(box.checked).toBe(true));
    expect(box.closest('label')?.textContent?.trim()).toBe('Do not contact (the customer asked not to get messages)');

    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId('customer-form-save'));

    await waitFor(() => expect(updateCustomer).toHaveBeenCalledTimes(1));
    expect(updateCustomer).toHaveBeenCalledWith(
      'c1',
      expect.objectContaining({ do_not_contact: false }),
      false,
      expect.objectContaining({ do_not_contact: true }),
    );
  });
});
