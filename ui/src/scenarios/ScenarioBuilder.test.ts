import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, setBackend, tauriBackend, type Backend } from '../lib/backend';
import { mockBackend } from '../test/mockBackend';
import type { Scenario } from '../lib/bindings/Scenario';
import type { ScenarioInput } from '../lib/bindings/ScenarioInput';
import { lang } from '../lib/i18n';
import DiscardConfirm from '../app/DiscardConfirm.svelte';
import ScenarioBuilder from './ScenarioBuilder.svelte';

function builderBackend(overrides: Partial<Backend>) {
  return mockBackend({
    listTemplates: () =>
      Promise.resolve([
        {
          id: 'tpl1',
          name: 'Cảm ơn',
          description: null,
          channel: 'any',
          category: 'thank_you',
          subject: null,
          body: 'Cảm ơn {{customer.given_name}}',
          usage_count: 0,
          last_used_at: null,
          created_at: 0,
          updated_at: 0,
          zalo_template_id: null,
          zalo_params: null,
        },
      ]),
    ...overrides,
  });
}

const stored: Scenario = {
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
  steps: [],
  enrolled_live: 4,
  enrolled_total: 9,
  created_at: 0,
  updated_at: 0,
};

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

const all = (id: string) => screen.getAllByTestId(id) as (HTMLInputElement & HTMLSelectElement)[];

