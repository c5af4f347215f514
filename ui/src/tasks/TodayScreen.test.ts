import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend, tauriBackend, type Backend } from '../lib/backend';
import type { AssistedItem } from '../lib/bindings/AssistedItem';
import type { Interaction } from '../lib/bindings/Interaction';
import type { InteractionInput } from '../lib/bindings/InteractionInput';
import type { Task } from '../lib/bindings/Task';
import type { TodayView } from '../lib/bindings/TodayView';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { customerFixture } from '../test/customerFixture';
import { mockBackend } from '../test/mockBackend';
import { taskFixture } from '../test/taskFixture';
import App from '../app/App.svelte';

const task = taskFixture;

const call = task('t1', 'Gọi lại cho chị Lan', {
  customer_phone: '0912 345 678',
  customer_temperature: 'hot',
  customer_note: 'Thích gói VIP, hẹn gọi lại sau Tết',
});
const quote = task('t2', 'Gửi báo giá', { customer_id: 'c2', customer_name: 'Trần Văn Minh' });
const meeting = task('t3', 'Hẹn gặp uống cà phê', { customer_id: 'c3', customer_name: 'Lê Hoa' });

function view(overdue: Task[], today: Task[] = [], upcoming: Task[] = []): TodayView {
  return { overdue, today, upcoming, overdue_total: overdue.length, today_total: today.length, upcoming_total: upcoming.length };
}

const zaloMessage: AssistedItem = {
  outbox_id: 'o1',
  customer_id: 'c1',
  customer_name: 'Nguyễn Thị Lan',
  channel: 'zalo_personal',
  recipient: '0912345678',
  text: 'Chào chị Lan, em gửi chị bảng giá mới.',
  url: 'https://zalo.me/0912345678',
  since: new Date(2024, 5, 3, 9, 5).getTime(),
};

const telegramMessage: AssistedItem = {
  ...zaloMessage,
  outbox_id: 'o2',
  customer_name: 'Trần Văn Minh',
  channel: 'telegram_personal',
  recipient: 'minhtran',
  text: 'Chào anh Minh',
  url: 'https://t.me/minhtran',
};

function todayBackend(overrides: Partial<Backend> = {}) {
  return mockBackend({
    today: () => Promise.resolve(view([call], [quote], [meeting])),
    // One customer, so Today shows its tasks rather than the welcome card.
    listCustomers: () => Promise.resolve({ items: [], total: 1 }),
    ...overrides,
  });
}

const rows = () => screen.getAllByTestId('today-task');

beforeEach(() => {
  lang.set('vi');
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
  route.set({ name: 'today' });
  vi.useRealTimers();
});

describe('Today rows', () => {
  it('show the phone, the temperature and the latest note of the customer', async () => {
    setBackend(todayBackend());
    render(App);
    const [first, second] = await screen.findAllByTestId('today-task');
    const phone = within(first).getByTestId('today-task-phone') as HTMLAnchorElement;
    expect(phone.textContent).toBe('0912 345 678');
    expect(phone.getAttribute('href')).toBe('tel:0912345678');
    expect(within(first).getByTestId('today-task-temperature').textContent).toBe('Nóng');
    expect(within(first).getByTestId('today-task-note').textContent).toBe('Thích gói VIP, hẹn gọi lại sau Tết');
    // Nothing of the kind for a customer without them.
    expect(within(second).queryByTestId('today-task-phone')).toBeNull();
    expect(within(second).queryByTestId('today-task-temperature')).toBeNull();
    expect(within(second).queryByTestId('today-task-note')).toBeNull();
  });

  it('offers the action the task asks for: a message for a quote, a call otherwise', async () => {
    setBackend(todayBackend());
    render(App);
    const [first, second] = await screen.findAllByTestId('today-task');
    expect(within(first).getByTestId('task-log-call').textContent).toContain('Ghi cuộc gọi');
    expect(within(first).queryByTestId('task-message')).toBeNull();
    expect(within(second).queryByTestId('task-log-call')).toBeNull();
    const message = within(second).getByTestId('task-message');
    expect(message.textContent).toContain('Nhắn tin');
    await fireEvent.click(message);
    expect(get(route)).toEqual({ name: 'customer', id: 'c2', compose: 'default' });
  });

  it('carries the task along when a call is logged from it', async () => {
    setBackend(todayBackend());
    render(App);
    const [first] = await screen.findAllByTestId('today-task');
    await fireEvent.click(within(first).getByTestId('task-log-call'));
    expect(get(route)).toEqual({ name: 'customer', id: 'c1', logKind: 'call', fromTask: 't1' });
  });

  it('snoozes a task to tomorrow 09:00 and refreshes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2024, 5, 3, 15, 40));
    const rescheduleTask = vi.fn((id: string, dueAt: number) => Promise.resolve({ ...call, id, due_at: dueAt }));
    const b = todayBackend({ rescheduleTask });
    setBackend(b);
    render(App);
    const [first] = await screen.findAllByTestId('today-task');
    const snooze = within(first).getByTestId('today-snooze') as HTMLSelectElement;
    expect([...snooze.options].map((o) => o.textContent)).toEqual([
      'Dời lại…',
      'Cuối ngày',
      'Ngày mai',
      '3 ngày nữa',
      'Tuần sau',
    ]);
    await fireEvent.change(snooze, { target: { value: 'tomorrow' } });
    await waitFor(() => expect(rescheduleTask).toHaveBeenCalledWith('t1', new Date(2024, 5, 4, 9, 0).getTime()));
    expect(snooze.value).toBe('');
    expect(await screen.findByText('Đã dời đến 04/06/2024 09:00')).toBeTruthy();
    await waitFor(() => expect(b.today).toHaveBeenCalledTimes(2));

    await fireEvent.change(within(rows()[0]).getByTestId('today-snooze'), { target: { value: 'laterToday' } });
    await waitFor(() => expect(rescheduleTask).toHaveBeenLastCalledWith('t1', new Date(2024, 5, 3, 17, 0).getTime()));
  });
});

