import type { Customer } from '../bindings/Customer';
import type { CustomerDetail } from '../bindings/CustomerDetail';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { CustomerListQuery } from '../bindings/CustomerListQuery';
import type { CustomerSummary } from '../bindings/CustomerSummary';
import type { Note } from '../bindings/Note';
import type { Page } from '../bindings/Page';
import type { SaveOutcome } from '../bindings/SaveOutcome';
import type { SearchPage } from '../bindings/SearchPage';
import type { Tag } from '../bindings/Tag';
import { call } from './call';

export interface CustomersBackend {
  listCustomers(query: CustomerListQuery): Promise<Page<CustomerSummary>>;
  searchCustomers(query: string, limit: number): Promise<CustomerSummary[]>;
  /** One page of matches plus how many match in all, so the list can show the total and page on. */
  searchCustomersPage(query: string, offset: number, limit: number): Promise<SearchPage>;
  getCustomer(id: string): Promise<Customer>;
  openCustomer(id: string): Promise<CustomerDetail>;
  createCustomer(input: CustomerInput, allowDuplicates: boolean): Promise<SaveOutcome>;
  /** `base` is what the form was opened on: only the fields changed from it are written, so a
   * change Tend made meanwhile (a Telegram binding) is kept. */
  updateCustomer(id: string, input: CustomerInput, allowDuplicates: boolean, base?: CustomerInput): Promise<SaveOutcome>;
  deleteCustomer(id: string): Promise<null>;
  restoreCustomer(id: string): Promise<Customer>;
  listTags(): Promise<Tag[]>;
  addNote(customerId: string, body: string, pinned: boolean): Promise<Note>;
  deleteNote(id: string): Promise<null>;
}

export const tauriCustomers: CustomersBackend = {
  listCustomers: (query) => call('list_customers', { query }),
  searchCustomers: (query, limit) => call('search_customers', { query, limit }),
  searchCustomersPage: (query, offset, limit) => call('search_customers_page', { query, offset, limit }),
  getCustomer: (id) => call('get_customer', { id }),
  openCustomer: (id) => call('open_customer', { id }),
  createCustomer: (input, allowDuplicates) => call('create_customer', { input, allowDuplicates }),
  updateCustomer: (id, input, allowDuplicates, base) =>
    call('update_customer', { id, input, allowDuplicates, base: base ?? null }),
  deleteCustomer: (id) => call('delete_customer', { id }),
  restoreCustomer: (id) => call('restore_customer', { id }),
  listTags: () => call('list_tags'),
  addNote: (customerId, body, pinned) => call('add_note', { customerId, body, pinned }),
  deleteNote: (id) => call('delete_note', { id }),
};
