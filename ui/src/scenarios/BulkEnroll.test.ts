import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { Scenario } from '../lib/bindings/Scenario';
import type { ZaloBulkEstimate } from '../lib/bindings/ZaloBulkEstimate';
import { lang } from '../lib/i18n';
import { toasts } from '../lib/toasts';
import { emptyZaloBulkEstimate, installMockBackend, type MockBackend } from '../test/mockBackend';
import BulkEnroll from './BulkEnroll.svelte';

const scenario = (id: string, name: string): Scenario => ({
  id,
  name,
  description: null,
  target: null,
  trigger: 'manual',
  trigger_tag: null,
  active: true,
  exit_on_reply: true,
  window: null,
  catch_up: 'send_late',
  catch_up_max_hours: null,
  steps: [],
  enrolled_live: 0,
  enrolled_total: 0,
  created_at: 0,
  updated_at: 0,
});

const scenarios = [scenario('sc1', 'Chăm sóc khách VIP'), scenario('sc2', 'Khách mới')];
const tags = [
  { id: 'tag1', name: 'VIP', color: '#d4a017' },
  { id: 'tag2', name: 'Mới', color: '#2f855a' },
];

function setUp(): MockBackend {
  return installMockBackend({ listTags: () => Promise.resolve(tags) });
}

