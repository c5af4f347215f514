import type { Customer } from '../lib/bindings/Customer';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { TemplateChannel } from '../lib/bindings/TemplateChannel';
import type { MessageKey } from '../lib/i18n';

/** In the order the compose form offers them. */
export const SEND_CHANNELS: readonly SendChannel[] = [
  'telegram',
  'zalo_oa',
  'zalo_personal',
  'telegram_personal',
  'email',
];

export const CHANNEL_LABELS: Record<SendChannel, MessageKey> = {
  telegram: 'channel.telegram',
  zalo_oa: 'channel.zalo_oa',
  zalo_personal: 'channel.zalo_personal',
  telegram_personal: 'channel.telegram_personal',
  email: 'channel.email',
};

/** Channels Tend delivers by itself; the others are sent by the salesperson from their own app. */
export function isAutomatic(channel: SendChannel): boolean {
  return channel === 'telegram' || channel === 'zalo_oa' || channel === 'email';
}

export function isAssisted(channel: SendChannel): boolean {
  return !isAutomatic(channel);
}

/** Which templates fit a send channel (the backend adds `any` templates to every channel). */
export function templateChannelFor(channel: SendChannel): TemplateChannel {
  switch (channel) {
    case 'telegram':
    case 'telegram_personal':
      return 'telegram';
    case 'zalo_oa':
    case 'zalo_personal':
      return 'zalo';
    case 'email':
      return 'email';
  }
}

type Reachable = Pick<Customer, 'zalo_id' | 'zalo_phone' | 'phones' | 'telegram_id' | 'telegram_username' | 'email'>;

/**
 * The channel the compose panel opens on: the one the salesperson chose, else the one this
 * customer can be reached on. Zalo comes before Telegram because that is where Vietnamese
 * customers read their messages, and each app's automatic channel before its personal one since
 * it needs no copy and paste. Personal Zalo works from any phone number, so a primary phone is
 * enough. Email is for customers with nothing else: it is read late, if at all.
 */
export function defaultChannel(customer: Reachable, chosen: SendChannel | null = null): SendChannel {
  if (chosen !== null) return chosen;
  if (customer.zalo_id) return 'zalo_oa';
  if (customer.zalo_phone || customer.phones.some((phone) => phone.is_primary && phone.number)) return 'zalo_personal';
  if (customer.telegram_id) return 'telegram';
  if (customer.telegram_username) return 'telegram_personal';
  if (customer.email) return 'email';
  // Nobody to reach yet: Zalo is the likeliest, and the error beside the channel says what to add.
  return 'zalo_personal';
}
