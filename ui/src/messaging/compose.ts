// The logic of one compose: a fixed idempotency key, when sending is allowed, and the two ways a
// message leaves (queued for the background sender, or assisted through the salesperson's own app).
import type { Backend } from '../lib/backend';
import type { AssistedSend } from '../lib/bindings/AssistedSend';
import type { ComposeRequest } from '../lib/bindings/ComposeRequest';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import type { Rendered } from '../lib/bindings/Rendered';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { MessageKey, Params } from '../lib/i18n';
import { isAssisted } from './channels';
import { copyText } from './clipboard';

export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // Older webviews: still unique enough for one person's outbox.
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

export type SendOutcome =
  | { kind: 'queued'; message: OutboxMessage }
  | {
      kind: 'assisted';
      prepared: AssistedSend;
      copied: boolean;
      request: ComposeRequest;
      /** Why the chat did not open (no app, no browser, refused); null when it opened. */
      openError: unknown;
    };

export type ComposeDeps = {
  backend: () => Backend;
  copy?: (text: string) => Promise<boolean>;
  makeKey?: () => string;
};

/** Whether the send button can be pressed. */
export function canSend(state: {
  templateId: string;
  rendered: Rendered | null;
  sending: boolean;
}): boolean {
  if (state.sending || state.templateId === '') return false;
  return state.rendered !== null && state.rendered.missing.length === 0;
}

/**
 * The variables a render left empty, split by whose they are: `{{me.*}}` are the salesperson's
 * own details, filled in Settings, and not something to add to the customer's profile.
 */
export function splitMissing(missing: readonly string[]): { customer: string[]; mine: string[] } {
  const mine = missing.filter((name) => name.startsWith('me.'));
  return { customer: missing.filter((name) => !name.startsWith('me.')), mine };
}

export class ComposeSession {
  /** Made once when the panel opens: a double click, or a retry after a lost reply, sends once. */
  readonly idempotencyKey: string;
  readonly customerId: string;
  private readonly deps: ComposeDeps;

  constructor(customerId: string, deps: ComposeDeps) {
    this.customerId = customerId;
    this.deps = deps;
    this.idempotencyKey = (deps.makeKey ?? newIdempotencyKey)();
  }

  request(templateId: string, channel: SendChannel): ComposeRequest {
    return {
      customer_id: this.customerId,
      template_id: templateId,
      channel,
      idempotency_key: this.idempotencyKey,
    };
  }

  /**
   * Automatic channels queue the message. Personal channels copy the text, open the chat, and
   * wait for `confirm` once the salesperson says they sent it. A chat that cannot be opened does
   * not fail the send: the text is ready and the salesperson can open the chat by hand.
   */
  async send(templateId: string, channel: SendChannel): Promise<SendOutcome> {
    const request = this.request(templateId, channel);
    const b = this.deps.backend();
    if (!isAssisted(channel)) {
      const message = await b.sendMessage(request);
      return { kind: 'queued', message };
    }
    const prepared = await b.prepareAssisted(request);
    const copied = await (this.deps.copy ?? copyText)(prepared.text);
    let openError: unknown = null;
    try {
      await b.openChat(prepared.url);
    } catch (error) {
      openError = error ?? new Error('the chat could not be opened');
    }
    return { kind: 'assisted', prepared, copied, request, openError };
  }

  /** Records an assisted send as sent, with the very request that prepared it. */
  confirm(request: ComposeRequest): Promise<OutboxMessage> {
    return this.deps.backend().confirmAssisted(request);
  }
}

/**
 * How to open the chat by hand when Tend could not: which app, and whom to look for there (the
 * phone number or @username the chat link points at; `fallback`, e.g. the customer's name, when
 * the link names nobody).
 */
export function openByHand(channel: SendChannel, url: string, fallback: string): { key: MessageKey; params: Params } | null {
  let name = '';
  try {
    name = decodeURIComponent(new URL(url).pathname.replace(/^\/+/, '')).split('/')[0];
  } catch {
    // An unreadable link names nobody; the fallback still says whom to look for.
  }
  if (channel === 'zalo_personal') return { key: 'compose.openByHand.zalo', params: { phone: name || fallback } };
  if (channel === 'telegram_personal') {
    return { key: 'compose.openByHand.telegram', params: { username: name ? `@${name}` : fallback } };
  }
  return null;
}
