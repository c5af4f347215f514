import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend, type Backend } from '../lib/backend';
import type { PlannedStep } from '../lib/bindings/PlannedStep';
import { formatDateTime } from '../lib/format';
import { lang } from '../lib/i18n';
import { mockBackend } from '../test/mockBackend';
import { plannedStepFixture, scenarioFixture } from '../test/scenarioFixture';
import EnrollPicker from './EnrollPicker.svelte';

const DUE = new Date(2025, 5, 2, 9, 0).getTime();
const LATER = new Date(2025, 5, 6, 9, 0).getTime();

const plan: PlannedStep[] = [
  plannedStepFixture({ position: 0, due_at: DUE, channel: 'zalo_oa', blocked: 'do_not_contact' }),
  plannedStepFixture({ position: 1, due_at: DUE, channel: 'telegram', blocked: 'consent_withdrawn' }),
  plannedStepFixture({ position: 2, due_at: DUE, channel: 'email', blocked: 'no_consent' }),
  plannedStepFixture({ position: 3, due_at: DUE, channel: 'telegram', waits_until: LATER }),
  plannedStepFixture({ position: 4, due_at: DUE, channel: 'telegram' }),
];

async function openPlan(overrides: Partial<Backend>) {
  setBackend(
    mockBackend({
      listScenarios: () => Promise.resolve([scenarioFixture()]),
      planEnrollment: () => Promise.resolve(plan),
      ...overrides,
    }),
  );
  render(EnrollPicker, { customerId: 'c1', onDone: () => {} });
  await fireEvent.change(await screen.findByTestId('scenario-enroll-select'), { target: { value: 'sc1' } });
  await waitFor(() => expect(screen.getAllByTestId('plan-step')).toHaveLength(5));
  return screen.getAllByTestId('plan-step');
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('the enrolment plan of a customer who said no, or got many messages', () => {
  it('says which steps will be skipped and why, and until when a step waits, with the cap', async () => {
    lang.set('vi');
    const steps = await openPlan({ frequencyCap: () => Promise.resolve({ per_7_days: 4 }) });
    const blocked = steps.slice(0, 3).map((step) => within(step).getByTestId('plan-step-blocked').textContent?.trim());
    expect(blocked).toEqual([
      'Sẽ bỏ qua: khách yêu cầu không liên hệ',
      'Sẽ bỏ qua: khách đã rút lại đồng ý nhận tin qua kênh này',
      'Sẽ bỏ qua: khách chưa đồng ý nhận tin qua kênh này',
    ]);
    expect(steps[0].dataset.blocked).toBe('do_not_contact');
    await waitFor(() =>
      expect(within(steps[3]).getByTestId('plan-step-waits').textContent?.trim()).toBe(
        `Chờ đến ${formatDateTime(LATER)}: đã đủ 4 tin tự động trong 7 ngày`,
      ),
    );
    expect(within(steps[3]).queryByTestId('plan-step-blocked')).toBeNull();
    expect(within(steps[4]).queryByTestId('plan-step-blocked')).toBeNull();
    expect(within(steps[4]).queryByTestId('plan-step-waits')).toBeNull();
  });

  it('words the wait in English, with the plural, and without a number when the cap cannot be read', async () => {
    lang.set('en');
    const steps = await openPlan({ frequencyCap: () => Promise.resolve({ per_7_days: 1 }) });
    await waitFor(() =>
      expect(within(steps[3]).getByTestId('plan-step-waits').textContent?.trim()).toBe(
        `Waits until ${formatDateTime(LATER)}: 1 automated message already in 7 days`,
      ),
    );
    cleanup();

    const again = await openPlan({ frequencyCap: () => Promise.reject(new Error('gone')) });
    expect(within(again[3]).getByTestId('plan-step-waits').textContent?.trim()).toBe(
      `Waits until ${formatDateTime(LATER)}: the automated message limit for 7 days is reached`,
    );
  });
});
