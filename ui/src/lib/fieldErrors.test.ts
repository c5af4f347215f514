import { describe, expect, it } from 'vitest';
import { BackendError } from './backend';
import { fieldErrorMessage, phoneProblem, quotedValue } from './fieldErrors';

const invalid = (field: string | null, message: string) => new BackendError('invalid_input', message, field);

describe('fieldErrorMessage in Vietnamese', () => {
  it('localizes an invalid phone and keeps the typed value', () => {
    const error = invalid(
      'phone',
      '“0912 345” is not a valid Vietnamese phone number (for example 0912 345 678)',
    );
    const text = fieldErrorMessage('vi', error, '0912 345');
    expect(text).toBe('“0912 345” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)');
    expect(text).toContain('0912 345');
  });

  it('quotes the value the backend rejected, e.g. an extra phone rather than the first one', () => {
    const error = invalid('phone', '“0988” is not a valid Vietnamese phone number (for example 0912 345 678)');
    expect(fieldErrorMessage('vi', error, '0912 345 678')).toContain('“0988”');
  });

  it('falls back to the typed value when the backend message quotes nothing', () => {
    const error = invalid('phone', 'bad phone');
    expect(fieldErrorMessage('vi', error, ' 0912 345 ')).toBe(
      '“0912 345” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)',
    );
    expect(fieldErrorMessage('vi', error, '')).toBe('Vui lòng nhập số điện thoại');
    expect(fieldErrorMessage('vi', error)).toBe('Số điện thoại Việt Nam không hợp lệ (ví dụ: 0912 345 678)');
  });

  it('tells apart bad characters and bad international numbers', () => {
    const chars = invalid('phone', '“09a12” is not a phone number: only digits, spaces, dashes, dots and a leading + are allowed');
    expect(fieldErrorMessage('vi', chars, '09a12')).toContain('chỉ được dùng chữ số');
    const foreign = invalid('phone', '“+1 23” is not a valid international number: a + then 7 to 15 digits');
    expect(fieldErrorMessage('vi', foreign, '+1 23')).toBe(
      '“+1 23” không phải số quốc tế hợp lệ: dấu + rồi đến 7 đến 15 chữ số',
    );
  });

  it('maps list entries such as phones[1] to the phone message', () => {
    const error = invalid('phones[1]', '“123” is not a valid Vietnamese phone number (for example 0912 345 678)');
    expect(fieldErrorMessage('vi', error)).toContain('“123” không phải số điện thoại Việt Nam');
  });

  it('uses the phone wording for the Zalo phone', () => {
    const error = invalid('zalo_phone', '“0912” is not a valid Vietnamese phone number (for example 0912 345 678)');
    expect(fieldErrorMessage('vi', error, '0912')).toBe(
      '“0912” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)',
    );
  });

  it('asks for a name when it is empty, and says when it is too long', () => {
    expect(fieldErrorMessage('vi', invalid('full_name', "enter the customer's name"), '   ')).toBe(
      'Vui lòng nhập tên khách hàng',
    );
    expect(
      fieldErrorMessage('vi', invalid('full_name', 'the name is longer than 200 characters'), 'x'.repeat(201)),
    ).toBe('Tên dài quá 200 ký tự');
  });

  it('quotes the value for email, birthday and Telegram fields', () => {
    expect(
      fieldErrorMessage('vi', invalid('email', '“lan@” is not an email address (name@example.com)'), 'lan@'),
    ).toBe('“lan@” không phải địa chỉ email hợp lệ (ví dụ: ten@example.com)');
    expect(
      fieldErrorMessage('vi', invalid('birthday', '“1990-02-31” is not a date (YYYY-MM-DD)'), '1990-02-31'),
    ).toContain('“1990-02-31” không phải ngày hợp lệ');
    expect(
      fieldErrorMessage(
        'vi',
        invalid('telegram_id', '“abc” is not a Telegram chat id: it is a whole number such as 123456789'),
        'abc',
      ),
    ).toBe('“abc” không phải ID chat Telegram: ID phải là số nguyên, ví dụ 123456789');
    expect(
      fieldErrorMessage(
        'vi',
        invalid('telegram_username', '“ab” is not a Telegram username: 4 to 32 letters, digits or _'),
        '@ab',
      ),
    ).toBe('“ab” không phải tên người dùng Telegram hợp lệ: gồm 4 đến 32 chữ cái, chữ số hoặc dấu _');
  });

  it('has its own words for the interaction fields', () => {
    expect(
      fieldErrorMessage('vi', invalid('next_action', 'say what the next action is, or clear its date')),
    ).toBe('Hãy nhập bước tiếp theo, hoặc xoá ngày theo dõi');
    expect(
      fieldErrorMessage('vi', invalid('duration_minutes', 'the duration is in minutes, between 0 and 1440'), '2000'),
    ).toBe('Thời lượng tính bằng phút, từ 0 đến 1440');
  });

  it('falls back to the backend message for unknown fields and other codes', () => {
    expect(fieldErrorMessage('vi', invalid('customer_id', 'an interaction cannot move'))).toBe(
      'an interaction cannot move',
    );
    expect(fieldErrorMessage('vi', invalid('toString', 'odd field'))).toBe('odd field');
    expect(fieldErrorMessage('vi', invalid(null, 'no field'))).toBe('no field');
    expect(fieldErrorMessage('vi', new BackendError('conflict', 'changed elsewhere', 'phone'))).toBe(
      'changed elsewhere',
    );
  });
});

describe('fieldErrorMessage in English', () => {
  it("keeps the backend's message", () => {
    const message = '“0912 345” is not a valid Vietnamese phone number (for example 0912 345 678)';
    expect(fieldErrorMessage('en', invalid('phone', message), '0912 345')).toBe(message);
  });
});

describe('helpers', () => {
  it('reads the quoted value', () => {
    expect(quotedValue('“0912 345” is not valid')).toBe('0912 345');
    expect(quotedValue('“” is empty')).toBe('');
    expect(quotedValue('nothing quoted')).toBeNull();
  });

  it('classifies phone problems like the backend', () => {
    expect(phoneProblem('0912 345')).toBe('vietnamese');
    expect(phoneProblem('+84 912')).toBe('vietnamese');
    expect(phoneProblem('(+84) 912')).toBe('vietnamese');
    expect(phoneProblem('0033 1 23')).toBe('international');
    expect(phoneProblem('+1 23')).toBe('international');
    expect(phoneProblem('0912-abc')).toBe('characters');
    expect(phoneProblem('09+12')).toBe('characters');
  });
});
