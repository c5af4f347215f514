import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, setBackend, tauriBackend } from '../lib/backend';
import type { Customer } from '../lib/bindings/Customer';
import type { DuplicatePair } from '../lib/bindings/DuplicatePair';
import type { DuplicateScan } from '../lib/bindings/DuplicateScan';
import type { MergeRequest } from '../lib/bindings/MergeRequest';
import type { MergeSummary } from '../lib/bindings/MergeSummary';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { customerFixture } from '../test/customerFixture';
import { mockBackend, type MockBackend } from '../test/mockBackend';
import DuplicatesScreen from './DuplicatesScreen.svelte';

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
});

const phone = { id: 'p1', number: '+84912345678', display: '0912 345 678', label: null, is_primary: true };

// Two records of one man: the older one with his company and phone, the newer one from a fair.
const an1: Customer = customerFixture({
  id: 'an1',
  full_name: 'Nguyễn Văn An',
  given_name: 'An',
  phones: [phone],
  email: 'an@binhminh.vn',
  company_name: 'Công ty Bình Minh',
  notes: 'Khách quen',
  total_interactions: 4,
});
const an2: Customer = customerFixture({
  id: 'an2',
  full_name: 'Nguyễn Văn An',
  given_name: 'An',
  phones: [{ ...phone, id: 'p2' }],
  email: 'an.nguyen@gmail.com',
  address: '12 Lê Lợi, Huế',
  lifecycle_stage: 'prospect',
});

function side(customer: Customer) {
  return {
    id: customer.id,
    full_name: customer.full_name,
    phone: customer.phones[0]?.display ?? null,
    email: customer.email,
    company_name: customer.company_name,
  };
}

const samePhone: DuplicatePair = { a: side(an1), b: side(an2), reason: 'same_phone' };
const sameEmail: DuplicatePair = {
  a: { id: 'lan1', full_name: 'Trần Thị Lan', phone: null, email: 'lan@example.vn', company_name: null },
  b: { id: 'lan2', full_name: 'Tran Thi Lan', phone: null, email: 'lan@example.vn', company_name: 'Hoa Sen' },
  reason: 'same_email',
};
const sameCompany: DuplicatePair = {
  a: { id: 'binh1', full_name: 'Lê Bình', phone: null, email: null, company_name: 'Hoa Sen' },
  b: { id: 'binh2', full_name: 'Lê Bình', phone: null, email: null, company_name: 'Hoa Sen' },
  reason: 'same_name_and_company',
};
// The newer An again, with a second record whose number differs in its last digits.
const phoneEnding: DuplicatePair = {
  a: side(an2),
  b: { id: 'an3', full_name: 'Nguyễn Văn An', phone: '0912 345 679', email: null, company_name: null },
  reason: 'same_name_and_phone_ending',
};

const SCAN: DuplicateScan = { total: 12, pairs: [samePhone, sameEmail, sameCompany, phoneEnding] };

const merged: MergeSummary = {
  id: 'm1',
  kept_id: 'an1',
  kept_name: 'Nguyễn Văn An',
  merged_ids: ['an2'],
  created_at: new Date(2026, 10, 21, 18, 30).getTime(),
  undone_at: null,
};

function setup(overrides: Parameters<typeof mockBackend>[0] = {}): MockBackend {
  lang.set('vi');
  const b = mockBackend({
    duplicatesScan: () => Promise.resolve(SCAN),
    getCustomer: (id) => Promise.resolve(id === 'an1' ? an1 : an2),
    mergeCustomers: (request) =>
      Promise.resolve({
        ...merged,
        kept_id: request.keep,
        kept_name: request.keep === 'an1' ? an1.full_name : an2.full_name,
        merged_ids: request.others,
      }),
    mergeUndo: () => Promise.resolve({ ...merged, undone_at: Date.now() }),
    ...overrides,
  });
  setBackend(b);
  render(DuplicatesScreen);
  return b;
}

async function openMerge(): Promise<HTMLElement> {
  const pairs = await screen.findAllByTestId('duplicate-pair');
  await fireEvent.click(within(pairs[0]).getByTestId('duplicate-merge'));
  const dialog = screen.getByTestId('merge-dialog');
  await within(dialog).findAllByTestId('merge-keep');
  return dialog;
}

function choice(dialog: HTMLElement, field: string, customerId: string): HTMLInputElement {
  const radio = within(dialog)
    .getAllByTestId<HTMLInputElement>('merge-field-choice')
    .find((input) => input.name === field && input.value === customerId);
  if (!radio) throw new Error(`no choice of ${field} from ${customerId}`);
  return radio;
}

