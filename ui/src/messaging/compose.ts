// The logic of one compose: a fixed idempotency key, when sending is allowed, and the two ways a
// message leaves (queued for the background sender, or assisted through the salesperson's own app).
import type { Backend } from '../lib/backend';
import type { AssistedSend } from '../lib/bindings/AssistedSend';
import type { ComposeRequest } from '../lib/bindings/ComposeRequest';
import type { OutboxMessage } from '../lib/bindings/OutboxMessage';
import type { Rendered } from '../lib/bindings/Rendered';
import type { SendChannel } from '../lib/bindings/SendChannel';
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
  | { kind: 'assisted'; prepared: AssistedSend; copied: boolean; request: ComposeRequest };

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
   * wait for `confirm` once the salesperson says they sent it.
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
    await b.openChat(prepared.url);
    return { kind: 'assisted', prepared, copied, request };
  }

  /** Records an assisted send as sent, with the very request that prepared it. */
  confirm(request: ComposeRequest): Promise<OutboxMessage> {
    return this.deps.backend().confirmAssisted(request);
  }
}
