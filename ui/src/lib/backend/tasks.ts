import type { Task } from '../bindings/Task';
import type { TaskInput } from '../bindings/TaskInput';
import type { TodayView } from '../bindings/TodayView';
import { call } from './call';

export interface TasksBackend {
  createTask(input: TaskInput): Promise<Task>;
  completeTask(id: string): Promise<Task>;
  skipTask(id: string): Promise<Task>;
  reopenTask(id: string): Promise<Task>;
  rescheduleTask(id: string, dueAt: number): Promise<Task>;
  customerTasks(customerId: string, includeClosed: boolean): Promise<Task[]>;
  today(limit?: number): Promise<TodayView>;
}

export const tauriTasks: TasksBackend = {
  createTask: (input) => call('create_task', { input }),
  completeTask: (id) => call('complete_task', { id }),
  skipTask: (id) => call('skip_task', { id }),
  reopenTask: (id) => call('reopen_task', { id }),
  rescheduleTask: (id, dueAt) => call('reschedule_task', { id, dueAt }),
  customerTasks: (customerId, includeClosed) =>
    call('customer_tasks', { customerId, includeClosed }),
  today: (limit) => call('today', { limit: limit ?? null }),
};
