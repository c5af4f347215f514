import type { Customer } from '../lib/bindings/Customer';

/** A stored customer for tests: Nguyễn Thị Lan with nothing else set, plus `overrides`. */
export function customerFixture(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'c1',
    full_name: 'Nguyễn Thị Lan',
    given_name: 'Lan',
    phones: [],
    email: null,
    company_name: null,
    address: null,
    birthday: null,
    zalo_id: null,
    zalo_phone: null,
    zalo_phone_display: null,
    telegram_id: null,
    telegram_username: null,
    source: null,
    lifecycle_stage: 'active',
    temperature: null,
    tags: [],
    notes: null,
    pinned_notes: [],
    last_contact_date: null,
    total_interactions: 0,
    next_follow_up_date: null,
    created_at: 0,
    updated_at: 0,
    deleted_at: null,
    do_not_contact: false,
    do_not_contact_at: null,
    ...overrides,
  };
}
