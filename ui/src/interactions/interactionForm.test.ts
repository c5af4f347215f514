import { describe, expect, it } from 'vitest';
import {
  OTHER_OUTCOME,
  defaultNextDate,
  emptyInteractionForm,
  followUpMillis,
  nextStepFor,
  toInteractionInput,
  withSuggestedNextStep,
} from './interactionForm';

const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const now = at(2024, 5, 31, 16, 20);

describe('defaultNextDate', () => {
  it('stays empty while there is no next step', () => {
    expect(defaultNextDate('', '', now)).toBe('');
    expect(defaultNextDate('   ', '', now)).toBe('');
  });

  it('suggests tomorrow once a next step is typed', () => {
    expect(defaultNextDate('Gửi báo giá', '', now)).toBe('2024-06-01');
  });

  it('keeps a date the user chose', () => {
    expect(defaultNextDate('Gửi báo giá', '2024-06-10', now)).toBe('2024-06-10');
  });
});

describe('followUpMillis', () => {
  it('is 09:00 local time on the chosen date', () => {
    const ms = followUpMillis('2024-06-10');
    expect(ms).toBe(at(2024, 6, 10, 9, 0));
    const d = new Date(ms!);
    expect([d.getHours(), d.getMinutes(), d.getDate()]).toEqual([9, 0, 10]);
  });

  it('is null without a valid date', () => {
    expect(followUpMillis('')).toBeNull();
  });
});

describe('toInteractionInput', () => {
  it('sends empty fields as null and occurred-at as the typed local time', () => {
    const values = emptyInteractionForm('call', now);
    const input = toInteractionInput('c1', values, now);
    expect(input).toEqual({
      customer_id: 'c1',
      kind: 'call',
      direction: 'outbound',
      subject: null,
      content: null,
      outcome: null,
      duration_minutes: null,
      occurred_at: at(2024, 5, 31, 16, 20),
      next_action: null,
      next_action_date: null,
    });
  });

  it('defaults the follow-up to tomorrow 09:00 when a next step has no date', () => {
    const values = { ...emptyInteractionForm('visit', now), nextAction: 'Gọi lại' };
    const input = toInteractionInput('c1', values, now);
    expect(input.next_action).toBe('Gọi lại');
    expect(input.next_action_date).toBe(at(2024, 6, 1, 9));
  });

  it('drops a stray date when there is no next step', () => {
    const values = { ...emptyInteractionForm('call', now), nextDate: '2024-06-03' };
    const input = toInteractionInput('c1', values, now);
    expect(input.next_action_date).toBeNull();
  });

  it('keeps line breaks in the content and uses free-text outcomes', () => {
    const values = {
      ...emptyInteractionForm('note', now),
      content: 'Dòng 1\nDòng 2\n',
      outcomeChoice: OTHER_OUTCOME,
      outcomeOther: 'Hẹn gặp ở quán cà phê',
      duration: '15',
    };
    const input = toInteractionInput('c1', values, now);
    expect(input.content).toBe('Dòng 1\nDòng 2');
    expect(input.outcome).toBe('Hẹn gặp ở quán cà phê');
    expect(input.duration_minutes).toBe(15);
  });
});

describe('toInteractionInput: a follow-up date without words', () => {
  it('gets the default title, so the reminder the user asked for exists', () => {
    const values = { ...emptyInteractionForm('call', now), nextDate: '2024-06-03' };
    const input = toInteractionInput('c1', values, now, { defaultNextAction: 'Liên hệ lại' });
    expect(input.next_action).toBe('Liên hệ lại');
    expect(input.next_action_date).toBe(at(2024, 6, 3, 9));
  });

  it('keeps a typed next step and creates nothing without a date', () => {
    const typed = { ...emptyInteractionForm('call', now), nextAction: 'Gửi mẫu', nextDate: '2024-06-03' };
    expect(toInteractionInput('c1', typed, now, { defaultNextAction: 'Follow up' }).next_action).toBe('Gửi mẫu');
    const nothing = toInteractionInput('c1', emptyInteractionForm('call', now), now, { defaultNextAction: 'Follow up' });
    expect([nothing.next_action, nothing.next_action_date]).toEqual([null, null]);
  });
});

describe('toInteractionInput: the task a call was logged from', () => {
  it('sends the task to mark done only when there is one', () => {
    const values = emptyInteractionForm('call', now);
    expect(toInteractionInput('c1', values, now, { completeTaskId: 't1' }).complete_task_id).toBe('t1');
    expect('complete_task_id' in toInteractionInput('c1', values, now, { completeTaskId: null })).toBe(false);
    expect('complete_task_id' in toInteractionInput('c1', values, now)).toBe(false);
  });
});

describe('next step suggested from the outcome', () => {
  it('calls again after no answer or a call-back, sends a quote when interested', () => {
    expect(nextStepFor('no_answer')).toBe('interaction.suggest.callAgain');
    expect(nextStepFor('callback')).toBe('interaction.suggest.callAgain');
    expect(nextStepFor('interested')).toBe('interaction.suggest.sendQuote');
    expect(nextStepFor('successful')).toBeNull();
    expect(nextStepFor('not_interested')).toBeNull();
    expect(nextStepFor('')).toBeNull();
    expect(nextStepFor(OTHER_OUTCOME)).toBeNull();
  });

  it('fills an empty next step, due tomorrow', () => {
    const next = withSuggestedNextStep({ nextAction: '', nextDate: '' }, 'Gọi lại', null, now);
    expect(next).toEqual({
      nextAction: 'Gọi lại',
      nextDate: '2024-06-01',
      suggested: { action: 'Gọi lại', date: '2024-06-01' },
    });
  });

  it('keeps a date the user chose', () => {
    const next = withSuggestedNextStep({ nextAction: '', nextDate: '2024-06-07' }, 'Gọi lại', null, now);
    expect([next.nextAction, next.nextDate]).toEqual(['Gọi lại', '2024-06-07']);
  });

  it('never replaces what the user typed', () => {
    const typed = { nextAction: 'Hẹn gặp thứ Hai', nextDate: '' };
    expect(withSuggestedNextStep(typed, 'Gọi lại', null, now)).toEqual({ ...typed, suggested: null });
    // Typed over an earlier suggestion: still the user's.
    const previous = { action: 'Gọi lại', date: '2024-06-01' };
    const edited = { nextAction: 'Gọi lại sau 5 giờ', nextDate: '2024-06-01' };
    expect(withSuggestedNextStep(edited, 'Gửi báo giá', previous, now).nextAction).toBe('Gọi lại sau 5 giờ');
  });

  it('replaces its own earlier suggestion, and takes it back when the outcome suggests nothing', () => {
    const first = withSuggestedNextStep({ nextAction: '', nextDate: '' }, 'Gọi lại', null, now);
    const second = withSuggestedNextStep(first, 'Gửi báo giá', first.suggested, now);
    expect([second.nextAction, second.nextDate]).toEqual(['Gửi báo giá', '2024-06-01']);
    const none = withSuggestedNextStep(second, null, second.suggested, now);
    expect(none).toEqual({ nextAction: '', nextDate: '', suggested: null });
  });
});
