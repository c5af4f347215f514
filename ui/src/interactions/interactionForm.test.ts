import { describe, expect, it } from 'vitest';
import {
  OTHER_OUTCOME,
  defaultNextDate,
  emptyInteractionForm,
  followUpMillis,
  toInteractionInput,
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
