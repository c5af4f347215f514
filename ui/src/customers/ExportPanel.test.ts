import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { CustomerSummary } from '../lib/bindings/CustomerSummary';
import type { ExportColumn } from '../lib/bindings/ExportColumn';
import type { ExportRequest } from '../lib/bindings/ExportRequest';
import type { ExportSummary } from '../lib/bindings/ExportSummary';
import type { Tag } from '../lib/bindings/Tag';
import { lang } from '../lib/i18n';
import { installMockBackend } from '../test/mockBackend';
import CustomerList from './CustomerList.svelte';
import ExportPanel from './ExportPanel.svelte';

// `bind:clientHeight` in the list watches with a ResizeObserver, which jsdom lacks.
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
beforeAll(() => vi.stubGlobal('ResizeObserver', NoResize));
afterAll(() => vi.unstubAllGlobals());

afterEach(async () => {
  // The list remembers its segment, search and tag across visits (module state): leave them empty.
  const segment = screen.queryByTestId('customer-segment-filter');
  if (segment) await fireEvent.change(segment, { target: { value: '' } });
  const search = screen.queryByTestId('customer-search');
  if (search) await fireEvent.input(search, { target: { value: '' } });
  const tag = screen.queryByTestId('customer-tag-filter');
  if (tag) await fireEvent.change(tag, { target: { value: '' } });
  cleanup();
  setBackend(tauriBackend);
});

const ALL_COLUMNS: ExportColumn[] = [
  'full_name',
  'phones',
  'email',
  'company',
  'address',
  'birthday',
  'zalo',
  'tags',
  'notes',
  'source',
  'stage',
  'temperature',
  'last_contact',
  'created_at',
];

const VIP: Tag = { id: 'tag-vip', name: 'VIP', color: '#d97706' };

const PATH = '/home/lan/Downloads/tend-khach-hang-2026-11-21-183000.xlsx';

function summary(count: number, path = PATH): ExportSummary {
  // `bytes` is a u64 the backend sends as a JSON number; the panel never reads it.
  return { path, count, bytes: 48_213 };
}

function customer(n: number): CustomerSummary {
  return {
    id: `c${n}`,
    full_name: `Khách ${n}`,
    phone_display: null,
    email: null,
    company_name: null,
    lifecycle_stage: 'active',
    temperature: null,
    tags: [],
    last_contact_date: null,
    next_follow_up_date: null,
  };
}

function renderPanel(
  props: Partial<{
    tagId: string | null;
    tagName: string | null;
    search: string | null;
    segmentId: string | null;
    segmentName: string | null;
    count: number | null;
  }> = {},
) {
  const onClose = vi.fn();
  render(ExportPanel, { tagId: null, tagName: null, search: null, count: 12, onClose, ...props });
  return onClose;
}

function select(testId: string): HTMLSelectElement {
  return screen.getByTestId(testId) as HTMLSelectElement;
}

function lastRequest(mock: ReturnType<typeof installMockBackend>): ExportRequest {
  const calls = mock.callsTo('exportFile');
  expect(calls.length).toBeGreaterThan(0);
  return calls[calls.length - 1][0];
}

