import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import { customerFixture } from '../test/customerFixture';
import { lang } from '../lib/i18n';
import { navigate, route } from '../lib/router';
import App from '../app/App.svelte';
import CustomerForm from './CustomerForm.svelte';
import type { Customer } from '../lib/bindings/Customer';

afterEach(() => setBackend(tauriBackend));

describe('CustomerForm', () => {
  it('shows the backend field error next to the phone and keeps what was typed', async () => {
    lang.set('en');
    const createCustomer = vi.fn(() =>
      Promise.reject(
        new BackendError('invalid_input', 'not a phone', 'phone', 'phone.invalid_vietnamese', { value: '0912 34' }),
      ),
    );
    setBackend(mockBackend({ createCustomer }));

    render(CustomerForm);

    const name = screen.getByTestId('customer-form-name') as HTMLInputElement;
    const phone = screen.getByTestId('customer-form-phone') as HTMLInputElement;
    await fireEvent.input(name, { target: { value: 'Nguyễn Thị Lan' } });
    await fireEvent.input(phone, { target: { value: '0912 34' } });
    await fireEvent.click(screen.getByTestId('customer-form-save'));

    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe(
      '“0912 34” is not a valid Vietnamese phone number (for example 0912 345 678)',
    );
    // The error sits in the phone field's own block, not somewhere generic.
    expect(error.closest('.field')?.querySelector('[data-testid="customer-form-phone"]')).toBe(phone);

    expect(createCustomer).toHaveBeenCalledTimes(1);
    expect(createCustomer).toHaveBeenCalledWith(
      expect.objectContaining({ full_name: 'Nguyễn Thị Lan', phones: [{ number: '0912 34' }] }),
      false,
    );
    expect((screen.getByTestId('customer-form-name') as HTMLInputElement).value).toBe('Nguyễn Thị Lan');
    expect((screen.getByTestId('customer-form-phone') as HTMLInputElement).value).toBe('0912 34');
    expect(phone.getAttribute('aria-invalid')).toBe('true');
  });

  it('words the phone error in Vietnamese from its key, and follows a language switch', async () => {
    lang.set('vi');
    const createCustomer = vi.fn(() =>
      Promise.reject(
        new BackendError(
          'invalid_input',
          '“0912 345” is not a valid Vietnamese phone number (for example 0912 345 678)',
          'phones[0]',
          'phone.invalid_vietnamese',
          { value: '0912 345' },
        ),
      ),
    );
    setBackend(mockBackend({ createCustomer }));

    render(CustomerForm);
    await fireEvent.input(screen.getByTestId('customer-form-name'), { target: { value: 'Trần Thị Lỗi' } });
    await fireEvent.input(screen.getByTestId('customer-form-phone'), { target: { value: '0912 345' } });
    await fireEvent.click(screen.getByTestId('customer-form-save'));

    const error = await screen.findByTestId('field-error');
    expect(error.textContent?.trim()).toBe(
      '“0912 345” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)',
    );

    lang.set('en');
    await waitFor(() =>
      expect(screen.getByTestId('field-error').textContent).toContain('is not a valid Vietnamese phone number'),
    );
  });

  it('offers to save anyway when the backend reports duplicates', async () => {
    lang.set('en');
    const createCustomer = vi.fn((_input: unknown, allow: boolean) =>
      Promise.resolve(
        allow
          ? ({ kind: 'saved', customer: { id: 'new-id' } } as never)
          : ({
              kind: 'duplicates',
              matches: [
                {
                  id: 'old-id',
                  full_name: 'Trần Văn Minh',
                  phone_display: '0912 345 678',
                  email: null,
                  company_name: null,
                  lifecycle_stage: 'active',
                  temperature: null,
                  tags: [],
                  last_contact_date: null,
                  next_follow_up_date: null,
                },
              ],
            } as never),
      ),
    );
    setBackend(mockBackend({ createCustomer }));

    render(CustomerForm);
    await fireEvent.input(screen.getByTestId('customer-form-name'), { target: { value: 'Minh' } });
    await fireEvent.click(screen.getByTestId('customer-form-save'));

    expect((await screen.findByTestId('duplicate-warning')).textContent).toContain('Trần Văn Minh');
    await fireEvent.click(screen.getByTestId('duplicate-save-anyway'));
    await waitFor(() => expect(createCustomer).toHaveBeenLastCalledWith(expect.anything(), true));
  });

  it('sends what the form was opened on, so only the changed fields are written', async () => {
    lang.set('en');
    const stored: Customer = customerFixture({
      full_name: 'Đỗ Minh Khoa',
      given_name: 'Khoa',
      company_name: 'Hoa Sen',
      lifecycle_stage: 'new',
    });
    const updateCustomer = vi.fn(() => Promise.resolve({ kind: 'saved' as const, customer: stored }));
    setBackend(mockBackend({ getCustomer: () => Promise.resolve(stored), updateCustomer }));
    render(CustomerForm, { props: { editId: 'c1' } });

    const company = (await screen.findByTestId('customer-form-company')) as HTMLInputElement;
    await waitFor(() => expect(company.value).toBe('Hoa Sen'));
    await fireEvent.input(company, { target: { value: 'Hoa Sen Group' } });
    await fireEvent.click(screen.getByTestId('customer-form-save'));

    await waitFor(() => expect(updateCustomer).toHaveBeenCalledTimes(1));
    expect(updateCustomer).toHaveBeenCalledWith(
      'c1',
      expect.objectContaining({ company_name: 'Hoa Sen Group', telegram_id: null }),
      false,
      expect.objectContaining({ company_name: 'Hoa Sen', telegram_id: null }),
    );
  });
});

