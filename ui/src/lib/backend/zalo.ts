import type { ZaloContact } from '../bindings/ZaloContact';
import { call } from './call';

export interface ZaloBackend {
  /** Zalo users who wrote to the OA and match no customer, newest first (dismissed ones left out). */
  listUnknownZaloContacts(): Promise<ZaloContact[]>;
  /**
   * Gives the customer this Zalo user id and logs the contact's last message on their timeline;
   * the contact then leaves the list. Rejects with `not_found.zalo_contact`,
   * `not_found.customer` or `customer.in_bin`.
   */
  linkZaloContact(userId: string, customerId: string): Promise<null>;
  /** Hides the contact from the list for good; rejects with `not_found.zalo_contact`. */
  dismissZaloContact(userId: string): Promise<null>;
  /**
   * Asks the Zalo reader to read the OA's conversations now. Answers at once; "data changed"
   * follows if the reading found anything new.
   */
  readZaloNow(): Promise<null>;
}

export const tauriZalo: ZaloBackend = {
  listUnknownZaloContacts: () => call('list_unknown_zalo_contacts', {}),
  linkZaloContact: (userId, customerId) => call('link_zalo_contact', { userId, customerId }),
  dismissZaloContact: (userId) => call('dismiss_zalo_contact', { userId }),
  readZaloNow: () => call('read_zalo_now', {}),
};
