import { describe, expect, it } from 'vitest';
import { foldDiacritics, snoozeUntil, taskAction, taskRoute } from './todayActions';

const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime();

describe('foldDiacritics', () => {
  it('drops Vietnamese marks and lower-cases, đ included', () => {
    expect(foldDiacritics('Gửi BÁO GIÁ cho anh Đức')).toBe('gui bao gia cho anh duc');
    expect(foldDiacritics('Nhắn tin qua Zalo')).toBe('nhan tin qua zalo');
    expect(foldDiacritics('đặt lịch hẹn')).toBe('dat lich hen');
  });

  it('folds text typed with combining marks the same as precomposed text', () => {
    expect(foldDiacritics('Gửi'.normalize('NFD'))).toBe(foldDiacritics('Gửi'.normalize('NFC')));
  });
});

describe('taskAction', () => {
  it('offers a message for sending, Zalo, catalogue and quote tasks, however typed', () => {
    for (const title of [
      'Gửi báo giá cho anh Đức',
      'gui bao gia',
      'Báo giá gói VIP',
      'Gửi catalogue mới',
      'Nhắn tin chúc mừng sinh nhật',
      'Hỏi thăm qua Zalo',
      'Send the catalog',
      'Quote for the Q3 order',
      'Email the brochure',
    ]) {
      expect(taskAction(title), title).toBe('message');
    }
  });

  it('offers a call for anything else', () => {
    for (const title of ['Gọi lại', 'Hẹn gặp uống cà phê', 'Follow up', 'Call back', 'Kiểm tra đơn hàng', '']) {
      expect(taskAction(title), title).toBe('call');
    }
  });

  it('lets the verb that comes first decide when a title has both', () => {
    expect(taskAction('Gọi lại báo giá')).toBe('call');
    expect(taskAction('Gửi báo giá rồi gọi xác nhận')).toBe('message');
  });

  it('matches whole words only', () => {
    expect(taskAction('Ask the sender about the order')).toBe('call');
    expect(taskAction('Zalopay refund')).toBe('call');
  });
});

describe('snoozeUntil', () => {
  it('puts "later today" at 17:00, or three hours on once it is past 17:00', () => {
    expect(snoozeUntil('laterToday', at(2024, 6, 3, 10, 15))).toBe(at(2024, 6, 3, 17));
    expect(snoozeUntil('laterToday', at(2024, 6, 3, 17, 0))).toBe(at(2024, 6, 3, 20));
    expect(snoozeUntil('laterToday', at(2024, 6, 3, 22, 30))).toBe(at(2024, 6, 4, 1, 30));
  });

  it('puts tomorrow and three days on at 09:00 local time, across a month end', () => {
    expect(snoozeUntil('tomorrow', at(2024, 5, 31, 16, 20))).toBe(at(2024, 6, 1, 9));
    expect(snoozeUntil('in3Days', at(2024, 5, 30, 8, 0))).toBe(at(2024, 6, 2, 9));
  });

  it('puts "next week" on the coming Monday at 09:00, a week on from a Monday', () => {
    // 3 June 2024 is a Monday.
    expect(snoozeUntil('nextWeek', at(2024, 6, 3, 8, 0))).toBe(at(2024, 6, 10, 9));
    expect(snoozeUntil('nextWeek', at(2024, 6, 5, 14, 0))).toBe(at(2024, 6, 10, 9));
    expect(snoozeUntil('nextWeek', at(2024, 6, 8, 14, 0))).toBe(at(2024, 6, 10, 9));
    expect(snoozeUntil('nextWeek', at(2024, 6, 9, 23, 0))).toBe(at(2024, 6, 10, 9));
    for (const day of [3, 4, 5, 6, 7, 8, 9]) {
      expect(new Date(snoozeUntil('nextWeek', at(2024, 6, day, 12))).getDay()).toBe(1);
    }
  });
});

describe('taskRoute', () => {
  it('carries the task along with a call, opens compose for a message', () => {
    const task = { id: 't1', customer_id: 'c1' };
    expect(taskRoute(task, 'call')).toEqual({ name: 'customer', id: 'c1', logKind: 'call', fromTask: 't1' });
    expect(taskRoute(task, 'message')).toEqual({ name: 'customer', id: 'c1', compose: 'default' });
    expect(taskRoute(task, 'open')).toEqual({ name: 'customer', id: 'c1' });
  });

  it('leads nowhere for a task without a customer', () => {
    expect(taskRoute({ id: 't1', customer_id: null }, 'call')).toBeNull();
  });
});