async function choose(scenarioId: string, tagId: string) {
  await waitFor(() => expect((screen.getByTestId('bulk-enroll-tag') as HTMLSelectElement).options.length).toBe(3));
  await fireEvent.change(screen.getByTestId('bulk-enroll-scenario'), { target: { value: scenarioId } });
  await fireEvent.change(screen.getByTestId('bulk-enroll-tag'), { target: { value: tagId } });
}

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => toasts.set([]));

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('BulkEnroll Zalo estimate', () => {
  it('shows the Zalo messages by route, naming only the routes used, and the template cost', async () => {
    lang.set('en');
    const mock = setUp();
    mock.seedZaloBulkEstimate({ customers: 30, free_reply: 12, template: 40, blocked: 2, cost_vnd: 8000 });
    render(BulkEnroll, { scenarios, onClose: () => {} });
    await choose('sc1', 'tag1');

    const block = await screen.findByTestId('bulk-zalo-estimate');
    expect(block.textContent).toContain('Zalo: 12 free replies, 40 template messages (8.000 đ), 2 blocked');
    expect(block.textContent).not.toContain('consultation');
    expect(block.textContent).not.toContain('your own Zalo');
    expect(block.textContent).toContain('if sent now');
    expect(mock.callsTo('zaloBulkEstimate')).toEqual([['sc1', 'tag1']]);
  });

  it('shows the quota today, and warns when the template messages are more than it has left', async () => {
    lang.set('vi');
    const mock = setUp();
    mock.seedZaloBulkEstimate({ customers: 600, template: 600, cost_vnd: 120000 });
    mock.zaloQuota.mockResolvedValue({ daily: 500, remaining: 460, price_vnd: 200 });
    render(BulkEnroll, { scenarios, onClose: () => {} });
    await choose('sc1', 'tag1');

    expect((await screen.findByTestId('bulk-zalo-estimate')).textContent).toContain('Zalo: 600 tin mẫu ZNS (120.000 đ)');
    expect((await screen.findByTestId('bulk-zalo-quota')).textContent).toContain(
      'Hạn mức hôm nay: còn 460/500 tin mẫu',
    );
    expect(screen.getByTestId('bulk-zalo-over-quota').textContent).toContain(
      'Số tin mẫu (600) nhiều hơn hạn mức còn lại hôm nay (460)',
    );
  });

  it('gives no warning while the quota has room for the template messages', async () => {
    lang.set('en');
    const mock = setUp();
    mock.seedZaloBulkEstimate({ customers: 40, consultation: 3, template: 40, cost_vnd: 8000 });
    mock.zaloQuota.mockResolvedValue({ daily: 500, remaining: 460, price_vnd: 200 });
    render(BulkEnroll, { scenarios, fixedScenarioId: 'sc2', onClose: () => {} });
    await waitFor(() => expect((screen.getByTestId('bulk-enroll-tag') as HTMLSelectElement).options.length).toBe(3));
    await fireEvent.change(screen.getByTestId('bulk-enroll-tag'), { target: { value: 'tag2' } });

    expect((await screen.findByTestId('bulk-zalo-quota')).textContent).toContain(
      'Quota today: 460 of 500 template messages left',
    );
    expect(screen.queryByTestId('bulk-zalo-over-quota')).toBeNull();
    expect(mock.callsTo('zaloBulkEstimate')).toEqual([['sc2', 'tag2']]);
  });

  it('shows nothing about Zalo when the scenario sends no Zalo message, and does not ask the quota', async () => {
    lang.set('en');
    const mock = setUp();
    mock.seedZaloBulkEstimate({ customers: 25 });
    render(BulkEnroll, { scenarios, onClose: () => {} });
    await choose('sc1', 'tag1');

    await waitFor(() => expect(mock.zaloBulkEstimate).toHaveBeenCalledWith('sc1', 'tag1'));
    await flush();
    expect(screen.queryByTestId('bulk-zalo-estimate')).toBeNull();
    expect(mock.zaloQuota).not.toHaveBeenCalled();
  });

  it('leaves the quota line out, without an error, when Zalo cannot tell the quota', async () => {
    lang.set('en');
    const mock = setUp();
    mock.seedZaloBulkEstimate({ customers: 5, personal: 5 });
    // The mock's default: no OA set up.
    render(BulkEnroll, { scenarios, onClose: () => {} });
    await choose('sc1', 'tag1');

    expect((await screen.findByTestId('bulk-zalo-estimate')).textContent).toContain('Zalo: 5 to send from your own Zalo');
    await waitFor(() => expect(mock.zaloQuota).toHaveBeenCalledTimes(1));
    await flush();
    expect(screen.queryByTestId('bulk-zalo-quota')).toBeNull();
    expect(screen.queryByTestId('bulk-zalo-over-quota')).toBeNull();
    expect(get(toasts)).toEqual([]);
  });

  it('asks again when the scenario or tag changes, and ignores an answer that came too late', async () => {
    lang.set('en');
    const mock = setUp();
    const first = deferred<ZaloBulkEstimate>();
    mock.zaloBulkEstimate.mockImplementation((scenarioId, tagId) =>
      scenarioId === 'sc1' && tagId === 'tag1'
        ? first.promise
        : Promise.resolve({ ...emptyZaloBulkEstimate, customers: 3, consultation: 3 }),
    );
    render(BulkEnroll, { scenarios, onClose: () => {} });
    await choose('sc1', 'tag1');
    await fireEvent.change(screen.getByTestId('bulk-enroll-tag'), { target: { value: 'tag2' } });

    expect((await screen.findByTestId('bulk-zalo-estimate')).textContent).toContain('Zalo: 3 consultation messages');
    first.resolve({ ...emptyZaloBulkEstimate, customers: 9, template: 9, cost_vnd: 1800 });
    await flush();
    expect(screen.getByTestId('bulk-zalo-estimate').textContent).toContain('Zalo: 3 consultation messages');
    expect(screen.getByTestId('bulk-zalo-estimate').textContent).not.toContain('template');
    expect(mock.callsTo('zaloBulkEstimate')).toEqual([
      ['sc1', 'tag1'],
      ['sc1', 'tag2'],
    ]);

    // Back to no tag: the estimate goes.
    await fireEvent.change(screen.getByTestId('bulk-enroll-tag'), { target: { value: '' } });
    await waitFor(() => expect(screen.queryByTestId('bulk-zalo-estimate')).toBeNull());
  });
});
