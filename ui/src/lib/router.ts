// A tiny in-memory router: the app is a single window, so there are no URLs to keep in sync.
import { get, writable } from 'svelte/store';
import type { InteractionKind } from './bindings/InteractionKind';
import type { OutboxStatus } from './bindings/OutboxStatus';
import type { SendChannel } from './bindings/SendChannel';
import { leaveUnsaved } from './unsavedChanges';

/** What the new-customer form opens with, e.g. a Zalo user who wrote to the OA. */
export type NewCustomerPrefill = { full_name?: string; zalo_id?: string };

export type Route =
  | { name: 'today' }
  | {
      name: 'customers';
      focusSearch?: boolean;
      /** Opens the list filtered by this tag (e.g. everyone an import just added). */
      tagId?: string;
      /** Opens the list filtered by this saved segment (Campaigns → "See customers"). */
      segmentId?: string;
    }
  | {
      name: 'customer';
      id: string;
      logKind?: InteractionKind;
      /** Opens the compose panel on this channel; 'default' lets it pick the customer's usual one. */
      compose?: SendChannel | 'default';
      /** The Today task the call is logged from: the form offers to mark it done. */
      fromTask?: string;
    }
  | { name: 'customer-new'; prefill?: NewCustomerPrefill }
  | { name: 'customer-edit'; id: string }
  | { name: 'import' }
  | { name: 'duplicates' }
  /** Zalo users who wrote to the OA and match no customer. */
  | { name: 'zalo-contacts' }
  | { name: 'templates' }
  | { name: 'scenarios' }
  /** Segments and campaigns. */
  | { name: 'campaigns' }
  | { name: 'segment-new' }
  | { name: 'segment-edit'; id: string }
  /** A campaign's detail: preview, start, progress and report. */
  | { name: 'campaign'; id: string }
  /** `segmentId`: the segment the new campaign goes to (a segment's "new campaign"). */
  | { name: 'campaign-new'; segmentId?: string }
  | { name: 'campaign-edit'; id: string }
  | { name: 'outbox'; status?: OutboxStatus }
  | { name: 'settings' };

export type Screen = Route['name'];

export const route = writable<Route>({ name: 'today' });

const history: Route[] = [];
const MAX_HISTORY = 50;

/** Whether `next` keeps the current screen mounted (App keys screens by name and id). */
function sameScreen(current: Route, next: Route): boolean {
  const id = (r: Route) => ('id' in r ? r.id : undefined);
  return current.name === next.name && id(current) === id(next);
}

/** Goes to `next`; when that takes away a form with unsaved changes, asks first. */
export function navigate(next: Route): void {
  const go = () => {
    history.push(get(route));
    if (history.length > MAX_HISTORY) history.shift();
    route.set(next);
  };
  // A screen that stays mounted keeps what was typed in it.
  if (sameScreen(get(route), next)) go();
  else leaveUnsaved(go);
}

/**
 * Goes to the previous screen, or to `fallback` when there is none (e.g. after a delete); asks
 * first when a form on screen has unsaved changes.
 */
export function goBack(fallback: Route = { name: 'today' }): void {
  leaveUnsaved(() => route.set(history.pop() ?? fallback));
}

/** Which nav item a route belongs to, so a customer's detail keeps "Customers" highlighted. */
export function navSection(r: Route): Screen {
  switch (r.name) {
    case 'customer':
    case 'customer-new':
    case 'customer-edit':
    case 'import':
    case 'duplicates':
    case 'zalo-contacts':
      return 'customers';
    case 'segment-new':
    case 'segment-edit':
    case 'campaign':
    case 'campaign-new':
    case 'campaign-edit':
      return 'campaigns';
    default:
      return r.name;
  }
}

/**
 * One-shot requests from shortcuts and other screens. A counter is used so asking twice in a
 * row still triggers the second time.
 */
export const focusSearchRequest = writable(0);

export function requestSearchFocus(): void {
  searchFocusPending = true;
  if (get(route).name !== 'customers') navigate({ name: 'customers' });
  focusSearchRequest.update((n) => n + 1);
}

export const logFormRequest = writable<{ kind: InteractionKind; seq: number } | null>(null);

export function requestLogForm(kind: InteractionKind = 'call'): void {
  logFormRequest.update((previous) => ({ kind, seq: (previous?.seq ?? 0) + 1 }));
}

/** Asks the open customer detail to open its compose panel (the "m" shortcut). */
export const composeRequest = writable(0);

export function requestCompose(): void {
  composeRequest.update((n) => n + 1);
}

let searchFocusPending = false;

/**
 * True once after `requestSearchFocus`: the customer list may mount after the request was made,
 * so it asks on mount as well as when the counter changes.
 */
export function takeSearchFocus(): boolean {
  const pending = searchFocusPending;
  searchFocusPending = false;
  return pending;
}
