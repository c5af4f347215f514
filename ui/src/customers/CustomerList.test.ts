import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { CustomerSummary } from '../lib/bindings/CustomerSummary';
import type { SearchPage } from '../lib/bindings/SearchPage';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { mockBackend } from '../test/mockBackend';
import CustomerList from './CustomerList.svelte';

const ROW_HEIGHT = 52;

// `bind:clientHeight` watches the list with a ResizeObserver, which jsdom lacks; without layout
// the height stays 0 either way.
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
beforeAll(() => vi.stubGlobal('ResizeObserver', NoResize));
afterAll(() => vi.unstubAllGlobals());

function summary(n: number, name = `Khách ${n}`): CustomerSummary {
  return {
    id: `c${n}`,
    full_name: name,
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

function range(from: number, count: number): CustomerSummary[] {
  return Array.from({ length: count }, (_, i) => summary(from + i));
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** jsdom does not lay out, so the list's scroll position is set by hand and then announced. */
async function scrollListTo(top: number) {
  const viewport = screen.getByTestId('customer-list');
  Object.defineProperty(viewport, 'scrollTop', { value: top, writable: true, configurable: true });
  await fireEvent.scroll(viewport);
}

function drawnHeight(): string {
  return (screen.getByTestId('customer-list').firstElementChild as HTMLElement).style.height;
}

afterEach(async () => {
  // The list remembers its query and scroll across visits (module state): leave it empty for the next test.
  const search = screen.queryByTestId('customer-search');
  if (search) await fireEvent.input(search, { target: { value: '' } });
  if (screen.queryByTestId('customer-list')) await scrollListTo(0);
  cleanup();
  setBackend(tauriBackend);
});

describe('CustomerList search', () => {
  it('shows how many customers match, in Vietnamese number format', async () => {
    lang.set('vi');
    const mock = mockBackend({
      searchCustomersPage: () => Promise.resolve({ items: range(0, 50), total: 1234, more_than_total: false }),
    });
    setBackend(mock);
    render(CustomerList);

    await fireEvent.input(screen.getByTestId('customer-search'), { target: { value: 'Lan' } });
    await waitFor(() => expect(screen.getByTestId('search-total').textContent?.trim()).toBe('1.234 khách hàng'));
    expect(mock.callsTo('searchCustomersPage')).toEqual([['Lan', 0, 50]]);
  });

  it('says "more than" when the count stopped at the cap', async () => {
    lang.set('en');
    setBackend(
      mockBackend({
        searchCustomersPage: () => Promise.resolve({ items: range(0, 50), total: 1000, more_than_total: true }),
      }),
    );
    render(CustomerList);

    await fireEvent.input(screen.getByTestId('customer-search'), { target: { value: 'a' } });
    await waitFor(() => expect(screen.getByTestId('search-total').textContent?.trim()).toBe('more than 1.000 customers'));
  });

  it('loads the next page (offset 50) when scrolled to the end, appending it without duplicates', async () => {
    lang.set('vi');
    const searchCustomersPage = vi.fn(
      (_query: string, offset: number, _limit: number): Promise<SearchPage> =>
        Promise.resolve(
          offset === 0
            ? { items: range(0, 50), total: 120, more_than_total: false }
            : // c49 moved across the page boundary meanwhile: it must not be listed twice.
              { items: [summary(49), ...range(50, 49)], total: 120, more_than_total: false },
        ),
    );
    setBackend(mockBackend({ searchCustomersPage }));
    render(CustomerList);

    await fireEvent.input(screen.getByTestId('customer-search'), { target: { value: 'Khách' } });
    await waitFor(() => expect(drawnHeight()).toBe(`${50 * ROW_HEIGHT}px`));
    // Near the top nothing more is needed.
    expect(searchCustomersPage).toHaveBeenCalledTimes(1);

    await scrollListTo(50 * ROW_HEIGHT);
    await waitFor(() => expect(searchCustomersPage).toHaveBeenCalledTimes(2));
    expect(searchCustomersPage).toHaveBeenLastCalledWith('Khách', 50, 50);
    await waitFor(() => expect(drawnHeight()).toBe(`${99 * ROW_HEIGHT}px`));
    expect(screen.getByText('Khách 50')).toBeTruthy();
    expect(screen.getAllByText('Khách 49')).toHaveLength(1);
    expect(screen.getByTestId('search-total').textContent?.trim()).toBe('120 khách hàng');
  });

  it('stops asking once a page comes back short', async () => {
    lang.set('vi');
    const searchCustomersPage = vi.fn(() => Promise.resolve({ items: range(0, 30), total: 30, more_than_total: false }));
    setBackend(mockBackend({ searchCustomersPage }));
    render(CustomerList);

    await fireEvent.input(screen.getByTestId('customer-search'), { target: { value: 'Khách' } });
    await waitFor(() => expect(drawnHeight()).toBe(`${30 * ROW_HEIGHT}px`));
    await scrollListTo(30 * ROW_HEIGHT);
    await new Promise((r) => setTimeout(r, 20));
    expect(searchCustomersPage).toHaveBeenCalledTimes(1);
  });

  it('ignores a slower answer to an earlier query', async () => {
    lang.set('vi');
    const first = deferred<SearchPage>();
    const searchCustomersPage = vi.fn((query: string) =>
      query === 'An'
        ? first.promise
        : Promise.resolve({ items: [summary(7, 'Trần Bình')], total: 1, more_than_total: false }),
    );
    setBackend(mockBackend({ searchCustomersPage }));
    render(CustomerList);

    const search = screen.getByTestId('customer-search');
    await fireEvent.input(search, { target: { value: 'An' } });
    await waitFor(() => expect(searchCustomersPage).toHaveBeenCalledWith('An', 0, 50));
    await fireEvent.input(search, { target: { value: 'Bình' } });
    await waitFor(() => expect(screen.getByText('Trần Bình')).toBeTruthy());

    first.resolve({ items: range(0, 50), total: 300, more_than_total: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByText('Trần Bình')).toBeTruthy();
    expect(screen.queryByText('Khách 0')).toBeNull();
    expect(screen.getByTestId('search-total').textContent?.trim()).toBe('1 khách hàng');
  });
});

describe('CustomerList and imports', () => {
  it('offers to import from a file', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    render(CustomerList);
    const button = screen.getByTestId('customer-import');
    expect(button.textContent).toContain('Nhập từ tệp');
    await fireEvent.click(button);
    expect(get(route)).toEqual({ name: 'import' });
    route.set({ name: 'today' });
  });

  it('offers to look for duplicates', async () => {
    lang.set('vi');
    setBackend(mockBackend());
    render(CustomerList);
    const button = screen.getByTestId('customer-duplicates');
    expect(button.textContent).toContain('Tìm trùng lặp');
    await fireEvent.click(button);
    expect(get(route)).toEqual({ name: 'duplicates' });
    route.set({ name: 'today' });
  });

  it('opens on the tag another screen asks for, leaving the remembered search', async () => {
    lang.set('vi');
    const mock = mockBackend({
      listCustomers: () => Promise.resolve({ items: range(0, 3), total: 3 }),
      listTags: () => Promise.resolve([{ id: 't9', name: 'Nhập từ khach-hang.csv', color: '#2c7a6b' }]),
    });
    setBackend(mock);
    render(CustomerList, { filterTag: 't9' });
    await waitFor(() => expect(mock.callsTo('listCustomers')[0][0]).toMatchObject({ tag_id: 't9', deleted: false }));
    const filter = screen.getByTestId('customer-tag-filter') as HTMLSelectElement;
    await waitFor(() => expect(filter.value).toBe('t9'));
    // The list remembers its filter across visits: leave it unfiltered for the next test.
    await fireEvent.change(filter, { target: { value: '' } });
  });
});
