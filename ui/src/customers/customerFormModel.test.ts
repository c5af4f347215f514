import { describe, expect, it } from 'vitest';
import { zaloAfterPhone, zaloFollowsPhoneAtStart } from './customerFormModel';

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
