import type { AssistedItem } from '../bindings/AssistedItem';
import type { OutboxCounts } from '../bindings/OutboxCounts';
import type { OutboxMessage } from '../bindings/OutboxMessage';
import type { OutboxQuery } from '../bindings/OutboxQuery';
import type { Page } from '../bindings/Page';
import { call } from './call';

export interface OutboxBackend {
  listOutbox(query: OutboxQuery): Promise<Page<OutboxMessage>>;
  outboxCounts(): Promise<OutboxCounts>;
  retryMessage(id: string): Promise<OutboxMessage>;
  cancelMessage(id: string): Promise<OutboxMessage>;
  /** Tells the sender the network is back, so waiting messages go out now. */
  networkOnline(): Promise<null>;
  /** Personal Zalo and Telegram messages that scenario steps prepared, waiting to be sent by hand. */
  assistedQueue(): Promise<AssistedItem[]>;
  /**
   * The salesperson sent a waiting personal message from their own app (`sent`: it goes on the
   * timeline and its scenario step is done), or skipped it.
   */
  finishAssisted(id: string, sent: boolean): Promise<OutboxMessage>;
}

export const tauriOutbox: OutboxBackend = {
  listOutbox: (query) => call('list_outbox', { query }),
  outboxCounts: () => call('outbox_counts', {}),
  retryMessage: (id) => call('retry_message', { id }),
  cancelMessage: (id) => call('cancel_message', { id }),
  networkOnline: () => call('network_online', {}),
  assistedQueue: () => call('assisted_queue', {}),
  finishAssisted: (id, sent) => call('finish_assisted', { id, sent }),
};
