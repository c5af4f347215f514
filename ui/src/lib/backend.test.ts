import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

const { BackendError, backend, setBackend, tauriBackend, toBackendError } = await import('./backend');

describe('toBackendError', () => {
  it('keeps the code, message and field of an ErrorPayload', () => {
    const error = toBackendError({ code: 'invalid_input', message: 'Số điện thoại không hợp lệ', field: 'phone' });
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Số điện thoại không hợp lệ');
    expect(error.field).toBe('phone');
  });

  it('maps a null field to null', () => {
    expect(toBackendError({ code: 'not_found', message: 'gone', field: null }).field).toBeNull();
  });

  it('turns an unknown code into internal', () => {
    const error = toBackendError({ code: 'exploded', message: 'boom', field: null });
    expect(error.code).toBe('internal');
    expect(error.message).toBe('boom');
  });

  it('wraps strings, Errors and anything else as internal', () => {
    const fromString = toBackendError('command not found');
    expect([fromString.code, fromString.message]).toEqual(['internal', 'command not found']);
    const fromError = toBackendError(new TypeError('bad'));
    expect([fromError.code, fromError.message]).toEqual(['internal', 'bad']);
    expect(toBackendError(undefined).code).toBe('internal');
    expect(toBackendError(42).code).toBe('internal');
  });

  it('returns an existing BackendError unchanged', () => {
    const original = new BackendError('conflict', 'x');
    expect(toBackendError(original)).toBe(original);
  });
});

describe('tauriBackend', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('passes camelCase argument names to invoke', async () => {
    invoke.mockResolvedValue({ kind: 'saved' });
    const input = { full_name: 'Lan' } as never;
    await tauriBackend.createCustomer(input, false);
    expect(invoke).toHaveBeenCalledWith('create_customer', { input, allowDuplicates: false });

    invoke.mockResolvedValue([]);
    await tauriBackend.customerTasks('c1', true);
    expect(invoke).toHaveBeenCalledWith('customer_tasks', { customerId: 'c1', includeClosed: true });

    await tauriBackend.rescheduleTask('t1', 123);
    expect(invoke).toHaveBeenCalledWith('reschedule_task', { id: 't1', dueAt: 123 });
  });

  it('rejects with a BackendError when invoke rejects', async () => {
    invoke.mockRejectedValue({ code: 'storage', message: 'disk full', field: null });
    const error = await tauriBackend.today().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as InstanceType<typeof BackendError>).code).toBe('storage');
    expect((error as Error).message).toBe('disk full');
  });

  it('can be replaced by a mock', () => {
    const mock = { ...tauriBackend };
    setBackend(mock);
    expect(backend()).toBe(mock);
    setBackend(tauriBackend);
  });
});
