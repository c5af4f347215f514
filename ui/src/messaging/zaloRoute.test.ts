import { describe, expect, it } from 'vitest';
import type { RoutePreview } from '../lib/bindings/RoutePreview';
import { customerFixture } from '../test/customerFixture';
import {
  bulkEstimateText,
  bulkZaloMessages,
  closesWhen,
  planRouteText,
  routeCost,
  routesTriedText,
  routeText,
  zaloPhoneDisplay,
} from './zaloRoute';

const preview = (patch: Partial<RoutePreview>): RoutePreview => ({
  route: 'free_reply',
  reason: 'free_reply_window',
  cost_vnd: 0,
  free_replies_left: 7,
  window_closes_at: null,
  ...patch,
});

const at = (h: number, min = 0) => new Date(2025, 5, 3, h, min).getTime();

describe('routeText', () => {
  it('says each route, why it was taken, and what it costs', () => {
    expect(routeText('en', preview({}), 'zalo_auto', '0912 345 678')).toBe(
      'Free reply (within 48 h of their last message, 7 of 8 free replies left) · free',
    );
    expect(routeText('en', preview({ route: 'consultation', reason: 'consultation_window' }), 'zalo_auto', null)).toBe(
      'Consultation message (within 7 days of their last message) · free',
    );
    const template = preview({ route: 'template', reason: 'outside_windows', cost_vnd: 200 });
    expect(routeText('en', template, 'zalo_template', '0912 345 678')).toBe('Zalo template message to 0912 345 678 · 200 đ');
    expect(routeText('en', template, 'zalo_auto', '0912 345 678')).toBe(
      'Zalo template message to 0912 345 678 (they have not written to your OA in the last 7 days) · 200 đ',
    );
    expect(routeText('en', preview({ route: 'personal', reason: 'no_template_mapping' }), 'zalo_auto', null)).toBe(
      'Your own Zalo (no Zalo template mapped to this template)',
    );
  });

  it('speaks Vietnamese', () => {
    expect(routeText('vi', preview({ free_replies_left: 3 }), 'zalo_auto', null)).toBe(
      'Trả lời miễn phí (trong 48 giờ kể từ tin nhắn cuối của khách, còn 3/8 lượt miễn phí) · miễn phí',
    );
    expect(
      routeText('vi', preview({ route: 'template', reason: 'outside_windows', cost_vnd: 1500 }), 'zalo_template', '0912 345 678'),
    ).toBe('Tin mẫu Zalo (ZNS) tới 0912 345 678 · 1.500 đ');
    expect(routeText('vi', preview({ route: 'personal', reason: 'no_phone' }), 'zalo_auto', null)).toBe(
      'Zalo của bạn (khách chưa có số điện thoại để nhận tin mẫu Zalo)',
    );
  });
});

describe('the short route words', () => {
  it('cost: free, a price, or by hand', () => {
    expect(routeCost('en', { route: 'consultation', cost_vnd: 0 })).toBe('free');
    expect(routeCost('en', { route: 'template', cost_vnd: 200 })).toBe('200 đ');
    expect(routeCost('vi', { route: 'personal', cost_vnd: 0 })).toBe('bạn tự gửi');
  });

  it('make the plan line and the routes an outbox message tried', () => {
    expect(planRouteText('en', preview({ route: 'consultation' }))).toBe('If it went now: consultation message · free');
    expect(planRouteText('vi', preview({ route: 'template', cost_vnd: 200 }))).toBe('Nếu gửi lúc này: tin mẫu Zalo (ZNS) · 200 đ');
    expect(routesTriedText('en', [])).toBeNull();
    expect(routesTriedText('en', ['consultation'])).toBe('tried: consultation message');
    expect(routesTriedText('vi', ['free_reply', 'consultation'])).toBe('đã thử: trả lời miễn phí, tin tư vấn');
  });
});

describe('closesWhen', () => {
  it('counts minutes within the hour, gives the time later today, and hours past midnight', () => {
    expect(closesWhen('en', at(10, 40), at(10, 0))).toBe('in 40 min');
    expect(closesWhen('en', at(14, 30), at(10, 0))).toBe('at 14:30');
    expect(closesWhen('vi', at(14, 30), at(10, 0))).toBe('lúc 14:30');
    expect(closesWhen('en', new Date(2025, 5, 4, 2, 0).getTime(), at(21, 0))).toBe('in 5 h');
    expect(closesWhen('vi', at(10, 0), at(11, 0))).toBe('sau 1 phút');
  });
});

describe('zaloPhoneDisplay', () => {
  it('reads the Zalo phone, else the primary phone, as the salesperson types it', () => {
    expect(zaloPhoneDisplay(customerFixture({ zalo_phone: '+84912345678', zalo_phone_display: '0912 345 678' }))).toBe(
      '0912 345 678',
    );
    const phones = [
      { id: 'p1', number: '+84900000000', display: '0900 000 000', label: null, is_primary: false },
      { id: 'p2', number: '+84987654321', display: '0987 654 321', label: null, is_primary: true },
    ];
    expect(zaloPhoneDisplay(customerFixture({ phones }))).toBe('0987 654 321');
    expect(zaloPhoneDisplay(customerFixture())).toBeNull();
  });
});

describe('bulkEstimateText', () => {
  const none = { customers: 30, free_reply: 0, consultation: 0, template: 0, personal: 0, blocked: 0, cost_vnd: 0 };

  it('names only the routes used, with the template messages’ cost', () => {
    const all = { ...none, free_reply: 12, consultation: 3, template: 40, personal: 5, blocked: 2, cost_vnd: 8000 };
    expect(bulkZaloMessages(all)).toBe(62);
    expect(bulkEstimateText('en', all)).toBe(
      'Zalo: 12 free replies, 3 consultation messages, 40 template messages (8.000 đ), 5 to send from your own Zalo, 2 blocked',
    );
    expect(bulkEstimateText('en', { ...none, consultation: 1, blocked: 1 })).toBe('Zalo: 1 consultation message, 1 blocked');
    expect(bulkEstimateText('vi', { ...none, free_reply: 1200, template: 1, cost_vnd: 200 })).toBe(
      'Zalo: 1.200 tin trả lời miễn phí, 1 tin mẫu ZNS (200 đ)',
    );
  });

  it('says nothing when no Zalo message would go', () => {
    expect(bulkZaloMessages(none)).toBe(0);
    expect(bulkEstimateText('en', none)).toBeNull();
  });
});
