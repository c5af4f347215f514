import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import type { Scenario } from '../lib/bindings/Scenario';
import { lang } from '../lib/i18n';
import ScenariosScreen from './ScenariosScreen.svelte';

const scenario: Scenario = {
  id: 'sc1',
  name: 'Chăm sóc khách VIP',
  description: null,
  target: null,
  trigger: 'tag_added',
  trigger_tag: 'VIP',
  active: true,
  exit_on_reply: true,
  window: null,
  catch_up: 'send_late',
  catch_up_max_hours: null,
  steps: [],
  enrolled_live: 3,
  enrolled_total: 10,
  created_at: 0,
  updated_at: 0,
};

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('ScenariosScreen', () => {
  it('explains scenarios when there are none', async () => {
    lang.set('vi');
    setBackend(mockBackend({ listScenarios: () => Promise.resolve([]) }));
    render(ScenariosScreen);
    const empty = await screen.findByTestId('scenario-empty');
    expect(empty.textContent).toContain('Tạo kịch bản chăm sóc đầu tiên');
  });

  it('lists scenarios and switches one off', async () => {
    lang.set('vi');
    const setScenarioActive = vi.fn(() => Promise.resolve({ ...scenario, active: false }));
    setBackend(mockBackend({ listScenarios: () => Promise.resolve([scenario]), setScenarioActive }));
    render(ScenariosScreen);
    const row = await screen.findByTestId('scenario-row');
    expect(row.textContent).toContain('Chăm sóc khách VIP');
    expect(row.textContent).toContain('Khi gắn nhãn “VIP”');
    expect(row.textContent).toContain('0 bước');
    expect(row.textContent).toContain('3 đang chạy / 10 tổng');

    await fireEvent.click(screen.getByTestId('scenario-active'));
    await waitFor(() => expect(setScenarioActive).toHaveBeenCalledWith('sc1', false));
    // The switch does not open the builder.
    expect(screen.queryByTestId('scenario-form-name')).toBeNull();
  });

  it('enrols every customer with a tag and shows the report', async () => {
    lang.set('vi');
    const enroll = vi.fn(() => Promise.resolve({ enrolled: 120, already: 3 }));
    setBackend(
      mockBackend({
        listScenarios: () => Promise.resolve([scenario]),
        listTags: () => Promise.resolve([{ id: 'tag1', name: 'VIP', color: '#d4a017' }]),
        enroll,
      }),
    );
    render(ScenariosScreen);
    await fireEvent.click(await screen.findByTestId('scenario-bulk-enroll'));
    await fireEvent.change(screen.getByTestId('bulk-enroll-scenario'), { target: { value: 'sc1' } });
    await waitFor(() => expect((screen.getByTestId('bulk-enroll-tag') as HTMLSelectElement).options.length).toBe(2));
    await fireEvent.change(screen.getByTestId('bulk-enroll-tag'), { target: { value: 'tag1' } });
    await fireEvent.click(screen.getByTestId('bulk-enroll-confirm'));
    await waitFor(() => expect(enroll).toHaveBeenCalledWith('sc1', { kind: 'tag', tag_id: 'tag1' }));
    expect((await screen.findByTestId('bulk-enroll-report')).textContent).toContain(
      'Đã đăng ký 120 khách, 3 khách đã có sẵn',
    );
  });

  it('opens the builder when a row is clicked', async () => {
    lang.set('en');
    setBackend(
      mockBackend({
        listScenarios: () => Promise.resolve([scenario]),
        listTemplates: () => Promise.resolve([]),
        listTags: () => Promise.resolve([]),
        scenarioEnrollments: () => Promise.resolve({ items: [], total: 0 }),
        getScenario: () => Promise.resolve(scenario),
      }),
    );
    render(ScenariosScreen);
    await fireEvent.click(await screen.findByTestId('scenario-row'));
    expect((screen.getByTestId('scenario-form-name') as HTMLInputElement).value).toBe('Chăm sóc khách VIP');
    expect(screen.getByTestId('scenario-live-notice').textContent).toContain('3 customers');
  });
});
