import { describe, expect, it } from 'vitest';
import { BackendError, toBackendError, type ErrorParams } from './backend';
import type { ErrorCode } from './bindings/ErrorCode';
import { errorMessageKey, errorText } from './errorText';
import { dictionaries } from './i18n';

const invalid = (key: string, params: ErrorParams = {}, field: string | null = null) =>
  new BackendError('invalid_input', 'English text for the log', field, key, params);

describe('errorText', () => {
  it('words a phone error from its key, with the rejected value, in both languages', () => {
    const error = invalid('phone.invalid_vietnamese', { value: '0912 345' }, 'phones[1]');
    expect(errorText('vi', error)).toBe('“0912 345” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)');
    expect(errorText('en', error)).toBe('“0912 345” is not a valid Vietnamese phone number (for example 0912 345 678)');
  });

  it('tells the phone checks apart by key', () => {
    expect(errorText('vi', invalid('phone.bad_characters', { value: '09a12' }))).toContain('chỉ được dùng chữ số');
    expect(errorText('en', invalid('phone.invalid_international', { value: '+1 23' }))).toBe(
      '“+1 23” is not a valid international number: a + then 7 to 15 digits',
    );
    expect(errorText('vi', invalid('phone.missing'))).toBe('Vui lòng nhập số điện thoại');
    expect(errorText('en', invalid('phone.missing'))).toBe('Enter a phone number');
  });

  it('fills in numbers that arrive as decimal strings', () => {
    const tooLong = invalid('customer.name_too_long', { max: '200' }, 'full_name');
    expect(errorText('vi', tooLong)).toBe('Tên dài quá 200 ký tự');
    expect(errorText('en', tooLong)).toBe('The name is longer than 200 characters');
    const duration = invalid('interaction.duration_out_of_range', { max: '1440' }, 'duration_minutes');
    expect(errorText('vi', duration)).toBe('Thời lượng tính bằng phút, từ 0 đến 1440');
  });

  it('words a template syntax error in plain words, with its line and column but not the engine detail', () => {
    const error = invalid('template.syntax_error_at', { line: '2', column: '5', detail: 'unclosed tag' }, 'body');
    expect(errorText('en', error)).toBe(
      'The template has a syntax error at line 2, column 5: check that every {{ is closed by a matching }}',
    );
    expect(errorText('vi', error)).toBe(
      'Mẫu có lỗi cú pháp ở dòng 2, cột 5: kiểm tra các dấu {{ và }} có đóng mở đủ cặp chưa',
    );
    expect(errorText('vi', invalid('template.syntax_error', { detail: 'unclosed tag' }))).not.toContain('unclosed');
  });

  it('names a misspelt template variable and the closest real one', () => {
    const error = invalid('template.unknown_variable', { name: 'customer.nam', suggestion: 'customer.name' }, 'body');
    expect(errorText('vi', error)).toBe('Mẫu dùng biến “customer.nam” không tồn tại. Có phải bạn muốn “customer.name”?');
    expect(errorText('en', error)).toBe('The template uses “customer.nam”, which does not exist. Did you mean “customer.name”?');
    const none = invalid('template.unknown_variable_no_suggestion', { name: 'khach.ten' }, 'body');
    expect(errorText('vi', none)).toContain('“khach.ten” không tồn tại');
  });

  it('numbers a scenario step error from its step parameter', () => {
    const error = invalid('step.template_missing', { step: '2' }, 'steps');
    expect(errorText('vi', error)).toBe('Bước 2: hãy chọn mẫu tin nhắn');
    expect(errorText('en', error)).toBe('Step 2: choose a template');
  });

  it('words a choice the backend names (a step kind, a message status)', () => {
    const title = invalid('step.title_missing', { step: '1', kind: 'notification' }, 'steps');
    expect(errorText('en', title)).toBe('Step 1: write what the reminder says');
    expect(errorText('vi', title)).toBe('Bước 1: hãy nhập nội dung lời nhắc');
    const retry = new BackendError('conflict', 'a sent message cannot be retried', null, 'outbox.cannot_retry', {
      status: 'sent',
    });
    expect(errorText('en', retry)).toBe('This message cannot be sent again: it is already sent');
    expect(errorText('vi', retry)).toBe('Không thể gửi lại tin nhắn này: tin nhắn đã gửi');
  });

  it('uses plural forms for counts', () => {
    const enrolled = (count: string) =>
      new BackendError('conflict', 'still enrolled', null, 'scenario.still_enrolled', { count, name: 'Sinh nhật' });
    expect(errorText('en', enrolled('1'))).toBe(
      '1 customer is still in “Sinh nhật”: cancel their enrolments first',
    );
    expect(errorText('en', enrolled('2'))).toBe(
      '2 customers are still in “Sinh nhật”: cancel their enrolments first',
    );
    expect(errorText('vi', enrolled('2'))).toBe('Vẫn còn 2 khách trong “Sinh nhật”: hãy huỷ đăng ký của họ trước');
  });

  it('words errors of every code from their keys', () => {
    expect(errorText('vi', new BackendError('not_found', 'customer not found', null, 'not_found.customer'))).toBe(
      'Khách hàng này không còn tồn tại',
    );
    const newer = new BackendError('newer_database', 'newer', null, 'database.newer', { found: '9', known: '7' });
    expect(errorText('en', newer)).toContain('data version 9; this version reads up to 7');
    expect(errorText('vi', new BackendError('storage', 'disk full', null, 'storage.unwritable'))).toContain(
      'Không ghi được tệp dữ liệu',
    );
  });

  it('words backup and damaged-database errors, with the path they name', () => {
    const folder = new BackendError('invalid_input', 'x', 'folder', 'backup.folder_unusable', { path: 'F:\\Tend' });
    expect(errorText('vi', folder)).toContain('Không dùng được thư mục “F:\\Tend”');
    expect(errorText('en', folder)).toContain('The folder “F:\\Tend” cannot be used');
    expect(errorText('vi', new BackendError('invalid_input', 'x', 'keep_daily', 'backup.keep_none'))).toContain(
      'Hãy giữ ít nhất một bản',
    );
    const damaged = new BackendError('storage', 'database disk image is malformed', null, 'db.damaged');
    expect(errorText('vi', damaged)).toMatch(/^Tệp dữ liệu bị hỏng/);
    expect(errorText('en', damaged)).toMatch(/^The data file is damaged/);
    expect(errorText('vi', damaged)).not.toContain('malformed');
  });

  it('falls back to generic words for the code when the key is unknown or missing', () => {
    const codes: ErrorCode[] = ['invalid_input', 'not_found', 'conflict', 'newer_database', 'storage', 'internal'];
    for (const code of codes) {
      const unknown = new BackendError(code, 'an English sentence', 'phone', 'phone.some_future_check', { value: 'x' });
      expect(errorText('vi', unknown)).toBe(dictionaries.vi[`error.code.${code}`]);
      expect(errorText('en', unknown)).toBe(dictionaries.en[`error.code.${code}`]);
      expect(errorText('en', new BackendError(code, 'an English sentence'))).toBe(dictionaries.en[`error.code.${code}`]);
    }
  });

  it('never shows the English message', () => {
    const error = invalid('customer.email_invalid', { value: 'lan@' }, 'email');
    expect(errorText('vi', error)).not.toContain('English text');
    expect(errorText('vi', new BackendError('internal', 'connection reset'))).toBe('Đã có lỗi xảy ra');
  });

  it('words anything thrown, not only backend errors', () => {
    expect(errorText('en', new TypeError('x is undefined'))).toBe('Something went wrong');
    expect(errorText('vi', 'boom')).toBe('Đã có lỗi xảy ra');
    expect(errorText('en', undefined)).toBe('Something went wrong');
  });

  it('reads key and params from a raw payload', () => {
    const payload = {
      code: 'invalid_input',
      key: 'customer.birthday_invalid',
      params: { value: '1990-02-31' },
      message: '“1990-02-31” is not a date (YYYY-MM-DD)',
      field: 'birthday',
    };
    expect(errorText('vi', payload)).toBe('“1990-02-31” không phải ngày hợp lệ (năm-tháng-ngày, ví dụ: 1990-05-31)');
    expect(errorText('en', toBackendError(payload))).toBe('“1990-02-31” is not a date (YYYY-MM-DD)');
  });
});

