import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import type { Enrollment } from '../lib/bindings/Enrollment';
import type { EnrollmentStatus } from '../lib/bindings/EnrollmentStatus';
import type { Scenario } from '../lib/bindings/Scenario';
import { formatDateTime } from '../lib/format';
import { lang } from '../lib/i18n';
import CustomerScenarios from './CustomerScenarios.svelte';
import EnrollmentRow from './EnrollmentRow.svelte';

function scenario(id: string, name: string, active: boolean): Scenario {
  return {
    id,
    name,
    description: null,
    target: null,
    trigger: 'manual',
    trigger_tag: null,
    active,
    exit_on_reply: true,
    window: null,
    catch_up: 'send_late',
    catch_up_max_hours: null,
    steps: [],
    enrolled_live: 0,
    enrolled_total: 0,
    created_at: 0,
    updated_at: 0,
  };
}

function enrollment(status: EnrollmentStatus): Enrollment {
  return {
    id: `e-${status}`,
    scenario_id: 'sc1',
    scenario_name: 'Chăm sóc khách mới',
    customer_id: 'c1',
    customer_name: 'Nguyễn Thị Lan',
    status,
    started_at: Date.UTC(2025, 0, 2, 3, 0),
    next_position: 1,
    next_due_at: Date.UTC(2025, 0, 4, 3, 0),
    next_step: {
      id: 'st2',
      position: 1,
      kind: 'task',
      delay_days: 2,
      delay_hours: 0,
      delay_minutes: 0,
      delay_from: 'previous',
      title: 'Gọi hỏi thăm',
      priority: null,
      due_offset_minutes: null,
      template_id: null,
      channel: null,
    },
    steps_total: 3,
    created_at: 0,
    ended_at: null,
    log: [
      {
        step_id: 'step-1',
        position: 0,
        kind: 'message',
        due_at: Date.UTC(2025, 0, 2, 3, 0),
        done_at: Date.UTC(2025, 0, 2, 3, 1),
        outcome: 'failed',
        task_id: null,
        outbox_id: null,
        detail: 'missing customer.email',
      },
    ],
  };
}

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('EnrollmentRow', () => {
  const cases: [EnrollmentStatus, string[]][] = [
    ['active', ['enrollment-pause', 'enrollment-cancel']],
    ['paused', ['enrollment-resume', 'enrollment-cancel']],
    ['completed', []],
    ['cancelled', []],
    ['exited', []],
  ];

  for (const [status, buttons] of cases) {
    it(`shows the name, the status code and the right buttons when ${status}`, () => {
      lang.set('vi');
      const e = enrollment(status);
      render(EnrollmentRow, { enrollment: e, busy: false, onPause: () => {}, onResume: () => {}, onCancel: () => {} });
      const row = screen.getByTestId('enrollment-row');
      expect(row.textContent).toContain('Chăm sóc khách mới');
      expect(row.textContent).toContain(status);
      // The code is in the text for outside tests, but neither seen nor read aloud.
      const code = screen.getByTestId('enrollment-status');
      expect(code.textContent).toBe(status);
      expect(code.tagName).toBe('SPAN');
      expect(code.classList.contains('status-word')).toBe(true);
      expect(code.getAttribute('aria-hidden')).toBe('true');
      expect(row.getAttribute('data-status')).toBe(status);
      expect(row.querySelector('[title]')).toBeNull();
      const shown = ['enrollment-pause', 'enrollment-resume', 'enrollment-cancel'].filter(
        (id) => screen.queryByTestId(id) !== null,
      );
      expect(shown).toEqual(buttons);
      if (status === 'active' || status === 'paused') {
        expect(screen.getByTestId('enrollment-next').textContent).toContain('Gọi hỏi thăm');
        expect(screen.getByTestId('enrollment-next').textContent).toContain(formatDateTime(e.next_due_at!));
      } else {
        expect(screen.queryByTestId('enrollment-next')).toBeNull();
      }
    });
  }

  it('calls back with the enrolment and expands the log', async () => {
    lang.set('en');
    const onPause = vi.fn();
    const onCancel = vi.fn();
    const e = enrollment('active');
    render(EnrollmentRow, { enrollment: e, busy: false, onPause, onResume: () => {}, onCancel });
    await fireEvent.click(screen.getByTestId('enrollment-pause'));
    expect(onPause).toHaveBeenCalledWith(e);
    await fireEvent.click(screen.getByTestId('enrollment-cancel'));
    expect(onCancel).toHaveBeenCalledWith(e);

    expect(screen.queryByTestId('enrollment-log')).toBeNull();
    await fireEvent.click(screen.getByTestId('enrollment-log-toggle'));
    const item = screen.getByTestId('enrollment-log-item');
    expect(item.textContent).toContain('Failed');
    expect(item.textContent).toContain('missing customer.email');
  });
});