describe('DuplicatesScreen', () => {
  it('looks for duplicates on opening and lists each pair with both sides and why they look alike', async () => {
    let answer: (scan: DuplicateScan) => void = () => {};
    const b = setup({ duplicatesScan: () => new Promise((resolve) => (answer = resolve)) });
    expect(screen.getByTestId('duplicates-scanning').textContent).toContain('Đang tìm…');
    answer(SCAN);

    expect((await screen.findByTestId('duplicates-total')).textContent).toBe('12 cặp có thể trùng');
    expect(screen.queryByTestId('duplicates-scanning')).toBeNull();
    expect(b.duplicatesScan).toHaveBeenCalledTimes(1);

    const pairs = screen.getAllByTestId('duplicate-pair');
    expect(pairs.map((pair) => within(pair).getByTestId('duplicate-reason').textContent)).toEqual([
      'Cùng số điện thoại',
      'Cùng email',
      'Cùng tên và công ty',
      'Cùng tên, số điện thoại gần giống',
    ]);
    const [first, second] = within(pairs[0]).getAllByTestId('duplicate-side');
    expect(first.textContent).toContain('Nguyễn Văn An');
    expect(first.textContent).toContain('0912 345 678');
    expect(first.textContent).toContain('an@binhminh.vn');
    expect(first.textContent).toContain('Công ty Bình Minh');
    expect(second.textContent).toContain('an.nguyen@gmail.com');
    expect(within(pairs[1]).getAllByTestId('duplicate-side')[1].textContent).toContain('Hoa Sen');
    expect(within(pairs[0]).getByTestId('duplicate-merge').textContent).toContain('Gộp…');

    // Only four of the twelve pairs came back.
    expect(screen.getByTestId('duplicates-first-only').textContent).toContain('4 cặp đầu tiên trong số 12');
  });

  it('words the pairs in English too', async () => {
    setup();
    lang.set('en');
    expect((await screen.findByTestId('duplicates-total')).textContent).toBe('12 likely duplicate pairs');
    expect(screen.getAllByTestId('duplicate-reason')[3].textContent).toBe('Same name, nearly the same phone number');
  });

  it('says so when nobody looks alike', async () => {
    setup({ duplicatesScan: () => Promise.resolve({ total: 0, pairs: [] }) });
    const empty = await screen.findByTestId('duplicates-empty');
    expect(empty.textContent).toContain('Không thấy khách hàng nào trùng nhau.');
    expect(screen.queryByTestId('duplicate-pair')).toBeNull();
    expect(screen.queryByTestId('duplicates-first-only')).toBeNull();
  });

  it('shows only the fields that differ, side by side, with the richer record kept by default', async () => {
    const b = setup();
    const dialog = await openMerge();
    expect(b.getCustomer.mock.calls.map(([id]) => id).sort()).toEqual(['an1', 'an2']);
    expect(within(dialog).getByTestId('merge-explain').textContent).toBe(
      'Lịch sử, việc cần làm, tin nhắn và kịch bản của cả hai sẽ chuyển về khách hàng được giữ. Có thể hoàn tác.',
    );

    const keep = within(dialog).getAllByTestId<HTMLInputElement>('merge-keep');
    expect(keep.find((radio) => radio.checked)?.value).toBe('an1');

    // Both are named Nguyễn Văn An: the name has nothing to choose.
    const rows = within(dialog).getAllByTestId('merge-field-row');
    expect(rows.map((row) => row.dataset.field)).toEqual(['email', 'company_name', 'address', 'lifecycle_stage', 'notes']);
    // Values read as on the customer's page, not as stored.
    expect(rows[3].textContent).toContain('Đang giao dịch');
    expect(rows[3].textContent).toContain('Tiềm năng');

    // The kept side's value, or the other's where the kept side is empty.
    expect(choice(dialog, 'email', 'an1').checked).toBe(true);
    expect(choice(dialog, 'address', 'an2').checked).toBe(true);
    expect(choice(dialog, 'address', 'an1').disabled).toBe(true);

    // Phones are not chosen: both are kept.
    expect(within(dialog).getByTestId('merge-united-row').textContent).toContain('Gộp cả hai');

    // Keeping the other record moves the defaults with it.
    await fireEvent.click(keep[1]);
    expect(choice(dialog, 'email', 'an2').checked).toBe(true);
    expect(choice(dialog, 'company_name', 'an1').checked).toBe(true);
  });

  it('merges with the record kept and the values chosen, then takes the merged pairs off the list', async () => {
    const b = setup();
    const dialog = await openMerge();

    await fireEvent.click(within(dialog).getAllByTestId('merge-keep')[1]);
    await fireEvent.click(choice(dialog, 'email', 'an1'));
    await fireEvent.click(within(dialog).getByTestId('merge-confirm'));

    await waitFor(() => expect(screen.queryByTestId('merge-dialog')).toBeNull());
    const [request] = b.callsTo('mergeCustomers')[0] as [MergeRequest];
    expect(request.keep).toBe('an2');
    expect(request.others).toEqual(['an1']);
    expect(request.choices).toContainEqual({ field: 'email', from: 'an1' });
    expect(request.choices).toContainEqual({ field: 'company_name', from: 'an1' });
    expect(request.choices).not.toContainEqual(expect.objectContaining({ field: 'email', from: 'an2' }));

    expect(screen.getByTestId('merge-done').textContent).toContain('Đã gộp vào Nguyễn Văn An');
    // The pair with an1, now in the bin, is gone; an2 was kept, so its other pair stays.
    expect(screen.getAllByTestId('duplicate-reason').map((reason) => reason.textContent)).toEqual([
      'Cùng email',
      'Cùng tên và công ty',
      'Cùng tên, số điện thoại gần giống',
    ]);
    expect(screen.getByTestId('duplicates-total').textContent).toBe('11 cặp có thể trùng');
  });

  it('undoes the merge from the notice and looks for duplicates again', async () => {
    const b = setup();
    const dialog = await openMerge();
    await fireEvent.click(within(dialog).getByTestId('merge-confirm'));
    const undo = within(await screen.findByTestId('merge-done')).getByTestId('merge-undo');

    await fireEvent.click(undo);
    expect((await screen.findByTestId('merge-undone')).textContent).toBe('Đã hoàn tác');
    expect(b.callsTo('mergeUndo')).toEqual([['m1']]);
    await waitFor(() => expect(b.duplicatesScan).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.getAllByTestId('duplicate-pair')).toHaveLength(4));
  });

  it('words an error from its key and keeps the dialog open', async () => {
    const b = setup();
    b.fail('mergeCustomers', {
      code: 'invalid_input',
      key: 'merge.nothing_to_merge',
      params: {},
      message: 'nothing to merge',
      field: null,
    });
    const dialog = await openMerge();
    await fireEvent.click(within(dialog).getByTestId('merge-confirm'));
    expect((await within(dialog).findByTestId('merge-error')).textContent).toBe(
      'Không có gì để gộp: hãy chọn hai khách hàng khác nhau',
    );
    expect(screen.getAllByTestId('duplicate-pair')).toHaveLength(4);
    expect(screen.queryByTestId('merge-done')).toBeNull();
  });

  it('words a failed undo from its key', async () => {
    const b = setup({ mergesList: () => Promise.resolve([merged]) });
    b.fail('mergeUndo', new BackendError('conflict', 'already undone', null, 'merge.already_undone'));
    await fireEvent.click(await screen.findByTestId('merge-history-undo'));
    expect((await screen.findByTestId('merge-undo-error')).textContent).toBe('Lần gộp này đã được hoàn tác rồi');
  });

  it('closes the dialog on Escape without merging, and leaves the screen on a second Escape', async () => {
    const b = setup();
    route.set({ name: 'duplicates' });
    const dialog = await openMerge();
    await fireEvent.keyDown(within(dialog).getAllByTestId('merge-keep')[0], { key: 'Escape' });
    expect(screen.queryByTestId('merge-dialog')).toBeNull();
    expect(b.mergeCustomers).not.toHaveBeenCalled();
    expect(get(route)).toEqual({ name: 'duplicates' });

    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(get(route)).toEqual({ name: 'customers' });
  });

  it('lists the latest merges with an undo for those still in place', async () => {
    const undone: MergeSummary = {
      ...merged,
      id: 'm0',
      kept_name: 'Trần Thị Lan',
      merged_ids: ['x', 'y'],
      created_at: new Date(2026, 10, 20, 9, 5).getTime(),
      undone_at: new Date(2026, 10, 20, 10, 0).getTime(),
    };
    const b = setup({ mergesList: () => Promise.resolve([merged, undone]) });
    const rows = await screen.findAllByTestId('merge-history-row');
    expect(rows[0].textContent).toContain('21/11/2026 18:30');
    expect(rows[0].textContent).toContain('Nguyễn Văn An');
    expect(rows[0].textContent).toContain('+1 hồ sơ gộp vào');
    expect(rows[1].textContent).toContain('20/11/2026 09:05');
    expect(rows[1].textContent).toContain('+2 hồ sơ gộp vào');
    expect(within(rows[1]).getByTestId('merge-history-undone').textContent).toContain('20/11/2026 10:00');
    expect(within(rows[1]).queryByTestId('merge-history-undo')).toBeNull();

    await fireEvent.click(within(rows[0]).getByTestId('merge-history-undo'));
    expect(b.callsTo('mergeUndo')).toEqual([['m1']]);
    expect((await screen.findByTestId('merge-undone')).textContent).toBe('Đã hoàn tác');
    await waitFor(() => expect(b.duplicatesScan).toHaveBeenCalledTimes(2));
  });
});