describe('errorMessageKey', () => {
  it('maps a key to its catalog entry', () => {
    expect(errorMessageKey(invalid('phone.invalid_vietnamese'))).toBe('error.phone.invalid_vietnamese');
    expect(errorMessageKey(invalid('code.invalid_input'))).toBe('error.code.invalid_input');
    expect(errorMessageKey(invalid(''))).toBe('error.code.invalid_input');
    expect(errorMessageKey(invalid('toString'))).toBe('error.code.invalid_input');
  });

  it('has an entry for every key the backend emits', () => {
    const keys = [
      'phone.missing', 'phone.bad_characters', 'phone.invalid_vietnamese', 'phone.invalid_international',
      'customer.name_missing', 'customer.name_too_long', 'customer.birthday_invalid',
      'customer.telegram_id_invalid', 'customer.telegram_username_invalid', 'customer.email_invalid',
      'note.empty', 'task.title_missing', 'interaction.duration_out_of_range',
      'interaction.next_action_missing', 'interaction.customer_changed', 'template.name_missing',
      'template.body_empty', 'template.syntax_error', 'template.syntax_error_at', 'template.render_error',
      'template.render_error_at', 'template.too_many_missing', 'recipient.no_telegram_chat',
      'recipient.no_zalo_id', 'recipient.no_email', 'recipient.no_zalo_phone',
      'recipient.no_telegram_username', 'send.personal_is_assisted', 'send.only_personal_is_assisted',
      'send.template_wrong_channel', 'send.missing_values', 'send.too_long', 'send.body_empty',
      'settings.smtp_from_invalid', 'settings.timeout_out_of_range', 'telegram.bot_unknown',
      'scenario.name_missing', 'scenario.no_steps', 'scenario.too_many_steps',
      'scenario.trigger_tag_missing', 'scenario.window_invalid', 'scenario.catch_up_hours_missing',
      'step.delay_negative', 'step.delay_too_long', 'step.title_missing', 'step.template_missing',
      'step.channel_missing', 'step.channel_not_automatic', 'step.template_wrong_channel',
      'sample.file_invalid', 'sample.customer_invalid', 'chat.url_not_allowed', 'customer.in_bin',
      'outbox.cannot_retry', 'outbox.assisted_cannot_retry', 'outbox.cannot_cancel',
      'scenario.still_enrolled', 'scenario.switched_off', 'enrollment.not_paused',
      'enrollment.not_active', 'enrollment.ended', 'not_found.customer', 'not_found.enrolment',
      'not_found.interaction', 'not_found.message', 'not_found.note', 'not_found.record',
      'not_found.scenario', 'not_found.task', 'not_found.template', 'database.newer',
      'storage.unwritable', 'internal.database', 'internal.unexpected', 'worker.panicked',
      'telegram.updates_refused', 'scenario.catch_up_hours_out_of_range', 'step.due_offset_out_of_range',
      'template.unknown_variable', 'template.unknown_variable_no_suggestion', 'send.my_details_missing',
      'export.unknown_tag', 'export.cannot_write', 'merge.nothing_to_merge', 'merge.already_undone',
      'not_found.merge', 'backup.not_a_backup', 'backup.damaged', 'backup.disk_full', 'backup.io',
      'backup.busy', 'backup.folder_unusable', 'backup.keep_none', 'db.damaged',
    ];
    expect(keys.filter((key) => errorMessageKey(invalid(key)) !== `error.${key}`)).toEqual([]);
  });
});