describe('ExportPanel from the customer list', () => {
  it('exports the tag the list is filtered by and says so, in Vietnamese numbers', async () => {
    lang.set('vi');
    const mock = installMockBackend({
      listTags: () => Promise.resolve([VIP]),
      listCustomers: (query) =>
        Promise.resolve({ items: [customer(1)], total: query.tag_id === 'tag-vip' ? 1234 : 5000 }),
      exportFile: () => Promise.resolve(summary(1234)),
    });
    render(CustomerList);
    await screen.findByRole('option', { name: 'VIP' });
    await fireEvent.change(select('customer-tag-filter'), { target: { value: 'tag-vip' } });
    await waitFor(() => expect(screen.getByText('1.234 khách hàng')).toBeTruthy());

    await fireEvent.click(screen.getByTestId('customer-export'));
    await waitFor(() =>
      expect(screen.getByTestId('export-scope').textContent).toBe('Xuất 1.234 khách hàng đang hiển thị (nhãn VIP)'),
    );
    expect(screen.getByRole('dialog', { name: 'Xuất danh sách ra tệp' })).toBeTruthy();
    expect(document.activeElement).toBe(select('export-format'));

    await fireEvent.click(screen.getByTestId('export-run'));
    await screen.findByTestId('export-done');
    expect(lastRequest(mock)).toEqual({
      format: 'xlsx',
      what: 'customers',
      columns: ALL_COLUMNS,
      tag_id: 'tag-vip',
      tag_name: null,
      search: null,
      segment_id: null,
    });
  });

  it('exports what a search finds, without the tag the search does not apply', async () => {
    lang.set('vi');
    const mock = installMockBackend({
      listTags: () => Promise.resolve([VIP]),
      listCustomers: () => Promise.resolve({ items: [customer(1)], total: 40 }),
      searchCustomersPage: () => Promise.resolve({ items: [customer(1), customer(2)], total: 2, more_than_total: false }),
      exportFile: () => Promise.resolve(summary(2)),
    });
    render(CustomerList);
    await screen.findByRole('option', { name: 'VIP' });
    await fireEvent.change(select('customer-tag-filter'), { target: { value: 'tag-vip' } });
    await fireEvent.input(screen.getByTestId('customer-search'), { target: { value: 'Lan' } });
    await screen.findByTestId('search-total');

    await fireEvent.click(screen.getByTestId('customer-export'));
    expect(screen.getByTestId('export-scope').textContent).toBe('Xuất 2 khách hàng đang hiển thị (tìm “Lan”)');
    await fireEvent.click(screen.getByTestId('export-run'));
    await screen.findByTestId('export-done');
    expect(lastRequest(mock)).toMatchObject({ tag_id: null, tag_name: null, search: 'Lan', segment_id: null });
  });

  it('exports the segment the list shows, alone, and names it', async () => {
    lang.set('vi');
    const mock = installMockBackend({
      listTags: () => Promise.resolve([VIP]),
      listSegments: () =>
        Promise.resolve([
          {
            segment: {
              id: 'sg1',
              name: 'VIP lâu chưa gọi',
              definition: { match: 'all', criteria: [], groups: [] },
              created_at: 0,
              updated_at: 0,
            },
            count: 128,
          },
        ]),
      listCustomers: () => Promise.resolve({ items: [customer(1)], total: 5000 }),
      segmentCustomers: () => Promise.resolve({ items: [customer(1)], total: 128 }),
      exportFile: () => Promise.resolve(summary(128)),
    });
    render(CustomerList);
    await screen.findByRole('option', { name: 'VIP' });
    // A tag chosen before the segment stays in the list's memory, but the segment turns it off.
    await fireEvent.change(select('customer-tag-filter'), { target: { value: 'tag-vip' } });
    await waitFor(() => expect(select('customer-segment-filter').options.length).toBe(2));
    await fireEvent.change(select('customer-segment-filter'), { target: { value: 'sg1' } });
    await screen.findByTestId('customer-segment-count');

    const button = screen.getByTestId('customer-export') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    expect(screen.getByTestId('export-scope').textContent).toBe('Xuất 128 khách trong nhóm “VIP lâu chưa gọi”');
    await fireEvent.change(select('export-what'), { target: { value: 'interactions' } });
    expect(screen.getByTestId('export-scope').textContent).toBe(
      'Xuất tương tác của 128 khách trong nhóm “VIP lâu chưa gọi”',
    );
    await fireEvent.change(select('export-what'), { target: { value: 'customers' } });

    await fireEvent.click(screen.getByTestId('export-run'));
    await screen.findByTestId('export-done');
    expect(lastRequest(mock)).toEqual({
      format: 'xlsx',
      what: 'customers',
      columns: ALL_COLUMNS,
      tag_id: null,
      tag_name: null,
      search: null,
      segment_id: 'sg1',
    });

    // Every format goes through the segment.
    await fireEvent.change(select('export-format'), { target: { value: 'vcf' } });
    await fireEvent.click(screen.getByTestId('export-run'));
    await waitFor(() => expect(mock.callsTo('exportFile')).toHaveLength(2));
    expect(lastRequest(mock)).toMatchObject({ format: 'vcf', segment_id: 'sg1', tag_id: null, search: null });
  });

  it('closes on Escape and gives the focus back to the export button', async () => {
    lang.set('vi');
    installMockBackend();
    render(CustomerList);
    await fireEvent.click(screen.getByTestId('customer-export'));
    await fireEvent.keyDown(select('export-format'), { key: 'Escape' });
    expect(screen.queryByTestId('export-panel')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('customer-export')));
  });
});

