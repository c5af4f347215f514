import { describe, expect, it } from 'vitest';
import type { AssistedItem } from '../lib/bindings/AssistedItem';
import type { ScenarioItem } from '../lib/bindings/ScenarioItem';
import { mockBackend } from '../test/mockBackend';
import { loadNeedsYou, needsYouTotal, outboxToCheck } from './needsYou';

const assisted: AssistedItem = {
  outbox_id: 'o1',
  customer_id: 'c1',
  customer_name: 'Nguyễn Thị Lan',
  channel: 'zalo_personal',
  recipient: '0912345678',
  text: 'Chào chị Lan',
  url: 'https://zalo.me/0912345678',
  since: 0,
};

const failedStep: ScenarioItem = {
  enrollment_id: 'e1',
  customer_id: 'c1',
  customer_name: 'Nguyễn Thị Lan',
  scenario_name: 'Chăm sóc khách mới',
  position: 0,
  kind: 'message',
  title: null,
  at: 0,
  outcome: 'failed',
  detail: 'no email',
};

describe('needs you', () => {
  it('counts personal messages, failed steps and outbox messages to check, not queued ones', () => {
    const outbox = { queued: 7, failed: 2, needs_manual: 1 };
    expect(outboxToCheck(outbox)).toBe(3);
    expect(outboxToCheck(null)).toBe(0);
    expect(needsYouTotal({ assisted: [assisted], attention: [failedStep], outbox })).toBe(5);
    expect(needsYouTotal({ assisted: [], attention: [], outbox: null })).toBe(0);
  });

  it('keeps the parts that loaded when one fails', async () => {
    const b = mockBackend({
      assistedQueue: () => Promise.resolve([assisted]),
      outboxCounts: () => Promise.resolve({ queued: 0, failed: 1, needs_manual: 0 }),
    });
    b.fail('scenarioToday', { code: 'storage', key: 'storage', params: {}, message: 'disk', field: null });
    const needs = await loadNeedsYou(b);
    expect(needs).toEqual({
      assisted: [assisted],
      attention: [],
      outbox: { queued: 0, failed: 1, needs_manual: 0 },
      failed: true,
    });
  });

  it('leaves the outbox out when asked to', async () => {
    const b = mockBackend();
    const needs = await loadNeedsYou(b, false);
    expect(needs.outbox).toBeNull();
    expect(needs.failed).toBe(false);
    expect(b.outboxCounts).not.toHaveBeenCalled();
  });
});
