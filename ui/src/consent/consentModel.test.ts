import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../lib/bindings/ConsentRecord';
import type { CustomerConsent } from '../lib/bindings/CustomerConsent';
import { consentChannelOf, consentChannelOfKind, currentOn, newestFirst, sendWarning } from './consentModel';

function record(patch: Partial<ConsentRecord>): ConsentRecord {
  return {
    id: 'r1',
    customer_id: 'c1',
    channel: 'zalo',
    state: 'given',
    method: 'in_person',
    note: null,
    interaction_id: null,
    recorded_at: 0,
    ...patch,
  };
}

const none = { do_not_contact: false, do_not_contact_at: null };

function consent(history: ConsentRecord[], patch: Partial<CustomerConsent> = {}): CustomerConsent {
  const latest = new Map<string, ConsentRecord>();
  for (const r of newestFirst(history)) if (!latest.has(r.channel)) latest.set(r.channel, r);
  return { ...none, current: [...latest.values()], history, ...patch };
}

describe('consent channels', () => {
  it('covers a send by the consent of its medium, whichever way it goes', () => {
    expect(consentChannelOf('telegram')).toBe('telegram');
    expect(consentChannelOf('telegram_personal')).toBe('telegram');
    for (const zalo of ['zalo_oa', 'zalo_auto', 'zalo_template', 'zalo_personal'] as const) {
      expect(consentChannelOf(zalo)).toBe('zalo');
    }
    expect(consentChannelOf('email')).toBe('email');
  });

  it('lets only Telegram and Zalo messages withdraw consent', () => {
    expect(consentChannelOfKind('telegram')).toBe('telegram');
    expect(consentChannelOfKind('zalo')).toBe('zalo');
    expect(consentChannelOfKind('email')).toBeNull();
    expect(consentChannelOfKind('call')).toBeNull();
  });

  it('reads the latest record of a channel, and none for a channel never recorded', () => {
    const given = record({ id: 'a', state: 'given', recorded_at: 1 });
    const withdrawn = record({ id: 'b', state: 'withdrawn', recorded_at: 5 });
    const c = consent([given, withdrawn]);
    expect(currentOn(c, 'zalo')?.id).toBe('b');
    expect(currentOn(c, 'email')).toBeNull();
    expect(newestFirst([given, withdrawn]).map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('the warning before sending by hand', () => {
  it('warns about "do not contact" on every channel, with its date', () => {
    const warning = sendWarning({ do_not_contact: true, do_not_contact_at: 42 }, null, 'email');
    expect(warning).toEqual({ kind: 'do_not_contact', since: 42 });
  });

  it('warns about a withdrawal only on the channel it was withdrawn on', () => {
    const c = consent([record({ channel: 'zalo', state: 'withdrawn', recorded_at: 7 })]);
    expect(sendWarning(none, c, 'zalo_personal')).toEqual({ kind: 'withdrawn', channel: 'zalo', at: 7 });
    expect(sendWarning(none, c, 'telegram')).toBeNull();
  });

  it('says nothing when consent was given again after a withdrawal, or never recorded', () => {
    const c = consent([
      record({ id: 'a', state: 'withdrawn', recorded_at: 1 }),
      record({ id: 'b', state: 'given', recorded_at: 2 }),
    ]);
    expect(sendWarning(none, c, 'zalo_oa')).toBeNull();
    expect(sendWarning(none, consent([]), 'email')).toBeNull();
  });
});
