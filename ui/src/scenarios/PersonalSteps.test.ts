import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { Enrollment } from '../lib/bindings/Enrollment';
import type { Scenario } from '../lib/bindings/Scenario';
import type { ScenarioInput } from '../lib/bindings/ScenarioInput';
import type { SendChannel } from '../lib/bindings/SendChannel';
import type { Step } from '../lib/bindings/Step';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { customerFixture } from '../test/customerFixture';
import { mockBackend } from '../test/mockBackend';
import App from '../app/App.svelte';
import EnrollmentRow from './EnrollmentRow.svelte';
import ScenarioBuilder from './ScenarioBuilder.svelte';

function step(id: string, channel: SendChannel | null): Step {
  return {
    id,
    position: 0,
    kind: 'message',
    delay_days: 0,
    delay_hours: 0,
    delay_minutes: 0,
    delay_from: 'start',
    title: null,
    priority: null,
    due_offset_minutes: null,
    template_id: 'tpl1',
    channel,
  };
}

function scenario(steps: Step[]): Scenario {
  return {
    id: 'sc1',
    name: 'Chăm sóc khách mới',
    description: null,
    target: null,
    trigger: 'manual',
    trigger_tag: null,
    active: true,
    exit_on_reply: true,
    window: null,
    catch_up: 'send_late',
    catch_up_max_hours: null,
    steps,
    enrolled_live: 1,
    enrolled_total: 1,
    created_at: 0,
    updated_at: 0,
  };
}

const failedEnrollment: Enrollment = {
  id: 'e1',
  scenario_id: 'sc1',
  scenario_name: 'Chăm sóc khách mới',
  customer_id: 'c1',
  customer_name: 'Nguyễn Thị Lan',
  status: 'active',
  started_at: 0,
  next_position: 1,
  next_due_at: null,
  next_step: null,
  steps_total: 2,
  created_at: 0,
  ended_at: null,
  log: [
    {
      step_id: 'st1',
      position: 0,
      kind: 'message',
      due_at: 0,
      done_at: 0,
      outcome: 'failed',
      task_id: null,
      outbox_id: null,
      detail: 'not sent: Nguyễn Thị Lan has no Zalo user id: add it to the customer first',
    },
  ],
};

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

describe('personal channels in a scenario step', () => {
  it('are offered, say who sends them, and are saved', async () => {
    lang.set('vi');
    const createScenario = vi.fn((_input: ScenarioInput) => Promise.resolve(scenario([])));
    setBackend(mockBackend({ createScenario }));
    render(ScenarioBuilder, { editing: null, onDone: () => {}, onOpen: () => {} });
    await fireEvent.input(screen.getByTestId('scenario-form-name'), { target: { value: 'Nhắc khách' } });
    await fireEvent.change(screen.getByTestId('step-form-kind'), { target: { value: 'message' } });

    const channel = screen.getByTestId('step-form-channel') as HTMLSelectElement;
    expect([...channel.options].map((o) => o.value)).toEqual([
      'telegram',
      'zalo_oa',
      'zalo_auto',
      'zalo_template',
      'email',
      'zalo_personal',
      'telegram_personal',
    ]);
    expect(channel.options[2].textContent).toBe('Zalo (tự động)');
    expect(channel.options[3].textContent).toBe('Tin mẫu Zalo (ZNS)');
    expect(channel.options[5].textContent).toBe('Zalo cá nhân (bạn tự gửi)');
    expect(channel.options[6].textContent).toBe('Telegram cá nhân (bạn tự gửi)');
    expect(screen.queryByTestId('step-form-channel-hint')).toBeNull();

    // Zalo (automatic) is sent by Tend: no hint about sending it yourself.
    await fireEvent.change(channel, { target: { value: 'zalo_auto' } });
    expect(screen.queryByTestId('step-form-channel-hint')).toBeNull();

    await fireEvent.change(channel, { target: { value: 'zalo_personal' } });
    const hint = screen.getByTestId('step-form-channel-hint');
    expect(hint.textContent?.trim()).toBe('Đến lúc, tin nhắn sẵn sàng ở mục Hôm nay để bạn gửi từ Zalo của mình');
    expect(channel.getAttribute('aria-describedby')).toBe(hint.id);

    lang.set('en');
    await waitFor(() =>
      expect(screen.getByTestId('step-form-channel-hint').textContent?.trim()).toBe(
        'When due, the message waits in Today for you to send from your own Zalo',
      ),
    );
    expect(channel.options[5].textContent).toBe('Personal Zalo (you send it)');
    expect(channel.options[2].textContent).toBe('Zalo (automatic)');
    expect(channel.options[3].textContent).toBe('Zalo template message');
  });
});

