import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { customerFixture } from '../test/customerFixture';
import { lang } from '../lib/i18n';
import CustomerForm from './CustomerForm.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('CustomerForm: Zalo number', () => {
  it('copies the phone into "Số Zalo" as it is typed, until the Zalo field is edited', async () => {
    lang.set('vi');
    const createCustomer = vi.fn(() => new Promise<never>(() => {}));
    setBackend(mockBackend({ createCustomer }));
    render(CustomerForm);

    const phone = screen.getByTestId('customer-form-phone') as HTMLInputElement;
    const zalo = screen.getByTestId('customer-form-zalo-phone') as HTMLInputElement;
    await fireEvent.input(phone, { target: { value: '0912' } });
    expect(zalo.value).toBe('0912');
    await fireEvent.input(phone, { target: { value: '0912 345 678' } });
    expect(zalo.value).toBe('0912 345 678');

    // The salesperson's own Zalo number wins, and the phone no longer moves it.
    await fireEvent.input(zalo, { target: { value: '0987 654 321' } });
    await fireEvent.input(phone, { target: { value: '0912 345 679' } });
    expect(zalo.value).toBe('0987 654 321');

    await fireEvent.input(screen.getByTestId('customer-form-name'), { target: { value: 'Nguyễn Thị Lan' } });
    await fireEvent.click(screen.getByTestId('customer-form-save'));
    await waitFor(() => expect(createCustomer).toHaveBeenCalled());
    expect(createCustomer).toHaveBeenCalledWith(
      expect.objectContaining({ phones: [{ number: '0912 345 679' }], zalo_phone: '0987 654 321' }),
      false,
    );
  });

  it('leaves a saved customer’s Zalo number alone when the phone is edited', async () => {
    lang.set('vi');
    const customer = customerFixture({
      phones: [{ id: 'p1', number: '+84912345678', display: '0912 345 678', label: null, is_primary: true }],
      zalo_phone: '+84987654321',
      zalo_phone_display: '0987 654 321',
    });
    setBackend(mockBackend({ getCustomer: () => Promise.resolve(customer) }));
    render(CustomerForm, { editId: 'c1' });

    const phone = (await screen.findByTestId('customer-form-phone')) as HTMLInputElement;
    const zalo = screen.getByTestId('customer-form-zalo-phone') as HTMLInputElement;
    const before = zalo.value;
    await fireEvent.input(phone, { target: { value: '0912 000 111' } });
    expect(zalo.value).toBe(before);
    expect(zalo.value).not.toBe('0912 000 111');
  });
});