describe('CustomerForm with unsaved changes', () => {
  afterEach(() => {
    cleanup();
    route.set({ name: 'today' });
  });

  /** The app on a new-customer form opened from Today, so "back" has somewhere to go. */
  async function openNewForm() {
    lang.set('vi');
    setBackend(mockBackend());
    route.set({ name: 'today' });
    render(App);
    navigate({ name: 'customer-new' });
    return (await screen.findByTestId('customer-form-name')) as HTMLInputElement;
  }

  it('leaves an untouched form on Escape without asking', async () => {
    await openNewForm();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('form-discard')).toBeNull();
    expect(get(route)).toEqual({ name: 'today' });
  });

  it('asks on Escape once something was typed, keeps the typing, and leaves once discarded', async () => {
    const name = await openNewForm();
    await fireEvent.input(name, { target: { value: 'Nguyễn Thị Lan' } });

    await fireEvent.keyDown(name, { key: 'Escape' });
    const dialog = screen.getByTestId('form-discard');
    expect(dialog.textContent).toContain('Bỏ các thay đổi chưa lưu?');
    expect(screen.getByTestId('form-discard-keep').textContent).toBe('Tiếp tục sửa');
    expect(screen.getByTestId('form-discard-confirm').textContent).toBe('Bỏ thay đổi');
    expect(document.activeElement).toBe(screen.getByTestId('form-discard-keep'));

    // Escape inside the question means "keep editing", and does not reach the form.
    await fireEvent.keyDown(screen.getByTestId('form-discard-keep'), { key: 'Escape' });
    expect(screen.queryByTestId('form-discard')).toBeNull();
    expect(get(route)).toEqual({ name: 'customer-new' });
    expect((screen.getByTestId('customer-form-name') as HTMLInputElement).value).toBe('Nguyễn Thị Lan');

    // The cancel button asks the same question.
    await fireEvent.click(screen.getByText('Huỷ'));
    await fireEvent.click(screen.getByTestId('form-discard-confirm'));
    expect(get(route)).toEqual({ name: 'today' });
    await waitFor(() => expect(screen.queryByTestId('customer-form')).toBeNull());
  });

  it('asks before the navigation takes the form away', async () => {
    const name = await openNewForm();
    await fireEvent.input(name, { target: { value: 'Lan' } });
    await fireEvent.click(screen.getByTestId('nav-settings'));
    expect(screen.getByTestId('form-discard')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect(get(route)).toEqual({ name: 'customer-new' });

    await fireEvent.click(screen.getByTestId('nav-settings'));
    await fireEvent.click(screen.getByTestId('form-discard-confirm'));
    expect(get(route)).toEqual({ name: 'settings' });
  });

  it('does not ask about an edit form that was opened and left as it was', async () => {
    lang.set('vi');
    const stored = customerFixture({ phones: [], company_name: 'Hoa Sen', lifecycle_stage: 'new', temperature: 'warm' });
    setBackend(mockBackend({ getCustomer: () => Promise.resolve(stored) }));
    route.set({ name: 'today' });
    render(App);
    navigate({ name: 'customer-edit', id: 'c1' });
    const company = (await screen.findByTestId('customer-form-company')) as HTMLInputElement;
    await waitFor(() => expect(company.value).toBe('Hoa Sen'));
    await fireEvent.click(screen.getByTestId('nav-today'));
    expect(screen.queryByTestId('form-discard')).toBeNull();
    expect(get(route)).toEqual({ name: 'today' });
  });

  it('does not ask after a save', async () => {
    lang.set('vi');
    const stored = customerFixture({ company_name: 'Hoa Sen' });
    const updateCustomer = vi.fn(() => Promise.resolve({ kind: 'saved' as const, customer: stored }));
    setBackend(mockBackend({ getCustomer: () => Promise.resolve(stored), updateCustomer }));
    route.set({ name: 'today' });
    render(App);
    navigate({ name: 'customer-edit', id: 'c1' });
    const company = (await screen.findByTestId('customer-form-company')) as HTMLInputElement;
    await waitFor(() => expect(company.value).toBe('Hoa Sen'));
    await fireEvent.input(company, { target: { value: 'Hoa Sen Group' } });
    await fireEvent.click(screen.getByTestId('customer-form-save'));
    await waitFor(() => expect(get(route)).toEqual({ name: 'today' }));
    expect(screen.queryByTestId('form-discard')).toBeNull();
  });
});
