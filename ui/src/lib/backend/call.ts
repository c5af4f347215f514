// The only module that talks to Tauri: every command and event of the backend goes through here.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { toBackendError } from './errors';

/** Runs a backend command; a rejection always arrives as a BackendError. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

/**
 * Runs a backend command whose body is raw bytes (a file read in the webview), with `headers`
 * for what the command needs beside them; a rejection always arrives as a BackendError.
 */
export async function callWithBytes<T>(command: string, bytes: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(command, bytes, { headers });
  } catch (error) {
    throw toBackendError(error);
  }
}

/** Calls `cb` with the payload of every `event` the backend emits; resolves to an unsubscribe function. */
export async function subscribe<T>(event: string, cb: (payload: T) => void): Promise<() => void> {
  try {
    return await listen<T>(event, (e) => cb(e.payload));
  } catch (error) {
    throw toBackendError(error);
  }
}
