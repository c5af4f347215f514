// What a customer said about being contacted, as the screens word it: the state of each channel,
// the channel a send goes on, and whether sending by hand should warn first.
import type { ConsentChannel } from '../lib/bindings/ConsentChannel';
import type { ConsentMethod } from '../lib/bindings/ConsentMethod';
import type { ConsentRecord } from '../lib/bindings/ConsentRecord';
import type { ContactBlock } from '../lib/bindings/ContactBlock';
import type { CustomerConsent } from '../lib/bindings/CustomerConsent';
import type { InteractionKind } from '../lib/bindings/InteractionKind';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { MessageKey } from '../lib/i18n';

/** A channel consent is kept for; `all` ("do not contact") is shown apart. */
export type MessagingChannel = Exclude<ConsentChannel, 'all'>;

/** In the order the consent panel lists them. */
export const CONSENT_CHANNELS: readonly MessagingChannel[] = ['telegram', 'zalo', 'email'];

/**
 * The ways the salesperson can record by hand. `message` is left out: it is recorded from the
 * customer's own message on the timeline, which links the record to it.
 */
export const RECORDABLE_METHODS: readonly ConsentMethod[] = ['in_person', 'form', 'imported', 'phone', 'other'];

export const CONSENT_CHANNEL_LABELS: Record<ConsentChannel, MessageKey> = {
  telegram: 'consent.channel.telegram',
  zalo: 'consent.channel.zalo',
  email: 'consent.channel.email',
  all: 'consent.channel.all',
};

export const CONTACT_BLOCK_LABELS: Record<ContactBlock, MessageKey> = {
  do_not_contact: 'plan.blocked.do_not_contact',
  consent_withdrawn: 'plan.blocked.consent_withdrawn',
  no_consent: 'plan.blocked.no_consent',
};

/** The consent channel a message sent on `channel` is covered by (the bot and one's own Telegram alike). */
export function consentChannelOf(channel: SendChannel): MessagingChannel {
  switch (channel) {
    case 'telegram':
    case 'telegram_personal':
      return 'telegram';
    case 'zalo_oa':
    case 'zalo_auto':
    case 'zalo_template':
    case 'zalo_personal':
      return 'zalo';
    case 'email':
      return 'email';
  }
}

/** The channel a customer's message came in on, when consent can be withdrawn by it. */
export function consentChannelOfKind(kind: InteractionKind): MessagingChannel | null {
  return kind === 'telegram' || kind === 'zalo' ? kind : null;
}

/** The latest record of `channel`, or null when nothing was ever recorded for it. */
export function currentOn(consent: CustomerConsent, channel: ConsentChannel): ConsentRecord | null {
  const current = consent.current.find((record) => record.channel === channel);
  if (current) return current;
  // `current` holds the latest of each channel; the history is the fallback if it lacks one.
  return newestFirst(consent.history).find((record) => record.channel === channel) ?? null;
}

/** The history as the panel lists it: newest first, whatever order it came in. */
export function newestFirst(history: readonly ConsentRecord[]): ConsentRecord[] {
  return [...history].sort((a, b) => b.recorded_at - a.recorded_at);
}

/** Why a message sent by hand on `channel` deserves a warning, or null when nothing was said against it. */
export type SendWarning =
  | { kind: 'do_not_contact'; since: number | null }
  | { kind: 'withdrawn'; channel: MessagingChannel; at: number };

export function sendWarning(
  doNotContact: { do_not_contact: boolean; do_not_contact_at: number | null },
  consent: CustomerConsent | null,
  channel: SendChannel,
): SendWarning | null {
  if (doNotContact.do_not_contact || consent?.do_not_contact) {
    return { kind: 'do_not_contact', since: doNotContact.do_not_contact_at ?? consent?.do_not_contact_at ?? null };
  }
  if (consent === null) return null;
  const on = consentChannelOf(channel);
  const latest = currentOn(consent, on);
  return latest?.state === 'withdrawn' ? { kind: 'withdrawn', channel: on, at: latest.recorded_at } : null;
}
