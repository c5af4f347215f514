import type { Task } from '../lib/bindings/Task';

/** An open task of Nguyễn Thị Lan's, due now, plus `extra`. */
export function taskFixture(id: string, title: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    customer_id: 'c1',
    customer_name: 'Nguyễn Thị Lan',
    customer_phone: null,
    customer_temperature: null,
    customer_note: null,
    interaction_id: null,
    title,
    notes: null,
    due_at: Date.now(),
    priority: 'normal',
    status: 'open',
    completed_at: null,
    created_at: 0,
    ...extra,
  };
}
