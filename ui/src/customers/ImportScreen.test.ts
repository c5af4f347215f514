import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { ImportOpened } from '../lib/bindings/ImportOpened';
import type { ImportOptions } from '../lib/bindings/ImportOptions';
import type { ImportReport } from '../lib/bindings/ImportReport';
import type { ImportSummary } from '../lib/bindings/ImportSummary';
import type { PreviewRow } from '../lib/bindings/PreviewRow';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { mockBackend, type MockBackend } from '../test/mockBackend';
import ImportScreen from './ImportScreen.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

const CSV = 'Họ tên,SĐT,Ghi chú riêng\nNguyễn Văn An,0912345678,khách VIP\n';

const opened: ImportOpened = {
  file_name: 'khach-hang.csv',
  format: 'csv',
  encoding: 'windows-1258',
  row_count: 120,
  header_line: 1,
  columns: [
    { index: 0, header: 'Họ tên', field: 'full_name', samples: ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'] },
    { index: 1, header: 'SĐT', field: 'phone', samples: ['0912345678', '0987654321', '0903123456'] },
    { index: 2, header: 'Ghi chú riêng', field: 'skip', samples: ['khách VIP'] },
  ],
  default_tag: 'Nhập từ khach-hang.csv',
};

function row(line: number, patch: Partial<PreviewRow> = {}): PreviewRow {
  return {
    line,
    status: 'new',
    full_name: `Khách ${line}`,
    phones: ['0912 345 678'],
    email: null,
    company_name: null,
    birthday: null,
    tags: ['Nhập từ khach-hang.csv'],
    duplicate_of: null,
    duplicate_of_line: null,
    choice: null,
    ...patch,
  };
}

function report(options: ImportOptions): ImportReport {
  const choice = (line: number) => options.row_choices.find((c) => c.line === line)?.choice ?? options.on_duplicate;
  const updates = [20, 30].filter((line) => choice(line) === 'update').length;
  return {
    total: 120,
    new_count: 100,
    duplicate_count: 12,
    duplicate_in_file_count: 3,
    invalid_count: 5,
    to_create: 100,
    to_update: updates,
    to_skip: 15 - updates,
    preview: [
      row(2, { full_name: 'Nguyễn Văn An', email: 'an@example.vn', company_name: 'Công ty Bình Minh', birthday: '1990-05-15' }),
      row(3, { full_name: 'Trần Thị Bình', status: 'duplicate' }),
    ],
    duplicates: [
      row(20, {
        status: 'duplicate',
        full_name: 'Nguyễn Văn A.',
        duplicate_of: { id: 'c1', full_name: 'Nguyễn Văn A', by: 'phone' },
        choice: choice(20),
      }),
      row(30, { status: 'duplicate_in_file', full_name: 'Lê Văn Cường', duplicate_of_line: 12, choice: choice(30) }),
    ],
    invalid: [
      {
        line: 14,
        name: 'Phạm Thị Dung',
        error: {
          code: 'invalid_input',
          key: 'phone.invalid_vietnamese',
          params: { value: '0912' },
          message: '“0912” is not a valid Vietnamese phone number',
          field: 'phones[0]',
        },
      },
    ],
  };
}

const summary: ImportSummary = {
  id: 'imp1',
  file_name: 'khach-hang.csv',
  tag: 'Nhập từ khach-hang.csv',
  created: 100,
  updated: 2,
  skipped: 13,
  invalid: 5,
  created_at: new Date(2026, 2, 4, 9, 5).getTime(),
  undone_at: null,
};

function setup(overrides: Parameters<typeof mockBackend>[0] = {}): MockBackend {
  lang.set('vi');
  const b = mockBackend({
    importOpen: () => Promise.resolve(opened),
    importDryRun: (options) => Promise.resolve(report(options)),
    ...overrides,
  });
  setBackend(b);
  render(ImportScreen);
  return b;
}

async function pickFile(name = 'khach-hang.csv', content = CSV) {
  const input = (await screen.findByTestId('import-file')) as HTMLInputElement;
  const file = new File([content], name, { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
}

const fieldSelects = () => screen.getAllByTestId('import-column-field') as HTMLSelectElement[];

describe('ImportScreen', () => {
  it('explains the formats, reads the chosen file and shows the proposed mapping', async () => {
    const b = setup();
    expect(screen.getByText('Danh bạ xuất từ điện thoại (vCard, .vcf)')).toBeTruthy();
    expect((screen.getByTestId('import-file') as HTMLInputElement).accept).toBe('.xlsx,.xls,.ods,.csv,.tsv,.txt,.vcf');
    await pickFile();

    await waitFor(() => expect(fieldSelects()).toHaveLength(3));
    const [bytes, name, encoding] = b.callsTo('importOpen')[0];
    expect(new TextDecoder().decode(bytes)).toBe(CSV);
    expect([name, encoding]).toEqual(['khach-hang.csv', null]);

    expect(fieldSelects().map((s) => s.value)).toEqual(['full_name', 'phone', 'skip']);
    expect(fieldSelects()[0].selectedOptions[0].textContent).toBe('Họ và tên');
    const columns = screen.getAllByTestId('import-column');
    expect(columns[0].textContent).toContain('Họ tên');
    expect(columns[0].textContent).toContain('Lê Văn Cường');
    const info = screen.getByTestId('import-file-info').textContent ?? '';
    expect(info).toContain('khach-hang.csv');
    expect(info).toContain('120 dòng');
    expect((screen.getByTestId('import-encoding') as HTMLSelectElement).value).toBe('windows-1258');
    expect((screen.getByTestId('import-tag') as HTMLInputElement).value).toBe('Nhập từ khach-hang.csv');

    // The file just read is checked at once, with the proposal as it stands.
    await waitFor(() => expect(b.callsTo('importDryRun')).toHaveLength(1));
    expect(b.callsTo('importDryRun')[0][0]).toEqual({
      mapping: ['full_name', 'phone', 'skip'],
      on_duplicate: 'skip',
      row_choices: [],
      tag: 'Nhập từ khach-hang.csv',
    });
  });

  it('shows the counts, the preview, the duplicates and the invalid rows of the check', async () => {
    setup();
    await pickFile();

    expect((await screen.findByTestId('import-count-new')).textContent).toContain('100');
    expect(screen.getByTestId('import-count-duplicates').textContent).toContain('12');
    expect(screen.getByTestId('import-count-in-file').textContent).toContain('3');
    expect(screen.getByTestId('import-count-invalid').textContent).toContain('5');
    expect(screen.getByTestId('import-plan').textContent).toContain('thêm 100, cập nhật 0, bỏ qua 15');

    const preview = screen.getAllByTestId('import-preview-row');
    expect(preview).toHaveLength(2);
    expect(preview[0].textContent).toContain('Nguyễn Văn An');
    expect(preview[0].textContent).toContain('0912 345 678');
    expect(preview[0].textContent).toContain('an@example.vn');
    expect(preview[0].textContent).toContain('Công ty Bình Minh');
    expect(preview[0].textContent).toContain('15/05/1990');
    expect(preview[0].textContent).toContain('Mới');
    expect(preview[1].textContent).toContain('Trùng khách đã có');

    const duplicates = screen.getAllByTestId('import-duplicate-row');
    expect(duplicates[0].textContent).toContain('Dòng 20');
    expect(duplicates[0].textContent).toContain('Trùng với Nguyễn Văn A (số điện thoại)');
    expect(duplicates[1].textContent).toContain('trùng dòng 12 trong tệp');
    expect(screen.getByTestId('import-duplicates-first-only').textContent).toContain('2');

    const invalid = screen.getAllByTestId('import-invalid-row');
    expect(invalid[0].textContent).toBe(
      'Dòng 14: Phạm Thị Dung — “0912” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)',
    );
    expect(screen.getByTestId('import-invalid-first-only').textContent).toContain('1 dòng lỗi đầu tiên trong số 5');
    expect(screen.getByTestId('import-write').textContent).toContain('Nhập 100 khách hàng');
  });

  it('checks again with the duplicate choice, the row choices and the mapping as changed', async () => {
    const b = setup();
    await pickFile();
    await screen.findByTestId('import-count-new');

    await fireEvent.change(screen.getByTestId('import-on-duplicate'), { target: { value: 'update' } });
    expect(screen.getByTestId('import-checking')).toBeTruthy();
    await waitFor(() => expect(b.callsTo('importDryRun')).toHaveLength(2));
    expect(b.callsTo('importDryRun')[1][0].on_duplicate).toBe('update');
    await waitFor(() => expect(screen.getByTestId('import-write').textContent).toContain('Nhập 102 khách hàng'));
    expect(screen.queryByTestId('import-checking')).toBeNull();

    // A row's own choice overrides the general one.
    const [first] = screen.getAllByTestId('import-row-choice') as HTMLSelectElement[];
    expect(first.value).toBe('update');
    await fireEvent.change(first, { target: { value: 'create' } });
    await waitFor(() => expect(b.callsTo('importDryRun')).toHaveLength(3));
    expect(b.callsTo('importDryRun')[2][0].row_choices).toEqual([{ line: 20, choice: 'create' }]);

    await fireEvent.change(fieldSelects()[2], { target: { value: 'notes' } });
    await fireEvent.input(screen.getByTestId('import-tag'), { target: { value: '  ' } });
    await waitFor(() => expect(b.callsTo('importDryRun')).toHaveLength(4));
    expect(b.callsTo('importDryRun')[3][0]).toMatchObject({ mapping: ['full_name', 'phone', 'notes'], tag: null });
  });

  it('writes with a progress bar, then shows what was written', async () => {
    let finish: (s: ImportSummary) => void = () => {};
    const importRun = vi.fn(() => new Promise<ImportSummary>((resolve) => (finish = resolve)));
    const b = setup({ importRun });
    await pickFile();
    await screen.findByTestId('import-count-new');

    await fireEvent.click(screen.getByTestId('import-write'));
    expect(importRun).toHaveBeenCalledWith({
      mapping: ['full_name', 'phone', 'skip'],
      on_duplicate: 'skip',
      row_choices: [],
      tag: 'Nhập từ khach-hang.csv',
    });
    const bar = (await screen.findByTestId('import-progress')) as HTMLProgressElement;
    expect(screen.getByTestId('import-cancel')).toBeTruthy();
    // Nothing can change under the running import.
    expect((screen.getByTestId('import-on-duplicate') as HTMLSelectElement).disabled).toBe(true);

    b.emit.importProgress({ done: 60, total: 120 });
    await waitFor(() => expect(bar.value).toBe(60));
    expect(bar.max).toBe(120);
    expect(screen.getByTestId('import-progress-text').textContent).toContain('60/120');

    finish(summary);
    const done = await screen.findByTestId('import-done');
    expect(done.textContent).toContain('Đã thêm 100, cập nhật 2, bỏ qua 13');
    expect(screen.queryByTestId('import-progress')).toBeNull();
  });

  it('says nothing was written when the import is cancelled', async () => {
    let fail: (e: unknown) => void = () => {};
    const b = setup({ importRun: () => new Promise((_, reject) => (fail = reject)) });
    await pickFile();
    await screen.findByTestId('import-count-new');
    await fireEvent.click(screen.getByTestId('import-write'));

    await fireEvent.click(await screen.findByTestId('import-cancel'));
    expect(b.callsTo('importCancel')).toHaveLength(1);
    expect(screen.getByTestId('import-cancel').textContent).toContain('Đang huỷ');
    fail({ code: 'invalid_input', key: 'import.cancelled', params: {}, message: 'cancelled', field: null });

    expect((await screen.findByTestId('import-cancelled')).textContent).toBe('Đã huỷ, không có gì được ghi.');
    expect(screen.queryByTestId('import-done')).toBeNull();
    expect((screen.getByTestId('import-write') as HTMLButtonElement).disabled).toBe(false);
  });

  it('undoes the import just written after asking, and goes to its customers by tag', async () => {
    const importUndo = vi.fn((id: string) => Promise.resolve({ ...summary, id, undone_at: Date.now() }));
    const b = setup({
      importRun: () => Promise.resolve(summary),
      importUndo,
      listTags: () => Promise.resolve([{ id: 't9', name: 'Nhập từ khach-hang.csv', color: '#2c7a6b' }]),
    });
    await pickFile();
    await screen.findByTestId('import-count-new');
    await fireEvent.click(screen.getByTestId('import-write'));
    await screen.findByTestId('import-done');

    await fireEvent.click(screen.getByTestId('import-undo'));
    expect(importUndo).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('import-undo-confirm'));
    expect(importUndo).toHaveBeenCalledWith('imp1');
    expect((await screen.findByTestId('import-undone')).textContent).toContain('Đã hoàn tác lần nhập “khach-hang.csv”');
    expect(screen.queryByTestId('import-undo')).toBeNull();
    expect(b.callsTo('importUndo')).toHaveLength(1);
  });

  it('opens the customers of the import, filtered by its tag', async () => {
    setup({
      importRun: () => Promise.resolve(summary),
      listTags: () => Promise.resolve([{ id: 't9', name: 'nhập từ KHACH-HANG.csv', color: '#2c7a6b' }]),
    });
    await pickFile();
    await screen.findByTestId('import-count-new');
    await fireEvent.click(screen.getByTestId('import-write'));
    await fireEvent.click(await screen.findByTestId('import-see-customers'));
    await waitFor(() => expect(get(route)).toEqual({ name: 'customers', tagId: 't9' }));
  });

  it('lists the latest imports and undoes one after asking', async () => {
    const undone = { ...summary, id: 'imp0', file_name: 'danh-ba.vcf', undone_at: new Date(2026, 2, 3, 8, 0).getTime() };
    const importUndo = vi.fn((id: string) => Promise.resolve({ ...summary, id, undone_at: Date.now() }));
    setup({ importsList: () => Promise.resolve([summary, undone]), importUndo });

    const rows = await screen.findAllByTestId('import-history-row');
    expect(rows[0].textContent).toContain('khach-hang.csv');
    expect(rows[0].textContent).toContain('04/03/2026 09:05');
    expect(rows[0].textContent).toContain('thêm 100 · cập nhật 2 · bỏ qua 13 · 5 dòng lỗi');
    expect(within(rows[1]).queryByTestId('import-history-undo')).toBeNull();
    expect(rows[1].textContent).toContain('Đã hoàn tác lúc 03/03/2026 08:00');

    await fireEvent.click(within(rows[0]).getByTestId('import-history-undo'));
    await fireEvent.click(within(rows[0]).getByTestId('import-history-undo-confirm'));
    expect(importUndo).toHaveBeenCalledWith('imp1');
  });

  it('goes back on Escape, unless Escape closes the undo question first', async () => {
    route.set({ name: 'import' });
    setup({ importsList: () => Promise.resolve([summary]) });
    await fireEvent.click(await screen.findByTestId('import-history-undo'));
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('import-history-undo-confirm')).toBeNull();
    expect(get(route)).toEqual({ name: 'import' });
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(get(route)).not.toEqual({ name: 'import' });
  });

  it('words an error from reading the file, never showing its key', async () => {
    const b = setup();
    b.fail('importOpen', {
      code: 'invalid_input',
      key: 'import.too_large',
      params: { size_mb: '62', max_mb: '50' },
      message: 'the file is 62 MB; Tend imports files up to 50 MB',
      field: null,
    });
    await pickFile('danh-sach-lon.xlsx');
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toContain('Tệp nặng 62 MB; Tend chỉ nhập được tệp tối đa 50 MB');
    expect(error.textContent).not.toContain('import.too_large');
    expect(screen.queryByTestId('import-column-field')).toBeNull();
  });

  it('words a failed check, such as a mapping without a name column', async () => {
    const b = setup();
    await pickFile();
    await screen.findByTestId('import-count-new');
    b.failOnce('importDryRun', {
      code: 'invalid_input',
      key: 'import.no_name_column',
      params: {},
      message: "choose the column that holds the customer's name",
      field: 'mapping',
    });
    await fireEvent.change(fieldSelects()[0], { target: { value: 'skip' } });
    expect((await screen.findByTestId('import-check-error')).textContent).toBe('Hãy chọn cột chứa tên khách hàng');
    expect(screen.queryByTestId('import-write')).toBeNull();
  });

  it('reads the same bytes again in the encoding chosen', async () => {
    const b = setup();
    await pickFile();
    await screen.findByTestId('import-count-new');
    await fireEvent.change(screen.getByTestId('import-encoding'), { target: { value: 'utf-8' } });
    await waitFor(() => expect(b.callsTo('importOpen')).toHaveLength(2));
    const [bytes, name, encoding] = b.callsTo('importOpen')[1];
    expect(new TextDecoder().decode(bytes)).toBe(CSV);
    expect([name, encoding]).toEqual(['khach-hang.csv', 'utf-8']);
  });

  it('saves every invalid row with its worded reason and says where', async () => {
    const importInvalidRows = vi.fn(() => Promise.resolve(report({ mapping: [], on_duplicate: 'skip', row_choices: [], tag: null }).invalid));
    const importSaveInvalid = vi.fn(() => Promise.resolve('/home/lan/Downloads/khach-hang-dong-loi.csv'));
    setup({ importInvalidRows, importSaveInvalid });
    await pickFile();
    await fireEvent.click(await screen.findByTestId('import-download-invalid'));
    expect((await screen.findByTestId('import-invalid-saved')).textContent).toBe(
      'Đã lưu vào /home/lan/Downloads/khach-hang-dong-loi.csv',
    );
    expect(importSaveInvalid).toHaveBeenCalledWith(expect.objectContaining({ on_duplicate: 'skip' }), [
      '“0912” không phải số điện thoại Việt Nam hợp lệ (ví dụ: 0912 345 678)',
    ]);
  });
});
