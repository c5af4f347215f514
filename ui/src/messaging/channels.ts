import type { Customer } from '../lib/bindings/Customer';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { Template } from '../lib/bindings/Template';
import type { TemplateChannel } from '../lib/bindings/TemplateChannel';
import type { TemplateFilter } from '../lib/bindings/TemplateFilter';
import type { MessageKey } from '../lib/i18n';

/** In the order the compose form offers them. */
export const SEND_CHANNELS: readonly SendChannel[] = [
  'telegram',
  'zalo_oa',
  'zalo_auto',
  'zalo_template',
  'zalo_personal',
  'telegram_personal',
  'email',
];

export const CHANNEL_LABELS: Record<SendChannel, MessageKey> = {
  telegram: 'channel.telegram',
  zalo_oa: 'channel.zalo_oa',
  zalo_auto: 'channel.zalo_auto',
  zalo_template: 'channel.zalo_template',
  zalo_personal: 'channel.zalo_personal',
  telegram_personal: 'channel.telegram_personal',
  email: 'channel.email',
};

/** Channels Tend delivers by itself; the others are sent by the salesperson from their own app. */
export function isAutomatic(channel: SendChannel): boolean {
  return (
    channel === 'telegram' ||
    channel === 'zalo_oa' ||
    channel === 'email' ||
    channel === 'zalo_auto' ||
    channel === 'zalo_template'
  );
}

/**
 * Zalo (automatic) and Zalo template messages: Tend chooses their route (a free reply, a
 * consultation message, a paid Zalo template message, or the salesperson's own Zalo), which the
 * compose panel and the plan preview show with its cost.
 */
export function isZaloRouted(channel: SendChannel): boolean {
  return channel === 'zalo_auto' || channel === 'zalo_template';
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
    case 'zalo_auto':
      return 'zalo';
    case 'zalo_template':
      return 'zalo_template';
    case 'email':
      return 'email';
  }
}

/**
 * How the compose panel asks for the templates of a channel. A Zalo template message also goes
 * from a Zalo or any-channel text mapped to a Zalo template, which a filter by channel leaves
 * out: that channel asks for every template, and `fitsChannel` keeps the ones that fit.
 */
export function templateFilterFor(channel: SendChannel): TemplateFilter {
  return { channel: channel === 'zalo_template' ? null : templateChannelFor(channel), category: null };
}

/** Whether a template can be sent on `channel`, as the backend checks it on a send. */
export function fitsChannel(template: Pick<Template, 'channel' | 'zalo_template_id'>, channel: SendChannel): boolean {
  if (channel === 'zalo_template') {
    return (
      template.channel === 'zalo_template' ||
      ((template.channel === 'zalo' || template.channel === 'any') && template.zalo_template_id !== null)
    );
  }
  return template.channel === 'any' || template.channel === templateChannelFor(channel);
}

/**
 * The templates the compose panel offers on `channel`, from the list `templateFilterFor` asked
 * for: the backend already filtered it by channel, except for a Zalo template message.
 */
export function templatesFor<T extends Pick<Template, 'channel' | 'zalo_template_id'>>(channel: SendChannel, list: T[]): T[] {
  return channel === 'zalo_template' ? list.filter((template) => fitsChannel(template, channel)) : list;
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
