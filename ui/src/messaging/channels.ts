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

/** A sensible first channel for a customer: the first automatic channel they can be reached on. */
export function defaultChannel(customer: Pick<Customer, 'telegram_id' | 'zalo_id' | 'email'>): SendChannel {
  if (customer.telegram_id) return 'telegram';
  if (customer.zalo_id) return 'zalo_oa';
  if (customer.email) return 'email';
  return 'zalo_personal';
}
