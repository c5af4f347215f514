// Words for the route a Zalo (automatic) or Zalo template message takes: a free reply, a
// consultation message, a paid Zalo template message, or the salesperson's own Zalo. The compose
// panel, the plan preview, the outbox and Today all say it the same way.
import type { Customer } from '../lib/bindings/Customer';
import type { RoutePreview } from '../lib/bindings/RoutePreview';
import type { RouteReason } from '../lib/bindings/RouteReason';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { ZaloBulkEstimate } from '../lib/bindings/ZaloBulkEstimate';
import type { ZaloRoute } from '../lib/bindings/ZaloRoute';
import { calendarDayDiff, formatTime, formatVnd } from '../lib/format';
import { translate, type Lang, type MessageKey } from '../lib/i18n';

/** A route in a few words, to go inside a sentence ("via consultation message"). */
export const ROUTE_LABELS: Record<ZaloRoute, MessageKey> = {
  free_reply: 'route.free_reply',
  consultation: 'route.consultation',
  template: 'route.template',
  personal: 'route.personal',
};

/** Why a route was taken, to go inside parentheses. */
export const ROUTE_REASONS: Record<RouteReason, MessageKey> = {
  free_reply_window: 'route.why.free_reply_window',
  consultation_window: 'route.why.consultation_window',
  outside_windows: 'route.why.outside_windows',
  no_zalo_user_id: 'route.why.no_zalo_user_id',
  earlier_route_failed: 'route.why.earlier_route_failed',
  no_template_mapping: 'route.why.no_template_mapping',
  no_phone: 'route.why.no_phone',
};

/** What a route costs: "200 đ" for a template message, "free", or "you send it" by hand. */
export function routeCost(lang: Lang, preview: Pick<RoutePreview, 'route' | 'cost_vnd'>): string {
  if (preview.route === 'personal') return translate(lang, 'route.byHand');
  return preview.cost_vnd > 0 ? formatVnd(preview.cost_vnd) : translate(lang, 'route.free');
}

/** The number a Zalo template message goes to, as the salesperson reads it; null when none. */
export function zaloPhoneDisplay(customer: Pick<Customer, 'zalo_phone' | 'zalo_phone_display' | 'phones'>): string | null {
  if (customer.zalo_phone) return customer.zalo_phone_display ?? customer.zalo_phone;
  return customer.phones.find((phone) => phone.is_primary)?.display ?? null;
}

/**
 * The compose panel's line: the route, why, and what it costs, e.g. "Free reply (within 48 h of
 * their last message, 7 of 8 free replies left) · free" or "Zalo template message to
 * 0912 345 678 · 200 đ". A Zalo template message chosen as such needs no reason.
 */
export function routeText(lang: Lang, preview: RoutePreview, channel: SendChannel, phone: string | null): string {
  const why = translate(lang, ROUTE_REASONS[preview.reason]);
  switch (preview.route) {
    case 'free_reply':
      return translate(lang, 'compose.route.free_reply', { left: preview.free_replies_left });
    case 'consultation':
      return translate(lang, 'compose.route.consultation');
    case 'template': {
      const params = { phone: phone ?? '—', cost: routeCost(lang, preview), why };
      return translate(lang, channel === 'zalo_template' ? 'compose.route.template' : 'compose.route.templateWhy', params);
    }
    case 'personal':
      return translate(lang, 'compose.route.personal', { why });
  }
}

/** The plan preview's line for a step: "If it went now: consultation message · free". */
export function planRouteText(lang: Lang, preview: RoutePreview): string {
  return translate(lang, 'enrollPicker.route', {
    route: translate(lang, ROUTE_LABELS[preview.route]),
    cost: routeCost(lang, preview),
  });
}

/** How many Zalo messages a bulk enrolment would send or fail to send, every route counted. */
export function bulkZaloMessages(estimate: ZaloBulkEstimate): number {
  return estimate.free_reply + estimate.consultation + estimate.template + estimate.personal + estimate.blocked;
}

/**
 * A bulk enrolment's Zalo messages by route, naming only the routes it uses: "Zalo: 12 free
 * replies, 40 template messages (8.000 đ), 2 blocked". Null when it sends nothing over Zalo.
 */
export function bulkEstimateText(lang: Lang, estimate: ZaloBulkEstimate): string | null {
  const parts: [number, MessageKey][] = [
    [estimate.free_reply, 'bulk.zalo.freeReply'],
    [estimate.consultation, 'bulk.zalo.consultation'],
    [estimate.template, 'bulk.zalo.template'],
    [estimate.personal, 'bulk.zalo.personal'],
    [estimate.blocked, 'bulk.zalo.blocked'],
  ];
  const said = parts
    .filter(([count]) => count > 0)
    .map(([count, key]) => translate(lang, key, { count, cost: formatVnd(estimate.cost_vnd) }));
  return said.length === 0 ? null : translate(lang, 'bulk.zalo.estimate', { parts: said.join(', ') });
}

/** The outbox's words for the routes that failed for a message: "tried: consultation message". */
export function routesTriedText(lang: Lang, routes: readonly ZaloRoute[]): string | null {
  if (routes.length === 0) return null;
  return translate(lang, 'outbox.routesTried', {
    routes: routes.map((route) => translate(lang, ROUTE_LABELS[route])).join(', '),
  });
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * When a window closes, as Today says it: "in 40 min" within the hour, "at 14:30" later today,
 * "in 5 h" when that is past midnight.
 */
export function closesWhen(lang: Lang, closesAt: number, now: number): string {
  const left = Math.max(0, closesAt - now);
  if (left < HOUR_MS) return translate(lang, 'today.zalo.inMinutes', { n: Math.max(1, Math.ceil(left / MINUTE_MS)) });
  if (calendarDayDiff(closesAt, now) === 0) return translate(lang, 'today.zalo.at', { time: formatTime(closesAt) });
  return translate(lang, 'today.zalo.inHours', { n: Math.round(left / HOUR_MS) });
}
