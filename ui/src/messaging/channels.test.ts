import { describe, expect, it } from 'vitest';
import { customerFixture } from '../test/customerFixture';
import type { Phone } from '../lib/bindings/Phone';
import type { Template } from '../lib/bindings/Template';
import { defaultChannel, fitsChannel, isAssisted, isZaloRouted, templateChannelFor, templateFilterFor, templatesFor } from './channels';

const phone = (number: string, is_primary: boolean): Phone => ({
  id: `p-${number}`,
  number,
  display: number,
  label: null,
  is_primary,
});

describe('defaultChannel', () => {
  it('prefers Zalo OA when the customer has a Zalo user id, whatever else they have', () => {
    const customer = customerFixture({
      zalo_id: 'z1',
      zalo_phone: '+84912345678',
      telegram_id: '123',
      telegram_username: 'lan',
      email: 'lan@example.vn',
    });
    expect(defaultChannel(customer)).toBe('zalo_oa');
  });

  it('opens personal Zalo from a Zalo number, or failing that a primary phone', () => {
    expect(defaultChannel(customerFixture({ zalo_phone: '+84912345678', telegram_id: '123', email: 'a@b.vn' }))).toBe(
      'zalo_personal',
    );
    expect(defaultChannel(customerFixture({ phones: [phone('+84912345678', true)], email: 'a@b.vn' }))).toBe(
      'zalo_personal',
    );
  });

  it('goes to Telegram only without Zalo: the bot first, then the personal chat', () => {
    expect(defaultChannel(customerFixture({ telegram_id: '123', telegram_username: 'lan', email: 'a@b.vn' }))).toBe(
      'telegram',
    );
    expect(defaultChannel(customerFixture({ telegram_username: 'lan', email: 'a@b.vn' }))).toBe('telegram_personal');
    // A phone that is not the primary one does not count: personal Zalo would not find it.
    expect(defaultChannel(customerFixture({ phones: [phone('+84912345678', false)], telegram_username: 'lan' }))).toBe(
      'telegram_personal',
    );
  });

  it('picks email only when the customer has an email and nothing else', () => {
    expect(defaultChannel(customerFixture({ email: 'lan@example.vn' }))).toBe('email');
  });

  it('falls back to personal Zalo for a customer with no way to reach them yet', () => {
    expect(defaultChannel(customerFixture())).toBe('zalo_personal');
  });

  it('keeps the channel the salesperson chose', () => {
    const customer = customerFixture({ zalo_id: 'z1', email: 'lan@example.vn' });
    expect(defaultChannel(customer, 'email')).toBe('email');
    expect(defaultChannel(customer, 'telegram_personal')).toBe('telegram_personal');
    expect(defaultChannel(customer, null)).toBe('zalo_oa');
  });
});

describe('the Zalo automatic and Zalo template channels', () => {
  type Fit = Pick<Template, 'channel' | 'zalo_template_id'>;
  const text = (channel: Template['channel'], zalo_template_id: string | null = null): Fit => ({ channel, zalo_template_id });

  it('are sent by Tend and have a route', () => {
    for (const channel of ['zalo_auto', 'zalo_template'] as const) {
      expect(isAssisted(channel)).toBe(false);
      expect(isZaloRouted(channel)).toBe(true);
    }
    expect(isZaloRouted('zalo_oa')).toBe(false);
    expect(isZaloRouted('zalo_personal')).toBe(false);
  });

  it('take Zalo texts, and Zalo templates or texts mapped to one', () => {
    expect(templateChannelFor('zalo_auto')).toBe('zalo');
    expect(templateChannelFor('zalo_template')).toBe('zalo_template');
    expect(templateFilterFor('zalo_auto')).toEqual({ channel: 'zalo', category: null });
    // The backend's filter by channel would leave out the mapped Zalo and any-channel texts.
    expect(templateFilterFor('zalo_template')).toEqual({ channel: null, category: null });

    expect(fitsChannel(text('zalo_template', 'zt1'), 'zalo_template')).toBe(true);
    expect(fitsChannel(text('zalo', 'zt1'), 'zalo_template')).toBe(true);
    expect(fitsChannel(text('any', 'zt1'), 'zalo_template')).toBe(true);
    expect(fitsChannel(text('any'), 'zalo_template')).toBe(false);
    expect(fitsChannel(text('zalo'), 'zalo_template')).toBe(false);
    expect(fitsChannel(text('email', 'zt1'), 'zalo_template')).toBe(false);
    expect(fitsChannel(text('zalo'), 'zalo_auto')).toBe(true);
    expect(fitsChannel(text('zalo_template', 'zt1'), 'zalo_auto')).toBe(false);

    const all = [text('zalo_template', 'zt1'), text('zalo'), text('any', 'zt2'), text('telegram')];
    expect(templatesFor('zalo_template', all)).toEqual([all[0], all[2]]);
    expect(templatesFor('zalo_auto', all)).toBe(all);
  });
});
