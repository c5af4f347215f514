import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import {
  ALL_DAYS,
  applyWorkdayWindow,
  defaultStep,
  emptyScenarioForm,
  endTimeToMinutes,
  enrollmentActions,
  hasDay,
  minutesToTime,
  moveStep,
  removeStep,
  scenarioErrorField,
  scenarioFormFrom,
  stepErrorIndex,
  stepSummary,
  stepTimings,
  stepWhen,
  timeToMinutes,
  toScenarioInput,
  stepFormFrom,
  toStepInput,
  toggleDay,
} from './scenarioModel';

describe('step model', () => {
  it('starts a step as a task right away, with zero delays', () => {
    const step = defaultStep();
    expect(step.kind).toBe('task');
    expect([step.delay_days, step.delay_hours, step.delay_minutes]).toEqual([0, 0, 0]);
    expect(toStepInput(step)).toEqual({
      id: null,
      kind: 'task',
      delay_days: 0,
      delay_hours: 0,
      delay_minutes: 0,
      delay_from: 'previous',
      title: null,
      priority: null,
      due_offset_minutes: null,
      template_id: null,
      channel: null,
    });
    expect(defaultStep().key).not.toBe(step.key);
  });

  it('sends a saved step back with its id, so moving it keeps what enrolments did', () => {
    const saved = stepFormFrom({
      id: 'step-7',
      position: 2,
      kind: 'message',
      delay_days: 1,
      delay_hours: 0,
      delay_minutes: 0,
      delay_from: 'previous',
      title: null,
      priority: null,
      due_offset_minutes: null,
      template_id: 'tpl1',
      channel: 'email',
    });
    const [moved] = moveStep([defaultStep(), saved], 1, -1);
    expect(toStepInput(moved).id).toBe('step-7');
    expect(toStepInput(defaultStep()).id).toBeNull();
  });

  it('moves steps up and down, and leaves the ends alone', () => {
    const steps = ['a', 'b', 'c'];
    expect(moveStep(steps, 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveStep(steps, 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveStep(steps, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveStep(steps, 2, 1)).toEqual(['a', 'b', 'c']);
    expect(steps).toEqual(['a', 'b', 'c']);
  });

  it('removes a step', () => {
    expect(removeStep(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
    expect(removeStep(['a'], 0)).toEqual([]);
  });

  it('sends only the fields of the step kind', () => {
    const message = { ...defaultStep('message'), title: 'ignored', template_id: 'tpl1', channel: 'email' as const, priority: 'high' as const };
    expect(toStepInput(message)).toMatchObject({ kind: 'message', title: null, template_id: 'tpl1', channel: 'email', priority: null });

    const task = { ...defaultStep('task'), title: '  Gọi lại  ', priority: 'high' as const, due_offset_minutes: 90, template_id: 'tpl1' };
    expect(toStepInput(task)).toMatchObject({ title: 'Gọi lại', priority: 'high', due_offset_minutes: 90, template_id: null, channel: null });

    const notification = { ...defaultStep('notification'), title: 'Hỏi thăm', priority: 'low' as const, due_offset_minutes: 5 };
    expect(toStepInput(notification)).toMatchObject({ title: 'Hỏi thăm', priority: null, due_offset_minutes: null });
  });

  it('turns empty or invalid delays into 0', () => {
    const step = { ...defaultStep(), delay_days: null, delay_hours: 2.7, delay_minutes: -5 };
    expect(toStepInput(step)).toMatchObject({ delay_days: 0, delay_hours: 2, delay_minutes: 0 });
  });
});

describe('converting the form to a ScenarioInput', () => {
  it('builds the input with no window for a new scenario', () => {
    const values = emptyScenarioForm();
    expect(values.windowEnabled).toBe(false);
    values.name = '  Khách mới  ';
    values.description = ' ';
    values.steps[0].title = 'Gọi chào';
    const input = toScenarioInput(values);
    expect(input).toMatchObject({
      name: 'Khách mới',
      description: null,
      target: null,
      trigger: 'manual',
      trigger_tag: null,
      exit_on_reply: true,
      window: null,
      catch_up: 'send_late',
      catch_up_max_hours: null,
    });
    expect(input.steps).toHaveLength(1);
    expect(input.steps[0].title).toBe('Gọi chào');
  });

  it('keeps the trigger tag only for tag triggers and the hours only for skip_late', () => {
    const values = emptyScenarioForm();
    values.trigger_tag = 'VIP';
    values.catch_up_max_hours = 6;
    expect(toScenarioInput(values)).toMatchObject({ trigger_tag: null, catch_up_max_hours: null });
    values.trigger = 'tag_added';
    values.catch_up = 'skip_late';
    expect(toScenarioInput(values)).toMatchObject({ trigger_tag: 'VIP', catch_up_max_hours: 6 });
  });

  it('fills 08:00-20:00 Monday to Saturday in one click', () => {
    const values = emptyScenarioForm();
    values.windowStart = '10:00';
    values.windowDays = 1;
    applyWorkdayWindow(values);
    expect(values.windowEnabled).toBe(true);
    expect(values.windowStart).toBe('08:00');
    expect(values.windowEnd).toBe('20:00');
    expect(toScenarioInput(values).window).toEqual({ start_min: 480, end_min: 1200, days: 63 });
  });

  it('sends a window past midnight and midnight as the end of the day', () => {
    const values = emptyScenarioForm();
    values.windowEnabled = true;
    values.windowStart = '20:00';
    values.windowEnd = '08:00';
    values.windowDays = ALL_DAYS;
    expect(toScenarioInput(values).window).toEqual({ start_min: 1200, end_min: 480, days: 127 });
    values.windowStart = '00:00';
    values.windowEnd = '00:00';
    expect(toScenarioInput(values).window).toEqual({ start_min: 0, end_min: 1440, days: 127 });
  });

  it('reads a stored scenario back, steps in order', () => {
    const step = (position: number, title: string) => ({
      id: `s${position}`,
      position,
      kind: 'task' as const,
      delay_days: position,
      delay_hours: 0,
      delay_minutes: 0,
      delay_from: 'previous' as const,
      title,
      priority: null,
      due_offset_minutes: null,
      template_id: null,
      channel: null,
    });
    const values = scenarioFormFrom({
      id: 'sc1',
      name: 'Chăm sóc',
      description: null,
      target: 'Khách hội chợ',
      trigger: 'tag_added',
      trigger_tag: 'VIP',
      active: true,
      exit_on_reply: false,
      window: { start_min: 540, end_min: 1020, days: 31 },
      catch_up: 'skip_late',
      catch_up_max_hours: 12,
      steps: [step(1, 'second'), step(0, 'first')],
      enrolled_live: 0,
      enrolled_total: 0,
      created_at: 0,
      updated_at: 0,
    });
    expect(values.steps.map((s) => s.title)).toEqual(['first', 'second']);
    expect(values).toMatchObject({ windowEnabled: true, windowStart: '09:00', windowEnd: '17:00', windowDays: 31, target: 'Khách hội chợ' });
    expect(toScenarioInput(values)).toMatchObject({
      window: { start_min: 540, end_min: 1020, days: 31 },
      catch_up_max_hours: 12,
      trigger_tag: 'VIP',
      exit_on_reply: false,
    });
  });
});

describe('weekday bitmask', () => {
  it('toggles one day at a time, Monday = 1 … Sunday = 64', () => {
    expect(toggleDay(0, 0)).toBe(1);
    expect(toggleDay(0, 6)).toBe(64);
    expect(toggleDay(63, 6)).toBe(127);
    expect(toggleDay(127, 0)).toBe(126);
    expect(toggleDay(toggleDay(63, 3), 3)).toBe(63);
  });

  it('tells which days are on', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => hasDay(63, i))).toEqual([true, true, true, true, true, true, false]);
    expect(hasDay(64, 6)).toBe(true);
  });
});

describe('time input and minutes', () => {
  it('converts both ways', () => {
    expect(timeToMinutes('08:00')).toBe(480);
    expect(timeToMinutes('20:00')).toBe(1200);
    expect(timeToMinutes('23:59')).toBe(1439);
    expect(timeToMinutes('7:05')).toBe(425);
    expect(timeToMinutes('08:30:00')).toBe(510);
    expect(minutesToTime(480)).toBe('08:00');
    expect(minutesToTime(1439)).toBe('23:59');
    expect(minutesToTime(1440)).toBe('00:00');
    for (const m of [0, 1, 59, 61, 725, 1439]) expect(timeToMinutes(minutesToTime(m))).toBe(m);
  });

  it('rejects malformed times', () => {
    expect(timeToMinutes('')).toBeNull();
    expect(timeToMinutes('24:00')).toBeNull();
    expect(timeToMinutes('12:60')).toBeNull();
    expect(timeToMinutes('noon')).toBeNull();
  });

  it('treats midnight as the end of the day for a closing time', () => {
    expect(endTimeToMinutes('00:00')).toBe(1440);
    expect(endTimeToMinutes('20:00')).toBe(1200);
    expect(endTimeToMinutes('x')).toBeNull();
  });
});

describe('step summary', () => {
  const delay = (d: number, h: number, m: number, from: 'start' | 'previous') => ({
    delay_days: d,
    delay_hours: h,
    delay_minutes: m,
    delay_from: from,
  });

  it('words the delay in Vietnamese', () => {
    expect(stepSummary('vi', delay(2, 0, 0, 'previous'), 1)).toBe('2 ngày sau bước trước');
    expect(stepSummary('vi', delay(0, 0, 0, 'start'), 0)).toBe('ngay khi bắt đầu');
    expect(stepSummary('vi', delay(0, 0, 0, 'previous'), 0)).toBe('ngay khi bắt đầu');
    expect(stepSummary('vi', delay(0, 0, 0, 'previous'), 2)).toBe('ngay sau bước trước');
    expect(stepSummary('vi', delay(1, 3, 30, 'start'), 2)).toBe('1 ngày 3 giờ 30 phút sau khi bắt đầu');
  });

  it('words the delay in English, with singulars', () => {
    expect(stepSummary('en', delay(1, 0, 0, 'previous'), 1)).toBe('1 day after the previous step');
    expect(stepSummary('en', delay(2, 1, 0, 'previous'), 1)).toBe('2 days 1 hour after the previous step');
    expect(stepSummary('en', delay(0, 0, 0, 'start'), 3)).toBe('right at the start');
    expect(stepSummary('en', delay(0, 0, 45, 'start'), 3)).toBe('45 minutes after the start');
  });
});

describe('errors', () => {
  it('maps backend fields to the builder fields', () => {
    expect(scenarioErrorField(new BackendError('invalid_input', 'x', 'name'))).toBe('name');
    expect(scenarioErrorField(new BackendError('invalid_input', 'x', 'window'))).toBe('window');
    expect(scenarioErrorField(new BackendError('invalid_input', 'x', 'steps[1]'))).toBe('steps');
    expect(scenarioErrorField(new BackendError('invalid_input', 'x', 'other'))).toBeNull();
    expect(scenarioErrorField(new BackendError('conflict', 'x', 'name'))).toBeNull();
    expect(scenarioErrorField(new Error('x'))).toBeNull();
  });

  it('finds the step a steps error is about from its 1-based step parameter', () => {
    const stepError = (key: string, params: Record<string, string>) =>
      new BackendError('invalid_input', 'step 9: English text', 'steps', key, params);
    expect(stepErrorIndex(stepError('step.template_missing', { step: '2' }), 3)).toBe(1);
    expect(stepErrorIndex(stepError('step.title_missing', { step: '1', kind: 'task' }), 3)).toBe(0);
    expect(stepErrorIndex(stepError('step.channel_missing', { step: '5' }), 3)).toBeNull();
    expect(stepErrorIndex(stepError('step.channel_missing', { step: '0' }), 3)).toBeNull();
    expect(stepErrorIndex(stepError('step.channel_missing', { step: 'two' }), 3)).toBeNull();
    // The English message is never read: an error without the parameter names no step.
    expect(stepErrorIndex(stepError('scenario.no_steps', {}), 0)).toBeNull();
  });
});

describe('enrolment actions', () => {
  it('offers pause, resume and cancel per status', () => {
    expect(enrollmentActions('active')).toEqual({ pause: true, resume: false, cancel: true });
    expect(enrollmentActions('paused')).toEqual({ pause: false, resume: true, cancel: true });
    for (const status of ['completed', 'cancelled', 'exited'] as const) {
      expect(enrollmentActions(status)).toEqual({ pause: false, resume: false, cancel: false });
    }
  });
});

describe('when each step happens, counted from the start', () => {
  const step = (delay_days: number, delay_from: 'start' | 'previous', delay_hours = 0, delay_minutes = 0) => ({
    delay_days,
    delay_hours,
    delay_minutes,
    delay_from,
  });

  it('adds up a chain of "from the previous step" delays; the start is day 0', () => {
    const timings = stepTimings([step(2, 'previous'), step(7, 'previous'), step(0, 'previous', 2)]);
    expect(timings.map((t) => t.atMinutes)).toEqual([2 * 1440, 9 * 1440, 9 * 1440 + 120]);
    expect(timings.every((t) => !t.beforeAbove)).toBe(true);
    expect(stepWhen('vi', timings[1].atMinutes)).toBe('Ngày thứ 9 kể từ khi bắt đầu');
    expect(stepWhen('en', timings[1].atMinutes)).toBe('Day 9 from the start');
    expect(stepWhen('vi', timings[2].atMinutes)).toBe('Ngày thứ 9, sau 2 giờ');
    expect(stepWhen('en', timings[2].atMinutes)).toBe('Day 9, 2 hours in');
  });

  it('counts a "from the start" step from the start, and flags it when that is before the step above', () => {
    const timings = stepTimings([step(2, 'start'), step(7, 'previous'), step(3, 'start'), step(1, 'previous'), step(12, 'start')]);
    expect(timings).toEqual([
      { atMinutes: 2 * 1440, beforeAbove: false },
      { atMinutes: 9 * 1440, beforeAbove: false },
      // Day 3 by its own delay, though it can only run once the day-9 step has.
      { atMinutes: 3 * 1440, beforeAbove: true },
      // The step above runs right after day 9, so one day later is day 10.
      { atMinutes: 10 * 1440, beforeAbove: false },
      { atMinutes: 12 * 1440, beforeAbove: false },
    ]);
    expect(stepWhen('vi', timings[2].atMinutes)).toBe('Ngày thứ 3 kể từ khi bắt đầu');
  });

  it('counts the first step from the start whatever it says, like the backend', () => {
    expect(stepTimings([step(1, 'previous', 2)])).toEqual([{ atMinutes: 1440 + 120, beforeAbove: false }]);
    expect(stepTimings([])).toEqual([]);
  });

  it('words the start day, hours and minutes, and blank delays as zero', () => {
    const [first, second] = stepTimings([
      { delay_days: null, delay_hours: null, delay_minutes: null, delay_from: 'start' },
      step(0, 'previous', 0, 30),
    ]);
    expect(stepWhen('vi', first.atMinutes)).toBe('Ngày 0, ngay hôm bắt đầu');
    expect(stepWhen('en', first.atMinutes)).toBe('Day 0, the day it starts');
    expect(stepWhen('vi', second.atMinutes)).toBe('Ngày 0, sau 30 phút');
    expect(stepWhen('en', 1440 + 90)).toBe('Day 1, 1 hour 30 minutes in');
    expect(stepWhen('vi', 1440 + 120)).toBe('Ngày thứ 1, sau 2 giờ');
    expect(stepWhen('en', 1440)).toBe('Day 1 from the start');
  });
});
