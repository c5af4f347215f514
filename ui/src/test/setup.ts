// Runs before every test file: Tauri is not there under jsdom, so its modules are stubs. Views reach
// data only through `backend()`, which tests point at `mockBackend.ts`.
import { vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));
