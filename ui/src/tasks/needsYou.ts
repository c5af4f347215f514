// What waits for the salesperson before anything else on Today: personal messages to send by
// hand, scenario steps that failed or were skipped, and outbox messages that did not go out. The
// Today screen lists them; the navigation shows how many there are.
import type { Backend } from '../lib/backend';
import type { AssistedItem } from '../lib/bindings/AssistedItem';
import type { OutboxCounts } from '../lib/bindings/OutboxCounts';
import type { ScenarioItem } from '../lib/bindings/ScenarioItem';

export type NeedsYou = {
  assisted: AssistedItem[];
  attention: ScenarioItem[];
  /** Null when not asked for (the navigation has its own) or when it could not be loaded. */
  outbox: OutboxCounts | null;
  /** Some part could not be loaded; the others are still shown. */
  failed: boolean;
};

/** Loads every part; one that fails leaves the others standing. */
export async function loadNeedsYou(b: Backend, withOutbox = true): Promise<NeedsYou> {
  const [assisted, scenarios, outbox] = await Promise.allSettled([
    b.assistedQueue(),
    b.scenarioToday(),
    withOutbox ? b.outboxCounts() : Promise.resolve(null),
  ]);
  return {
    assisted: assisted.status === 'fulfilled' ? assisted.value : [],
    attention: scenarios.status === 'fulfilled' ? scenarios.value.attention : [],
    outbox: outbox.status === 'fulfilled' ? outbox.value : null,
    failed: [assisted, scenarios, outbox].some((part) => part.status === 'rejected'),
  };
}

/** Outbox messages to look at: those that failed and those only the salesperson can settle. */
export function outboxToCheck(outbox: OutboxCounts | null): number {
  return outbox === null ? 0 : outbox.failed + outbox.needs_manual;
}

/** How many things need the salesperson: the count beside Today in the navigation. */
export function needsYouTotal(needs: Pick<NeedsYou, 'assisted' | 'attention' | 'outbox'>): number {
  return needs.assisted.length + needs.attention.length + outboxToCheck(needs.outbox);
}