describe('enrolling a customer from their page', () => {
  it('previews the plan, flags problems, and enrols the customer on confirm', async () => {
    lang.set('vi');
    let enrolled: Enrollment[] = [];
    const due = Date.UTC(2025, 5, 1, 2, 0);
    const planEnrollment = vi.fn(() =>
      Promise.resolve([
        { position: 0, kind: 'task' as const, due_at: due, title: 'Gọi chào', channel: null, rendered: null, problem: null, route: null, blocked: null, waits_until: null },
        {
          position: 1,
          kind: 'message' as const,
          due_at: due + 86_400_000,
          title: null,
          channel: 'email' as const,
          rendered: { subject: 'Chào', text: '<b>Chào Lan</b>, [customer.email]', html: '<p>x</p>', missing: ['customer.email'] },
          problem: 'missing variable customer.email',
          route: null,
          blocked: null,
          waits_until: null,
        },
      ]),
    );
    const enroll = vi.fn(() => {
      enrolled = [enrollment('active')];
      return Promise.resolve({ enrolled: 1, already: 0 });
    });
    const customerEnrollments = vi.fn(() => Promise.resolve(enrolled));
    setBackend(
      mockBackend({
        customerEnrollments,
        listScenarios: () => Promise.resolve([scenario('sc1', 'Chăm sóc khách mới', true), scenario('sc2', 'Đã tắt', false)]),
        planEnrollment,
        enroll,
      }),
    );
    render(CustomerScenarios, { customerId: 'c1', canEnroll: true });
    expect(await screen.findByText('Khách chưa tham gia kịch bản nào.')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('scenario-enroll'));
    const select = (await screen.findByTestId('scenario-enroll-select')) as HTMLSelectElement;
    // Only active scenarios are offered, by name.
    const options = Array.from(select.options).filter((o) => o.value !== '');
    expect(options.map((o) => [o.value, o.textContent])).toEqual([['sc1', 'Chăm sóc khách mới']]);
    expect((screen.getByTestId('scenario-enroll-confirm') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.change(select, { target: { value: 'sc1' } });
    await waitFor(() => expect(screen.getAllByTestId('plan-step')).toHaveLength(2));
    expect(planEnrollment).toHaveBeenCalledWith('sc1', 'c1');
    const [first, second] = screen.getAllByTestId('plan-step');
    expect(within(first).getByTestId('plan-step-when').textContent).toBe(formatDateTime(due));
    expect(first.dataset.problem).toBe('false');
    expect(second.dataset.problem).toBe('true');
    expect(second.classList.contains('problem')).toBe(true);
    // Rendered text is shown as text, never as HTML.
    expect(within(second).getByTestId('plan-step-text').textContent).toBe('<b>Chào Lan</b>, [customer.email]');
    expect(within(second).getByTestId('plan-step-problem').textContent).toBe('missing variable customer.email');
    expect(screen.getByTestId('scenario-enroll-problems')).toBeTruthy();
    expect(enroll).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('scenario-enroll-confirm'));
    await waitFor(() => expect(enroll).toHaveBeenCalledWith('sc1', { kind: 'customers', ids: ['c1'] }));
    // The card reloads through data-changed and closes the picker.
    const row = await screen.findByTestId('enrollment-row');
    expect(row.textContent).toContain('active');
    expect(screen.queryByTestId('scenario-enroll-select')).toBeNull();
    expect(customerEnrollments.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('says the route and cost a Zalo (automatic) step would take now, on one line', async () => {
    lang.set('en');
    const due = Date.UTC(2025, 5, 1, 2, 0);
    const rendered = { subject: null, text: 'Chào Lan', html: null, missing: [] };
    const planEnrollment = vi.fn(() =>
      Promise.resolve([
        {
          position: 0,
          kind: 'message' as const,
          due_at: due,
          title: null,
          channel: 'zalo_auto' as const,
          rendered,
          problem: null,
          route: { route: 'consultation' as const, reason: 'consultation_window' as const, cost_vnd: 0, free_replies_left: 0, window_closes_at: due },
          blocked: null,
          waits_until: null,
        },
        {
          position: 1,
          kind: 'message' as const,
          due_at: due + 86_400_000,
          title: null,
          channel: 'zalo_template' as const,
          rendered,
          problem: null,
          route: { route: 'template' as const, reason: 'outside_windows' as const, cost_vnd: 200, free_replies_left: 0, window_closes_at: null },
          blocked: null,
          waits_until: null,
        },
        { position: 2, kind: 'task' as const, due_at: due, title: 'Gọi lại', channel: null, rendered: null, problem: null, route: null, blocked: null, waits_until: null },
      ]),
    );
    setBackend(
      mockBackend({
        listScenarios: () => Promise.resolve([scenario('sc1', 'Chăm sóc khách mới', true)]),
        planEnrollment,
      }),
    );
    render(CustomerScenarios, { customerId: 'c1', canEnroll: true });
    await fireEvent.click(await screen.findByTestId('scenario-enroll'));
    await fireEvent.change(await screen.findByTestId('scenario-enroll-select'), { target: { value: 'sc1' } });
    await waitFor(() => expect(screen.getAllByTestId('plan-step')).toHaveLength(3));
    const [first, second, third] = screen.getAllByTestId('plan-step');
    expect(first.textContent).toContain('Zalo (automatic)');
    expect(within(first).getByTestId('plan-step-route').textContent?.trim()).toBe('If it went now: consultation message · free');
    expect(within(second).getByTestId('plan-step-route').textContent?.trim()).toBe('If it went now: Zalo template message · 200 đ');
    expect(within(second).getByTestId('plan-step-route').dataset.route).toBe('template');
    expect(within(third).queryByTestId('plan-step-route')).toBeNull();

    lang.set('vi');
    await waitFor(() =>
      expect(within(second).getByTestId('plan-step-route').textContent?.trim()).toBe('Nếu gửi lúc này: tin mẫu Zalo (ZNS) · 200 đ'),
    );
  });

  it('pauses an enrolment and reloads the card', async () => {
    lang.set('en');
    let current = enrollment('active');
    const pauseEnrollment = vi.fn(() => {
      current = { ...current, status: 'paused' };
      return Promise.resolve(current);
    });
    setBackend(mockBackend({ customerEnrollments: () => Promise.resolve([current]), pauseEnrollment }));
    render(CustomerScenarios, { customerId: 'c1', canEnroll: false });
    await fireEvent.click(await screen.findByTestId('enrollment-pause'));
    expect(pauseEnrollment).toHaveBeenCalledWith('e-active');
    expect(await screen.findByTestId('enrollment-resume')).toBeTruthy();
    expect(screen.queryByTestId('scenario-enroll')).toBeNull();
  });
});