describe('ExportPanel', () => {
  it('offers interactions and columns only for a spreadsheet or CSV', async () => {
    lang.set('vi');
    const mock = installMockBackend({ exportFile: () => Promise.resolve(summary(12, PATH.replace('.xlsx', '.vcf'))) });
    renderPanel();
    await fireEvent.change(select('export-what'), { target: { value: 'interactions' } });
    expect(screen.queryAllByTestId('export-column')).toHaveLength(0);
    expect(screen.getByTestId('export-scope').textContent).toBe('Xuất tương tác của 12 khách hàng đang hiển thị');

    await fireEvent.change(select('export-format'), { target: { value: 'vcf' } });
    expect(select('export-what').disabled).toBe(true);
    expect(select('export-what').value).toBe('customers');
    expect(screen.queryAllByTestId('export-column')).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('export-run'));
    await screen.findByTestId('export-done');
    expect(lastRequest(mock)).toMatchObject({ format: 'vcf', what: 'customers', columns: [] });

    // Back on CSV the earlier choice of interactions returns.
    await fireEvent.change(select('export-format'), { target: { value: 'csv' } });
    expect(select('export-what').disabled).toBe(false);
    expect(select('export-what').value).toBe('interactions');
  });

  it('labels every column, all ticked, and sends the rest when one is unticked', async () => {
    lang.set('vi');
    const mock = installMockBackend({ exportFile: () => Promise.resolve(summary(12)) });
    renderPanel();
    const boxes = screen.getAllByTestId('export-column') as HTMLInputElement[];
    expect(boxes.map((box) => box.value)).toEqual(ALL_COLUMNS);
    expect(boxes.every((box) => box.checked)).toBe(true);
    expect(boxes[1].parentElement?.textContent?.trim()).toBe('Số điện thoại');

    await fireEvent.click(boxes.find((box) => box.value === 'notes')!);
    await fireEvent.click(screen.getByTestId('export-run'));
    await screen.findByTestId('export-done');
    expect(lastRequest(mock).columns).toEqual(ALL_COLUMNS.filter((column) => column !== 'notes'));
  });

  it('does not export with no column ticked (none would mean every one)', async () => {
    lang.set('en');
    installMockBackend();
    renderPanel();
    for (const box of screen.getAllByTestId('export-column')) await fireEvent.click(box);
    expect((screen.getByTestId('export-run') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toBe('Choose at least one column');
  });

  it('is busy while it runs, then says how many were saved and where', async () => {
    lang.set('vi');
    let finish!: (value: ExportSummary) => void;
    installMockBackend({ exportFile: () => new Promise((resolve) => (finish = resolve)) });
    renderPanel({ count: 1234 });
    await fireEvent.click(screen.getByTestId('export-run'));
    const button = screen.getByTestId('export-run') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent?.trim()).toBe('Đang xuất…');

    finish(summary(1234));
    const done = await screen.findByTestId('export-done');
    expect(done.textContent).toContain(`Đã lưu 1.234 khách hàng vào ${PATH}`);
    expect(button.disabled).toBe(false);
    expect(button.textContent?.trim()).toBe('Xuất tệp');
  });

  it('counts calendar entries for a calendar file', async () => {
    lang.set('en');
    const path = '/home/lan/Downloads/tend-khach-hang-2026-11-21-183000.ics';
    installMockBackend({ exportFile: () => Promise.resolve(summary(3, path)) });
    renderPanel();
    await fireEvent.change(select('export-format'), { target: { value: 'ics' } });
    await fireEvent.click(screen.getByTestId('export-run'));
    expect((await screen.findByTestId('export-done')).textContent).toContain(`Saved 3 calendar entries to ${path}`);
  });

  it('words an error the backend names', async () => {
    lang.set('vi');
    const mock = installMockBackend();
    mock.fail('exportFile', {
      code: 'storage',
      key: 'export.cannot_write',
      params: { path: PATH },
      message: `${PATH} could not be written: permission denied`,
      field: null,
    });
    renderPanel();
    await fireEvent.click(screen.getByTestId('export-run'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe(
      `Không ghi được tệp ${PATH}: ổ đĩa có thể đã đầy hoặc Tend không được phép ghi vào thư mục này`,
    );
    expect(error.textContent).not.toContain('permission denied');
    expect(screen.queryByTestId('export-done')).toBeNull();
  });

  it('says in English which segment it exports, and sends it', async () => {
    lang.set('en');
    const mock = installMockBackend({ exportFile: () => Promise.resolve(summary(128)) });
    renderPanel({ segmentId: 'sg1', segmentName: 'VIP lâu chưa gọi', count: 128 });
    expect(screen.getByTestId('export-scope').textContent).toBe('Export the 128 customers in “VIP lâu chưa gọi”');
    await fireEvent.click(screen.getByTestId('export-run'));
    await screen.findByTestId('export-done');
    expect(lastRequest(mock)).toMatchObject({ segment_id: 'sg1', tag_id: null, search: null });
  });

  it('closes on Escape and from its close button', async () => {
    installMockBackend();
    const onClose = renderPanel();
    await fireEvent.keyDown(screen.getByTestId('export-panel'), { key: 'Escape' });
    await fireEvent.click(screen.getByTestId('export-close'));
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