describe('Needs you', () => {
  it('is hidden, and Today has no count, when nothing waits', async () => {
    const b = todayBackend();
    setBackend(b);
    render(App);
    await screen.findAllByTestId('today-task');
    await waitFor(() => expect(b.assistedQueue).toHaveBeenCalled());
    expect(screen.queryByTestId('today-needs-you')).toBeNull();
    expect(screen.queryByTestId('nav-today-needs-you')).toBeNull();
  });

  it('comes above the tasks with personal messages, failed steps and outbox messages, counted beside Today', async () => {
    const b = todayBackend({
      assistedQueue: () => Promise.resolve([zaloMessage, telegramMessage]),
      scenarioToday: () =>
        Promise.resolve({
          upcoming: [],
          attention: [
            {
              enrollment_id: 'e1',
              customer_id: 'c1',
              customer_name: 'Nguyễn Thị Lan',
              scenario_name: 'Chăm sóc khách mới',
              position: 1,
              kind: 'message',
              title: null,
              at: 0,
              outcome: 'failed',
              detail: 'not sent: no Zalo user id',
            },
          ],
        }),
      outboxCounts: () => Promise.resolve({ queued: 4, failed: 2, needs_manual: 1 }),
    });
    setBackend(b);
    render(App);
    const section = await screen.findByTestId('today-needs-you');
    expect(section.textContent).toContain('Cần bạn xử lý');
    const firstTaskSection = screen.getByTestId('today-section-overdue');
    expect(section.compareDocumentPosition(firstTaskSection) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    const [zalo, telegram] = within(section).getAllByTestId('today-assisted');
    expect(zalo.textContent).toContain('Nguyễn Thị Lan');
    expect(zalo.textContent).toContain('Zalo cá nhân');
    expect(zalo.textContent).toContain('Chào chị Lan, em gửi chị bảng giá mới.');
    expect(telegram.textContent).toContain('Telegram cá nhân');
    expect(within(section).getByTestId('today-scenario-attention').textContent).toContain('not sent: no Zalo user id');
    expect(within(section).getByTestId('today-needs-you-outbox').textContent).toContain('3 tin nhắn cần kiểm tra');

    // 2 messages + 1 step + 2 failed + 1 needing a hand; queued ones are not counted.
    await waitFor(() => expect(screen.getByTestId('nav-today-needs-you').textContent).toBe('6'));
    expect(screen.getByTestId('nav-today').contains(screen.getByTestId('nav-today-needs-you'))).toBe(true);
    expect(within(section).getByTestId('today-needs-you-count').textContent).toBe('6');
  });

  it('copies a prepared message, opens its chat and says how to do it by hand when that fails', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const b = todayBackend({ assistedQueue: () => Promise.resolve([zaloMessage, telegramMessage]) });
    b.fail('openChat', { code: 'internal', key: 'internal', params: {}, message: 'no handler for zalo.me', field: null });
    setBackend(b);
    render(App);
    const [zalo, telegram] = await screen.findAllByTestId('today-assisted');

    const copy = within(zalo).getByTestId('today-assisted-copy');
    expect(copy.textContent?.trim()).toBe('Chép');
    await fireEvent.click(copy);
    expect(writeText).toHaveBeenCalledWith('Chào chị Lan, em gửi chị bảng giá mới.');
    await waitFor(() => expect(copy.textContent?.trim()).toBe('Đã chép'));

    expect(within(zalo).queryByTestId('today-assisted-by-hand')).toBeNull();
    await fireEvent.click(within(zalo).getByTestId('today-assisted-open'));
    expect(b.openChat).toHaveBeenCalledWith('https://zalo.me/0912345678');
    const byHand = await within(zalo).findByTestId('today-assisted-by-hand');
    expect(byHand.textContent).toContain('Không tự mở được khung chat.');
    expect(byHand.textContent).toContain('tìm 0912345678 rồi dán tin nhắn');

    await fireEvent.click(within(telegram).getByTestId('today-assisted-open'));
    expect((await within(telegram).findByTestId('today-assisted-by-hand')).textContent).toContain('tìm @minhtran');
  });

  it('records a message sent by hand, skips another, and each row leaves', async () => {
    let waiting = [zaloMessage, telegramMessage];
    const finishAssisted = vi.fn((id: string, _sent: boolean) => {
      waiting = waiting.filter((item) => item.outbox_id !== id);
      return Promise.resolve({ id } as never);
    });
    const b = todayBackend({ assistedQueue: () => Promise.resolve(waiting), finishAssisted });
    setBackend(b);
    render(App);
    const [zalo] = await screen.findAllByTestId('today-assisted');
    await fireEvent.click(within(zalo).getByTestId('today-assisted-sent'));
    expect(finishAssisted).toHaveBeenCalledWith('o1', true);
    await waitFor(() => expect(screen.getAllByTestId('today-assisted')).toHaveLength(1));
    expect(await screen.findByText('Đã ghi nhận là đã gửi')).toBeTruthy();
    // The data is loaded again, so the scenario's next step and the counts follow.
    await waitFor(() => expect(b.assistedQueue.mock.calls.length).toBeGreaterThan(2));

    await fireEvent.click(screen.getByTestId('today-assisted-skip'));
    expect(finishAssisted).toHaveBeenLastCalledWith('o2', false);
    await waitFor(() => expect(screen.queryByTestId('today-needs-you')).toBeNull());
  });

  it('links the outbox line to the Outbox filtered on that status', async () => {
    const b = todayBackend({ outboxCounts: () => Promise.resolve({ queued: 0, failed: 2, needs_manual: 0 }) });
    setBackend(b);
    render(App);
    const line = await screen.findByTestId('today-needs-you-outbox');
    expect(line.textContent).toContain('2 tin nhắn cần kiểm tra');
    expect(screen.queryByTestId('today-outbox-needs-manual')).toBeNull();
    await fireEvent.click(screen.getByTestId('today-outbox-failed'));
    expect(get(route)).toEqual({ name: 'outbox', status: 'failed' });
    const filter = (await screen.findByTestId('outbox-status-filter')) as HTMLSelectElement;
    expect(filter.value).toBe('failed');
    await waitFor(() => expect(b.listOutbox).toHaveBeenCalledWith({ status: 'failed', customer_id: null, offset: 0, limit: 50 }));
  });
});