describe('a failed step on an enrolment', () => {
  it('shows the detail, and offers to edit the customer and to send a Zalo OA message from my Zalo', async () => {
    lang.set('vi');
    const getScenario = vi.fn(() => Promise.resolve(scenario([step('st1', 'zalo_oa')])));
    setBackend(mockBackend({ getScenario }));
    const onCompose = vi.fn();
    render(EnrollmentRow, {
      enrollment: failedEnrollment,
      busy: false,
      onPause: () => {},
      onResume: () => {},
      onCancel: () => {},
      onCompose,
    });
    const failure = screen.getByTestId('enrollment-failure');
    expect(failure.textContent).toContain('Bước 1 (Tin nhắn cho khách) không thực hiện được');
    expect(screen.getByTestId('enrollment-failure-detail').textContent).toBe(failedEnrollment.log[0].detail);
    expect(getScenario).toHaveBeenCalledWith('sc1');

    const send = await screen.findByTestId('enrollment-send-personal');
    expect(send.textContent).toBe('Gửi bằng Zalo của tôi');
    await fireEvent.click(send);
    expect(onCompose).toHaveBeenCalledWith('zalo_personal');

    await fireEvent.click(screen.getByTestId('enrollment-fix-customer'));
    expect(get(route)).toEqual({ name: 'customer-edit', id: 'c1' });
  });

  it('offers only the customer fix for a step on another channel, and nothing without a failure', async () => {
    lang.set('en');
    const getScenario = vi.fn(() => Promise.resolve(scenario([step('st1', 'email')])));
    setBackend(mockBackend({ getScenario }));
    const props = { busy: false, onPause: () => {}, onResume: () => {}, onCancel: () => {}, onCompose: () => {} };
    const { unmount } = render(EnrollmentRow, { enrollment: failedEnrollment, ...props });
    expect(screen.getByTestId('enrollment-fix-customer').textContent).toBe('Edit the customer');
    await waitFor(() => expect(getScenario).toHaveBeenCalled());
    await Promise.resolve();
    expect(screen.queryByTestId('enrollment-send-personal')).toBeNull();
    unmount();

    const done = { ...failedEnrollment, log: [{ ...failedEnrollment.log[0], outcome: 'done' as const }] };
    render(EnrollmentRow, { enrollment: done, ...props });
    expect(screen.queryByTestId('enrollment-failure')).toBeNull();
  });

  it('opens the compose panel on personal Zalo from the customer page', async () => {
    lang.set('vi');
    setBackend(
      mockBackend({
        openCustomer: () =>
          Promise.resolve({ customer: customerFixture({ zalo_phone: '0912345678' }), timeline: { items: [], total: 0 }, open_tasks: [] }),
        customerEnrollments: () => Promise.resolve([failedEnrollment]),
        getScenario: () => Promise.resolve(scenario([step('st1', 'zalo_oa')])),
      }),
    );
    route.set({ name: 'customer', id: 'c1' });
    render(App);
    await fireEvent.click(await screen.findByTestId('enrollment-send-personal'));
    const channel = (await screen.findByTestId('message-form-channel')) as HTMLSelectElement;
    expect(channel.value).toBe('zalo_personal');
  });
});
