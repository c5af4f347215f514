import { describe, expect, it } from 'vitest';
import { customerFixture } from '../test/customerFixture';
import {
  customerFormFrom,
  newCustomerForm,
  toCustomerInput,
  zaloAfterPhone,
  zaloFollowsPhoneAtStart,
} from './customerFormModel';

describe('the Zalo number following the phone', () => {
  it('follows for a new customer only', () => {
    expect(zaloFollowsPhoneAtStart(false)).toBe(true);
    expect(zaloFollowsPhoneAtStart(true)).toBe(false);
  });

  it('copies the phone while it follows, and leaves the Zalo field alone once it does not', () => {
    expect(zaloAfterPhone('0912 345', '0912 34', true)).toBe('0912 345');
    // Clearing the phone clears a Zalo number that was only its copy.
    expect(zaloAfterPhone('', '0', true)).toBe('');
    expect(zaloAfterPhone('0912 345 678', '0987 654 321', false)).toBe('0987 654 321');
  });
});

describe('"do not contact" in the form', () => {
  it('starts unticked for a new customer', () => {
    expect(toCustomerInput(newCustomerForm()).do_not_contact).toBe(false);
  });

  it('goes from the stored customer to the form and back into what is saved', () => {
    const stored = customerFixture({ do_not_contact: true, do_not_contact_at: 1_700_000_000_000 });
    const values = customerFormFrom(stored);
    expect(values.do_not_contact).toBe(true);
    expect(toCustomerInput(values).do_not_contact).toBe(true);
    expect(toCustomerInput({ ...values, do_not_contact: false }).do_not_contact).toBe(false);
  });
});
