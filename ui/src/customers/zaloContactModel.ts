// Unknown Zalo contacts as the screen shows them: who they are when Zalo gave no name, and what
// the new-customer form starts from for one.
import type { ZaloContact } from '../lib/bindings/ZaloContact';
import { translate, type Lang } from '../lib/i18n';
import type { NewCustomerPrefill } from '../lib/router';

/** The contact's Zalo display name, or "Zalo user <id>" when Zalo gave none. */
export function zaloContactName(contact: ZaloContact, lang: Lang): string {
  const name = contact.display_name?.trim() ?? '';
  return name !== '' ? name : translate(lang, 'zaloContacts.unnamed', { id: contact.user_id });
}

/**
 * The new-customer form for this contact: their Zalo name as the full name (left empty when Zalo
 * gave none, for the salesperson to type) and their Zalo user id, so saving takes them off the
 * unknown contacts.
 */
export function zaloContactPrefill(contact: ZaloContact): NewCustomerPrefill {
  return { full_name: contact.display_name?.trim() ?? '', zalo_id: contact.user_id };
}
