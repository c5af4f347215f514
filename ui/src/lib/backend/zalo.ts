import type { ClosingWindow } from '../bindings/ClosingWindow';
import type { ParamSource } from '../bindings/ParamSource';
import type { ParamValue } from '../bindings/ParamValue';
import type { RoutePreview } from '../bindings/RoutePreview';
import type { SendChannel } from '../bindings/SendChannel';
import type { ZaloBulkEstimate } from '../bindings/ZaloBulkEstimate';
import type { ZaloContact } from '../bindings/ZaloContact';
import type { ZaloQuota } from '../bindings/ZaloQuota';
import type { ZaloTemplate } from '../bindings/ZaloTemplate';
import { call } from './call';

/** A Tend template's mapping of a Zalo template's parameters: parameter name → where its value comes from. */
export type ZaloParamMap = { [key in string]?: ParamSource };

export interface ZaloBackend {
  /** Zalo users who wrote to the OA and match no customer, newest first (dismissed ones left out). */
  listUnknownZaloContacts(): Promise<ZaloContact[]>;
  /**
   * Gives the customer this Zalo user id and logs the contact's last message on their timeline;
   * the contact then leaves the list. Rejects with `not_found.zalo_contact`,
   * `not_found.customer` or `customer.in_bin`.
   */
  linkZaloContact(userId: string, customerId: string): Promise<null>;
  /** Hides the contact from the list for good; rejects with `not_found.zalo_contact`. */
  dismissZaloContact(userId: string): Promise<null>;
  /**
   * Asks the Zalo reader to read the OA's conversations now. Answers at once; "data changed"
   * follows if the reading found anything new.
   */
  readZaloNow(): Promise<null>;
  /** The OA's Zalo templates as last fetched (approved ones have status `ENABLE`). */
  zaloTemplates(): Promise<ZaloTemplate[]>;
  /**
   * Fetches the OA's Zalo templates from Zalo and stores them. Rejects with `zalo.unreachable`,
   * `zalo.refused`, `zalo.rate_limited` or `zalo.not_set_up`.
   */
  refreshZaloTemplates(): Promise<ZaloTemplate[]>;
  /** Today's quota of Zalo template messages and the price of one (asks Zalo; same errors). */
  zaloQuota(): Promise<ZaloQuota>;
  /**
   * The route a Zalo (automatic) or Zalo template message from `templateId` to the customer would
   * take now, why, and its cost. Rejects like a send would (`recipient.no_zalo`,
   * `send.zalo_param_missing`…).
   */
  zaloRoutePreview(customerId: string, templateId: string, channel: SendChannel): Promise<RoutePreview>;
  /**
   * What enrolling everyone tagged `tagId` in the scenario would send over Zalo if the messages
   * went now: counts by route, the messages that could not go, and the template messages' cost.
   * Rejects with `not_found.scenario`.
   */
  zaloBulkEstimate(scenarioId: string, tagId: string): Promise<ZaloBulkEstimate>;
  /** Customers whose free-reply or consultation window closes within `hours`, soonest first. */
  zaloClosingWindows(hours: number): Promise<ClosingWindow[]>;
  /** The Zalo template's parameters as `params` would fill them for the customer. */
  previewZaloParams(zaloTemplateId: string, params: ZaloParamMap, customerId: string): Promise<ParamValue[]>;
}

export const tauriZalo: ZaloBackend = {
  listUnknownZaloContacts: () => call('list_unknown_zalo_contacts', {}),
  linkZaloContact: (userId, customerId) => call('link_zalo_contact', { userId, customerId }),
  dismissZaloContact: (userId) => call('dismiss_zalo_contact', { userId }),
  readZaloNow: () => call('read_zalo_now', {}),
  zaloTemplates: () => call('zalo_templates', {}),
  refreshZaloTemplates: () => call('refresh_zalo_templates', {}),
  zaloQuota: () => call('zalo_quota', {}),
  zaloRoutePreview: (customerId, templateId, channel) =>
    call('zalo_route_preview', { customerId, templateId, channel }),
  zaloBulkEstimate: (scenarioId, tagId) => call('zalo_bulk_estimate', { scenarioId, tagId }),
  zaloClosingWindows: (hours) => call('zalo_closing_windows', { hours }),
  previewZaloParams: (zaloTemplateId, params, customerId) =>
    call('preview_zalo_params', { zaloTemplateId, params, customerId }),
};