describe('ScenarioBuilder', () => {
  it('builds a scenario with ordered steps and a one-click window', async () => {
    lang.set('vi');
    const createScenario = vi.fn((_input: ScenarioInput) => Promise.resolve(stored));
    const onDone = vi.fn();
    setBackend(builderBackend({ createScenario }));
    render(ScenarioBuilder, { editing: null, onDone, onOpen: () => {} });

    await fireEvent.input(screen.getByTestId('scenario-form-name'), { target: { value: 'Khách mới' } });
    await fireEvent.input(all('step-form-title')[0], { target: { value: 'Gọi chào' } });
    expect(screen.getByTestId('step-summary').textContent).toBe('ngay khi bắt đầu');

    await fireEvent.click(screen.getByTestId('step-add'));
    expect(all('step-form-kind')).toHaveLength(2);
    await fireEvent.change(all('step-form-kind')[1], { target: { value: 'message' } });
    await fireEvent.input(all('step-form-delay-days')[1], { target: { value: '2' } });
    expect(screen.getAllByTestId('step-summary')[1].textContent).toBe('2 ngày sau bước trước');
    await waitFor(() => expect(all('step-form-template')[0].options.length).toBe(2));
    await fireEvent.change(all('step-form-template')[0], { target: { value: 'tpl1' } });
    await fireEvent.change(all('step-form-channel')[0], { target: { value: 'email' } });

    // Move the message first, then back.
    await fireEvent.click(all('step-move-up')[1]);
    expect(all('step-form-kind').map((s) => s.value)).toEqual(['message', 'task']);
    await fireEvent.click(all('step-move-down')[0]);
    expect(all('step-form-kind').map((s) => s.value)).toEqual(['task', 'message']);

    // No window until asked for; one click fills 08:00-20:00, Monday to Saturday.
    expect(screen.queryByTestId('scenario-form-window-start')).toBeNull();
    await fireEvent.click(screen.getByTestId('scenario-form-window-workdays'));
    expect((screen.getByTestId('scenario-form-window') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('scenario-form-window-start') as HTMLInputElement).value).toBe('08:00');
    const days = screen.getAllByTestId('scenario-form-window-day');
    expect(days.map((d) => d.getAttribute('aria-pressed'))).toEqual(['true', 'true', 'true', 'true', 'true', 'true', 'false']);
    await fireEvent.click(days[6]);

    await fireEvent.click(screen.getByTestId('scenario-save'));
    await waitFor(() => expect(createScenario).toHaveBeenCalledTimes(1));
    const input = createScenario.mock.calls[0][0];
    expect(input.name).toBe('Khách mới');
    expect(input.window).toEqual({ start_min: 480, end_min: 1200, days: 127 });
    expect(input.steps).toEqual([
      expect.objectContaining({ kind: 'task', title: 'Gọi chào', delay_days: 0, template_id: null }),
      expect.objectContaining({ kind: 'message', delay_days: 2, delay_from: 'previous', template_id: 'tpl1', channel: 'email', title: null }),
    ]);
    await waitFor(() => expect(onDone).toHaveBeenCalled());
  });

  it('shows a step error beside the step it names, in Vietnamese, and keeps what was typed', async () => {
    lang.set('vi');
    const b = builderBackend({});
    b.fail(
      'createScenario',
      new BackendError('invalid_input', 'step 2: choose a template', 'steps', 'step.template_missing', { step: '2' }),
    );
    setBackend(b);
    render(ScenarioBuilder, { editing: null, onDone: () => {}, onOpen: () => {} });
    await fireEvent.input(screen.getByTestId('scenario-form-name'), { target: { value: 'Khách mới' } });
    await fireEvent.click(screen.getByTestId('step-add'));
    await fireEvent.change(all('step-form-kind')[1], { target: { value: 'message' } });
    await fireEvent.click(screen.getByTestId('scenario-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('Bước 2: hãy chọn mẫu tin nhắn');
    expect(screen.getAllByTestId('step-item')[1].contains(error)).toBe(true);
    expect((screen.getByTestId('scenario-form-name') as HTMLInputElement).value).toBe('Khách mới');
    lang.set('en');
    await waitFor(() => expect(screen.getByTestId('field-error').textContent).toBe('Step 2: choose a template'));
  });

  it('warns about live enrolments and offers to cancel them when delete conflicts', async () => {
    lang.set('vi');
    const onDone = vi.fn();
    const b = builderBackend({
      getScenario: () => Promise.resolve(stored),
      cancelScenarioEnrollments: () => Promise.resolve(4),
    });
    b.failOnce(
      'deleteScenario',
      new BackendError('conflict', '4 customers are still enrolled', null, 'scenario.still_enrolled', {
        count: '4',
        name: 'Chăm sóc khách mới',
      }),
    );
    setBackend(b);
    render(ScenarioBuilder, { editing: stored, onDone, onOpen: () => {} });
    expect(screen.getByTestId('scenario-live-notice').textContent).toContain(
      'Đang có 4 khách trong kịch bản: các bước đã làm giữ nguyên, các bước sau sẽ theo định nghĩa mới.',
    );
    await fireEvent.click(screen.getByTestId('scenario-delete'));
    await fireEvent.click(screen.getByTestId('scenario-delete-confirm'));
    expect((await screen.findByTestId('scenario-delete-conflict')).textContent).toContain(
      'Vẫn còn 4 khách trong “Chăm sóc khách mới”: hãy huỷ đăng ký của họ trước',
    );
    await fireEvent.click(screen.getByTestId('scenario-cancel-all-delete'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(b.cancelScenarioEnrollments).toHaveBeenCalledWith('sc1');
    expect(b.deleteScenario).toHaveBeenCalledTimes(2);
    // The enrolments are cancelled between the refused delete and the one that goes through.
    const writes = b
      .calls()
      .map((c) => c.method)
      .filter((m) => m === 'deleteScenario' || m === 'cancelScenarioEnrollments');
    expect(writes).toEqual(['deleteScenario', 'cancelScenarioEnrollments', 'deleteScenario']);
  });

  it('leaves an untouched scenario at once and asks before dropping changes', async () => {
    lang.set('vi');
    const withSteps: Scenario = {
      ...stored,
      window: { start_min: 480, end_min: 1200, days: 63 },
      steps: [
        {
          id: 's1',
          position: 0,
          kind: 'message',
          delay_days: 0,
          delay_hours: 2,
          delay_minutes: 0,
          delay_from: 'start',
          title: null,
          priority: null,
          due_offset_minutes: null,
          template_id: 'tpl1',
          channel: 'email',
        },
        {
          id: 's2',
          position: 1,
          kind: 'task',
          delay_days: 3,
          delay_hours: 0,
          delay_minutes: 0,
          delay_from: 'previous',
          title: 'Gọi hỏi thăm',
          priority: 'high',
          due_offset_minutes: 60,
          template_id: null,
          channel: null,
        },
      ],
    };
    setBackend(builderBackend({ getScenario: () => Promise.resolve(withSteps) }));
    const onDone = vi.fn();
    render(DiscardConfirm);
    render(ScenarioBuilder, { editing: withSteps, onDone, onOpen: () => {} });
    await waitFor(() => expect(all('step-form-template')[0].options.length).toBe(2));

    await fireEvent.keyDown(screen.getByTestId('scenario-form-name'), { key: 'Escape' });
    expect(screen.queryByTestId('form-discard')).toBeNull();
    expect(onDone).toHaveBeenCalledTimes(1);

    await fireEvent.input(all('step-form-delay-days')[1], { target: { value: '4' } });
    await fireEvent.keyDown(screen.getByTestId('scenario-form-name'), { key: 'Escape' });
    expect(screen.getByTestId('form-discard').textContent).toContain('Bỏ các thay đổi chưa lưu?');
    await fireEvent.click(screen.getByTestId('form-discard-keep'));
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(all('step-form-delay-days')[1].value).toBe('4');

    await fireEvent.click(screen.getByText('Huỷ'));
    await fireEvent.click(screen.getByTestId('form-discard-confirm'));
    expect(onDone).toHaveBeenCalledTimes(2);
  });

  it('says on every step which day from the start it happens, and when it falls before the step above', async () => {
    lang.set('vi');
    setBackend(builderBackend({}));
    render(ScenarioBuilder, { editing: null, onDone: () => {}, onOpen: () => {} });
    const when = () => screen.getAllByTestId('step-when').map((el) => el.textContent?.replace(/\s+/g, ' ').trim());

    expect(when()).toEqual(['Ngày 0, ngay hôm bắt đầu']);
    await fireEvent.input(all('step-form-delay-days')[0], { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('step-add'));
    await fireEvent.input(all('step-form-delay-days')[1], { target: { value: '7' } });
    await fireEvent.click(screen.getByTestId('step-add'));
    await fireEvent.input(all('step-form-delay-days')[2], { target: { value: '3' } });
    await fireEvent.input(all('step-form-delay-hours')[2], { target: { value: '2' } });
    expect(when()).toEqual(['Ngày thứ 2 kể từ khi bắt đầu', 'Ngày thứ 9 kể từ khi bắt đầu', 'Ngày thứ 12, sau 2 giờ']);
    expect(screen.queryByTestId('step-when-before')).toBeNull();

    await fireEvent.change(all('step-form-delay-from')[2], { target: { value: 'start' } });
    expect(when()[2]).toBe('Ngày thứ 3, sau 2 giờ (trước bước phía trên: sẽ chạy ngay sau bước đó)');
    const hint = screen.getByTestId('step-when-before');
    expect(screen.getAllByTestId('step-item')[2].contains(hint)).toBe(true);

    lang.set('en');
    await waitFor(() => expect(when()[1]).toBe('Day 9 from the start'));
  });
});
