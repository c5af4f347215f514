import { describe, expect, it } from 'vitest';
import { zaloContactName, zaloContactPrefill } from './zaloContactModel';

const contact = { user_id: '8412345', display_name: ' Lan Phạm ', last_inbound_at: 1, last_inbound_text: 'Chào' };

describe('zaloContactModel', () => {
  it('names a contact by their Zalo name, or by their id when Zalo gave none', () => {
    expect(zaloContactName(contact, 'vi')).toBe('Lan Phạm');
    expect(zaloContactName({ ...contact, display_name: null }, 'vi')).toBe('Người dùng Zalo 8412345');
    expect(zaloContactName({ ...contact, display_name: '  ' }, 'en')).toBe('Zalo user 8412345');
  });

  it('opens the new-customer form on their name and Zalo user id', () => {
    expect(zaloContactPrefill(contact)).toEqual({ full_name: 'Lan Phạm', zalo_id: '8412345' });
    expect(zaloContactPrefill({ ...contact, display_name: null })).toEqual({ full_name: '', zalo_id: '8412345' });
  });
});
