import type { Interaction } from '../bindings/Interaction';
import type { InteractionInput } from '../bindings/InteractionInput';
import type { Page } from '../bindings/Page';
import { call } from './call';

export interface InteractionsBackend {
  logInteraction(input: InteractionInput): Promise<Interaction>;
  updateInteraction(id: string, input: InteractionInput): Promise<Interaction>;
  deleteInteraction(id: string): Promise<null>;
  timeline(customerId: string, offset: number, limit: number): Promise<Page<Interaction>>;
}

export const tauriInteractions: InteractionsBackend = {
  logInteraction: (input) => call('log_interaction', { input }),
  updateInteraction: (id, input) => call('update_interaction', { id, input }),
  deleteInteraction: (id) => call('delete_interaction', { id }),
  timeline: (customerId, offset, limit) => call('timeline', { customerId, offset, limit }),
};
