import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend, type Backend } from '../lib/backend';
import type { CustomerSummary } from '../lib/bindings/CustomerSummary';
import type { SegmentListQuery } from '../lib/bindings/SegmentListQuery';
import type { SegmentSummary } from '../lib/bindings/SegmentSummary';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { toasts } from '../lib/toasts';
import { mockBackend } from '../test/mockBackend';
import { scenarioFixture } from '../test/scenarioFixture';
import CustomerList from './CustomerList.svelte';

class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
beforeAll(() => vi.stubGlobal('ResizeObserver', NoResize));
afterAll(() => vi.unstubAllGlobals());

function summary(n: number): CustomerSummary {
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

function segment(id: string, name: string, count: number): SegmentSummary {
  return {
    segment: { id, name, definition: { match: 'all', criteria: [], groups: [] }, created_at: 0, updated_at: 0 },
    count,
  };
}

const segments = [segment('sg1', 'Khách VIP', 1280), segment('sg2', 'Lâu chưa liên hệ', 3)];

function listBackend(overrides: Partial<Backend> = {}) {
  const segmentCustomers = vi.fn((query: SegmentListQuery) =>
    Promise.resolve({ items: [summary(query.offset + 1), summary(query.offset + 2)], total: 1280 }),
  );
  const mock = mockBackend({
    listSegments: () => Promise.resolve(segments),
    listCustomers: () => Promise.resolve({ items: [summary(900)], total: 5000 }),
    segmentCustomers,
    ...overrides,
  });
  setBackend(mock);
  return mock;
}

function segmentSelect(): HTMLSelectElement {
  return screen.getByTestId('customer-segment-filter') as HTMLSelectElement;
}

async function chooseSegment(id: string) {
  await waitFor(() => expect(segmentSelect().options.length).toBe(3));
  await fireEvent.change(segmentSelect(), { target: { value: id } });
}

afterEach(async () => {
  // The list remembers its filter across visits (module state): leave it on the whole book.
  if (screen.queryByTestId('customer-segment-filter')) await fireEvent.change(segmentSelect(), { target: { value: '' } });
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
  toasts.set([]);
});

describe('the customer list filtered by a segment', () => {
  it('offers the segments with their counts, and lists a chosen one from segmentCustomers with its count', async () => {
    lang.set('vi');
    const mock = listBackend();
    render(CustomerList);

    await waitFor(() => expect(segmentSelect().options.length).toBe(3));
    expect(Array.from(segmentSelect().options).map((o) => [o.value, o.textContent?.trim()])).toEqual([
      ['', 'Tất cả khách hàng'],
      ['sg1', 'Khách VIP (1.280)'],
      ['sg2', 'Lâu chưa liên hệ (3)'],
    ]);
    expect(screen.queryByTestId('customer-segment-count')).toBeNull();

    await chooseSegment('sg1');
    await waitFor(() =>
      expect(screen.getByTestId('customer-segment-count').textContent?.trim()).toBe('1.280 khách hàng trong nhóm'),
    );
    expect(mock.callsTo('segmentCustomers')[0]).toEqual([
      { segment_id: 'sg1', definition: null, sort: 'name', offset: 0, limit: 100 },
    ]);
    await waitFor(() => expect(screen.getByText('Khách 1')).toBeTruthy());
    expect(screen.queryByText('Khách 900')).toBeNull();
    // The tag filter is off while a segment is shown; the search stays open and says it drops the segment.
    expect((screen.getByTestId('customer-search') as HTMLInputElement).disabled).toBe(false);
    expect((screen.getByTestId('customer-tag-filter') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByTestId('customer-segment-search-off').textContent?.trim()).toBe(
      'Tìm kiếm sẽ tìm trong toàn bộ danh bạ và bỏ chọn nhóm',
    );
    // The export follows the segment (ExportPanel.test.ts sends it).
    expect((screen.getByTestId('customer-export') as HTMLButtonElement).disabled).toBe(false);

    // A new sort asks the segment again, from the top.
    await fireEvent.change(screen.getByTestId('customer-sort'), { target: { value: 'last_contact' } });
    await waitFor(() =>
      expect(mock.callsTo('segmentCustomers').slice(-1)[0]).toEqual([
        { segment_id: 'sg1', definition: null, sort: 'last_contact', offset: 0, limit: 100 },
      ]),
    );

    // Back to everyone.
    await fireEvent.change(segmentSelect(), { target: { value: '' } });
    await waitFor(() => expect(screen.getByText('Khách 900')).toBeTruthy());
    expect(screen.queryByTestId('customer-segment-count')).toBeNull();
    expect((screen.getByTestId('customer-search') as HTMLInputElement).disabled).toBe(false);
  });

  it('drops the segment when a search is typed, and clears the search when a segment is chosen', async () => {
    lang.set('en');
    const searchCustomersPage = vi.fn((_query: string, offset: number) =>
      Promise.resolve({ items: offset === 0 ? [summary(7)] : [], total: 1, more_than_total: false }),
    );
    const mock = listBackend({ searchCustomersPage });
    render(CustomerList);
    await chooseSegment('sg1');
    await waitFor(() => expect(screen.getByText('Khách 1')).toBeTruthy());
    expect(screen.getByTestId('customer-segment-search-off').textContent?.trim()).toBe(
      'Searching looks through the whole book and clears the segment',
    );
    const segmentCalls = mock.callsTo('segmentCustomers').length;

    const search = screen.getByTestId('customer-search') as HTMLInputElement;
    expect(search.disabled).toBe(false);
    await fireEvent.input(search, { target: { value: 'Lan' } });

    // The list is the search over the whole book, and the segment is back to all.
    await waitFor(() => expect(screen.getByText('Khách 7')).toBeTruthy());
    expect(searchCustomersPage).toHaveBeenCalledWith('Lan', 0, 50);
    expect(segmentSelect().value).toBe('');
    expect(screen.queryByText('Khách 1')).toBeNull();
    expect(screen.queryByTestId('customer-segment-search-off')).toBeNull();
    expect(screen.queryByTestId('customer-segment-count')).toBeNull();
    expect(screen.getByTestId('search-total')).toBeTruthy();
    expect(mock.callsTo('segmentCustomers')).toHaveLength(segmentCalls);

    // Choosing a segment again replaces the search.
    await fireEvent.change(segmentSelect(), { target: { value: 'sg2' } });
    expect(search.value).toBe('');
    await waitFor(() =>
      expect(mock.callsTo('segmentCustomers').slice(-1)[0][0]).toMatchObject({ segment_id: 'sg2', offset: 0 }),
    );
    await waitFor(() => expect(screen.getByText('Khách 1')).toBeTruthy());
    expect(screen.queryByText('Khách 7')).toBeNull();
    expect(screen.queryByTestId('search-total')).toBeNull();
  });

  it('pages through a segment like the whole list', async () => {
    lang.set('vi');
    const mock = listBackend();
    render(CustomerList);
    await chooseSegment('sg1');
    await waitFor(() => expect(mock.callsTo('segmentCustomers').length).toBeGreaterThan(0));
    const viewport = screen.getByTestId('customer-list');
    Object.defineProperty(viewport, 'scrollTop', { value: 100 * 52, writable: true, configurable: true });
    await fireEvent.scroll(viewport);
    await waitFor(() =>
      expect(mock.callsTo('segmentCustomers').map(([query]) => query.offset)).toContain(100),
    );
    Object.defineProperty(viewport, 'scrollTop', { value: 0, writable: true, configurable: true });
    await fireEvent.scroll(viewport);
  });

  it('is preselected by the route, and says when the segment is empty', async () => {
    lang.set('en');
    route.set({ name: 'customers', segmentId: 'sg2' });
    const mock = listBackend({ segmentCustomers: () => Promise.resolve({ items: [], total: 0 }) });
    render(CustomerList);

    await waitFor(() => expect(segmentSelect().value).toBe('sg2'));
    expect(await screen.findByTestId('customer-segment-empty')).toBeTruthy();
    expect(screen.getByTestId('customer-segment-count').textContent?.trim()).toBe('0 customers in the segment');
    expect(mock.callsTo('listCustomers')).toEqual([]);
    // The ask leaves the route without a history entry: coming back later keeps the user's own list.
    await waitFor(() => expect(get(route)).toEqual({ name: 'customers' }));
    expect(segmentSelect().value).toBe('sg2');
  });

  it('adds a tag to the whole segment after saying how many customers it touches', async () => {
    lang.set('vi');
    const tagSegment = vi.fn(() => Promise.resolve(1275));
    listBackend({ tagSegment });
    render(CustomerList);
    await chooseSegment('sg1');
    await waitFor(() => expect(screen.getByTestId('customer-segment-count')).toBeTruthy());

    await fireEvent.click(screen.getByTestId('segment-add-tag'));
    expect((screen.getByTestId('segment-confirm') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('segment-tag-name'), { target: { value: ' Tri ân ' } });
    expect(screen.getByTestId('segment-confirm-text').textContent?.trim()).toBe(
      'Gắn nhãn “Tri ân” cho 1.280 khách hàng trong nhóm “Khách VIP”?',
    );
    expect(tagSegment).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('segment-confirm'));

    await waitFor(() => expect(tagSegment).toHaveBeenCalledWith('sg1', 'Tri ân', true));
    await waitFor(() =>
      expect(get(toasts).map((toast) => toast.message)).toEqual(['Đã gắn nhãn “Tri ân” cho 1.275 khách hàng']),
    );
    expect(screen.queryByTestId('segment-tag-form')).toBeNull();
  });

  it('removes a tag from the whole segment', async () => {
    lang.set('en');
    const tagSegment = vi.fn(() => Promise.resolve(2));
    listBackend({ tagSegment });
    render(CustomerList);
    await chooseSegment('sg2');
    await waitFor(() => expect(screen.getByTestId('customer-segment-count')).toBeTruthy());

    await fireEvent.click(screen.getByTestId('segment-remove-tag'));
    await fireEvent.input(screen.getByTestId('segment-tag-name'), { target: { value: 'Cũ' } });
    expect(screen.getByTestId('segment-confirm-text').textContent?.trim()).toBe(
      'Remove the tag “Cũ” from 1.280 customers in “Lâu chưa liên hệ”?',
    );
    await fireEvent.click(screen.getByTestId('segment-confirm'));
    await waitFor(() => expect(tagSegment).toHaveBeenCalledWith('sg2', 'Cũ', false));
  });

  it('enrols the whole segment in an active scenario and reports how many were new', async () => {
    lang.set('vi');
    const enrollSegment = vi.fn(() => Promise.resolve({ enrolled: 1200, already: 80 }));
    listBackend({
      enrollSegment,
      listScenarios: () =>
        Promise.resolve([
          scenarioFixture({ id: 'sc1', name: 'Tri ân khách cũ' }),
          scenarioFixture({ id: 'sc2', name: 'Đã tắt', active: false }),
        ]),
    });
    render(CustomerList);
    await chooseSegment('sg1');
    await waitFor(() => expect(screen.getByTestId('customer-segment-count')).toBeTruthy());

    await fireEvent.click(screen.getByTestId('segment-enroll'));
    const select = (await screen.findByTestId('segment-enroll-scenario')) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['', 'sc1']);
    await fireEvent.change(select, { target: { value: 'sc1' } });
    expect(screen.getByTestId('segment-confirm-text').textContent?.trim()).toBe(
      'Đưa 1.280 khách hàng trong nhóm “Khách VIP” vào kịch bản “Tri ân khách cũ”?',
    );
    await fireEvent.click(screen.getByTestId('segment-confirm'));

    await waitFor(() => expect(enrollSegment).toHaveBeenCalledWith('sc1', 'sg1'));
    await waitFor(() =>
      expect(get(toasts).map((toast) => toast.message)).toEqual([
        'Đã đưa 1.200 khách vào “Tri ân khách cũ”, 80 khách đã có',
      ]),
    );
  });

  it('starts a new campaign to the segment', async () => {
    lang.set('vi');
    listBackend();
    route.set({ name: 'customers' });
    render(CustomerList);
    await chooseSegment('sg2');
    await fireEvent.click(await screen.findByTestId('segment-new-campaign'));
    expect(get(route)).toEqual({ name: 'campaign-new', segmentId: 'sg2' });
  });
});
