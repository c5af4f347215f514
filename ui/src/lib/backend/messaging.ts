import type { AssistedSend } from '../bindings/AssistedSend';
import type { ComposeRequest } from '../bindings/ComposeRequest';
import type { OutboxMessage } from '../bindings/OutboxMessage';
import { call } from './call';

export interface MessagingBackend {
  /** Queues a message; the background sender delivers it. */
  sendMessage(request: ComposeRequest): Promise<OutboxMessage>;
  prepareAssisted(request: ComposeRequest): Promise<AssistedSend>;
  openChat(url: string): Promise<null>;
  confirmAssisted(request: ComposeRequest): Promise<OutboxMessage>;
  /** A t.me link that, once the customer presses Start, tells Tend their chat id. */
  telegramLink(customerId: string): Promise<string>;
}

export const tauriMessaging: MessagingBackend = {
  sendMessage: (request) => call('send_message', { request }),
  prepareAssisted: (request) => call('prepare_assisted', { request }),
  openChat: (url) => call('open_chat', { url }),
  confirmAssisted: (request) => call('confirm_assisted', { request }),
  telegramLink: (customerId) => call('telegram_link', { customerId }),
};