describe('Today from the keyboard', () => {
  it('moves between rows with the arrows, logs a call with "l" and opens the customer with Enter', async () => {
    setBackend(todayBackend());
    render(App);
    await screen.findAllByTestId('today-task');
    // One row in the Tab order: the first until another is focused.
    expect(rows().map((row) => row.tabIndex)).toEqual([0, -1, -1]);

    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[0]);
    await fireEvent.keyDown(rows()[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[1]);
    expect(rows().map((row) => row.tabIndex)).toEqual([-1, 0, -1]);
    await fireEvent.keyDown(rows()[1], { key: 'ArrowDown' });
    await fireEvent.keyDown(rows()[2], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[2]);
    await fireEvent.keyDown(rows()[2], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows()[1]);

    // Keys typed in a field are the field's.
    const snooze = within(rows()[1]).getByTestId('today-snooze');
    snooze.focus();
    await fireEvent.keyDown(snooze, { key: 'ArrowDown' });
    await fireEvent.keyDown(snooze, { key: 'l' });
    expect(document.activeElement).toBe(snooze);
    expect(get(route)).toEqual({ name: 'today' });

    rows()[1].focus();
    await fireEvent.keyDown(rows()[1], { key: 'l' });
    expect(get(route)).toEqual({ name: 'customer', id: 'c2', logKind: 'call', fromTask: 't2' });
  });

  it('opens the customer of the focused row with Enter', async () => {
    setBackend(todayBackend());
    render(App);
    await screen.findAllByTestId('today-task');
    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await fireEvent.keyDown(rows()[0], { key: 'ArrowDown' });
    await fireEvent.keyDown(rows()[1], { key: 'ArrowDown' });
    await fireEvent.keyDown(rows()[2], { key: 'Enter' });
    expect(get(route)).toEqual({ name: 'customer', id: 'c3' });
  });

  it('lists the Today keys in the shortcut help', async () => {
    setBackend(todayBackend());
    render(App);
    await screen.findAllByTestId('today-task');
    await fireEvent.keyDown(document.body, { key: '?' });
    const help = await screen.findByRole('dialog');
    expect(help.textContent).toContain('Chuyển giữa các việc (ở Hôm nay)');
    expect(help.textContent).toContain('Ghi cuộc gọi cho việc đang chọn (ở Hôm nay)');
    expect(help.textContent).toContain('Mở khách hàng của việc đang chọn (ở Hôm nay)');
    // Arrows pressed in the dialog are not for the list behind it.
    await fireEvent.keyDown(help, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(help);
  });
});

describe('A call logged from a task', () => {
  const customer = customerFixture();

  function savedInteraction(input: InteractionInput): Interaction {
    return {
      id: 'i1',
      customer_id: input.customer_id,
      kind: input.kind,
      direction: input.direction,
      subject: null,
      content: input.content,
      outcome: input.outcome,
      duration_minutes: null,
      occurred_at: 0,
      next_action: input.next_action,
      next_action_date: input.next_action_date,
      task_id: null,
      created_at: 0,
      updated_at: 0,
      campaign_id: null,
      campaign_name: null,
      asks_to_stop: false,
    };
  }

  it('marks the task done with the call and comes back to the next task', async () => {
    let open = [call, quote, meeting];
    const logInteraction = vi.fn((input: InteractionInput) => {
      if (input.complete_task_id) open = open.filter((t) => t.id !== input.complete_task_id);
      return Promise.resolve(savedInteraction(input));
    });
    const b = todayBackend({
      today: () => Promise.resolve(view(open.filter((t) => t.id === 't1'), open.filter((t) => t.id !== 't1'))),
      openCustomer: () => Promise.resolve({ customer, timeline: { items: [], total: 0 }, open_tasks: [call] }),
      logInteraction,
    });
    setBackend(b);
    render(App);
    const [first] = await screen.findAllByTestId('today-task');
    first.focus();
    await fireEvent.keyDown(first, { key: 'l' });

    const complete = (await screen.findByTestId('interaction-form-complete-task')) as HTMLInputElement;
    expect(complete.checked).toBe(true);
    expect(complete.closest('label')?.textContent).toContain('Đánh dấu xong việc “Gọi lại cho chị Lan”');
    await fireEvent.input(screen.getByTestId('interaction-form-content'), { target: { value: 'Chị Lan đồng ý' } });
    await fireEvent.click(screen.getByTestId('interaction-form-save'));

    await waitFor(() => expect(logInteraction).toHaveBeenCalledTimes(1));
    expect(logInteraction.mock.calls[0][0].complete_task_id).toBe('t1');
    await waitFor(() => expect(get(route)).toEqual({ name: 'today' }));
    // No question about unsaved changes: the form was saved.
    expect(screen.queryByTestId('form-discard')).toBeNull();
    await waitFor(() => expect(document.activeElement?.getAttribute('data-task-id')).toBe('t2'));
    expect(rows().map((row) => row.getAttribute('data-task-id'))).toEqual(['t2', 't3']);
  });

  it('leaves the task open when the box is unticked', async () => {
    const logInteraction = vi.fn((input: InteractionInput) => Promise.resolve(savedInteraction(input)));
    setBackend(
      todayBackend({
        openCustomer: () => Promise.resolve({ customer, timeline: { items: [], total: 0 }, open_tasks: [call] }),
        logInteraction,
      }),
    );
    route.set({ name: 'customer', id: 'c1', logKind: 'call', fromTask: 't1' });
    render(App);
    const complete = (await screen.findByTestId('interaction-form-complete-task')) as HTMLInputElement;
    await fireEvent.click(complete);
    expect(complete.checked).toBe(false);
    await fireEvent.click(screen.getByTestId('interaction-form-save'));
    await waitFor(() => expect(logInteraction).toHaveBeenCalledTimes(1));
    expect('complete_task_id' in logInteraction.mock.calls[0][0]).toBe(false);
  });

  it('offers nothing for a task that is no longer open', async () => {
    setBackend(
      todayBackend({
        openCustomer: () => Promise.resolve({ customer, timeline: { items: [], total: 0 }, open_tasks: [] }),
      }),
    );
    route.set({ name: 'customer', id: 'c1', logKind: 'call', fromTask: 't1' });
    render(App);
    await screen.findByTestId('interaction-form');
    await screen.findByTestId('customer-detail-name');
    expect(screen.queryByTestId('interaction-form-complete-task')).toBeNull();
  });
});
