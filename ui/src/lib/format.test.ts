import { describe, expect, it } from 'vitest';
import {
  calendarDayDiff,
  formatDate,
  formatDateTime,
  formatIsoDate,
  formatRelativeDay,
  formatTime,
  formatVnd,
  fromDateTimeInputValue,
  localDateAt,
  numberFormat,
  relativeDayParts,
  toDateInputValue,
  toDateTimeInputValue,
  tomorrowDateInputValue,
} from './format';

const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime();

describe('formatVnd', () => {
  it('groups the dong the Vietnamese way, with the đ after a space', () => {
    expect(formatVnd(200)).toBe('200 đ');
    expect(formatVnd(1_500_000)).toBe('1.500.000 đ');
    expect(formatVnd(0)).toBe('0 đ');
  });
});

describe('absolute formats', () => {
  it('uses dd/MM/yyyy with zero padding', () => {
    expect(formatDate(at(2024, 3, 5, 14, 7))).toBe('05/03/2024');
  });

  it('uses 24-hour HH:mm', () => {
    expect(formatTime(at(2024, 3, 5, 0, 5))).toBe('00:05');
    expect(formatTime(at(2024, 3, 5, 21, 30))).toBe('21:30');
    expect(formatDateTime(at(2024, 12, 31, 23, 59))).toBe('31/12/2024 23:59');
  });

  it('rewrites ISO birthdays and leaves other text alone', () => {
    expect(formatIsoDate('1990-07-02')).toBe('02/07/1990');
    expect(formatIsoDate('07/1990')).toBe('07/1990');
  });
});

describe('relative days', () => {
  const now = at(2024, 6, 15, 10, 0);

  it('counts local calendar days, not 24-hour spans', () => {
    expect(calendarDayDiff(at(2024, 6, 14, 23, 59), at(2024, 6, 15, 0, 1))).toBe(-1);
    expect(calendarDayDiff(at(2024, 6, 15, 23, 59), now)).toBe(0);
    expect(calendarDayDiff(at(2024, 7, 1, 8), now)).toBe(16);
  });

  it('says today, yesterday, tomorrow in Vietnamese', () => {
    expect(formatRelativeDay(at(2024, 6, 15, 1), now, 'vi')).toBe('hôm nay');
    expect(formatRelativeDay(at(2024, 6, 14, 22), now, 'vi')).toBe('hôm qua');
    expect(formatRelativeDay(at(2024, 6, 16, 8), now, 'vi')).toBe('ngày mai');
    expect(formatRelativeDay(at(2024, 6, 12, 8), now, 'vi')).toBe('3 ngày trước');
    expect(formatRelativeDay(at(2024, 6, 18, 8), now, 'vi')).toBe('3 ngày nữa');
  });

  it('says the same in English', () => {
    expect(formatRelativeDay(at(2024, 6, 15, 1), now, 'en')).toBe('today');
    expect(formatRelativeDay(at(2024, 6, 14, 22), now, 'en')).toBe('yesterday');
    expect(formatRelativeDay(at(2024, 6, 12, 8), now, 'en')).toBe('3 days ago');
    expect(formatRelativeDay(at(2024, 6, 20, 8), now, 'en')).toBe('in 5 days');
  });

  it('falls back to the date beyond a week', () => {
    expect(formatRelativeDay(at(2024, 6, 8, 8), now, 'vi')).toBe('08/06/2024');
    expect(formatRelativeDay(at(2024, 6, 22, 8), now, 'en')).toBe('22/06/2024');
  });

  it('adds the exact date only beside a relative word, never the date twice', () => {
    expect(relativeDayParts(at(2024, 6, 14, 22), now, 'vi')).toEqual({
      primary: 'hôm qua',
      secondary: '14/06/2024',
    });
    expect(relativeDayParts(at(2024, 6, 12, 8), now, 'vi')).toEqual({
      primary: '3 ngày trước',
      secondary: '12/06/2024',
    });
    expect(relativeDayParts(at(2024, 6, 18, 8), now, 'en')).toEqual({
      primary: 'in 3 days',
      secondary: '18/06/2024',
    });
    expect(relativeDayParts(at(2024, 10, 25, 9), now, 'vi')).toEqual({
      primary: '25/10/2024',
      secondary: null,
    });
    expect(relativeDayParts(at(2024, 6, 8, 8), now, 'en')).toEqual({
      primary: '08/06/2024',
      secondary: null,
    });
  });
});

describe('input values', () => {
  it('round-trips date inputs as local dates', () => {
    expect(toDateInputValue(at(2024, 1, 9, 23, 30))).toBe('2024-01-09');
    expect(localDateAt('2024-01-09', 9)).toBe(at(2024, 1, 9, 9));
  });

  it('rejects malformed or impossible dates', () => {
    expect(localDateAt('', 9)).toBeNull();
    expect(localDateAt('2024-02-31', 9)).toBeNull();
    expect(localDateAt('09/01/2024', 9)).toBeNull();
  });

  it('round-trips datetime-local values', () => {
    const ms = at(2024, 11, 3, 7, 45);
    expect(toDateTimeInputValue(ms)).toBe('2024-11-03T07:45');
    expect(fromDateTimeInputValue('2024-11-03T07:45')).toBe(ms);
    expect(fromDateTimeInputValue('nonsense')).toBeNull();
  });

  it('gives tomorrow across month and year ends', () => {
    expect(tomorrowDateInputValue(at(2024, 1, 31, 23, 50))).toBe('2024-02-01');
    expect(tomorrowDateInputValue(at(2024, 12, 31, 8))).toBe('2025-01-01');
  });
});

describe('numberFormat', () => {
  it('groups digits the Vietnamese way', () => {
    expect(numberFormat().format(1234567)).toBe('1.234.567');
    expect(numberFormat().format(42)).toBe('42');
  });
});
